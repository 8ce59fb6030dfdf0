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
 * Faults (chosen per call by the seeded schedule; their weights are below). Both instances' signalling
 * goes through a fault proxy (test/support/fault-proxy.ts), transparent unless a fault needs it; REST is
 * direct.
 * - `drop-idle`: one side's socket cut without a close frame between calls (the SDK reconnects by itself);
 * - `drop-mid-call`: the caller's socket cut during the call (the sandbox reattaches the call on reconnect);
 * - `half-open-idle`: one side's socket goes silent between calls (the SDK's health probe finds it, ~25 s);
 * - `rest-5xx`: Telnyx answers the directory with 500s while the call is placed (the app keeps calling);
 * - `refused-login`: the next sign-in after a drop is refused once (the app signs in again);
 * - `latency-spike`: every signalling frame, both ways, delayed 300–2000 ms for the whole call;
 * - `token-expiry`: during the call, each side's token is minted again 8–12 s long, so main's own timer
 *   renews it mid-call and the renderer logs in again on its live socket, no socket opened (twice: the
 *   second renewal brings a 24 h token back);
 * - `sandbox-restart`: between calls, the signalling gateway goes away (every socket cut, connections
 *   refused for 3–5 s, by 503 or a reset) and comes back with REST and its stored state intact;
 * - `keychain-slow`: every keychain operation takes 1.5–3 s for a call, and one side is made to reconnect
 *   as after a wake-up on a dead socket (the renderer asks main for a login token; the directory read
 *   that follows registration reads the key from the keychain).
 */
import { writeFile } from 'node:fs/promises';
import { chromium, type Page } from '@playwright/test';
import { keytarBackend } from '../../main/secrets/keytar-store';
import type { KeychainBackend } from '../../main/secrets/secret-store';
import { chromiumLaunchOptions } from '../e2e/support/chromium';
import globalSetup from '../e2e/support/global-setup';
import { launchApp, type AppInstance } from '../e2e/support/app-harness';
import { slowKeychain } from '../e2e/support/slow-keychain';
import {
	heapAfterGc,
	inboundCounters,
	onboard,
	PEER_CONNECTION_SPY,
} from '../e2e/support/softphone-helpers';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import { startFaultProxy, type RefuseMode } from '../support/fault-proxy';

