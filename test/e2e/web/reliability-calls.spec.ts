/**
 * Call-level faults with the real app (issue 16, item 2): two instances through the harness, the real
 * `@telnyx/webrtc` SDK in each page, the sandbox as Telnyx. Each test checks what the user sees (status bar,
 * notices, call panel, history) and what the wire says (the sandbox's frame log and call record, and the
 * page's own socket).
 *
 * The SDK's timers, read from `@telnyx/webrtc` 2.27.10 (`lib/bundle.mjs`, its signalling health monitor): a
 * check every 3 s from the moment the socket opens, with or without a call; at the first check that finds no
 * inbound frame for 20 s (`>= 2e4`) it sends a `telnyx_rtc.ping` probe, and at the first check at least 5 s
 * later (`>= 5e3`) with the probe unanswered it raises SIGNALING_RECOVERY_REQUIRED (36003) and closes the
 * socket; the reconnect follows after 1 s · 2^(n−1) ± 25 %. So a silenced socket is given up 26–29 s after
 * its last inbound frame, and the app is Ready about a second later. The figures are literals in the
 * monitor: no client option shortens them, and these tests shorten nothing (no fake clock either: it
 * would also skew the app's own timers and the SDK's call statistics).
 *
 * W7, W10 and the third race of W17 need frames the sandbox cannot send, or frames delivered late: they
 * put Playwright's `routeWebSocket` between Alice's page and the sandbox (`SignallingTap`).
 */
import { randomUUID } from 'node:crypto';
import { expect, type Page, type WebSocketRoute } from '@playwright/test';
import type { CallHistoryEntry } from '../../../preload/contract';
import { localFailure, warningMessage } from '../../../renderer/src/lib/telephony/messages';
import type { Sandbox } from '../../sandbox/sandbox';
import type { AppInstance } from '../support/app-harness';
import { sandboxTest, type Launch } from '../support/fixtures';
import {
	MEDIA_STREAM_SPY,
	PEER_CONNECTION_SPY,
	expectAudioArriving,
	liveCaptureTracks,
	onboard,
} from '../support/softphone-helpers';

/**
 * What the page shows, whenever it changes: the status bar, the notices, the call panel's phase, the call
 * media elements (one per call carrying media) and the incoming-call dialogs. Test instrumentation only.
 */
const UI_LOG = `(() => {
	const log = [];
	Object.defineProperty(window, '__uiLog', { value: log });
	let last = '';
	const text = (selector) => [...document.querySelectorAll(selector)].map((e) => (e.textContent ?? '').trim());
	const read = () => {
		const entry = {
			status: text('[data-testid="connection-status"]')[0] ?? '',
			notices: text('.notices .notice span'),
			phases: text('[data-testid="call-phase"]'),
			rows: document.querySelectorAll('[data-testid="call-media"]').length,
			incoming: document.querySelectorAll('[role="alertdialog"]').length,
		};
		const key = JSON.stringify(entry);
		if (key === last) return;
		last = key;
		log.push({ at: Date.now(), ...entry });
	};
	const start = () =>
		new MutationObserver(read).observe(document.documentElement, { subtree: true, childList: true, characterData: true });
	if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
	else start();
})();`;

/**
 * The page's own signalling socket: each frame's method (or the id it answers), when, and the states of the
 * page's peer connections at that moment (before the SDK handles the frame: this listener is the first).
 * Needs PEER_CONNECTION_SPY first. Test instrumentation only.
 */
const SOCKET_LOG = `(() => {
	const log = [];
	Object.defineProperty(window, '__socketLog', { value: log });
	const pcs = () => (window.__peerConnections ?? []).map((pc) => pc.iceConnectionState + '/' + pc.connectionState);
	const describe = (data) => {
		try {
			const frame = JSON.parse(data);
			return { method: frame.method ?? null, id: frame.id ?? null };
		} catch {
			return { method: null, id: null };
		}
	};
	const Native = window.WebSocket;
	window.WebSocket = class extends Native {
		constructor(...args) {
			super(...args);
			log.push({ at: Date.now(), dir: 'open', method: null, id: null, pcs: pcs() });
			this.addEventListener('message', (event) => log.push({ at: Date.now(), dir: 'in', ...describe(event.data), pcs: pcs() }));
			this.addEventListener('close', () => log.push({ at: Date.now(), dir: 'close', method: null, id: null, pcs: pcs() }));
		}
		send(data) {
			log.push({ at: Date.now(), dir: 'out', ...describe(data), pcs: pcs() });
			return super.send(data);
		}
	};
})();`;

const test = sandboxTest({
	initScripts: [PEER_CONNECTION_SPY, MEDIA_STREAM_SPY, UI_LOG, SOCKET_LOG],
});

interface UiEntry {
	readonly at: number;
	readonly status: string;
	readonly notices: readonly string[];
	readonly phases: readonly string[];
	readonly rows: number;
	readonly incoming: number;
}

interface SocketEntry {
	readonly at: number;
	readonly dir: 'open' | 'in' | 'out' | 'close';
	readonly method: string | null;
	readonly id: unknown;
	readonly pcs: readonly string[];
}

interface Phone {
	readonly app: AppInstance;
	readonly page: Page;
	/** Uncaught errors and unhandled rejections in the page (`pageerror`). */
	readonly errors: string[];
	sipUsername(): string;
}

