/**
 * The sandbox's media gateway: each call leg's WebRTC media ends here, as it ends at Telnyx's B2BUA-RTC
 * gateway, and RTP is forwarded between the two legs of a call without transcoding.
 *
 * Built on werift (a maintained WebRTC stack in TypeScript) rather than by hand: ICE, DTLS-SRTP, RTCP and
 * SDP are the hard parts of a gateway and werift has them. What this module decides is only the telephony:
 * - the caller's offer is taken at once (`acceptOffer`) and answered when the callee answers (`answer`); the
 *   callee's leg gets the gateway's own offer (`offer`) with the codecs the caller's offer settled on, so RTP
 *   passes through unchanged apart from SSRC and payload type, which werift's sender rewrites;
 * - nothing flows between the legs until `GatewayBridge.setForwarding(true)` (after the answer), nor while
 *   either leg holds the call;
 * - a leg whose client trickles its candidates (`telnyx_rtc.candidate`) gets them applied in arrival order,
 *   after the description they belong to (`addRemoteCandidate`); whether the gateway's own SDP goes whole or
 *   with its candidates trickled is the call router's choice (calls.ts);
 * - a re-offer on a live leg (the SDK's ICE restart, `modify` `updateMedia`) is answered on that leg only
 *   (`answerOffer`);
 * - a client asking for a key frame (PLI/FIR) is heard by the sender on the other leg, and forwarding that
 *   resumes (answer, unhold) or a leg that (re)connects asks the source for one, so pictures start at once;
 * - a bridge may join a leg to itself (`GatewayBridge.echo`): what the client sends comes back to it, its key
 *   frame requests reach its own sender (the echo the SDK's pre-call diagnostic calls);
 * - the RTP sent to clients, on every leg, can be degraded (`MediaGateway.impairment`, see impairment.ts).
 */
import {
	RTCPeerConnection,
	RTCRtpCodecParameters,
	type MediaStreamTrack,
	type RTCDtlsTransport,
	type RTCRtpTransceiver,
	type RtcpPacket,
	useH264,
	useNACK,
	useOPUS,
	usePLI,
	useREMB,
	useSdesMid,
	useVP8,
} from 'werift';
import { NO_IMPAIRMENT, packetFate, type MediaImpairment } from './impairment';
import type { TrickleCandidate } from '../signalling/trickle';

type Kind = 'audio' | 'video';
type RtpPacket = Parameters<RTCRtpTransceiver['sender']['sendRtp']>[0];

/** Picture-loss feedback: RTCP payload-specific feedback (206) with FMT 1 (PLI) or 4 (FIR). */
const isKeyFrameRequest = (packet: RtcpPacket): boolean =>
	packet.type === 206 &&
	'feedback' in packet &&
	typeof packet.feedback === 'object' &&
	packet.feedback !== null &&
	'count' in packet.feedback &&
	(packet.feedback.count === 1 || packet.feedback.count === 4);

const videoFeedback = () => [useNACK(), usePLI(), useREMB()];

/** What the gateway offers and accepts: Opus for audio; VP8 and H.264 (constrained baseline) for video. */
function defaultCodecs(): { audio: RTCRtpCodecParameters[]; video: RTCRtpCodecParameters[] } {
	return {
		audio: [useOPUS()],
		video: [
			useVP8({ rtcpFeedback: videoFeedback() }),
			useH264({
				rtcpFeedback: videoFeedback(),
				parameters: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
			}),
		],
	};
}

export interface GatewayOptions {
	/** Host addresses for ICE candidates; the sandbox is loopback-only, so 127.0.0.1. */
	readonly hostAddresses?: readonly string[];
	/** Longest wait for ICE gathering before an SDP is sent anyway (non-trickle, as the SDK's default). */
	readonly gatheringTimeoutMs?: number;
}

/** What a leg needs from its gateway: the options, and the impairment in force as each packet is sent. */
interface LegOptions extends Required<GatewayOptions> {
	readonly impairment: () => MediaImpairment;
}

