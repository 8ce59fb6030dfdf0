/**
 * `npm run soak`: two app instances (the harness: real main services, the built renderer, the real SDK in
 * Chromium) place N calls through the sandbox, audio checked both ways on every call, while a seeded chaos
 * schedule injects faults between and during calls. It prints, as SIPp does, what was attempted, what
 * succeeded, what failed and why, and exits 1 when a call was lost without a reason in words, a peer
 * connection or media track outlived its call, or the renderer's heap grew past the limit.
 *
 *   SOAK_CALLS (200)   SOAK_SEED (random; printed, so any run can be replayed)   SOAK_MEDIA_MS (2500)
 *   SOAK_HEAP_LIMIT_MB (10)   SOAK_REPORT (a JSON file for the figures)
 *
 * Faults (chosen per call by the seeded schedule; their weights are below):
 * - `drop-idle`: one side's socket cut without a close frame between calls (the SDK reconnects by itself);
 * - `drop-mid-call`: the caller's socket cut during the call (the sandbox reattaches the call on reconnect);
 * - `half-open-idle`: one side's socket goes silent between calls (the SDK's health probe finds it, ~25 s);
 * - `rest-5xx`: Telnyx answers the directory with 500s while the call is placed (the app keeps calling);
 * - `refused-login`: the next sign-in after a drop is refused once (the app signs in again).
 * Not injected here (each has its own test): latency and duplicated frames (a fault proxy), token expiry,
 * a sandbox restart and a slow keychain.
 */
