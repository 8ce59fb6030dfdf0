import { describe, expect, it } from 'vitest';
import {
	MAX_LINK_LENGTH,
	clipboardDestination,
	isCallLink,
	parseLink,
} from '../../../../main/desktop/links';

const dials = (url: string) => expect(parseLink(url)).toMatchObject({ ok: true });
const destination = (url: string): string | null => {
	const result = parseLink(url);
	return result.ok ? result.destination : null;
};
/** The refusal's sentence, or null when the link was accepted. */
const refusal = (url: string): string | null => {
	const result = parseLink(url);
	return result.ok ? null : result.reason;
};

describe('parseLink: tel:', () => {
	it.each([
		['tel:+13125550142', '+13125550142'],
		['TEL:+13125550142', '+13125550142'],
		['tel:%2B13125550142', '+13125550142'],
		['tel:%2b13125550142', '+13125550142'],
		['tel:+1-312-555-0142', '+13125550142'],
		['tel:+1.312.555.0142', '+13125550142'],
		['tel:+1(312)555-0142', '+13125550142'],
		['tel:+1%20(312)%20555-0142', '+13125550142'],
		['tel:+1 312 555 0142', '+13125550142'],
		['tel:%2B1-312-555-0199', '+13125550199'],
		['tel:5550142', '5550142'],
		['tel:*67', '*67'],
		['tel:#31#', '#31#'],
		['  tel:+13125550142  ', '+13125550142'],
	])('%s dials %s (separators dropped, + decoded)', (url, expected) => {
		expect(destination(url)).toBe(expected);
	});

	it.each([
		['tel:+13125550142;ext=12', '+13125550142;ext=12'],
		['tel:+1-312-555-0142;EXT=7', '+13125550142;ext=7'],
		['tel:%2B13125550142%3Bext%3D4401', '+13125550142;ext=4401'],
		['tel:+13125550142;phone-context=example.com;ext=99', '+13125550142;ext=99'],
	])('keeps the extension of %s (the dialer sends it as DTMF)', (url, expected) => {
		expect(destination(url)).toBe(expected);
	});

	it.each([
		'tel:+13125550142;phone-context=example.com',
		'tel:+13125550142;isub=1234',
		'tel:+13125550142;postd=pp22',
		'tel:+13125550142;x-custom=anything;another',
		'tel:+13125550142;ext=not-digits',
	])('ignores the other parameters of %s', (url) => {
		expect(destination(url)).toBe('+13125550142');
	});

	it.each([
		['an empty number', 'tel:'],
		['letters', 'tel:+1-800-FLOWERS'],
		['two numbers', 'tel:+13125550142,+13125550143'],
		['a plus in the middle', 'tel:1+3125550142'],
		['too few digits', 'tel:+1'],
		['more than 20 digits', `tel:+${'1'.repeat(21)}`],
		['a URL in place of the number', 'tel:https://evil.example/'],
		['markup', 'tel:<script>alert(1)</script>'],
		['a broken %-escape', 'tel:%E0%A4%A'],
	])('refuses %s', (_what, url) => {
		expect(parseLink(url)).toMatchObject({ ok: false });
		expect(refusal(url)?.length).toBeGreaterThan(10);
	});
});

describe('parseLink: callto:', () => {
	it.each([
		['callto:+13125550142', '+13125550142'],
		['callto://+13125550142', '+13125550142'],
		['CALLTO://%2B1-312-555-0142', '+13125550142'],
		['callto:+13125550142;ext=5', '+13125550142;ext=5'],
		['tel://+13125550142', '+13125550142'],
	])('treats %s as tel: (%s)', (url, expected) => {
		expect(destination(url)).toBe(expected);
	});

	it('refuses a Skype-style user name, which is no phone number', () => {
		expect(refusal('callto://echo123')).toBe('The link does not hold a phone number.');
	});
});

