/**
 * `npm run bench`: how long calls take to set up in the app, against the floor WebRTC itself sets in the
 * same run and browser, plus registration costs and the renderer's footprint. It measures; it asserts
 * nothing (the tests verify). Prints a table and writes bench-results.json.
 *
 * Runs inside a D-Bus session with an unlocked gnome-keyring and, as root, a loopback-only network
 * namespace — `test/bench/run.sh` sets that up, as `npm test` does for the tests.
 */
import { availableParallelism, cpus } from 'node:os';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from '@playwright/test';
import { build } from 'vite';
import { chromiumLaunchOptions } from '../e2e/support/chromium';
import globalSetup from '../e2e/support/global-setup';
import { launchApp, type AppInstance } from '../e2e/support/app-harness';
import { onboard } from '../e2e/support/softphone-helpers';
import { serve } from '../e2e/support/static-server';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';

const root = fileURLToPath(new URL('../../', import.meta.url));
const WARM_RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const HEAP_CALLS = Number(process.env['BENCH_HEAP_CALLS'] ?? 50);

interface Figure {
	readonly name: string;
	readonly unit: string;
	readonly runs: number[];
	/** The floor figure this one is compared with. */
	readonly floor?: string;
}

const figures: Figure[] = [];
const record = (name: string, unit: string, runs: number[], floor?: string) =>
	figures.push({ name, unit, runs, ...(floor === undefined ? {} : { floor }) });

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

// ---------------------------------------------------------------------------------------------------------
// The floor: two pages, raw RTCPeerConnection, fake devices, non-trickle offer/answer relayed at once.

const FLOOR_PAGE = `<!doctype html><meta charset="utf-8"><video id="remote" autoplay playsinline muted></video><script>
window.floor = {
	pc: null,
	async media() { return navigator.mediaDevices.getUserMedia({ audio: true, video: true }); },
	gathered(pc) { return pc.iceGatheringState === 'complete' ? Promise.resolve() : new Promise((r) => pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && r())); },
	watch(pc) {
		const video = document.getElementById('remote');
		const marks = { connected: 0, frame: 0, answered: 0 };
		pc.addEventListener('connectionstatechange', () => { if (pc.connectionState === 'connected' && !marks.connected) marks.connected = Date.now(); });
		pc.ontrack = (e) => { if (e.track.kind === 'video') { video.srcObject = new MediaStream([e.track]); video.requestVideoFrameCallback(() => { marks.frame = Date.now(); }); } };
		return marks;
	},
	async offer() {
		const start = Date.now();
		this.pc?.close();
		const pc = new RTCPeerConnection({ iceServers: [] });
		this.pc = pc;
		const stream = await this.media();
		for (const t of stream.getTracks()) pc.addTrack(t, stream);
		this.marks = this.watch(pc);
		await pc.setLocalDescription(await pc.createOffer());
		await this.gathered(pc);
		return { sdp: pc.localDescription.sdp, start, ready: Date.now() };
	},
	async answer(sdp) {
		const start = Date.now();
		this.pc?.close();
		const pc = new RTCPeerConnection({ iceServers: [] });
		this.pc = pc;
		this.marks = this.watch(pc);
		const stream = await this.media();
		for (const t of stream.getTracks()) pc.addTrack(t, stream);
		await pc.setRemoteDescription({ type: 'offer', sdp });
		await pc.setLocalDescription(await pc.createAnswer());
		await this.gathered(pc);
		return { sdp: pc.localDescription.sdp, start, ready: Date.now() };
	},
	async complete(sdp) { this.marks.answered = Date.now(); await this.pc.setRemoteDescription({ type: 'answer', sdp }); },
};
</script>`;

const FLOOR_PHASES = {
	offer: 'floor phase: dial → offer ready (media, ICE gathered), caller (warm)',
	answer: 'floor phase: offer in → answer ready (media, ICE gathered), callee (warm)',
	connect: 'floor phase: answer in → connected (ICE, DTLS), caller (warm)',
};

