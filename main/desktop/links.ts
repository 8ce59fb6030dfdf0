/**
 * `tel:`, `callto:` and `sip:` links from the operating system (a click in a browser, a second launch with
 * a link), turned into one destination for the dialer — or refused. Links come from anywhere, so they are
 * checked in main before anything reaches the renderer; the renderer checks the destination again before
 * it dials.
 *
 * - `tel:` (RFC 3966): `+` may be percent-encoded (`%2B`); visual separators `-.()` and spaces are dropped;
 *   `;ext=` is kept (the dialer sends it as DTMF); other parameters (`phone-context`, `isub`…) are ignored.
 * - `callto:` is treated as `tel:` (and `callto://` as Skype-style `callto:`).
 * - `sip:`/`sips:`: no URI headers, no control characters (also percent-encoded), at most 256 characters.
 */

export const MAX_LINK_LENGTH = 512;

export type LinkResult =
	| { readonly ok: true; readonly destination: string }
	| { readonly ok: false; readonly reason: string };

const refuse = (reason: string): LinkResult => ({ ok: false, reason });
/** Control and format characters: C0/C1 controls, bidi controls (U+061C, U+200E…), zero-width ones, BOM. */
const CONTROL = /[\p{Cc}\p{Cf}]/u;

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
	if (CONTROL.test(decoded)) return refuse('The link contains control characters.');
	return scheme === 'tel' || scheme === 'callto'
		? telLink(decoded)
		: sipLink(scheme, rest, decoded);
}

function telLink(value: string): LinkResult {
	const body = value.replace(/^\/\//, '');
	const [number = '', ...params] = body.split(';');
	const digits = number.replace(/[\s\-.()]/g, '');
	if (!/^\+?[0-9*#]{3,20}$/.test(digits)) return refuse('The link does not hold a phone number.');
	const extension = params
		.map((p) => /^ext=([0-9]{1,10})$/i.exec(p)?.[1])
		.find((e): e is string => e !== undefined);
	return { ok: true, destination: extension === undefined ? digits : `${digits};ext=${extension}` };
}

function sipLink(scheme: string, raw: string, decoded: string): LinkResult {
	if (raw.includes('?') || decoded.includes('?'))
		return refuse('SIP links with headers are not dialled.');
	if (!/^[^@\s]+@[^@\s]+$/.test(decoded)) return refuse('The link does not hold a SIP address.');
	if (decoded.length > 256) return refuse('The SIP address is too long.');
	return { ok: true, destination: `${scheme}:${raw}` };
}