const uiLog = (page: Page) =>
	page.evaluate(() => (window as unknown as { __uiLog: UiEntry[] }).__uiLog);
const socketLog = (page: Page) =>
	page.evaluate(() => (window as unknown as { __socketLog: SocketEntry[] }).__socketLog);

const phase = (page: Page) => page.getByTestId('call-phase');
const status = (page: Page) => page.getByTestId('connection-status');
/** Polls often: the default back-off (up to 1 s) would blur the timings these tests report. */
const OFTEN = { intervals: [100] };
const SIGNALLING_LOST = warningMessage(36003)!;

async function launchPhone(
	launch: Launch,
	sandbox: Sandbox,
	deviceName: string,
	options: { beforeOnboarding?: (page: Page) => Promise<void> } = {},
): Promise<Phone> {
	const app = await launch(deviceName);
	const errors: string[] = [];
	app.page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
	await options.beforeOnboarding?.(app.page);
	await onboard(app.page, sandbox.apiKey, { name: deviceName.split(' ')[0]!, number: null });
	return {
		app,
		page: app.page,
		errors,
		sipUsername: () => {
			const provisioned = app.services.settings.get().provisioned;
			if (provisioned === null) throw new Error(`${deviceName} is not provisioned`);
			return provisioned.sipUsername;
		},
	};
}

/** Bob's and Alice's installations (Bob first, so Alice's directory lists him). */
async function onboardedPair(
	launch: Launch,
	sandbox: Sandbox,
	options: { beforeAlice?: (page: Page) => Promise<void> } = {},
): Promise<{ alice: Phone; bob: Phone }> {
	// Telnyx's few seconds before a new credential may log in only slow these tests down.
	sandbox.admin.setSignalling({ credentialPropagationMs: 0 });
	const bob = await launchPhone(launch, sandbox, 'Bob desktop');
	const alice = await launchPhone(launch, sandbox, 'Alice laptop', {
		...(options.beforeAlice === undefined ? {} : { beforeOnboarding: options.beforeAlice }),
	});
	return { alice, bob };
}

/** Alice calls Bob and Bob answers: both say "In call". */
async function connectCall(alice: Phone, bob: Phone): Promise<void> {
	await alice.page.getByRole('button', { name: 'Call Bob desktop', exact: true }).click();
	await bob.page.getByRole('button', { name: 'Answer', exact: true }).click();
	await expect(phase(alice.page)).toHaveText('In call');
	await expect(phase(bob.page)).toHaveText('In call');
}

/** The sandbox's frames of one socket (`client`: the sandbox's id for it). */
function framesOf(sandbox: Sandbox, client: number) {
	return sandbox.admin.frames().filter((f) => f.client === client);
}

/** The sandbox's ids of the sockets that logged in as `sipUsername`, oldest first. */
function socketsOf(sandbox: Sandbox, sipUsername: string): number[] {
	const sessids = new Set(
		sandbox.admin
			.sessions()
			.filter((s) => s.sipUsername === sipUsername)
			.map((s) => s.sessid),
	);
	return sandbox.admin
		.frames()
		.filter((f) => {
			const result = (f.frame as { result?: { message?: unknown; sessid?: unknown } }).result;
			return (
				f.direction === 'out' &&
				result?.message === 'logged in' &&
				typeof result.sessid === 'string' &&
				sessids.has(result.sessid)
			);
		})
		.map((f) => f.client);
}

const paramsOf = (frame: unknown): Record<string, unknown> =>
	(frame as { params?: Record<string, unknown> }).params ?? {};
const timeOf = (entry: { time: string }) => Date.parse(entry.time);

async function history(phone: Phone): Promise<readonly CallHistoryEntry[]> {
	return phone.app.services.handlers.history.list();
}
const historyAdds = (phone: Phone) => phone.app.ipc.calls.filter((c) => c === 'history:add').length;
const rendererErrors = (phone: Phone) => phone.app.log.filter((l) => l.includes('renderer.error'));

/** The first UI entry from `from` on that matches, or undefined. */
function firstUi(log: readonly UiEntry[], from: number, match: (e: UiEntry) => boolean) {
	return log.find((e) => e.at >= from && match(e));
}

/**
 * Silences `phone`'s socket (half-open: TCP up, nothing read or written) and follows it to Ready again:
 * when the SDK gave up on the socket (the 36003 notice), when its reconnect login reached the sandbox, and
 * when the status bar said Ready again.
 */
