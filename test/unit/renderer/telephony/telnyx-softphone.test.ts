/**
 * The Telnyx adapter's mapping of SDK calls to snapshots, driven through a FAKE `@telnyx/webrtc`.
 *
 * Why a fake: the real SDK needs a signalling server, WebRTC and getUserMedia (jsdom has none), and it is the
 * SDK's own misbehaviour (team-telnyx/webrtc #754) that is tested here, which the real one shows only under a
 * race. The fake keeps just what the adapter touches — `on`/`connect`/`newCall` on the client; `id`, `state`,
 * `direction`, `options`, the hangup fields and `answer`/`hangup` on a call — and the tests set the SDK's
 * states and emit its events in the orders the 2.27.10 source produces them. The e2e suite
 * (`test/e2e/web/call-answer-modes.spec.ts`) runs the same paths with the real SDK against the sandbox.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type {
	CallSnapshot,
	SoftphoneEvent,
} from '../../../../renderer/src/lib/telephony/softphone';
import { errorMessage } from '../../../../renderer/src/lib/telephony/messages';

const fake = vi.hoisted(() => {
	type Handler = (payload: unknown) => void;

	class FakeCall {
		state = 'new';
		direction: string | undefined;
		cause: string | undefined;
		sipCode: number | undefined;
		sipReason: string | undefined;
		remoteStream: object | undefined;
		localStream: object | undefined;
		/** `options.video` at the moment `answer()` was called: what the SDK's getUserMedia would ask for. */
		answeredWithVideo: unknown = 'not answered';
		/** `options.localStream` at the moment `answer()` was called: the SDK's peer uses it when it is live. */
		answeredWithStream: unknown = 'not answered';
		hangups = 0;
		constructor(
			readonly id: string,
			readonly options: Record<string, unknown>,
			direction: string | undefined,
		) {
			this.direction = direction;
		}
		/** Set by `answer()` as the SDK's is, before its first await: the peer built from `options`. */
		peer: { instance: null } | undefined;
		answer(): Promise<void> {
			this.answeredWithVideo = this.options['video'];
			this.answeredWithStream = this.options['localStream'];
			this.peer = { instance: null };
			return Promise.resolve();
		}
		hangup(): Promise<void> {
			this.hangups += 1;
			return Promise.resolve();
		}
	}

	class FakeClient {
		static last: FakeClient | null = null;
		readonly handlers = new Map<string, Handler[]>();
		/** The SDK's calls by id: the newest Call object for each (a repeated invite replaces it). */
		readonly calls: Record<string, FakeCall> = {};
		/** The socket is open (the SDK's `connected`). */
		connected = true;
		/** Every `login()` the adapter called, by token. */
		readonly logins: unknown[] = [];
		constructor(readonly options: Record<string, unknown>) {
			FakeClient.last = this;
		}
		/** As the SDK's `login()`: on an open socket, signs in with the new token; otherwise does nothing. */
		login(params: { creds: { login_token: string }; onSuccess: () => void }): Promise<void> {
			this.logins.push(params.creds.login_token);
			if (this.connected) {
				this.options['login_token'] = params.creds.login_token;
				params.onSuccess();
			}
			return Promise.resolve();
		}
		on(event: string, handler: Handler): void {
			this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
		}
		emit(event: string, payload: unknown = {}): void {
			for (const handler of this.handlers.get(event) ?? []) handler(payload);
		}
		connect(): Promise<void> {
			return Promise.resolve();
		}
		disconnect(): Promise<void> {
			return Promise.resolve();
		}
		newCall(options: Record<string, unknown>): FakeCall {
			// As the SDK does: call-level options over the client-level ones (`video: true` here), and the
			// caller's `id` when it gives one.
			const id = typeof options['id'] === 'string' ? options['id'] : `out-${Math.random()}`;
			return new FakeCall(id, { ...this.options, ...options }, 'outbound');
		}
	}

	/**
	 * The SDK's `PreCallDiagnostic` as far as the adapter relies on it: `run()` creates its call with
	 * `client.newCall` before its first await (as 2.27.10's compiled async functions do), then resolves the
	 * report the test scripted once the test lets it (`finish`).
	 */
	class FakePreCall {
		static last: FakePreCall | null = null;
		call: FakeCall | null = null;
		report: unknown = null;
		#resolve: ((report: unknown) => void) | null = null;
		constructor(readonly options: { client: FakeClient; destinationNumber: string }) {
			FakePreCall.last = this;
		}
		run(): Promise<unknown> {
			this.call = this.options.client.newCall({
				destinationNumber: this.options.destinationNumber,
			});
			return new Promise((resolve) => (this.#resolve = resolve));
		}
		finish(report: unknown): void {
			this.#resolve?.(report);
		}
	}

	return { FakeCall, FakeClient, FakePreCall };
});

