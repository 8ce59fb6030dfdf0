/**
 * The one dial grammar main (links) and the renderer (the dialer) both check with. The shared case table is
 * in dial-cases.ts; dial-agreement.test.ts runs it through both parsers.
 */
import { describe, expect, it } from 'vitest';
import {
	MAX_DIAL_LENGTH,
	MAX_DTMF_LENGTH,
	MAX_EXTENSION_DIGITS,
	MAX_LINK_LENGTH,
	MAX_PORT,
	MAX_SIP_URI_LENGTH,
	MIN_PORT,
	hasControlCharacters,
	isExtension,
	isHost,
	isIpv4,
	isIpv6,
	isTelNumber,
	isWrittenPhoneNumber,
	normaliseDtmf,
	parseSipUri,
	stripPhoneSeparators,
	telExtension,
	type SipProblem,
} from '../../../preload/dial-grammar';
import { SIP_CASES } from './dial-cases';

function problemOf(uri: string): SipProblem | null {
	const check = parseSipUri(uri);
	return check.ok ? null : check.problem;
}

describe('parseSipUri: the shared cases', () => {
	it.each(SIP_CASES.filter((c) => 'dials' in c).map((c) => [c.why, c.uri, c.dials]))(
		'accepts %s: %j → %j',
		(_why, uri, dials) => {
			const check = parseSipUri(uri);
			expect(check).toMatchObject({ ok: true, sip: { uri: dials } });
			// What is dialled passes again unchanged, so the renderer re-checking main's output agrees.
			expect(parseSipUri(dials)).toStrictEqual(check);
		},
	);

	it.each(SIP_CASES.filter((c) => 'refused' in c).map((c) => [c.why, c.uri, c.refused]))(
		'refuses %s: %j (%s)',
		(_why, uri, refused) => {
			expect(problemOf(uri)).toBe(refused);
		},
	);

	it('covers every kind of refusal', () => {
		const seen = new Set(SIP_CASES.flatMap((c) => ('refused' in c ? [c.refused] : [])));
		const all: SipProblem[] = [
			'length',
			'control',
			'headers',
			'shape',
			'escape',
			'user',
			'host',
			'port',
			'parameter',
			'repeated-parameter',
		];
		expect([...seen].sort()).toStrictEqual(all.sort());
	});
});

describe('parseSipUri: parts', () => {
	it('splits an accepted URI into scheme, user, host and port', () => {
		expect(parseSipUri('SIPS:Bob@[::1]:5061;transport=tls')).toStrictEqual({
			ok: true,
			sip: {
				scheme: 'sips',
				user: 'Bob',
				host: '[::1]',
				port: 5061,
				address: 'Bob@[::1]:5061',
				uri: 'sips:Bob@[::1]:5061;transport=tls',
			},
		});
		expect(parseSipUri('sip:a@b')).toMatchObject({ ok: true, sip: { port: null, host: 'b' } });
	});

	it('names the parameter it refuses, as written', () => {
		expect(parseSipUri('sip:a@b;MAddr=x')).toMatchObject({
			ok: false,
			problem: 'parameter',
			parameter: 'MAddr',
		});
		expect(parseSipUri('sip:a@b;user=phone;USER=phone')).toMatchObject({
			problem: 'repeated-parameter',
			parameter: 'USER',
		});
	});

	it(`takes ports ${MIN_PORT}–${MAX_PORT} only, in one spelling`, () => {
		const port = (p: string) => parseSipUri(`sip:a@example.com:${p}`);
		for (const p of ['1', '9', '10', '5060', '65534', '65535'])
			expect(port(p), p).toMatchObject({ ok: true, sip: { port: Number(p) } });
		for (const p of [
			'0',
			'00',
			'01',
			'65536',
			'99999',
			'100000',
			'-1',
			'+5060',
			'5060 ',
			'x',
			'1e3',
		])
			expect(port(p), p).toMatchObject({ ok: false, problem: 'port' });
	});

	it('bounds the whole URI, scheme included', () => {
		expect(MAX_SIP_URI_LENGTH).toBe(256);
		const uri = (length: number) => `sip:${'a'.repeat(length - 'sip:@b'.length)}@b`;
		expect(parseSipUri(uri(MAX_SIP_URI_LENGTH)).ok).toBe(true);
		expect(problemOf(uri(MAX_SIP_URI_LENGTH + 1))).toBe('length');
		expect(problemOf(`sip:a@b${'%00'.repeat(10_000)}`)).toBe('length');
	});
});

