/**
 * `npm run bench`: how long calls take to set up in the app, against the floor WebRTC itself sets in the
 * same run and browser, plus registration costs and the renderer's footprint. It measures; it asserts
 * nothing (the tests verify) — except that it leaves nothing running: it exits by itself, and exits 1
 * listing what is still open if anything is. Prints a table and writes bench-results.json.
 *
 * Call set-up is measured twice: on bare loopback (host candidates only), and with ICE servers on the path —
 * coturn on loopback (STUN and TURN over UDP), handed to the floor's pages and to the app through its
 * endpoints (`iceServers`, as a sandbox hands out its own), so gathering against STUN/TURN, which the SDK's
 * default non-trickle mode waits for, is in the figures as users have it.
 *
 * Settings: BENCH_RUNS (warm calls per figure, 5), BENCH_HEAP_CALLS (calls for the heap figure, 200).
 *
 * Runs inside a D-Bus session with an unlocked gnome-keyring and, as root, a loopback-only network
 * namespace — `test/bench/run.sh` sets that up, as `npm test` does for the tests.
 */
import { availableParallelism, cpus } from 'node:os';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { HISTORY_LIMIT } from '../../main/history/history-file';
import { chromiumLaunchOptions } from '../e2e/support/chromium';
import globalSetup from '../e2e/support/global-setup';
import { launchApp, type AppInstance } from '../e2e/support/app-harness';
import { answerEveryCall, heapAfterGc, onboard } from '../e2e/support/softphone-helpers';
import { serve } from '../e2e/support/static-server';
import { startIceServers, type SandboxIceServers } from '../sandbox/ice-servers';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import { measureBundle } from './bundle';
import { openSince, traceOpenResources } from './open-handles';
import { judge, rows, table, type Figure, type Goal, type Group } from './report';

const root = fileURLToPath(new URL('../../', import.meta.url));
const WARM_RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const HEAP_CALLS = Number(process.env['BENCH_HEAP_CALLS'] ?? 200);
/** Heap calls before the first sample: the history is at its cap and the page's caches are warm. */
const HEAP_WARM_UP = Math.min(5, Math.max(1, HEAP_CALLS - 1));

type IceServers = SandboxIceServers['servers'];

const figures: Figure[] = [];
const record = (
	name: string,
	unit: Figure['unit'],
	runs: number[],
	group: Group | null,
	floor?: string,
) => figures.push({ name, unit, runs, group, ...(floor === undefined ? {} : { floor }) });