async function measureFloor(browser: Browser): Promise<void> {
	const server = await serve(
		() => new Response(FLOOR_PAGE, { headers: { 'content-type': 'text/html' } }),
	);
	const open = async () => {
		const page = await (await browser.newContext()).newPage();
		await page.goto(server.url);
		return page;
	};
	const [caller, callee] = [await open(), await open()];
	const connected: number[] = [];
	const frame: number[] = [];
	const phases = { offer: [] as number[], answer: [] as number[], connect: [] as number[] };
	type Leg = { sdp: string; start: number; ready: number };
	type FloorPage = {
		floor: {
			offer(): Promise<Leg>;
			answer(sdp: string): Promise<Leg>;
			complete(sdp: string): Promise<void>;
			marks: { connected: number; frame: number; answered: number };
		};
	};
	for (let run = 0; run <= WARM_RUNS; run += 1) {
		// Every mark is taken in the pages (one clock), so the relaying through Playwright is not counted.
		const offer = await caller.evaluate(() => (window as unknown as FloorPage).floor.offer());
		const answer = await callee.evaluate(
			(sdp) => (window as unknown as FloorPage).floor.answer(sdp),
			offer.sdp,
		);
		await caller.evaluate(
			(sdp) => (window as unknown as FloorPage).floor.complete(sdp),
			answer.sdp,
		);
		const marks = await waitFor(caller, () => {
			const m = (window as unknown as FloorPage).floor.marks;
			return m.connected > 0 && m.frame > 0 ? m : null;
		});
		connected.push(marks.connected - offer.start);
		frame.push(marks.frame - offer.start);
		if (run > 0) {
			phases.offer.push(offer.ready - offer.start);
			phases.answer.push(answer.ready - answer.start);
			phases.connect.push(marks.connected - marks.answered);
		}
	}
	record('floor: dial → connected (first call)', 'ms', connected.slice(0, 1));
	record('floor: dial → connected (warm)', 'ms', connected.slice(1));
	record('floor: dial → first remote frame (first call)', 'ms', frame.slice(0, 1));
	record('floor: dial → first remote frame (warm)', 'ms', frame.slice(1));
	// The same calls in phases, to compare with the app's phase by phase.
	record(FLOOR_PHASES.offer, 'ms', phases.offer);
	record(FLOOR_PHASES.answer, 'ms', phases.answer);
	record(FLOOR_PHASES.connect, 'ms', phases.connect);
	await caller.context().close();
	await callee.context().close();
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
): Promise<[AppInstance, AppInstance]> {
	const endpoints = { restBaseUrl: sandbox.restBaseUrl, signallingUrl: sandbox.signallingUrl };
	const bob = await launchApp(browser, {
		endpoints,
		deviceName: 'Bob desktop',
		initScripts: [MARKS],
	});
	await onboard(bob.page, sandbox.apiKey, { name: 'Bob', number: null });
	const alice = await launchApp(browser, {
		endpoints,
		deviceName: 'Alice laptop',
		initScripts: [MARKS],
	});
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

/**
 * The app's call set-up against `sandbox`. Its media mode names the figures: through the media gateway (the
 * sandbox's default, as at Telnyx) they are "app …"; relayed peer to peer, "app, peer to peer …", so the
 * table shows what the gateway adds.
 */
async function measureApp(browser: Browser, sandbox: Sandbox): Promise<void> {
	const label = sandbox.admin.signalling().media === 'gateway' ? 'app' : 'app, peer to peer';
	const [alice, bob] = await twoInstances(browser, sandbox);
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
	const split = (name: string, runs: number[], floorName?: string) => {
		record(
			`${label}: ${name} (first call)`,
			'ms',
			runs.slice(0, 1),
			floorName === undefined ? undefined : `${floorName} (first call)`,
		);
		record(
			`${label}: ${name} (warm)`,
			'ms',
			runs.slice(1),
			floorName === undefined ? undefined : `${floorName} (warm)`,
		);
	};
	// The first of these calls is the app's cold call (first getUserMedia); the floor has no answer-side
	// figures, so the ratios are given for the end-to-end (auto-answer) figures below.
	split('Call → ringing at the callee', ringing);
	split('Answer → active (callee)', answerToActive);
	split('Answer → first remote frame (caller)', answerToFrameCaller);
	split('Answer → first remote frame (callee)', answerToFrameCallee);

	// Auto-answer: the callee answers the moment it rings, so this is Call → picture, end to end. (These run
	// after the calls above, so even their first call is warm; it is compared with the floor's warm figure.)
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
	await bob.page.evaluate(() => {
		new MutationObserver(() => {
			const answer = [...document.querySelectorAll('[role="alertdialog"] button')].find(
				(b) => b.textContent === 'Answer with video',
			);
			(answer as HTMLButtonElement | undefined)?.click();
		}).observe(document, { subtree: true, childList: true });
	});
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
	// With the callee answering at once these are the app's end-to-end equivalents of the floor's figures.
	// 'In call' is the SDK's 'active' (answer applied, ICE and DTLS not yet done): no floor equivalent.
	record(`${label}: Call → "In call" at the caller, auto-answer (warm)`, 'ms', callToActive);
	record(
		`${label}: Call → connected at the caller, auto-answer (warm)`,
		'ms',
		callToConnected,
		'floor: dial → connected (warm)',
	);
	record(
		`${label}: Call → first remote frame, auto-answer (warm)`,
		'ms',
		callToFrame,
		'floor: dial → first remote frame (warm)',
	);
	// Where the time goes, phase by phase, with the sandbox's frame log as the clock between the pages.
	record(
		`${label} phase: Call → invite at the sandbox (warm)`,
		'ms',
		phases.offer,
		FLOOR_PHASES.offer,
	);
	record(`${label} phase: sandbox relays the invite (warm)`, 'ms', phases.inviteRelay);
	record(
		`${label} phase: invite sent → answer at the sandbox, callee (warm)`,
		'ms',
		phases.answer,
		FLOOR_PHASES.answer,
	);
	record(`${label} phase: sandbox relays the answer (warm)`, 'ms', phases.answerRelay);
	record(
		`${label} phase: answer sent → connected, caller (warm)`,
		'ms',
		phases.connect,
		FLOOR_PHASES.connect,
	);
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

async function measureRegistration(browser: Browser): Promise<void> {
	const firstRun: number[] = [];
	const firstRunRequests: number[] = [];
	const restart: number[] = [];
	const restartRequests: number[] = [];
	for (let run = 0; run < Math.max(3, Math.min(WARM_RUNS, 5)); run += 1) {
		const sandbox = await startSandbox();
		const endpoints = { restBaseUrl: sandbox.restBaseUrl, signallingUrl: sandbox.signallingUrl };
		const app = await launchApp(browser, { endpoints, deviceName: `Bench ${run}` });
		const started = Date.now();
		const before = sandbox.admin.requests().length;
		await onboard(app.page, sandbox.apiKey, { name: 'Bench', number: null });
		firstRun.push(Date.now() - started);
		firstRunRequests.push(sandbox.admin.requests().length - before);

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
	record('registration: API key → registered (first run, includes typing)', 'ms', firstRun);
	record('registration: REST requests on first run', 'requests', firstRunRequests);
	record('registration: app start → registered, valid token', 'ms', restart);
	record('registration: REST requests on restart (expected 0)', 'requests', restartRequests);
}

// ---------------------------------------------------------------------------------------------------------
// Footprint: the renderer bundle (SDK vs the app's own code) and the renderer's heap over many calls.

async function measureBundle(): Promise<Record<string, number>> {
	const outDir = path.join(root, 'dist/bench-renderer');
	await build({
		configFile: path.join(root, 'vite.renderer.config.ts'),
		logLevel: 'silent',
		build: {
			outDir,
			emptyOutDir: true,
			rollupOptions: {
				output: {
					// Only for measuring: the SDK in a chunk of its own.
					manualChunks: (id: string) =>
						id.includes('node_modules/@telnyx/webrtc')
							? 'sdk'
							: id.includes('node_modules')
								? 'libraries'
								: undefined,
				},
			},
		},
	});
	const files = await readdir(path.join(outDir, 'assets'));
	const sizes: Record<string, number> = {};
	for (const file of files) {
		const kind = file.endsWith('.css')
			? 'css'
			: file.startsWith('sdk')
				? 'sdk-js'
				: file.startsWith('libraries')
					? 'libraries-js'
					: 'app-js';
		const data = await readFile(path.join(outDir, 'assets', file));
		sizes[`${kind} raw`] =
			(sizes[`${kind} raw`] ?? 0) + (await stat(path.join(outDir, 'assets', file))).size;
		sizes[`${kind} gzip`] = (sizes[`${kind} gzip`] ?? 0) + gzipSync(data).length;
	}
	for (const [name, bytes] of Object.entries(sizes)) record(`bundle: ${name}`, 'bytes', [bytes]);
	return sizes;
}

async function heapAfterGc(page: Page): Promise<number> {
	const session = await page.context().newCDPSession(page);
	await session.send('HeapProfiler.collectGarbage');
	const { usedSize } = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
	await session.detach();
	return usedSize;
}

async function measureHeap(browser: Browser, sandbox: Sandbox): Promise<void> {
	const [alice, bob] = await twoInstances(browser, sandbox);
	await bob.page.evaluate(() => {
		new MutationObserver(() => {
			const answer = [...document.querySelectorAll('[role="alertdialog"] button')].find(
				(b) => b.textContent === 'Answer',
			);
			(answer as HTMLButtonElement | undefined)?.click();
		}).observe(document, { subtree: true, childList: true });
	});
	const idle = await heapAfterGc(alice.page);
	const samples: Record<number, number> = {};
	for (let call = 1; call <= HEAP_CALLS; call += 1) {
		await alice.page.getByRole('button', { name: 'Call Bob desktop', exact: true }).click();
		await alice.page.getByTestId('call-phase').filter({ hasText: 'In call' }).waitFor();
		await hangUp(alice, bob);
		if (call === 5 || call === HEAP_CALLS) samples[call] = await heapAfterGc(alice.page);
	}
	record('heap: renderer JS heap, idle', 'bytes', [idle]);
	record('heap: after 5 calls', 'bytes', [samples[5] ?? 0]);
	record(`heap: after ${HEAP_CALLS} calls`, 'bytes', [samples[HEAP_CALLS] ?? 0]);
	record('heap: growth per call (5 → last)', 'bytes', [
		Math.round(((samples[HEAP_CALLS] ?? 0) - (samples[5] ?? 0)) / Math.max(1, HEAP_CALLS - 5)),
	]);
	await alice.close();
	await bob.close();
}

// ---------------------------------------------------------------------------------------------------------

function format(value: number, unit: string): string {
	if (unit === 'bytes')
		return value >= 1024 * 1024
			? `${(value / 1024 / 1024).toFixed(2)} MiB`
			: `${(value / 1024).toFixed(1)} KiB`;
	return unit === 'ms' ? `${Math.round(value)} ms` : `${value}`;
}

async function main(): Promise<void> {
	await globalSetup();
	const browser = await chromium.launch(chromiumLaunchOptions());
	const sandbox = await startSandbox();
	try {
		process.stdout.write('floor… ');
		await measureFloor(browser);
		process.stdout.write('app (gateway)… ');
		await measureApp(browser, await startSandbox());
		process.stdout.write('app (peer to peer)… ');
		await measureApp(browser, await startSandbox({ signalling: { media: 'peer-to-peer' } }));
		process.stdout.write('registration… ');
		await measureRegistration(browser);
		process.stdout.write('bundle… ');
		await measureBundle();
		process.stdout.write(`heap (${HEAP_CALLS} calls)…\n`);
		await measureHeap(browser, sandbox);
	} finally {
		await browser.close();
		await sandbox.close();
	}
	const byName = new Map(figures.map((f) => [f.name, f]));
	const rows = figures.map((f) => {
		const floor = f.floor === undefined ? undefined : byName.get(f.floor);
		const ratio = floor === undefined ? null : median(f.runs) / median(floor.runs);
		return {
			name: f.name,
			unit: f.unit,
			runs: f.runs.length,
			min: Math.min(...f.runs),
			median: median(f.runs),
			max: Math.max(...f.runs),
			ratioToFloor: ratio === null ? null : Math.round(ratio * 100) / 100,
			floor: f.floor ?? null,
		};
	});
	const machine = {
		cores: availableParallelism(),
		cpu: cpus()[0]?.model ?? 'unknown',
		node: process.version,
	};
	console.log(
		`\nMachine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}; warm runs: ${WARM_RUNS}\n`,
	);
	const width = Math.max(...rows.map((r) => r.name.length));
	console.log(`${'figure'.padEnd(width)}  runs        min     median        max  × floor`);
	for (const r of rows) {
		const cells = [r.min, r.median, r.max].map((v) => format(v, r.unit).padStart(10)).join(' ');
		console.log(
			`${r.name.padEnd(width)}  ${String(r.runs).padStart(4)} ${cells}  ${r.ratioToFloor === null ? '' : `${r.ratioToFloor.toFixed(2)}×`}`,
		);
	}
	await writeFile(
		path.join(root, 'bench-results.json'),
		`${JSON.stringify({ machine, warmRuns: WARM_RUNS, figures: rows }, null, '\t')}\n`,
	);
	console.log('\nWrote bench-results.json');
}

await main();
