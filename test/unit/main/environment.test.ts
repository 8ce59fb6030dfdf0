import { describe, expect, it } from 'vitest';
import { TLS_WEAKENING_ENVIRONMENT, hardenEnvironment } from '../../../main/environment';
import { TELNYX_ENVIRONMENT } from '../../../main/telnyx/telnyx-client';

/** What a hostile or careless launcher might put in the app's environment. */
const HOSTILE: NodeJS.ProcessEnv = {
	NODE_TLS_REJECT_UNAUTHORIZED: '0',
	SSLKEYLOGFILE: '/tmp/keys.log',
	TELNYX_BASE_URL: 'https://evil.example/v2',
	TELNYX_CUSTOM_HEADERS: 'Authorization: Bearer KEYEVIL',
};

/** What the app must leave alone: ordinary variables and the ones that only add trust or route. */
const KEPT: NodeJS.ProcessEnv = {
	PATH: '/usr/bin',
	HOME: '/home/alice',
	NODE_EXTRA_CA_CERTS: '/etc/corp/proxy-ca.pem',
	HTTPS_PROXY: 'http://proxy.corp:3128',
	NO_PROXY: 'localhost',
	TELNYX_OTHER: 'not read by the library',
	node_tls_reject_unauthorized: 'another name on case-sensitive systems',
};

describe('hardenEnvironment', () => {
	it('removes the TLS-weakening and Telnyx variables and keeps everything else', () => {
		const env = { ...KEPT, ...HOSTILE };
		hardenEnvironment(env);
		expect(env).toStrictEqual(KEPT);
	});

	it('returns the names it removed (for a log line), never a value', () => {
		const env = { ...KEPT, ...HOSTILE };
		const removed = hardenEnvironment(env);
		expect(removed.sort()).toStrictEqual(Object.keys(HOSTILE).sort());
		const line = JSON.stringify(removed);
		for (const value of Object.values(HOSTILE)) expect(line).not.toContain(value);
	});

	it('removes NODE_TLS_REJECT_UNAUTHORIZED whatever its value', () => {
		for (const value of ['0', '1', '', 'false']) {
			const env: NodeJS.ProcessEnv = { NODE_TLS_REJECT_UNAUTHORIZED: value };
			expect(hardenEnvironment(env)).toStrictEqual(['NODE_TLS_REJECT_UNAUTHORIZED']);
			expect(env).toStrictEqual({});
		}
	});

	it('covers every Telnyx variable and exactly the two TLS ones', () => {
		expect([...TLS_WEAKENING_ENVIRONMENT].sort()).toStrictEqual([
			'NODE_TLS_REJECT_UNAUTHORIZED',
			'SSLKEYLOGFILE',
		]);
		const env: NodeJS.ProcessEnv = {};
		for (const name of [...TELNYX_ENVIRONMENT, ...TLS_WEAKENING_ENVIRONMENT]) env[name] = 'x';
		expect(hardenEnvironment(env).sort()).toStrictEqual(
			[...TELNYX_ENVIRONMENT, ...TLS_WEAKENING_ENVIRONMENT].sort(),
		);
		expect(env).toStrictEqual({});
	});

	it('is harmless on a clean environment and when run twice', () => {
		const env = { ...KEPT };
		expect(hardenEnvironment(env)).toStrictEqual([]);
		expect(hardenEnvironment(env)).toStrictEqual([]);
		expect(env).toStrictEqual(KEPT);
	});

	it('unsets the real process environment (what Node reads on each TLS connection)', () => {
		const saved = { ...process.env };
		process.env['SSLKEYLOGFILE'] = '/tmp/unit-test-keys.log';
		try {
			expect(hardenEnvironment(process.env)).toContain('SSLKEYLOGFILE');
			expect('SSLKEYLOGFILE' in process.env).toBe(false);
		} finally {
			// Whatever else it removed from this worker goes back, as it was.
			for (const [name, value] of Object.entries(saved)) process.env[name] = value;
			if (saved['SSLKEYLOGFILE'] === undefined) delete process.env['SSLKEYLOGFILE'];
		}
	});
});
