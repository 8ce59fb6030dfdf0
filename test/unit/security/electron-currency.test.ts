/**
 * Is the installed Electron current (issue 11, D4)? The decision (test/security/electron-currency.mjs) is
 * checked on fixtures; the registry query on a fake `npm`; and the installed version against the real
 * registry where it answers. In the test tiers' loopback-only namespace it cannot, so that test is skipped
 * and says why in its name — CI asks the registry from outside the namespace instead (test/run-all.sh,
 * step electron-currency).
 */
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

interface StableVersion {
	readonly text: string;
	readonly major: number;
	readonly minor: number;
	readonly patch: number;
}
interface CurrencyVerdict {
	readonly current: boolean;
	readonly problems: readonly string[];
	readonly summary: string;
	readonly supportedMajors: readonly number[];
	readonly newestInLine: string | null;
}
type RegistryAnswer =
	| { readonly reachable: true; readonly versions: readonly string[] }
	| { readonly reachable: false; readonly reason: string };
/** What the plain-JavaScript module exports (it has no TypeScript declarations; these tests pin them). */
interface CurrencyModule {
	SUPPORTED_MAJORS: number;
	parseStable(text: string): StableVersion | null;
	electronCurrencyVerdict(published: readonly string[], installed: string): CurrencyVerdict;
	installedElectronVersion(lock: unknown): string;
	interpretNpmView(result: {
		exitCode: number | null;
		stdout: string;
		timedOut: boolean;
		spawnError?: string;
	}): RegistryAnswer;
	queryPublishedVersions(options?: {
		timeoutMs?: number;
		graceMs?: number;
		npm?: string;
	}): Promise<RegistryAnswer>;
}

const ROOT = path.resolve(import.meta.dirname, '../../..');
// A computed specifier: TypeScript would otherwise look for declarations the .mjs does not have.
const MODULE_URL = new URL('../../security/electron-currency.mjs', import.meta.url).href;
const currency = (await import(MODULE_URL)) as CurrencyModule;
const { electronCurrencyVerdict: verdict } = currency;

/** A slice of Electron's real version list: prereleases and nightlies mixed in, not in semver order. */
const PUBLISHED = [
	'42.11.16',
	'42.11.18',
	'42.11.17',
	'43.8.13',
	'43.0.0-beta.3',
	'44.11.5',
	'44.11.4',
	'45.0.0-alpha.10',
	'45.0.0',
	'45.4.1',
	'45.5.0',
	'45.6.0',
	'45.6.1',
	'46.0.0-nightly.20261201',
	'46.0.0-beta.2',
];

describe('electron currency verdict (fixtures)', () => {
	it('passes the newest release of the newest major', () => {
		const v = verdict(PUBLISHED, '45.6.1');
		expect(v.problems).toEqual([]);
		expect(v.current).toBe(true);
		expect(v.supportedMajors).toEqual([45, 44, 43]);
		expect(v.newestInLine).toBe('45.6.1');
	});

	it('fails 45.5.0 once 45.6.1 is out, naming the release to move to (D4)', () => {
		const v = verdict(PUBLISHED, '45.5.0');
		expect(v.current).toBe(false);
		expect(v.problems).toEqual(['electron 45.5.0 is behind 45.6.1, the newest release of 45.x']);
	});

	it('passes the newest release of an older line that is still supported', () => {
		expect(verdict(PUBLISHED, '44.11.5').current).toBe(true);
		expect(verdict(PUBLISHED, '43.8.13').current).toBe(true);
	});

	it('fails a major outside the newest three even when it is the newest of its line', () => {
		const v = verdict(PUBLISHED, '42.11.18');
		expect(v.current).toBe(false);
		expect(v.problems).toEqual([
			'Electron 42 is out of support: only the newest 3 major lines get fixes (45, 44, 43)',
		]);
		expect(v.summary).toContain('a newer major exists (45.6.1)');
	});

	it('reports both problems of an old release on an unsupported line', () => {
		expect(verdict(PUBLISHED, '42.11.16').problems).toHaveLength(2);
	});

	it('ignores prereleases: a beta neither opens a major line nor is a newer patch', () => {
		// 46 exists only as nightlies and betas, so 43 is still one of the three supported lines.
		expect(verdict(PUBLISHED, '43.8.13').supportedMajors).toEqual([45, 44, 43]);
		expect(verdict([...PUBLISHED, '45.6.2-beta.1'], '45.6.1').current).toBe(true);
		expect(verdict([...PUBLISHED, '46.0.0'], '43.8.13').current).toBe(false);
	});

	it('compares numerically, not as text (45.10.0 is newer than 45.9.0)', () => {
		const v = verdict(['45.9.0', '45.10.0', '45.2.0'], '45.9.0');
		expect(v.newestInLine).toBe('45.10.0');
		expect(v.current).toBe(false);
	});

	it('does not depend on the order of the list', () => {
		const reversed = [...PUBLISHED].reverse();
		for (const installed of ['45.6.1', '45.5.0', '42.11.18']) {
			expect(verdict(reversed, installed)).toEqual(verdict(PUBLISHED, installed));
		}
	});

	it('fails an installed prerelease, an unpublished version and an empty list', () => {
		expect(verdict(PUBLISHED, '46.0.0-beta.2').problems).toEqual([
			'electron 46.0.0-beta.2 is not a stable release (x.y.z)',
		]);
		expect(verdict(PUBLISHED, '45.7.0').problems).toEqual([
			'electron 45.7.0 is not a published release',
		]);
		expect(verdict([], '45.6.1').current).toBe(false);
		expect(verdict(['46.0.0-beta.2'], '45.6.1').current).toBe(false);
	});

	it('parses only plain x.y.z releases', () => {
		expect(currency.parseStable('45.6.1')).toEqual({
			text: '45.6.1',
			major: 45,
			minor: 6,
			patch: 1,
		});
		for (const text of ['45.6', '45.6.1-beta.1', 'v45.6.1', '045.6.1', '45.6.1 ', '']) {
			expect(currency.parseStable(text)).toBeNull();
		}
	});
});