vi.mock('@telnyx/webrtc', () => ({
	TelnyxRTC: fake.FakeClient,
	PreCallDiagnostic: fake.FakePreCall,
}));

const { TelnyxSoftphone, sdpHasVideo } =
	await import('../../../../renderer/src/lib/telephony/telnyx-softphone');

type FakeCall = InstanceType<typeof fake.FakeCall>;

const DEFAULT_DEVICES = { microphoneId: null, cameraId: null } as const;
const AUDIO_OFFER = 'v=0\r\nm=audio 50000 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\n';
const VIDEO_OFFER = `${AUDIO_OFFER}m=video 50002 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\n`;
const VIDEO_REJECTED_OFFER = `${AUDIO_OFFER}m=video 0 UDP/TLS/RTP/SAVPF 96\r\n`;

const dialOptions = {
	video: false,
	callerName: 'Ada',
	callerNumber: '+13125550142',
	microphoneId: null,
	cameraId: null,
};

let clock = 1_000;
let phone: InstanceType<typeof TelnyxSoftphone>;
let snapshots: CallSnapshot[];

function client() {
	const last = fake.FakeClient.last;
	if (last === null) throw new Error('not connected');
	return last;
}

/** The SDK's `telnyx.notification` for a state change (`BaseCall.setState`). */
function setState(call: FakeCall, state: string): void {
	call.state = state;
	client().emit('telnyx.notification', { type: 'callUpdate', call });
}

/** A server frame as the SDK re-emits it on `telnyx.socket.message` (before its own handler runs). */
function frame(method: string, callID: string): void {
	client().emit('telnyx.socket.message', { jsonrpc: '2.0', id: 7, method, params: { callID } });
}

function latest(id: string): CallSnapshot {
	const found = snapshots.filter((snapshot) => snapshot.id === id).at(-1);
	if (found === undefined) throw new Error(`no snapshot of ${id}`);
	return found;
}

function dial(): FakeCall {
	let created: FakeCall | undefined;
	const original = fake.FakeClient.prototype.newCall;
	const spy = vi.spyOn(fake.FakeClient.prototype, 'newCall').mockImplementation(function (
		this: InstanceType<typeof fake.FakeClient>,
		options,
	) {
		created = original.call(this, options);
		return created;
	});
	phone.dial('+14155552671', dialOptions);
	spy.mockRestore();
	if (created === undefined) throw new Error('no call');
	return created;
}

/** An inbound call as the SDK builds it from `telnyx_rtc.invite` (`remoteSdp` is the caller's offer). */
function ring(offer: string): FakeCall {
	const call = new fake.FakeCall(
		`in-${Math.random()}`,
		{ ...client().options, remoteSdp: offer, remoteCallerNumber: '+14155552671' },
		undefined,
	);
	// The SDK keeps every call it builds in `client.calls` (BaseCall._init) until `_finalize`.
	client().calls[call.id] = call;
	// The first update comes before the SDK has set the direction (the adapter waits for it).
	setState(call, 'new');
	call.direction = 'inbound';
	setState(call, 'ringing');
	return call;
}

const phases = (id: string) =>
	snapshots
		.filter((s) => s.id === id)
		.map((s) => s.phase)
		.filter((p, i, all) => p !== all[i - 1]);

beforeEach(() => {
	clock = 1_000;
	snapshots = [];
	phone = new TelnyxSoftphone({ iceServers: () => [], now: () => clock });
	phone.subscribe((event: SoftphoneEvent) => {
		if (event.type === 'call') snapshots.push(event.call);
	});
	phone.connect({ loginToken: 'jwt', signallingUrl: 'ws://127.0.0.1:14001' });
	client().emit('telnyx.ready');
});