/** Everything opened along the way, closed in `main`'s finally whatever failed. */
const closers: Array<() => Promise<unknown>> = [];
async function opened<T extends { close(): Promise<unknown> }>(thing: Promise<T>): Promise<T> {
	const value = await thing;
	closers.push(() => value.close());
	return value;
}
async function closeAll(): Promise<void> {
	for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------------------
// The floor: two pages, raw RTCPeerConnection, fake devices, offer and answer relayed through Playwright.

const FLOOR_PAGE = `<!doctype html><meta charset="utf-8"><video id="remote" autoplay playsinline muted></video><script>
// Non-trickle (offer, answer): each SDP waits for ICE gathering, as the SDK's default does. Trickle
// (trickleOffer, trickleAnswer): the SDP goes at once and each candidate is handed to window.__relay (a
// Playwright binding) as it is gathered; the other page adds it (addCandidate), queued until it has the
// remote description. Every mark is Date.now() in the page.
window.floor = {
	pc: null,
	run: 0,
	inbox: [],
	async media() { return navigator.mediaDevices.getUserMedia({ audio: true, video: true }); },
	gathered(pc) { return pc.iceGatheringState === 'complete' ? Promise.resolve() : new Promise((r) => pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && r())); },
	watch(pc) {
		const video = document.getElementById('remote');
		const marks = { connected: 0, frame: 0, answered: 0 };
		pc.addEventListener('connectionstatechange', () => { if (pc.connectionState === 'connected' && !marks.connected) marks.connected = Date.now(); });
		pc.ontrack = (e) => { if (e.track.kind === 'video') { video.srcObject = new MediaStream([e.track]); video.requestVideoFrameCallback(() => { marks.frame = Date.now(); }); } };
		return marks;
	},
	fresh(iceServers, run, trickle) {
		this.pc?.close();
		const pc = new RTCPeerConnection({ iceServers });
		this.pc = pc;
		this.run = run;
		this.inbox = this.inbox.filter((c) => c.run === run);
		if (trickle) pc.addEventListener('icecandidate', (e) => { if (e.candidate) window.__relay({ run, candidate: e.candidate.toJSON() }); });
		this.marks = this.watch(pc);
		return pc;
	},
	async flush() { const queued = this.inbox.filter((c) => c.run === this.run); this.inbox = []; for (const c of queued) await this.pc.addIceCandidate(c.candidate); },
	async addCandidate(message) {
		if (message.run !== this.run || !this.pc || !this.pc.remoteDescription) { this.inbox.push(message); return; }
		await this.pc.addIceCandidate(message.candidate);
	},
	async offer(iceServers, run, trickle) {
		const start = Date.now();
		const pc = this.fresh(iceServers, run, trickle);
		const stream = await this.media();
		for (const t of stream.getTracks()) pc.addTrack(t, stream);
		await pc.setLocalDescription(await pc.createOffer());
		if (!trickle) await this.gathered(pc);
		return { sdp: pc.localDescription.sdp, start, ready: Date.now() };
	},
	async answer(sdp, iceServers, run, trickle) {
		const start = Date.now();
		const pc = this.fresh(iceServers, run, trickle);
		const stream = await this.media();
		for (const t of stream.getTracks()) pc.addTrack(t, stream);
		await pc.setRemoteDescription({ type: 'offer', sdp });
		await this.flush();
		await pc.setLocalDescription(await pc.createAnswer());
		if (!trickle) await this.gathered(pc);
		return { sdp: pc.localDescription.sdp, start, ready: Date.now() };
	},
	async complete(sdp) { this.marks.answered = Date.now(); await this.pc.setRemoteDescription({ type: 'answer', sdp }); await this.flush(); },
};
</script>`;

const FLOOR = {
	connected: 'floor: dial → connected (warm)',
	frame: 'floor: dial → first remote frame (warm)',
	offer: 'floor phase: dial → offer ready (media, ICE gathered), caller (warm)',
	answer: 'floor phase: offer in → answer ready (media, ICE gathered), callee (warm)',
	connect: 'floor phase: answer in → connected (ICE, DTLS), caller (warm)',
};

type Leg = { sdp: string; start: number; ready: number };
type FloorMarks = { connected: number; frame: number; answered: number };
type FloorWindow = {
	floor: {
		offer(iceServers: IceServers, run: number, trickle: boolean): Promise<Leg>;
		answer(sdp: string, iceServers: IceServers, run: number, trickle: boolean): Promise<Leg>;
		complete(sdp: string): Promise<void>;
		addCandidate(message: unknown): Promise<void>;
		marks: FloorMarks;
	};
};

/**
 * The floor on one group's ICE servers, non-trickle (each SDP sent once gathering is complete, as the SDK's
 * default) and trickle (each SDP at once, candidates relayed as gathered), on the same two pages.
 */
async function measureFloor(browser: Browser, group: Group, iceServers: IceServers): Promise<void> {
	const server = await serve(
		() => new Response(FLOOR_PAGE, { headers: { 'content-type': 'text/html' } }),
	);
	const pages: Page[] = [];
	const open = async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		// A candidate gathered in one page is added in the other (marks are taken in the pages, so the relay's
		// own time counts only as far as it delays the candidates, as a signalling server's would).
		await page.exposeBinding('__relay', (source, message: unknown) => {
			const other = pages.find((p) => p !== source.page);
			void other
				?.evaluate((m) => (window as unknown as FloorWindow).floor.addCandidate(m), message)
				.catch(() => undefined);
		});
		await page.goto(server.url);
		pages.push(page);
		return page;
	};
	const [caller, callee] = [await open(), await open()];
	let run = 0;
	for (const trickle of [false, true]) {
		const connected: number[] = [];
		const frame: number[] = [];
		const phases = { offer: [] as number[], answer: [] as number[], connect: [] as number[] };
		for (let i = 0; i <= WARM_RUNS; i += 1) {
			run += 1;
			const offer = await caller.evaluate(
				([servers, n, t]) => (window as unknown as FloorWindow).floor.offer(servers, n, t),
				[iceServers, run, trickle] as const,
			);
			const answer = await callee.evaluate(
				([sdp, servers, n, t]) =>
					(window as unknown as FloorWindow).floor.answer(sdp, servers, n, t),
				[offer.sdp, iceServers, run, trickle] as const,
			);
			await caller.evaluate(
				(sdp) => (window as unknown as FloorWindow).floor.complete(sdp),
				answer.sdp,
			);
			const marks = await waitFor(caller, () => {
				const m = (window as unknown as FloorWindow).floor.marks;
				return m.connected > 0 && m.frame > 0 ? m : null;
			});
			// The first call of each kind is the cold one (first getUserMedia); only warm calls are kept.
			if (i === 0) continue;
			connected.push(marks.connected - offer.start);
			frame.push(marks.frame - offer.start);
			phases.offer.push(offer.ready - offer.start);
			phases.answer.push(answer.ready - answer.start);
			phases.connect.push(marks.connected - marks.answered);
		}
		const kind = trickle ? 'trickle floor' : 'floor';
		const sent = trickle ? 'SDP sent at once' : 'ICE gathered';
		record(
			`${kind}: dial → connected (warm)`,
			'ms',
			connected,
			group,
			trickle ? FLOOR.connected : undefined,
		);
		record(
			`${kind}: dial → first remote frame (warm)`,
			'ms',
			frame,
			group,
			trickle ? FLOOR.frame : undefined,
		);
		// The same calls in phases, to compare with the app's phase by phase.
		record(
			`${kind} phase: dial → offer ready (media, ${sent}), caller (warm)`,
			'ms',
			phases.offer,
			group,
		);
		record(
			`${kind} phase: offer in → answer ready (media, ${sent}), callee (warm)`,
			'ms',
			phases.answer,
			group,
		);
		record(
			`${kind} phase: answer in → connected (ICE, DTLS), caller (warm)`,
			'ms',
			phases.connect,
			group,
		);
	}
	for (const page of pages) await page.context().close();
	await server.close();
}

