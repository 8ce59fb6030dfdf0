/**
 * Steps and measurements for end-to-end tests of the softphone UI. Media is measured from the page's own
 * elements and peer connections (collected by a test-only wrapper installed before the app loads), never
 * from a state string.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';
import type { Sandbox } from '../../sandbox/sandbox';

/** Collects every RTCPeerConnection the page creates, for RTP counters. Test instrumentation only. */
export const PEER_CONNECTION_SPY = `(() => {
	const Native = window.RTCPeerConnection;
	const list = [];
	Object.defineProperty(window, '__peerConnections', { value: list });
	window.RTCPeerConnection = class extends Native {
		constructor(...args) { super(...args); list.push(this); }
	};
})();`;

export interface Counters {
	readonly videoFramesDecoded: number;
	readonly audioPacketsReceived: number;
	readonly audioEnergy: number;
}

/** Inbound RTP counters summed over the page's open peer connections. */
export async function inboundCounters(page: Page): Promise<Counters> {
	return page.evaluate(async () => {
		const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
		let videoFramesDecoded = 0;
		let audioPacketsReceived = 0;
		let audioEnergy = 0;
		for (const pc of pcs) {
			if (pc.connectionState === 'closed') continue;
			const stats = await pc.getStats();
			stats.forEach((r: Record<string, unknown>) => {
				if (r['type'] !== 'inbound-rtp') return;
				if (r['kind'] === 'video') videoFramesDecoded += Number(r['framesDecoded'] ?? 0);
				if (r['kind'] === 'audio') {
					audioPacketsReceived += Number(r['packetsReceived'] ?? 0);
					audioEnergy += Number(r['totalAudioEnergy'] ?? 0);
				}
			});
		}
		return { videoFramesDecoded, audioPacketsReceived, audioEnergy };
	});
}

/** Frames the remote video element presents in `ms`, and its size. */
export async function renderedFrames(
	page: Page,
	ms = 1000,
): Promise<{ frames: number; width: number }> {
	return page.evaluate(
		(duration) =>
			new Promise<{ frames: number; width: number }>((resolve) => {
				const video = document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]');
				if (video === null) {
					resolve({ frames: 0, width: 0 });
					return;
				}
				let frames = 0;
				const count = () => {
					frames += 1;
					video.requestVideoFrameCallback(count);
				};
				video.requestVideoFrameCallback(count);
				setTimeout(() => resolve({ frames, width: video.videoWidth }), duration);
			}),
		ms,
	);
}

/** The page's JavaScript heap in use after a forced garbage collection, in bytes. */
export async function heapAfterGc(page: Page): Promise<number> {
	const session = await page.context().newCDPSession(page);
	await session.send('HeapProfiler.collectGarbage');
	const { usedSize } = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
	await session.detach();
	return usedSize;
}

/** From now on the page presses `button` on every incoming-call dialog as soon as it shows. */
export async function answerEveryCall(page: Page, button: string): Promise<void> {
	await page.evaluate((label) => {
		new MutationObserver(() => {
			const answer = [...document.querySelectorAll('[role="alertdialog"] button')].find(
				(b) => b.textContent === label,
			);
			(answer as HTMLButtonElement | undefined)?.click();
		}).observe(document, { subtree: true, childList: true });
	}, button);
}

/** Inbound audio energy per second (0 when the other side sends silence). */
export async function audioEnergyPerSecond(page: Page): Promise<number> {
	const before = await inboundCounters(page);
	await page.waitForTimeout(1500);
	const after = await inboundCounters(page);
	return (after.audioEnergy - before.audioEnergy) / 1.5;
}

/** From the first screen to "Ready": API key, provisioning, caller ID (each screen checked when `testInfo` is given). */
export async function onboard(
	page: Page,
	apiKey: string,
	callerId: { name: string; number: string | null },
	testInfo?: TestInfo,
): Promise<void> {
	await page.getByLabel('Telnyx API key').fill(apiKey);
	await page.getByRole('button', { name: 'Connect' }).click();
	await expect(page.getByRole('button', { name: 'Set up my account' })).toBeVisible();
	if (testInfo !== undefined) await checkScreen(page, testInfo, 'onboarding: set up calling');
	await page.getByRole('button', { name: 'Set up my account' }).click();
	await expect(page.getByRole('heading', { name: 'Caller ID' })).toBeVisible();
	if (testInfo !== undefined) await checkScreen(page, testInfo, 'onboarding: caller ID');
	await page.getByLabel(/^Name/).fill(callerId.name);
	if (callerId.number !== null) {
		await expect(page.getByRole('option', { name: callerId.number })).toBeAttached();
		await page.getByLabel('Number').selectOption(callerId.number);
	}
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByTestId('connection-status')).toHaveText('Ready');
}

