#!/usr/bin/env bash
# Runs Vitest and Playwright inside a private D-Bus session with an unlocked gnome-keyring (called by
# test/run-all.sh, possibly inside a loopback-only network namespace). Their JSON reports go to $1.
set -uo pipefail
reports=$1
if [ "${2:-}" = loopback ]; then ip link set lo up; fi

# A throwaway HOME holds the keyring files; without DISPLAY nothing can pop up an unlock prompt.
HOME=$(mktemp -d)
export HOME
unset DISPLAY WAYLAND_DISPLAY

exec dbus-run-session -- bash -c '
	printf "test-keyring-password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
	# Both runners record line coverage for test/support/coverage-report.ts (run-all.sh prints it).
	npx vitest run --reporter=default --reporter=json --outputFile="$0/vitest.json" \
		--coverage.enabled --coverage.reportsDirectory="$0/coverage/vitest"
	# The HTML report keeps the screenshots of every screen the end-to-end tests check.
	E2E_COVERAGE_DIR="$0/coverage/e2e" PLAYWRIGHT_HTML_OPEN=never PLAYWRIGHT_JSON_OUTPUT_NAME="$0/playwright.json" \
		npx playwright test --reporter=list,json,html
	# The soak, short form: 20 calls under a seeded chaos schedule (npm run soak runs 200 with a random seed).
	# Its seed is fixed here so a red run is replayed exactly; it prints the seed either way.
	echo "== soak (20 calls)"
	if SOAK_CALLS=20 SOAK_SEED="${SOAK_SEED:-20261207}" SOAK_REPORT="$0/soak.json" npx tsx test/soak/soak.ts; then
		printf "soak (20 calls)\tpassed\n" >>"$0/checks.tsv"
	else
		printf "soak (20 calls)\tfailed\n" >>"$0/checks.tsv"
	fi
	exit 0
' "$reports"