async function silenceUntilReady(
	sandbox: Sandbox,
	phone: Phone,
): Promise<{
	silencedAt: number;
	quietBeforeMs: number;
	noticeMs: number;
	probeMs: number | null;
	closeMs: number | null;
	reconnectLoginMs: number;
	readyMs: number;
	oldSocket: number;
	newSocket: number;
	oldSessid: string;
}> {
	const user = phone.sipUsername();
	const [oldSocket] = socketsOf(sandbox, user).slice(-1);
	if (oldSocket === undefined) throw new Error('no socket logged in');
	const oldSessid = sandbox.admin.sessions().find((s) => s.sipUsername === user)!.sessid;
	const lastOut = framesOf(sandbox, oldSocket)
		.filter((f) => f.direction === 'out')
		.at(-1)!;
	const silencedAt = Date.now();
	expect(sandbox.admin.silence(user)).toBe(1);
	const quietBeforeMs = silencedAt - timeOf(lastOut);

	// The user is told the connection stopped answering, then the status bar leaves Ready and comes back.
	await expect(phone.page.getByText(SIGNALLING_LOST)).toBeVisible({ timeout: 35_000 });
	await expect
		.poll(async () => {
			const log = await uiLog(phone.page);
			const away = firstUi(log, silencedAt, (e) => e.status !== 'Ready');
			return away !== undefined && firstUi(log, away.at, (e) => e.status === 'Ready') !== undefined;
		}, OFTEN)
		.toBe(true);
	const log = await uiLog(phone.page);
	const notice = firstUi(log, silencedAt, (e) => e.notices.includes(SIGNALLING_LOST))!;
	const away = firstUi(log, silencedAt, (e) => e.status !== 'Ready')!;
	const ready = firstUi(log, away.at, (e) => e.status === 'Ready')!;

	const page = await socketLog(phone.page);
	const probe = page.find(
		(e) => e.at >= silencedAt && e.dir === 'out' && e.method === 'telnyx_rtc.ping',
	);
	const close = page.find((e) => e.at >= silencedAt && e.dir === 'close');
	const newSocket = socketsOf(sandbox, user).at(-1)!;
	expect(newSocket).not.toBe(oldSocket);
	const login = framesOf(sandbox, newSocket).find(
		(f) => f.direction === 'in' && f.method === 'login',
	)!;
	// A reconnection presenting the old session, so the sandbox can give its calls back.
	expect(paramsOf(login.frame)).toMatchObject({ reconnection: true, sessid: oldSessid });
	return {
		silencedAt,
		quietBeforeMs,
		noticeMs: notice.at - silencedAt,
		probeMs: probe === undefined ? null : probe.at - silencedAt,
		closeMs: close === undefined ? null : close.at - silencedAt,
		reconnectLoginMs: timeOf(login) - silencedAt,
		readyMs: ready.at - silencedAt,
		oldSocket,
		newSocket,
		oldSessid,
	};
}

function report(name: string, facts: Record<string, unknown>): void {
	const description = Object.entries(facts)
		.map(([key, value]) => `${key} ${String(value)}`)
		.join('; ');
	test.info().annotations.push({ type: name, description });
	console.log(`[reliability-calls] ${name}: ${description}`);
}

test('W4: a half-open idle socket is noticed by the SDK’s probe and the app is Ready again within 35 s', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(75_000);
	sandbox.admin.setSignalling({ credentialPropagationMs: 0 });
	const alice = await launchPhone(launch, sandbox, 'Alice laptop');

	const t = await silenceUntilReady(sandbox, alice);
	report('W4 timings (ms after silence)', {
		'last frame before silence': `${t.quietBeforeMs} ms earlier`,
		probe: t.probeMs,
		'36003 notice': t.noticeMs,
		'socket closed': t.closeMs,
		'reconnect login': t.reconnectLoginMs,
		Ready: t.readyMs,
	});
	// The probe's doing, not a socket error: 20 s of silence, then 5 s without an answer.
	expect(t.noticeMs + t.quietBeforeMs).toBeGreaterThanOrEqual(25_000);
	expect(t.readyMs).toBeLessThan(35_000);
	// On the way, the user saw the reconnect (not a failure) and never an error.
	const seen = (await uiLog(alice.page)).filter((e) => e.at >= t.silencedAt).map((e) => e.status);
	expect(seen.some((s) => /^(Connection lost|Reconnecting|Connecting)/.test(s))).toBe(true);
	expect(seen.filter((s) => !/^(Ready|Connection lost|Reconnecting|Connecting)/.test(s))).toEqual(
		[],
	);
	// One session for the user again, connected and answering.
	expect(sandbox.admin.sessions()).toMatchObject([
		{ sipUsername: alice.sipUsername(), sessid: t.oldSessid, connected: true, silent: false },
	]);
	await expect(status(alice.page)).toHaveText('Ready');
	expect(alice.errors).toEqual([]);
});

