/**
 * Where a dialled destination goes, and whether the caller may reach it: the routing decisions of the
 * sandbox's B2BUA, kept pure so they can be tested without sockets.
 *
 * - `sip:<user>@sip.telnyx.com` and a bare `<user>` reach the telephony credential with that sip_username,
 *   if the callee's connection accepts SIP URI calls from the caller (`sip_uri_calling_preference`:
 *   `unrestricted`, or `internal` within the same account; `disabled`, the default, refuses with D30).
 * - `+E.164` goes to the public network: the caller's connection needs an enabled outbound voice profile whose
 *   `whitelisted_destinations` include the number's country (D38 / D15 / D13 otherwise). In the sandbox the
 *   public network is the set of simulated phones: test clients registered as the phone behind a number.
 * - Caller-ID checks (Telnyx's caller ID policy, on unless the `callerIdChecks` option is off) apply to
 *   `+E.164` calls only, after the profile checks: a blank caller-ID number, the caller's own SIP username
 *   (what a SIP client sends when nothing is set) or no valid phone number is D35; a valid number that is not
 *   one of the caller's account's numbers is D36. Calls to SIP usernames and URIs are not checked.
 * - `ECHO_NUMBER`, the destination of the SDK's pre-call diagnostic, is a phone number like any other (the
 *   same profile and caller-ID checks), but answered by the sandbox's echo instead of a simulated phone. The
 *   SDK dials it written `+1-872-231-5806`, so it is recognised by its digits whatever the separators.
 * - Anything else, or a SIP URI on another domain (unreachable offline), is an unallocated number.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import * as causes from './causes';
import type { HangupCause } from './causes';
import type { CredentialRecord, JsonObject, Owned, SandboxStore } from '../store';

export type Destination =
	| { readonly kind: 'sip'; readonly user: string }
	| { readonly kind: 'pstn'; readonly e164: string; readonly country: string }
	| { readonly kind: 'unroutable' };

export const TELNYX_SIP_DOMAIN = 'sip.telnyx.com';

/**
 * The number `@telnyx/webrtc` 2.27.10's pre-call diagnostic calls by default (`runPreCall`'s
 * `destinationNumber`, `+1-872-231-5806` in its bundle): a Telnyx-hosted test number there, the sandbox's echo
 * here.
 */
export const ECHO_NUMBER = '+18722315806';

/** `ECHO_NUMBER` however it is written: its digits, with or without `+`, spaces, dots, dashes, brackets. */
export function isEchoNumber(raw: string): boolean {
	const text = raw.trim();
	return /^\+?[\d\s().-]+$/.test(text) && text.replace(/\D/g, '') === ECHO_NUMBER.slice(1);
}

export function parseDestination(raw: string): Destination {
	const text = raw.trim();
	if (isEchoNumber(text)) return { kind: 'pstn', e164: ECHO_NUMBER, country: 'US' };
	const uri = /^sips?:([^@;?]+)@([^;?:]+)(?::\d+)?(?:;[^?]*)?$/i.exec(text);
	if (uri !== null) {
		const [, user = '', host = ''] = uri;
		if (host.toLowerCase() !== TELNYX_SIP_DOMAIN) return { kind: 'unroutable' };
		let decoded: string;
		try {
			decoded = decodeURIComponent(user);
		} catch {
			return { kind: 'unroutable' };
		}
		return /^\+\d{7,15}$/.test(decoded) || isEchoNumber(decoded)
			? parseDestination(decoded)
			: { kind: 'sip', user: decoded };
	}
	if (/^\+\d{7,15}$/.test(text)) {
		const phone = parsePhoneNumberFromString(text);
		if (phone?.country === undefined) return { kind: 'unroutable' };
		return { kind: 'pstn', e164: phone.number, country: phone.country };
	}
	if (/^[A-Za-z0-9._-]{1,64}$/.test(text)) return { kind: 'sip', user: text };
	return { kind: 'unroutable' };
}

export type RouteDecision =
	| { readonly ok: true; readonly calleeSipUsername: string; readonly calleeNumber: string }
	/** Answered by the sandbox's echo (`ECHO_NUMBER`), not by a client. */
	| { readonly ok: true; readonly echo: true; readonly calleeNumber: string }
	| { readonly ok: false; readonly cause: HangupCause };

