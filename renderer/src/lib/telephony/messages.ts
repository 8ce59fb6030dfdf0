/**
 * Every SDK error, warning and hangup cause a user can meet, as a sentence saying what happened and what to
 * do. One place for the words; the adapter and the UI only look them up.
 */
import type { EndReason } from './softphone';

/** `@telnyx/webrtc` error codes. */
const ERRORS: Readonly<Record<number, string>> = {
	40001: 'The call could not be set up (the browser could not create an offer). Try again.',
	40002: 'The call could not be answered (the browser could not create an answer). Try again.',
	40003: 'The call could not be set up. Try again.',
	40004: 'The other side sent media settings this computer cannot use.',
	40005: 'The call could not be sent to Telnyx. Check your connection and try again.',
	42001:
		'The microphone is blocked. Allow microphone access for Telnyx Softphone in your system settings, then try again.',
	42002: 'No microphone or camera was found. Connect one, or choose another in Settings → Devices.',
	42003:
		'The microphone or camera could not be started. Close other apps that use it, then try again.',
	44001: 'The call could not be put on hold. Try again.',
	44002: 'The call could not be started with these settings. Check the number and try again.',
	44003: 'Hanging up did not reach Telnyx; the call was ended here.',
	45001: "Can't reach Telnyx. Check your internet connection; the app keeps trying.",
	45002: 'The connection to Telnyx failed. The app is reconnecting.',
	45003:
		"Can't reach Telnyx after several attempts. Check your internet connection, then choose Reconnect.",
	45004: 'Telnyx could not register this computer. The app is retrying.',
	46001:
		'Telnyx refused the sign-in. If it keeps happening, sign out and set up the account again.',
	46002: 'The sign-in details are invalid. Set up the account again.',
	46003: 'Telnyx asked the app to sign in again.',
	47001: 'The call’s media could not be restored after a network change.',
	48001: 'You are offline. Calls will work again when the network is back.',
	48501: 'The call was lost while reconnecting to Telnyx.',
	49001: 'Something unexpected went wrong in the call. Try again.',
};

/** Warnings worth telling the user (others are logged only). */
const WARNINGS: Readonly<Record<number, string>> = {
	31001: 'Poor connection: the delay to the other side is high.',
	31002: 'Poor connection: audio is arriving unevenly (high jitter).',
	31003: 'Poor connection: packets are being lost.',
	31004: 'Poor call quality.',
	31005: 'Your microphone seems silent. Check that it is not muted in the system.',
	31006: 'No sound is arriving from the other side.',
	33001: 'The call’s network path was lost; trying to recover.',
	33004: 'The call’s connection failed.',
	33007: 'That call is already being answered.',
	34001: 'The sign-in is about to expire; renewing.',
	36003: 'The connection to Telnyx stopped answering; reconnecting.',
	36004: 'The call’s media stopped; trying to recover.',
};

const QUALITY_WARNINGS = new Set([31001, 31002, 31003, 31004]);

export function errorMessage(code: number): string {
	return ERRORS[code] ?? `Something went wrong (code ${code}). Try again.`;
}

export function warningMessage(code: number): string | null {
	return WARNINGS[code] ?? null;
}

export function isQualityWarning(code: number): boolean {
	return QUALITY_WARNINGS.has(code);
}

