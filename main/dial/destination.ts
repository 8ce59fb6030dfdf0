/**
 * What the user typed in the dialer, turned into exactly one thing to dial — or a sentence saying why not.
 * This is the one place that decides it: main answers the renderer's `dial.resolve` with it (the dialer as
 * the user types, the call store before every call), and nothing reaches the SDK unless it passed here (the
 * SDK checks nothing itself). It lives in main because phone-number validity needs libphonenumber's full
 * metadata (about 48 KiB gzipped), which main bundles anyway and the page should not; and main holds the
 * two facts it depends on, the directory and the caller ID number, so the page steers neither.
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
 *
 * Pure: no I/O, no Electron. The renderer's unit tests run it behind their fake bridge.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { DialResolution, DialTarget, Installation } from '../../preload/contract';
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
} from '../../preload/dial-grammar';
import type { DirectoryEntry } from '../../preload/limits';

export type { DialResolution, DialTarget } from '../../preload/contract';
export type { DirectoryEntry } from '../../preload/limits';

const TELNYX_SIP_DOMAIN = 'sip.telnyx.com';

export interface DialContext {
	/** Other installations, dialable by name. */
	readonly directory?: readonly DirectoryEntry[];
	/** Country for numbers typed without `+` (from the caller ID number), if known. */
	readonly defaultCountry?: CountryCode | undefined;
}

const fail = (message: string): DialResolution => ({ ok: false, error: { message } });
const dial = (value: DialTarget): DialResolution => ({ ok: true, value });
const TOO_LONG = `That is too long to dial (at most ${MAX_DIAL_LENGTH} characters).`;

export function resolveDestination(raw: string, context: DialContext = {}): DialResolution {
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
		return dial({
			kind: 'installation',
			dial: `sip:${installation.sipUsername}@${TELNYX_SIP_DOMAIN}`,
			display: installation.name,
			extension: null,
		});
	}
	if (/^sips?:/i.test(text)) return parseSip(text);
	if (/^[+(]?[0-9]/.test(text)) return parsePhone(text, context.defaultCountry);
	if (/^[A-Za-z][A-Za-z0-9._-]{2,63}$/.test(text)) {
		return dial({
			kind: 'sip',
			dial: `sip:${text}@${TELNYX_SIP_DOMAIN}`,
			display: text,
			extension: null,
		});
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

function parsePhone(text: string, defaultCountry: CountryCode | undefined): DialResolution {
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
	return dial({
		kind: 'phone',
		dial: phone.number,
		display: phone.formatInternational(),
		extension,
	});
}

function parseSip(text: string): DialResolution {
	const check = parseSipUri(text);
	if (!check.ok) return fail(sipRefusal(check));
	const { uri, address } = check.sip;
	return dial({ kind: 'sip', dial: uri, display: address, extension: null });
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

/** The country a number written without a country code is in: the caller ID number's, if there is one. */
export function defaultCountryOf(callerIdNumber: string | null): CountryCode | undefined {
	if (callerIdNumber === null) return undefined;
	return parsePhoneNumberFromString(callerIdNumber)?.country;
}

/**
 * What main resolves the page's text with: the other installations it holds (never this one: dialling
 * oneself by name is no call) and the caller ID number's country.
 */
export function dialContext(
	installations: readonly Installation[],
	callerIdNumber: string | null,
): DialContext {
	const directory = installations.filter((entry) => !entry.self);
	const defaultCountry = defaultCountryOf(callerIdNumber);
	return defaultCountry === undefined ? { directory } : { directory, defaultCountry };
}
