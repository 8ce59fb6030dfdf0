import { describe, expect, it } from 'vitest';
import {
	TELNYX_PRODUCTION,
	checkRestBaseUrl,
	checkSignallingUrl,
	isLoopbackUrl,
	normaliseBaseUrl,
} from '../../../main/endpoints';

const REST_SCHEME =
	'The REST API URL must start with https:// (http:// is allowed only for this computer, 127.0.0.1).';
const REST_CREDENTIALS = 'The REST API URL must not contain a user name or password.';
const REST_QUERY = 'The REST API URL must not have a query or fragment.';
const REST_INVALID = 'The REST API URL is not a valid URL.';
const WS_SCHEME =
	'The signalling URL must start with wss:// (ws:// is allowed only for this computer, 127.0.0.1).';
const WS_CREDENTIALS = 'The signalling URL must not contain a user name or password.';
const WS_QUERY = 'The signalling URL must not have a query or fragment.';
const WS_INVALID = 'The signalling URL is not a valid URL.';

describe('checkRestBaseUrl', () => {
	it.each([
		'https://api.telnyx.com/v2',
		'https://api.telnyx.com/v2/',
		'https://api.example.com:8443/v2',
		'http://127.0.0.1:14000/v2',
		'http://localhost:14000/v2',
		'http://[::1]:14000/v2',
	])('accepts %s', (url) => {
		expect(checkRestBaseUrl(url)).toBeNull();
	});

	it.each([
		['http://api.telnyx.com/v2', REST_SCHEME],
		['http://10.0.0.5:14000/v2', REST_SCHEME],
		['http://127.0.0.2:14000/v2', REST_SCHEME],
		['http://127.0.0.1.evil.com/v2', REST_SCHEME],
		['http://localhost.evil.com/v2', REST_SCHEME],
		['wss://api.telnyx.com/v2', REST_SCHEME],
		['ftp://api.telnyx.com/v2', REST_SCHEME],
		['file:///v2', REST_SCHEME],
		['javascript:alert(1)', REST_SCHEME],
		['https://user:pass@api.telnyx.com/v2', REST_CREDENTIALS],
		['https://user@api.telnyx.com/v2', REST_CREDENTIALS],
		['https://:pass@api.telnyx.com/v2', REST_CREDENTIALS],
		['http://user@127.0.0.1:14000/v2', REST_CREDENTIALS],
		['https://api.telnyx.com/v2?key=1', REST_QUERY],
		['https://api.telnyx.com/v2#frag', REST_QUERY],
		['api.telnyx.com/v2', REST_INVALID],
		['', REST_INVALID],
		['https://', REST_INVALID],
	])('refuses %j with the specific sentence', (url, sentence) => {
		expect(checkRestBaseUrl(url)).toBe(sentence);
	});
});

describe('checkSignallingUrl', () => {
	it.each([
		'wss://rtc.telnyx.com',
		'wss://rtc.telnyx.com:443/',
		'ws://127.0.0.1:14001',
		'ws://localhost:14001',
	])('accepts %s', (url) => {
		expect(checkSignallingUrl(url)).toBeNull();
	});

	it.each([
		['ws://rtc.telnyx.com', WS_SCHEME],
		['https://rtc.telnyx.com', WS_SCHEME],
		['http://127.0.0.1:14001', WS_SCHEME],
		['wss://u:p@rtc.telnyx.com', WS_CREDENTIALS],
		['wss://rtc.telnyx.com/?token=x', WS_QUERY],
		['wss://rtc.telnyx.com/#x', WS_QUERY],
		['rtc.telnyx.com', WS_INVALID],
	])('refuses %j with the specific sentence', (url, sentence) => {
		expect(checkSignallingUrl(url)).toBe(sentence);
	});
});

describe('isLoopbackUrl', () => {
	it.each(['http://127.0.0.1:14000/v2', 'ws://localhost:1', 'http://[::1]/', 'https://127.0.0.1'])(
		'%s is loopback',
		(url) => {
			expect(isLoopbackUrl(url)).toBe(true);
		},
	);

	it.each([
		'https://api.telnyx.com',
		'http://127.0.0.1.evil.com/',
		'http://127.0.0.1@evil.com/',
		'http://evil.com/?127.0.0.1',
		'http://10.0.0.1/',
		'not a url',
		'',
	])('%j is not loopback', (url) => {
		expect(isLoopbackUrl(url)).toBe(false);
	});
});

describe('normaliseBaseUrl', () => {
	it.each([
		['https://api.telnyx.com/v2/', 'https://api.telnyx.com/v2'],
		['https://api.telnyx.com/v2///', 'https://api.telnyx.com/v2'],
		['https://api.telnyx.com/v2', 'https://api.telnyx.com/v2'],
		['https://api.telnyx.com//v2', 'https://api.telnyx.com//v2'],
	])('%s → %s', (input, output) => {
		expect(normaliseBaseUrl(input)).toBe(output);
	});
});

describe('TELNYX_PRODUCTION', () => {
	it('is Telnyx production and passes its own rules', () => {
		expect(TELNYX_PRODUCTION).toStrictEqual({
			restBaseUrl: 'https://api.telnyx.com/v2',
			signallingUrl: 'wss://rtc.telnyx.com',
		});
		expect(checkRestBaseUrl(TELNYX_PRODUCTION.restBaseUrl)).toBeNull();
		expect(checkSignallingUrl(TELNYX_PRODUCTION.signallingUrl)).toBeNull();
	});
});

describe('hosts that could smuggle CSP directives', () => {
	it('refuses a signalling host with a semicolon, which would add a directive to the CSP header', () => {
		expect(checkSignallingUrl('wss://evil.example;script-src-elem')).toBe(
			'The signalling URL has characters that are not allowed in a host name.',
		);
		expect(checkRestBaseUrl('https://api.example;x/v2')).toMatch(/not allowed in a host name/);
		expect(checkSignallingUrl('wss://rtc.telnyx.com')).toBeNull();
		expect(checkSignallingUrl('ws://[::1]:14001')).toBeNull();
	});
});
