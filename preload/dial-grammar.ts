/**
 * The dial grammar: what a SIP address, a `tel:` number, an extension and a keypad (DTMF) string may look
 * like, and how long each may be. Main checks links from the operating system with it, and resolves what
 * the user typed with it too, so neither can be looser than the other: a `sip:` link main accepts is
 * exactly a destination the dialer dials, unchanged. The renderer uses it for the keypad (DTMF).
 *
 * It lives beside the IPC contract because what crosses the bridge is the preload folder's business, but
 * the preload itself never loads it (the sandboxed preload stays one small file). It imports nothing and
 * touches no Node, DOM or Electron API, so main runs it in Node and the renderer in the page.
 *
 * Phone-number validity (libphonenumber's metadata) is not here: its metadata is large, and only main's
 * destination resolver (`main/dial/destination.ts`, which the dialer asks through `dial.resolve`) needs it.
 * Main forwards a `tel:` number only as digits; it is resolved like typed text before it is dialled.
 */

/** The longest SIP URI either side accepts, scheme included (the dialer's own bound). */
export const MAX_SIP_URI_LENGTH = 256;
/** The longest text the dialer looks at. */
export const MAX_DIAL_LENGTH = 256;
/** The longest link from the operating system main looks at (a `tel:` link may carry ignored parameters). */
export const MAX_LINK_LENGTH = 512;
/** The longest typed phone number, separators and extension included; a real one is far shorter. */
export const MAX_PHONE_LENGTH = 64;
/** A `tel:` link's number: 3 to 20 digits (short codes like `*67` count; E.164 is checked by the dialer). */
export const MIN_TEL_DIGITS = 3;
export const MAX_TEL_DIGITS = 20;
/** An extension is sent as DTMF once the call is answered. */
export const MAX_EXTENSION_DIGITS = 10;
export const MAX_DTMF_LENGTH = 32;
export const MIN_PORT = 1;
export const MAX_PORT = 65_535;
/** The only SIP URI parameters dialled; every other one (`maddr`, `lr`, `method`…) steers routing. */
export const SIP_TRANSPORTS = ['udp', 'tcp', 'tls', 'ws', 'wss'] as const;

// ---- Control and format characters -------------------------------------------------------------------

/** Control (Cc) and invisible format (Cf) characters: C0/C1, every bidi control (incl. U+061C), zero-widths, BOM. */
const CONTROL = /[\p{Cc}\p{Cf}]/u;

/** True when the text holds a character that is invisible or reorders what the user sees (Trojan Source). */
export function hasControlCharacters(text: string): boolean {
	return CONTROL.test(text);
}

// ---- Phone numbers, extensions, DTMF -----------------------------------------------------------------

/** Visual separators in a written number: any Unicode space (a number copied from a web page has NBSPs), `- . ( )`. */
const PHONE_SEPARATORS = /[\p{Zs}().-]/gu;

/** A written phone number: an optional leading `+`, then digits and separators only. */
export function isWrittenPhoneNumber(text: string): boolean {
	return /^\+?[0-9\p{Zs}().-]+$/u.test(text);
}

export function stripPhoneSeparators(text: string): string {
	return text.replace(PHONE_SEPARATORS, '');
}

/** A `tel:` number once its separators are gone: optional `+`, then 3–20 of 0-9 * # (service codes too). */
const TEL_NUMBER = new RegExp(`^\\+?[0-9*#]{${MIN_TEL_DIGITS},${MAX_TEL_DIGITS}}$`);
const EXTENSION = new RegExp(`^[0-9]{1,${MAX_EXTENSION_DIGITS}}$`);
const DTMF = new RegExp(`^[0-9A-D*#]{1,${MAX_DTMF_LENGTH}}$`);

export function isTelNumber(digits: string): boolean {
	return TEL_NUMBER.test(digits);
}

/** 1–10 ASCII digits. */
export function isExtension(digits: string): boolean {
	return EXTENSION.test(digits);
}

/** The extension a `tel:` URI parameter carries (`ext=12`, any case), or null for any other parameter. */
export function telExtension(parameter: string): string | null {
	const value = /^ext=(.*)$/is.exec(parameter)?.[1];
	return value !== undefined && isExtension(value) ? value : null;
}