async function waitFor<T>(page: Page, probe: () => T | null, timeoutMs = 20_000): Promise<T> {
	const handle = await page.waitForFunction(probe, undefined, { timeout: timeoutMs, polling: 5 });
	return (await handle.jsonValue()) as T;
}

// ---------------------------------------------------------------------------------------------------------
// The app: two instances through the harness. Marks are taken in the pages with Date.now() (one clock).

const MARKS = `(() => {
	const marks = { click: 0, ringing: 0, active: 0, connected: 0, frame: 0 };
	Object.defineProperty(window, '__marks', { value: marks });
	// The SDK reports 'active' once the answer's SDP is applied, before ICE and DTLS have finished; the
	// floor's figure is the peer connection's 'connected', so the app's are watched for the same event.
	const Native = window.RTCPeerConnection;
	window.RTCPeerConnection = class extends Native {
		constructor(...args) {
			super(...args);
			this.addEventListener('connectionstatechange', () => {
				if (this.connectionState === 'connected' && !marks.connected) marks.connected = Date.now();
			});
		}
	};
	document.addEventListener('click', (e) => {
		const button = e.target instanceof Element ? e.target.closest('button') : null;
		const label = button === null ? '' : (button.getAttribute('aria-label') ?? button.textContent ?? '');
		if (/call|answer/i.test(label)) marks.click = Date.now();
	}, true);
	const seen = new WeakSet();
	new MutationObserver(() => {
		if (!marks.ringing && document.querySelector('[role="alertdialog"]')) marks.ringing = Date.now();
		const phase = document.querySelector('[data-testid="call-phase"]');
		if (!marks.active && phase?.textContent === 'In call') marks.active = Date.now();
		const video = document.querySelector('[data-testid="remote-video"]');
		if (video && !seen.has(video)) {
			seen.add(video);
			const onFrame = () => { if (!marks.frame) marks.frame = Date.now(); };
			video.requestVideoFrameCallback(onFrame);
		}
	}).observe(document, { subtree: true, childList: true, characterData: true });
	window.__resetMarks = () => { for (const key of Object.keys(marks)) marks[key] = 0; };
})();`;