test('W5: a half-open socket during a call: reconnected, the call reattached, one call row, media flowing', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(100_000);
	const { alice, bob } = await onboardedPair(launch, sandbox);
	await connectCall(alice, bob);
	await expectAudioArriving(alice.page, 'Alice');
	const [record] = sandbox.admin.calls();
	expect(sandbox.admin.signalling().reattach).toBe('list');

	const t = await silenceUntilReady(sandbox, alice);
	// The sandbox gave the call back in the reconnect's clientReady; nothing re-invited or attached it.
	const newFrames = framesOf(sandbox, t.newSocket);
	const ready = newFrames.find((f) => f.method === 'telnyx_rtc.clientReady')!;
	expect(paramsOf(ready.frame)['reattached_sessions']).toEqual([record!.callerCallId]);
	expect(
		newFrames.filter((f) => ['telnyx_rtc.invite', 'telnyx_rtc.attach'].includes(f.method ?? '')),
	).toEqual([]);
	report('W5 timings (ms after silence)', {
		'last frame before silence': `${t.quietBeforeMs} ms earlier`,
		probe: t.probeMs,
		'36003 notice': t.noticeMs,
		'socket closed': t.closeMs,
		'reconnect login': t.reconnectLoginMs,
		'reattached (clientReady)': timeOf(ready) - t.silencedAt,
		Ready: t.readyMs,
	});
	expect(t.readyMs).toBeLessThan(35_000);

	// One call, still in progress, on both sides; it never left "In call" and never showed twice.
	await expect(phase(alice.page)).toHaveText('In call');
	await expect(phase(bob.page)).toHaveText('In call');
	await expect(alice.page.getByTestId('call-media')).toHaveCount(1);
	await expect(alice.page.getByRole('alertdialog')).toHaveCount(0);
	await expect(alice.page.locator('.held-call')).toHaveCount(0);
	const during = (await uiLog(alice.page)).filter((e) => e.at >= t.silencedAt);
	expect(new Set(during.flatMap((e) => e.phases))).toEqual(new Set(['In call']));
	expect(Math.max(...during.map((e) => e.rows))).toBe(1);
	expect(sandbox.admin.calls()).toHaveLength(1);
	expect(sandbox.admin.calls()[0]).toMatchObject({ state: 'active', hangup: null });
	await expectAudioArriving(alice.page, 'Alice after the reconnect');
	await expectAudioArriving(bob.page, 'Bob after Alice’s reconnect');

	// Hung up normally afterwards: one history entry each.
	await alice.page.getByRole('button', { name: 'Hang up' }).click();
	await expect(phase(bob.page)).toHaveText('The other side hung up.');
	await expect.poll(() => history(alice).then((h) => h.length)).toBe(1);
	await expect.poll(() => history(bob).then((h) => h.length)).toBe(1);
	expect((await history(alice))[0]).toMatchObject({ answered: true, endReason: 'hangup-local' });
	expect([historyAdds(alice), historyAdds(bob)]).toEqual([1, 1]);
	expect([...alice.errors, ...bob.errors]).toEqual([]);
});

test('W6: a half-open socket during a call the sandbox does not reattach: the call ends in words on both sides and the microphone is released', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(100_000);
	const { alice, bob } = await onboardedPair(launch, sandbox);
	await connectCall(alice, bob);
	await expectAudioArriving(alice.page, 'Alice');
	expect((await liveCaptureTracks(alice.page)).live).toBeGreaterThan(0);
	sandbox.admin.setSignalling({ reattach: 'none' });
	const lost = localFailure(48501);

	const t = await silenceUntilReady(sandbox, alice);
	const newFrames = framesOf(sandbox, t.newSocket);
	const ready = newFrames.find((f) => f.method === 'telnyx_rtc.clientReady')!;
	expect(paramsOf(ready.frame)['reattached_sessions']).toEqual([]);
	report('W6 timings (ms after silence)', {
		'last frame before silence': `${t.quietBeforeMs} ms earlier`,
		'36003 notice': t.noticeMs,
		'reconnect login': t.reconnectLoginMs,
		'not reattached (clientReady)': timeOf(ready) - t.silencedAt,
		Ready: t.readyMs,
	});

	// Bob: the sandbox ended his leg when Alice's session came back without its call.
	await expect(phase(bob.page)).toHaveText(
		'The call was lost: the other side’s network went away.',
	);
	const [record] = sandbox.admin.calls();
	expect(record).toMatchObject({
		state: 'ended',
		hangup: { cause: 'NORMAL_TEMPORARY_FAILURE', sipCode: 503, by: 'sandbox' },
	});
	// Alice: the SDK ended the call itself (SESSION_NOT_REATTACHED, no BYE on the wire) and the app says so.
	await expect(alice.page.getByText(lost.message).first()).toBeVisible();
	await expect(phase(alice.page)).not.toHaveText('In call');
	const aliceEnd = await phase(alice.page).textContent();
	expect.soft(aliceEnd, 'Alice’s call panel says why the call ended (48501)').toBe(lost.message);
	expect(
		sandbox.admin
			.frames()
			.filter(
				(f) => f.direction === 'in' && f.method === 'telnyx_rtc.bye' && f.client === t.newSocket,
			),
	).toEqual([]);

	// Alice's microphone is released: no captured audio track is live, and no call media element is left.
	await expect.poll(async () => (await liveCaptureTracks(alice.page)).live).toBe(0);
	await expect(alice.page.getByTestId('call-media')).toHaveCount(0);
	await expect(status(alice.page)).toHaveText('Ready');

	// One history entry each, each with its reason.
	await expect.poll(() => history(alice).then((h) => h.length)).toBe(1);
	await expect.poll(() => history(bob).then((h) => h.length)).toBe(1);
	expect((await history(bob))[0]).toMatchObject({
		endReason: 'network',
		cause: 'NORMAL_TEMPORARY_FAILURE',
	});
	expect
		.soft((await history(alice))[0], 'Alice’s history entry keeps the 48501 reason')
		.toMatchObject({ endReason: lost.kind, endMessage: lost.message });
	expect([historyAdds(alice), historyAdds(bob)]).toEqual([1, 1]);
	expect([
		...alice.errors,
		...bob.errors,
		...rendererErrors(alice),
		...rendererErrors(bob),
	]).toEqual([]);
});

interface TappedFrame {
	readonly socket: number;
	readonly at: number;
	readonly frame: Record<string, unknown>;
}

