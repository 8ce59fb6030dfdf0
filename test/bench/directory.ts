/**
 * Benchmark: the directory of installations at scale. Seeds one sandbox account with 1,000 installations,
 * then 4,000 more (5,000), and at each count runs every installation's directory logic — main's own
 * `Directory` over the real `telnyx` library, one instance per installation (test/bench/directory-fleet.ts) —
 * with a simulated clock: users start their apps at random minutes of an hour, then focus the window or open
 * the dialer every 2–10 minutes, and one time in ten type another installation's name. Day 1 is every app's
 * first start ever (no directory kept); after a 14-hour night, day 2 starts every app again with the page it
 * kept on disk, and runs two hours.
 *
 * Prints the account-wide directory requests per minute (min / median / max over the minutes, counted in the
 * sandbox's request log) for day 1's first hour, day 2's start-up hour and the hour after it, against the goal
 * (60 a minute, 10 % of a 600-a-minute account limit). For comparison, the old policy (every 2 minutes, on focus, every page):
 * simulated for a sample of installations with the sandbox's rate limit lifted (it would refuse most of it),
 * its counts scaled to the whole account.
 *
 *   npm run bench:directory          (tsx test/bench/directory.ts)
 *
 * Exits by itself; exit code 1 when any minute of day 2 goes over the goal.
 */
import { performance } from 'node:perf_hooks';
import { DIRECTORY_BUDGET_PER_MINUTE } from '../../main/telnyx/directory-policy';
import { startSandbox } from '../sandbox/sandbox';
import type { CredentialRecord } from '../sandbox/store';
import type { DirectorySnapshot } from '../../main/telnyx/directory';
import { MINUTE, SimulatedClock, runFleet, spread, type Spread } from './directory-fleet';

const COUNTS = [1_000, 5_000] as const;
/** Installations simulated for the old policy: its cost is the same for each, so a sample is scaled up. */
const OLD_SAMPLE = 10;
const OLD_MINUTES = 20;

const show = (s: Spread) =>
	`min ${s.min.toFixed(0)}, median ${s.median.toFixed(0)}, max ${s.max.toFixed(0)} (mean ${s.mean.toFixed(1)})`;

async function measureNew(): Promise<{ lines: string[]; worst: number }> {
	const clock = new SimulatedClock();
	// The sandbox's clock is the simulation's: its 600-a-minute limit and its log are in simulated minutes.
	const sandbox = await startSandbox({ now: clock.date, specTally: null });
	const lines: string[] = [];
	let worst = 0;
	try {
		const account = sandbox.admin.createAccount();
		const installations: CredentialRecord[] = [];
		for (const count of COUNTS) {
			const seeded = sandbox.admin.seedInstallations({
				count: count - installations.length,
				apiKey: account.apiKey,
			});
			installations.unshift(...seeded);
			const began = performance.now();
			const kept = new Map<number, DirectorySnapshot>();
			const fleet = { sandbox, clock, apiKey: account.apiKey, installations, running: count };
			const day1 = await runFleet({
				...fleet,
				policy: 'new',
				minutes: 60,
				startMinutes: 60,
				seed: count,
				snapshots: kept,
			});
			clock.time += 14 * 60 * MINUTE;
			const day2 = await runFleet({
				...fleet,
				policy: 'new',
				minutes: 120,
				startMinutes: 60,
				seed: count + 1,
				snapshots: kept,
			});
			const first = spread(day1.perMinute);
			const startUp = spread(day2.perMinute.slice(0, 60));
			const after = spread(day2.perMinute.slice(60));
			worst = Math.max(worst, startUp.max, after.max);
			const asks = day1.asks + day2.asks;
			lines.push(
				`${count.toLocaleString('en')} installations, all running (${asks.toLocaleString('en')} asks, ${((performance.now() - began) / 1000).toFixed(1)} s):`,
				`  day 1, every app's first start ever, spread over the hour: ${show(first)} requests/min`,
				`  day 2, start-up hour (the page kept on disk):            ${show(startUp)} requests/min`,
				`  day 2, the hour after:                                   ${show(after)} requests/min`,
				`  day 2: searches for a name not in the cache ${day2.searchesWanted}, found ${day2.searchesFound} (the rest waited for the budget); 429s ${day1.limited + day2.limited}; failed asks ${day1.failures + day2.failures}`,
			);
		}
	} finally {
		await sandbox.close();
	}
	return { lines, worst };
}

async function measureOld(): Promise<string[]> {
	const clock = new SimulatedClock();
	// The limit lifted: this counts what the old policy asks for, not what Telnyx would let through.
	const sandbox = await startSandbox({ now: clock.date, specTally: null, rateLimit: 1e9 });
	const lines: string[] = [];
	try {
		const account = sandbox.admin.createAccount();
		const installations: CredentialRecord[] = [];
		for (const count of COUNTS) {
			installations.unshift(
				...sandbox.admin.seedInstallations({
					count: count - installations.length,
					apiKey: account.apiKey,
				}),
			);
			const run = await runFleet({
				sandbox,
				clock,
				apiKey: account.apiKey,
				installations,
				running: OLD_SAMPLE,
				policy: 'old',
				minutes: OLD_MINUTES,
				startMinutes: 2,
				seed: count,
			});
			// Minutes 4+ (every sampled app started and on its timer), scaled from the sample to the account.
			const scaled = run.perMinute.slice(4).map((n) => (n * count) / OLD_SAMPLE);
			lines.push(
				`${count.toLocaleString('en')} installations (${OLD_SAMPLE} simulated for ${OLD_MINUTES} min, scaled ×${count / OLD_SAMPLE}): ${show(spread(scaled))} requests/min`,
			);
		}
	} finally {
		await sandbox.close();
	}
	return lines;
}

async function main(): Promise<void> {
	const fresh = await measureNew();
	const old = await measureOld();
	console.log(
		[
			`Directory of installations: account-wide REST requests per minute (goal ≤ ${DIRECTORY_BUDGET_PER_MINUTE}, 10 % of 600)`,
			'',
			'New policy (main/telnyx/directory-policy.ts):',
			...fresh.lines,
			'',
			'Old policy (every 2 minutes, on focus and registration, every page):',
			...old,
			'',
			`Worst minute of day 2, new policy: ${fresh.worst} (${fresh.worst <= DIRECTORY_BUDGET_PER_MINUTE ? 'within' : 'OVER'} the goal)`,
		].join('\n'),
	);
	if (fresh.worst > DIRECTORY_BUDGET_PER_MINUTE) process.exitCode = 1;
}

await main();
