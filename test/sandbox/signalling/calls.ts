/**
 * Call handling of the signalling server: a B2BUA with a separate `callID` per leg.
 *
 * Caller invite → result `CALL CREATED` → route (routing.ts) → callee `telnyx_rtc.invite` → on its ACK,
 * caller `telnyx_rtc.ringing` → callee `telnyx_rtc.answer` → caller `media{sdp}` then `answer{}` (the frames
 * per answer mode are in answer-frames.ts). BYE from either side reaches the other with a cause; an unanswered call
 * ends after the callee connection's `inbound.timeout_2xx_secs` with NO_ANSWER. Hold (`modify`) and DTMF
 * (`info`) are answered, recorded for tests, and DTMF is forwarded to the peer as `telnyx_rtc.info`.
 *
 * Media (option `media`): by default each leg's media ends at the sandbox's gateway (../media/gateway.ts), as
 * at Telnyx's B2BUA-RTC gateway — the caller is answered with the gateway's SDP, the callee is offered the
 * gateway's own, neither sees the other's, hold stops the media, and a re-offer on a live leg (`modify`
 * `updateMedia`, the SDK's ICE restart) is answered on that leg alone. `peer-to-peer` relays the SDPs
 * unchanged instead (hold is then signalling only, and an ICE restart is refused).
 *
 * The echo number (routing.ts `ECHO_NUMBER`, the SDK's pre-call diagnostic) has no callee leg: the sandbox
 * rings the caller, answers after `ECHO_ANSWER_MS` through the same answer path as a callee's answer, and the
 * gateway sends the caller's media back to it (`GatewayBridge.echo`) — in either media mode, as there is no
 * peer to relay an SDP to.
 */
import { randomUUID } from 'node:crypto';
import * as causes from './causes';
import type { HangupCause } from './causes';
import { answerFrames, inviteResultAtOnce } from './answer-frames';
import { GatewayBridge, type GatewayLeg, type MediaGateway } from '../media/gateway';
import {
	candidateParams,
	readCandidate,
	splitCandidates,
	wantsTrickle,
	type TrickleCandidate,
} from './trickle';
import { decideRoute, parseDestination } from './routing';
import type { Session, VertoServer } from './verto-server';
import type { JsonObject, SandboxStore } from '../store';

type Reply = (result: Record<string, unknown>) => void;
type Fail = (code: number, message: string) => void;

interface Leg {
	readonly callID: string;
	session: Session;
	readonly role: 'caller' | 'callee';
	held: boolean;
	dtmf: string;
	readonly legId: string;
	readonly callControlId: string;
	/** The leg's client asked for trickle ICE (`"trickle": true` with its invite or answer SDP). */
	trickle: boolean;
	/** Trickle frames: candidates the client sent, its end of candidates, candidates sent to it. */
	readonly candidates: { received: number; endOfCandidates: boolean; sent: number };
	/** Where the client's trickled candidates go: its leg at the gateway, once that exists. */
	gatewayLeg: GatewayLeg | null;
	/** The client's trickled candidates (null: end of candidates) held until they can be delivered. */
	readonly heldCandidates: Array<TrickleCandidate | null>;
	/** Peer to peer, the callee's client has its invite (candidates relayed to it before would be lost). */
	invited: boolean;
}

export type CallState = 'trying' | 'ringing' | 'early' | 'active' | 'ended';

export interface CallEvent {
	readonly time: string;
	readonly by: 'caller' | 'callee' | 'sandbox';
	readonly type:
		| 'invite'
		| 'ringing'
		| 'answer'
		| 'hold'
		| 'unhold'
		| 'update-media'
		| 'dtmf'
		| 'bye'
		| 'timeout'
		| 'lost';
	readonly detail?: string;
}