const CALLS = Number(process.env['SOAK_CALLS'] ?? 200);
const SEED = Number(process.env['SOAK_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const MEDIA_MS = Number(process.env['SOAK_MEDIA_MS'] ?? 2500);
const HEAP_LIMIT = Number(process.env['SOAK_HEAP_LIMIT_MB'] ?? 10) * 1024 * 1024;
const REPORT = process.env['SOAK_REPORT'];

type Fault =
	| 'none'
	| 'drop-idle'
	| 'drop-mid-call'
	| 'half-open-idle'
	| 'rest-5xx'
	| 'refused-login'
	| 'latency-spike'
	| 'token-expiry'
	| 'sandbox-restart'
	| 'keychain-slow';
/**
 * How often each fault is picked, per call ('none' stays the most common). The half-open one costs ~25 s
 * and a token expiry ~10 s of call, so they are rare; a restart or a slow keychain costs ~5 s.
 */
const WEIGHTS: readonly (readonly [Fault, number])[] = [
	['none', 60],
	['drop-idle', 10],
	['drop-mid-call', 12],
	['half-open-idle', 3],
	['rest-5xx', 8],
	['refused-login', 7],
	['latency-spike', 5],
	['token-expiry', 3],
	['sandbox-restart', 4],
	['keychain-slow', 4],
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

type Side = 'alice' | 'bob';

const HOUR = 60 * 60 * 1000;

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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await check()) return true;
		await sleep(250);
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
	/** The fault's seeded size (a latency, a lifetime, …), for the call's line. */
	readonly detail: string | null;
}

async function main(): Promise<void> {
	process.stdout.write(`soak: ${CALLS} calls, seed ${SEED} (replay: SOAK_SEED=${SEED})\n`);
	await globalSetup();
	const browser = await chromium.launch(chromiumLaunchOptions());
	// New credentials may sign in at once: the soak is about calls, not Telnyx's propagation delay.
	const sandbox = await startSandbox({ signalling: { credentialPropagationMs: 0 } });
	// Signalling goes through the proxy, so latency and a gateway restart can be injected for both sides;
	// the sandbox's own drop and silence still reach the app through it (it passes a cut on as a cut).
	const proxy = await startFaultProxy(sandbox.signallingUrl);
	const endpoints = { restBaseUrl: sandbox.restBaseUrl, signallingUrl: proxy.url };
	const initScripts = [PEER_CONNECTION_SPY, TRACK_SPY];
	// The real keychain behind a delay, which is 0 except during a `keychain-slow` fault.
	let keychainDelayMs = 0;
	// Every operation is written down when asked for (the item's kind only: `api-key`, `login-token`, …),
	// so a slow-keychain fault can tell which of main's reads and writes it slowed.
	const keychainLog: string[] = [];
	const kind = (account: string) => account.split(':')[0] ?? account;
	const keychain = (): KeychainBackend => {
		const slow = slowKeychain(keytarBackend, () => keychainDelayMs);
		return {
			getPassword: (service, account) => {
				keychainLog.push(`read ${kind(account)}`);
				return slow.getPassword(service, account);
			},
			setPassword: (service, account, password) => {
				keychainLog.push(`write ${kind(account)}`);
				return slow.setPassword(service, account, password);
			},
			deletePassword: (service, account) => {
				keychainLog.push(`delete ${kind(account)}`);
				return slow.deletePassword(service, account);
			},
		};
	};
	const instances: AppInstance[] = [];
	const next = random(SEED);
	const outcomes: Outcome[] = [];
	const reconnects: number[] = [];
	const readyAfterDrop: number[] = [];
	const readyAfterRestart: number[] = [];
	const readyAfterSlowReconnect: number[] = [];
	let tokenRenewals = 0;
	let keychainOperationsSlowed = 0;
	const heap: { call: number; bytes: number }[] = [];
	const leaks: { call: number; side: string; found: Leftovers }[] = [];
	try {
		const bob = await launchApp(browser, {
			endpoints,
			deviceName: 'Bob desktop',
			initScripts,
			keychain: keychain(),
		});
		instances.push(bob);
		await onboard(bob.page, sandbox.apiKey, { name: 'Bob', number: null });
		const alice = await launchApp(browser, {
			endpoints,
			deviceName: 'Alice laptop',
			initScripts,
			keychain: keychain(),
		});
		instances.push(alice);
		await onboard(alice.page, sandbox.apiKey, { name: 'Alice', number: null });
		const apps = { alice, bob };
		const users = {
			alice: alice.services.settings.get().provisioned!.sipUsername,
			bob: bob.services.settings.get().provisioned!.sipUsername,
		};
		heap.push({ call: 0, bytes: await heapAfterGc(alice.page) });

		/** Cuts a side's socket and measures the way back to Ready. */
		const dropAndRecover = async (who: Side, how: 'drop' | 'silence') => {
			const page = apps[who].page;
			const since = Date.now();
			if (how === 'drop') sandbox.admin.drop(users[who]);
			else sandbox.admin.silence(users[who]);
			// The status leaves Ready first (at once for a cut; after the health probe for silence).
			await until(async () => (await status(page)) !== 'Ready', how === 'drop' ? 5_000 : 40_000);
			readyAfterDrop.push(await ready(page));
			reconnects.push(logins(sandbox, since));
		};

		/**
		 * A gateway restart: every socket cut without a close frame and new connections refused for `downMs`,
		 * then accepted again, REST and the sandbox's sessions untouched. Both sides must find their own way
		 * back to Ready; the time is counted from the cut.
		 */
		const restart = async (downMs: number, mode: RefuseMode): Promise<string> => {
			const since = Date.now();
			proxy.refuse('until-cleared', mode);
			const cut = proxy.cut();
			await Promise.all(
				[alice.page, bob.page].map((page) =>
					until(async () => (await status(page)) !== 'Ready', 5_000),
				),
			);
			await sleep(Math.max(0, since + downMs - Date.now()));
			proxy.accept();
			const back = await Promise.all(
				[alice.page, bob.page].map(async (page) => {
					await ready(page);
					return Date.now() - since;
				}),
			);
			readyAfterRestart.push(...back);
			const refused = proxy
				.attempts()
				.filter((a) => a.at >= since && a.outcome === 'refused').length;
			return `${cut} sockets cut, down ${downMs} ms (${mode}), ${refused} attempts refused, Ready after ${back.join(' / ')} ms`;
		};

		/**
		 * One side reconnects as after a wake-up on a dead socket: its socket goes silent, main says the
		 * computer resumed, the renderer's registration check gets no answer, and it connects afresh with a
		 * login token it asks main for. Answers the time to Ready, or null when the renderer never asked.
		 */
		const forcedReconnect = async (who: Side): Promise<number | null> => {
			const app = apps[who];
			const asks = () => app.ipc.calls.filter((c) => c === 'telnyx:getLoginToken').length;
			const asksBefore = asks();
			const since = Date.now();
			sandbox.admin.silence(users[who]);
			app.services.resume();
			// Polled rather than waited on: the way from Ready back to Ready can be shorter than one poll.
			const back = await until(
				async () =>
					asks() > asksBefore && logins(sandbox, since) > 0 && (await status(app.page)) === 'Ready',
				30_000,
			);
			if (!back) return null;
			readyAfterSlowReconnect.push(Date.now() - since);
			return Date.now() - since;
		};

		/** The expiry of the token each side's live session logged in with, as the sandbox saw it. */
		const tokenExpiries = () =>
			(['alice', 'bob'] as const).map((who) => {
				const live = sandbox.admin
					.sessions()
					.filter((s) => s.sipUsername === users[who] && s.connected)
					.sort((a, b) => Date.parse(b.loggedInAt) - Date.parse(a.loggedInAt))[0];
				return live?.tokenExpiresAt == null ? null : Date.parse(live.tokenExpiresAt);
			});

		/**
		 * Both sides' login tokens renewed during the call, by main's own timer: short tokens minted now make
		 * main renew at half their life and push the new token, which the renderer presents on its live
		 * socket. Then 24 h again: the next renewal brings a long token back. Answers what went wrong, or the
		 * number of logins on the live sockets.
		 */
		const renewDuringCall = async (lifetimeS: number): Promise<string | number> => {
			const since = Date.now();
			const openedBefore = proxy.connections().opened;
			const before = tokenExpiries();
			sandbox.admin.setTokenLifetime(lifetimeS);
			// Main renews a 24 h token 18 h on: its token is forgotten and a short one minted now (as for the
			// renderer's next request), so the renewal timer runs from that one.
			for (const app of [alice, bob]) {
				await app.services.account.tokens.forget();
				const minted = await app.services.account.loginToken();
				if (!minted.ok) return `main could not mint a short token (${minted.error.message})`;
			}
			const wait = (lifetimeS * 1000) / 2 + 10_000;
			const renewed = await until(
				async () =>
					tokenExpiries().every(
						(expiry, i) => expiry !== null && expiry !== before[i] && expiry < Date.now() + HOUR,
					),
				wait,
			);
			if (!renewed) return 'a side never presented a renewed token on its live socket';
			sandbox.admin.setTokenLifetime(null);
			const restored = await until(
				async () =>
					tokenExpiries().every((expiry) => expiry !== null && expiry > Date.now() + HOUR),
				wait,
			);
			if (!restored) return 'a side never got a 24 h token back';
			if (proxy.connections().opened !== openedBefore)
				return 'a socket was opened again during the renewal (it should need none)';
			const renewals = logins(sandbox, since);
			tokenRenewals += renewals;
			return renewals;
		};

		for (let call = 1; call <= CALLS; call += 1) {
			const fault = pick(next);
			const who: Side = next() < 0.5 ? 'alice' : 'bob';
			// Drawn on every call, whatever the fault, so a seed's schedule never depends on the faults' sizes.
			const size = next();
			const coin = next();
			let recoveredMidCall = false;
			let detail: string | null = null;
			let slowedFrom: number | null = null;
			/** The keychain at full speed again; answers the operations slowed meanwhile, counted by kind. */
			const keychainBack = (): string => {
				keychainDelayMs = 0;
				const slowed = slowedFrom === null ? [] : keychainLog.slice(slowedFrom);
				keychainOperationsSlowed += slowed.length;
				slowedFrom = null;
				const counts = new Map<string, number>();
				for (const operation of slowed) counts.set(operation, (counts.get(operation) ?? 0) + 1);
				return [...counts].map(([operation, n]) => `${operation} ×${n}`).join(', ') || 'none';
			};
			const fail = (cause: string, stated: boolean): Outcome => ({
				call,
				fault,
				ok: false,
				cause,
				stated,
				recoveredMidCall,
				detail,
			});
			const latencyMs = fault === 'latency-spike' ? 300 + Math.round(size * 1700) : 0;
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
				if (fault === 'sandbox-restart')
					detail = await restart(3000 + Math.round(size * 2000), coin < 0.5 ? '503' : 'reset');
				if (fault === 'keychain-slow') {
					keychainDelayMs = 1500 + Math.round(size * 1500);
					slowedFrom = keychainLog.length;
					detail = `${keychainDelayMs} ms per keychain operation`;
					const took = await forcedReconnect(who);
					if (took === null)
						return fail(
							`${who}'s forced reconnect never asked main for a token, or never came back`,
							false,
						);
					detail += `, ${who} Ready ${took} ms after its socket died`;
				}
				if (fault === 'latency-spike') {
					proxy.setLatency(latencyMs);
					detail = `${latencyMs} ms per frame`;
				}
				// A request and its answer cross the proxy twice each way: the waits grow with the latency.
				const signallingMs = 15_000 + 10 * latencyMs;
				const history = async (app: AppInstance) => await app.services.handlers.history.list();
				const historyBefore = await Promise.all(
					[alice, bob].map(async (app) => (await history(app)).length),
				);
				await alice.page.getByLabel('Number, SIP address or installation').fill(users.bob);
				await alice.page.getByRole('button', { name: 'Call', exact: true }).click();
				const rang = await until(
					async () => (await bob.page.getByRole('alertdialog').count()) > 0,
					signallingMs,
				);
				if (!rang) {
					const phase = await alice.page
						.getByTestId('call-phase')
						.textContent()
						.catch(() => null);
					return fail(`Bob never rang (Alice's call: ${phase ?? 'no call'})`, phase !== null);
				}
				await bob.page.getByRole('button', { name: 'Answer', exact: true }).click();
				const inCall = async () =>
					(await alice.page.getByTestId('call-phase').textContent()) === 'In call' &&
					(await bob.page.getByTestId('call-phase').textContent()) === 'In call';
				const answered = await until(inCall, signallingMs);
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
				if (fault === 'token-expiry') {
					const lifetimeS = 8 + Math.floor(size * 5);
					detail = `${lifetimeS} s tokens`;
					const renewed = await renewDuringCall(lifetimeS);
					if (typeof renewed === 'string') return fail(`token renewal: ${renewed}`, false);
					detail += `, ${renewed} logins on live sockets`;
					const kept =
						(await inCall()) &&
						(await status(alice.page)) === 'Ready' &&
						(await status(bob.page)) === 'Ready' &&
						(await until(() => audioFlowing(alice.page, bob.page), 10_000));
					if (!kept)
						return fail('the call or a registration did not outlive the token renewal', false);
				}
				await alice.page.waitForTimeout(MEDIA_MS);
				await alice.page.getByRole('button', { name: 'Hang up' }).click();
				for (const page of [alice.page, bob.page]) {
					await page.getByRole('button', { name: 'Close' }).click();
					await page.getByLabel('Number, SIP address or installation').waitFor();
				}
				if (fault === 'latency-spike') proxy.setLatency(0);
				if (fault === 'keychain-slow') detail += `, keychain operations slowed: ${keychainBack()}`;
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
				return { call, fault, ok: true, cause: null, stated: true, recoveredMidCall, detail };
			})().catch((error: unknown) => fail(`soak step failed: ${String(error)}`, false));
			outcomes.push(outcome);
			// Whatever became of the call, no fault outlives it (clearFaults also brings 24 h tokens back).
			sandbox.admin.clearFaults();
			proxy.setLatency(0);
			proxy.accept();
			keychainBack();

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
				`call ${call}/${CALLS} ${fault.padEnd(15)} ${outcome.ok ? 'ok' : `FAILED: ${outcome.cause}`}${outcome.detail === null ? '' : ` (${outcome.detail})`}\n`,
			);
		}
	} finally {
		for (const app of instances) await app.close().catch(() => undefined);
		await browser.close();
		await proxy.close().catch(() => undefined);
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
		/** Per side, from the cut (the 3–5 s the gateway is down included). */
		readyAfterRestartMs: {
			p50: percentile(readyAfterRestart, 50),
			p95: percentile(readyAfterRestart, 95),
		},
		/** Logins on live sockets with a renewed token, during calls. */
		tokenRenewalsMidCall: tokenRenewals,
		/** From the dead socket (the 3 s registration check included) to Ready, the keychain slowed. */
		readyAfterSlowKeychainReconnectMs: {
			p50: percentile(readyAfterSlowReconnect, 50),
			p95: percentile(readyAfterSlowReconnect, 95),
		},
		keychainOperationsSlowed,
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
			`ready after a restart    p50 ${figures.readyAfterRestartMs.p50 ?? '-'} ms, p95 ${figures.readyAfterRestartMs.p95 ?? '-'} ms (from the cut, each side)`,
			`token renewals mid-call  ${tokenRenewals}`,
			`slow-keychain reconnect  p50 ${figures.readyAfterSlowKeychainReconnectMs.p50 ?? '-'} ms, p95 ${figures.readyAfterSlowKeychainReconnectMs.p95 ?? '-'} ms (${keychainOperationsSlowed} keychain operations slowed)`,
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