type Marks = { click: number; ringing: number; active: number; connected: number; frame: number };

const marks = (page: Page) =>
	page.evaluate(() => ({ ...(window as unknown as { __marks: Marks }).__marks }));
const resetMarks = (page: Page) =>
	page.evaluate(() => (window as unknown as { __resetMarks(): void }).__resetMarks());

async function twoInstances(
	browser: Browser,
	sandbox: Sandbox,
	iceServers?: IceServers,
): Promise<[AppInstance, AppInstance]> {
	const endpoints = {
		restBaseUrl: sandbox.restBaseUrl,
		signallingUrl: sandbox.signallingUrl,
		...(iceServers === undefined ? {} : { iceServers }),
	};
	const bob = await opened(
		launchApp(browser, { endpoints, deviceName: 'Bob desktop', initScripts: [MARKS] }),
	);
	await onboard(bob.page, sandbox.apiKey, { name: 'Bob', number: null });
	const alice = await opened(
		launchApp(browser, { endpoints, deviceName: 'Alice laptop', initScripts: [MARKS] }),
	);
	await onboard(alice.page, sandbox.apiKey, { name: 'Alice', number: null });
	return [alice, bob];
}

/** When the sandbox received and forwarded one call's invite and answer (its frame log, one clock). */
function signallingTimes(frames: ReturnType<Sandbox['admin']['frames']>) {
	const at = (direction: 'in' | 'out', method: string) => {
		const frame = frames.find((f) => f.direction === direction && f.method === method);
		if (frame === undefined) throw new Error(`no ${direction} ${method} in the sandbox's log`);
		return Date.parse(frame.time);
	};
	return {
		inviteIn: at('in', 'telnyx_rtc.invite'),
		inviteOut: at('out', 'telnyx_rtc.invite'),
		answerIn: at('in', 'telnyx_rtc.answer'),
		answerOut: at('out', 'telnyx_rtc.answer'),
	};
}

async function hangUp(alice: AppInstance, bob: AppInstance): Promise<void> {
	await alice.page.getByRole('button', { name: 'Hang up' }).click();
	for (const page of [alice.page, bob.page]) {
		await page.getByRole('button', { name: 'Close' }).click();
		await page.getByLabel('Number, SIP address or installation').waitFor();
	}
}

const APP = {
	connected: 'app: Call → connected at the caller, auto-answer (warm)',
	frame: 'app: Call → first remote frame, auto-answer (warm)',
	answer: 'app phase: invite sent → answer at the sandbox, callee (warm)',
	connect: 'app phase: answer sent → connected, caller (warm)',
};

/**
 * The app's call set-up against `sandbox`, in `group` (with `iceServers` in its endpoints, or none). Its media
 * mode names the figures: through the media gateway (the sandbox's default, as at Telnyx) they are "app …";
 * relayed peer to peer, "app, peer to peer …", so the table shows what the gateway adds.
 */
