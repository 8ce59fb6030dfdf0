/**
 * Every SDK error, warning and hangup cause a user can meet, as a sentence saying what happened and what to
 * do. One place for the words; the adapter and the UI only look them up.
 */
import type { EndReason } from './softphone';

/** `@telnyx/webrtc` error codes (telnyx-protocol.md §6). */
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
	33007: 'This call was answered on another device too.',
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
	if (sipReason !== null && /D3[01]\b/.test(sipReason)) {
		return reason('rejected', 'That installation does not accept calls from this account.');
	}
	if (sipReason !== null && /D13\b/.test(sipReason)) {
		return reason(
			'rejected',
			'Calls to that country are not allowed by your outbound voice profile. Allow it in Settings → Account.',
		);
	}
	if (sipReason !== null && /D(38|7)\b/.test(sipReason)) {
		return reason(
			'rejected',
			'Your connection has no outbound voice profile, so it cannot call phone numbers. Set up the account again.',
		);
	}
	if (sipReason !== null && /D15\b/.test(sipReason)) {
		return reason(
			'rejected',
			'Your outbound voice profile is disabled. Enable it in the Telnyx portal.',
		);
	}
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
		default:
			if (sipCode === 486) return reason('busy', 'Busy.');
			if (sipCode === 404) return reason('not-found', 'Not found.');
			if (sipCode === 480) return reason('unavailable', 'Not reachable right now.');
			if (sipCode === 403) return reason('rejected', 'Telnyx refused the call.');
			return reason('failed', 'The call ended.');
	}
}

/** The end reason when the SDK tore a call down itself (lost session, expired sign-in, media failure). */
export function localFailure(code: number): EndReason {
	const kind: EndReason['kind'] =
		code === 48501 || code === 45003
			? 'network'
			: code === 46001 || code === 46003
				? 'token'
				: code >= 42000 && code < 43000
					? 'media'
					: 'failed';
	const message =
		kind === 'token'
			? 'The sign-in to Telnyx expired. The app is signing in again.'
			: errorMessage(code);
	return { kind, message, cause: null, sipCode: null };
}
