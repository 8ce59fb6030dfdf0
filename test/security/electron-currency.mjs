// Is the installed Electron current? Electron supports its three newest stable major lines and ships
// security fixes only as new releases of those lines, so "current" means: a supported major, and the newest
// stable release of that major. The decision is pure (a list of published versions and the installed one in,
// a verdict out) so it is tested on fixtures; asking the registry is a separate, small step that says when
// it could not get an answer, because a check that could not run must be reported as skipped, not passed.
//
// Plain JavaScript (like test/support/summarize.mjs) so CI can run it with bare node outside the test tiers.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Electron's support policy: the newest three stable major lines get fixes. */
export const SUPPORTED_MAJORS = 3;

/**
 * @typedef {{ readonly text: string, readonly major: number, readonly minor: number, readonly patch: number }} StableVersion
 * @typedef {{
 *   readonly current: boolean,
 *   readonly problems: readonly string[],
 *   readonly summary: string,
 *   readonly supportedMajors: readonly number[],
 *   readonly newestInLine: string | null,
 * }} CurrencyVerdict
 * @typedef {{ readonly reachable: true, readonly versions: readonly string[] }
 *   | { readonly reachable: false, readonly reason: string }} RegistryAnswer
 */

/**
 * A stable release ("45.6.1"), or null for anything else: prereleases ("46.0.0-beta.2", nightlies) are not
 * releases anyone should ship, so they neither count as a newer patch nor open a new major line.
 * @param {string} text
 * @returns {StableVersion | null}
 */