/** One call leg's media at the gateway. */
export class GatewayLeg {
	readonly #pc: RTCPeerConnection;
	readonly #gatheringTimeoutMs: number;
	readonly #tracks = new Map<Kind, MediaStreamTrack>();
	readonly #trackListeners: Array<(kind: Kind, track: MediaStreamTrack) => void> = [];
	readonly #impairment: () => MediaImpairment;
	/** Packets held back by an impaired delay, cancelled when the leg closes. */
	readonly #delayed = new Set<NodeJS.Timeout>();
	#closed = false;
	/**
	 * Every DTLS transport this leg's connection has made, closed with it. werift makes one per transceiver for
	 * an offer, and when the answer bundles them it moves the transceivers onto the first and forgets the
	 * others: `RTCPeerConnection.close()` then stops only the one in use, and each forgotten one keeps its UDP
	 * socket and ICE timers open for good (the gateway's offer to a callee, audio and video, left one a call).
	 */
	readonly #transports = new Set<RTCDtlsTransport>();
	/** ICE restarts counted before the offer being answered (to tell a restart from a first offer). */
	#restartsBefore = 0;
	/**
	 * Remote descriptions and trickled candidates are applied one after another, in arrival order: a candidate
	 * that arrives while a (re-)offer is being applied belongs to that offer, not to the one before it.
	 */
	#serial: Promise<unknown> = Promise.resolve();
	/** Candidates trickled by this leg's client (`telnyx_rtc.candidate`), and whether it said it was done. */
	#remoteCandidates = 0;
	#remoteEndOfCandidates = false;