async function measureApp(
	browser: Browser,
	sandbox: Sandbox,
	group: Group,
	iceServers?: IceServers,
): Promise<void> {
	const label = sandbox.admin.signalling().media === 'gateway' ? 'app' : 'app, peer to peer';
	const [alice, bob] = await twoInstances(browser, sandbox, iceServers);
	const ringing: number[] = [];
	const answerToActive: number[] = [];
	const answerToFrameCaller: number[] = [];
	const answerToFrameCallee: number[] = [];
	for (let run = 0; run <= WARM_RUNS; run += 1) {
		await Promise.all([resetMarks(alice.page), resetMarks(bob.page)]);
		await alice.page.getByRole('button', { name: 'Video call Bob desktop' }).click();
		await bob.page.getByRole('alertdialog').waitFor();
		await bob.page.getByRole('button', { name: 'Answer with video' }).click();
		await waitFor(alice.page, () =>
			(window as unknown as { __marks: Marks }).__marks.frame > 0 ? true : null,
		);
		await waitFor(bob.page, () =>
			(window as unknown as { __marks: Marks }).__marks.frame > 0 ? true : null,
		);
		const [a, b] = [await marks(alice.page), await marks(bob.page)];
		ringing.push(b.ringing - a.click);
		answerToActive.push(b.active - b.click);
		answerToFrameCaller.push(a.frame - b.click);
		answerToFrameCallee.push(b.frame - b.click);
		await hangUp(alice, bob);
	}
	const split = (name: string, runs: number[]) => {
		record(`${label}: ${name} (first call)`, 'ms', runs.slice(0, 1), group);
		record(`${label}: ${name} (warm)`, 'ms', runs.slice(1), group);
	};
	// The first of these calls is the app's cold call (first getUserMedia). The floor has no answer-side
	// figures, so the ratios are given for the end-to-end (auto-answer) figures below.
	split('Call → ringing at the callee', ringing);
	split('Answer → active (callee)', answerToActive);
	split('Answer → first remote frame (caller)', answerToFrameCaller);
	split('Answer → first remote frame (callee)', answerToFrameCallee);

	// Auto-answer: the callee answers the moment it rings, so this is Call → picture, end to end. (These run
	// after the calls above, so even their first call is warm.)
	const callToFrame: number[] = [];
	const callToActive: number[] = [];
	const callToConnected: number[] = [];
	const phases = {
		offer: [] as number[],
		inviteRelay: [] as number[],
		answer: [] as number[],
		answerRelay: [] as number[],
		connect: [] as number[],
	};
	await answerEveryCall(bob.page, 'Answer with video');
	for (let run = 0; run <= WARM_RUNS; run += 1) {
		await Promise.all([resetMarks(alice.page), resetMarks(bob.page)]);
		await alice.page.getByRole('button', { name: 'Video call Bob desktop' }).click();
		await waitFor(alice.page, () => {
			const m = (window as unknown as { __marks: Marks }).__marks;
			return m.frame > 0 && m.connected > 0 ? true : null;
		});
		const a = await marks(alice.page);
		callToFrame.push(a.frame - a.click);
		callToActive.push(a.active - a.click);
		callToConnected.push(a.connected - a.click);
		const at = signallingTimes(sandbox.admin.frames().filter((f) => Date.parse(f.time) >= a.click));
		phases.offer.push(at.inviteIn - a.click);
		phases.inviteRelay.push(at.inviteOut - at.inviteIn);
		phases.answer.push(at.answerIn - at.inviteOut);
		phases.answerRelay.push(at.answerOut - at.answerIn);
		phases.connect.push(a.connected - at.answerOut);
		await hangUp(alice, bob);
	}
	const named = (name: string) => name.replace(/^app/, label);
	// With the callee answering at once these are the app's end-to-end equivalents of the floor's figures.
	// 'In call' is the SDK's 'active' (answer applied, ICE and DTLS not yet done): no floor equivalent.
	record(`${label}: Call → "In call" at the caller, auto-answer (warm)`, 'ms', callToActive, group);
	record(named(APP.connected), 'ms', callToConnected, group, FLOOR.connected);
	record(named(APP.frame), 'ms', callToFrame, group, FLOOR.frame);
	// Where the time goes, phase by phase, with the sandbox's frame log as the clock between the pages.
	record(
		`${label} phase: Call → invite at the sandbox (warm)`,
		'ms',
		phases.offer,
		group,
		FLOOR.offer,
	);
	record(`${label} phase: sandbox relays the invite (warm)`, 'ms', phases.inviteRelay, group);
	record(named(APP.answer), 'ms', phases.answer, group, FLOOR.answer);
	record(`${label} phase: sandbox relays the answer (warm)`, 'ms', phases.answerRelay, group);
	record(named(APP.connect), 'ms', phases.connect, group, FLOOR.connect);
	await alice.close();
	await bob.close();
}

