/**
 * The Electronegativity gate (test/security/electronegativity.mjs, a step of test/run-all.sh): Svelte
 * components reach the scanner with their lines intact, the allowlist is strict about what a reviewed entry
 * is, findings beyond it fail and entries that no longer match are stale — and the real scanner, run offline
 * on a small planted project, finds what is wrong in TypeScript and in components, skips node_modules and
 * reports a file it cannot parse instead of calling it clean.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

interface Finding {
	readonly file: string;
	readonly check: string;
	readonly line: number;
	readonly column: number;
	readonly severity: string;
	readonly confidence: string;
}
interface AllowEntry {
	readonly file: string;
	readonly check: string;
	readonly count: number;
	readonly reason: string;
}
interface Problem {
	readonly file: string;
	readonly message: string;
}
/** What the plain-JavaScript module exports (it has no TypeScript declarations; these tests pin them). */
interface GateModule {
	PROJECT_WIDE: string;
	svelteScripts(source: string): string;
	stagedNames(file: string): readonly string[];
	originalName(staged: string): string;
	toFinding(issue: unknown): Finding;
	parseAllowlist(json: unknown): readonly AllowEntry[];
	compareWithAllowlist(
		findings: readonly Finding[],
		allowlist: readonly AllowEntry[],
	): {
		accepted: readonly Finding[];
		unreviewed: readonly {
			file: string;
			check: string;
			found: readonly Finding[];
			allowed: number;
		}[];
		stale: readonly { entry: AllowEntry; found: number }[];
	};
	scanSources(options: {
		root: string;
		sources: readonly string[];
		electronVersion: string;
	}): Promise<{
		checks: number;
		files: number;
		findings: Finding[];
		unreadable: Problem[];
		warnings: Problem[];
	}>;
}

const ROOT = path.resolve(import.meta.dirname, '../../..');
// A computed specifier: TypeScript would otherwise look for declarations the .mjs does not have.
const MODULE_URL = new URL('../../security/electronegativity-lib.mjs', import.meta.url).href;
const gate = (await import(MODULE_URL)) as GateModule;

const REASON = 'A reason long enough to say why this finding is acceptable here.';
const finding = (file: string, check: string, line = 1): Finding => ({
	file,
	check,
	line,
	column: 0,
	severity: 'MEDIUM',
	confidence: 'FIRM',
});

describe('Svelte components in front of the scanner', () => {
	const component = [
		'<script module lang="ts">',
		'\texport const answer = 42;',
		'</script>',
		'',
		'<script lang="ts">',
		'\tlet count = $state(0);',
		'</script>',
		'',
		'<button onclick={() => count++}>{count}</button>',
		'',
	].join('\n');

	it('keeps every script block where it was, and blanks the rest without moving a line', () => {
		const scripts = gate.svelteScripts(component);
		expect(scripts).toHaveLength(component.length);
		expect(scripts.split('\n').map((l) => l.trim())).toEqual([
			'',
			'export const answer = 42;',
			'',
			'',
			'',
			'let count = $state(0);',
			'',
			'',
			'',
			'',
		]);
		expect(scripts.indexOf('let count')).toBe(component.indexOf('let count'));
	});

	it('blanks a component without scripts entirely', () => {
		expect(gate.svelteScripts('<p>{name}</p>\n<b>x</b>')).toBe(
			`${' '.repeat(13)}\n${' '.repeat(8)}`,
		);
	});

	it('stages a component twice — its scripts as .ts, its markup as .html — and names it back', () => {
		const staged = gate.stagedNames('renderer/src/App.svelte');
		expect(staged).toEqual(['renderer/src/App.svelte.ts', 'renderer/src/App.svelte.html']);
		for (const name of staged) expect(gate.originalName(name)).toBe('renderer/src/App.svelte');
		expect(gate.stagedNames('main/index.ts')).toEqual(['main/index.ts']);
		expect(gate.stagedNames('renderer/index.html')).toEqual(['renderer/index.html']);
		expect(gate.stagedNames('renderer/src/app.css')).toEqual([]);
		expect(gate.originalName('main/index.ts')).toBe('main/index.ts');
	});

	it('names findings by project file and check', () => {
		const issue = {
			id: 'SANDBOX_JS_CHECK',
			file: 'renderer\\src\\App.svelte.ts',
			location: { line: 3, column: 7 },
			severity: { name: 'MEDIUM' },
			confidence: { name: 'FIRM' },
		};
		expect(gate.toFinding(issue)).toEqual({
			file: 'renderer/src/App.svelte',
			check: 'SANDBOX_JS_CHECK',
			line: 3,
			column: 7,
			severity: 'MEDIUM',
			confidence: 'FIRM',
		});
		expect(gate.toFinding({ ...issue, file: 'N/A' }).file).toBe(gate.PROJECT_WIDE);
	});
});