/** Saves a screenshot with the report and fails on any serious or critical axe violation. */
export async function checkScreen(page: Page, testInfo: TestInfo, name: string): Promise<void> {
	const file = testInfo.outputPath(`screen-${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
	await page.screenshot({ fullPage: true, path: file });
	await testInfo.attach(`screen: ${name}`, { path: file, contentType: 'image/png' });
	const results = await new AxeBuilder({ page }).analyze();
	const serious = results.violations.filter(
		(v) => v.impact === 'serious' || v.impact === 'critical',
	);
	expect(
		serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
		`axe on ${name}`,
	).toEqual([]);
}

/**
 * Keeps every track `getUserMedia` hands the page, so a test can tell whether the microphone (or camera)
 * is still held after a call ends. Test instrumentation only; install it with `initScripts`.
 */
export const MEDIA_STREAM_SPY = `(() => {
	const tracks = [];
	Object.defineProperty(window, '__capturedTracks', { value: tracks });
	const devices = navigator.mediaDevices;
	const native = devices.getUserMedia.bind(devices);
	devices.getUserMedia = async (constraints) => {
		const stream = await native(constraints);
		tracks.push(...stream.getTracks());
		return stream;
	};
})();`;

/** The tracks of `kind` the page got from `getUserMedia` (see `MEDIA_STREAM_SPY`), and how many are still live. */
export async function liveCaptureTracks(
	page: Page,
	kind: 'audio' | 'video' = 'audio',
): Promise<{ live: number; total: number }> {
	return page.evaluate((wanted) => {
		const captured = (window as unknown as { __capturedTracks: MediaStreamTrack[] })
			.__capturedTracks;
		const tracks = captured.filter((t) => t.kind === wanted);
		return { live: tracks.filter((t) => t.readyState === 'live').length, total: tracks.length };
	}, kind);
}

/**
 * Keeps every `AudioContext` the page creates. The app synthesises its ringtone and ringback with Web Audio
 * (`renderer/src/lib/sound/tones.ts`) in a context it closes when the tone stops, so a context still open
 * is a tone still playing. Test instrumentation only; install it with `initScripts`.
 */
export const TONE_SPY = `(() => {
	const contexts = [];
	Object.defineProperty(window, '__audioContexts', { value: contexts });
	const Native = window.AudioContext;
	window.AudioContext = class extends Native {
		constructor(...args) { super(...args); contexts.push(this); }
	};
})();`;

/** How many of the page's audio contexts (see `TONE_SPY`) are still open: tones still playing. */
export async function openTones(page: Page): Promise<number> {
	return page.evaluate(
		() =>
			(window as unknown as { __audioContexts: AudioContext[] }).__audioContexts.filter(
				(context) => context.state !== 'closed',
			).length,
	);
}

/**
 * Records every text the status bar shows, with the time it appeared (test instrumentation, installed before
 * the app loads), so a state that lasts a few milliseconds — "Connecting to Telnyx…" — is seen too. A DOM
 * observer runs in a hidden page as in a visible one (it is not a timer).
 */
export const STATUS_RECORDER = `(() => {
	const seen = [];
	Object.defineProperty(window, '__statusTexts', { value: seen });
	let last = null;
	const read = () => {
		const element = document.querySelector('[data-testid="connection-status"]');
		const text = element === null ? null : element.textContent;
		if (text !== null && text !== last) {
			last = text;
			seen.push({ text, at: Date.now() });
		}
	};
	new MutationObserver(read).observe(document, { subtree: true, childList: true, characterData: true });
})();`;

export interface Seen {
	readonly text: string;
	/** When it appeared (ms since the epoch, the page's clock). */
	readonly at: number;
}

/** The status bar's texts since `since`, oldest first. */
export async function shownSince(page: Page, since: number): Promise<Seen[]> {
	const seen = await page.evaluate(
		() => (window as unknown as { __statusTexts: Seen[] }).__statusTexts,
	);
	return seen.filter((s) => s.at >= since);
}

export const textsSince = async (page: Page, since: number) =>
	(await shownSince(page, since)).map((s) => s.text);

/** Audio packets keep arriving at `page` (counted over half a second, from the RTP statistics). */
export async function expectAudioArriving(page: Page, label: string): Promise<void> {
	await expect
		.poll(
			async () => {
				const before = await inboundCounters(page);
				await page.waitForTimeout(500);
				const after = await inboundCounters(page);
				return after.audioPacketsReceived - before.audioPacketsReceived;
			},
			{ message: `audio arriving at ${label}`, timeout: 10_000, intervals: [0] },
		)
		.toBeGreaterThan(10);
}

export interface Login {
	readonly reconnection: boolean;
	readonly sessid: unknown;
}

/** Login requests the sandbox received, oldest first. */
export function logins(sandbox: Sandbox): Login[] {
	return sandbox.admin
		.frames()
		.filter((f) => f.direction === 'in' && f.method === 'login')
		.map((f) => {
			const params = (f.frame as { params?: { reconnection?: unknown; sessid?: unknown } }).params;
			return { reconnection: params?.reconnection === true, sessid: params?.sessid };
		});
}