	constructor(
		codecs: { audio: RTCRtpCodecParameters[]; video: RTCRtpCodecParameters[] },
		options: LegOptions,
	) {
		this.#gatheringTimeoutMs = options.gatheringTimeoutMs;
		this.#impairment = options.impairment;
		const sdesMid = useSdesMid();
		this.#pc = new RTCPeerConnection({
			codecs,
			// One object for both kinds: werift numbers each kind's extensions in turn, so two `useSdesMid()`
			// would offer the MID extension as id 1 for audio and 2 for video in one BUNDLE group, which RFC 8843
			// forbids. Chrome answers one id for both, and when a later re-offer (an ICE restart) settles the
			// audio on the other id, its renderer crashes. A shared object ends up with one id.
			headerExtensions: { audio: [sdesMid], video: [sdesMid] },
			iceUseIpv6: false,
			iceAdditionalHostAddresses: [...options.hostAddresses],
			// Only the given addresses: the sandbox listens on loopback, and so must its media.
			iceFilterCandidatePair: (pair) => options.hostAddresses.includes(pair.localCandidate.host),
		});
		this.#pc.onTrack.subscribe((track) => {
			const kind = track.kind as Kind;
			this.#tracks.set(kind, track);
			for (const listener of this.#trackListeners) listener(kind, track);
		});
	}

	/** The gateway answers a client's offer at once (a re-offer on a live leg: the SDK's ICE restart). */
	async answerOffer(sdp: string): Promise<string> {
		await this.acceptOffer(sdp);
		return this.answer();
	}

	/**
	 * Takes a client's offer: the codecs are negotiated (see `negotiatedCodec`), but nothing is answered or
	 * connected yet. A caller's leg is answered only when the callee answers: answered sooner, its ICE checks
	 * would run out while the phone rings (werift gives up after about 30 s), leaving the call without media.
	 */
	async acceptOffer(sdp: string): Promise<void> {
		await this.#inTurn(async () => {
			this.#restartsBefore = this.#iceRestarts();
			await this.#pc.setRemoteDescription({ type: 'offer', sdp });
			this.#rememberTransports();
			for (const transceiver of this.#pc.getTransceivers()) transceiver.setDirection('sendrecv');
		});
	}

	/**
	 * A candidate the leg's client trickled (`telnyx_rtc.candidate`), or null for its `endOfCandidates`.
	 * Applied after the description being applied, if any; werift itself keeps candidates that come before
	 * any remote description. A candidate werift cannot use is dropped, as a browser drops it: the call may
	 * still connect on the others.
	 */
	addRemoteCandidate(candidate: TrickleCandidate | null): Promise<void> {
		if (candidate === null) this.#remoteEndOfCandidates = true;
		else this.#remoteCandidates += 1;
		return this.#inTurn(() =>
			this.#closed
				? Promise.resolve()
				: this.#pc.addIceCandidate(candidate === null ? { candidate: '' } : { ...candidate }),
		).catch((error: unknown) => {
			console.error('sandbox media gateway: a trickled candidate was not applied:', error);
		});
	}

	/** What this leg's client trickled so far (for the call summaries). */
	get trickled(): { readonly candidates: number; readonly endOfCandidates: boolean } {
		return { candidates: this.#remoteCandidates, endOfCandidates: this.#remoteEndOfCandidates };
	}

	#inTurn<T>(work: () => Promise<T>): Promise<T> {
		const next = this.#serial.then(work);
		this.#serial = next.catch(() => undefined);
		return next;
	}

	/** Answers the offer taken by `acceptOffer`: the gateway's SDP, candidates included. */
	async answer(): Promise<string> {
		await this.#pc.setLocalDescription(await this.#pc.createAnswer());
		const answer = await this.#gathered();
		if (this.#iceRestarts() > this.#restartsBefore) this.#resumeRestartedIce();
		return answer;
	}

	/**
	 * werift 0.24.4 restarts its ICE agent when a re-offer brings new ICE credentials, but reconnects only
	 * transports whose DTLS is not up yet. A restarted agent therefore queues the client's connectivity checks
	 * as "early checks" that nothing ever processes, never re-nominates a pair nor re-establishes consent, and
	 * silently stops sending (it still receives). Starting the restarted agent, as werift does for a fresh
	 * transport, processes those checks and resumes consent; DTLS and SRTP carry on unchanged.
	 */
	#resumeRestartedIce(): void {
		for (const transport of this.#iceTransports())
			if (transport.state !== 'checking') void transport.start().catch(() => undefined);
	}

	#iceRestarts(): number {
		return this.#iceTransports().reduce((sum, transport) => sum + transport.iceRestarts, 0);
	}

	/** One per bundle group: with BUNDLE (the SDK's offers) every transceiver shares one transport. */
	#iceTransports() {
		return [
			...new Set(
				this.#pc
					.getTransceivers()
					.map((transceiver) => transceiver.sender.dtlsTransport.iceTransport),
			),
		];
	}

	/** The gateway offers media to a client (the callee's invite). */
	async offer(kinds: { readonly video: boolean }): Promise<string> {
		this.#pc.addTransceiver('audio', { direction: 'sendrecv' });
		if (kinds.video) this.#pc.addTransceiver('video', { direction: 'sendrecv' });
		await this.#pc.setLocalDescription(await this.#pc.createOffer());
		this.#rememberTransports();
		return this.#gathered();
	}

	async acceptAnswer(sdp: string): Promise<void> {
		await this.#inTurn(async () => {
			this.#rememberTransports();
			await this.#pc.setRemoteDescription({ type: 'answer', sdp });
		});
	}

	/** The codec this leg settled on for a kind, once negotiated (to offer the same one on the other leg). */
	negotiatedCodec(kind: Kind): RTCRtpCodecParameters | undefined {
		return this.#transceiver(kind)?.codecs[0];
	}

	/** Calls `listener` for each remote track, now and later (a track arrives with its first packets). */
	onTrack(listener: (kind: Kind, track: MediaStreamTrack) => void): void {
		this.#trackListeners.push(listener);
		for (const [kind, track] of this.#tracks) listener(kind, track);
	}

	/**
	 * Sends RTP that came from the other leg (or this one, for the echo) as this leg's media of that kind,
	 * through the impairment in force. werift's sender renumbers with a constant offset, so a dropped packet
	 * leaves a gap in the sequence numbers the client sees, and counts there as lost.
	 */
	send(kind: Kind, packet: RtpPacket): void {
		// Math.random rather than a seeded generator: which packets reach the gateway, and when, varies from run
		// to run anyway, so a seed would not make a run repeatable; tests assert rates with wide margins.
		const fate = packetFate(this.#impairment(), Math.random);
		if (fate.drop || this.#closed) return;
		if (fate.delayMs === 0) {
			this.#sendNow(kind, packet);
			return;
		}
		const timer = setTimeout(() => {
			this.#delayed.delete(timer);
			this.#sendNow(kind, packet);
		}, fate.delayMs);
		this.#delayed.add(timer);
	}

	#sendNow(kind: Kind, packet: RtpPacket): void {
		void this.#transceiver(kind)
			?.sender.sendRtp(packet)
			.catch(() => undefined);
	}

	/** Asks this leg's client for a key frame of the video it sends. */
	requestKeyFrame(): void {
		const track = this.#tracks.get('video');
		const receiver = this.#transceiver('video')?.receiver;
		if (track?.ssrc !== undefined && receiver !== undefined)
			void receiver.sendRtcpPLI(track.ssrc).catch(() => undefined);
	}

	/** Calls `listener` each time this leg's media connects (DTLS up), first or again. */
	onConnected(listener: () => void): void {
		this.#pc.connectionStateChange.subscribe((state) => {
			if (state === 'connected') listener();
		});
	}

	/** Calls `listener` when this leg's client asks for a key frame of the video the gateway sends it. */
	onKeyFrameRequest(listener: () => void): void {
		const video = this.#transceiver('video');
		if (video === undefined) return;
		const onRtcp = (packet: RtcpPacket) => {
			if (isKeyFrameRequest(packet)) listener();
		};
		// werift routes a PLI by its sender SSRC first, and Chrome sends it from the SSRC of its own outgoing
		// video, which the gateway knows as a receiver's: so the request may reach either side of the transceiver.
		video.sender.onRtcp.subscribe(onRtcp);
		video.receiver.onRtcp.subscribe(onRtcp);
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		for (const timer of this.#delayed) clearTimeout(timer);
		this.#delayed.clear();
		this.#rememberTransports();
		for (const transport of this.#transports) endHandshake(transport);
		await this.#pc.close().catch(() => undefined);
		// The transports a bundled answer left behind (stopping one already stopped does nothing).
		await Promise.allSettled([...this.#transports].map((transport) => transport.stop()));
		this.#transports.clear();
	}

	#rememberTransports(): void {
		for (const transceiver of this.#pc.getTransceivers())
			this.#transports.add(transceiver.sender.dtlsTransport);
	}

	#transceiver(kind: Kind): RTCRtpTransceiver | undefined {
		return this.#pc.getTransceivers().find((transceiver) => transceiver.kind === kind);
	}

	/** The local SDP once ICE gathering is complete (or the timeout passed): the SDK's non-trickle default. */
	async #gathered(): Promise<string> {
		if (this.#pc.iceGatheringState !== 'complete') {
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, this.#gatheringTimeoutMs);
				const { unSubscribe } = this.#pc.iceGatheringStateChange.subscribe((state) => {
					if (state !== 'complete') return;
					clearTimeout(timer);
					unSubscribe();
					resolve();
				});
			});
		}
		const sdp = this.#pc.localDescription?.sdp;
		if (sdp === undefined) throw new Error('The gateway has no local description');
		return sdp;
	}
}