describe('SDK states → call phases', () => {
	it('maps an outbound call through Telnyx early media to active, held and ended', () => {
		const call = dial();
		setState(call, 'requesting');
		setState(call, 'trying');
		frame('telnyx_rtc.ringing', call.id);
		setState(call, 'early');
		frame('telnyx_rtc.answer', call.id);
		setState(call, 'active');
		setState(call, 'held');
		setState(call, 'active');
		call.cause = 'NORMAL_CLEARING';
		setState(call, 'hangup');
		expect(phases(call.id)).toEqual([
			'dialing',
			'trying',
			'ringing',
			'early',
			'active',
			'held',
			'active',
			'ended',
		]);
		expect(latest(call.id).end).toMatchObject({ kind: 'hangup-remote', cause: 'NORMAL_CLEARING' });
	});

	it('maps an inbound call: ringing, connecting while answering, active', async () => {
		const call = ring(AUDIO_OFFER);
		await phone.answer(call.id, { video: false, ...DEFAULT_DEVICES });
		setState(call, 'answering');
		setState(call, 'active');
		expect(phases(call.id)).toEqual(['ringing', 'connecting', 'active']);
		expect(latest(call.id).direction).toBe('inbound');
	});

	it('plays early media (the network’s ringback or announcement) before the answer', () => {
		const call = dial();
		const remote = { srcObject: null as unknown, play: () => Promise.resolve() };
		phone.attachMedia(call.id, { local: null, remote: remote as unknown as HTMLMediaElement });
		setState(call, 'trying');
		expect(remote.srcObject).toBeNull();
		call.remoteStream = { id: 'early-media' };
		setState(call, 'early');
		expect(latest(call.id).phase).toBe('early');
		expect(remote.srcObject).toBe(call.remoteStream);
	});

	it('stays in early media while Telnyx has not answered', () => {
		const call = dial();
		setState(call, 'trying');
		setState(call, 'early');
		expect(latest(call.id).phase).toBe('early');
		expect(latest(call.id).answeredAt).toBeNull();
	});
});

describe('team-telnyx/webrtc #754: the SDK drops the answer', () => {
	it('is "In call" on the answer frame though the SDK went back to trying, and plays the media', () => {
		const call = dial();
		const remote = { srcObject: null as unknown, play: () => Promise.resolve() };
		phone.attachMedia(call.id, { local: null, remote: remote as unknown as HTMLMediaElement });
		setState(call, 'requesting');
		frame('telnyx_rtc.ringing', call.id);
		call.remoteStream = { id: 'remote-stream' };
		setState(call, 'early'); // telnyx_rtc.media applied
		setState(call, 'trying'); // the late invite result
		expect(latest(call.id).phase).not.toBe('active');
		clock = 5_000;
		frame('telnyx_rtc.answer', call.id); // the SDK drops this one: it is not in `early`
		expect(call.state).toBe('trying');
		expect(latest(call.id)).toMatchObject({ phase: 'active', answeredAt: 5_000 });
		expect(remote.srcObject).toBe(call.remoteStream);
		// Hung up by the far end later: an answered call, so "hung up", not "ended before it was answered".
		call.cause = 'NORMAL_CLEARING';
		setState(call, 'hangup');
		expect(latest(call.id).end).toMatchObject({ kind: 'hangup-remote' });
	});

	it('is "In call" when the answer frame comes while the SDK is still in early media', () => {
		const call = dial();
		setState(call, 'trying');
		setState(call, 'early');
		frame('telnyx_rtc.answer', call.id);
		expect(latest(call.id).phase).toBe('active');
	});

	it('ignores answer frames for other calls and never revives an ended call', () => {
		const call = dial();
		setState(call, 'trying');
		frame('telnyx_rtc.answer', 'someone-else');
		expect(latest(call.id).phase).toBe('trying');
		call.cause = 'USER_BUSY';
		setState(call, 'hangup');
		frame('telnyx_rtc.answer', call.id);
		expect(latest(call.id).phase).toBe('ended');
	});

	it('does not take a held call for active', () => {
		const call = dial();
		setState(call, 'early');
		frame('telnyx_rtc.answer', call.id);
		setState(call, 'active');
		setState(call, 'held');
		expect(latest(call.id).phase).toBe('held');
	});
});

describe('inbound video comes from the caller’s offer', () => {
	it('reads an m=video section with a non-zero port as video', () => {
		expect(sdpHasVideo(VIDEO_OFFER)).toBe(true);
		expect(sdpHasVideo(AUDIO_OFFER)).toBe(false);
		expect(sdpHasVideo(VIDEO_REJECTED_OFFER)).toBe(false);
		expect(sdpHasVideo(undefined)).toBe(false);
	});

	it('shows an audio-only caller as audio though the client is set up for video', () => {
		const call = ring(AUDIO_OFFER);
		expect(call.options['video']).toBe(true); // the client-level flag the SDK copies
		expect(latest(call.id).video).toBe(false);
		expect(latest(ring(VIDEO_REJECTED_OFFER).id).video).toBe(false);
		expect(latest(ring(VIDEO_OFFER).id).video).toBe(true);
	});

	it('never asks for the camera when answering an audio-only call, even "with video"', async () => {
		const call = ring(AUDIO_OFFER);
		await phone.answer(call.id, { video: true, ...DEFAULT_DEVICES });
		expect(call.answeredWithVideo).toBe(false);
	});

	it('answers a video caller with or without the camera, as chosen', async () => {
		const withCamera = ring(VIDEO_OFFER);
		await phone.answer(withCamera.id, { video: true, ...DEFAULT_DEVICES });
		expect(withCamera.answeredWithVideo).toBe(true);
		const audioOnly = ring(VIDEO_OFFER);
		await phone.answer(audioOnly.id, { video: false, ...DEFAULT_DEVICES });
		expect(audioOnly.answeredWithVideo).toBe(false);
		setState(audioOnly, 'active');
		expect(latest(audioOnly.id).video).toBe(false);
	});

	it('keeps an outbound call’s video to what was dialled', () => {
		const call = dial();
		setState(call, 'trying');
		expect(latest(call.id).video).toBe(false);
	});
});

