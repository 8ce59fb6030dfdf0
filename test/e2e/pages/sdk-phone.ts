/**
 * A plain `@telnyx/webrtc` client in a test page, with no app code: the sandbox's faithfulness test drives two
 * of these. It records every call-state change and measures media from the browser's own counters (decoded
 * frames reported by `requestVideoFrameCallback` and `getStats`), never from a state string.
 *
 * Bundled by the end-to-end global setup into `dist/e2e/sdk-phone.js` and exposed as `window.sdkPhone`.
 */
import { TelnyxRTC, type Call, type IClientOptions, type INotification } from '@telnyx/webrtc';

export interface StateChange {
	readonly state: string;
	readonly at: number;
}

export interface CallRecord {
	readonly id: string;
	direction: string;
	readonly startedAt: number;
	readonly states: StateChange[];
	firstRemoteFrameAt: number | null;
	cause: string | null;
	causeCode: number | null;
	sipCode: number | null;
	sipReason: string | null;
	remoteCallerNumber: string | null;
}

export interface MediaSample {
	readonly videoWidth: number;
	readonly videoHeight: number;
	readonly renderedFrames: number;
	readonly videoFramesDecoded: number;
	readonly audioPacketsReceived: number;
	/** `totalAudioEnergy` of the inbound audio (grows only while sound is played out). */
	readonly audioEnergy: number;
	readonly audioTrackLive: boolean;
}

export interface SdkEvent {
	readonly at: number;
	readonly type: string;
	readonly detail: unknown;
}

class SdkPhone {
	client: TelnyxRTC | null = null;
	readonly calls = new Map<string, { call: Call; record: CallRecord }>();
	readonly events: SdkEvent[] = [];
	autoAnswer = false;
	#renderedFrames = 0;
	#frameWatch: { video: HTMLVideoElement; callId: string } | null = null;

