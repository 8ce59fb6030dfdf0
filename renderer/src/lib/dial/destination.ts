/**
 * What the user typed in the dialer, turned into exactly one thing to dial — or a sentence saying why not.
 * Nothing reaches the SDK unless it passed here (the SDK checks nothing itself).
 *
 * The syntax rules are the dial grammar's (`preload/dial-grammar.ts`), which main also uses for links from
 * the operating system; this module adds what only the dialer needs: the installation directory, bare user
 * names, and phone-number validity from libphonenumber's metadata.
 * - An installation's name from the directory dials that installation (`sip:<user>@sip.telnyx.com`).
 * - `sip:`/`sips:` addresses: the grammar's SIP URI rules (user@host, ASCII user and host, port 1–65535, no
 *   URI headers, no control characters even percent-encoded, only the `transport` and `user=phone`
 *   parameters, at most 256 characters); the scheme is lower-cased.
 * - A bare SIP user name (letters first, then letters, digits, `.`, `_`, `-`) dials it on sip.telnyx.com.
 * - Phone numbers: digits with `+`, spaces, `-`, `.`, `(`, `)` as separators; anything else is refused rather
 *   than dropped. Only the canonical E.164 form is dialled (libphonenumber-js with full metadata). Without a
 *   leading `+` the caller ID number's country is assumed. An extension (`;ext=12`, `ext 12`, `x12`) is split
 *   off and sent as DTMF once the call is answered.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import {
	MAX_DIAL_LENGTH,
	MAX_EXTENSION_DIGITS,
	MAX_PHONE_LENGTH,
	MAX_PORT,
	MIN_PORT,
	hasControlCharacters,
	isWrittenPhoneNumber,
	parseSipUri,
	stripPhoneSeparators,
	type SipCheck,
} from '../../../../preload/dial-grammar';

export { MAX_DIAL_LENGTH, normaliseDtmf } from '../../../../preload/dial-grammar';

const TELNYX_SIP_DOMAIN = 'sip.telnyx.com';

export type DialTarget =
	| {
			readonly kind: 'phone';
			readonly dial: string;
			readonly display: string;
			readonly extension: string | null;
	  }
	| {
			readonly kind: 'sip';
			readonly dial: string;
			readonly display: string;
			readonly extension: null;
	  }
	| {
			readonly kind: 'installation';
			readonly dial: string;
			readonly display: string;
			readonly extension: null;
	  };

export type DialParse =
	| { readonly ok: true; readonly target: DialTarget }
	| { readonly ok: false; readonly message: string };

export interface DirectoryEntry {
	readonly name: string;
	readonly sipUsername: string;
}

export interface DialContext {
	/** Other installations, dialable by name. */
	readonly directory?: readonly DirectoryEntry[];
	/** Country for numbers typed without `+` (from the caller ID number), if known. */
	readonly defaultCountry?: CountryCode | undefined;
}

const fail = (message: string): DialParse => ({ ok: false, message });
const TOO_LONG = `That is too long to dial (at most ${MAX_DIAL_LENGTH} characters).`;