describe('hangup causes', () => {
	it('carries the SDK’s cause and SIP code into the end reason', () => {
		const call = dial();
		setState(call, 'trying');
		call.cause = 'USER_BUSY';
		call.sipCode = 486;
		call.sipReason = 'Busy Here';
		setState(call, 'hangup');
		expect(latest(call.id)).toMatchObject({
			phase: 'ended',
			endedAt: clock,
			end: { kind: 'busy', cause: 'USER_BUSY', sipCode: 486 },
		});
	});

	it('says the caller hung up on an unanswered inbound call, and "you declined" after a decline', () => {
		const missed = ring(AUDIO_OFFER);
		missed.cause = 'ORIGINATOR_CANCEL';
		missed.sipCode = 487;
		setState(missed, 'hangup');
		expect(latest(missed.id).end).toMatchObject({ kind: 'cancelled', cause: 'ORIGINATOR_CANCEL' });
		const declined = ring(AUDIO_OFFER);
		phone.decline(declined.id);
		expect(declined.hangups).toBe(1);
		declined.cause = 'USER_BUSY';
		setState(declined, 'hangup');
		expect(latest(declined.id).end).toMatchObject({ kind: 'declined', cause: 'USER_BUSY' });
	});
});

describe('Test my setup’s call', () => {
	const options = {
		destination: '+18722315806',
		callerName: 'Ada',
		callerNumber: '+13125550142',
		microphoneId: null,
		durationMs: 5000,
	};

	it('is never shown as a call, and a call dialled meanwhile is', async () => {
		const running = phone.testCall(options);
		const diagnostic = fake.FakePreCall.last!;
		const testCall = diagnostic.call!;
		// Only the diagnostic's call got the adapter's id: newCall is the SDK's own again at once.
		expect(client().newCall).toBe(fake.FakeClient.prototype.newCall);
		setState(testCall, 'trying');
		setState(testCall, 'active');
		const real = dial();
		setState(real, 'trying');
		setState(testCall, 'hangup');
		setState(testCall, 'destroy');
		diagnostic.finish({
			version: 1,
			network: {
				jitter: { average: 3.26 },
				rtt: { average: 12 },
				packets: { packetLossFraction: 0.015 },
				inbound: { flowing: true },
			},
			ice: { candidateCounts: { host: 2, srflx: 1, relay: 0, prflx: 0 } },
			timings: { totalMs: 5600, firstNonHostCandidateMs: 40 },
		});
		expect(await running).toEqual({
			established: true,
			failure: null,
			jitterMs: 3.3,
			rttMs: 12,
			packetLossPercent: 1.5,
			audioReturned: true,
			candidates: { host: 2, srflx: 1, relay: 0 },
			firstNonHostMs: 40,
			setupMs: 5600,
		});
		expect(snapshots.some((snapshot) => snapshot.id === testCall.id)).toBe(false);
		expect(latest(real.id).phase).toBe('trying');
	});

	it('says why Telnyx refused it, in the words a refused call gets', async () => {
		const running = phone.testCall(options);
		const diagnostic = fake.FakePreCall.last!;
		const testCall = diagnostic.call!;
		testCall.cause = 'CALL_REJECTED';
		testCall.sipCode = 403;
		testCall.sipReason = 'Caller Origination Number is Invalid D35';
		setState(testCall, 'hangup');
		diagnostic.finish({ version: 1, verdict: 'inconclusive', reasons: [] });
		const report = await running;
		expect(report.established).toBe(false);
		expect(report.failure).toMatch(/caller ID/i);
	});

	it('keeps the SDK’s warnings about it to itself', async () => {
		const notices: string[] = [];
		phone.subscribe((event: SoftphoneEvent) => {
			if (event.type === 'notice') notices.push(event.message);
		});
		const running = phone.testCall(options);
		const diagnostic = fake.FakePreCall.last!;
		// 31006: no inbound audio, which the SDK raised on Test my setup's call before its media flowed.
		client().emit('telnyx.warning', { warning: { code: 31006 }, callId: diagnostic.call!.id });
		diagnostic.finish({ version: 1 });
		await running;
		expect(notices).toEqual([]);
		client().emit('telnyx.warning', { warning: { code: 33001 }, callId: 'unknown-call' });
		expect(notices).toHaveLength(1);
	});

	it('runs one at a time, and only when connected', async () => {
		const first = phone.testCall(options);
		expect((await phone.testCall(options)).failure).toBe('A test call is already running.');
		fake.FakePreCall.last!.finish({ version: 1 });
		await first;
		phone.disconnect();
		expect((await phone.testCall(options)).failure).toMatch(/Not connected/);
	});
});