describe('parseLink: sip:', () => {
	it.each([
		['sip:alice@example.com', 'sip:alice@example.com'],
		['sips:alice@example.com', 'sips:alice@example.com'],
		['SIP:bob@sip.telnyx.com', 'sip:bob@sip.telnyx.com'],
		['sip:+13125550142@sip.telnyx.com;user=phone', 'sip:+13125550142@sip.telnyx.com;user=phone'],
		['sips:bob@10.0.0.1:5061;transport=tls', 'sips:bob@10.0.0.1:5061;transport=tls'],
	])('dials %s as %s', (url, expected) => {
		expect(destination(url)).toBe(expected);
	});

	it.each([
		['a raw ?', 'sip:bob@example.com?Call-Info=<http://evil>'],
		['a raw ? with no header after it', 'sip:bob@example.com?'],
		['a %3F-encoded ?', 'sip:bob@example.com%3FSubject=hi'],
		['a lower-case %3f', 'sip:bob@example.com%3fsubject=hi'],
		['a header on sips:', 'sips:bob@example.com?Route=%3Csip:evil@x%3E'],
	])('refuses headers: %s', (_what, url) => {
		expect(refusal(url)).toBe('SIP links with headers are not dialled.');
	});

	it.each([
		['no @', 'sip:alice'],
		['two @', 'sip:alice@evil@example.com'],
		['a %40 that makes two @', 'sip:alice%40evil@example.com'],
		// Only a literal @ separates user and host; the dialer refuses this too (it was accepted before D7).
		['a %40 as the only @', 'sip:alice%40example.com'],
		['an empty user', 'sip:@example.com'],
		['a space', 'sip:alice smith@example.com'],
		['an encoded space', 'sip:alice%20smith@example.com'],
	])('refuses an address with %s', (_what, url) => {
		expect(parseLink(url)).toMatchObject({ ok: false });
	});

	it('refuses a SIP address over 256 characters, scheme included (as the dialer does), accepts one of 256', () => {
		const host = '@example.com';
		const ok = `sip:${'a'.repeat(256 - 'sip:'.length - host.length)}${host}`;
		expect(ok).toHaveLength(256);
		expect(destination(ok)).toBe(ok);
		expect(refusal(`${ok.slice(0, -host.length)}a${host}`)).toBe('The SIP address is too long.');
		// Before D7 the bound left out the scheme: main passed 260 characters the dialer refuses.
		expect(refusal(`sip:${'a'.repeat(256 - host.length)}${host}`)).toBe(
			'The SIP address is too long.',
		);
	});
});

describe('parseLink: sip: links hold to the dial grammar (D7)', () => {
	it.each([
		['maddr', 'sip:alice@example.com;maddr=evil.example', 'parameter'],
		['lr', 'sip:alice@example.com;lr', 'parameter'],
		['method', 'sip:alice@example.com;method=REGISTER', 'parameter'],
		['another transport', 'sip:alice@example.com;transport=sctp', 'parameter'],
		['quotes in the user part', 'sip:"alice"@example.com', 'user'],
		['a Cyrillic а in the user part', 'sip:аlice@example.com', 'user'],
		['a Cyrillic е in the host', 'sip:alice@еxample.com', 'host'],
		['an underscore in the host', 'sip:alice@exa_mple.com', 'host'],
		['port 99999', 'sip:alice@example.com:99999', 'port'],
		['port 0', 'sip:alice@example.com:0', 'port'],
	])('refuses %s', (_what, url, kind) => {
		const reasons: Record<string, string> = {
			parameter: 'The link has a SIP parameter that is not allowed.',
			user: 'The SIP user in the link has characters that are not allowed.',
			host: 'The SIP host in the link is not valid.',
			port: 'The SIP port in the link is not between 1 and 65535.',
		};
		expect(refusal(url)).toBe(reasons[kind]);
	});

	it('never repeats the link in its reason (it goes to the log)', () => {
		expect(refusal('sip:alice@example.com;evil<b>=x')).toBe(
			'The link has a SIP parameter that is not allowed.',
		);
	});

	it('accepts ports 1 and 65535, an IPv6 host and both allowed parameters', () => {
		for (const url of [
			'sip:alice@example.com:1',
			'sip:alice@example.com:65535',
			'sips:alice@[2001:db8::7]:5061;transport=tls;user=phone',
		])
			expect(destination(url)).toBe(url);
	});
});