/**
 * Stops a DTLS handshake still in progress, or about to start, from retransmitting after its leg closed.
 * werift 0.24.4's DTLS flights resend until the peer's next flight arrives (`DtlsContext.flight` reaching the
 * flight awaited), up to ten times over about half a minute, and nothing cancels them when the transport
 * stops; and a DTLS client starts its first flight 100 ms after ICE connects, whatever happened meanwhile. A
 * leg closed as its media connected (a call hung up then, a sandbox closed then) kept a timer running that
 * long. So a client's pending start is made a no-op, and a flight counter past every flight ends a running
 * flight's loop when its current wait ends. Internals, typed narrowly.
 */
function endHandshake(transport: RTCDtlsTransport): void {
	const socket = (
		transport as unknown as {
			dtls?: { dtls?: { flight: number }; connect?: () => Promise<void> };
		}
	).dtls;
	if (socket === undefined) return;
	if (typeof socket.connect === 'function') socket.connect = () => Promise.resolve();
	if (socket.dtls !== undefined) socket.dtls.flight = Number.MAX_SAFE_INTEGER;
}

/** Two legs' media joined through the gateway, or one leg's joined to itself (the echo). */
export class GatewayBridge {
	#forwarding = false;

	constructor(
		readonly caller: GatewayLeg,
		readonly callee: GatewayLeg,
	) {
		this.#pipe(caller, callee);
		if (callee !== caller) this.#pipe(callee, caller);
	}