describe('faults found by the reliability suite (issue 16)', () => {
	it('W6: a call the SDK could not reattach (48501) ends "lost while reconnecting", not "the other side hung up"', () => {
		const call = dial();
		setState(call, 'trying');
		setState(call, 'active');
		// The SDK's order: the error naming the call, then its own hangup with a plain NORMAL_CLEARING.
		client().emit('telnyx.error', { error: { code: 48501 }, callId: call.id });
		call.cause = 'NORMAL_CLEARING';
		setState(call, 'hangup');
		expect(latest(call.id).end).toMatchObject({
			kind: 'network',
			message: 'The call was lost while reconnecting to Telnyx.',
		});
	});

	it('W17: a call hung up while its media was being set up (44005) raises no notice', () => {
		const notices: string[] = [];
		phone.subscribe((event: SoftphoneEvent) => {
			if (event.type === 'notice') notices.push(event.message);
		});
		client().emit('telnyx.error', { error: { code: 44005 }, callId: 'any' });
		expect(notices).toEqual([]);
	});

	it('W10: a replaced client’s late socket close does not move the new client’s status', () => {
		const statuses: string[] = [];
		phone.subscribe((event: SoftphoneEvent) => {
			if (event.type === 'connection') statuses.push(event.status.kind);
		});
		const old = client();
		phone.connect({ loginToken: 'jwt-2', signallingUrl: 'ws://127.0.0.1:14001' });
		client().emit('telnyx.ready');
		old.emit('telnyx.socket.close');
		old.emit('telnyx.ready');
		expect(statuses.at(-1)).toBe('registered');
		expect(statuses).not.toContain('reconnecting');
	});

	it('W3: once the SDK gives up (45003, on the socket’s error before its close), the status stays failed', () => {
		const statuses: { kind: string; code?: number }[] = [];
		phone.subscribe((event: SoftphoneEvent) => {
			if (event.type === 'connection') statuses.push(event.status);
		});
		client().emit('telnyx.error', { error: { code: 45003 } });
		client().emit('telnyx.socket.close');
		expect(statuses.at(-1)).toMatchObject({ kind: 'failed', reason: 'reconnect-exhausted' });
	});

	it('W14: an answer the browser refuses the microphone (42001) ends with that reason, not "the caller hung up"', async () => {
		const call = ring(AUDIO_OFFER);
		await phone.answer(call.id, { video: false, ...DEFAULT_DEVICES });
		// The SDK's order (BaseCall._onMediaError): the notification, the error naming the call, its own hangup.
		client().emit('telnyx.notification', {
			type: 'userMediaError',
			call,
			errorName: 'NotAllowedError',
		});
		client().emit('telnyx.error', { error: { code: 42001 }, callId: call.id });
		call.cause = 'NORMAL_CLEARING';
		setState(call, 'hangup');
		expect(latest(call.id).end).toMatchObject({ kind: 'media', message: errorMessage(42001) });
	});

	it('W14: a call placed with no microphone (42002) ends naming the missing device, not "Busy", with one notice', () => {
		const notices: string[] = [];
		phone.subscribe((event: SoftphoneEvent) => {
			if (event.type === 'notice') notices.push(event.message);
		});
		const call = dial();
		client().emit('telnyx.notification', {
			type: 'userMediaError',
			call,
			errorName: 'NotFoundError',
		});
		client().emit('telnyx.error', { error: { code: 42002 }, callId: call.id });
		call.cause = 'USER_BUSY';
		setState(call, 'hangup');
		expect(latest(call.id).end).toMatchObject({ kind: 'media', message: errorMessage(42002) });
		expect(notices).toEqual([errorMessage(42002)]);
	});

	it('W8: the SDK’s "token expires soon" (34001) asks the app for a token, and is no notice', () => {
		const events: string[] = [];
		phone.subscribe((event: SoftphoneEvent) => events.push(event.type));
		client().emit('telnyx.warning', { warning: { code: 34001 } });
		expect(events.slice(1)).toEqual(['tokenExpiring']);
	});

	it('W8: a renewed token signs in on the open socket; the token in use is not sent again', async () => {
		await phone.renewToken('jwt');
		await phone.renewToken('jwt-renewed');
		expect(client().logins).toEqual(['jwt-renewed']);
	});

	it('W8: a token renewed while the socket is down is kept for the SDK’s reconnect (its login() would drop it)', async () => {
		client().emit('telnyx.socket.close');
		client().connected = false;
		await phone.renewToken('jwt-renewed');
		expect(client().options['login_token']).toBe('jwt-renewed');
	});

	it('W18: a call the SDK hangs up because the answer’s SDP could not be applied (40004) says so, not "Busy"', () => {
		const call = dial();
		setState(call, 'trying');
		// A duplicated answer: the SDK's second setRemoteDescription fails, it reports 40004 and hangs up.
		client().emit('telnyx.error', { error: { code: 40004 }, callId: call.id });
		call.cause = 'USER_BUSY';
		setState(call, 'hangup');
		expect(latest(call.id).end).toMatchObject({ kind: 'failed', message: errorMessage(40004) });
	});

	it('keeps the other side’s reason after an error that does not end the call (hold failed, 44001)', () => {
		const call = dial();
		setState(call, 'active');
		client().emit('telnyx.error', { error: { code: 44001 }, callId: call.id });
		call.cause = 'NORMAL_CLEARING';
		setState(call, 'hangup');
		expect(latest(call.id).end?.message).not.toBe(errorMessage(44001));
	});

	it('W3: Reconnect starts the countdown from the first attempt again', () => {
		const attempts: number[] = [];
		phone.subscribe((event: SoftphoneEvent) => {
			if (event.type === 'connection' && event.status.kind === 'reconnecting')
				attempts.push(event.status.attempt);
		});
		client().emit('telnyx.socket.close');
		client().emit('telnyx.socket.close');
		phone.connect({ loginToken: 'jwt-2', signallingUrl: 'ws://127.0.0.1:14001' });
		client().emit('telnyx.socket.close');
		expect(attempts).toEqual([1, 2, 1]);
	});

	it('W18: a repeated invite (a second SDK Call for the id) is answered and ended through the newest object', async () => {
		const first = ring(AUDIO_OFFER);
		// The SDK builds a new Call for the repeated invite and keeps only that one.
		const newest = new fake.FakeCall(first.id, { ...first.options }, 'inbound');
		client().calls[first.id] = newest;
		setState(newest, 'ringing');
		await phone.answer(first.id, { video: false, ...DEFAULT_DEVICES });
		expect(newest.answeredWithVideo).toBe(false);
		expect(first.answeredWithVideo).toBe('not answered');
		newest.cause = 'ORIGINATOR_CANCEL';
		setState(newest, 'hangup');
		expect(latest(first.id).phase).toBe('ended');
	});
});

