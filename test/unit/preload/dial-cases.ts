/**
 * One table of SIP URIs with the verdict the dial grammar must give, shared by the grammar's own tests and
 * by the test that runs main's link parser and the renderer's dial parser side by side. Cases marked D7 are
 * ones main's link parser accepted before both sides used one grammar.
 */
import type { SipProblem } from '../../../preload/dial-grammar';

export type SipCase =
	| { readonly uri: string; readonly why: string; readonly dials: string }
	| { readonly uri: string; readonly why: string; readonly refused: SipProblem };

const atBound = `sip:${'a'.repeat(256 - 'sip:@example.com'.length)}@example.com`;

export const SIP_CASES: readonly SipCase[] = [
	// ---- Accepted, dialled as written with the scheme lower-cased ----
	{ uri: 'sip:alice@example.com', why: 'a plain address', dials: 'sip:alice@example.com' },
	{ uri: 'sips:alice@example.com', why: 'sips:', dials: 'sips:alice@example.com' },
	{ uri: 'SIP:bob@sip.telnyx.com', why: 'an upper-case scheme', dials: 'sip:bob@sip.telnyx.com' },
	{ uri: 'Sips:Bob@Example.COM', why: 'case kept but the scheme', dials: 'sips:Bob@Example.COM' },
	{
		uri: 'sip:+13125550142@sip.telnyx.com;user=phone',
		why: 'a number with user=phone',
		dials: 'sip:+13125550142@sip.telnyx.com;user=phone',
	},
	{
		uri: 'sip:%2B13125550142@sip.telnyx.com',
		why: 'an escaped +',
		dials: 'sip:%2B13125550142@sip.telnyx.com',
	},
	{
		uri: "sip:a.b_c-d!~*'()&=+$,/@example.com",
		why: 'every RFC 3261 user character but ; and ?',
		dials: "sip:a.b_c-d!~*'()&=+$,/@example.com",
	},
	{ uri: 'sip:a@b', why: 'a one-label host', dials: 'sip:a@b' },
	{
		uri: 'sip:alice@xn--80ak6aa92e.com',
		why: 'an IDN host in its ASCII (punycode) form',
		dials: 'sip:alice@xn--80ak6aa92e.com',
	},
	{
		uri: 'sips:bob@10.0.0.1:5061;transport=tls',
		why: 'IPv4, a port and a transport',
		dials: 'sips:bob@10.0.0.1:5061;transport=tls',
	},
	{ uri: 'sips:a@[::1]:5061', why: 'bracketed IPv6 with a port', dials: 'sips:a@[::1]:5061' },
	{ uri: 'sip:a@[2001:db8::7]', why: 'compressed IPv6', dials: 'sip:a@[2001:db8::7]' },
	{
		uri: 'sip:a@[::ffff:192.0.2.1]:5060',
		why: 'IPv6 with an IPv4 tail',
		dials: 'sip:a@[::ffff:192.0.2.1]:5060',
	},
	{ uri: 'sip:a@example.com:1', why: 'the lowest port', dials: 'sip:a@example.com:1' },
	{ uri: 'sip:a@example.com:65535', why: 'the highest port', dials: 'sip:a@example.com:65535' },
	{
		uri: 'sip:alice@example.com;transport=wss',
		why: 'transport=wss',
		dials: 'sip:alice@example.com;transport=wss',
	},
	{
		uri: 'sip:alice@example.com;TRANSPORT=TCP;user=phone',
		why: 'both allowed parameters, any case',
		dials: 'sip:alice@example.com;TRANSPORT=TCP;user=phone',
	},
	{ uri: atBound, why: '256 characters, scheme included', dials: atBound },

	// ---- Refused: parameters that steer routing or the request (D7) ----
	{ uri: 'sip:alice@example.com;maddr=evil.example', why: 'D7: maddr', refused: 'parameter' },
	{ uri: 'sip:alice@example.com;lr', why: 'D7: lr', refused: 'parameter' },
	{ uri: 'sip:alice@example.com;method=REGISTER', why: 'D7: method', refused: 'parameter' },
	{
		uri: 'sip:alice@example.com;transport=sctp',
		why: 'D7: another transport',
		refused: 'parameter',
	},
	{ uri: 'sip:a@b;user=ip', why: 'D7: user= other than phone', refused: 'parameter' },
	{
		uri: 'sip:a@b;transport=udp;transport=tls',
		why: 'D7: a parameter given twice',
		refused: 'repeated-parameter',
	},
	{ uri: 'sip:a@b;', why: 'D7: an empty parameter', refused: 'shape' },

	// ---- Refused: the user part (D7) ----
	{ uri: 'sip:"alice"@example.com', why: 'D7: quotes in the user part', refused: 'user' },
	{ uri: 'sip:%22alice%22@example.com', why: 'D7: escaped quotes', refused: 'user' },
	{ uri: 'sip:аlice@example.com', why: 'D7: a Cyrillic а in the user part', refused: 'user' },
	{ uri: 'sip:%D0%B0lice@example.com', why: 'D7: an escaped Cyrillic а', refused: 'user' },
	{ uri: 'sip:alice:secret@example.com', why: 'D7: a password', refused: 'user' },
	{ uri: 'sip:a;maddr=evil@b', why: 'D7: a parameter in the user part', refused: 'user' },
	{ uri: 'sip:a%3Bmaddr=evil@b', why: 'D7: an escaped ; in the user part', refused: 'user' },
	{ uri: 'sip:a%2540b@example.com', why: 'D7: a double-encoded @', refused: 'user' },
	{ uri: 'sip:a<b>@example.com', why: 'D7: angle brackets', refused: 'user' },
	{ uri: 'sip:a#b@example.com', why: 'D7: a # (not a user character)', refused: 'user' },
	{ uri: 'sip:alice%40example.com', why: 'D7: an escaped @ as the only @', refused: 'shape' },
	{ uri: 'sip:alice%40evil@example.com', why: 'an escaped @ beside a real one', refused: 'user' },
	{ uri: 'sip:alice smith@example.com', why: 'a space', refused: 'user' },
	{ uri: 'sip:alice%20smith@example.com', why: 'an escaped space', refused: 'user' },

	// ---- Refused: the host (D7) ----
	{ uri: 'sip:alice@ехample.com', why: 'D7: Cyrillic е and х in the host', refused: 'host' },
	{ uri: 'sip:alice@exаmple.com', why: 'D7: one Cyrillic а in the host', refused: 'host' },
	{ uri: 'sip:alice@exa_mple.com', why: 'D7: an underscore in the host', refused: 'host' },
	{ uri: 'sip:alice@-example.com', why: 'D7: a leading hyphen', refused: 'host' },
	{ uri: 'sip:alice@example.com.', why: 'D7: a trailing dot', refused: 'host' },
	{ uri: 'sip:alice@a..b', why: 'D7: an empty label', refused: 'host' },
	{ uri: 'sip:alice@example.123', why: 'D7: a numeric top label', refused: 'host' },
	{ uri: 'sip:alice@256.0.0.1', why: 'D7: an IPv4 octet over 255', refused: 'host' },
	{ uri: 'sip:alice@010.0.0.1', why: 'D7: a leading zero (octal to some)', refused: 'host' },
	{ uri: 'sip:alice@1.2.3', why: 'D7: three octets', refused: 'host' },
	{ uri: 'sip:alice@[evil]', why: 'D7: brackets without IPv6', refused: 'host' },
	{ uri: 'sip:alice@[1:2:3:4:5:6:7:8:9]', why: 'D7: nine IPv6 groups', refused: 'host' },
	{ uri: 'sip:alice@[fe80::1%25eth0]', why: 'D7: an IPv6 zone', refused: 'host' },
	{ uri: 'sip:alice@%65xample.com', why: 'D7: an escape in the host', refused: 'host' },

	// ---- Refused: the port (D7) ----
	{ uri: 'sip:alice@example.com:99999', why: 'D7: port 99999', refused: 'port' },
	{ uri: 'sip:alice@example.com:65536', why: 'D7: port 65536', refused: 'port' },
	{ uri: 'sip:alice@example.com:0', why: 'D7: port 0', refused: 'port' },
	{ uri: 'sip:alice@example.com:05060', why: 'D7: a leading zero', refused: 'port' },
	{ uri: 'sip:alice@example.com:', why: 'D7: an empty port', refused: 'port' },
	{ uri: 'sip:alice@[::1]:123456', why: 'D7: six digits after IPv6', refused: 'port' },
	{ uri: 'sip:alice@example.com:5060:5061', why: 'D7: two ports', refused: 'port' },

	// ---- Refused: size ----
	{
		uri: `${atBound.slice(0, -'@example.com'.length)}a@example.com`,
		why: 'D7: 257 characters',
		refused: 'length',
	},

	// ---- Refused before D7 too (headers, shape, controls, escapes) ----
	{ uri: 'sip:bob@example.com?Call-Info=<http://evil>', why: 'a header', refused: 'headers' },
	{ uri: 'sip:bob@example.com?', why: 'an empty header part', refused: 'headers' },
	{ uri: 'sip:bob@example.com%3FSubject=hi', why: 'an escaped ?', refused: 'headers' },
	{ uri: 'sip:a%3fb@example.com', why: 'an escaped ? in the user part', refused: 'headers' },
	{ uri: 'sip:alice', why: 'no @', refused: 'shape' },
	{ uri: 'sip:@example.com', why: 'an empty user', refused: 'shape' },
	{ uri: 'sip:alice@', why: 'an empty host', refused: 'shape' },
	{ uri: 'sip:alice@evil@example.com', why: 'two @', refused: 'shape' },
	{ uri: 'sip:', why: 'nothing after the scheme', refused: 'shape' },
	{ uri: 'sip:%zz@example.com', why: 'a broken escape', refused: 'escape' },
	{ uri: 'sip:%0a@example.com', why: 'an escaped line feed', refused: 'user' },
	{ uri: 'sip:%E2%80%AE@example.com', why: 'an escaped right-to-left override', refused: 'user' },
	{ uri: 'sip:a\u0000b@example.com', why: 'a raw NUL', refused: 'control' },
	{ uri: 'sip:alice@exa\u202Emple.com', why: 'a raw right-to-left override', refused: 'control' },
];

