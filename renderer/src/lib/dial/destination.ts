/**
 * What the user typed in the dialer, turned into exactly one thing to dial — or a sentence saying why not.
 * Nothing reaches the SDK unless it passed here (the SDK checks nothing itself).
 *
 * The rules:
 * - An installation's name from the directory dials that installation (`sip:<user>@sip.telnyx.com`).
 * - `sip:`/`sips:` addresses: user@host, no URI headers (`?…`), no control characters even percent-encoded,
 *   only the `transport` and `user=phone` parameters, at most 256 characters; the scheme is lower-cased.
 * - A bare SIP user name (letters first, then letters, digits, `.`, `_`, `-`) dials it on sip.telnyx.com.
 * - Phone numbers: digits with `+`, spaces, `-`, `.`, `(`, `)` as separators; anything else is refused rather
 *   than dropped. Only the canonical E.164 form is dialled (libphonenumber-js with full metadata). Without a
 *   leading `+` the caller ID number's country is assumed. An extension (`;ext=12`, `ext 12`, `x12`) is split
 *   off and sent as DTMF once the call is answered.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export const MAX_DIAL_LENGTH = 256;
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
/** Control (Cc) and invisible format (Cf) characters: C0/C1, every bidi control (incl. U+061C), zero-widths. */
const CONTROL = /[\p{Cc}\p{Cf}]/u;
const TOO_LONG = `That is too long to dial (at most ${MAX_DIAL_LENGTH} characters).`;

export function parseDestination(raw: string, context: DialContext = {}): DialParse {
	if (raw.length > MAX_DIAL_LENGTH) return fail(TOO_LONG);
	const text = raw.normalize('NFKC').trim();
	// NFKC can expand a character (U+3300 becomes four), so the bound applies to what is dialled too.
	if (text.length > MAX_DIAL_LENGTH) return fail(TOO_LONG);
	if (text === '') return fail('Type a number, a SIP address or the name of another installation.');
	if (CONTROL.test(text))
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

/** Phone numbers are short; anything longer is not one (security-and-reliability.md §6). */
const MAX_PHONE_LENGTH = 64;

function parsePhone(text: string, defaultCountry: CountryCode | undefined): DialParse {
	if (text.length > MAX_PHONE_LENGTH) return fail('That is too long to be a phone number.');
	const match = /^(.*?)(?:\s*(?:;ext=|ext\.?|x|#)\s*(\d{1,10}))?$/i.exec(text);
	const number = match?.[1]?.trim() ?? text;
	const extension = match?.[2] ?? null;
	if (!/^\+?[0-9 ().-]+$/.test(number)) {
		return fail(
			'Phone numbers can have digits, spaces and + - . ( ) only. Remove the other characters.',
		);
	}
	const digits = number.replace(/[ ().-]/g, '');
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
	const match = /^(sips?):([^@]+)@([^;?]+)((?:;[^?]*)?)(\?.*)?$/i.exec(text);
	if (match === null) return fail('A SIP address looks like sip:name@example.com.');
	const [, scheme = 'sip', user = '', hostPort = '', params = '', headers] = match;
	// A `?` before the `@` would start headers for a parser that reads the user part differently.
	if (headers !== undefined || user.includes('?'))
		return fail('SIP addresses with headers (after “?”) cannot be dialled.');
	let decodedUser: string;
	try {
		decodedUser = decodeURIComponent(user);
	} catch {
		return fail('The SIP address has a broken %-escape.');
	}
	// A raw `;` in the user part would smuggle parameters (`sip:a;maddr=evil@b`) past the check below.
	if (user.includes(';') || CONTROL.test(decodedUser) || /[\s<>"]/.test(decodedUser)) {
		return fail('The SIP address’s user part has characters that are not allowed.');
	}
	const host =
		/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
	if (!host.test(hostPort)) return fail('The SIP address’s host is not valid.');
	for (const param of params.split(';').filter(Boolean)) {
		if (!/^(transport=(udp|tcp|tls|ws|wss)|user=phone)$/i.test(param)) {
			return fail(`The SIP parameter “${param.split('=')[0] ?? param}” is not allowed.`);
		}
	}
	const dial = `${scheme.toLowerCase()}:${user}@${hostPort}${params}`;
	return {
		ok: true,
		target: { kind: 'sip', dial, display: `${user}@${hostPort}`, extension: null },
	};
}

/** DTMF the keypad may send: 0-9, *, #, A-D (upper-cased); null when anything else is in it. */
export function normaliseDtmf(input: string): string | null {
	const digits = input.toUpperCase();
	return /^[0-9A-D*#]{1,32}$/.test(digits) ? digits : null;
}
