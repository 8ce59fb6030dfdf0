#!/usr/bin/env bash
# `npm run soak`: runs test/soak/soak.ts the way the tests run — a private D-Bus session with an unlocked
# gnome-keyring (the app instances keep their keys there) and, as root, a loopback-only network namespace.
# Needs what `npm test` installs (run it once first on a fresh machine). SOAK_CALLS, SOAK_SEED, … pass through.
set -euo pipefail
cd "$(dirname "$0")/../.."
npm run --silent build:renderer
inner='ip link set lo up 2>/dev/null || true
export HOME=$(mktemp -d); unset DISPLAY WAYLAND_DISPLAY
exec dbus-run-session -- bash -c "printf soak | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx tsx test/soak/soak.ts"'
if [ "$(id -u)" -eq 0 ] && unshare -n true 2>/dev/null; then
	exec unshare -n -- bash -c "$inner"
else
	exec bash -c "$inner"
fi
