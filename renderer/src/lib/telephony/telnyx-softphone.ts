/**
 * The `Softphone` port over `@telnyx/webrtc` — the only module that imports the SDK. One client per window.
 *
 * It keeps the live SDK `Call` objects to itself and publishes plain snapshots: connection status (with a
 * reconnect countdown), call phases mapped by one exhaustive switch, why calls ended (in words), call
 * quality from the peer connection's own statistics, and the SDK's errors and warnings as notices.
 *
 * SDK facts it relies on (read from the SDK's 2.27 source): the undocumented `host` option sets the
 * signalling URL; the client-level `video: true` is what lets inbound calls be answered with video (and
 * `call.options.video` decides it per call before `answer()`: it is the constraint of the answer's
 * getUserMedia); an inbound call keeps the caller's offer in `call.options.remoteSdp`, and only that says
 * whether the caller sends video (`call.options.video` is the client-level flag, true for every call); an
 * outbound call gets no state change when the far end rings, only a `telnyx_rtc.ringing` frame on the socket;
 * `client.login()` on the open socket renews the token without dropping calls.
 *
 * What it decides is elsewhere, pure and tested in Node: how SDK calls, frames, errors and warnings map to the
 * port's snapshots and statuses (`./sdk-mapping`, including the SDK's #754 workaround), a call's quality
 * from its statistics (`../quality/call-quality`), the hold messages exchanged with another installation
 * (`./peer-messages`) and Test my setup's report (`./test-call-report`). This module wires them to the SDK:
 * its events, its calls' methods, the devices and the media elements.
 */
import {
	PreCallDiagnostic,
	TelnyxRTC,
	type Call,
	type IClientOptions,
	type INotification,
	type PreCallDiagnosticReport,
} from '@telnyx/webrtc';
import { phaseMark } from '../call/phase-marks';
import { CallQualitySampler } from '../quality/call-quality';
import { defaultIceServers } from './ice-servers';
import { endReason, endsCall, localFailure } from './messages';
import { MicrophonePrewarm, stopStream } from './microphone-prewarm';
import { holdMessage, readPeerMessage } from './peer-messages';
import {
	errorEffect,
	frameFact,
	initialSnapshot,
	isDestroyed,
	nextSnapshot,
	sdkPhase,
	statusAfterClose,
	warningEffect,
} from './sdk-mapping';
import { failedTestCall, testCallReport } from './test-call-report';
import type {
	CallSnapshot,
	ConnectionStatus,
	AnswerOptions,
	DialOptions,
	EndReason,
	MediaElements,
	SignallingCheck,
	Softphone,
	SoftphoneEvent,
	TestCallOptions,
	TestCallReport,
} from './softphone';

// What other modules (and tests) have always imported from the adapter.
export { defaultIceServers, iceServersFor } from './ice-servers';
export { describeCall, sdkPhase, sdpHasVideo } from './sdk-mapping';
export { testCallReport } from './test-call-report';

export interface TelnyxSoftphoneOptions {
	/**
	 * ICE servers for a signalling URL: `undefined` uses Telnyx's STUN/TURN; `[]` none (the offline sandbox,
	 * where Telnyx's servers are unreachable and would only delay every call).
	 */
	readonly iceServers?: (signallingUrl: string) => RTCIceServer[] | undefined;
	readonly now?: () => number;
	/**
	 * Empties the page's console (default `console.clear`). The SDK logs its live objects at info level
	 * ("Local audio tracks", "Add transceiver", the call's options), and the console keeps its last 1,000
	 * messages with their arguments alive whether or not DevTools is open — so every ended call's peer
	 * connection, streams and SDK objects stayed on the heap (test/bench/heap-probe.ts traces them to the
	 * "DevTools console" handle). Cleared once a call is gone; the SDK's own call report keeps its logs.
	 */
	readonly clearConsole?: () => void;
	/** Opens capture devices (the browser's `getUserMedia`; a test passes its own). */
	readonly getUserMedia?: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
}

/** The SDK call's peer (not in its typings): built by `answer()` unless the SDK ignores the answer. */
function peerOf(call: Call): unknown {
	return (call as { peer?: unknown }).peer;
}