// ---------------------------------------------------------------------------------------------------------
// Registration: first run (API key → registered) and a restart with a still-valid token.

/** Resolves once the sandbox has logged no REST request for half a second. */
async function restQuiet(sandbox: Sandbox): Promise<void> {
	let seen = -1;
	for (;;) {
		const count = sandbox.admin.requests().length;
		if (count === seen) return;
		seen = count;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

const TOKEN_REQUEST = /^\/telephony_credentials\/[^/]+\/token$/;

async function measureRegistration(browser: Browser): Promise<void> {
	const firstRun: number[] = [];
	const firstRunRequests: number[] = [];
	const toToken: number[] = [];
	const restart: number[] = [];
	const restartRequests: number[] = [];
	for (let run = 0; run < Math.max(3, Math.min(WARM_RUNS, 5)); run += 1) {
		const sandbox = await opened(startSandbox());
		const endpoints = { restBaseUrl: sandbox.restBaseUrl, signallingUrl: sandbox.signallingUrl };
		const app = await opened(launchApp(browser, { endpoints, deviceName: `Bench ${run}` }));
		const started = Date.now();
		const before = sandbox.admin.requests().length;
		await onboard(app.page, sandbox.apiKey, { name: 'Bench', number: null });
		firstRun.push(Date.now() - started);
		const made = sandbox.admin.requests().slice(before);
		firstRunRequests.push(made.length);
		const token = made.findIndex((r) => r.method === 'POST' && TOKEN_REQUEST.test(r.path));
		toToken.push(token === -1 ? Number.NaN : token + 1);

		// A restart: the same main services reloaded from the same folder and keychain, a new page. REST
		// requests are counted up to the new login (registration); the directory is refreshed right after.
		// The first run's own directory refresh lands just after "Ready", so wait for the REST log to go
		// quiet first, or it would be counted against the restart.
		await restQuiet(sandbox);
		const requests = sandbox.admin.requests().length;
		const reload = Date.now();
		await app.page.reload();
		await app.page.getByTestId('connection-status').filter({ hasText: 'Ready' }).waitFor();
		restart.push(Date.now() - reload);
		const logins = sandbox.admin
			.frames()
			.filter((f) => f.direction === 'in' && f.method === 'login');
		const loggedIn = Date.parse(logins.at(-1)?.time ?? new Date().toISOString());
		const beforeLogin = sandbox.admin
			.requests()
			.slice(requests)
			.filter((r) => Date.parse(r.time) <= loggedIn);
		for (const r of beforeLogin) console.log(`\n  restart ${run} made ${r.method} ${r.path}`);
		restartRequests.push(beforeLogin.length);
		await app.close();
		await sandbox.close();
	}
	record('registration: API key → registered (first run, includes typing)', 'ms', firstRun, null);
	record('registration: REST requests on first run, API key → token', 'requests', toToken, null);
	record(
		'registration: REST requests on first run, API key → registered',
		'requests',
		firstRunRequests,
		null,
	);
	record('registration: app start → registered, valid token', 'ms', restart, null);
	record('registration: REST requests on restart', 'requests', restartRequests, null);
}

// ---------------------------------------------------------------------------------------------------------
// Footprint: the renderer bundle (SDK vs the app's own code) and the renderer's heap over many calls.

const APP_ON_SDK = 'bundle: app code on top of the SDK (app + libraries JS, gzip)';

async function recordBundle(): Promise<void> {
	const { sizes, appOnSdk } = await measureBundle();
	for (const [name, bytes] of Object.entries(sizes))
		record(`bundle: ${name}`, 'bytes', [bytes], null);
	record(APP_ON_SDK, 'bytes', [appOnSdk], null);
}

const HEAP_GROWTH = `heap: growth per call, history at its cap (${HISTORY_LIMIT})`;

/**
 * The caller's renderer heap over HEAP_CALLS audio calls. The renderer holds the whole call history main
 * keeps (HISTORY_LIMIT entries, main/history/history-file.ts), so the history is filled to that cap after the
 * first call — copies of its real entry — and growth per call is measured from call HEAP_WARM_UP on, where
 * a call adds an entry and drops the oldest: what is left growing is a leak, not the history.
 */
async function measureHeap(browser: Browser): Promise<void> {
	const sandbox = await opened(startSandbox());
	const [alice, bob] = await twoInstances(browser, sandbox);
	await answerEveryCall(bob.page, 'Answer');
	const idle = await heapAfterGc(alice.page);
	const samples: Record<number, number> = {};
	let historyLength = 0;
	for (let call = 1; call <= HEAP_CALLS; call += 1) {
		await alice.page.getByRole('button', { name: 'Call Bob desktop', exact: true }).click();
		await alice.page.getByTestId('call-phase').filter({ hasText: 'In call' }).waitFor();
		await hangUp(alice, bob);
		if (call === 1) historyLength = await fillHistory(alice.page, HISTORY_LIMIT);
		if (call === HEAP_WARM_UP || call === HEAP_CALLS) samples[call] = await heapAfterGc(alice.page);
	}
	const first = samples[HEAP_WARM_UP] ?? 0;
	const last = samples[HEAP_CALLS] ?? 0;
	record('heap: renderer JS heap, idle', 'bytes', [idle], null);
	record(
		`heap: after ${HEAP_WARM_UP} calls (history ${historyLength} entries)`,
		'bytes',
		[first],
		null,
	);
	record(`heap: after ${HEAP_CALLS} calls`, 'bytes', [last], null);
	record(
		`${HEAP_GROWTH}, calls ${HEAP_WARM_UP} → ${HEAP_CALLS}`,
		'bytes',
		[Math.round((last - first) / Math.max(1, HEAP_CALLS - HEAP_WARM_UP))],
		null,
	);
	await alice.close();
	await bob.close();
	await sandbox.close();
}

/** Fills the page's call history to `limit` entries through the app's own API; answers its length. */
async function fillHistory(page: Page, limit: number): Promise<number> {
	return page.evaluate(async (cap) => {
		type Api = {
			history: { list(): Promise<Array<{ id: string }>>; add(e: unknown): Promise<unknown[]> };
		};
		const api = (window as unknown as { softphone: Api }).softphone;
		const [entry] = await api.history.list();
		if (entry === undefined) throw new Error('the first call left no history entry');
		let length = 1;
		for (let i = 1; length < cap; i += 1)
			length = (await api.history.add({ ...entry, id: `${entry.id}-${i}` })).length;
		return length;
	}, limit);
}

// ---------------------------------------------------------------------------------------------------------
// The goals (issue 17), judged on the medians of this run.

function goals(groups: readonly Group[]): Goal[] {
	const perGroup = (group: Group): Goal[] => [
		{
			name: 'warm Call → first remote frame at the caller',
			figure: APP.frame,
			group,
			maxRatio: { floor: FLOOR.frame, ratio: 0.9 },
		},
		{
			name: 'warm Call → connected at the caller',
			figure: APP.connected,
			group,
			maxRatio: { floor: FLOOR.connected, ratio: 1.1 },
		},
		{
			name: 'answer in → connected at the caller',
			figure: APP.connect,
			group,
			maxRatio: { floor: FLOOR.connect, ratio: 2 },
		},
		{
			name: 'invite in → answer ready at the callee',
			figure: APP.answer,
			group,
			maxRatio: { floor: FLOOR.answer, ratio: 1.5 },
		},
	];
	return [
		...groups.flatMap(perGroup),
		{
			name: 'first run: REST requests, API key → token',
			figure: 'registration: REST requests on first run, API key → token',
			group: null,
			maxValue: 6,
		},
		{
			name: 'restart: REST requests before registered',
			figure: 'registration: REST requests on restart',
			group: null,
			maxValue: 0,
		},
		{
			name: 'app code on top of the SDK (gzip)',
			figure: APP_ON_SDK,
			group: null,
			maxValue: 60 * 1024,
		},
		{
			name: 'renderer heap growth per call',
			figure: `${HEAP_GROWTH}, calls ${HEAP_WARM_UP} → ${HEAP_CALLS}`,
			group: null,
			maxValue: 8 * 1024,
		},
	];
}

// ---------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
	const baseline = process.getActiveResourcesInfo();
	const traced = traceOpenResources();
	const startedAt = Date.now();
	await globalSetup();
	const browser = await opened(chromium.launch(chromiumLaunchOptions()));
	const ice = await startIceServers();
	if (ice !== null) closers.push(() => ice.close());
	else
		console.log(
			'coturn is not installed: the with-servers figures are left out (npm test installs it)',
		);
	const groups: Group[] = ice === null ? ['loopback'] : ['loopback', 'with servers'];
	try {
		// coturn's successful allocations: evidence that the with-servers calls did gather through it.
		const allocations = () =>
			ice?.turn.log().filter((line) => /ALLOCATE processed, success/.test(line)).length ?? 0;
		for (const group of groups) {
			const servers = group === 'loopback' ? [] : (ice?.servers ?? []);
			process.stdout.write(`floor (${group})… `);
			const beforeFloor = allocations();
			await measureFloor(browser, group, servers);
			const floorCalls = 2 * (WARM_RUNS + 1);
			record(
				'coturn: TURN allocations per floor call (both ends)',
				'requests',
				[(allocations() - beforeFloor) / floorCalls],
				group,
			);
			process.stdout.write(`app (gateway, ${group})… `);
			const sandbox = await opened(startSandbox());
			const beforeApp = allocations();
			await measureApp(browser, sandbox, group, group === 'loopback' ? undefined : servers);
			const appCalls = 2 * (WARM_RUNS + 1);
			record(
				'coturn: TURN allocations per app call (both ends)',
				'requests',
				[(allocations() - beforeApp) / appCalls],
				group,
			);
			await sandbox.close();
		}
		process.stdout.write('app (peer to peer, loopback)… ');
		const peerToPeer = await opened(startSandbox({ signalling: { media: 'peer-to-peer' } }));
		await measureApp(browser, peerToPeer, 'loopback');
		await peerToPeer.close();
		process.stdout.write('registration… ');
		await measureRegistration(browser);
		process.stdout.write('bundle… ');
		await recordBundle();
		process.stdout.write(`heap (${HEAP_CALLS} calls)…\n`);
		await measureHeap(browser);
	} finally {
		await closeAll();
	}
	const allRows = rows(figures);
	const results = judge(goals(groups), figures);
	const machine = {
		cores: availableParallelism(),
		cpu: cpus()[0]?.model ?? 'unknown',
		node: process.version,
	};
	console.log(
		`\nMachine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}; warm runs: ${WARM_RUNS}; heap calls: ${HEAP_CALLS}; ${Math.round((Date.now() - startedAt) / 1000)} s`,
	);
	if (ice !== null)
		console.log(`ICE servers (with servers): ${ice.servers.map((s) => s.urls).join(', ')}`);
	console.log(table(allRows, results));
	await writeFile(
		path.join(root, 'bench-results.json'),
		`${JSON.stringify(
			{ machine, warmRuns: WARM_RUNS, heapCalls: HEAP_CALLS, figures: allRows, goals: results },
			null,
			'\t',
		)}\n`,
	);
	console.log('\nWrote bench-results.json');
	const left = await openSince(baseline);
	if (left.length > 0) {
		console.error(
			`Still open after everything was closed (the bench would not exit): ${left.join(', ')}`,
		);
		for (const where of traced()) console.error(`\n${where}`);
		if (traced().length === 0) console.error('(BENCH_TRACE_OPEN=1 shows where each was created)');
		process.exit(1);
	}
}

await main();