/** Why a call ended, from the SDK's hangup fields and who hung up. */
export function endReason(input: {
	readonly cause: string | null;
	readonly sipCode: number | null;
	readonly sipReason: string | null;
	readonly direction: 'outbound' | 'inbound';
	readonly wasAnswered: boolean;
	readonly hungUpLocally: boolean;
}): EndReason {
	const { cause, sipCode, sipReason, direction, wasAnswered, hungUpLocally } = input;
	const reason = (kind: EndReason['kind'], message: string): EndReason => ({
		kind,
		message,
		cause,
		sipCode,
	});
	if (hungUpLocally) {
		return wasAnswered
			? reason('hangup-local', 'You hung up.')
			: direction === 'inbound'
				? reason('declined', 'You declined the call.')
				: reason('cancelled', 'You cancelled the call.');
	}
	const refusal = sipReason === null ? null : refusalFor(sipReason);
	if (refusal !== null) return reason(refusal.kind, refusal.message);
	switch (cause) {
		case 'NORMAL_CLEARING':
			return wasAnswered
				? reason('hangup-remote', 'The other side hung up.')
				: reason('failed', 'The call ended before it was answered.');
		case 'USER_BUSY':
			return direction === 'outbound'
				? reason('busy', 'Busy: the other side declined or is on another call.')
				: reason('cancelled', 'The caller hung up.');
		case 'CALL_REJECTED':
			return sipCode === 603
				? reason('declined', 'The other side declined the call.')
				: reason('rejected', 'Telnyx refused the call.');
		case 'ORIGINATOR_CANCEL':
			return reason('cancelled', 'The caller hung up before you answered.');
		case 'UNALLOCATED_NUMBER':
		case 'NO_ROUTE_DESTINATION':
			return reason('not-found', 'Not found: nobody is reachable at that number or address.');
		case 'USER_NOT_REGISTERED':
			return reason('unavailable', 'Not reachable: that installation is offline.');
		case 'NO_ANSWER':
		case 'NO_USER_RESPONSE':
		case 'ALLOTTED_TIMEOUT':
			return reason('no-answer', 'No answer.');
		case 'NORMAL_TEMPORARY_FAILURE':
		case 'NETWORK_OUT_OF_ORDER':
		case 'DESTINATION_OUT_OF_ORDER':
			return reason('network', 'The call was lost: the other side’s network went away.');
		case 'PURGE':
		case 'LOSE_RACE':
			return reason('network', 'The call was lost: the connection to Telnyx went away.');
		case 'NO_ROUTE_TRANSIT_NET':
			return reason('not-found', 'Not found: the network has no route to that number.');
		case 'INVALID_NUMBER_FORMAT':
			return reason(
				'not-found',
				'That number is incomplete or wrongly written. Check it, with its country code, and try again.',
			);
		case 'NUMBER_CHANGED':
		case 'REDIRECTION_TO_NEW_DESTINATION':
			return reason('not-found', 'That number is no longer in service.');
		case 'SUBSCRIBER_ABSENT':
			return reason(
				'unavailable',
				'Not reachable: the phone you called is switched off or out of range.',
			);
		case 'CHANNEL_UNACCEPTABLE':
		case 'NORMAL_CIRCUIT_CONGESTION':
		case 'SWITCH_CONGESTION':
		case 'EXCHANGE_ROUTING_ERROR':
			return reason('failed', 'The phone network is congested. Try again in a few minutes.');
		case 'INCOMPATIBLE_DESTINATION':
		case 'BEARERCAPABILITY_NOTAUTH':
		case 'BEARERCAPABILITY_NOTAVAIL':
			return reason(
				'failed',
				'The other side cannot take this kind of call. Try an audio call instead of video.',
			);
		case 'OUTGOING_CALL_BARRED':
			return reason(
				'rejected',
				'Your account is not allowed to call that number. Check your outbound voice profile in the Telnyx portal.',
			);
		case 'INCOMING_CALL_BARRED':
			return reason('rejected', 'That number does not accept calls.');
		case 'MEDIA_TIMEOUT':
			return reason(
				'network',
				'The call was ended because no audio arrived for too long. Check your internet connection.',
			);
		case 'RECOVERY_ON_TIMER_EXPIRE':
			return reason('no-answer', 'The other side did not respond in time. Try again.');
		case 'MANAGER_REQUEST':
		case 'SYSTEM_SHUTDOWN':
			return reason('failed', 'Telnyx ended the call. Call again if you need to.');
		case 'FACILITY_REJECTED':
		case 'SERVICE_UNAVAILABLE':
		case 'NORMAL_UNSPECIFIED':
		case 'INTERWORKING':
			return reason('failed', 'The phone network could not complete the call. Try again later.');
		default:
			return bySipCode(sipCode, reason);
	}
}

/**
 * The last resort: the SIP status alone (RFC 3261 classes; Telnyx sends these with causes we do not know).
 */
function bySipCode(
	sipCode: number | null,
	reason: (kind: EndReason['kind'], message: string) => EndReason,
): EndReason {
	switch (sipCode) {
		case 486:
		case 600:
			return reason('busy', 'Busy.');
		case 404:
		case 604:
			return reason('not-found', 'Not found.');
		case 410:
			return reason('not-found', 'That number is no longer in service.');
		case 484:
			return reason('not-found', 'That number is incomplete. Check it and try again.');
		case 408:
			return reason('no-answer', 'No answer.');
		case 480:
			return reason('unavailable', 'Not reachable right now.');
		case 401:
		case 407:
			return reason(
				'rejected',
				'Telnyx did not accept this computer’s sign-in for the call. If it keeps happening, set up the account again.',
			);
		case 402:
			return reason(
				'rejected',
				'Your Telnyx balance is too low to call. Add funds in the Telnyx portal.',
			);
		case 403:
			return reason('rejected', 'Telnyx refused the call.');
		case 488:
		case 606:
			return reason(
				'failed',
				'The other side cannot take this kind of call. Try an audio call instead of video.',
			);
		case 603:
			return reason('declined', 'The other side declined the call.');
		case 500:
		case 502:
		case 503:
		case 504:
			return reason(
				'failed',
				'Telnyx could not complete the call right now. Try again in a moment.',
			);
		default:
			return reason('failed', 'The call ended.');
	}
}

interface Refusal {
	readonly kind: EndReason['kind'];
	readonly message: string;
}

const refused = (message: string): Refusal => ({ kind: 'rejected', message });
const CHANNELS_FULL = (whose: string): Refusal =>
	refused(
		`${whose} limit of simultaneous calls is reached. End another call, or raise the limit in the Telnyx portal.`,
	);

