import { describe, expect, it } from 'vitest';
import { TELNYX_PRODUCTION } from '../../../main/endpoints';
import { KEYCHAIN_SERVICE, resolveProfile } from '../../../main/profile';

const electron = ['/opt/Telnyx Softphone/telnyx-softphone', '.'];

describe('resolveProfile', () => {
	it('is production by default, with Telnyx production endpoints', () => {
		expect(resolveProfile(electron)).toStrictEqual({
			profile: 'production',
			userDataSuffix: '',
			keychainService: 'telnyx-softphone',
			endpoints: TELNYX_PRODUCTION,
		});
		expect(KEYCHAIN_SERVICE).toBe('telnyx-softphone');
	});

	it('gives the dev profile its own folder suffix and keychain service', () => {
		expect(resolveProfile([...electron, '--profile=dev'])).toStrictEqual({
			profile: 'dev',
			userDataSuffix: ' (dev)',
			keychainService: 'telnyx-softphone-dev',
			endpoints: TELNYX_PRODUCTION,
		});
	});

	it('points the demo profile at the local sandbox by default', () => {
		expect(resolveProfile([...electron, '--profile=demo'])).toStrictEqual({
			profile: 'demo',
			userDataSuffix: ' (demo)',
			keychainService: 'telnyx-softphone-demo',
			endpoints: {
				restBaseUrl: 'http://127.0.0.1:14000/v2',
				signallingUrl: 'ws://127.0.0.1:14001',
			},
		});
	});

	it('takes loopback sandbox endpoints from the demo command line', () => {
		const config = resolveProfile([
			...electron,
			'--sandbox-rest=http://127.0.0.1:25000/v2',
			'--profile=demo',
			'--sandbox-signalling=ws://localhost:25001',
		]);
		expect(config.endpoints).toStrictEqual({
			restBaseUrl: 'http://127.0.0.1:25000/v2',
			signallingUrl: 'ws://localhost:25001',
		});
	});

	it.each([
		[['--sandbox-rest=https://api.telnyx.com/v2'], 'A sandbox must run on this computer'],
		[['--sandbox-signalling=wss://rtc.telnyx.com'], 'A sandbox must run on this computer'],
		[['--sandbox-rest=http://10.0.0.5:14000/v2'], 'The REST API URL must start with https://'],
		[['--sandbox-signalling=ws://evil.example:14001'], 'The signalling URL must start with wss://'],
		[
			['--sandbox-rest=http://user:pw@127.0.0.1:14000/v2'],
			'must not contain a user name or password',
		],
		[['--sandbox-rest=not a url'], 'The REST API URL is not a valid URL.'],
	])('refuses demo endpoints %j', (args, message) => {
		expect(() => resolveProfile([...electron, '--profile=demo', ...args])).toThrow(message);
	});

	it('ignores sandbox endpoints in the production profile (a production install cannot be redirected)', () => {
		const args = [
			'--sandbox-rest=http://127.0.0.1:14000/v2',
			'--sandbox-signalling=ws://127.0.0.1:14001',
		];
		expect(resolveProfile([...electron, ...args]).endpoints).toStrictEqual(TELNYX_PRODUCTION);
		const hostile = [
			'--sandbox-rest=https://evil.example/v2',
			'--sandbox-signalling=wss://evil.example',
		];
		expect(resolveProfile([...electron, ...hostile]).endpoints).toStrictEqual(TELNYX_PRODUCTION);
	});

	it('lets the dev profile use a sandbox on this computer, and nothing else', () => {
		const args = [
			'--profile=dev',
			'--sandbox-rest=http://127.0.0.1:14000/v2/',
			'--sandbox-signalling=ws://[::1]:14001',
		];
		expect(resolveProfile([...electron, ...args]).endpoints).toStrictEqual({
			restBaseUrl: 'http://127.0.0.1:14000/v2',
			signallingUrl: 'ws://[::1]:14001',
		});
		expect(() =>
			resolveProfile([...electron, '--profile=dev', '--sandbox-rest=https://evil.example/v2']),
		).toThrow('A sandbox must run on this computer');
		expect(() =>
			resolveProfile([...electron, '--profile=dev', '--sandbox-signalling=ws://10.0.0.5:14001']),
		).toThrow('The signalling URL must start with wss://');
	});

	it('takes a sandbox’s STUN/TURN servers from the dev and demo command lines, on this computer only', () => {
		const servers = [
			{ urls: 'stun:127.0.0.1:3478' },
			{ urls: 'turn:127.0.0.1:3478?transport=udp', username: 'u', credential: 'p' },
		];
		const ice = `--sandbox-ice-servers=${JSON.stringify(servers)}`;
		for (const profile of ['dev', 'demo'])
			expect(resolveProfile([...electron, `--profile=${profile}`, ice]).endpoints).toStrictEqual({
				restBaseUrl: 'http://127.0.0.1:14000/v2',
				signallingUrl: 'ws://127.0.0.1:14001',
				iceServers: servers,
			});
		expect(resolveProfile([...electron, ice]).endpoints).toStrictEqual(TELNYX_PRODUCTION);
		const remote = `--sandbox-ice-servers=${JSON.stringify([{ urls: 'stun:stun.example.com' }])}`;
		expect(() => resolveProfile([...electron, '--profile=demo', remote])).toThrow(
			'must run on this computer',
		);
		expect(() =>
			resolveProfile([...electron, '--profile=demo', '--sandbox-ice-servers=stun:127.0.0.1']),
		).toThrow('must be a JSON list');
		expect(() =>
			resolveProfile([
				...electron,
				'--profile=demo',
				'--sandbox-ice-servers=[{"urls":"turn:127.0.0.1"}]',
			]),
		).toThrow('needs a username');
	});

	it.each([
		['--profile'],
		['--profile=DEMO'],
		['--profile=demo2'],
		['--profile='],
		['profile=demo'],
		['-profile=demo'],
	])('treats %j as production', (...args) => {
		expect(resolveProfile([...electron, ...args]).profile).toBe('production');
	});

	it('gives every profile a distinct folder suffix and keychain service', () => {
		const configs = ['production', 'dev', 'demo'].map((p) =>
			resolveProfile([...electron, `--profile=${p}`]),
		);
		expect(new Set(configs.map((c) => c.keychainService)).size).toBe(3);
		expect(new Set(configs.map((c) => c.userDataSuffix)).size).toBe(3);
	});
});