/**
 * A man in the middle on one page's signalling socket (Playwright's `routeWebSocket`), for frames the
 * sandbox cannot send: frames can be pushed to the page as if from the server, and the gateway state of
 * the next socket withheld (every `gatewayState` answered NOREG instead of REGED). Everything else passes
 * through unchanged, both ways.
 */
class SignallingTap {
	readonly fromPage: TappedFrame[] = [];
	readonly toPage: TappedFrame[] = [];
	#sockets: WebSocketRoute[] = [];
	#withholdNext = false;
	#hold: {
		from: string;
		until: string;
		gapMs: number;
		onHold: () => void;
		held: string[] | null;
	} | null = null;

	static async install(page: Page, signallingUrl: string): Promise<SignallingTap> {
		const tap = new SignallingTap();
		const port = new URL(signallingUrl).port;
		await page.routeWebSocket(
			(url) => url.port === port,
			(ws) => tap.#route(ws),
		);
		// Only sockets of scripts loaded after the route are routed (the SDK keeps the WebSocket class it
		// found at load): load the app again, before anything connects.
		await page.reload();
		return tap;
	}

	get sockets(): number {
		return this.#sockets.length;
	}

	/** Sends `frame` to the page on its newest socket, as the server would. */
	push(frame: Record<string, unknown>): void {
		const ws = this.#sockets.at(-1);
		if (ws === undefined) throw new Error('no socket to push to');
		this.toPage.push({ socket: this.#sockets.length, at: Date.now(), frame });
		ws.send(JSON.stringify({ jsonrpc: '2.0', ...frame }));
	}

	/** The next socket the page opens gets NOREG for every gatewayState (so no REGED, no telnyx.ready). */
	withholdRegistrationOnNextSocket(): void {
		this.#withholdNext = true;
	}

	/**
	 * Delays what the server sends from the next `from` frame on, until a `until` frame comes: then they
	 * all go to the page in their order, `until` itself `gapMs` after the others (as a slow network delivers
	 * them). `onHold` runs when the holding starts.
	 */
	holdFrames(from: string, until: string, gapMs: number, onHold: () => void): void {
		this.#hold = { from, until, gapMs, onHold, held: null };
	}

	/** Forwards a server frame to the page, or keeps it while a hold is on. */
	#deliver(ws: WebSocketRoute, method: unknown, message: string): void {
		const hold = this.#hold;
		if (hold !== null && hold.held === null && method === hold.from) {
			hold.held = [];
			hold.onHold();
		}
		if (hold === null || hold.held === null) {
			ws.send(message);
			return;
		}
		if (method !== hold.until) {
			hold.held.push(message);
			return;
		}
		this.#hold = null;
		for (const held of hold.held) ws.send(held);
		setTimeout(() => ws.send(message), hold.gapMs);
	}

	#route(ws: WebSocketRoute): void {
		this.#sockets.push(ws);
		const socket = this.#sockets.length;
		const withhold = this.#withholdNext;
		this.#withholdNext = false;
		const gatewayStates = new Set<unknown>();
		const server = ws.connectToServer();
		ws.onMessage((message) => {
			const frame = parseFrame(message);
			if (frame !== null) {
				this.fromPage.push({ socket, at: Date.now(), frame });
				if (withhold && frame['method'] === 'telnyx_rtc.gatewayState')
					gatewayStates.add(frame['id']);
			}
			server.send(message);
		});
		server.onMessage((message) => {
			const frame = parseFrame(message);
			if (frame !== null && gatewayStates.delete(frame['id'])) {
				const noreg = { ...frame, result: { params: { state: 'NOREG' } } };
				this.toPage.push({ socket, at: Date.now(), frame: noreg });
				ws.send(JSON.stringify(noreg));
				return;
			}
			if (frame !== null) this.toPage.push({ socket, at: Date.now(), frame });
			this.#deliver(ws, frame?.['method'], message.toString());
		});
	}
}

function parseFrame(message: string | Buffer): Record<string, unknown> | null {
	try {
		const frame: unknown = JSON.parse(message.toString());
		return typeof frame === 'object' && frame !== null ? (frame as Record<string, unknown>) : null;
	} catch {
		return null;
	}
}

/**
 * W7. The sandbox never sends `telnyx_rtc.attach`, so the tap sends one, for a callID nobody knows, while a
 * call is up. The SDK (2.27.10, its Verto handler) then warns UNKNOWN_REATTACHED_SESSION (35002) and only
 * acknowledges it. Not tested here: the same attach to a page with no call at all, which the SDK takes as a
 * call to recover (it creates a call, opens the microphone and answers with a `telnyx_rtc.attach` of its
 * own); the sandbox refuses that request (-32601), so the outcome would be the sandbox's, not Telnyx's.
 */
