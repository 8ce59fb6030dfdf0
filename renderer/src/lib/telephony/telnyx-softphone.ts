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
 * team-telnyx/webrtc #754 (open through 2.27.10): the SDK moves an outbound call to `active` on
 * `telnyx_rtc.answer` only when the call is already in `early` or later, and the invite's result always sets
 * `trying`, even after `early` media. When that result comes late, the answer is dropped and the call stays
 * in `trying`/`early` while media flows. Every server frame also reaches `telnyx.socket.message` (before the
 * SDK's own handler), so the adapter treats a `telnyx_rtc.answer` for one of its outbound calls as the
 * answer itself, whatever state the SDK is left in.
 */
import {
	PreCallDiagnostic,
	TelnyxRTC,
	type Call,
	type IClientOptions,
	type INotification,
	type PreCallDiagnosticReport,
} from '@telnyx/webrtc';
import { limits } from '../../../../preload/limits';
import { phaseMark } from '../call/phase-marks';
import { computeSample, type StatsReading } from '../quality/call-stats';
import { QualityTotals, pushSample } from '../quality/quality-history';
import {
	endReason,
	endsCall,
	errorMessage,
	isQualityWarning,
	localFailure,
	warningMessage,
} from './messages';
import type {
	CallPhase,
	CallQuality,
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

/** Body of the in-call message one installation sends another when it puts the call on hold or resumes. */
const HOLD_MESSAGE = 'telnyx-softphone:hold';

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

/**
 * A microphone opened while an inbound call rings (`prewarm`): the answer hands it to the SDK instead of
 * waiting for the device then; a call not answered here stops it. It stays in `#warm` until the SDK has
 * taken it, so that a call ending while Answer waits for the devices still stops it (`#releaseWarm`).
 */
interface Warm {
	readonly stream: Promise<MediaStream | null>;
	/** An answer is using it (waits for it, adds the camera): no other answer may. */
	claimed: boolean;
	/** Given to the SDK's answer: the SDK owns it now and stops it when the call ends (its `_finalize`). */
	handedOver: boolean;
}

/** The SDK's own audio constraints for a chosen microphone (what its getUserMedia would ask for). */
function microphoneConstraints(microphoneId: string | null): MediaTrackConstraints | true {
	return microphoneId === null ? true : { deviceId: { exact: microphoneId } };
}

function stopStream(stream: MediaStream | null): void {
	for (const track of stream?.getTracks() ?? []) track.stop();
}

/** The SDK call's peer (not in its typings): built by `answer()` unless the SDK ignores the answer. */
function peerOf(call: Call): unknown {
	return (call as { peer?: unknown }).peer;
}

/**
 * The ICE servers for a connection: the ones main's endpoints give (a sandbox's STUN/TURN, checked by main),
 * else `defaultIceServers`. Copied, so the SDK never holds the endpoints' own (frozen, shared) objects.
 */
export function iceServersFor(
	given:
		| readonly {
				readonly urls: string | readonly string[];
				readonly username?: string | undefined;
				readonly credential?: string | undefined;
		  }[]
		| undefined,
	signallingUrl: string,
): RTCIceServer[] | undefined {
	if (given === undefined) return defaultIceServers(signallingUrl);
	return given.map(({ urls, username, credential }) => ({
		urls: typeof urls === 'string' ? urls : [...urls],
		...(username === undefined ? {} : { username }),
		...(credential === undefined ? {} : { credential }),
	}));
}

/** No STUN/TURN for a signalling server on this computer (the sandbox); Telnyx's own otherwise. */
export function defaultIceServers(signallingUrl: string): RTCIceServer[] | undefined {
	try {
		return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(signallingUrl).hostname)
			? []
			: undefined;
	} catch {
		return undefined;
	}
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
	/** The last stats reading (for the next sample's deltas) and the whole call's quality so far. */
	qualityReading: StatsReading | null;
	readonly qualityTotals: QualityTotals;
	failure: EndReason | null;
	/**
	 * `answer()` has started for this call: no pre-warm may open a microphone for it any more. The SDK keeps
	 * an answered call `ringing` until its answer's SDP is sent, so the phase cannot say it.
	 */
	answerStarted: boolean;
	/** The peer connection whose `connectionstatechange` is watched for `mediaConnected`, once there is one. */
	watchedPeer: RTCPeerConnection | null;
}

/** What the signalling frames said about an outbound call, beside the SDK's own state. */
interface FrameFacts {
	readonly remoteRinging: boolean;
	readonly remoteAnswered: boolean;
}

/** The SDK states an answered outbound call can be stuck in (#754): before `active`, after the invite. */
const STUCK_BEFORE_ACTIVE = new Set(['requesting', 'trying', 'early']);

export function sdkPhase(call: Call, { remoteRinging, remoteAnswered }: FrameFacts): CallPhase {
	// Telnyx answered: the call is in progress even if the SDK dropped the answer (#754).
	if (remoteAnswered && STUCK_BEFORE_ACTIVE.has(String(call.state))) return 'active';
	const state = call.state as
		| 'new'
		| 'requesting'
		| 'trying'
		| 'recovering'
		| 'ringing'
		| 'answering'
		| 'early'
		| 'active'
		| 'held'
		| 'hangup'
		| 'destroy'
		| 'purge';
	switch (state) {
		case 'new':
		case 'requesting':
			return String(call.direction) === 'inbound' ? 'ringing' : 'dialing';
		case 'trying':
			return remoteRinging ? 'ringing' : 'trying';
		case 'recovering':
		case 'answering':
			return 'connecting';
		case 'ringing':
			return 'ringing';
		case 'early':
			return 'early';
		case 'active':
			return 'active';
		case 'held':
			return 'held';
		case 'hangup':
		case 'destroy':
		case 'purge':
			return 'ended';
		default: {
			const unknown: never = state;
			return unknown;
		}
	}
}

export class TelnyxSoftphone implements Softphone {
	readonly #listeners = new Set<(event: SoftphoneEvent) => void>();
	readonly #calls = new Map<string, Entry>();
	/** Ids of calls the SDK has destroyed (bounded), so late updates do not resurrect them. */
	readonly #finished = new Set<string>();
	readonly #options: TelnyxSoftphoneOptions;
	readonly #now: () => number;
	readonly #getUserMedia: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
	/** Microphones opened for ringing inbound calls, by call id (see `prewarm`). */
	readonly #warm = new Map<string, Warm>();
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
		for (const id of [...this.#warm.keys()]) this.#releaseWarm(id);
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
		const warm: Warm = {
			stream: this.#getUserMedia({
				audio: microphoneConstraints(microphoneId),
				video: false,
			}).catch(
				// The SDK opens the device itself on Answer, and reports its own error then.
				() => null,
			),
			claimed: false,
			handedOver: false,
		};
		this.#warm.set(id, warm);
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
		const warm = this.#warm.get(id);
		// No microphone opened while it rang (or another answer is using it): the SDK opens the devices.
		if (warm === undefined || warm.claimed) {
			await entry.call.answer();
			return;
		}
		warm.claimed = true;
		const local = await this.#warmedStream(entry, warm, withVideo, cameraId);
		phaseMark('answer-devices-open');
		if (this.#warm.get(id) === warm) this.#warm.delete(id);
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

	/**
	 * The microphone opened while the call rang, with the camera added for a video answer; null when there is
	 * none (or it died): the SDK then opens the devices itself, as without a pre-warm. `'gone'` when the call
	 * can no longer be answered once the devices are open: they are stopped, and nothing is to be answered.
	 */
	async #warmedStream(
		entry: Entry,
		warm: Warm,
		video: boolean,
		cameraId: string | null,
	): Promise<MediaStream | null | 'gone'> {
		const stream = await warm.stream;
		phaseMark('microphone-warm');
		if (!this.#answerable(entry)) {
			stopStream(stream);
			return 'gone';
		}
		if (stream === null) return null;
		if (!stream.getAudioTracks().some((track) => track.readyState === 'live')) {
			stopStream(stream);
			return null;
		}
		if (!video) return stream;
		let camera: MediaStream;
		try {
			camera = await this.#getUserMedia({
				audio: false,
				video: cameraId === null ? true : { deviceId: { exact: cameraId } },
			});
		} catch {
			// The SDK asks for both and reports the camera's error itself.
			stopStream(stream);
			return this.#answerable(entry) ? null : 'gone';
		}
		phaseMark('camera-open');
		for (const track of camera.getVideoTracks()) stream.addTrack(track);
		if (this.#answerable(entry)) return stream;
		stopStream(stream);
		stopStream(camera);
		return 'gone';
	}

	/** Stops a ringing call's microphone (declined, cancelled, answered elsewhere, missed), once it is open. */
	#releaseWarm(id: string): void {
		const warm = this.#warm.get(id);
		if (warm === undefined) return;
		this.#warm.delete(id);
		void warm.stream.then((stream) => {
			if (!warm.handedOver) stopStream(stream);
		});
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
		// RECONNECTION_EXHAUSTED (45003) is reported on the failed socket's error event, before its close
		// event: the SDK has stopped, so that close must not bring a countdown back.
		if (this.#status.kind === 'failed' && this.#status.code === 45003) return;
		this.#attempt += 1;
		// The SDK backs off 1 s · 2^(n-1), capped at 30 s (±25 %); the countdown shows the middle of it.
		const delay = Math.min(30_000, 1000 * 2 ** (this.#attempt - 1));
		this.#setStatus({ kind: 'reconnecting', attempt: this.#attempt, retryAt: this.#now() + delay });
	}

	#onError(code: number, callId: string | undefined): void {
		// After these errors the SDK hangs the call up itself with a cause that would read "The other side hung
		// up" or "Busy" (see endsCall): the call keeps the real reason, set before that hangup.
		const entry = callId === undefined ? undefined : this.#calls.get(callId);
		if (entry !== undefined && endsCall(code)) entry.failure = localFailure(code);
		// A call hung up while its media was still being set up (44005): the SDK's own words call it expected,
		// with nothing to do; the call's end says what happened.
		if (code === 44005) return;
		if (code === 48001) {
			this.#setStatus({ kind: 'offline' });
			return;
		}
		if (code === 45003 || code === 46001 || code === 46002 || code === 46003) {
			this.#setStatus({ kind: 'failed', code, message: errorMessage(code) });
			return;
		}
		if (code === 45001 || code === 45002) return; // the reconnect status already says it
		this.#notice('error', errorMessage(code), code);
	}

	#onWarning(code: number, callId: string | undefined): void {
		// Test my setup's call reports its own findings; its warnings are not the user's calls'.
		if (callId !== undefined && callId === this.#testCall?.id) return;
		const message = warningMessage(code);
		if (message === null) return;
		const entry = callId === undefined ? undefined : this.#calls.get(callId);
		if (isQualityWarning(code) && entry !== undefined) {
			entry.qualityWarning = message;
			this.#publish(entry);
			return;
		}
		// Renewing the token is main's job and nothing for the user to do; the store asks main for one.
		if (code === 34001) {
			this.#emit({ type: 'tokenExpiring' });
			return;
		}
		this.#notice('warning', message, code);
	}

	/** Server frames the SDK does not (reliably) turn into state changes of an outbound call. */
	#onFrame(frame: { method?: string; params?: { callID?: string } }): void {
		if (frame.method !== 'telnyx_rtc.ringing' && frame.method !== 'telnyx_rtc.answer') return;
		const entry = this.#calls.get(frame.params?.callID ?? '');
		if (entry === undefined || String(entry.call.direction) === 'inbound') return;
		// The SDK does not change an outbound call's state when the far end rings; the frame says so.
		if (frame.method === 'telnyx_rtc.ringing') entry.remoteRinging = true;
		// The SDK may drop the answer (#754); Telnyx sent it, so the call was answered.
		else entry.remoteAnswered = true;
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
			// The SDK is done with a call once it is destroyed: forget it, and ignore anything later.
			if (call.state === 'destroy' || call.state === 'purge') {
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
			const params = notification as unknown as { callID?: string; msg?: { body?: string } };
			const entry = this.#calls.get(params.callID ?? '');
			if (entry === undefined || typeof params.msg?.body !== 'string') return;
			try {
				const body = JSON.parse(params.msg.body) as { type?: string; held?: boolean };
				if (body.type === HOLD_MESSAGE) this.#publish(entry, { remoteHeld: body.held === true });
			} catch {
				// Not one of ours.
			}
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
			qualityReading: null,
			qualityTotals: new QualityTotals(),
			failure: null,
			answerStarted: false,
			watchedPeer: null,
			snapshot: {
				...describeCall(call),
				phase: 'dialing',
				muted: false,
				cameraOff: false,
				remoteHeld: false,
				startedAt: this.#now(),
				answeredAt: null,
				endedAt: null,
				end: null,
				quality: null,
			},
		};
		this.#calls.set(call.id, entry);
		return entry;
	}

	#publish(entry: Entry, change: Partial<CallSnapshot> = {}): void {
		const previous = entry.snapshot;
		if (previous.phase === 'ended') return;
		const call = entry.call;
		const phase = sdkPhase(call, entry);
		const now = this.#now();
		const answeredAt = previous.answeredAt ?? (phase === 'active' ? now : null);
		let next: CallSnapshot = {
			...previous,
			...change,
			// The SDK fills in an inbound call's direction and caller only after its first update.
			...describeCall(call),
			phase,
			answeredAt,
			quality:
				previous.quality === null && entry.qualityWarning === null
					? null
					: { ...(previous.quality ?? emptyQuality), warning: entry.qualityWarning },
		};
		if (phase === 'active' && previous.phase !== 'active') this.#startQuality(entry);
		// Whenever the call is (or is again) in progress, by the SDK's state or by the answer frame (#754):
		// binding is idempotent, and an answer the SDK dropped brings no later update to bind on. Early media
		// is played too: it is what the network sends before the answer (ringback, "the number you have
		// dialled…"), and the app's own ringback stops once a call is in early media.
		if (phase === 'active' || phase === 'early') this.#bindMedia(entry);
		if (phase !== 'ended') this.#watchPeer(entry);
		if (phase === 'ended') {
			this.#stopQuality(entry);
			this.#releaseWarm(call.id);
			next = {
				...next,
				endedAt: now,
				end:
					entry.failure ??
					endReason({
						cause: call.cause ?? null,
						sipCode: call.sipCode ?? null,
						sipReason: call.sipReason ?? null,
						direction: previous.direction,
						wasAnswered: answeredAt !== null,
						hungUpLocally: entry.hungUpLocally,
					}),
			};
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
			entry.call.message(entry.snapshot.remote, JSON.stringify({ type: HOLD_MESSAGE, held }));
		} catch {
			// Informational only: the far end may not be another installation.
		}
	}

	/**
	 * Samples the peer connection every 2 s (`../quality/call-stats`): MOS, RTT, jitter, loss, bitrate, codecs
	 * and the media route, kept for the last minute (the live charts) and summed over the whole call.
	 */
	#startQuality(entry: Entry): void {
		this.#stopQuality(entry);
		entry.qualityTimer = setInterval(() => {
			const peer = (entry.call as { peer?: { instance?: RTCPeerConnection | null } }).peer
				?.instance;
			if (peer === null || peer === undefined) return;
			void peer.getStats().then((stats) => {
				if (entry.snapshot.phase === 'ended') return;
				const { sample, reading } = computeSample(stats, entry.qualityReading, {
					at: this.#now(),
				});
				entry.qualityReading = reading;
				entry.qualityTotals.add(sample);
				const quality: CallQuality = {
					rttMs: sample.rttMs,
					jitterMs: sample.jitterMs,
					packetLossPercent: sample.packetLossPercent,
					mos: sample.mos,
					warning: entry.qualityWarning,
					samples: pushSample(entry.snapshot.quality?.samples ?? [], sample),
					summary: entry.qualityTotals.summary(),
				};
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

/**
 * The longest caller address and name main accepts (its IPC schema for history entries and the desktop
 * report). Main refuses anything longer, and the refusal is silent: a caller with a 200-character display
 * name would leave no history entry and no notification. Clipped where the SDK's values come in.
 */
const MAX_REMOTE = 256;
const MAX_REMOTE_NAME = 128;

/**
 * Whether an SDP offers video: an `m=video` section with a non-zero port (port 0 rejects or disables the
 * stream, RFC 3264 §5.1 / §6). A `video: true` client offers it on every outbound call, so this decides
 * inbound calls only.
 */
export function sdpHasVideo(sdp: string | undefined): boolean {
	return sdp !== undefined && /^m=video +[1-9]/m.test(sdp);
}

/** Who the call is with, read from the SDK call (an outbound call's `remoteCallerName` is a placeholder). */
export function describeCall(
	call: Call,
): Pick<CallSnapshot, 'id' | 'direction' | 'remote' | 'remoteName' | 'video' | 'telnyxIds'> {
	const inbound = String(call.direction) === 'inbound';
	const wanted = call.options.video;
	const wantsVideo = wanted === true || (typeof wanted === 'object' && wanted !== null);
	// Inbound: what the caller offers (the client-level flag is true for every call), and, once answered, what
	// was answered with (`answer()` sets `options.video`). Outbound: what this app asked for.
	const video = inbound ? wantsVideo && sdpHasVideo(call.options.remoteSdp) : wantsVideo;
	const remote = (inbound ? call.options.remoteCallerNumber : call.options.destinationNumber) ?? '';
	const remoteName = inbound ? (call.options.remoteCallerName ?? '') : '';
	return {
		id: call.id,
		direction: inbound ? 'inbound' : 'outbound',
		remote: remote.slice(0, MAX_REMOTE),
		remoteName: remoteName.slice(0, MAX_REMOTE_NAME),
		video,
		telnyxIds: telnyxIdsOf(call),
	};
}

/** Telnyx's ids of the call, as the SDK keeps them from the invite, ringing and answer frames. */
function telnyxIdsOf(call: Call): CallSnapshot['telnyxIds'] {
	const ids = (call as Partial<Pick<Call, 'telnyxIDs'>>).telnyxIDs;
	const id = (value: unknown) =>
		typeof value === 'string' && value !== '' ? value.slice(0, limits.telnyxId) : null;
	return {
		callControlId: id(ids?.telnyxCallControlId),
		sessionId: id(ids?.telnyxSessionId),
		legId: id(ids?.telnyxLegId),
	};
}

function failedTestCall(failure: string): TestCallReport {
	return {
		established: false,
		failure,
		jitterMs: null,
		rttMs: null,
		packetLossPercent: null,
		audioReturned: false,
		candidates: null,
		firstNonHostMs: null,
		setupMs: null,
	};
}

const round1 = (value: number | undefined): number | null =>
	value === undefined || !Number.isFinite(value) ? null : Math.round(value * 10) / 10;

/** The SDK's pre-call report as the port's plain data (its figures are in ms; loss as a fraction). */
export function testCallReport(
	report: PreCallDiagnosticReport,
	end: EndReason | null,
	elapsedMs: number,
): TestCallReport {
	const counts = report.ice?.candidateCounts;
	const candidates =
		counts === undefined
			? null
			: { host: counts.host ?? 0, srflx: counts.srflx ?? 0, relay: counts.relay ?? 0 };
	if (report.network === undefined) {
		// No media was measured: the call never connected. Telnyx's own reason first, then the SDK's.
		const sdkReason = report.reasons?.[0]?.message;
		return {
			...failedTestCall(
				end?.message ??
					(sdkReason === undefined ? 'The test call did not connect.' : `${sdkReason}.`),
			),
			candidates,
			firstNonHostMs: round1(report.timings?.firstNonHostCandidateMs),
		};
	}
	const { network } = report;
	const loss = network.packets?.packetLossFraction;
	return {
		established: true,
		failure: null,
		jitterMs: round1(network.jitter?.average),
		rttMs: round1(network.rtt?.average),
		packetLossPercent: loss === undefined ? null : round1(loss * 100),
		audioReturned: network.inbound?.flowing ?? false,
		candidates,
		firstNonHostMs: round1(report.timings?.firstNonHostCandidateMs),
		setupMs: round1(report.timings?.totalMs ?? elapsedMs),
	};
}

const emptyQuality: CallQuality = {
	mos: null,
	rttMs: null,
	jitterMs: null,
	packetLossPercent: null,
	warning: null,
	samples: [],
	summary: null,
};
