/**
 * How the `@telnyx/webrtc` SDK's calls, frames, errors and warnings become the `Softphone` port's plain
 * snapshots and statuses. Pure: it reads the parts of the SDK's objects it needs through structural types
 * (only `telnyx-softphone.ts` imports the SDK), so it is tested in Node with sequences recorded from the real
 * SDK (test/unit/renderer/telephony/fixtures/).
 *
 * team-telnyx/webrtc #754 (open through 2.27.10): the SDK moves an outbound call to `active` on
 * `telnyx_rtc.answer` only when the call is already in `early` or later, and the invite's result always sets
 * `trying`, even after `early` media. When that result comes late, the answer is dropped and the call stays
 * in `trying`/`early` while media flows. Every server frame also reaches `telnyx.socket.message` (before the
 * SDK's own handler), so a `telnyx_rtc.answer` for an outbound call is taken as the answer itself, whatever
 * state the SDK is left in. Likewise the SDK does not change an outbound call's state when the far end rings:
 * only the `telnyx_rtc.ringing` frame says so.
 */
import { limits } from '../../../../preload/limits';
import { withWarning } from '../quality/call-quality';
import { endReason, errorMessage, warningMessage, isQualityWarning } from './messages';
import type {
	CallPhase,
	CallSnapshot,
	ConnectionFailure,
	ConnectionStatus,
	EndReason,
} from './softphone';

/** The parts of the SDK's `Call` the mapping reads (its `Call` satisfies this). */
export interface SdkCall {
	readonly id: string;
	/** The SDK's state name (`new`, `requesting`, `trying`, `ringing`, …, `destroy`). */
	readonly state: string;
	/** `inbound` or `outbound`; unset on an inbound call's first update. */
	readonly direction?: string | null | undefined;
	readonly cause?: string | null | undefined;
	readonly sipCode?: number | null | undefined;
	readonly sipReason?: string | null | undefined;
	readonly options: {
		readonly destinationNumber?: string | null | undefined;
		readonly remoteCallerNumber?: string | null | undefined;
		readonly remoteCallerName?: string | null | undefined;
		/** The client-level flag, or per call once answered (`answer()` reads it); constraints count as video. */
		readonly video?: unknown;
		/** An inbound call's offer: only it says whether the caller sends video. */
		readonly remoteSdp?: string | null | undefined;
	};
	readonly telnyxIDs?: {
		readonly telnyxCallControlId?: unknown;
		readonly telnyxSessionId?: unknown;
		readonly telnyxLegId?: unknown;
	} | null;
}

/** What the signalling frames said about an outbound call, beside the SDK's own state. */
export interface FrameFacts {
	/** The far end is ringing (the `telnyx_rtc.ringing` frame). */
	readonly remoteRinging: boolean;
	/** Telnyx said the far end answered (the `telnyx_rtc.answer` frame, #754). */
	readonly remoteAnswered: boolean;
}

/** Everything beside the SDK call that decides a call's next snapshot. */
export interface CallFacts extends FrameFacts {
	/** This app hung up or declined (so the end reason is ours, not the far end's). */
	readonly hungUpLocally: boolean;
	/** The reason an SDK error gave before the SDK hung the call up itself (see `endsCall`). */
	readonly failure: EndReason | null;
	/** The SDK's quality warning in force, in words. */
	readonly qualityWarning: string | null;
}

/** The SDK states an answered outbound call can be stuck in (#754): before `active`, after the invite. */
const STUCK_BEFORE_ACTIVE = new Set(['requesting', 'trying', 'early']);

type SdkState =
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

