#!/usr/bin/env bash
# The heap probe (test/bench/heap-probe.ts; not part of `npm test`), run as `npm run bench` runs the bench: a
# private D-Bus session with an unlocked gnome-keyring and, as root, a loopback-only network namespace.
# Usage: npm run build:renderer && bash test/bench/run-probe.sh [calls]
set -euo pipefail
cd "$(dirname "$0")/../.."
calls="${1:-100}"
inner='ip link set lo up 2>/dev/null || true
export HOME=$(mktemp -d); unset DISPLAY WAYLAND_DISPLAY
exec dbus-run-session -- bash -c "printf bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx tsx test/bench/heap-probe.ts '"$calls"'"'
if [ "$(id -u)" -eq 0 ] && unshare -n true 2>/dev/null; then
	exec unshare -n -- bash -c "$inner"
else
	exec bash -c "$inner"
fi
