import { describe, expect, it } from 'vitest';
import {
	maskDigits,
	maskPhoneNumbers,
	redactForBundle,
} from '../../../../main/diagnostics/redaction';
import { API_KEY, JWT, PLAIN_SECRET } from './fixtures';

const hide = (text: string, secrets: readonly string[] = []) =>
	redactForBundle(text, { secrets, includeFullNumbers: false });
const keep = (text: string, secrets: readonly string[] = []) =>
	redactForBundle(text, { secrets, includeFullNumbers: true });

describe('redactForBundle: secrets', () => {
	it('removes the API key it is given, whatever its shape, and as JSON escapes it', () => {
		const quoted = 'pass"word\\with-quotes';
		const text = `key ${PLAIN_SECRET} and ${JSON.stringify({ key: quoted })}`;
		const out = hide(text, [PLAIN_SECRET, quoted]);
		expect(out).not.toContain(PLAIN_SECRET);
		expect(out).not.toContain('with-quotes');
		expect(out).toBe('key [redacted] and {"key":"[redacted]"}');
	});

	it('removes Telnyx-shaped API keys and JWTs (login tokens) it was not told about', () => {
		const out = hide(`{"apiKey":"x","note":"${API_KEY}","jwt":"${JWT}"} Authorization ${JWT}`);
		expect(out).not.toContain(API_KEY);
		for (const part of JWT.split('.')) expect(out).not.toContain(part);
	});

	it.each([
		['a JSON member', '{"password":"hunter2hunter2","user":"gencredabc"}'],
		['a JSON member with spaces and escapes', '{ "sip_password" : "hun\\"ter2hunter2" }'],
		['a camel-cased JSON member', '{"sipPassword":"hunter2hunter2"}'],
		['any case', '{"PASSWORD":"hunter2hunter2"}'],
		[
			'JSON inside a JSON string',
			JSON.stringify({ body: JSON.stringify({ password: 'hunter2hunter2' }) }),
		],
		[
			'JSON inside a JSON string, with quotes and backslashes in the value',
			JSON.stringify({ body: JSON.stringify({ password: 'hun"ter2\\hunter2' }) }),
		],
		['a query parameter', 'GET /x?user=gencredabc&password=hunter2hunter2&y=1'],
		['a form body', 'sip_password=hunter2hunter2'],
		['a token member that is no JWT', '{"token":"hunter2hunter2"}'],
		['a bearer header', 'Authorization: Bearer hunter2hunter2'],
	])('removes a password or token given as %s', (_form, text) => {
		const out = hide(text);
		expect(out).not.toMatch(/hunter2|ter2\\\\hunter/);
		expect(out).toContain('[redacted]');
		expect(out).not.toContain('gencredabc=');
	});

	it('keeps what is around a removed password, so the line still reads', () => {
		expect(hide('{"user":"gencredabc","password":"p4ss","n":1}')).toBe(
			'{"user":"gencredabc","password":"[redacted]","n":1}',
		);
		const nested = JSON.stringify({ body: JSON.stringify({ password: 'p"4\\ss', user: 'u' }) });
		expect(JSON.parse(JSON.parse(hide(nested)).body)).toStrictEqual({
			password: '[redacted]',
			user: 'u',
		});
	});

	it('removes secrets even when phone numbers are kept whole', () => {
		const out = keep(`{"password":"hunter2hunter2"} ${API_KEY} ${JWT} ${PLAIN_SECRET}`, [
			PLAIN_SECRET,
		]);
		expect(out).not.toMatch(/hunter2|KEY0123|eyJ|horse/);
	});
});

describe('redactForBundle: phone numbers', () => {
	it.each([
		['E.164', '+13125550142', '+*******0142'],
		['E.164 in JSON', '{"number":"+13125550142"}', '{"number":"+*******0142"}'],
		['with spaces', '+1 312 555 0142', '+* *** *** 0142'],
		['with brackets and a dash', '+1 (312) 555-0142', '+* (***) ***-0142'],
		['with dots', '+44.20.7946.0958', '+**.**.****.0958'],
		['with dashes', '+1-312-555-0142', '+*-***-***-0142'],
		['with a no-break space', '+44\u00a020\u00a07946\u00a00958', '+**\u00a0**\u00a0****\u00a00958'],
		['without its +', 'from 13125550142 to', 'from *******0142 to'],
		['national, 10 digits', 'called 3125550142.', 'called ******0142.'],
		['in a sip: URI', 'sip:13125550142@sip.telnyx.com', 'sip:*******0142@sip.telnyx.com'],
		[
			'in a sip: URI with +',
			'<sip:+13125550142@sip.telnyx.com>',
			'<sip:+*******0142@sip.telnyx.com>',
		],
		['in a tel: URI with separators', 'tel:312-555-0142;ext=12', 'tel:***-***-0142;ext=12'],
		['URL-encoded +', 'to=%2B13125550142&x=1', 'to=%2B*******0142&x=1'],
		['North American, brackets', 'Call (312) 555-0142 now', 'Call (***) ***-0142 now'],
		['North American, dashes', '312-555-0142', '***-***-0142'],
		['North American, dots', '312.555.0142', '***.***.0142'],
		['North American, spaces', 'at 312 555 0142', 'at *** *** 0142'],
	])('keeps only the last four digits of a number %s', (_form, text, expected) => {
		expect(hide(text)).toBe(expected);
	});

	it('keeps numbers whole when asked to', () => {
		const text =
			'{"number":"+13125550142","remote":"sip:13125550142@sip.telnyx.com"} (312) 555-0142';
		expect(keep(text)).toBe(text);
	});

	it.each([
		['an ISO time', '2026-12-07T18:30:00.123+01:00'],
		['a UUID, even one with a digits-only group', '12345678-1234-4234-8234-123456789012'],
		['a Telnyx resource id (19 digits)', '{"connectionId":"1684641123236054244"}'],
		['a version', 'Chromium 140.0.7339.133, Electron 45.6.1'],
		['an IP address and port', '192.168.100.200:5060'],
		['a decimal', '{"mos":4.123456789012}'],
		['a SIP code and a duration', '{"sipCode":486,"durationSeconds":3600}'],
		['a short code and an extension', 'sip:911@sip.telnyx.com tel:1234;ext=12'],
		['a SIP user name with digits', 'sip:gencred1234567890abc@sip.telnyx.com'],
		['a file name with a date', 'telnyx-softphone-support-2026-12-07T18-30.zip'],
		['a base64 id', 'v3:u5OAKGEPT3Dx8SZSSDRWEMdNH2OripQhO31234567890'],
	])('leaves %s alone', (_what, text) => {
		expect(hide(text)).toBe(text);
	});

	it('masks every number in a line, and a masked number stays masked when redacted again', () => {
		const once = hide('+13125550142 called 442079460958 via sip:+442079460958@x');
		expect(once).toBe('+*******0142 called ********0958 via sip:+********0958@x');
		expect(hide(once)).toBe(once);
	});
});

describe('maskDigits and maskPhoneNumbers', () => {
	it('hides every digit but the last four, keeping separators', () => {
		expect(maskDigits('+1 (312) 555-0142')).toBe('+* (***) ***-0142');
		expect(maskDigits('0142')).toBe('0142');
	});

	it('is the number step alone (no secrets removed)', () => {
		expect(maskPhoneNumbers('password=x +13125550142')).toBe('password=x +*******0142');
	});
});
