import { describe, expect, it } from 'vitest';
import { ICE_LIMITS, checkIceServers, endpointsForSupport } from '../../../main/endpoints';

const turn = (urls: string | string[]) => ({ urls, username: 'user', credential: 'secret' });

describe('checkIceServers', () => {
	it.each([
		[[]],
		[[{ urls: 'stun:stun.telnyx.com:3478' }]],
		[[{ urls: 'stun:[2001:db8::1]:3478' }]],
		[[turn('turn:turn.telnyx.com:3478?transport=udp')]],
		[[turn(['turn:turn.telnyx.com:3478?transport=tcp', 'turns:turn2.telnyx.com:443'])]],
		[[{ urls: 'stun:127.0.0.1:3478' }, turn('turn:127.0.0.1:3478')]],
	])('accepts %j', (servers) => {
		expect(checkIceServers(servers)).toBeNull();
	});

	it.each([
		['not a list', { urls: 'stun:a.example' }, 'must be a list'],
		['a string server', ['stun:a.example'], 'must be an object'],
		['no urls', [{}], 'must have urls'],
		['empty urls', [{ urls: [] }], 'must have urls'],
		['a number for a URL', [{ urls: [3478] }], 'must have urls'],
		['https', [{ urls: 'https://a.example' }], 'stun:, turn: or turns:'],
		['stuns', [{ urls: 'stuns:a.example' }], 'stun:, turn: or turns:'],
		['a path', [turn('turn:a.example:3478/x')], 'not allowed in a host name'],
		['user information', [turn('turn:me@a.example')], 'not allowed in a host name'],
		['another query', [turn('turn:a.example?transport=sctp')], 'stun:, turn: or turns:'],
		['a CSP-breaking host', [{ urls: 'stun:a.example;script-src' }], 'not allowed in a host'],
		['transport on STUN', [{ urls: 'stun:a.example?transport=udp' }], 'takes no ?transport='],
		['port 0', [{ urls: 'stun:a.example:0' }], 'port out of range'],
		['port 70000', [{ urls: 'stun:a.example:70000' }], 'port out of range'],
		['TURN without credentials', [{ urls: 'turn:a.example' }], 'needs a username'],
		['an empty credential', [{ ...turn('turn:a.example'), credential: '' }], 'credential must be'],
		['a newline in a user name', [{ ...turn('turn:a.example'), username: 'a\nb' }], 'user name'],
		['an extra field', [{ urls: 'stun:a.example', credentialType: 'oauth' }], 'other than urls'],
		[
			'too many servers',
			Array.from({ length: ICE_LIMITS.servers + 1 }, () => ({ urls: 'stun:a.example' })),
			`At most ${ICE_LIMITS.servers}`,
		],
		[
			'too many URLs',
			[{ urls: Array.from({ length: ICE_LIMITS.urlsPerServer + 1 }, () => 'stun:a.example') }],
			`at most ${ICE_LIMITS.urlsPerServer} URLs`,
		],
		['a long URL', [{ urls: `stun:${'a'.repeat(ICE_LIMITS.urlLength)}` }], 'longer than'],
	])('refuses %s', (_what, servers, message) => {
		expect(checkIceServers(servers)).toContain(message);
	});

	it('keeps a sandbox’s servers on this computer when told to', () => {
		expect(checkIceServers([turn('turn:127.0.0.1:3478'), { urls: 'stun:[::1]' }], true)).toBeNull();
		expect(checkIceServers([{ urls: 'stun:stun.telnyx.com:3478' }], true)).toContain(
			'must run on this computer',
		);
	});
});

describe('endpointsForSupport', () => {
	it('withholds TURN user names and credentials and keeps the rest', () => {
		const endpoints = {
			restBaseUrl: 'http://127.0.0.1:1/v2',
			signallingUrl: 'ws://127.0.0.1:2',
			iceServers: [{ urls: 'stun:127.0.0.1' }, turn('turn:127.0.0.1:3478')],
		};
		const shown = endpointsForSupport(endpoints);
		expect(shown.iceServers).toEqual([
			{ urls: 'stun:127.0.0.1' },
			{ urls: 'turn:127.0.0.1:3478', username: '[withheld]', credential: '[withheld]' },
		]);
		expect(JSON.stringify(shown)).not.toContain('secret');
		expect(endpointsForSupport({ restBaseUrl: 'a', signallingUrl: 'b' })).toEqual({
			restBaseUrl: 'a',
			signallingUrl: 'b',
		});
	});
});