interface Call {
	readonly id: string;
	readonly caller: Leg;
	callee: Leg | null;
	readonly from: string;
	readonly to: string;
	readonly destinationKind: 'sip' | 'pstn' | 'unroutable';
	readonly offerHasVideo: boolean;
	answerHasVideo: boolean;
	state: CallState;
	readonly createdAt: Date;
	answeredAt: Date | null;
	endedAt: Date | null;
	hangup: (HangupCause & { by: 'caller' | 'callee' | 'sandbox' }) | null;
	readonly events: CallEvent[];
	ringTimer: NodeJS.Timeout | null;
	calleeSdp: string | null;
	/** The caller's withheld invite result (`stuck-early` mode only; see answer-frames.ts). */
	sendInviteResult?: () => void;
	/** The call's media at the gateway (`media: 'gateway'`), once its legs are set up. */
	media: GatewayMedia | null;
	/** Peer to peer: the SDPs, and the trickled candidates, are relayed between the clients. */
	relayed: boolean;
}

/** A call's two legs at the media gateway. */
interface GatewayMedia {
	readonly bridge: GatewayBridge;
}

/** What tests read back about a call (admin API `GET /admin/calls`). */
export interface CallSummary {
	readonly id: string;
	readonly from: string;
	readonly to: string;
	readonly callerSipUsername: string;
	readonly calleeSipUsername: string | null;
	readonly callerCallId: string;
	readonly calleeCallId: string | null;
	readonly destinationKind: Call['destinationKind'];
	readonly video: boolean;
	readonly state: CallState;
	readonly createdAt: string;
	readonly answeredAt: string | null;
	readonly endedAt: string | null;
	readonly hangup: Call['hangup'];
	readonly held: { readonly caller: boolean; readonly callee: boolean };
	readonly dtmf: { readonly caller: string; readonly callee: string };
	/** Per leg: whether its client asked for trickle ICE, and the candidate frames in each direction. */
	readonly trickle: { readonly caller: TrickleSummary; readonly callee: TrickleSummary | null };
	readonly events: readonly CallEvent[];
}

export interface TrickleSummary {
	readonly asked: boolean;
	/** `telnyx_rtc.candidate` requests the client sent, and whether it sent `telnyx_rtc.endOfCandidates`. */
	readonly received: number;
	readonly endOfCandidates: boolean;
	/** `telnyx_rtc.candidate` requests the sandbox sent the client (the gateway's own, or the relayed peer's). */
	readonly sent: number;
}

const hasVideo = (sdp: string) => /^m=video [1-9]/m.test(sdp);

/** How long the echo rings before it answers: the caller hears `ringing` first, as from a phone. */
export const ECHO_ANSWER_MS = 300;

/** What the caller's `ringing` (and the callee's invite) say of the two parties. */
interface Parties {
	readonly callerName: string;
	readonly callerNumber: string;
	readonly calleeNumber: string;
}

export class CallRouter {
	readonly #calls: Call[] = [];
	readonly #legs = new Map<string, { call: Call; leg: Leg }>();
	/** E.164 number → sip_username of the simulated phone that answers it. */
	readonly phones = new Map<string, string>();

	constructor(
		private readonly deps: {
			readonly store: SandboxStore;
			readonly server: VertoServer;
			readonly gateway: MediaGateway;
		},
	) {}

	handle(
		session: Session,
		method: string,
		params: Record<string, unknown>,
		reply: Reply,
		fail: Fail,
	): void {
		const dialog = (params['dialogParams'] ?? {}) as Record<string, unknown>;
		const callID =
			typeof dialog['callID'] === 'string'
				? dialog['callID']
				: (params['callID'] as string | undefined);
		switch (method) {
			case 'telnyx_rtc.invite':
				this.#invite(session, params, dialog, reply, fail);
				return;
			case 'telnyx_rtc.answer':
				this.#answer(session, callID, params, reply, fail);
				return;
			case 'telnyx_rtc.bye':
				this.#bye(session, callID, params, reply);
				return;
			case 'telnyx_rtc.modify':
				this.#modify(session, callID, params, reply, fail);
				return;
			case 'telnyx_rtc.info':
				this.#info(session, callID, params, reply, fail);
				return;
			case 'telnyx_rtc.candidate':
			case 'telnyx_rtc.endOfCandidates':
				this.#trickled(session, callID, method, params);
				// Always a result: the SDK sends these without catching a refusal, and a late candidate for a
				// call that just ended is no error.
				reply({ message: 'OK', sessid: session.sessid });
				return;
			default:
				fail(-32601, `Method not found: ${method}`);
		}
	}