describe('pre-warm: the microphone opens while the call rings', () => {
	/** A capture track as the adapter sees it: live until stopped. */
	class Track {
		readyState: 'live' | 'ended' = 'live';
		constructor(readonly kind: 'audio' | 'video') {}
		stop(): void {
			this.readyState = 'ended';
		}
	}
	class Stream {
		constructor(readonly tracks: Track[]) {}
		getTracks = () => this.tracks;
		getAudioTracks = () => this.tracks.filter((t) => t.kind === 'audio');
		getVideoTracks = () => this.tracks.filter((t) => t.kind === 'video');
		addTrack = (track: Track) => this.tracks.push(track);
	}
	let opened: { constraints: MediaStreamConstraints; stream: Stream }[];
	let openDevice: (constraints: MediaStreamConstraints) => Promise<MediaStream>;

	beforeEach(() => {
		opened = [];
		openDevice = (constraints) => {
			const stream = new Stream([
				...(constraints.audio ? [new Track('audio')] : []),
				...(constraints.video ? [new Track('video')] : []),
			]);
			opened.push({ constraints, stream });
			return Promise.resolve(stream as unknown as MediaStream);
		};
		phone.dispose();
		phone = new TelnyxSoftphone({
			iceServers: () => [],
			now: () => clock,
			getUserMedia: (constraints) => openDevice(constraints),
		});
		phone.subscribe((event: SoftphoneEvent) => {
			if (event.type === 'call') snapshots.push(event.call);
		});
		phone.connect({ loginToken: 'jwt', signallingUrl: 'ws://127.0.0.1:14001' });
		client().emit('telnyx.ready');
	});
	const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
	const live = () => opened.flatMap((o) => o.stream.tracks).filter((t) => t.readyState === 'live');

	it('opens the chosen microphone only, and hands that very stream to the answer', async () => {
		const call = ring(VIDEO_OFFER);
		phone.prewarm(call.id, { microphoneId: 'mic-2' });
		expect(opened.map((o) => o.constraints)).toEqual([
			{ audio: { deviceId: { exact: 'mic-2' } }, video: false },
		]);
		await phone.answer(call.id, { video: false, microphoneId: 'mic-2', cameraId: null });
		expect(call.answeredWithStream).toBe(opened[0]?.stream);
		expect(call.options['micId']).toBe('mic-2');
		// Handed over: the SDK stops it when the call ends, not the adapter now.
		expect(live()).toHaveLength(1);
	});

	it('adds the camera on a video answer, to the same stream', async () => {
		const call = ring(VIDEO_OFFER);
		phone.prewarm(call.id, { microphoneId: null });
		await phone.answer(call.id, { video: true, microphoneId: null, cameraId: 'cam-1' });
		expect(opened.map((o) => o.constraints)).toEqual([
			{ audio: true, video: false },
			{ audio: false, video: { deviceId: { exact: 'cam-1' } } },
		]);
		const stream = opened[0]?.stream;
		expect(call.answeredWithStream).toBe(stream);
		expect(stream?.tracks.map((t) => t.kind)).toEqual(['audio', 'video']);
	});

	it.each([
		['declined', (call: FakeCall) => phone.decline(call.id)],
		['cancelled by the caller', () => undefined],
		['answered elsewhere', (call: FakeCall) => (call.cause = 'PICKED_OFF')],
	])('stops the microphone when the call is %s', async (_why, end) => {
		const call = ring(AUDIO_OFFER);
		phone.prewarm(call.id, { microphoneId: null });
		await settle();
		expect(live()).toHaveLength(1);
		end(call);
		setState(call, 'hangup');
		await settle();
		expect(live()).toHaveLength(0);
		expect(call.answeredWithStream).toBe('not answered');
	});

	it('stops a microphone that opens only after the call has gone', async () => {
		let open: (stream: MediaStream) => void = () => undefined;
		openDevice = (constraints) =>
			new Promise((resolve) => {
				const stream = new Stream([new Track('audio')]);
				opened.push({ constraints, stream });
				open = () => resolve(stream as unknown as MediaStream);
			});
		const call = ring(AUDIO_OFFER);
		phone.prewarm(call.id, { microphoneId: null });
		setState(call, 'hangup');
		open(opened[0]?.stream as unknown as MediaStream);
		await settle();
		expect(live()).toHaveLength(0);
	});

	it('leaves the devices to the SDK when the microphone could not be opened', async () => {
		openDevice = () => Promise.reject(new DOMException('busy', 'NotReadableError'));
		const call = ring(AUDIO_OFFER);
		phone.prewarm(call.id, { microphoneId: null });
		await phone.answer(call.id, { video: false, ...DEFAULT_DEVICES });
		expect(call.answeredWithStream).toBeUndefined();
		expect(call.answeredWithVideo).toBe(false);
	});

	/** A device that opens only when the test says so (`opening[i]()`), as a slow microphone or camera. */
	function slowDevices(): (() => void)[] {
		const opening: (() => void)[] = [];
		openDevice = (constraints) =>
			new Promise((resolve) => {
				const stream = new Stream([
					...(constraints.audio ? [new Track('audio')] : []),
					...(constraints.video ? [new Track('video')] : []),
				]);
				opened.push({ constraints, stream });
				opening.push(() => resolve(stream as unknown as MediaStream));
			});
		return opening;
	}

	/** The SDK's end of a call: `hangup`, then `_finalize` drops it from `client.calls`. */
	const cancelled = (call: FakeCall) => {
		call.cause = 'ORIGINATOR_CANCEL';
		setState(call, 'hangup');
		delete client().calls[call.id];
	};
	/** A repeated invite: the SDK builds a second Call for the id, and answers only through that one. */
	const reinvited = (call: FakeCall) => {
		client().calls[call.id] = new fake.FakeCall(call.id, { ...call.options }, 'inbound');
	};

	it.each([
		['the caller cancels', cancelled],
		['a repeated invite replaces the call', reinvited],
	])(
		'answers nothing and stops the microphone when %s while Answer waits for it',
		async (_why, change) => {
			const opening = slowDevices();
			const call = ring(AUDIO_OFFER);
			phone.prewarm(call.id, { microphoneId: null });
			const answering = phone.answer(call.id, { video: false, ...DEFAULT_DEVICES });
			change(call);
			opening[0]?.();
			await answering;
			await settle();
			expect(call.answeredWithStream).toBe('not answered');
			expect(live()).toHaveLength(0);
		},
	);

	it('answers nothing and stops microphone and camera when the caller cancels while the camera opens', async () => {
		const opening = slowDevices();
		const call = ring(VIDEO_OFFER);
		phone.prewarm(call.id, { microphoneId: null });
		opening[0]?.();
		const answering = phone.answer(call.id, { video: true, ...DEFAULT_DEVICES });
		await settle();
		expect(opened.map((o) => o.constraints.video)).toEqual([false, true]);
		cancelled(call);
		opening[1]?.();
		await answering;
		await settle();
		expect(call.answeredWithStream).toBe('not answered');
		expect(live()).toHaveLength(0);
	});

	it('stops the microphone when the SDK ignores the answer (no peer built)', async () => {
		const call = ring(AUDIO_OFFER);
		// The SDK's "answer() ignored" paths return before building a peer from `options.localStream`.
		call.answer = () => Promise.resolve();
		phone.prewarm(call.id, { microphoneId: null });
		await phone.answer(call.id, { video: false, ...DEFAULT_DEVICES });
		expect(live()).toHaveLength(0);
		expect(call.options['localStream']).toBeUndefined();
	});

	it('stops the microphone when the SDK’s answer throws, and passes the error on', async () => {
		const call = ring(AUDIO_OFFER);
		call.answer = () => Promise.reject(new Error('answer failed'));
		phone.prewarm(call.id, { microphoneId: null });
		await expect(phone.answer(call.id, { video: false, ...DEFAULT_DEVICES })).rejects.toThrow(
			'answer failed',
		);
		expect(live()).toHaveLength(0);
	});

	it('opens no microphone once Answer has started (the SDK says `ringing` until its SDP is sent)', async () => {
		const call = ring(AUDIO_OFFER);
		const answering = phone.answer(call.id, { video: false, ...DEFAULT_DEVICES });
		phone.prewarm(call.id, { microphoneId: null });
		await answering;
		phone.prewarm(call.id, { microphoneId: null });
		expect(opened).toEqual([]);
		expect(call.answeredWithStream).toBeUndefined();
	});

	it('never opens anything for an outbound call', () => {
		const call = dial();
		setState(call, 'trying');
		phone.prewarm(call.id, { microphoneId: null });
		expect(opened).toEqual([]);
	});
});