	/** Connects and resolves the time (ms) from `connect()` to `telnyx.ready`, or rejects with the SDK error. */
	connect(host: string, loginToken: string, extra: Partial<IClientOptions> = {}): Promise<number> {
		const started = performance.now();
		const client = new TelnyxRTC({
			host,
			login_token: loginToken,
			iceServers: [],
			video: true,
			...extra,
		} as IClientOptions & { host: string; video: boolean });
		client.remoteElement = 'remote';
		client.localElement = 'local';
		this.client = client;
		client.on('telnyx.notification', (notification: INotification) =>
			this.#onNotification(notification),
		);
		client.on('telnyx.warning', (w: unknown) => this.#record('warning', w));
		client.on('telnyx.socket.close', () => this.#record('socket.close', null));
		client.on('telnyx.ready', () => this.#record('ready', null));
		return new Promise((resolve, reject) => {
			client.on('telnyx.ready', () => resolve(performance.now() - started));
			client.on('telnyx.error', (error: unknown) => {
				this.#record('error', error);
				reject(new Error(JSON.stringify(error)));
			});
			void client.connect();
		});
	}

	/** Places a call; `callerNumber` is the caller ID to present (the SDK leaves it empty otherwise). */
	dial(destinationNumber: string, video = true, callerNumber?: string): string {
		if (this.client === null) throw new Error('not connected');
		const startedAt = performance.now();
		const call = this.client.newCall({
			destinationNumber,
			audio: true,
			video,
			callerName: 'Sandbox test',
			...(callerNumber === undefined ? {} : { callerNumber }),
		});
		this.#track(call, startedAt);
		return call.id;
	}

	/** Logs in again on the open socket with a fresh JWT, as the app does before the old one expires. */
	renew(loginToken: string): Promise<void> {
		const client = this.client;
		if (client === null) throw new Error('not connected');
		return new Promise((resolve, reject) => {
			void client.login({
				creds: { login_token: loginToken },
				onSuccess: () => resolve(),
				onError: (error: unknown) => reject(new Error(JSON.stringify(error))),
			});
		});
	}

	async answer(id: string): Promise<void> {
		await this.#call(id).answer();
	}

	hangup(id: string): void {
		void this.#call(id).hangup();
	}

	async hold(id: string): Promise<void> {
		await this.#call(id).hold();
	}

	async unhold(id: string): Promise<void> {
		await this.#call(id).unhold();
	}

	dtmf(id: string, digits: string): void {
		this.#call(id).dtmf(digits);
	}

	record(id: string): CallRecord | undefined {
		return this.calls.get(id)?.record;
	}

	/** The id of the most recent inbound call, once one has rung. */
	lastInbound(): string | null {
		const inbound = [...this.calls.values()].filter((c) => c.record.direction === 'inbound');
		return inbound.at(-1)?.record.id ?? null;
	}

	state(id: string): string | null {
		return this.calls.get(id)?.call.state ?? null;
	}

	/** Media as the browser sees it for a live call. */
	async media(id: string): Promise<MediaSample> {
		const call = this.#call(id);
		const video = document.getElementById('remote') as HTMLVideoElement;
		let videoFramesDecoded = 0;
		let audioPacketsReceived = 0;
		let audioEnergy = 0;
		const stats = await call.peer.instance.getStats();
		stats.forEach(
			(report: {
				type: string;
				kind?: string;
				framesDecoded?: number;
				packetsReceived?: number;
				totalAudioEnergy?: number;
			}) => {
				if (report.type !== 'inbound-rtp') return;
				if (report.kind === 'video') videoFramesDecoded += report.framesDecoded ?? 0;
				if (report.kind === 'audio') {
					audioPacketsReceived += report.packetsReceived ?? 0;
					audioEnergy += report.totalAudioEnergy ?? 0;
				}
			},
		);
		const audio = call.remoteStream?.getAudioTracks()[0];
		return {
			videoWidth: video.videoWidth,
			videoHeight: video.videoHeight,
			renderedFrames: this.#frameWatch?.callId === id ? this.#renderedFrames : 0,
			videoFramesDecoded,
			audioPacketsReceived,
			audioEnergy,
			audioTrackLive: audio?.readyState === 'live',
		};
	}

	/**
	 * The SDK's own ICE restart, as it runs it after a network change: a new offer sent in a `modify` with
	 * `updateMedia`, whose result carries the far end's answer. Resolves whether the SDK started one.
	 */
	restartIce(id: string): { started: boolean; reason?: string } {
		return this.#call(id).peer.restartIce();
	}

	/** Whether the SDK is still in the ICE restart it started (it clears this once the answer is applied). */
	iceRestarting(id: string): boolean {
		return this.#call(id).peer.isIceRestarting === true;
	}

	/** The call's local and remote SDP as applied by its peer connection. */
	descriptions(id: string): { local: string; remote: string } {
		const pc = this.#call(id).peer.instance;
		return { local: pc.localDescription?.sdp ?? '', remote: pc.remoteDescription?.sdp ?? '' };
	}

	disconnect(): void {
		void this.client?.disconnect();
		this.client = null;
	}

	#call(id: string): Call {
		const entry = this.calls.get(id);
		if (entry === undefined) throw new Error(`no call ${id}`);
		return entry.call;
	}

	#record(type: string, detail: unknown): void {
		this.events.push({
			at: performance.now(),
			type,
			detail: JSON.parse(JSON.stringify(detail ?? null)) as unknown,
		});
	}

	#track(call: Call, startedAt: number): CallRecord {
		const record: CallRecord = {
			id: call.id,
			direction: call.direction,
			startedAt,
			states: [],
			firstRemoteFrameAt: null,
			cause: null,
			causeCode: null,
			sipCode: null,
			sipReason: null,
			remoteCallerNumber: null,
		};
		this.calls.set(call.id, { call, record });
		this.#watchFrames(call.id, record);
		return record;
	}

	#onNotification(notification: INotification): void {
		if (notification.type !== 'callUpdate' || notification.call === undefined) {
			this.#record(`notification:${notification.type}`, { ...notification, call: undefined });
			return;
		}
		const call = notification.call;
		const record = this.calls.get(call.id)?.record ?? this.#track(call, performance.now());
		record.states.push({ state: call.state, at: performance.now() });
		record.direction = call.direction;
		record.remoteCallerNumber = call.options.remoteCallerNumber ?? null;
		if (call.state === 'hangup' || call.state === 'destroy') {
			record.cause = call.cause ?? null;
			record.causeCode = call.causeCode ?? null;
			record.sipCode = call.sipCode ?? null;
			record.sipReason = call.sipReason ?? null;
		}
		if (call.state === 'ringing' && String(call.direction) === 'inbound' && this.autoAnswer)
			void call.answer();
	}

	/**
	 * Counts frames presented by the remote video element from the moment the call exists, and notes when the
	 * first one arrived (a new call takes the element over).
	 */
	#watchFrames(callId: string, record: CallRecord): void {
		const video = document.getElementById('remote') as HTMLVideoElement;
		this.#renderedFrames = 0;
		this.#frameWatch = { video, callId };
		const onFrame = () => {
			if (this.#frameWatch?.callId !== callId) return;
			this.#renderedFrames += 1;
			record.firstRemoteFrameAt ??= performance.now();
			video.requestVideoFrameCallback(onFrame);
		};
		video.requestVideoFrameCallback(onFrame);
	}
}

declare global {
	interface Window {
		sdkPhone: SdkPhone;
	}
}

window.sdkPhone = new SdkPhone();