/** DTMF the keypad may send: 0-9, *, #, A-D (upper-cased); null when anything else is in it. */
export function normaliseDtmf(input: string): string | null {
	const digits = input.toUpperCase();
	return DTMF.test(digits) ? digits : null;
}

// ---- SIP URIs ----------------------------------------------------------------------------------------

/**
 * Why a SIP URI was refused. Each side words it for its own audience: the dialer talks to the user, main
 * writes a log line that must not repeat what the link said.
 */
export type SipProblem =
	| 'length'
	| 'control'
	| 'headers'
	| 'shape'
	| 'escape'
	| 'user'
	| 'host'
	| 'port'
	| 'parameter'
	| 'repeated-parameter';

export interface SipAddress {
	readonly scheme: 'sip' | 'sips';
	/** The user part as written (escapes kept). */
	readonly user: string;
	/** The host as written: a DNS name, a dotted IPv4 address or a bracketed IPv6 address. */
	readonly host: string;
	readonly port: number | null;
	/** `user@host[:port]` as written, for display. */
	readonly address: string;
	/** What is dialled: the input with its scheme lower-cased and nothing else changed. */
	readonly uri: string;
}

export type SipCheck =
	| { readonly ok: true; readonly sip: SipAddress }
	| {
			readonly ok: false;
			readonly problem: SipProblem;
			/** The parameter's name, for `parameter` and `repeated-parameter`; otherwise empty. */
			readonly parameter: string;
	  };

/**
 * RFC 3261 user characters (unreserved and user-unreserved) without `;` and `?`: raw, those two would start
 * parameters or headers for a parser that reads the user part differently (`sip:a;maddr=evil@b`). Being
 * ASCII, this also refuses lookalike letters (`sip:аlice@…` with a Cyrillic а).
 */
const USER_CHARS = "A-Za-z0-9\\-_.!~*'()&=+$,/";
const USER_RAW = new RegExp(`^(?:[${USER_CHARS}]|%[0-9A-Fa-f]{2})+$`);
/**
 * An escape may spell only a character that could have been written raw: so an escaped `@ : ; ? " < >`,
 * space, `%` (double encoding) or non-ASCII byte is refused too — whoever decodes the URI before parsing
 * it (a gateway, a log viewer) must see the same user, host and parameters as we did.
 */
const USER_DECODED = new RegExp(`^[${USER_CHARS}]+$`);
const ALLOWED_PARAMETER = new RegExp(
	`^(?:transport=(?:${SIP_TRANSPORTS.join('|')})|user=phone)$`,
	'i',
);

const problem = (kind: SipProblem, parameter = ''): SipCheck => ({
	ok: false,
	problem: kind,
	parameter,
});

/** Checks a whole `sip:`/`sips:` URI against the rules above; the first rule broken is reported. */
export function parseSipUri(text: string): SipCheck {
	if (text.length > MAX_SIP_URI_LENGTH) return problem('length');
	if (hasControlCharacters(text)) return problem('control');
	// A `?` starts URI headers (`?Route=…`, `?Call-Info=…`) wherever it is; escaped, it becomes one for
	// whoever decodes first.
	if (/\?|%3f/i.test(text)) return problem('headers');
	const match = /^(sips?):([^@]+)@([^@;]+)((?:;[^@]*)?)$/i.exec(text);
	if (match === null) return problem('shape');
	const [, scheme = '', user = '', hostPort = '', parameterText = ''] = match;

	if (/%(?![0-9A-Fa-f]{2})/.test(user)) return problem('escape');
	if (!USER_RAW.test(user)) return problem('user');
	let decodedUser: string;
	try {
		decodedUser = decodeURIComponent(user);
	} catch {
		return problem('escape');
	}
	if (!USER_DECODED.test(decodedUser)) return problem('user');

	const split = splitHostPort(hostPort);
	if (split === null || !isHost(split.host)) return problem('host');
	let port: number | null = null;
	if (split.port !== null) {
		port = parsePort(split.port);
		if (port === null) return problem('port');
	}

	const seen = new Set<string>();
	for (const parameter of parameterText.split(';').slice(1)) {
		const name = parameter.split('=')[0] ?? '';
		// `sip:a@b;` or `;;`: an empty parameter is a malformed address, not a parameter to name.
		if (name === '') return problem('shape');
		if (!ALLOWED_PARAMETER.test(parameter)) return problem('parameter', name);
		// Two transports would leave the choice to whichever parser reads last.
		if (seen.has(name.toLowerCase())) return problem('repeated-parameter', name);
		seen.add(name.toLowerCase());
	}

	const lowerScheme = scheme.toLowerCase() === 'sips' ? 'sips' : 'sip';
	return {
		ok: true,
		sip: {
			scheme: lowerScheme,
			user,
			host: split.host,
			port,
			address: `${user}@${hostPort}`,
			uri: `${lowerScheme}:${text.slice(scheme.length + 1)}`,
		},
	};
}

