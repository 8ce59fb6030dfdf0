/**
 * `npm run bench:callpath`: what runs on a call's critical path, window by window, in two app instances
 * (the same calls as `npm run bench`'s auto-answer figures: Alice places a video call, Bob answers with
 * video the moment it rings). Not part of `npm test`; it measures and asserts nothing.
 *
 * The two windows (docs/renderer-performance.md, "Critical path"):
 * - callee: `telnyx_rtc.invite` in → `telnyx_rtc.answer` out (the frames on the page's WebSocket);
 * - caller: `telnyx_rtc.answer` in → the peer connection's `connected`.
 * For each it prints the window's length and, for every mark taken in it — the SDK's own
 * (`telnyx:call:<id>:<step>`, shown as `sdk:<step>`), the app's (`app:<step>`, `lib/call/phase-marks.ts`) and
 * the frames — the median offset from the window's start, over CALLPATH_RUNS warm calls (8).
 *
 * CALLPATH_PROFILE=1 also records a CPU profile of each window (`console.profile` at its start and
 * `console.profileEnd` at its end, in the page, through the DevTools protocol's Profiler) and prints where
 * the main thread's time went, by source file (`run.sh` then builds the renderer with source maps);
 * sampling slows the page and starting the profiler takes tens of milliseconds at the window's start, so
 * the timings of a profiled run are not the figures. CALLPATH_MEDIA=peer-to-peer
 * runs against the sandbox relaying SDPs peer to peer instead of its media gateway.
 *
 * `npm run bench:callpath` runs it as the bench runs (`test/bench/run.sh`: a D-Bus session with an unlocked
 * keyring and, as root, a loopback-only network namespace).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/support/chromium';
import globalSetup from '../e2e/support/global-setup';
import { launchApp, type AppInstance } from '../e2e/support/app-harness';
import { onboard } from '../e2e/support/softphone-helpers';
import { startSandbox } from '../sandbox/sandbox';

const root = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env['CALLPATH_RUNS'] ?? 8);
const PROFILE = process.env['CALLPATH_PROFILE'] === '1';
const MEDIA = process.env['CALLPATH_MEDIA'] === 'peer-to-peer' ? 'peer-to-peer' : 'gateway';

/**
 * In the page, before the app: every mark (kept as it is taken: the SDK clears its own when a call ends),
 * the signalling frames in and out as marks, the peer connection's `connected` as a mark, and the windows
 * opened and closed (with a CPU profile when asked).
 */
const PROBE = `(() => {
	const log = [];
	Object.defineProperty(window, '__callpath', { value: { log, windows: [] } });
	const state = window.__callpath;
	new PerformanceObserver((list) => {
		for (const e of list.getEntries()) log.push({ name: e.name, t: e.startTime });
	}).observe({ type: 'mark' });
	let open = null;
	const begin = (kind) => {
		open = { kind, start: performance.now(), end: 0 };
		if (${PROFILE}) console.profile(kind);
	};
	const finish = (kind) => {
		if (open === null || open.kind !== kind) return;
		open.end = performance.now();
		if (${PROFILE}) console.profileEnd(kind);
		state.windows.push(open);
		open = null;
	};
	const methodOf = (data) => {
		try { return typeof data === 'string' ? JSON.parse(data).method ?? null : null; } catch { return null; }
	};
	const Native = window.WebSocket;
	window.WebSocket = class extends Native {
		constructor(...args) {
			super(...args);
			// Registered before the SDK's handler, so the mark is the frame's arrival.
			this.addEventListener('message', (event) => {
				const method = methodOf(event.data);
				if (method === null) return;
				if (method === 'telnyx_rtc.invite') begin('callee');
				if (method === 'telnyx_rtc.answer') begin('caller');
				performance.mark('ws:in:' + method);
			});
		}
		send(data) {
			const method = methodOf(data);
			if (method !== null) performance.mark('ws:out:' + method);
			super.send(data);
			if (method === 'telnyx_rtc.answer') finish('callee');
		}
	};
	const NativePc = window.RTCPeerConnection;
	window.RTCPeerConnection = class extends NativePc {
		constructor(...args) {
			super(...args);
			this.addEventListener('connectionstatechange', () => {
				if (this.connectionState !== 'connected') return;
				performance.mark('pc:connected');
				finish('caller');
			});
		}
	};
})();`;

type Mark = { name: string; t: number };
type Window = { kind: 'caller' | 'callee'; start: number; end: number };
type Probe = { log: Mark[]; windows: Window[] };

const probe = (page: Page) =>
	page.evaluate(() => {
		const state = (window as unknown as { __callpath: Probe }).__callpath;
		const out = { log: [...state.log], windows: [...state.windows] };
		state.log.length = 0;
		state.windows.length = 0;
		return out;
	});