test('W7: an attach for a callID the app does not know neither adds a call nor disturbs the call in progress', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(60_000);
	let tap: SignallingTap | undefined;
	const { alice, bob } = await onboardedPair(launch, sandbox, {
		beforeAlice: async (page) => {
			tap = await SignallingTap.install(page, sandbox.signallingUrl);
		},
	});
	await connectCall(alice, bob);
	await expectAudioArriving(alice.page, 'Alice');
	const [record] = sandbox.admin.calls();
	// A real offer (the gateway's, to Bob), under a callID nobody knows.
	const offer = sandbox.admin
		.frames()
		.find((f) => f.direction === 'out' && f.method === 'telnyx_rtc.invite')!;
	const unknownCallId = randomUUID();
	const attachId = 990_001;
	const before = await uiLog(alice.page);
	tap!.push({
		id: attachId,
		method: 'telnyx_rtc.attach',
		params: {
			...paramsOf(offer.frame),
			callID: unknownCallId,
		},
	});
	// The SDK acknowledged it on the wire...
	await expect
		.poll(() => tap!.fromPage.some((f) => f.frame['id'] === attachId && 'result' in f.frame), OFTEN)
		.toBe(true);
	await alice.page.waitForTimeout(1000);
	const after = (await uiLog(alice.page)).slice(before.length);
	report('W7 UI after the attach', { entries: JSON.stringify(after) });
	// ...and the user sees nothing new: one call row, still in call, no dialog, media still flowing.
	await expect(phase(alice.page)).toHaveText('In call');
	await expect(alice.page.getByTestId('call-media')).toHaveCount(1);
	await expect(alice.page.getByRole('alertdialog')).toHaveCount(0);
	await expectAudioArriving(alice.page, 'Alice after the attach');
	// Nothing went to the sandbox about the unknown call (no answer, no attach, no bye for it).
	expect(tap!.fromPage.filter((f) => JSON.stringify(f.frame).includes(unknownCallId))).toEqual([]);
	expect(sandbox.admin.calls()).toMatchObject([{ id: record!.id, state: 'active', hangup: null }]);
	expect([...alice.errors, ...bob.errors]).toEqual([]);
});

test('W10: while Telnyx withholds the registration (NOREG, never REGED), the app never says Ready nor places a call, and it signs in again by itself', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(90_000);
	sandbox.admin.setSignalling({ credentialPropagationMs: 0 });
	let tap: SignallingTap | undefined;
	const alice = await launchPhone(launch, sandbox, 'Alice laptop', {
		beforeOnboarding: async (page) => {
			tap = await SignallingTap.install(page, sandbox.signallingUrl);
		},
	});
	// Something to call, so that only the connection decides whether Call can be pressed.
	await alice.page
		.getByLabel('Number, SIP address or installation')
		.fill('sip:someone@sip.telnyx.com');
	await expect(alice.page.getByRole('button', { name: 'Call', exact: true })).toBeEnabled();
	const withheld = tap!.sockets + 1;
	tap!.withholdRegistrationOnNextSocket();
	const droppedAt = Date.now();
	expect(sandbox.admin.drop(alice.sipUsername())).toBe(1);

	// While the registration is withheld: logged in, but not Ready, and no call can be placed.
	await expect
		.poll(() => tap!.toPage.filter((f) => f.socket === withheld && isNoreg(f.frame)).length, {
			timeout: 15_000,
			...OFTEN,
		})
		.toBeGreaterThanOrEqual(2);
	await expect(status(alice.page)).toHaveText('Connecting to Telnyx…');
	await expect(alice.page.getByRole('button', { name: 'Call', exact: true })).toBeDisabled();

	// The SDK asks five times, then reports LOGIN_FAILED; the app signs in again on a new socket, where the
	// registration goes through.
	await expect
		.poll(
			async () => {
				const log = await uiLog(alice.page);
				const away = firstUi(log, droppedAt, (e) => e.status !== 'Ready');
				return (
					away !== undefined && firstUi(log, away.at, (e) => e.status === 'Ready') !== undefined
				);
			},
			{ timeout: 60_000, ...OFTEN },
		)
		.toBe(true);
	const asked = tap!.fromPage.filter(
		(f) => f.socket === withheld && f.frame['method'] === 'telnyx_rtc.gatewayState',
	);
	const noregs = tap!.toPage.filter((f) => f.socket === withheld && isNoreg(f.frame));
	expect(asked).toHaveLength(5);
	expect(noregs).toHaveLength(5);
	const retry = tap!.fromPage.find((f) => f.socket > withheld && f.frame['method'] === 'login');
	expect(retry).toBeDefined();
	const reged = tap!.toPage.find(
		(f) => f.socket > withheld && JSON.stringify(f.frame).includes('"state":"REGED"'),
	)!;
	const log = await uiLog(alice.page);
	const seen = log.filter((e) => e.at >= droppedAt);
	const ready = firstUi(log, droppedAt + 1, (e) => e.status === 'Ready' && e.at >= reged.at);
	// Never Ready before Telnyx registered the new socket.
	expect(seen.filter((e) => e.status === 'Ready' && e.at < reged.at)).toEqual([]);
	// After the SDK gave up (the fifth NOREG) the app signs in again with a new SDK client; the old client's
	// socket closing then is not a lost connection.
	expect
		.soft(
			seen
				.filter((e) => e.at > noregs[4]!.at)
				.map((e) => e.status)
				.filter((text) => /^(Connection lost|Reconnecting)/.test(text)),
			'statuses after the SDK gave up and the app signed in again',
		)
		.toEqual([]);
	report('W10 timings (ms after the drop)', {
		'first NOREG': noregs[0]!.at - droppedAt,
		'fifth NOREG': noregs[4]!.at - droppedAt,
		'app signs in again': retry!.at - droppedAt,
		REGED: reged.at - droppedAt,
		Ready: ready === undefined ? 'not seen' : ready.at - droppedAt,
		'statuses shown': JSON.stringify([
			...new Set(seen.map((e) => e.status.replace(/\d+ s/, 'N s'))),
		]),
	});
	await expect(status(alice.page)).toHaveText('Ready');
	await expect(alice.page.getByRole('button', { name: 'Call', exact: true })).toBeEnabled();
	expect(alice.errors).toEqual([]);
});