interface Entry {
	/** The SDK's current object for this call id (a repeated invite makes the SDK build a new one). */
	call: Call;
	snapshot: CallSnapshot;
	/** This app hung up or declined (so the end reason is ours, not the far end's). */
	hungUpLocally: boolean;
	/** The far end is ringing (outbound; from the signalling frame, since the SDK keeps `trying`). */
	remoteRinging: boolean;
	/** Telnyx said the far end answered (outbound; the `telnyx_rtc.answer` frame, see #754 above). */
	remoteAnswered: boolean;
	elements: MediaElements;
	qualityTimer: ReturnType<typeof setInterval> | null;
	qualityWarning: string | null;
	/** The call's statistics so far (the last reading, for the next sample's deltas, and the totals). */
	readonly quality: CallQualitySampler;
	failure: EndReason | null;
	/**
	 * `answer()` has started for this call: no pre-warm may open a microphone for it any more. The SDK keeps
	 * an answered call `ringing` until its answer's SDP is sent, so the phase cannot say it.
	 */
	answerStarted: boolean;
	/** The peer connection whose `connectionstatechange` is watched for `mediaConnected`, once there is one. */
	watchedPeer: RTCPeerConnection | null;
}

export class TelnyxSoftphone implements Softphone {
	readonly #listeners = new Set<(event: SoftphoneEvent) => void>();
	readonly #calls = new Map<string, Entry>();
	/** Ids of calls the SDK has destroyed (bounded), so late updates do not resurrect them. */
	readonly #finished = new Set<string>();
	readonly #options: TelnyxSoftphoneOptions;
	readonly #now: () => number;
	readonly #getUserMedia: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
	/** Microphones opened for ringing inbound calls (see `prewarm`). */
	readonly #warm: MicrophonePrewarm;
	#client: TelnyxRTC | null = null;
	#status: ConnectionStatus = { kind: 'idle' };
	#attempt = 0;
	#intentionalClose = false;
	#speakerId: string | null = null;
	#callReports = true;
	/** The STUN/TURN servers of the current connection (the SDK's own when none are given). */
	#iceServers: readonly RTCIceServer[] = [];
	/** When the socket last opened, until the sign-in on it succeeds; and how long that sign-in took. */
	#socketOpenedAt: number | null = null;
	#loginMs: number | null = null;
	/** Test my setup's call: its id (never tracked as a call) and how it ended, once it has. */
	#testCall: { readonly id: string; end: EndReason | null } | null = null;

	constructor(options: TelnyxSoftphoneOptions = {}) {
		this.#options = options;
		this.#now = options.now ?? Date.now;
		this.#getUserMedia =
			options.getUserMedia ?? ((constraints) => navigator.mediaDevices.getUserMedia(constraints));
		this.#warm = new MicrophonePrewarm(this.#getUserMedia);
	}