describe('the installed version', () => {
	const lock: unknown = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
	const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
		devDependencies: Record<string, string>;
	};

	it('is read from the lockfile, and package.json pins exactly that version', () => {
		const installed = currency.installedElectronVersion(lock);
		expect(currency.parseStable(installed)).not.toBeNull();
		expect(pkg.devDependencies['electron']).toBe(installed);
	});

	it('is an error, not a guess, when the lockfile has no electron', () => {
		expect(() => currency.installedElectronVersion({ packages: {} })).toThrow(/does not install/);
		expect(() => currency.installedElectronVersion(null)).toThrow(/does not install/);
	});
});

describe('asking the registry', () => {
	it('reads a version list, and a bare string (a package with one version)', () => {
		expect(
			currency.interpretNpmView({ exitCode: 0, stdout: '["45.6.0","45.6.1"]', timedOut: false }),
		).toEqual({ reachable: true, versions: ['45.6.0', '45.6.1'] });
		expect(currency.interpretNpmView({ exitCode: 0, stdout: '"1.0.0"', timedOut: false })).toEqual({
			reachable: true,
			versions: ['1.0.0'],
		});
	});

	it('calls a failed lookup unreachable, with the reason npm gives', () => {
		// What npm printed inside a loopback-only network namespace.
		const offline = JSON.stringify({
			error: { code: 'EAI_AGAIN', summary: 'request to … failed, reason: getaddrinfo EAI_AGAIN' },
		});
		expect(currency.interpretNpmView({ exitCode: 1, stdout: offline, timedOut: false })).toEqual({
			reachable: false,
			reason: 'EAI_AGAIN',
		});
		expect(currency.interpretNpmView({ exitCode: 1, stdout: '', timedOut: false })).toEqual({
			reachable: false,
			reason: 'npm exited with 1',
		});
		expect(currency.interpretNpmView({ exitCode: null, stdout: '', timedOut: true })).toEqual({
			reachable: false,
			reason: 'no answer in time',
		});
		expect(
			currency.interpretNpmView({
				exitCode: null,
				stdout: '',
				timedOut: false,
				spawnError: 'spawn npm ENOENT',
			}),
		).toEqual({ reachable: false, reason: 'npm could not be run (spawn npm ENOENT)' });
	});

	it('throws on an answer that is not a version list, rather than calling it offline', () => {
		expect(() =>
			currency.interpretNpmView({ exitCode: 0, stdout: '{"latest":"45.6.1"}', timedOut: false }),
		).toThrow(/not a version list/);
		expect(() =>
			currency.interpretNpmView({ exitCode: 0, stdout: 'not json', timedOut: false }),
		).toThrow();
	});

	describe('through a fake npm', () => {
		const dirs: string[] = [];
		let dir = '';
		const fakeNpm = async (body: string): Promise<string> => {
			dir = await mkdtemp(path.join(tmpdir(), 'fake-npm-'));
			dirs.push(dir);
			const file = path.join(dir, 'npm');
			await writeFile(file, `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/args"\n${body}\n`);
			await chmod(file, 0o755);
			return file;
		};
		afterAll(async () => {
			for (const d of dirs) await rm(d, { recursive: true, force: true });
		});

		it('asks with a fresh cache and no retries, so a stale cached list can never pass', async () => {
			const npm = await fakeNpm(`echo '["45.6.1"]'`);
			expect(await currency.queryPublishedVersions({ npm })).toEqual({
				reachable: true,
				versions: ['45.6.1'],
			});
			const args = (await readFile(path.join(dir, 'args'), 'utf8')).trim().split('\n');
			expect(args.slice(0, 4)).toEqual(['view', 'electron', 'versions', '--json']);
			expect(args).toContain('--fetch-retries=0');
			expect(args).toContain('--offline=false');
			const cache = args.find((a) => a.startsWith('--cache='))?.slice('--cache='.length);
			expect(cache).toMatch(/electron-currency-/);
			// The throwaway cache is gone afterwards.
			expect(existsSync(cache!)).toBe(false);
		});

		it('gives up on an npm that hangs, and reports it unreachable', async () => {
			const npm = await fakeNpm('exec sleep 30');
			const started = Date.now();
			expect(await currency.queryPublishedVersions({ npm, timeoutMs: 100, graceMs: 100 })).toEqual({
				reachable: false,
				reason: 'no answer in time',
			});
			expect(Date.now() - started).toBeLessThan(5_000);
		});
	});
});

// Asked once, while the tests are collected, so the test's name can say whether (and why) it is skipped.
const lockfile: unknown = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
const installed = currency.installedElectronVersion(lockfile);
const registry = await currency.queryPublishedVersions({ timeoutMs: 8_000 });

describe('the installed Electron against the npm registry', () => {
	it.skipIf(!registry.reachable)(
		registry.reachable
			? `electron ${installed} is the newest release of a supported major`
			: `electron ${installed} is current — skipped: npm registry unreachable (${registry.reason})`,
		() => {
			if (!registry.reachable) return;
			const v = verdict(registry.versions, installed);
			expect(v.problems, v.summary).toEqual([]);
		},
	);
});