describe('the console does not keep ended calls alive', () => {
	it('is cleared once the SDK has destroyed the last call, never while a call is in progress', () => {
		const clearConsole = vi.fn();
		phone.dispose();
		phone = new TelnyxSoftphone({ iceServers: () => [], now: () => clock, clearConsole });
		phone.connect({ loginToken: 'jwt', signallingUrl: 'ws://127.0.0.1:14001' });
		client().emit('telnyx.ready');
		const first = dial();
		setState(first, 'active');
		const second = ring(AUDIO_OFFER);
		setState(second, 'hangup');
		setState(second, 'destroy');
		// The first call is still in progress.
		expect(clearConsole).not.toHaveBeenCalled();
		setState(first, 'hangup');
		expect(clearConsole).not.toHaveBeenCalled();
		setState(first, 'destroy');
		expect(clearConsole).toHaveBeenCalledTimes(1);
	});
});

describe('mediaConnected: the peer connection has connected (the store holds other work until then)', () => {
	class FakePeer extends EventTarget {
		connectionState: RTCPeerConnectionState = 'new';
		connect(): void {
			this.connectionState = 'connected';
			this.dispatchEvent(new Event('connectionstatechange'));
		}
	}
	const withPeer = (call: InstanceType<typeof fake.FakeCall>, peer: FakePeer) => {
		(call as unknown as { peer: { instance: FakePeer } }).peer = { instance: peer };
	};

	it('an answered outbound call is active first, and says so once its peer connects', () => {
		const call = dial();
		const peer = new FakePeer();
		withPeer(call, peer);
		setState(call, 'trying');
		setState(call, 'active');
		expect(latest(call.id)).toMatchObject({ phase: 'active' });
		expect(latest(call.id).mediaConnected).toBeUndefined();
		peer.connect();
		expect(latest(call.id)).toMatchObject({ phase: 'active', mediaConnected: true });
		// Later updates keep it; a second `connected` (after an ICE restart) publishes nothing new.
		setState(call, 'held');
		const count = snapshots.length;
		peer.connect();
		expect(snapshots.length).toBe(count);
		expect(latest(call.id)).toMatchObject({ phase: 'held', mediaConnected: true });
	});

	it('an answered inbound call watches the peer its answer built', async () => {
		const call = ring(AUDIO_OFFER);
		await phone.answer(call.id, { video: false, ...DEFAULT_DEVICES });
		const peer = new FakePeer();
		withPeer(call, peer);
		setState(call, 'active');
		expect(latest(call.id).mediaConnected).toBeUndefined();
		peer.connect();
		expect(latest(call.id)).toMatchObject({ phase: 'active', mediaConnected: true });
	});
});
