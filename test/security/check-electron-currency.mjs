// CI's Electron currency check (test/run-all.sh runs it outside the loopback-only namespace the test tiers
// use, so the registry can be asked). Prints one line and exits 0 when current, 1 when not (or on a bug),
// and 77 — recorded as skipped, never as passed — when the registry could not be asked.
//
//   node test/security/check-electron-currency.mjs
import { readFileSync } from 'node:fs';
import {
	electronCurrencyVerdict,
	installedElectronVersion,
	queryPublishedVersions,
} from './electron-currency.mjs';

const EXIT_SKIPPED = 77;

const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8'));
const installed = installedElectronVersion(lock);
const answer = await queryPublishedVersions();
if (!answer.reachable) {
	console.log(
		`electron-currency: SKIPPED — npm registry unreachable (${answer.reason}); electron ${installed} was not checked`,
	);
	process.exit(EXIT_SKIPPED);
}
const verdict = electronCurrencyVerdict(answer.versions, installed);
console.log(`electron-currency: ${verdict.current ? 'PASSED' : 'FAILED'} — ${verdict.summary}`);
process.exit(verdict.current ? 0 : 1);
