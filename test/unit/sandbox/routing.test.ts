/**
 * The sandbox B2BUA's routing decisions without sockets: above all Telnyx's caller-ID rules for PSTN calls
 * (D35 for a blank, SIP-username or malformed number; D36 for a number that is not the caller's account's),
 * which apply to `+E.164` destinations only and can be switched off.
 */
import { describe, expect, it } from 'vitest';
import * as causes from '../../sandbox/signalling/causes';
import { decideRoute, parseDestination, type RouteInput } from '../../sandbox/signalling/routing';
import { SandboxStore, type CredentialRecord, type Owned } from '../../sandbox/store';

const NOW = '2026-01-01T00:00:00.000Z';
const PHONE = '+13125550199';

function world() {
	const store = new SandboxStore();
	const account = store.createAccount();
	const other = store.createAccount();
	store.addPhoneNumber(account.id, '+13125550142', 'US', NOW);
	store.addPhoneNumber(other.id, '+14155550123', 'US', NOW);
	store.profiles.set('ovp-1', {
		accountId: account.id,
		data: { id: 'ovp-1', enabled: true, whitelisted_destinations: ['US'] },
	});
	const connection = (id: string, accountId: string) =>
		store.connections.set(id, {
			accountId,
			data: {
				id,
				active: true,
				sip_uri_calling_preference: 'internal',
				outbound: { outbound_voice_profile_id: 'ovp-1' },
			},
		});
	connection('conn-1', account.id);
	const credential = (id: string, accountId: string, sipUsername: string) => {
		const record: Owned<CredentialRecord> = {
			accountId,
			data: {
				id,
				record_type: 'credential',
				name: id,
				expired: false,
				user_id: accountId,
				resource_id: 'connection:conn-1',
				sip_username: sipUsername,
				sip_password: 'secret',
				created_at: NOW,
				updated_at: NOW,
				expires_at: null,
			},
		};
		store.credentials.set(id, record);
		return record;
	};
	const alice = credential('cred-a', account.id, 'gencredAlice');
	credential('cred-b', account.id, 'gencredBob');
	const route = (destination: string, callerIdNumber: string, checkCallerId = true) => {
		const input: RouteInput = {
			store,
			caller: alice,
			destination: parseDestination(destination),
			phones: new Map([[PHONE, 'gencredBob']]),
			isRegistered: () => true,
			callerIdNumber,
			checkCallerId,
		};
		return decideRoute(input);
	};
	return { route };
}

describe('caller-ID rules for PSTN calls', () => {
	it.each([
		['blank', ''],
		['only spaces', '   '],
		['the caller’s SIP username', 'gencredAlice'],
		['not a phone number', '12'],
	])(
		'refuse a caller-ID number that is %s with D35 (CALL_REJECTED 21, SIP 403)',
		(_what, number) => {
			const decision = world().route(PHONE, number);
			expect(decision).toEqual({ ok: false, cause: causes.CALLER_ID_INVALID });
			expect(causes.CALLER_ID_INVALID).toEqual({
				cause: 'CALL_REJECTED',
				causeCode: 21,
				sipCode: 403,
				sipReason: 'Caller Origination Number is Invalid D35',
			});
		},
	);

	it.each([
		['another account’s number', '+14155550123'],
		['a number on no account', '+13125550111'],
	])('refuse %s with D36 (SIP 403)', (_what, number) => {
		const decision = world().route(PHONE, number);
		expect(decision).toEqual({ ok: false, cause: causes.CALLER_ID_NOT_OWNED });
		expect(causes.CALLER_ID_NOT_OWNED.sipCode).toBe(403);
		expect(causes.CALLER_ID_NOT_OWNED.sipReason).toMatch(/ D36$/);
	});

	it.each([
		['in E.164', '+13125550142'],
		['in US national format', '(312) 555-0142'],
	])('let one of the caller’s account’s numbers through, written %s', (_what, number) => {
		expect(world().route(PHONE, number)).toEqual({
			ok: true,
			calleeSipUsername: 'gencredBob',
			calleeNumber: PHONE,
		});
	});

	it('check nothing when the option is off', () => {
		expect(world().route(PHONE, '', false)).toMatchObject({ ok: true });
		expect(world().route(PHONE, '+14155550123', false)).toMatchObject({ ok: true });
	});

	it('come after the outbound profile’s own checks (a disallowed country is still D13)', () => {
		const decision = world().route('+442079460999', '');
		expect(decision.ok).toBe(false);
		if (!decision.ok) expect(decision.cause.sipReason).toMatch(/ D13$/);
	});

	it.each([
		['a bare SIP username', 'gencredBob'],
		['a SIP URI', 'sip:gencredBob@sip.telnyx.com'],
	])('do not apply to %s', (_what, destination) => {
		for (const number of ['', 'gencredAlice', '+14155550123']) {
			expect(world().route(destination, number)).toEqual({
				ok: true,
				calleeSipUsername: 'gencredBob',
				calleeNumber: 'gencredBob',
			});
		}
	});
});
