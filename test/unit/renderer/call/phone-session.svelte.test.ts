/**
 * The line on its own (`PhoneSession`), without the call store: every sign-in asks main for a token and
 * connects with it; a refused sign-in is retried through the same path; renewed tokens go to the open
 * connection. The store's own tests cover the same through the store (call-store.svelte.test.ts).
 */
import { describe, expect, it, vi } from 'vitest';
import type { LoginToken, Result, Settings, TelnyxFailure } from '../../../../preload/contract';
import { PhoneSession } from '../../../../renderer/src/lib/call/phone-session.svelte';
import { FAKE_SETTINGS, fakeBridge } from '../../../fakes/fake-bridge';
import { FakeSoftphone } from '../../../fakes/fake-softphone';

const PROVISIONED: Settings = {
	...FAKE_SETTINGS,
	provisioned: {
		connectionId: 'conn-1',
		profileId: 'ovp-1',
		credentialId: 'cred-1',
		sipUsername: 'gencredSelf',
		deviceName: 'Ada Desk',
	},
};
const URL = 'wss://127.0.0.1:18443';
const token = (value: string): Result<LoginToken, TelnyxFailure> => ({
	ok: true,
	value: { token: value, expiresAt: '2026-01-15T10:30:00.000Z' },
});
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function setup(tokens: Result<LoginToken, TelnyxFailure>[], renewFails = false) {
	const queue = [...tokens];
	const getLoginToken = vi.fn(async () => queue.shift() ?? token('jwt-spare'));
	const bridge = fakeBridge({ telnyx: { getLoginToken } });
	const phone = new FakeSoftphone(
		renewFails ? { script: { renewToken: () => Promise.reject(new Error('socket closed')) } } : {},
	);
	const notify = vi.fn();
	const session = new PhoneSession({
		phone,
		bridge,
		settings: () => PROVISIONED,
		signallingUrl: () => URL,
		notify,
	});
	return { session, phone, bridge, getLoginToken, notify };
}

describe('PhoneSession', () => {
	it('signs in again after a refusal the same way it connected: a token from main, then connect', async () => {
		const { session, phone, getLoginToken } = setup([token('jwt-1'), token('jwt-2')]);
		await session.connect();
		session.onConnection({ kind: 'failed', reason: 'login-refused', message: 'refused' });
		await settle();
		expect(getLoginToken).toHaveBeenCalledTimes(2);
		expect(phone.callsTo('connect')).toEqual([
			[{ loginToken: 'jwt-1', signallingUrl: URL }],
			[{ loginToken: 'jwt-2', signallingUrl: URL }],
		]);
	});

	it('shows main’s refusal of a token as the line’s failure, with the reason being retried', async () => {
		const refusal: Result<LoginToken, TelnyxFailure> = {
			ok: false,
			error: { code: 'KEY_REJECTED', message: 'The API key was refused.' },
		};
		const { session } = setup([token('jwt-1'), refusal]);
		await session.connect();
		session.onConnection({ kind: 'failed', reason: 'reauth-required', message: 'sign in again' });
		await settle();
		expect(session.connection).toEqual({
			kind: 'failed',
			reason: 'reauth-required',
			message: 'The API key was refused.',
		});
	});

	it('hands a renewed token to the open connection, and says so when that fails', async () => {
		const { session, phone, bridge, notify } = setup([token('jwt-1')], true);
		await session.connect();
		bridge.emit('telnyx:loginToken', { token: 'jwt-new', expiresAt: '2026-01-15T11:00:00Z' });
		await settle();
		expect(phone.callsTo('renewToken')).toEqual([['jwt-new']]);
		expect(notify).toHaveBeenCalledWith(
			'warning',
			'Could not renew the sign-in on the open connection; reconnecting.',
		);
	});

	it('stops listening to main once disposed', async () => {
		const { session, phone, bridge } = setup([token('jwt-1')]);
		session.dispose();
		bridge.emit('telnyx:loginToken', { token: 'late', expiresAt: '2026-01-15T11:00:00Z' });
		await settle();
		expect(phone.callsTo('renewToken')).toEqual([]);
	});
});