/** `telnyx:call:<uuid>:<step>` → `sdk:<step>`; other names as they are. */
const markName = (name: string) => name.replace(/^telnyx:call:[^:]+:/, 'sdk:');

interface CpuProfile {
	nodes: {
		id: number;
		callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
		children?: number[];
	}[];
	samples: number[];
	timeDeltas: number[];
}

/** Where a profile's samples went: self time by source (file or category) and inclusive time by app function. */
class ProfileSummary {
	readonly self = new Map<string, number>();
	readonly appInclusive = new Map<string, number>();
	totalMs = 0;
	#maps = new Map<string, TraceMap | null>();

	async add(profile: CpuProfile): Promise<void> {
		const parent = new Map<number, number>();
		for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
		const where = new Map<number, { source: string; fn: string }>();
		for (const n of profile.nodes) where.set(n.id, await this.#locate(n.callFrame));
		profile.samples.forEach((id, i) => {
			const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
			this.totalMs += ms;
			const leaf = where.get(id);
			if (leaf !== undefined) this.self.set(leaf.source, (this.self.get(leaf.source) ?? 0) + ms);
			const seen = new Set<string>();
			for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
				const at = where.get(n);
				if (at === undefined || !at.source.startsWith('renderer/')) continue;
				const key = `${at.source} ${at.fn}`;
				if (seen.has(key)) continue;
				seen.add(key);
				this.appInclusive.set(key, (this.appInclusive.get(key) ?? 0) + ms);
			}
		});
	}

	async #locate(
		frame: CpuProfile['nodes'][number]['callFrame'],
	): Promise<{ source: string; fn: string }> {
		if (frame.url === '')
			return { source: frame.functionName || '(native)', fn: frame.functionName };
		const file = new URL(frame.url).pathname;
		if (!this.#maps.has(file)) {
			const mapPath = path.join(root, 'dist/renderer', `${file}.map`);
			this.#maps.set(
				file,
				await readFile(mapPath, 'utf8').then(
					(text) => new TraceMap(text),
					() => null,
				),
			);
		}
		const map = this.#maps.get(file) ?? null;
		if (map === null) return { source: file, fn: frame.functionName };
		const original = originalPositionFor(map, {
			line: frame.lineNumber + 1,
			column: Math.max(0, frame.columnNumber),
		});
		const source = (original.source ?? file)
			.replace(/^.*node_modules\/(@[^/]+\/[^/]+|[^/]+)\/.*$/, 'node_modules/$1')
			.replace(/^(\.\.\/)+/, '');
		return { source, fn: original.name ?? frame.functionName };
	}
}

async function profiling(page: Page, summary: ProfileSummary): Promise<CDPSession> {
	const session = await page.context().newCDPSession(page);
	await session.send('Profiler.enable');
	await session.send('Profiler.setSamplingInterval', { interval: 100 });
	session.on('Profiler.consoleProfileFinished', (event) => {
		void summary.add(event.profile as CpuProfile);
	});
	return session;
}

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length === 0
		? Number.NaN
		: sorted.length % 2 === 1
			? (sorted[mid] ?? Number.NaN)
			: ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const fmt = (ms: number) => `${ms.toFixed(1)}`.padStart(7);

function printWindows(kind: Window['kind'], calls: { window: Window; marks: Mark[] }[]): void {
	const lengths = calls.map((c) => c.window.end - c.window.start);
	console.log(
		`\n${kind} window (${kind === 'caller' ? 'answer in → connected' : 'invite in → answer out'}), ${calls.length} calls: median ${fmt(median(lengths))} ms, min ${fmt(Math.min(...lengths))}, max ${fmt(Math.max(...lengths))}`,
	);
	const offsets = new Map<string, number[]>();
	for (const { window, marks } of calls) {
		const first = new Map<string, number>();
		for (const m of marks) {
			if (m.t < window.start - 0.01 || m.t > window.end + 0.01) continue;
			const name = markName(m.name);
			if (!first.has(name)) first.set(name, m.t - window.start);
		}
		for (const [name, t] of first) offsets.set(name, [...(offsets.get(name) ?? []), t]);
	}
	const rows = [...offsets].map(([name, ts]) => ({ name, at: median(ts), n: ts.length }));
	rows.sort((a, b) => a.at - b.at);
	console.log('   median ms   calls  mark');
	for (const r of rows) console.log(`   ${fmt(r.at)}   ${String(r.n).padStart(5)}  ${r.name}`);
}