const CONNECTION_UNVERIFIED = refused(
	'Telnyx could not verify this computer’s connection. Set up the account again.',
);

/**
 * Telnyx's D-codes (and RG1), which end the reason phrase of its 4xx answers ("… D35"): one sentence each
 * for the codes developers.telnyx.com "SIP Response Codes" documents. Where it documents a range as one
 * meaning (D10–D17, D25–D29), the range shares a sentence unless one code says more.
 */
const D_CODES: Readonly<Record<string, Refusal>> = {
	D1: refused(
		'Your account’s limit of simultaneous outbound calls is reached. End another call, or ask Telnyx support to raise it.',
	),
	D2: CHANNELS_FULL('Your outbound voice profile’s'),
	D3: CHANNELS_FULL('Your connection’s'),
	D7: refused(
		'Your connection has no outbound voice profile, so it cannot call phone numbers. Set up the account again.',
	),
	D10: refused('Telnyx refused the call because of how it was sent. Contact Telnyx support.'),
	D11: refused('Telnyx says the number you called is not valid. Check the number.'),
	D12: refused(
		'Your outbound voice profile’s service plan does not include that number. Change the plan in the Telnyx portal.',
	),
	D13: refused(
		'Calls to that country are not allowed by your outbound voice profile. Allow it in Settings → Account.',
	),
	D14: refused(
		'Your connection or outbound voice profile does not allow this call. Check them in the Telnyx portal.',
	),
	D15: refused('Your outbound voice profile is disabled. Enable it in the Telnyx portal.'),
	D16: refused('Your connection is disabled. Enable it in the Telnyx portal.'),
	D17: refused('Your Telnyx account cannot make calls right now. Check it in the Telnyx portal.'),
	D18: {
		kind: 'not-found',
		message: 'The connection behind that address is disabled, so it cannot take calls.',
	},
	D19: refused(
		'Your Telnyx account is blocked for billing. Check your balance and payment method in the Telnyx portal.',
	),
	D21: {
		kind: 'unavailable',
		message: 'Nobody answers at that number: it has no destination set.',
	},
	D22: refused(
		'A channel limit (of the number, the connection or the profile) is reached. Try again when another call ends.',
	),
	D24: refused(
		'That destination costs more per minute than your outbound voice profile allows. Raise the limit in the Telnyx portal.',
	),
	D25: CONNECTION_UNVERIFIED,
	D26: CONNECTION_UNVERIFIED,
	D27: CONNECTION_UNVERIFIED,
	D28: CONNECTION_UNVERIFIED,
	D29: CONNECTION_UNVERIFIED,
	D30: refused('That installation does not accept calls from this account.'),
	D31: refused('That installation does not accept calls from this account.'),
	D35: refused(
		'Telnyx refused the call: calls to phone numbers need a caller ID number. Choose one of your numbers in Settings → Caller ID.',
	),
	D36: refused(
		'Telnyx refused your caller ID number: it is not one of your account’s numbers. Choose one of them in Settings → Caller ID.',
	),
	D38: refused(
		'Your connection has no outbound voice profile, so it cannot call phone numbers. Set up the account again.',
	),
	D40: {
		kind: 'not-found',
		message: 'Telnyx has no route to that number right now. Try again later.',
	},
	RG1: { kind: 'unavailable', message: 'Not reachable: that installation is offline.' },
};

/** The D-code at the end of a reason phrase ("… is Invalid D35"), looked up; null when none is known. */
function refusalFor(sipReason: string): Refusal | null {
	const code = /\b(D\d{1,2}|RG1)\s*$/.exec(sipReason)?.[1];
	return code === undefined ? null : (D_CODES[code] ?? null);
}

/** The SDK's codes for a microphone or camera that could not be used (blocked, missing, busy). */
export function isMediaFailure(code: number): boolean {
	return code >= 42000 && code < 43000;
}

/**
 * Errors after which the SDK hangs the call up itself, with a cause of its own choosing (USER_BUSY before the
 * answer, NORMAL_CLEARING after it): its SDP steps failing (40001–40005), the microphone or camera (42xxx),
 * and a call it could not reattach after a reconnect (48501).
 */
export function endsCall(code: number): boolean {
	return (code >= 40001 && code <= 40005) || isMediaFailure(code) || code === 48501;
}

/** The end reason when the SDK tore a call down itself (lost session, expired sign-in, media failure). */
export function localFailure(code: number): EndReason {
	const kind: EndReason['kind'] =
		code === 48501 || code === 45003
			? 'network'
			: code === 46001 || code === 46003
				? 'token'
				: isMediaFailure(code)
					? 'media'
					: 'failed';
	const message =
		kind === 'token'
			? 'The sign-in to Telnyx expired. The app is signing in again.'
			: errorMessage(code);
	return { kind, message, cause: null, sipCode: null };
}
