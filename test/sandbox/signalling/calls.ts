/**
 * Call handling of the signalling server: a B2BUA with a separate `callID` per leg (telnyx-protocol.md §4).
 *
 * Caller invite → result `CALL CREATED` → route (routing.ts) → callee `telnyx_rtc.invite` → on its ACK,
 * caller `telnyx_rtc.ringing` → callee `telnyx_rtc.answer` → caller `answer{sdp}` (or `media{sdp}` then
 * `answer{}` in early-media mode). BYE from either side reaches the other with a cause; an unanswered call
 * ends after the callee connection's `inbound.timeout_2xx_secs` with NO_ANSWER. Hold (`modify`) and DTMF
 * (`info`) are answered, recorded for tests, and DTMF is forwarded to the peer as `telnyx_rtc.info`.
 * Media flows peer to peer: the SDPs are relayed unchanged.
 */
import { randomUUID } from 'node:crypto';
import * as causes from './causes';
import type { HangupCause } from './causes';
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
}

export type CallState = 'trying' | 'ringing' | 'early' | 'active' | 'ended';

export interface CallEvent {
	readonly time: string;
	readonly by: 'caller' | 'callee' | 'sandbox';
	readonly type:
		'invite' | 'ringing' | 'answer' | 'hold' | 'unhold' | 'dtmf' | 'bye' | 'timeout' | 'lost';
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
	readonly events: readonly CallEvent[];
}

const hasVideo = (sdp: string) => /^m=video [1-9]/m.test(sdp);

export class CallRouter {
	readonly #calls: Call[] = [];
	readonly #legs = new Map<string, { call: Call; leg: Leg }>();
	/** E.164 number → sip_username of the simulated phone that answers it. */
	readonly phones = new Map<string, string>();

	constructor(
		private readonly deps: { readonly store: SandboxStore; readonly server: VertoServer },
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
				// The sandbox stays non-trickle (the SDK's default); candidates arrive inside the SDPs.
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
		for (const call of this.#calls) if (call.ringTimer) clearTimeout(call.ringTimer);
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
		};
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
		};
		this.#calls.push(call);
		this.#legs.set(callID, { call, leg: call.caller });
		this.#event(call, 'caller', 'invite', destination);
		// The invite result always comes first: an answer before it would put the SDK's call back to `trying`.
		reply({ message: 'CALL CREATED', callID, sessid: session.sessid });

		const decision = decideRoute({
			store: this.deps.store,
			caller: session.credential,
			destination: parsed,
			phones: this.phones,
			isRegistered: (user) => this.deps.server.registeredSession(user) !== undefined,
		});
		if (!decision.ok) {
			this.#end(call, call.caller, { ...decision.cause, by: 'sandbox' });
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

		const customHeaders = dialog['custom_headers'];
		calleeClient.request(
			'telnyx_rtc.invite',
			{
				callID: callee.callID,
				sdp,
				caller_id_name: callerName || callerNumber,
				caller_id_number: callerNumber,
				callee_id_name: decision.calleeNumber,
				callee_id_number: decision.calleeNumber,
				// As in Telnyx's own frames (telnyx-protocol.md §4.2); the SDK reads it only from telnyx_rtc.display.
				display_direction: 'outbound',
				...this.#ids(call, callee),
				...(Array.isArray(customHeaders)
					? { dialogParams: { custom_headers: customHeaders } }
					: {}),
			},
			() => {
				if (call.state !== 'trying') return;
				call.state = 'ringing';
				this.#event(call, 'sandbox', 'ringing');
				call.caller.session.client?.request('telnyx_rtc.ringing', {
					callID: call.caller.callID,
					caller_id_name: callerName,
					caller_id_number: callerNumber,
					callee_id_name: decision.calleeNumber,
					callee_id_number: decision.calleeNumber,
					...this.#ids(call, call.caller),
				});
			},
		);
		const timeout = this.#ringTimeoutSeconds(calleeSession);
		call.ringTimer = setTimeout(() => {
			if (call.state === 'active' || call.state === 'ended') return;
			this.#event(call, 'sandbox', 'timeout');
			this.#end(call, call.caller, { ...causes.NO_ANSWER, by: 'sandbox' });
			this.#end(call, call.callee, { ...causes.NO_ANSWER, by: 'sandbox' });
		}, timeout * 1000);
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
		if (call.ringTimer) clearTimeout(call.ringTimer);
		call.state = 'active';
		call.answeredAt = new Date();
		call.calleeSdp = sdp;
		call.answerHasVideo = hasVideo(sdp);
		this.#event(call, 'callee', 'answer');
		reply({ message: 'CALL ANSWERED', callID: found.leg.callID, sessid: session.sessid });
		const caller = call.caller.session.client;
		const ids = this.#ids(call, call.caller);
		if (this.deps.server.options.answer !== 'sdp-answer') {
			caller?.request('telnyx_rtc.media', { callID: call.caller.callID, sdp, ...ids });
			caller?.request('telnyx_rtc.answer', { callID: call.caller.callID, ...ids });
		} else {
			caller?.request('telnyx_rtc.answer', { callID: call.caller.callID, sdp, ...ids });
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
			reply({
				callID: leg.callID,
				action,
				holdState: leg.held ? 'held' : 'active',
				sessid: session.sessid,
			});
			return;
		}
		// An ICE restart needs the far end to renegotiate, which a peer-to-peer relay cannot ask the SDK for.
		fail(-32002, `modify action ${String(action)} is not supported by the sandbox`);
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