function isNoreg(frame: Record<string, unknown>): boolean {
	return (
		(frame['result'] as { params?: { state?: unknown } } | undefined)?.params?.state === 'NOREG'
	);
}

/** What the call panel says while a call is in progress; anything else is how it ended. */
const LIVE_LABELS = new Set([
	'Calling…',
	'Connecting…',
	'Ringing…',
	'Incoming call',
	'Answering…',
	'In call',
	'On hold',
	'On hold by the other side',
]);

/**
 * Waits until `page` shows how its call ended, and checks it keeps saying so: one final state, never a
 * live label after it. Returns the words.
 */
async function finalState(page: Page, since: number): Promise<string> {
	await expect(page.getByTestId('call-media')).toHaveCount(0);
	await expect(page.getByRole('alertdialog')).toHaveCount(0);
	await expect
		.poll(async () => {
			const text = (await phase(page).textContent()) ?? '';
			return text !== '' && !LIVE_LABELS.has(text);
		}, OFTEN)
		.toBe(true);
	const ended = (await phase(page).textContent())!;
	await page.waitForTimeout(1000);
	await expect(phase(page)).toHaveText(ended);
	const log = (await uiLog(page)).filter((e) => e.at >= since);
	const firstEnd = log.findIndex((e) => e.phases.includes(ended));
	expect(
		[...new Set(log.slice(firstEnd).flatMap((e) => e.phases))],
		'after the call ended, its panel never changed',
	).toEqual([ended]);
	return ended;
}

/**
 * Makes the page's microphone slow to start (each `getUserMedia` waits `delayMs` first), and counts the
 * requests still waiting. Test instrumentation, over MEDIA_STREAM_SPY's wrapper.
 */
async function slowMicrophone(
	page: Page,
	delayMs: number,
): Promise<{ pending(): Promise<number>; restore(): Promise<void> }> {
	await page.evaluate((ms) => {
		const devices = navigator.mediaDevices;
		const spied = devices.getUserMedia.bind(devices);
		const state = { pending: 0 };
		Object.defineProperty(window, '__slowMic', { value: state, configurable: true });
		devices.getUserMedia = async (constraints) => {
			state.pending += 1;
			try {
				await new Promise((resolve) => setTimeout(resolve, ms));
				return await spied(constraints);
			} finally {
				state.pending -= 1;
			}
		};
		Object.defineProperty(window, '__fastMic', {
			value: () => (devices.getUserMedia = spied),
			configurable: true,
		});
	}, delayMs);
	return {
		pending: () =>
			page.evaluate(
				() => (window as unknown as { __slowMic: { pending: number } }).__slowMic.pending,
			),
		restore: () =>
			page.evaluate(() => {
				(window as unknown as { __fastMic: () => void }).__fastMic();
			}),
	};
}

/** Notices that would mean an error reached the user as a code rather than as words. */
const unexplained = (notices: readonly string[]) =>
	notices.filter((n) => /Something (went wrong|unexpected)/.test(n));

