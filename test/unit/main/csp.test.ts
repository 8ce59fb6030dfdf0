import { describe, expect, it } from 'vitest';
import { buildCsp, signallingSources } from '../../../main/csp';
import { TELNYX_PRODUCTION } from '../../../main/endpoints';

/** The policy as directive → sources, failing on a repeated directive (browsers ignore all but the first). */
function parse(csp: string): Map<string, string[]> {
	const directives = new Map<string, string[]>();
	for (const part of csp.split(';')) {
		const [name, ...sources] = part.trim().split(/\s+/);
		if (name === undefined || name === '') throw new Error(`empty directive in ${csp}`);
		if (directives.has(name)) throw new Error(`directive ${name} repeated`);
		directives.set(name, sources);
	}
	return directives;
}

const production = buildCsp({ signallingUrl: TELNYX_PRODUCTION.signallingUrl });
const sandbox = buildCsp({ signallingUrl: 'ws://127.0.0.1:14001' });

describe('buildCsp (E7)', () => {
	it('has exactly the expected directives and sources for production', () => {
		expect(Object.fromEntries(parse(production))).toStrictEqual({
			'default-src': ["'none'"],
			'script-src': ["'self'"],
			'style-src': ["'self'"],
			'img-src': ["'self'", 'data:'],
			'font-src': ["'self'"],
			'media-src': ["'self'"],
			'connect-src': ["'self'", 'wss://rtc.telnyx.com', 'https://rtc.telnyx.com'],
			'base-uri': ["'none'"],
			'form-action': ["'none'"],
			'frame-ancestors': ["'none'"],
			'frame-src': ["'none'"],
			'object-src': ["'none'"],
			'worker-src': ["'none'"],
		});
	});

	it('lets the SDK reach the production signalling host over wss: and https: (E7a)', () => {
		const connect = parse(production).get('connect-src');
		expect(connect).toContain('wss://rtc.telnyx.com');
		expect(connect).toContain('https://rtc.telnyx.com');
	});

	it('lets the SDK reach the sandbox over ws: and http: on its port, and nothing else changes', () => {
		const policy = parse(sandbox);
		expect(policy.get('connect-src')).toStrictEqual([
			"'self'",
			'ws://127.0.0.1:14001',
			'http://127.0.0.1:14001',
		]);
		const withoutConnect = (p: Map<string, string[]>) =>
			[...p].filter(([name]) => name !== 'connect-src');
		expect(withoutConnect(policy)).toStrictEqual(withoutConnect(parse(production)));
	});

	it('never lets the page reach the REST API (only main holds the key)', () => {
		for (const csp of [production, sandbox]) {
			expect(csp).not.toContain('api.telnyx.com');
			expect(csp).not.toContain('14000');
		}
	});

	it.each([
		["'unsafe-inline'"],
		["'unsafe-eval'"],
		["'unsafe-hashes'"],
		["'wasm-unsafe-eval'"],
		['*'],
		['http:'],
		['https:'],
		['blob:'],
		['filesystem:'],
	])('never allows %s', (source) => {
		for (const csp of [production, sandbox]) {
			for (const sources of parse(csp).values()) expect(sources).not.toContain(source);
		}
	});

	it.each([
		'https://rtc.telnyx.com',
		'http://127.0.0.1:14001',
		'file:///x',
		'app://softphone/',
		'not a url',
		'',
	])('throws for a signalling URL that is not ws:/wss:: %j', (signallingUrl) => {
		expect(() => buildCsp({ signallingUrl })).toThrow();
	});
});

describe('signallingSources', () => {
	it('keeps only scheme and host, dropping path and query', () => {
		expect(signallingSources('wss://rtc.telnyx.com/some/path?x=1')).toStrictEqual([
			'wss://rtc.telnyx.com',
			'https://rtc.telnyx.com',
		]);
	});

	it('keeps a non-default port on both forms and drops the default one', () => {
		expect(signallingSources('wss://rtc.example.com:8443')).toStrictEqual([
			'wss://rtc.example.com:8443',
			'https://rtc.example.com:8443',
		]);
		expect(signallingSources('wss://rtc.telnyx.com:443')).toStrictEqual([
			'wss://rtc.telnyx.com',
			'https://rtc.telnyx.com',
		]);
	});

	it('names the wrong scheme in its error', () => {
		expect(() => signallingSources('https://rtc.telnyx.com')).toThrow(
			'Signalling URL must be ws: or wss:, got https:',
		);
	});
});

describe('buildCsp refuses a host that could add directives', () => {
	it('throws rather than emit `;` from a signalling host', () => {
		expect(() => buildCsp({ signallingUrl: 'wss://evil.example;script-src-elem' })).toThrow(
			/invalid host/,
		);
	});
});