describe('parseLink: control characters', () => {
	const controls = [
		['NUL', '\u0000'],
		['a line feed', '\n'],
		['a carriage return', '\r'],
		['a tab', '\t'],
		['DEL', '\u007f'],
		['a C1 control', '\u0085'],
	] as const;
	/** Every character with the Unicode Bidi_Control property (RFC 9839 / Trojan Source). */
	const bidi = Array.from({ length: 0x3000 }, (_, i) => String.fromCharCode(i)).filter((c) =>
		/\p{Bidi_Control}/u.test(c),
	);
	const invisible = [
		['a zero-width space', '\u200b'],
		['a zero-width joiner', '\u200d'],
		['a byte-order mark', '\ufeff'],
		['a word joiner', '\u2060'],
	] as const;

	it('knows the 12 bidi controls', () => {
		expect(bidi.map((c) => c.charCodeAt(0).toString(16))).toStrictEqual([
			'61c',
			'200e',
			'200f',
			'202a',
			'202b',
			'202c',
			'202d',
			'202e',
			'2066',
			'2067',
			'2068',
			'2069',
		]);
	});

	it.each([
		...controls,
		...bidi.map((c) => [`bidi U+${c.charCodeAt(0).toString(16)}`, c] as const),
		...invisible,
	])('refuses %s, raw or percent-encoded, in tel: and sip: links', (_what, char) => {
		const encoded = encodeURIComponent(char);
		for (const url of [
			`tel:+1312555${char}0142`,
			`tel:+1312555${encoded}0142`,
			`sip:ali${encoded}ce@example.com`,
			`sip:alice@example.com${encoded}`,
			`sips:alice@exa${encoded}mple.com`,
		]) {
			expect(parseLink(url), JSON.stringify(url)).toMatchObject({ ok: false });
		}
	});

	it('says why for an encoded NUL or CR/LF (header injection)', () => {
		expect(refusal('tel:+13125550142%00')).toBe('The link contains control characters.');
		expect(refusal('sip:bob@example.com%0D%0AVia:%20evil')).toBe(
			'The link contains control characters.',
		);
		expect(refusal('sip:bob@example.com\u202Emoc.live')).toBe(
			'The link contains control characters.',
		);
	});
});

describe('parseLink: size and scheme', () => {
	it(`refuses a link over ${MAX_LINK_LENGTH} characters before looking at it`, () => {
		expect(MAX_LINK_LENGTH).toBe(512);
		const padded = (length: number) => `tel:+13125550142;x=${'a'.repeat(length - 19)}`;
		expect(padded(MAX_LINK_LENGTH)).toHaveLength(MAX_LINK_LENGTH);
		expect(destination(padded(MAX_LINK_LENGTH))).toBe('+13125550142');
		expect(refusal(padded(MAX_LINK_LENGTH + 1))).toBe('The link is too long.');
		expect(refusal(`tel:${'1'.repeat(600)}`)).toBe('The link is too long.');
		expect(refusal(`sip:a@${'%00'.repeat(10_000)}`)).toBe('The link is too long.');
	});

	it.each([
		'https://telnyx.com',
		'javascript:alert(1)',
		'file:///etc/passwd',
		'mailto:alice@example.com',
		'telnyx:+13125550142',
		'sms:+13125550142',
		'+13125550142',
		'',
	])('refuses %j: not a tel:, callto: or sip: link', (url) => {
		expect(refusal(url)).toBe('Not a tel:, callto: or sip: link.');
	});

	it('accepts each scheme it claims', () => {
		for (const url of [
			'tel:+13125550142',
			'callto:+13125550142',
			'sip:a@b.example',
			'sips:a@b.example',
		])
			dials(url);
	});
});

describe('isCallLink', () => {
	it.each([
		'tel:+13125550142',
		'TEL:123',
		'callto://+1',
		'Callto:1',
		'sip:a@b',
		'sips:a@b',
		'SIP:',
	])('recognises %s (a link among the command-line arguments)', (argument) => {
		expect(isCallLink(argument)).toBe(true);
	});

	it.each([
		'--hidden',
		'--profile=demo',
		'/usr/bin/telnyx-softphone',
		'https://telnyx.com',
		'telnyx:foo',
		'sipx:a@b',
		' tel:+1',
		'xtel:+1',
		'',
	])('does not take %j for a link', (argument) => {
		expect(isCallLink(argument)).toBe(false);
	});
});

describe('clipboardDestination', () => {
	it('offers a number on the clipboard as a tel: link would dial it, and nothing else', () => {
		expect(clipboardDestination(' +1 (312) 555-0142\n')).toBe('+13125550142');
		expect(clipboardDestination('call me maybe')).toBeNull();
		expect(clipboardDestination('')).toBeNull();
	});
});