import { writeFile } from 'node:fs/promises';
import { chromium, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/support/chromium';
import globalSetup from '../e2e/support/global-setup';
import { launchApp, type AppInstance } from '../e2e/support/app-harness';
import { inboundCounters, onboard, PEER_CONNECTION_SPY } from '../e2e/support/softphone-helpers';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';

const CALLS = Number(process.env['SOAK_CALLS'] ?? 200);
const SEED = Number(process.env['SOAK_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const MEDIA_MS = Number(process.env['SOAK_MEDIA_MS'] ?? 2500);
const HEAP_LIMIT = Number(process.env['SOAK_HEAP_LIMIT_MB'] ?? 10) * 1024 * 1024;
const REPORT = process.env['SOAK_REPORT'];

type Fault =
	'none' | 'drop-idle' | 'drop-mid-call' | 'half-open-idle' | 'rest-5xx' | 'refused-login';
/** How often each fault is picked, per call. The half-open one costs ~25 s, so it is rare. */
const WEIGHTS: readonly (readonly [Fault, number])[] = [
	['none', 60],
	['drop-idle', 10],
	['drop-mid-call', 12],
	['half-open-idle', 3],
	['rest-5xx', 8],
	['refused-login', 7],
];

/** mulberry32: a small seeded PRNG, so a printed seed replays the same schedule. */
function random(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function pick(next: () => number): Fault {
	const total = WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
	let roll = next() * total;
	for (const [fault, weight] of WEIGHTS) {
		roll -= weight;
		if (roll < 0) return fault;
	}
	return 'none';
}

/** Live media tracks the page opened (getUserMedia wrapped before the app loads). Test instrumentation. */
const TRACK_SPY = `(() => {
	const tracks = [];
	Object.defineProperty(window, '__tracks', { value: tracks });
	const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
	navigator.mediaDevices.getUserMedia = async (constraints) => {
		const stream = await gum(constraints);
		tracks.push(...stream.getTracks());
		return stream;
	};
})();`;

interface Leftovers {
	readonly peerConnections: number;
	readonly tracks: number;
}

async function leftovers(page: Page): Promise<Leftovers> {
	return page.evaluate(() => {
		const w = window as unknown as {
			__peerConnections: RTCPeerConnection[];
			__tracks: MediaStreamTrack[];
		};
		return {
			peerConnections: w.__peerConnections.filter((pc) => pc.connectionState !== 'closed').length,
			tracks: w.__tracks.filter((track) => track.readyState === 'live').length,
		};
	});
}

async function heapAfterGc(page: Page): Promise<number> {
	const session = await page.context().newCDPSession(page);
	await session.send('HeapProfiler.collectGarbage');
	const { usedSize } = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
	await session.detach();
	return usedSize;
}

const status = (page: Page) => page.getByTestId('connection-status').textContent();

/** Waits for "Ready" and answers how long it took. */
async function ready(page: Page, timeoutMs = 60_000): Promise<number> {
	const started = Date.now();
	await page
		.getByTestId('connection-status')
		.filter({ hasText: /^Ready$/ })
		.waitFor({ timeout: timeoutMs });
	return Date.now() - started;
}

const logins = (sandbox: Sandbox, since: number) =>
	sandbox.admin
		.frames()
		.filter((f) => f.direction === 'in' && f.method === 'login' && Date.parse(f.time) >= since)
		.length;

/** Audio packets arriving on both sides over ~1 s. */
async function audioFlowing(alice: Page, bob: Page): Promise<boolean> {
	const before = await Promise.all([inboundCounters(alice), inboundCounters(bob)]);
	await alice.waitForTimeout(1000);
	const after = await Promise.all([inboundCounters(alice), inboundCounters(bob)]);
	return after.every(
		(counters, i) => counters.audioPacketsReceived > before[i]!.audioPacketsReceived,
	);
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await check()) return true;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	return false;
}

const percentile = (values: readonly number[], p: number): number | null => {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

interface Outcome {
	readonly call: number;
	readonly fault: Fault;
	readonly ok: boolean;
	/** Why it failed, in the app's words (or the soak's, when the app said nothing). */
	readonly cause: string | null;
	/** The app gave a reason in words for the failure (a failure without one is a lost call). */
	readonly stated: boolean;
	readonly recoveredMidCall: boolean;
}

async function main(): Promise<void> {
	process.stdout.write(`soak: ${CALLS} calls, seed ${SEED} (replay: SOAK_SEED=${SEED})\n`);
	await globalSetup();
	const browser = await chromium.launch(chromiumLaunchOptions());
	// New credentials may sign in at once: the soak is about calls, not Telnyx's propagation delay.
	const sandbox = await startSandbox({ signalling: { credentialPropagationMs: 0 } });
	const endpoints = { restBaseUrl: sandbox.restBaseUrl, signallingUrl: sandbox.signallingUrl };
	const initScripts = [PEER_CONNECTION_SPY, TRACK_SPY];
	const instances: AppInstance[] = [];
	const next = random(SEED);
	const outcomes: Outcome[] = [];
	const reconnects: number[] = [];
	const readyAfterDrop: number[] = [];
	const heap: { call: number; bytes: number }[] = [];
	const leaks: { call: number; side: string; found: Leftovers }[] = [];
	try {
		const bob = await launchApp(browser, { endpoints, deviceName: 'Bob desktop', initScripts });
		instances.push(bob);
		await onboard(bob.page, sandbox.apiKey, { name: 'Bob', number: null });
		const alice = await launchApp(browser, { endpoints, deviceName: 'Alice laptop', initScripts });
		instances.push(alice);
		await onboard(alice.page, sandbox.apiKey, { name: 'Alice', number: null });
		const users = {
			alice: alice.services.settings.get().provisioned!.sipUsername,
			bob: bob.services.settings.get().provisioned!.sipUsername,
		};
		heap.push({ call: 0, bytes: await heapAfterGc(alice.page) });

		/** Cuts a side's socket and measures the way back to Ready. */
		const dropAndRecover = async (who: 'alice' | 'bob', how: 'drop' | 'silence') => {
			const page = who === 'alice' ? alice.page : bob.page;
			const since = Date.now();
			if (how === 'drop') sandbox.admin.drop(users[who]);
			else sandbox.admin.silence(users[who]);
			// The status leaves Ready first (at once for a cut; after the health probe for silence).
			await until(async () => (await status(page)) !== 'Ready', how === 'drop' ? 5_000 : 40_000);
			readyAfterDrop.push(await ready(page));
			reconnects.push(logins(sandbox, since));
		};

		for (let call = 1; call <= CALLS; call += 1) {
			const fault = pick(next);
			const who = next() < 0.5 ? 'alice' : 'bob';
			let recoveredMidCall = false;
			const fail = (cause: string, stated: boolean): Outcome => ({
				call,
				fault,
				ok: false,
				cause,
				stated,
				recoveredMidCall,
			});
			const outcome = await (async (): Promise<Outcome> => {
				if (fault === 'drop-idle') await dropAndRecover(who, 'drop');
				if (fault === 'half-open-idle') await dropAndRecover(who, 'silence');
				if (fault === 'refused-login') {
					sandbox.admin.refuseLogins(1);
					await dropAndRecover(who, 'drop');
				}
				if (fault === 'rest-5xx')
					sandbox.admin.addRestFault({
						method: 'GET',
						path: '/telephony_credentials',
						kind: 'status',
						status: 500,
						times: 3,
					});
				const history = async (app: AppInstance) => await app.services.handlers.history.list();
				const historyBefore = await Promise.all(
					[alice, bob].map(async (app) => (await history(app)).length),
				);
				await alice.page.getByLabel('Number, SIP address or installation').fill(users.bob);
				await alice.page.getByRole('button', { name: 'Call', exact: true }).click();
				const rang = await until(
					async () => (await bob.page.getByRole('alertdialog').count()) > 0,
					15_000,
				);
				if (!rang) {
					const phase = await alice.page
						.getByTestId('call-phase')
						.textContent()
						.catch(() => null);
					return fail(`Bob never rang (Alice's call: ${phase ?? 'no call'})`, phase !== null);
				}
				await bob.page.getByRole('button', { name: 'Answer', exact: true }).click();
				const answered = await until(
					async () =>
						(await alice.page.getByTestId('call-phase').textContent()) === 'In call' &&
						(await bob.page.getByTestId('call-phase').textContent()) === 'In call',
					15_000,
				);
				if (!answered) return fail('the call never reached "In call" on both sides', false);
				if (!(await until(() => audioFlowing(alice.page, bob.page), 10_000)))
					return fail('no audio both ways after the answer', false);
				if (fault === 'drop-mid-call') {
					await dropAndRecover('alice', 'drop');
					const kept =
						(await alice.page.getByTestId('call-phase').textContent()) === 'In call' &&
						(await until(() => audioFlowing(alice.page, bob.page), 15_000));
					if (!kept) {
						const phase = await alice.page.getByTestId('call-phase').textContent();
						return fail(`the call was not recovered after the drop (Alice: ${phase})`, true);
					}
					recoveredMidCall = true;
				}
				await alice.page.waitForTimeout(MEDIA_MS);
				await alice.page.getByRole('button', { name: 'Hang up' }).click();
				for (const page of [alice.page, bob.page]) {
					await page.getByRole('button', { name: 'Close' }).click();
					await page.getByLabel('Number, SIP address or installation').waitFor();
				}
				// One history entry per side, each with its reason in words.
				const recorded = await until(async () => {
					const lengths = await Promise.all(
						[alice, bob].map(async (app) => (await history(app)).length),
					);
					return lengths.every((length, i) => length === historyBefore[i]! + 1);
				}, 5_000);
				const entries = await Promise.all([alice, bob].map(async (app) => (await history(app))[0]));
				if (!recorded || entries.some((entry) => entry === undefined || entry.endMessage === ''))
					return fail('a side has no history entry with a reason', false);
				return { call, fault, ok: true, cause: null, stated: true, recoveredMidCall };
			})().catch((error: unknown) => fail(`soak step failed: ${String(error)}`, false));
			outcomes.push(outcome);
			sandbox.admin.clearFaults();

			// Nothing of the call may outlive it: peer connections closed, every track stopped.
			for (const [side, app] of [
				['alice', alice],
				['bob', bob],
			] as const) {
				const found = await until(async () => {
					const left = await leftovers(app.page);
					return left.peerConnections === 0 && left.tracks === 0;
				}, 5_000);
				if (!found) leaks.push({ call, side, found: await leftovers(app.page) });
			}
			if (!outcome.ok) {
				// Start the next call from a clean state: hang up whatever is left on either side.
				for (const page of [alice.page, bob.page]) {
					for (const name of ['Hang up', 'Decline', 'Close'])
						await page
							.getByRole('button', { name, exact: true })
							.first()
							.click({ timeout: 1_000 })
							.catch(() => undefined);
				}
				await Promise.all([ready(alice.page), ready(bob.page)]).catch(() => undefined);
			}
			if (call % 50 === 0 || call === CALLS)
				heap.push({ call, bytes: await heapAfterGc(alice.page) });
			process.stdout.write(
				`call ${call}/${CALLS} ${fault.padEnd(14)} ${outcome.ok ? 'ok' : `FAILED: ${outcome.cause}`}\n`,
			);
		}
	} finally {
		for (const app of instances) await app.close().catch(() => undefined);
		await browser.close();
		await sandbox.close().catch((error: unknown) => process.stdout.write(`${String(error)}\n`));
	}

	const failed = outcomes.filter((outcome) => !outcome.ok);
	const lost = failed.filter((outcome) => !outcome.stated);
	const growth = (heap.at(-1)?.bytes ?? 0) - (heap[0]?.bytes ?? 0);
	const figures = {
		seed: SEED,
		attempted: outcomes.length,
		succeeded: outcomes.length - failed.length,
		failed: failed.map(({ call, fault, cause }) => ({ call, fault, cause })),
		lostWithoutCause: lost.length,
		faults: Object.fromEntries(
			WEIGHTS.map(([fault]) => [fault, outcomes.filter((o) => o.fault === fault).length]),
		),
		recoveredMidCall: outcomes.filter((outcome) => outcome.recoveredMidCall).length,
		reconnectsPerIncident: { p50: percentile(reconnects, 50), p95: percentile(reconnects, 95) },
		readyAfterDropMs: { p50: percentile(readyAfterDrop, 50), p95: percentile(readyAfterDrop, 95) },
		heapAfterGc: heap,
		heapGrowthBytes: growth,
		leaks,
	};
	const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
	process.stdout.write(
		[
			'',
			`seed                     ${SEED}`,
			`calls attempted          ${figures.attempted}`,
			`calls succeeded          ${figures.succeeded}`,
			`calls failed             ${failed.length}${failed.map((f) => `\n  #${f.call} (${f.fault}): ${f.cause}`).join('')}`,
			`lost without a cause     ${lost.length}`,
			`faults injected          ${Object.entries(figures.faults)
				.filter(([fault]) => fault !== 'none')
				.map(([fault, n]) => `${fault} ${n}`)
				.join(', ')}`,
			`recovered mid-call       ${figures.recoveredMidCall}`,
			`reconnects per incident  p50 ${figures.reconnectsPerIncident.p50 ?? '-'}, p95 ${figures.reconnectsPerIncident.p95 ?? '-'}`,
			`ready after a drop       p50 ${figures.readyAfterDropMs.p50 ?? '-'} ms, p95 ${figures.readyAfterDropMs.p95 ?? '-'} ms`,
			`renderer heap after GC   ${heap.map((h) => `${h.call}: ${mib(h.bytes)}`).join(', ')}`,
			`heap growth              ${mib(growth)} (limit ${mib(HEAP_LIMIT)})`,
			`leaked peer connections  ${leaks.reduce((n, l) => n + l.found.peerConnections, 0)}`,
			`leaked media tracks      ${leaks.reduce((n, l) => n + l.found.tracks, 0)}`,
			'',
		].join('\n'),
	);
	if (REPORT !== undefined) await writeFile(REPORT, JSON.stringify(figures, null, '\t'));
	const passed = lost.length === 0 && leaks.length === 0 && growth <= HEAP_LIMIT;
	process.stdout.write(`soak ${passed ? 'passed' : 'FAILED'}\n`);
	process.exit(passed ? 0 : 1);
}

await main();