	/**
	 * The echo: everything the leg's client sends comes back to it on the same leg, video included, and its
	 * requests for a key frame of the video it receives reach its own sender.
	 */
	static echo(leg: GatewayLeg): GatewayBridge {
		return new GatewayBridge(leg, leg);
	}

	get forwarding(): boolean {
		return this.#forwarding;
	}

	/** Starts or stops media between the legs (answer, hold, unhold). */
	setForwarding(on: boolean): void {
		const resumed = on && !this.#forwarding;
		this.#forwarding = on;
		if (resumed) this.requestKeyFrames();
	}

	requestKeyFrames(): void {
		for (const leg of this.#legs()) leg.requestKeyFrame();
	}

	async close(): Promise<void> {
		this.#forwarding = false;
		await Promise.all(this.#legs().map((leg) => leg.close()));
	}

	#legs(): GatewayLeg[] {
		return this.callee === this.caller ? [this.caller] : [this.caller, this.callee];
	}

	#pipe(from: GatewayLeg, to: GatewayLeg): void {
		from.onTrack((kind, track) => {
			track.onReceiveRtp.subscribe((packet) => {
				if (this.#forwarding) to.send(kind, packet.clone());
			});
		});
		to.onKeyFrameRequest(() => from.requestKeyFrame());
		// What `from` sent before `to` connected was dropped, its first key frame with it: ask for another.
		to.onConnected(() => {
			if (this.#forwarding) from.requestKeyFrame();
		});
	}
}

export class MediaGateway {
	/** How the RTP sent to clients is degraded; read as each packet is sent, so it applies to live calls. */
	impairment: MediaImpairment = NO_IMPAIRMENT;
	readonly #options: LegOptions;

	constructor(options: GatewayOptions = {}) {
		this.#options = {
			hostAddresses: options.hostAddresses ?? ['127.0.0.1'],
			gatheringTimeoutMs: options.gatheringTimeoutMs ?? 2_000,
			impairment: () => this.impairment,
		};
	}

	/** A leg that will answer a client's offer with every codec the gateway supports. */
	answeringLeg(): GatewayLeg {
		return new GatewayLeg(defaultCodecs(), this.#options);
	}

	/**
	 * A leg that will offer media to a client, limited to the codecs the other leg settled on, so RTP
	 * passes between them without transcoding.
	 */
	offeringLeg(other: GatewayLeg): GatewayLeg {
		const codecs = defaultCodecs();
		const audio = other.negotiatedCodec('audio');
		const video = other.negotiatedCodec('video');
		return new GatewayLeg(
			{
				audio: audio === undefined ? codecs.audio : [copyCodec(audio)],
				video: video === undefined ? codecs.video : [copyCodec(video)],
			},
			this.#options,
		);
	}
}

/** A fresh codec description (payload types are per connection; werift assigns its own). */
function copyCodec(codec: RTCRtpCodecParameters): RTCRtpCodecParameters {
	return new RTCRtpCodecParameters({
		mimeType: codec.mimeType,
		clockRate: codec.clockRate,
		...(codec.channels === undefined ? {} : { channels: codec.channels }),
		...(codec.parameters === undefined ? {} : { parameters: codec.parameters }),
		rtcpFeedback: codec.rtcpFeedback,
	});
}