	/** callIDs of this session's legs in calls that are still up (for `clientReady.reattached_sessions`). */
	liveCallIds(session: Session): string[] {
		return [...this.#legs.values()]
			.filter(({ call, leg }) => leg.session === session && call.state !== 'ended')
			.map(({ leg }) => leg.callID);
	}

	/** The session is gone for good: its calls end, and the other legs hear why. */
	sessionLost(session: Session): void {
		for (const { call, leg } of [...this.#legs.values()]) {
			if (leg.session !== session || call.state === 'ended') continue;
			this.#event(call, 'sandbox', 'lost', leg.role);
			this.#end(call, leg === call.caller ? call.callee : call.caller, {
				...causes.PEER_LOST,
				by: 'sandbox',
			});
		}
	}

	summaries(): CallSummary[] {
		return this.#calls.map((call) => ({
			id: call.id,
			from: call.from,
			to: call.to,
			callerSipUsername: call.caller.session.sipUsername,
			calleeSipUsername: call.callee?.session.sipUsername ?? null,
			callerCallId: call.caller.callID,
			calleeCallId: call.callee?.callID ?? null,
			destinationKind: call.destinationKind,
			video: call.offerHasVideo && call.answerHasVideo,
			state: call.state,
			createdAt: call.createdAt.toISOString(),
			answeredAt: call.answeredAt?.toISOString() ?? null,
			endedAt: call.endedAt?.toISOString() ?? null,
			hangup: call.hangup,
			held: { caller: call.caller.held, callee: call.callee?.held ?? false },
			dtmf: { caller: call.caller.dtmf, callee: call.callee?.dtmf ?? '' },
			trickle: {
				caller: trickleSummary(call.caller),
				callee: call.callee === null ? null : trickleSummary(call.callee),
			},
			events: [...call.events],
		}));
	}

	clear(): void {
		this.dispose();
		this.#calls.length = 0;
		this.#legs.clear();
		this.phones.clear();
	}

	dispose(): void {
		for (const call of this.#calls) {
			if (call.ringTimer) clearTimeout(call.ringTimer);
			this.#closeMedia(call);
		}
	}

	#closeMedia(call: Call): void {
		void call.media?.bridge.close();
	}

	#leg(session: Session, role: Leg['role'], callID: string): Leg {
		return {
			callID,
			session,
			role,
			held: false,
			dtmf: '',
			legId: randomUUID(),
			callControlId: `v3:${randomUUID()}`,
			trickle: false,
			candidates: { received: 0, endOfCandidates: false, sent: 0 },
			gatewayLeg: null,
			heldCandidates: [],
			invited: false,
		};
	}

	/**
	 * A `telnyx_rtc.candidate` or `telnyx_rtc.endOfCandidates` from a leg's client. Through the gateway it is
	 * applied to that leg's media there; peer to peer it is relayed to the other leg's client as the server's
	 * `telnyx_rtc.candidate` (an end of candidates is not: the SDK has no handler for one from the server).
	 * Either way a candidate that comes before its destination exists is held and delivered when it does.
	 */
	#trickled(
		session: Session,
		callID: string | undefined,
		method: string,
		params: Record<string, unknown>,
	): void {
		const found = this.#find(session, callID);
		if (found === undefined || found.call.state === 'ended') return;
		const { leg } = found;
		const candidate = method === 'telnyx_rtc.endOfCandidates' ? null : readCandidate(params);
		if (method === 'telnyx_rtc.candidate' && candidate === null) return;
		if (candidate === null) leg.candidates.endOfCandidates = true;
		else leg.candidates.received += 1;
		// A server without trickle support (the option) takes the frames and drops them.
		if (!this.deps.server.options.trickle) return;
		leg.heldCandidates.push(candidate);
		this.#deliverCandidates(found.call, leg);
	}

	#deliverCandidates(call: Call, leg: Leg): void {
		if (call.relayed) {
			const other = leg === call.caller ? call.callee : call.caller;
			if (other === null || (other.role === 'callee' && !other.invited)) return;
			for (const candidate of leg.heldCandidates.splice(0))
				if (candidate !== null) this.#sendCandidate(other, candidate);
			return;
		}
		const gatewayLeg = leg.gatewayLeg;
		if (gatewayLeg === null) return;
		for (const candidate of leg.heldCandidates.splice(0))
			void gatewayLeg.addRemoteCandidate(candidate);
	}

	/** The server's `telnyx_rtc.candidate` to a leg's client. */
	#sendCandidate(leg: Leg, candidate: TrickleCandidate): void {
		leg.candidates.sent += 1;
		leg.session.client?.request('telnyx_rtc.candidate', candidateParams(leg.callID, candidate));
	}

	/** The leg's media at the gateway exists: the candidates its client trickled so far go to it. */
	#attachGatewayLeg(call: Call, leg: Leg, gatewayLeg: GatewayLeg): void {
		leg.gatewayLeg = gatewayLeg;
		this.#deliverCandidates(call, leg);
	}

	#ids(call: Call, leg: Leg): Record<string, string> {
		return {
			telnyx_session_id: call.id,
			telnyx_leg_id: leg.legId,
			telnyx_call_control_id: leg.callControlId,
		};
	}

	#event(call: Call, by: CallEvent['by'], type: CallEvent['type'], detail?: string): void {
		call.events.push({
			time: new Date().toISOString(),
			by,
			type,
			...(detail === undefined ? {} : { detail }),
		});
	}

	#find(session: Session, callID: string | undefined): { call: Call; leg: Leg } | undefined {
		const found = callID === undefined ? undefined : this.#legs.get(callID);
		return found?.leg.session === session ? found : undefined;
	}

	#invite(
		session: Session,
		params: Record<string, unknown>,
		dialog: Record<string, unknown>,
		reply: Reply,
		fail: Fail,
	): void {
		const callID = dialog['callID'];
		const sdp = params['sdp'];
		const destination = dialog['destination_number'];
		if (typeof callID !== 'string' || typeof sdp !== 'string' || typeof destination !== 'string') {
			fail(-32602, 'Invalid params: callID, sdp and destination_number are required');
			return;
		}
		if (this.#legs.has(callID)) {
			fail(-32602, 'Invalid params: callID already in use');
			return;
		}
		const callerNumber =
			typeof dialog['caller_id_number'] === 'string' && dialog['caller_id_number'] !== ''
				? dialog['caller_id_number']
				: session.sipUsername;
		const callerName = typeof dialog['caller_id_name'] === 'string' ? dialog['caller_id_name'] : '';
		const parsed = parseDestination(destination);
		const call: Call = {
			id: randomUUID(),
			caller: this.#leg(session, 'caller', callID),
			callee: null,
			from: callerNumber,
			to: destination,
			destinationKind: parsed.kind,
			offerHasVideo: hasVideo(sdp),
			answerHasVideo: false,
			state: 'trying',
			createdAt: new Date(),
			answeredAt: null,
			endedAt: null,
			hangup: null,
			events: [],
			ringTimer: null,
			calleeSdp: null,
			media: null,
			relayed: false,
		};
		call.caller.trickle = wantsTrickle(params);
		this.#calls.push(call);
		this.#legs.set(callID, { call, leg: call.caller });
		this.#event(call, 'caller', 'invite', destination);
		// The invite result comes first (an answer before it would put the SDK's call back to `trying`), except
		// in the `stuck-early` mode, which withholds it to reproduce #754 (answer-frames.ts).
		const sendInviteResult = () =>
			reply({ message: 'CALL CREATED', callID, sessid: session.sessid });
		if (inviteResultAtOnce(this.deps.server.options.answer)) sendInviteResult();
		else call.sendInviteResult = sendInviteResult;

		const decision = decideRoute({
			store: this.deps.store,
			caller: session.credential,
			destination: parsed,
			phones: this.phones,
			isRegistered: (user) => this.deps.server.registeredSession(user) !== undefined,
			// As sent: the checks must see a blank number, not the SIP username put in its place above.
			callerIdNumber:
				typeof dialog['caller_id_number'] === 'string' ? dialog['caller_id_number'] : '',
			checkCallerId: this.deps.server.options.callerIdChecks,
		});
		if (!decision.ok) {
			this.#end(call, call.caller, { ...decision.cause, by: 'sandbox' });
			return;
		}
		const parties = { callerName, callerNumber, calleeNumber: decision.calleeNumber };
		if ('echo' in decision) {
			this.#callEcho(call, sdp, parties);
			return;
		}
		const calleeSession = this.deps.server.registeredSession(decision.calleeSipUsername);
		const calleeClient = calleeSession?.client;
		if (calleeSession === undefined || calleeClient === null || calleeClient === undefined) {
			this.#end(call, call.caller, { ...causes.USER_NOT_REGISTERED, by: 'sandbox' });
			return;
		}
		const callee = this.#leg(calleeSession, 'callee', randomUUID());
		call.callee = callee;
		this.#legs.set(callee.callID, { call, leg: callee });

		const inviteCallee = (calleeSdp: string) => {
			// The caller may have hung up while the gateway was setting up.
			if (call.state !== 'trying') return;
			this.#inviteCallee(call, callee, calleeSdp, parties, dialog);
		};
		if (this.deps.server.options.media === 'peer-to-peer') {
			call.relayed = true;
			inviteCallee(sdp);
		} else {
			void this.#setUpGateway(call, sdp).then(inviteCallee, (error: unknown) => {
				this.#end(call, call.caller, { ...causes.MEDIA_FAILURE, by: 'sandbox' });
				console.error('sandbox media gateway:', error);
			});
		}
		const timeout = this.#ringTimeoutSeconds(calleeSession);
		call.ringTimer = setTimeout(() => {
			if (call.state === 'active' || call.state === 'ended') return;
			this.#event(call, 'sandbox', 'timeout');
			this.#end(call, call.caller, { ...causes.NO_ANSWER, by: 'sandbox' });
			this.#end(call, call.callee, { ...causes.NO_ANSWER, by: 'sandbox' });
		}, timeout * 1000);
	}

	/**
	 * The gateway takes the caller's offer (answered when the callee answers) and makes its own offer for the
	 * callee, with the codecs the caller's offer settled on. Resolves the callee's offer.
	 */
	async #setUpGateway(call: Call, callerOffer: string): Promise<string> {
		const callerLeg = this.deps.gateway.answeringLeg();
		let calleeLeg: GatewayLeg | undefined;
		try {
			this.#attachGatewayLeg(call, call.caller, callerLeg);
			await callerLeg.acceptOffer(callerOffer);
			calleeLeg = this.deps.gateway.offeringLeg(callerLeg);
			if (call.callee !== null) this.#attachGatewayLeg(call, call.callee, calleeLeg);
			const calleeOffer = await calleeLeg.offer({ video: call.offerHasVideo });
			call.media = { bridge: new GatewayBridge(callerLeg, calleeLeg) };
			if (call.state === 'ended') this.#closeMedia(call);
			return calleeOffer;
		} catch (error) {
			void callerLeg.close();
			void calleeLeg?.close();
			throw error;
		}
	}

	#inviteCallee(
		call: Call,
		callee: Leg,
		sdp: string,
		parties: Parties,
		dialog: Record<string, unknown>,
	): void {
		const { callerName, callerNumber, calleeNumber } = parties;
		const customHeaders = dialog['custom_headers'];
		callee.session.client?.request(
			'telnyx_rtc.invite',
			{
				callID: callee.callID,
				sdp,
				caller_id_name: callerName || callerNumber,
				caller_id_number: callerNumber,
				callee_id_name: calleeNumber,
				callee_id_number: calleeNumber,
				// As in Telnyx's own frames; the SDK reads it only from telnyx_rtc.display.
				display_direction: 'outbound',
				...this.#ids(call, callee),
				...(Array.isArray(customHeaders)
					? { dialogParams: { custom_headers: customHeaders } }
					: {}),
			},
			() => this.#ring(call, parties),
		);
		// Peer to peer, the caller's candidates trickled so far follow the invite they belong to.
		callee.invited = true;
		if (call.relayed) this.#deliverCandidates(call, call.caller);
	}

	/** The caller hears its call ringing (once the callee's client took the invite, or at once for the echo). */
	#ring(call: Call, { callerName, callerNumber, calleeNumber }: Parties): void {
		if (call.state !== 'trying') return;
		call.state = 'ringing';
		this.#event(call, 'sandbox', 'ringing');
		call.caller.session.client?.request('telnyx_rtc.ringing', {
			callID: call.caller.callID,
			caller_id_name: callerName,
			caller_id_number: callerNumber,
			callee_id_name: calleeNumber,
			callee_id_number: calleeNumber,
			...this.#ids(call, call.caller),
		});
	}

	/**
	 * A call to the echo number: the gateway takes the caller's offer, the call rings, and after
	 * `ECHO_ANSWER_MS` the sandbox answers it as a callee would (`#connect`), the caller's media looped back.
	 */
	#callEcho(call: Call, callerOffer: string, parties: Parties): void {
		const leg = this.deps.gateway.answeringLeg();
		this.#attachGatewayLeg(call, call.caller, leg);
		leg.acceptOffer(callerOffer).then(
			() => {
				call.media = { bridge: GatewayBridge.echo(leg) };
				if (call.state !== 'trying') {
					this.#closeMedia(call);
					return;
				}
				this.#ring(call, parties);
				// Kept as the ring timer, so a caller hanging up first cancels the answer (`#end`).
				call.ringTimer = setTimeout(() => this.#connect(call, null), ECHO_ANSWER_MS);
			},
			(error: unknown) => {
				void leg.close();
				console.error('sandbox media gateway:', error);
				this.#end(call, call.caller, { ...causes.MEDIA_FAILURE, by: 'sandbox' });
			},
		);
	}

	/** The callee connection's `inbound.timeout_2xx_secs` (Telnyx's default: 90 s). */
	#ringTimeoutSeconds(session: Session): number {
		const connection = this.deps.store.connectionOfCredential(session.credential.data);
		const inbound = (connection?.data['inbound'] ?? {}) as JsonObject;
		const seconds = inbound['timeout_2xx_secs'];
		return typeof seconds === 'number' ? seconds : 90;
	}

	#answer(
		session: Session,
		callID: string | undefined,
		params: Record<string, unknown>,
		reply: Reply,
		fail: Fail,
	): void {
		const found = this.#find(session, callID);
		const sdp = params['sdp'];
		if (found === undefined || found.leg.role !== 'callee' || found.call.state === 'ended') {
			fail(-32602, 'Invalid params: no such call');
			return;
		}
		if (typeof sdp !== 'string') {
			fail(-32602, 'Invalid params: sdp is required');
			return;
		}
		const { call } = found;
		if (call.state === 'active') {
			fail(-32602, 'Invalid params: call already answered');
			return;
		}
		const media = call.media;
		if (this.deps.server.options.media === 'gateway' && media === null) {
			fail(-32602, 'Invalid params: the call was not offered yet');
			return;
		}
		found.leg.trickle = wantsTrickle(params);
		reply({ message: 'CALL ANSWERED', callID: found.leg.callID, sessid: session.sessid });
		this.#connect(call, sdp);
	}

	/**
	 * The call is answered: by the callee's client with its SDP, or by the sandbox's echo (`calleeSdp` null,
	 * the caller's leg looped back at the gateway). The caller is told per answer mode.
	 */
	#connect(call: Call, calleeSdp: string | null): void {
		if (call.state === 'active' || call.state === 'ended') return;
		if (call.ringTimer) clearTimeout(call.ringTimer);
		call.state = 'active';
		call.answeredAt = new Date();
		call.calleeSdp = calleeSdp;
		call.answerHasVideo = hasVideo(calleeSdp ?? '');
		this.#event(call, calleeSdp === null ? 'sandbox' : 'callee', 'answer');
		const media = call.media;
		if (media === null) {
			// Peer to peer, which only a callee's client answers (the echo always has media at the gateway).
			if (calleeSdp !== null) this.#tellCallerAnswered(call, calleeSdp);
			return;
		}
		// The legs end at the gateway: it takes the callee's answer, answers the caller's offer (what the
		// caller gets instead of the callee's SDP), and media flows once nobody holds the call.
		const { bridge } = media;
		const calleeAnswered = calleeSdp === null ? undefined : bridge.callee.acceptAnswer(calleeSdp);
		Promise.all([calleeAnswered, bridge.caller.answer()]).then(
			([, callerSdp]) => {
				if (call.state === 'ended') return;
				// The echo sends back what it was offered: video if its answer kept the video.
				if (calleeSdp === null) call.answerHasVideo = hasVideo(callerSdp);
				this.#updateForwarding(call);
				this.#answerCaller(call, callerSdp);
			},
			(error: unknown) => {
				console.error('sandbox media gateway:', error);
				this.#end(call, call.caller, { ...causes.MEDIA_FAILURE, by: 'sandbox' });
				this.#end(call, call.callee, { ...causes.MEDIA_FAILURE, by: 'sandbox' });
			},
		);
	}

	/**
	 * The gateway's answer to the caller: whole for a non-trickle caller; for one that asked for trickle, the
	 * SDP goes without its candidates, each following as the server's `telnyx_rtc.candidate` — which the SDK
	 * applies on an outbound call once the answer's SDP is set (those sent before it are queued by the SDK).
	 * werift has gathered its (host) candidates by the time it has an answer, so this saves no time; it makes
	 * the caller's SDK take the gateway's address from the candidate frames, as from a trickling server.
	 */
	#answerCaller(call: Call, gatewaySdp: string): void {
		if (!call.caller.trickle || !this.deps.server.options.trickle) {
			this.#tellCallerAnswered(call, gatewaySdp);
			return;
		}
		const { sdp, candidates } = splitCandidates(gatewaySdp);
		this.#tellCallerAnswered(call, sdp);
		for (const candidate of candidates) this.#sendCandidate(call.caller, candidate);
	}

	/** The frames that tell the caller its call was answered, with the SDP it must apply (per answer mode). */
	#tellCallerAnswered(call: Call, sdp: string): void {
		const caller = call.caller.session.client;
		// The frames and their timing per answer mode (answer-frames.ts; `stuck-early` reproduces #754).
		const steps = answerFrames(this.deps.server.options.answer, {
			callID: call.caller.callID,
			sdp,
			ids: this.#ids(call, call.caller),
		});
		for (const step of steps) {
			const send = () => {
				if (call.state === 'ended') return;
				if (step.kind === 'invite-result') call.sendInviteResult?.();
				else caller?.request(step.method, { ...step.params });
			};
			if (step.atMs === 0) send();
			else setTimeout(send, step.atMs);
		}
	}

	#bye(
		session: Session,
		callID: string | undefined,
		params: Record<string, unknown>,
		reply: Reply,
	): void {
		const found = this.#find(session, callID);
		const sent = typeof params['cause'] === 'string' ? params['cause'] : 'NORMAL_CLEARING';
		const sentCode = typeof params['causeCode'] === 'number' ? params['causeCode'] : 16;
		// Every BYE gets its result (an unanswered BYE makes the SDK force a reconnect after 10 s).
		reply({
			callID: callID ?? null,
			message: 'CALL ENDED',
			causeCode: sentCode,
			cause: sent,
			sessid: session.sessid,
		});
		if (found === undefined || found.call.state === 'ended') return;
		const { call, leg } = found;
		this.#event(call, leg.role, 'bye', sent);
		const other = leg === call.caller ? call.callee : call.caller;
		this.#end(call, other, { ...this.#causeForPeer(call, leg, sent), by: leg.role });
	}

	/** What the other leg hears when `leg` hangs up. */
	#causeForPeer(call: Call, leg: Leg, sent: string): HangupCause {
		if (call.state === 'active') return causes.NORMAL_CLEARING;
		// Before answer: the caller cancelling is ORIGINATOR_CANCEL at the callee; the callee rejecting is busy
		// (the SDK always sends USER_BUSY), or a decline when the client says CALL_REJECTED.
		if (leg.role === 'caller') return causes.ORIGINATOR_CANCEL;
		return sent === 'CALL_REJECTED' ? causes.CALL_DECLINED : causes.USER_BUSY;
	}

	/** Ends the call and sends `bye` to `notify` (the leg that did not hang up), if it is still connected. */
	#end(
		call: Call,
		notify: Leg | null,
		cause: HangupCause & { by: 'caller' | 'callee' | 'sandbox' },
	): void {
		if (call.state !== 'ended') {
			call.state = 'ended';
			call.endedAt = new Date();
			call.hangup = cause;
			if (call.ringTimer) clearTimeout(call.ringTimer);
			this.#closeMedia(call);
		}
		if (notify === null) return;
		const { by: _by, ...byeCause } = cause;
		notify.session.client?.request('telnyx_rtc.bye', { callID: notify.callID, ...byeCause });
	}

	#modify(
		session: Session,
		callID: string | undefined,
		params: Record<string, unknown>,
		reply: Reply,
		fail: Fail,
	): void {
		const found = this.#find(session, callID);
		if (found === undefined || found.call.state === 'ended') {
			fail(-32602, 'Invalid params: no such call');
			return;
		}
		const { call, leg } = found;
		const action = params['action'];
		if (action === 'hold' || action === 'unhold' || action === 'toggleHold') {
			leg.held = action === 'toggleHold' ? !leg.held : action === 'hold';
			this.#event(call, leg.role, leg.held ? 'hold' : 'unhold');
			this.#updateForwarding(call);
			reply({
				callID: leg.callID,
				action,
				holdState: leg.held ? 'held' : 'active',
				sessid: session.sessid,
			});
			return;
		}
		if (action === 'updateMedia' && call.media !== null && typeof params['sdp'] === 'string') {
			this.#updateMedia(call, leg, params['sdp'], session, reply, fail);
			return;
		}
		// Peer to peer, an ICE restart would need the far end to renegotiate, which the relay cannot ask for.
		fail(-32002, `modify action ${String(action)} is not supported by the sandbox`);
	}

	/**
	 * A new offer on a live leg (the SDK's ICE restart after a network change): the gateway answers it on that
	 * leg alone — the other leg never notices — and the answer goes back in the modify's result.
	 */
	#updateMedia(
		call: Call,
		leg: Leg,
		sdp: string,
		session: Session,
		reply: Reply,
		fail: Fail,
	): void {
		const media = call.media;
		if (media === null) return;
		const gatewayLeg = leg.role === 'caller' ? media.bridge.caller : media.bridge.callee;
		this.#event(call, leg.role, 'update-media');
		gatewayLeg.answerOffer(sdp).then(
			(answer) => {
				reply({ action: 'updateMedia', callID: leg.callID, sdp: answer, sessid: session.sessid });
				// The restarted leg's receiver starts again from a key frame.
				if (media.bridge.forwarding) media.bridge.requestKeyFrames();
			},
			(error: unknown) =>
				fail(
					-32002,
					`updateMedia failed: ${error instanceof Error ? error.message : String(error)}`,
				),
		);
	}

	/** Media flows between the legs only while the call is answered and neither side holds it. */
	#updateForwarding(call: Call): void {
		call.media?.bridge.setForwarding(
			call.state === 'active' && !call.caller.held && !(call.callee?.held ?? false),
		);
	}

	#info(
		session: Session,
		callID: string | undefined,
		params: Record<string, unknown>,
		reply: Reply,
		fail: Fail,
	): void {
		const found = this.#find(session, callID);
		if (found === undefined || found.call.state === 'ended') {
			fail(-32602, 'Invalid params: no such call');
			return;
		}
		const { call, leg } = found;
		const other = leg === call.caller ? call.callee : call.caller;
		if (typeof params['dtmf'] === 'string') {
			leg.dtmf += params['dtmf'];
			this.#event(call, leg.role, 'dtmf', params['dtmf']);
			other?.session.client?.request('telnyx_rtc.info', {
				callID: other.callID,
				dtmf: params['dtmf'],
			});
		} else if (typeof params['msg'] === 'object' && params['msg'] !== null) {
			other?.session.client?.request('telnyx_rtc.info', {
				callID: other.callID,
				msg: params['msg'],
			});
		}
		reply({ message: 'SENT', sessid: session.sessid });
	}
}

function trickleSummary(leg: Leg): TrickleSummary {
	return {
		asked: leg.trickle,
		received: leg.candidates.received,
		endOfCandidates: leg.candidates.endOfCandidates,
		sent: leg.candidates.sent,
	};
}