function splitHostPort(hostPort: string): { host: string; port: string | null } | null {
	const bracketed = /^(\[[^\]]*\])(?::(.*))?$/s.exec(hostPort);
	if (bracketed !== null) return { host: bracketed[1] ?? '', port: bracketed[2] ?? null };
	if (hostPort.startsWith('[')) return null;
	const colon = hostPort.indexOf(':');
	return colon === -1
		? { host: hostPort, port: null }
		: { host: hostPort.slice(0, colon), port: hostPort.slice(colon + 1) };
}

/** 1–65535, in decimal, without a sign or leading zeros (so one port has one spelling). */
function parsePort(text: string): number | null {
	if (!/^[1-9][0-9]{0,4}$/.test(text)) return null;
	const port = Number(text);
	return port >= MIN_PORT && port <= MAX_PORT ? port : null;
}

/** A DNS name, a dotted IPv4 address, or an IPv6 address in brackets — in ASCII only. */
export function isHost(host: string): boolean {
	if (host.startsWith('[') && host.endsWith(']')) return isIpv6(host.slice(1, -1));
	// Digits and dots only: an IPv4 address or nothing (`999.1.1.1` is no host name either).
	if (/^[0-9.]+$/.test(host)) return isIpv4(host);
	return isDnsName(host);
}

/**
 * RFC 3261's hostname: dot-separated labels of ASCII letters, digits and inner hyphens (1–63 each, 253 in
 * all), the last one starting with a letter. No trailing dot, no underscore, no IDN in Unicode form.
 */
function isDnsName(host: string): boolean {
	if (host.length === 0 || host.length > 253) return false;
	const labels = host.split('.');
	const label = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
	return labels.every((l) => label.test(l)) && /^[A-Za-z]/.test(labels.at(-1) ?? '');
}

/** Four decimal octets 0–255 without leading zeros (some resolvers read `010` as octal). */
export function isIpv4(text: string): boolean {
	const octets = text.split('.');
	return (
		octets.length === 4 &&
		octets.every((o) => /^(?:0|[1-9][0-9]{0,2})$/.test(o) && Number(o) <= 255)
	);
}

/** RFC 4291 text form: eight groups of 1–4 hex digits, one `::` at most, an IPv4 tail allowed; no zone. */
export function isIpv6(text: string): boolean {
	if (text.length === 0 || text.length > 45) return false;
	let body = text;
	const lastColon = body.lastIndexOf(':');
	const tail = body.slice(lastColon + 1);
	if (tail.includes('.')) {
		if (lastColon === -1 || !isIpv4(tail)) return false;
		// An embedded IPv4 address counts as two groups.
		body = `${body.slice(0, lastColon + 1)}0:0`;
	}
	const group = /^[0-9A-Fa-f]{1,4}$/;
	const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
	const halves = body.split('::');
	if (halves.length > 2) return false;
	if (halves.length === 2) {
		const all = [...groups(halves[0] ?? ''), ...groups(halves[1] ?? '')];
		return all.length <= 7 && all.every((g) => group.test(g));
	}
	const all = groups(body);
	return all.length === 8 && all.every((g) => group.test(g));
}
