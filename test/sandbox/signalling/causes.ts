/**
 * Hangup causes the signalling server puts in `telnyx_rtc.bye` (`cause`, `causeCode`, `sipCode`,
 * `sipReason`). Names and codes follow FreeSWITCH (Telnyx's B2BUA); the 403 reasons carry Telnyx's D-codes
 * from its "SIP response codes" article. Where Telnyx documents nothing, the choice is marked as ours.
 */

export interface HangupCause {
	readonly cause: string;
	readonly causeCode: number;
	readonly sipCode: number;
	readonly sipReason: string;
}

export const NORMAL_CLEARING: HangupCause = {
	cause: 'NORMAL_CLEARING',
	causeCode: 16,
	sipCode: 200,
	sipReason: 'OK',
};
export const USER_BUSY: HangupCause = {
	cause: 'USER_BUSY',
	causeCode: 17,
	sipCode: 486,
	sipReason: 'Busy Here',
};
export const CALL_DECLINED: HangupCause = {
	cause: 'CALL_REJECTED',
	causeCode: 21,
	sipCode: 603,
	sipReason: 'Decline',
};
export const ORIGINATOR_CANCEL: HangupCause = {
	cause: 'ORIGINATOR_CANCEL',
	causeCode: 487,
	sipCode: 487,
	sipReason: 'Request Terminated',
};
export const UNALLOCATED_NUMBER: HangupCause = {
	cause: 'UNALLOCATED_NUMBER',
	causeCode: 1,
	sipCode: 404,
	sipReason: 'Not Found',
};
/** The callee's connection timed out (`inbound.timeout_2xx_secs`); FreeSWITCH's NO_ANSWER → SIP 480. */
export const NO_ANSWER: HangupCause = {
	cause: 'NO_ANSWER',
	causeCode: 19,
	sipCode: 480,
	sipReason: 'Temporarily Unavailable',
};
/** The destination credential exists but no client is logged in with it (Telnyx: "480 … RG1"). */
export const USER_NOT_REGISTERED: HangupCause = {
	cause: 'USER_NOT_REGISTERED',
	causeCode: 606,
	sipCode: 480,
	sipReason: 'User not registered RG1',
};
/**
 * The other leg's client vanished and did not reconnect within the grace period. Our choice: Telnyx does not
 * document what the far end hears; FreeSWITCH uses a temporary failure for lost signalling.
 */
export const PEER_LOST: HangupCause = {
	cause: 'NORMAL_TEMPORARY_FAILURE',
	causeCode: 41,
	sipCode: 503,
	sipReason: 'Service Unavailable',
};

/**
 * The media gateway could not set up or accept a leg's media (a malformed SDP, no common codec). FreeSWITCH's
 * INCOMPATIBLE_DESTINATION → SIP 488, what a B2BUA answers an offer it cannot take.
 */
export const MEDIA_FAILURE: HangupCause = {
	cause: 'INCOMPATIBLE_DESTINATION',
	causeCode: 88,
	sipCode: 488,
	sipReason: 'Not Acceptable Here',
};

const rejected = (sipReason: string): HangupCause => ({
	cause: 'CALL_REJECTED',
	causeCode: 21,
	sipCode: 403,
	sipReason,
});

export const NO_OUTBOUND_PROFILE = rejected('Connection has no Outbound Profile assigned D38');
export const OUTBOUND_PROFILE_DISABLED = rejected('Outbound Profile is disabled D15');
export const CONNECTION_DISABLED = rejected('Connection is disabled D16');
export const SIP_URI_CALLING_REFUSED = rejected('Invalid SIP URI calling preference D30');
/**
 * A PSTN call whose caller-ID number is blank, is the SIP username or is no phone number at all. The wording
 * is Telnyx's (developers.telnyx.com "Caller ID Policy" and "SIP Response Codes").
 */
export const CALLER_ID_INVALID = rejected('Caller Origination Number is Invalid D35');
/**
 * A caller-ID number that is not one of the caller's account's numbers. Telnyx documents D36 as "using another
 * account's DID as caller ID" but publishes no reason phrase for it: this wording is ours.
 */
export const CALLER_ID_NOT_OWNED = rejected('Caller Origination Number is not on this account D36');
export function notWhitelisted(
	e164: string,
	country: string,
	whitelisted: readonly string[],
): HangupCause {
	return rejected(
		`Dialed number ${e164} (pertinent countries: ${country}) is not included in whitelisted countries: ${whitelisted.join(',')} D13`,
	);
}