/** `tel:`/`callto:` links: what main hands the dialer, and what the dialer then dials (null: refused). */
export const TEL_CASES: readonly {
	readonly link: string;
	readonly destination: string | null;
	readonly dials: { readonly number: string; readonly extension: string | null } | null;
}[] = [
	{
		link: 'tel:+1-312-555-0142',
		destination: '+13125550142',
		dials: { number: '+13125550142', extension: null },
	},
	{
		link: 'tel:%2B1-312-555-0142;ext=12',
		destination: '+13125550142;ext=12',
		dials: { number: '+13125550142', extension: '12' },
	},
	{
		link: 'callto://+44%2020%207183%208750',
		destination: '+442071838750',
		dials: { number: '+442071838750', extension: null },
	},
	{
		// Copied from a web page: no-break spaces between the groups.
		link: 'tel:+1\u00a0312\u00a0555\u00a00142',
		destination: '+13125550142',
		dials: { number: '+13125550142', extension: null },
	},
	{
		link: 'tel:+13125550142;ext=1234567890',
		destination: '+13125550142;ext=1234567890',
		dials: { number: '+13125550142', extension: '1234567890' },
	},
	// A service code: main passes it on, the dialer refuses it (not an E.164 number).
	{ link: 'tel:*67', destination: '*67', dials: null },
	{ link: 'tel:+1-800-FLOWERS', destination: null, dials: null },
	{ link: 'tel:+1312555%000142', destination: null, dials: null },
	{ link: 'tel:+1312555\u202e0142', destination: null, dials: null },
];