describe('the allowlist', () => {
	const entry = { file: 'main/index.ts', check: 'SANDBOX_JS_CHECK', count: 2, reason: REASON };

	it('accepts reviewed entries as they are', () => {
		expect(gate.parseAllowlist({ entries: [entry] })).toEqual([entry]);
	});

	it.each([
		['no entries list', { entry }, /"entries"/],
		['no file', { entries: [{ ...entry, file: '' }] }, /"file"/],
		['a check that is not an id', { entries: [{ ...entry, check: 'sandbox' }] }, /"check"/],
		['no count', { entries: [{ ...entry, count: undefined }] }, /"count"/],
		['a zero count', { entries: [{ ...entry, count: 0 }] }, /"count"/],
		['a fractional count', { entries: [{ ...entry, count: 1.5 }] }, /"count"/],
		['a reason that says nothing', { entries: [{ ...entry, reason: 'fine' }] }, /"reason"/],
		['an unknown field', { entries: [{ ...entry, line: 3 }] }, /unknown field/],
		['the same check and file twice', { entries: [entry, entry] }, /listed twice/],
	])('refuses %s', (_name, json, message) => {
		expect(() => gate.parseAllowlist(json)).toThrow(message);
	});

	it('the repository’s list is valid and names files that exist', async () => {
		const json: unknown = JSON.parse(
			await readFile(path.join(ROOT, 'test/security/electronegativity-allowlist.json'), 'utf8'),
		);
		const entries = gate.parseAllowlist(json);
		expect(entries.length).toBeGreaterThan(0);
		for (const e of entries) {
			if (e.file !== gate.PROJECT_WIDE)
				expect(existsSync(path.join(ROOT, e.file)), e.file).toBe(true);
		}
	});
});

describe('findings against the allowlist', () => {
	const allow = (file: string, check: string, count: number): AllowEntry => ({
		file,
		check,
		count,
		reason: REASON,
	});

	it('accepts exactly what was reviewed', () => {
		const findings = [finding('a.ts', 'X_CHECK', 1), finding('a.ts', 'X_CHECK', 9)];
		const result = gate.compareWithAllowlist(findings, [allow('a.ts', 'X_CHECK', 2)]);
		expect(result).toEqual({ accepted: findings, unreviewed: [], stale: [] });
	});

	it('fails a finding nobody reviewed, in a file or check not listed', () => {
		const result = gate.compareWithAllowlist(
			[finding('a.ts', 'X_CHECK'), finding('b.ts', 'X_CHECK'), finding('a.ts', 'Y_CHECK')],
			[allow('a.ts', 'X_CHECK', 1)],
		);
		expect(result.unreviewed.map((u) => [u.file, u.check, u.allowed])).toEqual([
			['b.ts', 'X_CHECK', 0],
			['a.ts', 'Y_CHECK', 0],
		]);
		expect(result.accepted).toHaveLength(1);
	});

	it('fails a new finding in an already listed file and check (more than the count)', () => {
		const result = gate.compareWithAllowlist(
			[finding('a.ts', 'X_CHECK', 1), finding('a.ts', 'X_CHECK', 2), finding('a.ts', 'X_CHECK', 3)],
			[allow('a.ts', 'X_CHECK', 2)],
		);
		expect(result.unreviewed).toHaveLength(1);
		expect(result.unreviewed[0]!.found).toHaveLength(3);
		expect(result.accepted).toEqual([]);
	});

	it('calls an entry stale when its findings are gone or fewer than it says', () => {
		const result = gate.compareWithAllowlist(
			[finding('a.ts', 'X_CHECK')],
			[allow('a.ts', 'X_CHECK', 2), allow('gone.ts', 'Y_CHECK', 1)],
		);
		expect(result.stale.map((s) => [s.entry.file, s.found])).toEqual([
			['a.ts', 1],
			['gone.ts', 0],
		]);
		expect(result.unreviewed).toEqual([]);
	});
});

describe('the scanner, offline, on a planted project', () => {
	let root: string;
	afterAll(async () => {
		await rm(root, { recursive: true, force: true });
	});

	it('finds what is wrong in TypeScript and in components, skips node_modules, and reports an unparsable file', async () => {
		root = await mkdtemp(path.join(tmpdir(), 'electronegativity-planted-'));
		const put = async (file: string, text: string) => {
			await mkdir(path.dirname(path.join(root, file)), { recursive: true });
			await writeFile(path.join(root, file), text);
		};
		await put(
			'main/window.ts',
			[
				"import { BrowserWindow } from 'electron';",
				'export const open = (): BrowserWindow =>',
				'\tnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } });',
				'',
			].join('\n'),
		);
		await put('main/broken.ts', 'export const = ;\n');
		await put('main/node_modules/dep/index.js', 'new BrowserWindow({});\n');
		await put(
			'renderer/src/Embed.svelte',
			[
				'<script lang="ts">',
				'\tlet { src }: { src: string } = $props();',
				'</script>',
				'',
				'<webview {src} allowpopups></webview>',
				'',
			].join('\n'),
		);

		const scan = await gate.scanSources({
			root,
			sources: ['main', 'renderer/src'],
			electronVersion: '45.6.1',
		});
		const named = scan.findings.map((f) => `${f.file}:${f.line} ${f.check}`);
		expect(named).toContain('main/window.ts:3 NODE_INTEGRATION_JS_CHECK');
		expect(named).toContain('main/window.ts:3 CONTEXT_ISOLATION_JS_CHECK');
		expect(named).toContain('renderer/src/Embed.svelte:5 ALLOWPOPUPS_HTML_CHECK');
		expect(scan.findings.some((f) => f.file.includes('node_modules'))).toBe(false);
		expect(scan.unreadable.map((e) => e.file)).toEqual(['main/broken.ts']);
		// window.ts, broken.ts and the component as .ts and .html; not the dependency.
		expect(scan.files).toBe(4);
		expect(gate.compareWithAllowlist(scan.findings, []).unreviewed.length).toBeGreaterThan(0);
	}, 60_000);
});
