#!/usr/bin/env bash
# Runs every test tier — typecheck, lint, build, unit, integration (sandbox over HTTP, real Secret Service),
# end to end (Chromium, fake devices, loopback-only network) and the Electron smoke tests — on a Debian or
# Ubuntu machine, installing what is missing first. Ends with one line: "N passed, N failed, N skipped".
#
#   npm test            (same as: bash test/run-all.sh)
#   SKIP_INSTALL=1      don't install system packages or node_modules (just check they are there)
set -uo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

APT_PACKAGES=(chromium libsecret-1-dev libsecret-tools gnome-keyring dbus iproute2 util-linux fonts-liberation python3 make g++ pkg-config librsvg2-bin icnsutils imagemagick openssl fonts-dejavu-core coturn)

missing_packages() {
	local missing=()
	for pkg in "${APT_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
	done
	echo "${missing[@]:-}"
}

install_system_packages() {
	local missing
	missing=$(missing_packages)
	[ -z "$missing" ] && return 0
	if [ "${SKIP_INSTALL:-}" = 1 ]; then
		echo "Missing system packages: $missing (SKIP_INSTALL=1 set, not installing)" >&2
		return 1
	fi
	local sudo=()
	[ "$(id -u)" -ne 0 ] && sudo=(sudo -n)
	echo "Installing system packages: $missing"
	"${sudo[@]}" apt-get update -q && "${sudo[@]}" apt-get install -y -q --no-install-recommends $missing || return 1
	# The tests start their own coturn on a free loopback port (test/support/turn-server.ts); the system service
	# Debian's package enables would be an open relay on 3478 that nothing here needs.
	if [[ " $missing " == *" coturn "* ]] && command -v systemctl >/dev/null; then
		"${sudo[@]}" systemctl disable --now coturn.service >/dev/null 2>&1 || true
	fi
}

install_node_modules() {
	# Reinstall when node_modules is missing or older than the lockfile.
	if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then return 0; fi
	if [ "${SKIP_INSTALL:-}" = 1 ]; then
		echo "node_modules is missing or stale (SKIP_INSTALL=1 set, not installing)" >&2
		return 1
	fi
	npm ci --no-audit --no-fund
}

REPORTS=.ci/reports
rm -rf "$REPORTS" && mkdir -p "$REPORTS"

# One line per check that is not a test runner: "name<TAB>passed|failed".
record() { printf '%s\t%s\n' "$1" "$2" >>"$REPORTS/checks.tsv"; }

step() {
	local name=$1
	shift
	echo "== $name"
	if "$@"; then record "$name" passed; else record "$name" failed; fi
}

if ! install_system_packages || ! install_node_modules; then
	echo "Setup failed: the test tiers cannot run."
	record setup failed
	echo "0 passed, 1 failed"
	exit 1
fi

step typecheck npm run --silent typecheck
step lint npm run --silent lint

# Is Electron the newest release of a supported major? Asked here, outside the loopback-only namespace the
# test runners use, because it needs the npm registry. A check that could not ask exits 77: recorded as
# skipped, with the reason, never as passed.
echo "== electron-currency"
node test/security/check-electron-currency.mjs
case $? in
0) record electron-currency passed ;;
77) printf '%s\t%s\t%s\n' electron-currency skipped 'npm registry unreachable' >>"$REPORTS/checks.tsv" ;;
*) record electron-currency failed ;;
esac

# Electronegativity over the app's source, against its reviewed allowlist. It is offline by construction;
# where we may, it also runs with loopback only, so it provably reaches nothing.
offline=()
if [ "$(id -u)" -eq 0 ] && unshare -n true 2>/dev/null; then offline=(unshare -n --); fi
step electronegativity "${offline[@]}" node test/security/electronegativity.mjs

step build sh -c 'npm run --silent build:renderer && npm run --silent build:main && npm run --silent build:preload'

# The test runners run in one session with its own D-Bus and an unlocked gnome-keyring (a real Secret
# Service for keytar, in a throwaway HOME), and — when we may — in a network namespace with only loopback,
# so no test can reach or depend on the outside world.
echo "== tests (vitest, playwright)"
# Every sandbox a test starts appends {checked, mismatches} here when it closes (its REST exchanges checked
# against Telnyx's OpenAPI spec); summarize.mjs adds them up.
export SANDBOX_SPEC_TALLY="$PWD/$REPORTS/spec-tally.jsonl"
: >"$SANDBOX_SPEC_TALLY"
if [ "$(id -u)" -eq 0 ] && unshare -n true 2>/dev/null; then
	unshare -n -- bash test/support/in-session.sh "$REPORTS" loopback
else
	echo "(not root or no network namespaces: running without the loopback-only namespace)"
	bash test/support/in-session.sh "$REPORTS" host
fi

# Line coverage of the product's code from every tier, merged: printed, not a gate (yet).
npx tsx test/support/coverage-report.ts "$REPORTS"

node test/support/summarize.mjs "$REPORTS"
