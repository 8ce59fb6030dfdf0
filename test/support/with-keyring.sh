#!/usr/bin/env bash
# Runs one command inside a private D-Bus session with an unlocked gnome-keyring in a throwaway HOME, as the
# full run does (test/support/in-session.sh) — for running a single test file by hand:
#   bash test/support/with-keyring.sh npx vitest run test/integration/main/canary.test.ts
#   bash test/support/with-keyring.sh npx playwright test test/e2e/web/softphone.spec.ts
set -uo pipefail
HOME=$(mktemp -d)
export HOME
unset DISPLAY WAYLAND_DISPLAY
exec dbus-run-session -- bash -c '
	printf "test-keyring-password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
	exec "$@"
' with-keyring "$@"