function printProfile(kind: string, summary: ProfileSummary, calls: number): void {
	console.log(
		`\n${kind} window CPU profile: ${fmt(summary.totalMs / calls)} ms sampled per call; self time per call by source:`,
	);
	const top = [...summary.self].sort((a, b) => b[1] - a[1]).slice(0, 18);
	for (const [source, ms] of top) console.log(`   ${fmt(ms / calls)}  ${source}`);
	console.log(`${kind}: app functions, inclusive ms per call:`);
	const app = [...summary.appInclusive].sort((a, b) => b[1] - a[1]).slice(0, 18);
	for (const [fn, ms] of app) console.log(`   ${fmt(ms / calls)}  ${fn}`);
}

async function main(): Promise<void> {
	await globalSetup();
	const browser = await chromium.launch(chromiumLaunchOptions());
	const sandbox = await startSandbox(
		MEDIA === 'peer-to-peer' ? { signalling: { media: 'peer-to-peer' } } : {},
	);
	const instances: AppInstance[] = [];
	try {
		const endpoints = { restBaseUrl: sandbox.restBaseUrl, signallingUrl: sandbox.signallingUrl };
		const bob = await launchApp(browser, {
			endpoints,
			deviceName: 'Bob desktop',
			initScripts: [PROBE],
		});
		instances.push(bob);
		await onboard(bob.page, sandbox.apiKey, { name: 'Bob', number: null });
		const alice = await launchApp(browser, {
			endpoints,
			deviceName: 'Alice laptop',
			initScripts: [PROBE],
		});
		instances.push(alice);
		await onboard(alice.page, sandbox.apiKey, { name: 'Alice', number: null });
		const callerProfile = new ProfileSummary();
		const calleeProfile = new ProfileSummary();
		const sessions: CDPSession[] = [];
		await bob.page.evaluate(() => {
			new MutationObserver(() => {
				const answer = [...document.querySelectorAll('[role="alertdialog"] button')].find(
					(b) => b.textContent === 'Answer with video',
				);
				(answer as HTMLButtonElement | undefined)?.click();
			}).observe(document, { subtree: true, childList: true });
		});
		const caller: { window: Window; marks: Mark[] }[] = [];
		const callee: { window: Window; marks: Mark[] }[] = [];
		// Call 0 warms both pages (first getUserMedia, first AudioContext); it is not counted.
		for (let run = 0; run <= RUNS; run += 1) {
			if (run === 1 && PROFILE) {
				sessions.push(await profiling(alice.page, callerProfile));
				sessions.push(await profiling(bob.page, calleeProfile));
			}
			await Promise.all([probe(alice.page), probe(bob.page)]);
			await alice.page.getByRole('button', { name: 'Video call Bob desktop' }).click();
			await alice.page.getByTestId('call-phase').filter({ hasText: 'In call' }).waitFor();
			// A window that never closes (the caller's media connected before the answer frame came) is left out.
			for (const page of [alice.page, bob.page])
				await page
					.waitForFunction(
						() => (window as unknown as { __callpath: Probe }).__callpath.windows.length > 0,
						undefined,
						{ timeout: 5000 },
					)
					.catch(() => console.log(`\n  run ${run}: a window did not close`));
			// Marks taken just after the window (e.g. deferred work) are kept too, for the log below.
			await new Promise((resolve) => setTimeout(resolve, 300));
			const [a, b] = [await probe(alice.page), await probe(bob.page)];
			if (run > 0) {
				const aw = a.windows.find((w) => w.kind === 'caller');
				const bw = b.windows.find((w) => w.kind === 'callee');
				if (aw !== undefined) caller.push({ window: aw, marks: a.log });
				if (bw !== undefined) callee.push({ window: bw, marks: b.log });
				if (run === 1) {
					console.log('\nFirst counted call, every mark (ms from its window start):');
					for (const [who, w, log] of [
						['caller', aw, a.log],
						['callee', bw, b.log],
					] as const) {
						if (w === undefined) continue;
						for (const m of log)
							console.log(`   ${who} ${fmt(m.t - w.start)}  ${markName(m.name)}`);
					}
				}
			}
			await alice.page.getByRole('button', { name: 'Hang up' }).click();
			for (const page of [alice.page, bob.page]) {
				await page.getByRole('button', { name: 'Close' }).click();
				await page.getByLabel('Number, SIP address or installation').waitFor();
			}
		}
		console.log(`\nMedia: ${MEDIA}; warm calls: ${RUNS}; profiled: ${PROFILE ? 'yes' : 'no'}`);
		printWindows('callee', callee);
		printWindows('caller', caller);
		if (PROFILE) {
			await new Promise((resolve) => setTimeout(resolve, 500));
			printProfile('callee', calleeProfile, callee.length);
			printProfile('caller', callerProfile, caller.length);
		}
		for (const s of sessions) await s.detach().catch(() => undefined);
	} finally {
		for (const instance of instances.reverse()) await instance.close().catch(() => undefined);
		await sandbox.close();
		await browser.close();
	}
}

await main();
