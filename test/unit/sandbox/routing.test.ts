/**
 * The sandbox B2BUA's routing decisions without sockets: above all Telnyx's caller-ID rules for PSTN calls
 * (D35 for a blank, SIP-username or malformed number; D36 for a number that is not the caller's account's),
 * which apply to `+E.164` destinations only and can be switched off; and the echo number of the SDK's
 * pre-call diagnostic, a phone number that passes the same checks and is answered by the sandbox itself.
 */
import { describe, expect, it } from 'vitest';
import * as causes from '../../sandbox/signalling/causes';
import {
	ECHO_NUMBER,
	decideRoute,
	isEchoNumber,
	parseDestination,
	type RouteInput,
} from '../../sandbox/signalling/routing';
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
	const phones = new Map([[PHONE, 'gencredBob']]);
	const route = (destination: string, callerIdNumber: string, checkCallerId = true) => {
		const input: RouteInput = {
			store,
			caller: alice,
			destination: parseDestination(destination),
			phones,
			isRegistered: () => true,
			callerIdNumber,
			checkCallerId,
		};
		return decideRoute(input);
	};
	return { route, store, phones };
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

describe('the echo number (the SDK pre-call diagnostic’s destination)', () => {
	const OWN = '+13125550142';
	const echo = { ok: true, echo: true, calleeNumber: ECHO_NUMBER };

	it('is the number @telnyx/webrtc 2.27.10 dials by default, in E.164', () => {
		expect(ECHO_NUMBER).toBe('+18722315806');
	});

	it.each([
		'+1-872-231-5806',
		'+18722315806',
		'+1 (872) 231-5806',
		' +1.872.231.5806 ',
		'18722315806',
		'sip:+18722315806@sip.telnyx.com',
		'sip:+1-872-231-5806@sip.telnyx.com',
	])('is recognised written %j, as a US phone number', (written) => {
		expect(parseDestination(written)).toEqual({ kind: 'pstn', e164: ECHO_NUMBER, country: 'US' });
	});

	it.each(['+1-872-231-5807', '+8722315806', '+1-872-231-5806x', '1872231580', 'echo'])(
		'is not %j',
		(written) => {
			expect(isEchoNumber(written)).toBe(false);
			expect(parseDestination(written)).not.toEqual({
				kind: 'pstn',
				e164: ECHO_NUMBER,
				country: 'US',
			});
		},
	);

	it('is answered by the echo, with no simulated phone behind it', () => {
		expect(world().route('+1-872-231-5806', OWN)).toEqual(echo);
		expect(world().route(ECHO_NUMBER, OWN)).toEqual(echo);
	});

	it('is answered by the echo even when a simulated phone claims the number', () => {
		const { route, phones } = world();
		phones.set(ECHO_NUMBER, 'gencredBob');
		expect(route(ECHO_NUMBER, OWN)).toEqual(echo);
	});

	it('applies the caller-ID rules as to any phone number (D35, D36), unless they are off', () => {
		expect(world().route(ECHO_NUMBER, '')).toEqual({ ok: false, cause: causes.CALLER_ID_INVALID });
		expect(world().route(ECHO_NUMBER, 'gencredAlice')).toEqual({
			ok: false,
			cause: causes.CALLER_ID_INVALID,
		});
		expect(world().route(ECHO_NUMBER, '+14155550123')).toEqual({
			ok: false,
			cause: causes.CALLER_ID_NOT_OWNED,
		});
		expect(world().route(ECHO_NUMBER, '', false)).toEqual(echo);
	});

	it('needs the caller’s outbound voice profile, enabled and whitelisting the US (D38, D15, D13), and an enabled connection (D16)', () => {
		const withProfile = (change: (profile: Record<string, unknown>) => void) => {
			const { route, store } = world();
			change(store.profiles.get('ovp-1')!.data);
			return route(ECHO_NUMBER, OWN);
		};
		expect(withProfile((profile) => (profile['whitelisted_destinations'] = ['CA']))).toMatchObject({
			ok: false,
			cause: { sipCode: 403, sipReason: expect.stringMatching(/ D13$/) },
		});
		expect(withProfile((profile) => (profile['enabled'] = false))).toEqual({
			ok: false,
			cause: causes.OUTBOUND_PROFILE_DISABLED,
		});

		const noProfile = world();
		noProfile.store.profiles.delete('ovp-1');
		expect(noProfile.route(ECHO_NUMBER, OWN)).toEqual({
			ok: false,
			cause: causes.NO_OUTBOUND_PROFILE,
		});

		const disabled = world();
		disabled.store.connections.get('conn-1')!.data['active'] = false;
		expect(disabled.route(ECHO_NUMBER, OWN)).toEqual({
			ok: false,
			cause: causes.CONNECTION_DISABLED,
		});
	});
});
