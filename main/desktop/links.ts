/**
 * `tel:`, `callto:` and `sip:` links from the operating system (a click in a browser, a second launch with
 * a link), turned into one destination for the dialer — or refused. Links come from anywhere, so they are
 * checked in main before anything reaches the renderer; the renderer checks the destination again before
 * it dials. Both use the one dial grammar (`preload/dial-grammar.ts`), so a `sip:` link accepted here is
 * exactly an address the dialer dials.
 *
 * - `tel:` (RFC 3966): `+` may be percent-encoded (`%2B`); visual separators (spaces, `-.()`) are dropped;
 *   `;ext=` is kept (the dialer sends it as DTMF); other parameters (`phone-context`, `isub`…) are ignored.
 * - `callto:` is treated as `tel:` (and `callto://` as Skype-style `callto:`).
 * - `sip:`/`sips:`: the grammar's SIP URI rules — no URI headers, no control characters (also
 *   percent-encoded), only `transport` and `user=phone` parameters, an ASCII host and a port of 1–65535,
 *   at most 256 characters.
 */
import {
	MAX_LINK_LENGTH,
	hasControlCharacters,
	isTelNumber,
	parseSipUri,
	stripPhoneSeparators,
	telExtension,
	type SipProblem,
} from '../../preload/dial-grammar';

export { MAX_LINK_LENGTH };

export type LinkResult =
	| { readonly ok: true; readonly destination: string }
	| { readonly ok: false; readonly reason: string };

const refuse = (reason: string): LinkResult => ({ ok: false, reason });

export function isCallLink(argument: string): boolean {
	return /^(tel|callto|sips?):/i.test(argument);
}

export function parseLink(url: string): LinkResult {
	if (url.length > MAX_LINK_LENGTH) return refuse('The link is too long.');
	const match = /^(tel|callto|sips?):(.*)$/is.exec(url.trim());
	if (match === null) return refuse('Not a tel:, callto: or sip: link.');
	const scheme = (match[1] ?? '').toLowerCase();
	const rest = match[2] ?? '';
	let decoded: string;
	try {
		decoded = decodeURIComponent(rest);
	} catch {
		return refuse('The link has a broken %-escape.');
	}
	if (hasControlCharacters(decoded)) return refuse('The link contains control characters.');
	return scheme === 'tel' || scheme === 'callto' ? telLink(decoded) : sipLink(`${scheme}:${rest}`);
}

function telLink(value: string): LinkResult {
	const body = value.replace(/^\/\//, '');
	const [number = '', ...params] = body.split(';');
	const digits = stripPhoneSeparators(number);
	if (!isTelNumber(digits)) return refuse('The link does not hold a phone number.');
	const extension = params.map(telExtension).find((e): e is string => e !== null);
	return { ok: true, destination: extension === undefined ? digits : `${digits};ext=${extension}` };
}

/**
 * Why a SIP link was refused, for the log. None of these repeats what the link said: the link is
 * attacker-controlled text and the log is read by people and tools.
 */
const SIP_REFUSALS: Readonly<Record<SipProblem, string>> = {
	length: 'The SIP address is too long.',
	control: 'The link contains control characters.',
	headers: 'SIP links with headers are not dialled.',
	shape: 'The link does not hold a SIP address.',
	escape: 'The link has a broken %-escape.',
	user: 'The SIP user in the link has characters that are not allowed.',
	host: 'The SIP host in the link is not valid.',
	port: 'The SIP port in the link is not between 1 and 65535.',
	parameter: 'The link has a SIP parameter that is not allowed.',
	'repeated-parameter': 'The link gives a SIP parameter twice.',
};

function sipLink(uri: string): LinkResult {
	const check = parseSipUri(uri);
	return check.ok ? { ok: true, destination: check.sip.uri } : refuse(SIP_REFUSALS[check.problem]);
}

/**
 * A number on the clipboard the tray may offer to call: read as a `tel:` link, so it passes the same checks
 * (and is dialled the same way) as a link. Null when the text is not one.
 */
export function clipboardDestination(text: string): string | null {
	const link = parseLink(`tel:${text.trim()}`);
	return link.ok ? link.destination : null;
}