	subscribe(listener: (event: SoftphoneEvent) => void): () => void {
		this.#listeners.add(listener);
		listener({ type: 'connection', status: this.#status });
		return () => this.#listeners.delete(listener);
	}

	connect({ loginToken, signallingUrl }: { loginToken: string; signallingUrl: string }): void {
		this.disconnect();
		this.#intentionalClose = false;
		this.#attempt = 0;
		const iceServers = (this.#options.iceServers ?? defaultIceServers)(signallingUrl);
		const options = {
			host: signallingUrl,
			login_token: loginToken,
			video: true,
			// Off for the client, which is what inbound calls take (the SDK reads no per-call value for them):
			// with it, 2.27.10's ICE restart on an answered call never sends its modify, so an answered call
			// could not recover after a network change. Outbound calls turn it on in `dial`
			// (docs/telnyx-protocol.md, "Trickle ICE"; test/e2e/web/trickle.spec.ts).
			trickleIce: false,
			enableCallReports: this.#callReports,
			...(iceServers === undefined ? {} : { iceServers }),
		} as IClientOptions & { host: string; video: boolean };
		const client = new TelnyxRTC(options);
		this.#client = client;
		// The SDK's own list when none is given (Telnyx's STUN and TURN servers).
		this.#iceServers = client.iceServers;
		// A client this adapter has replaced (a reconnect, a new sign-in) may still deliver events — its socket's
		// late close above all — and must not move the status of the one that replaced it.
		const on = <T>(event: string, listener: (payload: T) => void) =>
			client.on(event, (payload: T) => {
				if (this.#client === client) listener(payload);
			});
		on('telnyx.ready', () => {
			this.#attempt = 0;
			if (this.#socketOpenedAt !== null) this.#loginMs = this.#now() - this.#socketOpenedAt;
			this.#socketOpenedAt = null;
			this.#setStatus({ kind: 'registered' });
		});
		on('telnyx.socket.open', () => {
			this.#socketOpenedAt = this.#now();
			if (this.#status.kind !== 'registered') this.#setStatus({ kind: 'connecting' });
		});
		on('telnyx.socket.close', () => this.#onSocketClose());
		on('telnyx.error', (event: { error?: { code?: number }; callId?: string }) =>
			this.#onError(event.error?.code ?? 49001, event.callId),
		);
		on('telnyx.warning', (event: { warning?: { code?: number }; callId?: string }) =>
			this.#onWarning(event.warning?.code ?? 0, event.callId),
		);
		on('telnyx.notification', (notification: INotification) => this.#onNotification(notification));
		on('telnyx.socket.message', (frame: { method?: string; params?: { callID?: string } }) =>
			this.#onFrame(frame),
		);
		this.#setStatus({ kind: 'connecting' });
		void client.connect();
	}

	async renewToken(loginToken: string): Promise<void> {
		const client = this.#client;
		if (client === null || client.options.login_token === loginToken) return;
		// The SDK's login() does nothing (and never settles) while its socket is down, and its reconnect signs
		// in with options.login_token: the token is kept there for that sign-in, which may come after the
		// token in use has expired.
		if (!client.connected) {
			client.options.login_token = loginToken;
			return;
		}
		await new Promise<void>((resolve, reject) => {
			void client.login({
				creds: { login_token: loginToken },
				onSuccess: () => resolve(),
				onError: (error: unknown) =>
					reject(error instanceof Error ? error : new Error(String(error))),
			});
		});
	}

	disconnect(): void {
		if (this.#client === null) return;
		this.#intentionalClose = true;
		for (const entry of this.#calls.values()) this.#stopQuality(entry);
		this.#warm.releaseAll();
		void this.#client.disconnect();
		this.#client = null;
		this.#setStatus({ kind: 'idle' });
	}

	dial(destination: string, options: DialOptions): string {
		const client = this.#requireClient();
		const call = client.newCall({
			destinationNumber: destination,
			callerName: options.callerName,
			...(options.callerNumber === null ? {} : { callerNumber: options.callerNumber }),
			audio: true,
			video: options.video,
			...(options.microphoneId === null ? {} : { micId: options.microphoneId }),
			...(options.cameraId === null ? {} : { camId: options.cameraId }),
			// Trickle ICE for the calls the app places: the invite leaves as soon as the offer exists (~100 ms
			// sooner on loopback, up to 1 s sooner with a slow STUN/TURN server) and the candidates follow as
			// `telnyx_rtc.candidate` frames; the caller's ICE restart works with it. Not for answered calls
			// (client-level off, above), whose trickle restart is broken in the SDK and which could not apply
			// trickled remote candidates anyway (docs/telnyx-protocol.md, "Trickle ICE").
			trickleIce: true,
		});
		this.#track(call);
		return call.id;
	}

	/**
	 * Opens the chosen microphone while an inbound call rings, so that Answer does not wait for the device
	 * (opening one takes tens to hundreds of milliseconds). Only the microphone: a camera light while the
	 * phone rings would say the camera is on before the user chose to answer with video, so the camera opens
	 * on Answer. Nothing is sent until the answer: there is no peer connection yet.
	 */
	prewarm(id: string, { microphoneId }: { readonly microphoneId: string | null }): void {
		const entry = this.#calls.get(id);
		if (entry === undefined || this.#warm.has(id) || entry.answerStarted) return;
		if (entry.snapshot.direction !== 'inbound' || entry.snapshot.phase !== 'ringing') return;
		this.#warm.open(id, microphoneId);
	}

	async answer(id: string, { video, microphoneId, cameraId }: AnswerOptions): Promise<void> {
		const entry = this.#entry(id);
		entry.answerStarted = true;
		// `answer({ video })` is ignored by the SDK; the call's own options are the getUserMedia constraints.
		// Video only if the caller offers it: answering a phone caller must never open the camera.
		const withVideo = video && entry.snapshot.video;
		entry.call.options.video = withVideo;
		if (microphoneId !== null) entry.call.options.micId = microphoneId;
		if (withVideo && cameraId !== null) entry.call.options.camId = cameraId;
		const warm = this.#warm.claim(id);
		// No microphone opened while it rang (or another answer is using it): the SDK opens the devices.
		if (warm === undefined) {
			await entry.call.answer();
			return;
		}
		const local = await this.#warm.take(id, warm, {
			video: withVideo,
			cameraId,
			answerable: () => this.#answerable(entry),
		});
		// The call ended (or the SDK replaced its Call) while the devices opened: the SDK's answer would still
		// build a peer with them after its `_finalize` had run, and nothing would ever stop them.
		if (local === 'gone') return;
		if (local === null) {
			await entry.call.answer();
			return;
		}
		// The SDK's peer takes `options.localStream` as it is when it is live (`_retrieveLocalStream`), and stops
		// it when the call ends.
		const call = entry.call;
		call.options.localStream = local;
		const peerBefore = peerOf(call);
		let answering: Promise<void>;
		try {
			answering = call.answer();
		} catch (error) {
			this.#notTaken(call, local);
			throw error;
		}
		// The SDK builds the peer from the options before its answer's first await; when it ignores the answer
		// (a peer already exists, or another Call holds the id) it builds none, and the stream is still ours.
		warm.handedOver = peerOf(call) !== peerBefore;
		if (!warm.handedOver) this.#notTaken(call, local);
		try {
			await answering;
		} catch (error) {
			this.#notTaken(call, local);
			throw error;
		}
	}

	/** Whether the SDK can still answer the call: ringing, and its current Call object for the id. */
	#answerable(entry: Entry): boolean {
		return (
			entry.snapshot.phase !== 'ended' &&
			sdkPhase(entry.call, entry) === 'ringing' &&
			this.#client?.calls[entry.call.id] === entry.call
		);
	}

	/** A warmed stream the SDK did not take (or whose answer failed): stopped, and offered to no later answer. */
	#notTaken(call: Call, stream: MediaStream): void {
		stopStream(stream);
		if (call.options.localStream === stream) delete call.options.localStream;
	}

	decline(id: string): void {
		this.hangup(id);
	}

	hangup(id: string): void {
		const entry = this.#calls.get(id);
		if (entry === undefined || entry.snapshot.phase === 'ended') return;
		entry.hungUpLocally = true;
		void entry.call.hangup();
	}

	setMuted(id: string, muted: boolean): void {
		const entry = this.#entry(id);
		if (muted) entry.call.muteAudio();
		else entry.call.unmuteAudio();
		this.#publish(entry, { muted });
	}

	setCameraOff(id: string, off: boolean): void {
		const entry = this.#entry(id);
		if (off) entry.call.muteVideo();
		else entry.call.unmuteVideo();
		this.#publish(entry, { cameraOff: off });
	}

	async hold(id: string): Promise<void> {
		const entry = this.#entry(id);
		await entry.call.hold();
		this.#tellPeer(entry, true);
	}

	async unhold(id: string): Promise<void> {
		const entry = this.#entry(id);
		await entry.call.unhold();
		this.#tellPeer(entry, false);
	}

	sendDtmf(id: string, digits: string): void {
		const entry = this.#entry(id);
		for (const digit of digits) entry.call.dtmf(digit);
	}

	attachMedia(id: string, elements: MediaElements): void {
		const entry = this.#calls.get(id);
		if (entry === undefined) return;
		entry.elements = elements;
		this.#bindMedia(entry);
	}

	setCallReports(on: boolean): void {
		this.#callReports = on;
		// The SDK reads this option as each call is made (BaseCall's constructor), so a live client follows.
		if (this.#client !== null) this.#client.options.enableCallReports = on;
	}

	async setSpeaker(deviceId: string | null): Promise<void> {
		this.#speakerId = deviceId;
		await Promise.all(
			[...this.#calls.values()].map((entry) => this.#applySpeaker(entry.elements.remote)),
		);
	}

	async checkRegistration(): Promise<boolean> {
		const client = this.#client;
		if (client === null || this.#status.kind !== 'registered') return false;
		try {
			// A gatewayState request on the socket: a dead socket after a sleep fails or never answers.
			return await Promise.race([
				client.getIsRegistered(),
				new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000)),
			]);
		} catch {
			return false;
		}
	}

	async checkSignalling(): Promise<SignallingCheck> {
		const started = this.#now();
		const registered = await this.checkRegistration();
		return {
			registered,
			roundTripMs: registered ? this.#now() - started : null,
			loginMs: this.#loginMs,
		};
	}

	iceServers(): readonly RTCIceServer[] {
		return this.#iceServers;
	}

	/**
	 * Test my setup's call, through the SDK's own pre-call diagnostic (`PreCallDiagnostic`, exported by 2.27.10
	 * though its README calls it unpublished): it dials, waits for media, samples `getStats` for `durationMs`
	 * and hangs up. Its call must not show as a call: `PreCallDiagnostic` creates it with `client.newCall`
	 * synchronously inside `run()` (the SDK's async functions run to their first await at once), so for that
	 * moment `newCall` is given the id chosen here, and every update of that id is kept out of the call list.
	 */
	async testCall(options: TestCallOptions): Promise<TestCallReport> {
		let client: TelnyxRTC;
		try {
			client = this.#requireClient();
		} catch (error) {
			return failedTestCall(error instanceof Error ? error.message : String(error));
		}
		if (this.#testCall !== null) return failedTestCall('A test call is already running.');
		const id = crypto.randomUUID();
		const test = { id, end: null as EndReason | null };
		this.#testCall = test;
		const started = this.#now();
		const sdkNewCall = client.newCall.bind(client);
		let running: Promise<PreCallDiagnosticReport>;
		try {
			client.newCall = (callOptions) => sdkNewCall({ ...callOptions, id });
			running = new PreCallDiagnostic({
				client,
				destinationNumber: options.destination,
				callerName: options.callerName,
				...(options.callerNumber === null ? {} : { callerNumber: options.callerNumber }),
				audio: options.microphoneId === null ? true : { deviceId: { exact: options.microphoneId } },
				durationMs: options.durationMs,
				statsSampleIntervalMs: 500,
				ice: true,
				network: true,
				// Test my setup listens to the microphone itself, on the device the user chose.
				microphone: false,
			}).run();
		} catch (error) {
			this.#testCall = null;
			return failedTestCall(`The test call could not be placed: ${String(error)}`);
		} finally {
			// The SDK's own method again (the prototype's): a call the user places meanwhile is theirs.
			delete (client as Partial<TelnyxRTC>).newCall;
		}
		try {
			const report = await running;
			return testCallReport(report, test.end, this.#now() - started);
		} catch (error) {
			return failedTestCall(`The test call failed: ${String(error)}`);
		} finally {
			this.#testCall = null;
		}
	}

	async switchDevice(
		id: string,
		kind: 'microphone' | 'camera',
		deviceId: string | null,
	): Promise<void> {
		const entry = this.#calls.get(id);
		if (entry === undefined || entry.snapshot.phase === 'ended') return;
		if (kind === 'microphone')
			await entry.call.setAudioInDevice(deviceId ?? 'default', entry.snapshot.muted);
		else if (entry.snapshot.video) await entry.call.setVideoDevice(deviceId ?? 'default');
		this.#bindMedia(entry);
	}

	dispose(): void {
		this.disconnect();
		this.#listeners.clear();
	}

	// -- events ------------------------------------------------------------------------------------------

	#onSocketClose(): void {
		if (this.#intentionalClose) return;
		const status = statusAfterClose(this.#status, this.#attempt + 1, this.#now());
		if (status === null) return;
		this.#attempt += 1;
		this.#setStatus(status);
	}

	#onError(code: number, callId: string | undefined): void {
		// After these errors the SDK hangs the call up itself with a cause that would read "The other side hung
		// up" or "Busy" (see endsCall): the call keeps the real reason, set before that hangup.
		const entry = callId === undefined ? undefined : this.#calls.get(callId);
		if (entry !== undefined && endsCall(code)) entry.failure = localFailure(code);
		const effect = errorEffect(code);
		if (effect.kind === 'status') this.#setStatus(effect.status);
		else if (effect.kind === 'notice') this.#notice('error', effect.message, code);
	}

	#onWarning(code: number, callId: string | undefined): void {
		// Test my setup's call reports its own findings; its warnings are not the user's calls'.
		if (callId !== undefined && callId === this.#testCall?.id) return;
		const entry = callId === undefined ? undefined : this.#calls.get(callId);
		const effect = warningEffect(code, entry !== undefined);
		if (effect.kind === 'quality' && entry !== undefined) {
			entry.qualityWarning = effect.message;
			this.#publish(entry);
		} else if (effect.kind === 'tokenExpiring') this.#emit({ type: 'tokenExpiring' });
		else if (effect.kind === 'notice') this.#notice('warning', effect.message, code);
	}

	/** Server frames the SDK does not (reliably) turn into state changes of an outbound call. */
	#onFrame(frame: { method?: string; params?: { callID?: string } }): void {
		const said = frameFact(frame);
		const entry = said === null ? undefined : this.#calls.get(said.callId);
		if (said === null || entry === undefined || String(entry.call.direction) === 'inbound') return;
		entry[said.fact] = true;
		this.#publish(entry);
	}

	#onNotification(notification: INotification): void {
		if (notification.type === 'callUpdate' && notification.call !== undefined) {
			const call = notification.call;
			if (call.id === this.#testCall?.id) {
				this.#onTestCallUpdate(call);
				return;
			}
			if (this.#finished.has(call.id)) return;
			const entry = this.#calls.get(call.id) ?? this.#track(call);
			// A repeated invite: the SDK built a second Call for the id and answers only from the newest.
			if (entry.call !== call && this.#client?.calls[call.id] === call) entry.call = call;
			// An inbound call's first update comes before the SDK has set its direction; publishing it then
			// would show an incoming call as an outgoing one for a moment.
			if (!call.direction) return;
			this.#publish(entry);
			if (isDestroyed(call)) {
				this.#calls.delete(call.id);
				// The console's messages would keep the call alive (see `clearConsole`); not while another call
				// is in progress, whose objects are still in use anyway.
				if (this.#calls.size === 0) (this.#options.clearConsole ?? (() => console.clear()))();
				this.#finished.add(call.id);
				const oldest = this.#finished.values().next().value;
				if (this.#finished.size > 200 && oldest !== undefined) this.#finished.delete(oldest);
			}
			return;
		}
		if (notification.type === 'event') {
			// In-call messages from another installation (hold / resume).
			const hold = readPeerMessage(notification);
			const entry = hold === null ? undefined : this.#calls.get(hold.callId);
			if (hold !== null && entry !== undefined)
				this.#publish(entry, { remoteHeld: hold.remoteHeld });
		}
	}

	/** Keeps how Test my setup's call ended, in words (Telnyx may refuse it as any call: caller ID, profile). */
	#onTestCallUpdate(call: Call): void {
		const test = this.#testCall;
		if (test === null || test.end !== null) return;
		if (call.state !== 'hangup' && call.state !== 'destroy') return;
		test.end = endReason({
			cause: call.cause ?? null,
			sipCode: call.sipCode ?? null,
			sipReason: call.sipReason ?? null,
			direction: 'outbound',
			wasAnswered: false,
			hungUpLocally: false,
		});
	}

	// -- calls -------------------------------------------------------------------------------------------

	#track(call: Call): Entry {
		const entry: Entry = {
			call,
			hungUpLocally: false,
			remoteRinging: false,
			remoteAnswered: false,
			elements: { local: null, remote: null },
			qualityTimer: null,
			qualityWarning: null,
			quality: new CallQualitySampler(),
			failure: null,
			answerStarted: false,
			watchedPeer: null,
			snapshot: initialSnapshot(call, this.#now()),
		};
		this.#calls.set(call.id, entry);
		return entry;
	}

	#publish(entry: Entry, change: Partial<CallSnapshot> = {}): void {
		const previous = entry.snapshot;
		if (previous.phase === 'ended') return;
		const next = nextSnapshot(previous, entry.call, entry, this.#now(), change);
		const { phase } = next;
		if (phase === 'active' && previous.phase !== 'active') this.#startQuality(entry);
		// Whenever the call is (or is again) in progress, by the SDK's state or by the answer frame (#754):
		// binding is idempotent, and an answer the SDK dropped brings no later update to bind on. Early media
		// is played too: it is what the network sends before the answer (ringback, "the number you have
		// dialled…"), and the app's own ringback stops once a call is in early media.
		if (phase === 'active' || phase === 'early') this.#bindMedia(entry);
		if (phase !== 'ended') this.#watchPeer(entry);
		if (phase === 'ended') {
			this.#stopQuality(entry);
			this.#warm.release(entry.call.id);
		}
		entry.snapshot = next;
		if (next.phase !== previous.phase) phaseMark(`publish-${next.phase}`);
		this.#emit({ type: 'call', call: next });
	}

	/**
	 * Publishes `mediaConnected` once the call's peer connection connects. The SDK builds the peer at `dial`
	 * or `answer`, and a new one if it renegotiates from scratch, so each publish looks for the current one.
	 */
	#watchPeer(entry: Entry): void {
		const peer = (entry.call as { peer?: { instance?: RTCPeerConnection | null } }).peer?.instance;
		if (peer === null || peer === undefined || entry.watchedPeer === peer) return;
		entry.watchedPeer = peer;
		const connected = () => {
			if (peer.connectionState !== 'connected' || entry.snapshot.mediaConnected === true) return;
			phaseMark('media-connected');
			this.#publish(entry, { mediaConnected: true });
		};
		peer.addEventListener('connectionstatechange', connected);
		connected();
	}

	#bindMedia(entry: Entry): void {
		const { local, remote } = entry.elements;
		const remoteStream = entry.call.remoteStream as MediaStream | undefined;
		const localStream = entry.call.localStream as MediaStream | undefined;
		if (remote !== null && remoteStream !== undefined && remote.srcObject !== remoteStream) {
			remote.srcObject = remoteStream;
			void this.#applySpeaker(remote);
			void remote.play().catch(() => undefined);
		}
		if (local !== null && localStream !== undefined && local.srcObject !== localStream) {
			local.srcObject = localStream;
			local.muted = true;
			void local.play().catch(() => undefined);
		}
	}

	async #applySpeaker(element: HTMLMediaElement | null): Promise<void> {
		const withSink = element;
		if (withSink?.setSinkId === undefined) return;
		try {
			await withSink.setSinkId(this.#speakerId ?? '');
		} catch {
			this.#notice('warning', 'The chosen speaker is not available; using the default one.', null);
		}
	}

	#tellPeer(entry: Entry, held: boolean): void {
		try {
			entry.call.message(entry.snapshot.remote, holdMessage(held));
		} catch {
			// Informational only: the far end may not be another installation.
		}
	}

	/**
	 * Samples the peer connection every 2 s (`../quality/call-quality`): MOS, RTT, jitter, loss, bitrate,
	 * codecs and the media route, kept for the last minute (the live charts) and summed over the whole call.
	 */
	#startQuality(entry: Entry): void {
		this.#stopQuality(entry);
		entry.qualityTimer = setInterval(() => {
			const peer = (entry.call as { peer?: { instance?: RTCPeerConnection | null } }).peer
				?.instance;
			if (peer === null || peer === undefined) return;
			void peer.getStats().then((stats) => {
				if (entry.snapshot.phase === 'ended') return;
				const quality = entry.quality.next(stats, entry.snapshot.quality, {
					at: this.#now(),
					warning: entry.qualityWarning,
				});
				entry.snapshot = { ...entry.snapshot, quality };
				this.#emit({ type: 'call', call: entry.snapshot });
			});
		}, 2000);
	}

	#stopQuality(entry: Entry): void {
		if (entry.qualityTimer !== null) clearInterval(entry.qualityTimer);
		entry.qualityTimer = null;
	}

	// -- plumbing ----------------------------------------------------------------------------------------

	#entry(id: string): Entry {
		const entry = this.#calls.get(id);
		if (entry === undefined) throw new Error(`No call ${id}`);
		return entry;
	}

	#requireClient(): TelnyxRTC {
		if (this.#client === null || this.#status.kind !== 'registered') {
			throw new Error('Not connected to Telnyx yet.');
		}
		return this.#client;
	}

	#setStatus(status: ConnectionStatus): void {
		this.#status = status;
		this.#emit({ type: 'connection', status });
	}

	#notice(level: 'info' | 'warning' | 'error', message: string, code: number | null): void {
		this.#emit({ type: 'notice', level, message, code });
	}

	#emit(event: SoftphoneEvent): void {
		for (const listener of this.#listeners) listener(event);
	}
}