test('W17: races — Answer pressed twice, a hangup while the callee answers, the far end’s bye during ICE: one final state and one history entry per call, nothing thrown', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(90_000);
	let tap: SignallingTap | undefined;
	const { alice, bob } = await onboardedPair(launch, sandbox, {
		beforeAlice: async (page) => {
			tap = await SignallingTap.install(page, sandbox.signallingUrl);
		},
	});
	const answerButton = bob.page.getByRole('button', { name: 'Answer', exact: true });
	const callBob = () =>
		alice.page.getByRole('button', { name: 'Call Bob desktop', exact: true }).click();
	const closePanels = async () => {
		for (const phone of [alice, bob])
			await phone.page.getByRole('button', { name: 'Close' }).click();
	};
	const framesIn = (method: string, callId: string) =>
		sandbox.admin
			.frames()
			.filter(
				(f) =>
					f.direction === 'in' && f.method === method && JSON.stringify(f.frame).includes(callId),
			);
	const who = (client: number) =>
		socketsOf(sandbox, alice.sipUsername()).includes(client) ? 'Alice' : 'Bob';

	// 1. Bob presses Answer twice in quick succession: one answer on the wire, one call.
	let since = Date.now();
	await bob.page.evaluate(() => {
		const counted = window as unknown as { answerPresses: number };
		counted.answerPresses = 0;
		document.addEventListener(
			'click',
			(event) => {
				const button = event.target instanceof Element ? event.target.closest('button') : null;
				if (button?.textContent?.trim() === 'Answer') counted.answerPresses += 1;
			},
			true,
		);
	});
	await callBob();
	await answerButton.dblclick();
	await expect(phase(alice.page)).toHaveText('In call');
	await expect(phase(bob.page)).toHaveText('In call');
	const first = sandbox.admin.calls().at(-1)!;
	// Both presses reached the app's Answer button, one answer reached the wire. (Main is no longer the
	// witness: the microphone is warmed, and main asked, as the call rings, so a press may not ask again.)
	expect(
		await bob.page.evaluate(() => (window as unknown as { answerPresses: number }).answerPresses),
	).toBe(2);
	expect(framesIn('telnyx_rtc.answer', first.calleeCallId!)).toHaveLength(1);
	await expect(bob.page.getByTestId('call-media')).toHaveCount(1);
	await expectAudioArriving(bob.page, 'Bob');
	await alice.page.getByRole('button', { name: 'Hang up' }).click();
	const aliceFirst = await finalState(alice.page, since);
	const bobFirst = await finalState(bob.page, since);
	report('W17.1 Answer pressed twice', { Alice: aliceFirst, Bob: bobFirst });
	expect(aliceFirst).toBe('You hung up.');
	expect(bobFirst).toBe('The other side hung up.');
	await closePanels();

	// 2. Alice hangs up while Bob is answering: his microphone takes 1.5 s to start (as a Bluetooth headset or
	// an OS prompt can), and Alice's hangup reaches him in the middle of it.
	since = Date.now();
	const mic = await slowMicrophone(bob.page, 1500);
	await callBob();
	await answerButton.click();
	await expect.poll(() => mic.pending(), OFTEN).toBe(1);
	await alice.page.getByRole('button', { name: 'Hang up' }).click();
	const aliceEnd = await finalState(alice.page, since);
	const bobEnd = await finalState(bob.page, since);
	// The microphone came up after the call was gone: it must not stay on.
	await expect.poll(() => mic.pending(), { timeout: 5000 }).toBe(0);
	await expect.poll(async () => (await liveCaptureTracks(bob.page)).live).toBe(0);
	await mic.restore();
	const second = sandbox.admin.calls().at(-1)!;
	const wire = sandbox.admin
		.frames()
		.filter((f) => timeOf(f) >= since && f.direction === 'in')
		.filter((f) => f.method === 'telnyx_rtc.answer' || f.method === 'telnyx_rtc.bye')
		.map((f) => `${f.method!.replace('telnyx_rtc.', '')} from ${who(f.client)}`);
	report('W17.2 hangup while the callee answers', {
		Alice: aliceEnd,
		Bob: bobEnd,
		sandbox: `${second.hangup?.cause ?? 'no hangup'} by ${second.hangup?.by ?? '-'}`,
		wire: wire.join(', '),
	});
	expect(aliceEnd).toBe('You cancelled the call.');
	expect(bobEnd).toBe('The caller hung up before you answered.');
	expect(second).toMatchObject({ state: 'ended', answeredAt: null });
	await closePanels();

	// 3. The far end's bye while ICE is still running. The network holds the answer's frames to Alice
	// (`media`, `answer`) until Bob, having answered, has hung up; they then reach her with his bye 15 ms
	// behind them, so it lands while her ICE checks (started by the media's SDP) are running.
	since = Date.now();
	tap!.holdFrames('telnyx_rtc.media', 'telnyx_rtc.bye', 15, () => {
		void bob.page.getByRole('button', { name: 'Hang up' }).click();
	});
	await callBob();
	await answerButton.click();
	const aliceThird = await finalState(alice.page, since);
	const bobThird = await finalState(bob.page, since);
	const aliceSocket = await socketLog(alice.page);
	const bye = aliceSocket.find(
		(e) => e.at >= since && e.dir === 'in' && e.method === 'telnyx_rtc.bye',
	);
	const media = aliceSocket.find(
		(e) => e.at >= since && e.dir === 'in' && e.method === 'telnyx_rtc.media',
	);
	report('W17.3 the far end’s bye during ICE', {
		Alice: aliceThird,
		Bob: bobThird,
		'bye after the media (ms, in Alice’s page)':
			bye === undefined || media === undefined ? '?' : bye.at - media.at,
		'Alice’s peer connection (ICE/connection) then': bye?.pcs.at(-1) ?? '?',
	});
	expect(bobThird).toBe('You hung up.');
	expect(aliceThird).toBe('The other side hung up.');
	expect(bye?.pcs.at(-1), 'Alice’s ICE was still running when the bye came').toMatch(
		/^(new|checking)\//,
	);
	await expect.poll(async () => (await liveCaptureTracks(alice.page)).live).toBe(0);

	// One history entry per call on each side, and no error thrown or shown as a code.
	await expect.poll(() => history(alice).then((h) => h.length)).toBe(3);
	await expect.poll(() => history(bob).then((h) => h.length)).toBe(3);
	expect([historyAdds(alice), historyAdds(bob)]).toEqual([3, 3]);
	expect(sandbox.admin.calls()).toHaveLength(3);
	const shown = {
		Alice: [...new Set((await uiLog(alice.page)).flatMap((e) => e.notices))],
		Bob: [...new Set((await uiLog(bob.page)).flatMap((e) => e.notices))],
	};
	report('W17 notices', { Alice: JSON.stringify(shown.Alice), Bob: JSON.stringify(shown.Bob) });
	expect.soft(unexplained(shown.Alice), 'notices Alice saw as a bare code').toEqual([]);
	expect.soft(unexplained(shown.Bob), 'notices Bob saw as a bare code').toEqual([]);
	expect([
		...alice.errors,
		...bob.errors,
		...rendererErrors(alice),
		...rendererErrors(bob),
	]).toEqual([]);
});