export interface RouteInput {
	readonly store: SandboxStore;
	readonly caller: Owned<CredentialRecord>;
	readonly destination: Destination;
	/** The simulated phone (a sip_username) answering each E.164 number. */
	readonly phones: ReadonlyMap<string, string>;
	readonly isRegistered: (sipUsername: string) => boolean;
	/** The `caller_id_number` the caller sent, as sent ('' when blank or absent). */
	readonly callerIdNumber: string;
	/** Apply Telnyx's caller-ID rules to PSTN calls (the `callerIdChecks` option). */
	readonly checkCallerId: boolean;
}

const reject = (cause: HangupCause): RouteDecision => ({ ok: false, cause });

export function decideRoute({
	store,
	caller,
	destination,
	phones,
	isRegistered,
	callerIdNumber,
	checkCallerId,
}: RouteInput): RouteDecision {
	const callerConnection = store.connectionOfCredential(caller.data);
	if (callerConnection?.data['active'] === false) return reject(causes.CONNECTION_DISABLED);

	if (destination.kind === 'unroutable') return reject(causes.UNALLOCATED_NUMBER);

	if (destination.kind === 'pstn') {
		const outbound = (callerConnection?.data['outbound'] ?? {}) as JsonObject;
		const profileId = outbound['outbound_voice_profile_id'];
		const profile = typeof profileId === 'string' ? store.profiles.get(profileId) : undefined;
		if (profile === undefined) return reject(causes.NO_OUTBOUND_PROFILE);
		if (profile.data['enabled'] === false) return reject(causes.OUTBOUND_PROFILE_DISABLED);
		const allowed = (profile.data['whitelisted_destinations'] ?? []) as string[];
		if (!allowed.includes(destination.country)) {
			return reject(causes.notWhitelisted(destination.e164, destination.country, allowed));
		}
		if (checkCallerId) {
			const refusal = callerIdRefusal(store, caller, callerIdNumber);
			if (refusal !== null) return reject(refusal);
		}
		if (destination.e164 === ECHO_NUMBER) {
			return { ok: true, echo: true, calleeNumber: ECHO_NUMBER };
		}
		const phone = phones.get(destination.e164);
		if (phone === undefined) return reject(causes.UNALLOCATED_NUMBER);
		if (!isRegistered(phone)) return reject(causes.USER_NOT_REGISTERED);
		return { ok: true, calleeSipUsername: phone, calleeNumber: destination.e164 };
	}

	const callee = store.credentialBySipUsername(destination.user);
	if (callee === undefined) return reject(causes.UNALLOCATED_NUMBER);
	const calleeConnection = store.connectionOfCredential(callee.data);
	if (calleeConnection === undefined || calleeConnection.data['active'] === false) {
		return reject({ ...causes.UNALLOCATED_NUMBER, sipReason: 'Not found D18' });
	}
	const preference = calleeConnection.data['sip_uri_calling_preference'];
	const sameAccount = callee.accountId === caller.accountId;
	if (!(preference === 'unrestricted' || (preference === 'internal' && sameAccount))) {
		return reject(causes.SIP_URI_CALLING_REFUSED);
	}
	if (!isRegistered(callee.data.sip_username)) return reject(causes.USER_NOT_REGISTERED);
	return {
		ok: true,
		calleeSipUsername: callee.data.sip_username,
		calleeNumber: callee.data.sip_username,
	};
}

/**
 * Why Telnyx would refuse this caller-ID number on a PSTN call, or null. Numbers are compared in E.164; one
 * written without `+` is read as a US number, as Telnyx does when a connection has no localization set.
 */
export function callerIdRefusal(
	store: SandboxStore,
	caller: Owned<CredentialRecord>,
	callerIdNumber: string,
): HangupCause | null {
	const written = callerIdNumber.trim();
	if (written === '' || written === caller.data.sip_username) return causes.CALLER_ID_INVALID;
	const phone = parsePhoneNumberFromString(written, 'US');
	if (phone === undefined || !phone.isValid()) return causes.CALLER_ID_INVALID;
	const owned = [...store.phoneNumbers.values()].some(
		(n) => n.accountId === caller.accountId && n.data.phone_number === phone.number,
	);
	return owned ? null : causes.CALLER_ID_NOT_OWNED;
}