export function parseDestination(raw: string, context: DialContext = {}): DialParse {
	if (raw.length > MAX_DIAL_LENGTH) return fail(TOO_LONG);
	const text = raw.normalize('NFKC').trim();
	// NFKC can expand a character (U+3300 becomes four), so the bound applies to what is dialled too.
	if (text.length > MAX_DIAL_LENGTH) return fail(TOO_LONG);
	if (text === '') return fail('Type a number, a SIP address or the name of another installation.');
	if (hasControlCharacters(text))
		return fail('The destination contains invisible control characters. Type it again.');

	const installation = context.directory?.find(
		(entry) => entry.name.toLowerCase() === text.toLowerCase(),
	);
	if (installation !== undefined) {
		return {
			ok: true,
			target: {
				kind: 'installation',
				dial: `sip:${installation.sipUsername}@${TELNYX_SIP_DOMAIN}`,
				display: installation.name,
				extension: null,
			},
		};
	}
	if (/^sips?:/i.test(text)) return parseSip(text);
	if (/^[+(]?[0-9]/.test(text)) return parsePhone(text, context.defaultCountry);
	if (/^[A-Za-z][A-Za-z0-9._-]{2,63}$/.test(text)) {
		return {
			ok: true,
			target: {
				kind: 'sip',
				dial: `sip:${text}@${TELNYX_SIP_DOMAIN}`,
				display: text,
				extension: null,
			},
		};
	}
	return fail(
		'Type a phone number (like +1 312 555 0142), a SIP address (sip:name@example.com) or an installation’s name.',
	);
}

/** `;ext=12`, `ext 12`, `ext. 12`, `x12` or `#12` at the end of a typed number. */
const TYPED_EXTENSION = new RegExp(
	`^(.*?)(?:\\s*(?:;ext=|ext\\.?|x|#)\\s*(\\d{1,${MAX_EXTENSION_DIGITS}}))?$`,
	'i',
);

function parsePhone(text: string, defaultCountry: CountryCode | undefined): DialParse {
	if (text.length > MAX_PHONE_LENGTH) return fail('That is too long to be a phone number.');
	const match = TYPED_EXTENSION.exec(text);
	const number = match?.[1]?.trim() ?? text;
	const extension = match?.[2] ?? null;
	if (!isWrittenPhoneNumber(number)) {
		return fail(
			'Phone numbers can have digits, spaces and + - . ( ) only. Remove the other characters.',
		);
	}
	const digits = stripPhoneSeparators(number);
	if (!digits.startsWith('+') && defaultCountry === undefined) {
		return fail('Add the country code, starting with + (for example +1 312 555 0142).');
	}
	const phone = parsePhoneNumberFromString(digits, defaultCountry);
	// E.164 allows 15 digits at most; the metadata accepts some longer national numbers (Germany's).
	if (phone === undefined || !phone.isValid() || !/^\+[1-9]\d{6,14}$/.test(phone.number)) {
		return fail('That is not a valid phone number. Check the digits and the country code.');
	}
	return {
		ok: true,
		target: { kind: 'phone', dial: phone.number, display: phone.formatInternational(), extension },
	};
}

function parseSip(text: string): DialParse {
	const check = parseSipUri(text);
	if (!check.ok) return fail(sipRefusal(check));
	const { uri, address } = check.sip;
	return { ok: true, target: { kind: 'sip', dial: uri, display: address, extension: null } };
}

function sipRefusal(check: Extract<SipCheck, { ok: false }>): string {
	switch (check.problem) {
		case 'length':
			return TOO_LONG;
		case 'control':
			return 'The destination contains invisible control characters. Type it again.';
		case 'headers':
			return 'SIP addresses with headers (after “?”) cannot be dialled.';
		case 'shape':
			return 'A SIP address looks like sip:name@example.com.';
		case 'escape':
			return 'The SIP address has a broken %-escape.';
		case 'user':
			return 'The SIP address’s user part has characters that are not allowed.';
		case 'host':
			return 'The SIP address’s host is not valid.';
		case 'port':
			return `The SIP address’s port must be a number from ${MIN_PORT} to ${MAX_PORT}.`;
		case 'parameter':
			return `The SIP parameter “${check.parameter}” is not allowed.`;
		case 'repeated-parameter':
			return `The SIP parameter “${check.parameter}” is given twice.`;
	}
}

/**
 * Telnyx refuses a call to a phone number without a caller-ID number of the account's own (SIP 403 D35, or
 * D36 for a number that is not the account's: developers.telnyx.com, "Caller ID Policy"), so the dialer says
 * so before dialling rather than after. Installations and SIP addresses need none.
 */
export const CALLER_NUMBER_NEEDED =
	'Calls to phone numbers need a caller ID number, or Telnyx refuses them. Choose one of your numbers in Settings → Caller ID.';

/** Why `target` cannot be dialled with this caller-ID number (null: it can). */
export function callerIdProblem(target: DialTarget, callerNumber: string | null): string | null {
	return target.kind === 'phone' && (callerNumber === null || callerNumber.trim() === '')
		? CALLER_NUMBER_NEEDED
		: null;
}