describe('hosts: ASCII DNS names, IPv4, bracketed IPv6', () => {
	it.each([
		'example.com',
		'EXAMPLE.COM',
		'b',
		'sip.telnyx.com',
		'a-b.c-d.example',
		'xn--80ak6aa92e.com',
		`${'a'.repeat(63)}.com`,
		`${`${'a'.repeat(63)}.`.repeat(3)}${'a'.repeat(61)}`, // 253 characters, the most DNS allows
		'0.0.0.0',
		'255.255.255.255',
		'[::]',
		'[::1]',
		'[1::]',
		'[2001:db8:0:0:0:0:2:1]',
		'[2001:DB8::2:1]',
		'[::ffff:192.0.2.1]',
		'[64:ff9b::192.0.2.33]',
	])('accepts %j', (host) => {
		expect(isHost(host)).toBe(true);
	});

	it.each([
		'',
		'ехample.com', // Cyrillic
		'exаmple.com', // one Cyrillic а
		'ｅxample.com', // full-width e
		'exämple.com',
		'exa_mple.com',
		'-example.com',
		'example-.com',
		'example.com.',
		'.example.com',
		'a..b',
		`${'a'.repeat(64)}.com`,
		`${`${'a'.repeat(63)}.`.repeat(3)}${'a'.repeat(62)}`, // 254 characters
		'example.123',
		'123',
		'256.0.0.1',
		'1.2.3',
		'1.2.3.4.5',
		'01.2.3.4',
		'1.2.3.-4',
		'[evil]',
		'[]',
		'[1:2:3:4:5:6:7:8:9]',
		'[1:2:3:4:5:6:7]',
		'[1::2::3]',
		'[:::]',
		'[12345::]',
		'[::g]',
		'[fe80::1%25eth0]',
		'[fe80::1%eth0]',
		'[::1.2.3]',
		'[::256.0.0.1]',
		'[1.2.3.4]',
		'[::1',
		'::1',
		'ex ample.com',
		'example.com:5060',
	])('refuses %j', (host) => {
		expect(isHost(host)).toBe(false);
	});

	it('checks IPv4 and IPv6 on their own too', () => {
		expect(isIpv4('192.0.2.1')).toBe(true);
		expect(isIpv4('192.0.2.01')).toBe(false);
		expect(isIpv6('1:2:3:4:5:6:7:8')).toBe(true);
		expect(isIpv6('1:2:3:4:5:6:1.2.3.4')).toBe(true);
		expect(isIpv6('1:2:3:4:5:6:7:1.2.3.4')).toBe(false);
		expect(isIpv6(`${'1:'.repeat(30)}1`)).toBe(false);
	});
});

describe('control and format characters', () => {
	it.each([
		['NUL', '\u0000'],
		['a line feed', '\n'],
		['DEL', '\u007f'],
		['a C1 control', '\u0085'],
		['an Arabic letter mark', '\u061c'],
		['a left-to-right mark', '\u200e'],
		['a right-to-left override', '\u202e'],
		['a first-strong isolate', '\u2068'],
		['a zero-width space', '\u200b'],
		['a zero-width joiner', '\u200d'],
		['a word joiner', '\u2060'],
		['a byte-order mark', '\ufeff'],
		['a soft hyphen', '\u00ad'],
	])('finds %s', (_what, char) => {
		expect(hasControlCharacters(`ab${char}cd`)).toBe(true);
	});

	it('finds every bidi control', () => {
		const bidi = Array.from({ length: 0x3000 }, (_, i) => String.fromCharCode(i)).filter((c) =>
			/\p{Bidi_Control}/u.test(c),
		);
		expect(bidi).toHaveLength(12);
		for (const c of bidi) expect(hasControlCharacters(c), c.charCodeAt(0).toString(16)).toBe(true);
	});

	it.each(['alice', 'é', 'а', '漢', '🙂', ' ', '\u00a0'])('lets %j through (visible)', (text) => {
		expect(hasControlCharacters(text)).toBe(false);
	});
});

describe('phone numbers, extensions, DTMF', () => {
	it('drops spaces of any kind and - . ( ), nothing else', () => {
		expect(stripPhoneSeparators('+1 (312) 555-0142')).toBe('+13125550142');
		expect(stripPhoneSeparators('+1\u00a0312\u2009555.0142')).toBe('+13125550142');
		expect(stripPhoneSeparators('+1/312')).toBe('+1/312');
		expect(isWrittenPhoneNumber('+1 (312) 555-0142')).toBe(true);
		expect(isWrittenPhoneNumber('1+312')).toBe(false);
		expect(isWrittenPhoneNumber('+1 800 FLOWERS')).toBe(false);
		expect(isWrittenPhoneNumber('+1\u2028312')).toBe(false);
	});

	it('takes tel: numbers of 3 to 20 digits, * and #, with one leading +', () => {
		for (const ok of ['123', '*67', '#31#', '+13125550142', `+${'1'.repeat(20)}`])
			expect(isTelNumber(ok), ok).toBe(true);
		for (const bad of ['12', '+1', `${'1'.repeat(21)}`, '1+2345', '++1234', '１２３', ''])
			expect(isTelNumber(bad), bad).toBe(false);
	});

	it(`takes extensions of 1 to ${MAX_EXTENSION_DIGITS} ASCII digits`, () => {
		expect(isExtension('1')).toBe(true);
		expect(isExtension('1'.repeat(MAX_EXTENSION_DIGITS))).toBe(true);
		expect(isExtension('1'.repeat(MAX_EXTENSION_DIGITS + 1))).toBe(false);
		expect(isExtension('')).toBe(false);
		expect(isExtension('１')).toBe(false);
		expect(telExtension('ext=12')).toBe('12');
		expect(telExtension('EXT=7')).toBe('7');
		expect(telExtension('ext=1a')).toBeNull();
		expect(telExtension('phone-context=example.com')).toBeNull();
	});

	it(`normalises DTMF: 0-9 * # A-D, 1 to ${MAX_DTMF_LENGTH} of them`, () => {
		expect(normaliseDtmf('12ab*#')).toBe('12AB*#');
		expect(normaliseDtmf('1'.repeat(MAX_DTMF_LENGTH))).toBe('1'.repeat(MAX_DTMF_LENGTH));
		expect(normaliseDtmf('1'.repeat(MAX_DTMF_LENGTH + 1))).toBeNull();
		expect(normaliseDtmf('')).toBeNull();
		expect(normaliseDtmf('e')).toBeNull();
	});
});

describe('limits', () => {
	it('fit inside each other: a SIP URI the grammar accepts fits the dialer and a link', () => {
		expect(MAX_SIP_URI_LENGTH).toBeLessThanOrEqual(MAX_DIAL_LENGTH);
		expect(MAX_SIP_URI_LENGTH).toBeLessThanOrEqual(MAX_LINK_LENGTH);
		expect([MIN_PORT, MAX_PORT]).toStrictEqual([1, 65_535]);
	});
});
