/**
 * What a support bundle must not carry, removed from any text: every file of the bundle goes through
 * `redactForBundle` as its last step, so there is one place where that is decided, whatever the file is
 * (a log line, settings, a call, a Test my setup figure) and whether or not it should have held a secret.
 *
 * - Secrets: the API keys given (the keychain's current key, every key this run has held), and what the
 *   log redacts anyway (`redact` in ../logger.ts: JWTs, so login tokens, and `KEY…`-shaped API keys).
 * - Credentials by name: the value of any `password`, `sip_password`, `token`, `api_key`, `authorization`,
 *   … member or parameter, as JSON (`"password":"…"`), JSON inside a JSON string (a logged response body:
 *   `\"password\":\"…\"`) or a query/form pair (`password=…`), and `Bearer …`. The app signs in with
 *   on-demand credentials and JWTs and never holds a SIP password, but the bundle must not depend on that.
 * - Phone numbers, unless the user asks to keep them: every digit but the last four becomes `*`, separators
 *   stay (`+13125550142` → `+*******0142`, `+1 (312) 555-0142` → `+* (***) ***-0142`). A number is:
 *   1. `+` and 7–15 digits, written with separators or not (E.164 as people and Telnyx write it);
 *   2. the user part of a `sip:`, `sips:`, `tel:` or `callto:` URI that is a number of 7 digits or more,
 *      separators and all (`sip:13125550142@sip.telnyx.com`, `tel:312-555-0142`);
 *   3. a run of 8–15 digits on its own, not part of a longer number, word or id (`13125550142`, E.164
 *      without its `+`, as SIP caller IDs arrive; `3125550142`). A run touching a letter, `_`, `-` or a
 *      decimal point is left alone: UUID groups, base64, decimals and dates are not numbers to hide, and
 *      Telnyx's 19-digit resource ids are too long to be one. A `%2B` before the digits is a `+`;
 *   4. the North American forms with separators and no `+`: `(312) 555-0142`, `312-555-0142`,
 *      `312.555.0142`, `312 555 0142`. Other national forms with separators (`020 7946 0958`) are not
 *      recognised: they cannot be told apart from dates, times and version numbers.
 *   Rule 3 may hide an 8–15 digit figure that is no phone number (an epoch time, a byte count): hiding too
 *   much costs a supporter a figure, hiding too little costs the user a number.
 */
import { redact } from '../logger';

export interface BundleRedaction {
	/** Secrets known now: the API key the keychain holds, every key this run has held. */
	readonly secrets: readonly string[];
	/** Keep phone numbers whole (the user asked to); by default only their last four digits are kept. */
	readonly includeFullNumbers: boolean;
}

const REDACTED = '[redacted]';

/** Names whose value is a credential wherever they appear. */
const CREDENTIAL_NAMES = [
	'password',
	'passwd',
	'sip_password',
	'sipPassword',
	'secret',
	'token',
	'login_token',
	'loginToken',
	'access_token',
	'accessToken',
	'refresh_token',
	'api_key',
	'apiKey',
	'authorization',
].join('|');

/** `"password": "…"` in JSON: the value is a JSON string (escapes and all). */
const JSON_MEMBER = new RegExp(`"(${CREDENTIAL_NAMES})"(\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
/**
 * The same inside a JSON string (a response body logged as a field): quotes appear as `\"`, and the inner
 * string's own escapes are escaped again (`\\\"` is a quote in the value, `\\n` a newline, `\n` a character).
 */
const NESTED_JSON_MEMBER = new RegExp(
	`\\\\"(${CREDENTIAL_NAMES})\\\\"(\\s*:\\s*)\\\\"(?:\\\\\\\\\\\\.|\\\\\\\\[^\\\\"]|\\\\[^\\\\"]|[^\\\\"])*\\\\"`,
	'gi',
);
/** `password=…` in a query string or form body (up to the next separator). */
const PARAMETER = new RegExp(`\\b(${CREDENTIAL_NAMES})=[^\\s&"',;<>}\\]]+`, 'gi');
const BEARER = /\bBearer\s+[A-Za-z0-9._~+/-]+=*/g;

/** Rule 2: a call URI's user part that is a written number. */
const URI_NUMBER = /\b((?:sips?|tel|callto):)(\+?[\d\p{Zs}().-]{7,})(?=$|[@;?\s"'<>,\\])/giu;
/** Rule 1: `+`, a country code's first digit, then 6–14 more digits with up to two separators between. */
const PLUS_NUMBER = /\+[1-9](?:[\p{Zs}().-]{0,2}\d){6,14}(?!\d)/gu;
/** Rule 3: a run of digits on its own (see above for what "on its own" leaves out). */
const BARE_NUMBER = /(?<![\w.+-]|%2[Bb])\d{8,15}(?![\w-]|[.,]\d)|(?<=%2[Bb])\d{7,15}(?!\d)/g;
/** Rule 4: the North American number with separators. */
const NANP_NUMBER =
	/(?<![\w.+-])(?:\(\d{3}\)\p{Zs}?|\d{3}[\p{Zs}.-])\d{3}[\p{Zs}.-]\d{4}(?![\w-]|[.,]\d)/gu;

/** Every digit but the last four becomes `*`; everything else stays. */
export function maskDigits(number: string): string {
	let keep = 4;
	let out = '';
	for (let i = number.length - 1; i >= 0; i -= 1) {
		const char = number[i]!;
		if (char >= '0' && char <= '9') {
			out = (keep > 0 ? char : '*') + out;
			keep -= 1;
		} else out = char + out;
	}
	return out;
}

/** Hides the phone numbers in a text (rules 1–4 above), keeping each one's last four digits. */
export function maskPhoneNumbers(text: string): string {
	return text
		.replace(URI_NUMBER, (match, scheme: string, number: string) =>
			number.replace(/\D/g, '').length >= 7 ? `${scheme}${maskDigits(number)}` : match,
		)
		.replace(PLUS_NUMBER, maskDigits)
		.replace(NANP_NUMBER, maskDigits)
		.replace(BARE_NUMBER, maskDigits);
}

/** The one redaction every file of a support bundle goes through (see above). */
export function redactForBundle(
	text: string,
	{ secrets, includeFullNumbers }: BundleRedaction,
): string {
	const withoutSecrets = redact(text, secrets)
		.replace(JSON_MEMBER, `"$1"$2"${REDACTED}"`)
		.replace(NESTED_JSON_MEMBER, `\\"$1\\"$2\\"${REDACTED}\\"`)
		.replace(PARAMETER, `$1=${REDACTED}`)
		.replace(BEARER, `Bearer ${REDACTED}`);
	return includeFullNumbers ? withoutSecrets : maskPhoneNumbers(withoutSecrets);
}
