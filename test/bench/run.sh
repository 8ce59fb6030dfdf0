#!/usr/bin/env bash
# `npm run bench`: runs test/bench/bench.ts the way the tests run — a private D-Bus session with an unlocked
# gnome-keyring (the app instances keep their keys there) and, as root, a loopback-only network namespace.
# Needs what `npm test` installs (run it once first on a fresh machine). An argument names another bench
# script to run the same way (`npm run bench:callpath`).
set -euo pipefail
cd "$(dirname "$0")/../.."
export BENCH_SCRIPT="${1:-test/bench/bench.ts}"
# A profiling run of the call path maps its samples to the sources (test/bench/callpath.ts).
npm run --silent build:renderer -- $([ "${CALLPATH_PROFILE:-}" = 1 ] && echo --sourcemap)
inner='ip link set lo up 2>/dev/null || true
export HOME=$(mktemp -d); unset DISPLAY WAYLAND_DISPLAY
exec dbus-run-session -- bash -c "printf bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx tsx \"\$BENCH_SCRIPT\""'
if [ "$(id -u)" -eq 0 ] && unshare -n true 2>/dev/null; then
	exec unshare -n -- bash -c "$inner"
else
	exec bash -c "$inner"
fi