export function parseStable(text) {
	const match = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(text);
	if (match === null) return null;
	return { text, major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/**
 * @param {StableVersion} a
 * @param {StableVersion} b
 */
export function compareVersions(a, b) {
	return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/**
 * The verdict for `installed` given every version the registry lists (in any order).
 * @param {readonly string[]} published
 * @param {string} installed
 * @param {number} [supported]
 * @returns {CurrencyVerdict}
 */
export function electronCurrencyVerdict(published, installed, supported = SUPPORTED_MAJORS) {
	const stable = published
		.map(parseStable)
		.filter((v) => v !== null)
		.sort(compareVersions);
	const mine = parseStable(installed);
	const majors = [...new Set(stable.map((v) => v.major))].sort((a, b) => b - a);
	const supportedMajors = majors.slice(0, supported);
	if (stable.length === 0) {
		return {
			current: false,
			problems: ['the registry lists no stable Electron release, so nothing can be compared'],
			summary: `electron ${installed}: cannot be judged`,
			supportedMajors,
			newestInLine: null,
		};
	}
	if (mine === null) {
		return {
			current: false,
			problems: [`electron ${installed} is not a stable release (x.y.z)`],
			summary: `electron ${installed}: not a stable release`,
			supportedMajors,
			newestInLine: null,
		};
	}
	const line = stable.filter((v) => v.major === mine.major);
	const newestOfLine = line.at(-1);
	const newestInLine = newestOfLine?.text ?? null;
	const problems = [];
	if (!stable.some((v) => v.text === mine.text)) {
		problems.push(`electron ${mine.text} is not a published release`);
	}
	if (!supportedMajors.includes(mine.major)) {
		problems.push(
			`Electron ${mine.major} is out of support: only the newest ${supported} major lines get fixes (${supportedMajors.join(', ')})`,
		);
	}
	if (newestOfLine !== undefined && compareVersions(newestOfLine, mine) > 0) {
		problems.push(
			`electron ${mine.text} is behind ${newestOfLine.text}, the newest release of ${mine.major}.x`,
		);
	}
	const newest = stable.at(-1);
	const newer =
		newest !== undefined && newest.major > mine.major
			? `; a newer major exists (${newest.text})`
			: '';
	return {
		current: problems.length === 0,
		problems,
		summary:
			problems.length === 0
				? `electron ${mine.text} is current: the newest release of ${mine.major}.x, a supported major (${supportedMajors.join(', ')})${newer}`
				: `electron ${mine.text} is not current: ${problems.join('; ')}${newer}`,
		supportedMajors,
		newestInLine,
	};
}

/**
 * The Electron version the lockfile installs.
 * @param {unknown} lock package-lock.json, parsed
 * @returns {string}
 */
export function installedElectronVersion(lock) {
	const version = /** @type {{ packages?: Record<string, { version?: unknown }> }} */ (lock)
		?.packages?.['node_modules/electron']?.version;
	if (typeof version !== 'string') {
		throw new Error(
			'package-lock.json does not install electron (no packages["node_modules/electron"])',
		);
	}
	return version;
}

/**
 * What `npm view electron versions --json` said. A failure to get an answer (no network, DNS, time-out, a
 * registry error) is "unreachable" with the reason; an answer that is not a version list is a bug here or a
 * change in npm, and throws rather than being mistaken for "offline".
 * @param {{ exitCode: number | null, stdout: string, timedOut: boolean, spawnError?: string }} result
 * @returns {RegistryAnswer}
 */
export function interpretNpmView({ exitCode, stdout, timedOut, spawnError }) {
	if (spawnError !== undefined)
		return { reachable: false, reason: `npm could not be run (${spawnError})` };
	if (timedOut) return { reachable: false, reason: 'no answer in time' };
	if (exitCode !== 0) {
		/** @type {unknown} */
		let parsed;
		try {
			parsed = JSON.parse(stdout);
		} catch {
			parsed = undefined;
		}
		const code = /** @type {{ error?: { code?: unknown } } | undefined} */ (parsed)?.error?.code;
		return {
			reachable: false,
			reason: typeof code === 'string' ? code : `npm exited with ${String(exitCode)}`,
		};
	}
	/** @type {unknown} */
	const versions = JSON.parse(stdout);
	// npm prints a bare string when a package has exactly one version.
	if (typeof versions === 'string') return { reachable: true, versions: [versions] };
	if (Array.isArray(versions) && versions.every((v) => typeof v === 'string')) {
		return { reachable: true, versions };
	}
	throw new Error(`npm view electron versions answered something that is not a version list`);
}

/**
 * Asks the registry npm is configured for (the ordinary client, so the machine's npm settings apply). A
 * fresh cache folder: npm would otherwise answer from its cache when the network is down, and a stale list
 * would pass a check that never reached the registry. No retries: an unreachable registry fails fast.
 * @param {{ timeoutMs?: number, graceMs?: number, npm?: string }} [options] `timeoutMs` for npm's own
 *   request, `graceMs` more before npm itself is killed; `npm` is the command (a test passes a fake)
 * @returns {Promise<RegistryAnswer>}
 */
export async function queryPublishedVersions({
	timeoutMs = 15_000,
	graceMs = 5_000,
	npm = 'npm',
} = {}) {
	const cache = await mkdtemp(path.join(tmpdir(), 'electron-currency-'));
	try {
		const args = [
			'view',
			'electron',
			'versions',
			'--json',
			`--cache=${cache}`,
			'--offline=false',
			'--prefer-offline=false',
			'--fetch-retries=0',
			`--fetch-timeout=${timeoutMs}`,
			'--no-update-notifier',
		];
		const result = await new Promise((resolve) => {
			const child = spawn(npm, args, { stdio: ['ignore', 'pipe', 'ignore'] });
			let stdout = '';
			let settled = false;
			/** @param {{ exitCode: number | null, timedOut: boolean, spawnError?: string }} outcome */
			const settle = (outcome) => {
				if (settled) return;
				settled = true;
				clearTimeout(timer);
				resolve({ ...outcome, stdout });
			};
			// Settles at once on a time-out: a grandchild still holding the pipe must not keep us waiting.
			const timer = setTimeout(() => {
				child.kill('SIGKILL');
				child.stdout.destroy();
				settle({ exitCode: null, timedOut: true });
			}, timeoutMs + graceMs);
			child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
			child.on('error', (error) =>
				settle({ exitCode: null, timedOut: false, spawnError: error.message }),
			);
			child.on('close', (exitCode) => settle({ exitCode, timedOut: false }));
		});
		return interpretNpmView(result);
	} finally {
		await rm(cache, { recursive: true, force: true });
	}
}