export function sdkPhase(call: SdkCall, { remoteRinging, remoteAnswered }: FrameFacts): CallPhase {
	// Telnyx answered: the call is in progress even if the SDK dropped the answer (#754).
	if (remoteAnswered && STUCK_BEFORE_ACTIVE.has(String(call.state))) return 'active';
	const state = call.state as SdkState;
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

/** The SDK is done with a call: it is forgotten, and anything later about it ignored. */
export function isDestroyed(call: SdkCall): boolean {
	return call.state === 'destroy' || call.state === 'purge';
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
export function sdpHasVideo(sdp: string | null | undefined): boolean {
	return typeof sdp === 'string' && /^m=video +[1-9]/m.test(sdp);
}

/** Who the call is with, read from the SDK call (an outbound call's `remoteCallerName` is a placeholder). */
export function describeCall(
	call: SdkCall,
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
function telnyxIdsOf(call: SdkCall): CallSnapshot['telnyxIds'] {
	const ids = call.telnyxIDs;
	const id = (value: unknown) =>
		typeof value === 'string' && value !== '' ? value.slice(0, limits.telnyxId) : null;
	return {
		callControlId: id(ids?.telnyxCallControlId),
		sessionId: id(ids?.telnyxSessionId),
		legId: id(ids?.telnyxLegId),
	};
}

/** A call's first snapshot, when the adapter first hears of it (dialled here, or its first update). */
export function initialSnapshot(call: SdkCall, now: number): CallSnapshot {
	return {
		...describeCall(call),
		phase: 'dialing',
		muted: false,
		cameraOff: false,
		remoteHeld: false,
		startedAt: now,
		answeredAt: null,
		endedAt: null,
		end: null,
		quality: null,
	};
}

/**
 * The call's snapshot after an SDK update (or a change of ours: `change`, e.g. muted). An ended snapshot is
 * final: it is returned as it is. The end reason is the SDK error's, when one ended the call, else read from
 * Telnyx's cause and SIP code.
 */
export function nextSnapshot(
	previous: CallSnapshot,
	call: SdkCall,
	facts: CallFacts,
	now: number,
	change: Partial<CallSnapshot> = {},
): CallSnapshot {
	if (previous.phase === 'ended') return previous;
	const phase = sdkPhase(call, facts);
	const answeredAt = previous.answeredAt ?? (phase === 'active' ? now : null);
	const next: CallSnapshot = {
		...previous,
		...change,
		// The SDK fills in an inbound call's direction and caller only after its first update.
		...describeCall(call),
		phase,
		answeredAt,
		quality: withWarning(previous.quality, facts.qualityWarning),
	};
	if (phase !== 'ended') return next;
	return {
		...next,
		endedAt: now,
		end:
			facts.failure ??
			endReason({
				cause: call.cause ?? null,
				sipCode: call.sipCode ?? null,
				sipReason: call.sipReason ?? null,
				direction: previous.direction,
				wasAnswered: answeredAt !== null,
				hungUpLocally: facts.hungUpLocally,
			}),
	};
}

/**
 * What a server frame says about an outbound call that the SDK does not (reliably) turn into a state change;
 * null for every other frame. Whether the call is outbound is the caller's to check.
 */
export function frameFact(frame: {
	readonly method?: unknown;
	readonly params?: { readonly callID?: unknown } | null;
}): { readonly callId: string; readonly fact: keyof FrameFacts } | null {
	const callId = frame.params?.callID;
	if (typeof callId !== 'string') return null;
	if (frame.method === 'telnyx_rtc.ringing') return { callId, fact: 'remoteRinging' };
	if (frame.method === 'telnyx_rtc.answer') return { callId, fact: 'remoteAnswered' };
	return null;
}

/**
 * Why the connection failed, in the port's terms (see docs/telnyx-protocol.md, "Login"): Telnyx refused the
 * sign-in (LOGIN_FAILED, 46001: a -32001 answer, which the SDK does not retry), Telnyx asked for a sign-in
 * again (AUTHENTICATION_REQUIRED, 46003), the credentials are malformed (INVALID_CREDENTIALS, 46002), or the
 * SDK gave up reconnecting (RECONNECTION_EXHAUSTED, 45003).
 */
export function connectionFailure(code: number): ConnectionFailure | null {
	switch (code) {
		case 46001:
			return 'login-refused';
		case 46003:
			return 'reauth-required';
		case 46002:
			return 'invalid-credentials';
		case 45003:
			return 'reconnect-exhausted';
		default:
			return null;
	}
}

/** What an SDK error (`telnyx.error`) does beyond ending a call: a new status, a notice, or nothing. */
export type ErrorEffect =
	| { readonly kind: 'status'; readonly status: ConnectionStatus }
	| { readonly kind: 'notice'; readonly message: string }
	| { readonly kind: 'none' };

export function errorEffect(code: number): ErrorEffect {
	// A call hung up while its media was still being set up (44005): the SDK's own words call it expected,
	// with nothing to do; the call's end says what happened.
	if (code === 44005) return { kind: 'none' };
	if (code === 48001) return { kind: 'status', status: { kind: 'offline' } };
	const reason = connectionFailure(code);
	if (reason !== null) {
		return { kind: 'status', status: { kind: 'failed', reason, message: errorMessage(code) } };
	}
	if (code === 45001 || code === 45002) return { kind: 'none' }; // the reconnect status already says it
	return { kind: 'notice', message: errorMessage(code) };
}

/** What an SDK warning (`telnyx.warning`) does: a call's quality warning, a token renewal, a notice. */
export type WarningEffect =
	| { readonly kind: 'quality'; readonly message: string }
	| { readonly kind: 'tokenExpiring' }
	| { readonly kind: 'notice'; readonly message: string }
	| { readonly kind: 'none' };

export function warningEffect(code: number, onCall: boolean): WarningEffect {
	const message = warningMessage(code);
	if (message === null) return { kind: 'none' };
	if (isQualityWarning(code) && onCall) return { kind: 'quality', message };
	// Renewing the token is main's job and nothing for the user to do; the store asks main for one.
	if (code === 34001) return { kind: 'tokenExpiring' };
	return { kind: 'notice', message };
}

/**
 * The status after the socket closed unasked: the SDK reconnects, backing off 1 s · 2^(n-1) capped at 30 s
 * (±25 %), and the countdown shows the middle of it. Null once the SDK has given up (RECONNECTION_EXHAUSTED is
 * reported on the failed socket's error event, before its close event: no countdown may come back).
 */
export function statusAfterClose(
	current: ConnectionStatus,
	attempt: number,
	now: number,
): ConnectionStatus | null {
	if (current.kind === 'failed' && current.reason === 'reconnect-exhausted') return null;
	const delay = Math.min(30_000, 1000 * 2 ** (attempt - 1));
	return { kind: 'reconnecting', attempt, retryAt: now + delay };
}
