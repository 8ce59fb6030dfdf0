// The Electronegativity gate's workings (test/security/electronegativity.mjs is its command): how Svelte
// components are put in front of a scanner that does not know them, how the scanner is run offline, how its
// findings are named, and how they are held against the reviewed allowlist. All but `scanSources` are pure.
// Tested in test/unit/security/electronegativity-gate.test.ts.
import {
	cpSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * @typedef {{
 *   readonly file: string, readonly check: string, readonly line: number, readonly column: number,
 *   readonly severity: string, readonly confidence: string,
 * }} Finding
 * @typedef {{ readonly file: string, readonly check: string, readonly count: number, readonly reason: string }} AllowEntry
 * @typedef {{
 *   readonly accepted: readonly Finding[],
 *   readonly unreviewed: readonly { readonly file: string, readonly check: string, readonly found: readonly Finding[], readonly allowed: number }[],
 *   readonly stale: readonly { readonly entry: AllowEntry, readonly found: number }[],
 * }} Comparison
 */

/** The one check that would fetch Electron's release list; test/security/check-electron-currency.mjs
 * checks the Electron version instead. */
const NETWORK_CHECKS = ['availablesecurityfixesglobalcheck'];

/** Global checks judge the whole tree and name no file; the tool reports them as "N/A". */
export const PROJECT_WIDE = 'N/A';

/** A reason must say why the finding is acceptable, not just that it is. */
const MIN_REASON_LENGTH = 40;

/**
 * The TypeScript inside a Svelte component's `<script>` blocks, with everything else blanked to spaces
 * (newlines kept), so a finding's line and column are the component's own.
 * @param {string} source
 * @returns {string}
 */
export function svelteScripts(source) {
	const blank = (/** @type {string} */ text) => text.replace(/[^\n]/g, ' ');
	let out = '';
	let at = 0;
	for (const match of source.matchAll(/(<script\b[^>]*>)([\s\S]*?)(<\/script\s*>)/gi)) {
		const start = match.index;
		const [, open = '', body = '', close = ''] = match;
		out += blank(source.slice(at, start) + open) + body + blank(close);
		at = start + match[0].length;
	}
	return out + blank(source.slice(at));
}

/**
 * The scanner reads .ts for code and .html for markup, and nothing else: a component `X.svelte` is staged
 * twice, as `X.svelte.ts` (its scripts) and `X.svelte.html` (the whole file, for the markup checks).
 * @param {string} file a path relative to the project
 * @returns {readonly string[]} the names it is staged under ([] for files the scanner has no use for)
 */
export function stagedNames(file) {
	if (file.endsWith('.svelte')) return [`${file}.ts`, `${file}.html`];
	if (/\.(m?[jt]sx?|html?)$/.test(file)) return [file];
	return [];
}

/**
 * @param {string} staged a staged name, relative
 * @returns {string} the project file it came from
 */
export function originalName(staged) {
	return staged.replace(/\.svelte\.(ts|html)$/, '.svelte');
}

/**
 * @param {{ id: string, file: string, location: { line: number, column: number },
 *   severity: { name: string }, confidence: { name: string } }} issue as the scanner returns it
 * @returns {Finding}
 */
export function toFinding(issue) {
	return {
		file:
			issue.file === PROJECT_WIDE ? PROJECT_WIDE : originalName(issue.file.split('\\').join('/')),
		check: issue.id,
		line: issue.location.line,
		column: issue.location.column,
		severity: issue.severity.name,
		confidence: issue.confidence.name,
	};
}

/**
 * The allowlist file, checked: `{ entries: [{ file, check, count, reason }] }`. `count` is how many findings
 * of that check in that file were reviewed, so a new one in an already listed file is not waved through.
 * @param {unknown} json
 * @returns {readonly AllowEntry[]}
 */
export function parseAllowlist(json) {
	const entries = /** @type {{ entries?: unknown }} */ (json)?.entries;
	if (!Array.isArray(entries)) throw new Error('the allowlist must be { "entries": [ … ] }');
	const seen = new Set();
	return entries.map((entry, index) => {
		const e = /** @type {Record<string, unknown>} */ (entry);
		const where = `allowlist entry ${index + 1}`;
		if (typeof e?.file !== 'string' || e.file === '')
			throw new Error(`${where}: "file" is missing`);
		if (typeof e.check !== 'string' || !/^[A-Z0-9_]+$/.test(e.check)) {
			throw new Error(`${where}: "check" must be a check id such as SANDBOX_JS_CHECK`);
		}
		if (typeof e.count !== 'number' || !Number.isInteger(e.count) || e.count < 1) {
			throw new Error(`${where}: "count" must be the number of findings reviewed (1 or more)`);
		}
		if (typeof e.reason !== 'string' || e.reason.trim().length < MIN_REASON_LENGTH) {
			throw new Error(`${where}: "reason" must say why (at least ${MIN_REASON_LENGTH} characters)`);
		}
		const extra = Object.keys(e).filter((k) => !['file', 'check', 'count', 'reason'].includes(k));
		if (extra.length > 0) throw new Error(`${where}: unknown field(s) ${extra.join(', ')}`);
		const key = `${e.file}\n${e.check}`;
		if (seen.has(key)) throw new Error(`${where}: ${e.check} in ${e.file} is listed twice`);
		seen.add(key);
		return { file: e.file, check: e.check, count: e.count, reason: e.reason };
	});
}

/**
 * Findings against the allowlist, by (file, check). More findings than an entry accepts are unreviewed;
 * fewer (or none) make the entry stale — both fail, so the list always says exactly what was reviewed.
 * @param {readonly Finding[]} findings
 * @param {readonly AllowEntry[]} allowlist
 * @returns {Comparison}
 */
export function compareWithAllowlist(findings, allowlist) {
	/** @type {Map<string, Finding[]>} */
	const groups = new Map();
	for (const f of findings) {
		const key = `${f.file}\n${f.check}`;
		groups.set(key, [...(groups.get(key) ?? []), f]);
	}
	const byKey = new Map(allowlist.map((e) => [`${e.file}\n${e.check}`, e]));
	/** @type {Finding[]} */
	const accepted = [];
	/** @type {{ file: string, check: string, found: Finding[], allowed: number }[]} */
	const unreviewed = [];
	/** @type {{ entry: AllowEntry, found: number }[]} */
	const stale = [];
	for (const [key, found] of groups) {
		const entry = byKey.get(key);
		const first = /** @type {Finding} */ (found[0]);
		if (entry === undefined || found.length > entry.count) {
			unreviewed.push({ file: first.file, check: first.check, found, allowed: entry?.count ?? 0 });
		} else {
			accepted.push(...found);
			if (found.length < entry.count) stale.push({ entry, found: found.length });
		}
	}
	for (const [key, entry] of byKey) if (!groups.has(key)) stale.push({ entry, found: 0 });
	return { accepted, unreviewed, stale };
}

/**
 * Every file under `entry` (a file or a folder, relative to `root`), relative to `root`, without node_modules.
 * @param {string} root
 * @param {string} entry
 * @returns {string[]}
 */
function listFiles(root, entry) {
	const full = path.join(root, entry);
	if (!statSync(full).isDirectory()) return [entry];
	return readdirSync(full, { recursive: true, withFileTypes: true })
		.filter((d) => d.isFile())
		.map((d) => path.relative(root, path.join(d.parentPath, d.name)).split(path.sep).join('/'))
		.filter((f) => !f.split('/').includes('node_modules'));
}

/**
 * The scanner's runner (its package's `main`, which its CLI calls too), with its HTTP client replaced
 * before it loads by one that answers every request "unavailable": the scanner fetches translations on
 * every run, and this keeps it offline by construction.
 * @returns {(options: object, forCli: boolean) => Promise<{ globalChecks: number, atomicChecks: number,
 *   issues: Parameters<typeof toFinding>[0][], errors: { file: string, message: string, tolerable: boolean }[] }>}
 */
function offlineRunner() {
	const requireFromScanner = createRequire(
		createRequire(import.meta.url).resolve('@doyensec/electronegativity/package.json'),
	);
	const gotPath = requireFromScanner.resolve('got');
	// A non-200 answer (not an error) makes the translation loader keep its bundled English, quietly.
	const offline = () => Promise.resolve({ statusCode: 503, body: '' });
	const stub = Object.assign(offline, { get: offline, head: offline });
	requireFromScanner.cache[gotPath] = /** @type {NodeJS.Module} */ (
		/** @type {unknown} */ ({ id: gotPath, filename: gotPath, loaded: true, exports: stub })
	);
	return requireFromScanner('./dist/runner.js');
}

/**
 * Scans `sources` (files or folders relative to `root`) in one run, so the project-wide checks see every
 * file together. They are staged in a temporary folder first (components split, see `stagedNames`).
 * @param {{ root: string, sources: readonly string[], electronVersion: string }} options
 * @returns {Promise<{ checks: number, files: number, findings: Finding[],
 *   unreadable: { file: string, message: string }[], warnings: { file: string, message: string }[] }>}
 */
export async function scanSources({ root, sources, electronVersion }) {
	const stage = mkdtempSync(path.join(tmpdir(), 'electronegativity-'));
	try {
		let files = 0;
		for (const file of sources.flatMap((s) => listFiles(root, s)).sort()) {
			for (const name of stagedNames(file)) {
				const target = path.join(stage, name);
				mkdirSync(path.dirname(target), { recursive: true });
				if (name.endsWith('.svelte.ts')) {
					writeFileSync(target, svelteScripts(readFileSync(path.join(root, file), 'utf8')));
				} else cpSync(path.join(root, file), target);
				files += 1;
			}
		}
		const result = await offlineRunner()(
			{
				input: stage,
				isRelative: true,
				customScan: [],
				excludeFromScan: NETWORK_CHECKS,
				// The staged folders have no package.json to detect it from; some checks depend on it.
				electronVersionOverride: electronVersion,
				parserPlugins: [],
			},
			false,
		);
		const problem = (/** @type {{ file: string, message: string }} */ e) => ({
			file: originalName(path.relative(stage, e.file).split(path.sep).join('/')),
			message: e.message,
		});
		return {
			checks: result.globalChecks + result.atomicChecks,
			files,
			findings: result.issues.map(toFinding),
			unreadable: result.errors.filter((e) => !e.tolerable).map(problem),
			warnings: result.errors.filter((e) => e.tolerable).map(problem),
		};
	} finally {
		rmSync(stage, { recursive: true, force: true });
	}
}
