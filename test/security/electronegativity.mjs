// Electronegativity (Doyensec's scanner for Electron misconfigurations) over the app's source: main/,
// preload/, renderer/src/ (components included) and renderer/index.html — never node_modules, tests or the
// sandbox. Exits 1 on any finding that test/security/electronegativity-allowlist.json does not accept, on an
// allowlist entry that no longer matches (stale, so the list stays reviewed), and on a file the scanner
// could not parse (a file it did not read is not clean). Offline: see scanSources.
//
//   node test/security/electronegativity.mjs
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installedElectronVersion } from './electron-currency.mjs';
import { compareWithAllowlist, parseAllowlist, scanSources } from './electronegativity-lib.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SOURCES = ['main', 'preload', 'renderer/src', 'renderer/index.html'];
const ALLOWLIST = 'test/security/electronegativity-allowlist.json';

const started = Date.now();
const readJson = (/** @type {string} */ file) =>
	JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));
const allowlist = parseAllowlist(readJson(ALLOWLIST));
const electronVersion = installedElectronVersion(readJson('package-lock.json'));
const scan = await scanSources({ root: ROOT, sources: SOURCES, electronVersion });
const { accepted, unreviewed, stale } = compareWithAllowlist(scan.findings, allowlist);

const where = (/** @type {import('./electronegativity-lib.mjs').Finding} */ f) =>
	f.file === 'N/A' ? '(project-wide)' : `${f.file}:${f.line}:${f.column}`;
for (const e of scan.warnings) console.log(`  parse warning: ${e.file}: ${e.message}`);
for (const e of scan.unreadable) console.log(`  NOT SCANNED: ${e.file}: ${e.message}`);
for (const u of unreviewed) {
	console.log(
		`  UNREVIEWED ${u.check} in ${u.file}: ${u.found.length} finding(s), the allowlist accepts ${u.allowed}`,
	);
	for (const f of u.found) console.log(`    ${where(f)} (${f.severity}, ${f.confidence})`);
}
for (const s of stale) {
	console.log(
		`  STALE allowlist entry ${s.entry.check} in ${s.entry.file}: accepts ${s.entry.count}, found ${s.found} — update or remove it`,
	);
}
const ok = unreviewed.length === 0 && stale.length === 0 && scan.unreadable.length === 0;
const unreviewedCount = unreviewed.reduce((n, u) => n + u.found.length, 0);
console.log(
	`electronegativity: ${ok ? 'PASSED' : 'FAILED'} — ${scan.checks} checks (Electron ${electronVersion}) ` +
		`over ${scan.files} files in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
		`${scan.findings.length} finding(s), ${accepted.length} allowlisted, ${unreviewedCount} unreviewed, ` +
		`${stale.length} stale allowlist entr${stale.length === 1 ? 'y' : 'ies'}, ` +
		`${scan.unreadable.length} file(s) not scanned`,
);
process.exit(ok ? 0 : 1);
