import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { summarise } from '../../../../renderer/src/lib/quality/quality-history';
import { qualitySample } from '../quality/samples';
import type {
	CallHistoryEntry,
	Installation,
	LoginToken,
	MediaAccess,
	Result,
	Settings,
	TelnyxFailure,
} from '../../../../preload/contract';
import { CallStore, MEDIA_WAIT_MS } from '../../../../renderer/src/lib/call/call-store.svelte';
import { CALLER_NUMBER_NEEDED } from '../../../../renderer/src/lib/dial/destination';
import { FAKE_SETTINGS, fakeBridge, type FakeBridge } from '../../../fakes/fake-bridge';
import { endReasonOf, FakeSoftphone } from '../../../fakes/fake-softphone';

const PROVISIONED: Settings = {
	...FAKE_SETTINGS,
	callerId: { name: 'Ada Desk', number: '+13125550142' },
	devices: { microphoneId: 'mic-2', cameraId: 'cam-1', speakerId: null, ringerId: null },
	provisioned: {
		connectionId: 'conn-1',
		profileId: 'ovp-1',
		credentialId: 'cred-1',
		sipUsername: 'gencredSelf',
		deviceName: 'Ada Desk',
	},
};
const DIRECTORY: Installation[] = [
	{ name: 'Kitchen Laptop', sipUsername: 'gencredKitchen', self: false },
];

const token = (value: string): Result<LoginToken, TelnyxFailure> => ({
	ok: true,
	value: { token: value, expiresAt: '2026-01-15T10:30:00.000Z' },
});

const GRANTED: MediaAccess = { microphone: 'granted', camera: 'granted', message: null };

interface Setup {
	settings?: Settings | null;
	/** Settings that change during the test (read on every access); wins over `settings`. */
	currentSettings?: () => Settings | null;
	access?: MediaAccess;
	tokens?: Result<LoginToken, TelnyxFailure>[];
	/** Main's answer to a token request, when a test scripts it (e.g. a failed IPC call). */
	loginToken?: () => Promise<Result<LoginToken, TelnyxFailure>>;
	phone?: FakeSoftphone;
	/** The signalling URL main chose (`app.getInfo`), or null before main said. */
	signallingUrl?: string | null;
}

/** A store over a fake softphone and a fake bridge that hands out the scripted tokens in turn. */
function setup({
	settings = PROVISIONED,
	currentSettings = () => settings,
	tokens = [token('jwt-1')],
	loginToken,
	phone = new FakeSoftphone(),
	access = GRANTED,
	signallingUrl = 'wss://127.0.0.1:18443',
}: Setup = {}) {
	const history: CallHistoryEntry[] = [];
	const queue = [...tokens];
	const getLoginToken = vi.fn(loginToken ?? (async () => queue.shift() ?? token('jwt-spare')));
	const requestAccess = vi.fn(async (_options: { readonly camera: boolean }) => access);
	const bridge: FakeBridge = fakeBridge(
		{
			telnyx: { getLoginToken },
			media: { requestAccess },
			history: {
				add: async (entry) => {
					history.push(entry);
					return history;
				},
			},
		},
		// Main resolves what is dialled with its own directory and caller ID number (the same as the store's).
		{ directory: () => DIRECTORY, callerNumber: () => currentSettings()?.callerId.number ?? null },
	);
	// The store has no effects of its own, so it needs no effect root (the derived-state test makes one).
	const store = new CallStore({
		phone,
		bridge,
		settings: currentSettings,
		signallingUrl: () => signallingUrl,
		directory: () => DIRECTORY,
	});
	return { store, phone, bridge, history, getLoginToken, requestAccess };
}

/** Lets pending promise callbacks (the bridge's answers) run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

afterEach(() => {
	vi.useRealTimers();
});

describe('CallStore: connecting', () => {
	it('asks main for a login token and connects with it to the configured signalling URL', async () => {
		const { store, phone, getLoginToken } = setup();
		await store.connect();
		expect(getLoginToken).toHaveBeenCalledTimes(1);
		expect(phone.callsTo('connect')).toEqual([
			[{ loginToken: 'jwt-1', signallingUrl: 'wss://127.0.0.1:18443' }],
		]);
	});

	it('does not connect before provisioning, or before settings are loaded', async () => {
		for (const settings of [FAKE_SETTINGS, null]) {
			const { store, phone, getLoginToken } = setup({ settings });
			await store.connect();
			expect(getLoginToken).not.toHaveBeenCalled();
			expect(phone.callsTo('connect')).toEqual([]);
		}
	});

	it('does not connect before main has said where (no signalling URL yet)', async () => {
		const { store, phone, getLoginToken } = setup({ signallingUrl: null });
		await store.connect();
		expect(getLoginToken).not.toHaveBeenCalled();
		expect(phone.callsTo('connect')).toEqual([]);
	});

	it('shows main’s refusal to give a token as a failed connection, in words', async () => {
		const { store, phone } = setup({
			tokens: [{ ok: false, error: { code: 'UNREACHABLE', message: 'Can’t reach Telnyx.' } }],
		});
		await store.connect();
		expect(store.connection).toEqual({
			kind: 'failed',
			reason: 'other',
			message: 'Can’t reach Telnyx.',
		});
		expect(phone.callsTo('connect')).toEqual([]);
	});

	it('follows the softphone’s connection status', () => {
		const { store, phone } = setup();
		expect(store.connection).toEqual({ kind: 'idle' });
		phone.connection({ kind: 'reconnecting', attempt: 2, retryAt: 123 });
		expect(store.connection).toEqual({ kind: 'reconnecting', attempt: 2, retryAt: 123 });
		phone.connection({ kind: 'registered' });
		expect(store.connection).toEqual({ kind: 'registered' });
	});

	it('hands a token main renewed to the softphone (telnyx:loginToken)', () => {
		const { phone, bridge } = setup();
		bridge.emit('telnyx:loginToken', { token: 'jwt-renewed', expiresAt: '2026-01-15T11:00:00Z' });
		expect(phone.callsTo('renewToken')).toEqual([['jwt-renewed']]);
	});

	it('W8: when the SDK warns that the token expires soon (34001), asks main for one and renews with it', async () => {
		const { phone, getLoginToken } = setup({ tokens: [token('jwt-1'), token('jwt-after-sleep')] });
		phone.emit({ type: 'tokenExpiring' });
		await settle();
		expect(getLoginToken).toHaveBeenCalledTimes(1);
		expect(phone.callsTo('renewToken')).toEqual([['jwt-1']]);
	});

	it('says so when the renewal on the open connection fails', async () => {
		const phone = new FakeSoftphone({
			script: { renewToken: () => Promise.reject(new Error('login failed')) },
		});
		const { store, bridge } = setup({ phone });
		bridge.emit('telnyx:loginToken', { token: 'jwt-renewed', expiresAt: '2026-01-15T11:00:00Z' });
		await settle();
		expect(store.notices.map((n) => [n.level, n.message])).toEqual([
			['warning', 'Could not renew the sign-in on the open connection; reconnecting.'],
		]);
	});

	it('signs in again exactly once with a fresh token when the sign-in is refused (46001)', async () => {
		const { store, phone, getLoginToken } = setup({
			tokens: [token('jwt-old'), token('jwt-fresh'), token('jwt-third')],
		});
		await store.connect();
		phone.connection({ kind: 'failed', reason: 'login-refused', message: 'refused' });
		await settle();
		expect(getLoginToken).toHaveBeenCalledTimes(2);
		expect(phone.callsTo('connect').map(([o]) => o.loginToken)).toEqual(['jwt-old', 'jwt-fresh']);

		// Refused again: no loop.
		phone.connection({ kind: 'failed', reason: 'login-refused', message: 'refused' });
		await settle();
		expect(getLoginToken).toHaveBeenCalledTimes(2);
		expect(phone.callsTo('connect')).toHaveLength(2);
		expect(store.connection).toEqual({
			kind: 'failed',
			reason: 'login-refused',
			message: 'refused',
		});
	});

	it('may sign in again after a later refusal, once registered in between', async () => {
		const { phone, getLoginToken, store } = setup({
			tokens: [token('a'), token('b'), token('c')],
		});
		await store.connect();
		phone.connection({ kind: 'failed', reason: 'login-refused', message: 'refused' });
		await settle();
		phone.connection({ kind: 'registered' });
		phone.connection({
			kind: 'failed',
			reason: 'reauth-required',
			message: 'asked to sign in again',
		});
		await settle();
		expect(getLoginToken).toHaveBeenCalledTimes(3);
		expect(phone.callsTo('connect').map(([o]) => o.loginToken)).toEqual(['a', 'b', 'c']);
	});

	describe('a credential main has just provisioned (Telnyx refuses it for a few seconds)', () => {
		const CREDENTIAL_DONE = {
			step: 'credential',
			status: 'done',
			detail: 'Created the credential “Ada Desk (6f1c2a9e)”',
		} as const;
		const refused = { kind: 'failed', reason: 'login-refused', message: 'refused' } as const;

		it('signs in again with backoff, counting down in the status, until the line registers', async () => {
			vi.useFakeTimers({ now: Date.UTC(2026, 0, 15, 9, 0, 0) });
			const { store, phone, bridge, getLoginToken } = setup({
				tokens: [token('jwt-1'), token('jwt-1'), token('jwt-1')],
			});
			bridge.emit('provisioning:progress', CREDENTIAL_DONE);
			await store.connect();
			phone.connection(refused);
			expect(store.connection).toStrictEqual({
				kind: 'setting-up',
				attempt: 1,
				retryAt: Date.now() + 1000,
			});
			await vi.advanceTimersByTimeAsync(999);
			expect(phone.callsTo('connect')).toHaveLength(1);
			await vi.advanceTimersByTimeAsync(1);
			expect(getLoginToken).toHaveBeenCalledTimes(2);
			expect(phone.callsTo('connect')).toHaveLength(2);

			phone.connection(refused);
			expect(store.connection).toMatchObject({ kind: 'setting-up', attempt: 2 });
			await vi.advanceTimersByTimeAsync(2000);
			expect(phone.callsTo('connect')).toHaveLength(3);
			phone.connection({ kind: 'registered' });
			expect(store.connection).toStrictEqual({ kind: 'registered' });
			await vi.advanceTimersByTimeAsync(60_000);
			expect(phone.callsTo('connect')).toHaveLength(3);
		});

		it('gives up by about 15 s after setup, showing the refusal', async () => {
			vi.useFakeTimers({ now: Date.UTC(2026, 0, 15, 9, 0, 0) });
			const { store, phone, bridge } = setup();
			bridge.emit('provisioning:progress', CREDENTIAL_DONE);
			await store.connect();
			phone.connection(refused);
			// Every sign-in refused the moment it is made.
			for (let i = 0; i < 10 && store.connection.kind === 'setting-up'; i += 1) {
				await vi.advanceTimersByTimeAsync(store.connection.retryAt - Date.now());
				phone.connection(refused);
			}
			expect(store.connection).toStrictEqual(refused);
			expect(phone.callsTo('connect')).toHaveLength(5); // the first sign-in and four more
			expect(Date.now() - Date.UTC(2026, 0, 15, 9, 0, 0)).toBeLessThanOrEqual(16_000);
		});

		it('Reconnect during the wait signs in at once and drops the pending attempt', async () => {
			vi.useFakeTimers({ now: Date.UTC(2026, 0, 15, 9, 0, 0) });
			const { store, phone, bridge } = setup();
			bridge.emit('provisioning:progress', CREDENTIAL_DONE);
			await store.connect();
			phone.connection(refused);
			await store.connect();
			expect(phone.callsTo('connect')).toHaveLength(2);
			await vi.advanceTimersByTimeAsync(20_000);
			expect(phone.callsTo('connect')).toHaveLength(2);
		});

		it('tells main’s tray the line is connecting meanwhile', async () => {
			vi.useFakeTimers({ now: Date.UTC(2026, 0, 15, 9, 0, 0) });
			const { store, phone, bridge } = setup();
			bridge.emit('provisioning:progress', CREDENTIAL_DONE);
			await store.connect();
			phone.connection(refused);
			expect(store.report([], []).connection).toBe('connecting');
		});

		it('only the credential step counts: other progress leaves an old credential’s policy alone', async () => {
			const { store, phone, bridge, getLoginToken } = setup({
				tokens: [token('a'), token('b'), token('c')],
			});
			bridge.emit('provisioning:progress', { step: 'token', status: 'done', detail: 'Ready' });
			await store.connect();
			phone.connection(refused);
			await settle();
			phone.connection(refused);
			await settle();
			expect(getLoginToken).toHaveBeenCalledTimes(2);
			expect(store.connection).toStrictEqual(refused);
		});
	});

	it('does not sign in again for other failures', async () => {
		const { phone, getLoginToken, store } = setup();
		await store.connect();
		phone.connection({ kind: 'failed', reason: 'reconnect-exhausted', message: 'gave up' });
		await settle();
		expect(getLoginToken).toHaveBeenCalledTimes(1);
		expect(phone.callsTo('connect')).toHaveLength(1);
	});
});

describe('CallStore: dialling', () => {
	function registered(options: Setup = {}) {
		const context = setup(options);
		context.phone.connection({ kind: 'registered' });
		return context;
	}

	it('dials the canonical number with the caller ID and chosen devices', async () => {
		const { store, phone } = registered();
		const id = await store.dial('+1 (415) 555-2671', true);
		expect(id).toBe('call-1');
		expect(store.dialError).toBeNull();
		expect(phone.callsTo('dial')).toEqual([
			[
				'+14155552671',
				{
					video: true,
					callerName: 'Ada Desk',
					callerNumber: '+13125550142',
					microphoneId: 'mic-2',
					cameraId: 'cam-1',
				},
			],
		]);
	});

	it('reads a national number in the caller ID number’s country', async () => {
		const { store, phone } = registered();
		await store.dial('(415) 555-2671', false);
		expect(phone.callsTo('dial')[0]?.[0]).toBe('+14155552671');
	});

	it('dials an installation by name', async () => {
		const { store, phone } = registered();
		await store.dial('kitchen laptop', true);
		expect(phone.callsTo('dial')[0]?.[0]).toBe('sip:gencredKitchen@sip.telnyx.com');
	});

	it('asks main what was typed, once per call, and says so when main cannot answer', async () => {
		const { store, phone, bridge } = registered();
		await store.dial('kitchen laptop', false);
		expect(bridge.calls.filter((c) => c === 'dial:resolve')).toHaveLength(1);
		vi.spyOn(bridge.dial, 'resolve').mockRejectedValueOnce(
			new Error('[INTERNAL] dial:resolve failed'),
		);
		expect(await store.dial('+14155552671', false)).toBeNull();
		expect(store.dialError).toBe('The destination could not be checked just now. Try again.');
		expect(phone.callsTo('dial')).toHaveLength(1);
	});

	it('refuses a bad dial string in words and never reaches the softphone', async () => {
		const { store, phone } = registered();
		expect(await store.dial('+1 415 555 CALL', false)).toBeNull();
		expect(store.dialError).toBe(
			'Phone numbers can have digits, spaces and + - . ( ) only. Remove the other characters.',
		);
		expect(await store.dial('sip:a@b?Call-Info=<http://evil>', false)).toBeNull();
		expect(store.dialError).toMatch(/headers/);
		expect(phone.callsTo('dial')).toEqual([]);
	});

	it('clears the error once a dial goes through', async () => {
		const { store } = registered();
		await store.dial('nope!', false);
		expect(store.dialError).not.toBeNull();
		await store.dial('+14155552671', false);
		expect(store.dialError).toBeNull();
	});

	describe('without a caller ID number', () => {
		const NO_NUMBER: Settings = { ...PROVISIONED, callerId: { name: 'Ada Desk', number: null } };

		it('refuses a phone number before dialling, in words that say where to choose one', async () => {
			const { store, phone } = registered({ settings: NO_NUMBER });
			expect(await store.dial('+1 415 555 2671', false)).toBeNull();
			expect(store.dialError).toBe(CALLER_NUMBER_NEEDED);
			expect(store.dialError).toMatch(/Settings → Caller ID/);
			expect(phone.callsTo('dial')).toEqual([]);
		});

		it('still dials installations and SIP addresses', async () => {
			const { store, phone } = registered({ settings: NO_NUMBER });
			await store.dial('kitchen laptop', false);
			await store.dial('sip:ada@example.com', false);
			await store.dial('gencredSomeone', false);
			expect(store.dialError).toBeNull();
			expect(phone.callsTo('dial').map(([to]) => to)).toEqual([
				'sip:gencredKitchen@sip.telnyx.com',
				'sip:ada@example.com',
				'sip:gencredSomeone@sip.telnyx.com',
			]);
			expect(phone.callsTo('dial')[0]?.[1]).toMatchObject({ callerNumber: null });
		});

		it('dials the phone number once one is chosen', async () => {
			let current = NO_NUMBER;
			const { store, phone } = registered({ currentSettings: () => current });
			await store.dial('+14155552671', false);
			expect(phone.callsTo('dial')).toEqual([]);
			current = PROVISIONED;
			expect(await store.dial('+14155552671', false)).toBe('call-1');
			expect(store.dialError).toBeNull();
		});
	});

	it('refuses to dial, in words, while not registered', async () => {
		const { store, phone } = setup();
		phone.connection({ kind: 'connecting' });
		expect(await store.dial('+14155552671', false)).toBeNull();
		expect(store.dialError).toBe('Not connected to Telnyx yet. Wait until the status says Ready.');
		expect(phone.callsTo('dial')).toEqual([]);
	});

	it('asks main for microphone access (and the camera for video) once, before the first call', async () => {
		const { store, requestAccess, phone } = registered();
		await store.dial('+14155552671', false);
		await store.dial('+14155552671', false);
		expect(requestAccess.mock.calls).toEqual([[{ camera: false }]]);
		await store.dial('+14155552671', true);
		await store.dial('+14155552671', false);
		expect(requestAccess.mock.calls).toEqual([[{ camera: false }], [{ camera: true }]]);
		expect(phone.callsTo('dial')).toHaveLength(4);
	});

	it('takes camera access to include the microphone', async () => {
		const { store, requestAccess } = registered();
		await store.dial('+14155552671', true);
		await store.dial('+14155552671', false);
		expect(requestAccess.mock.calls).toEqual([[{ camera: true }]]);
	});

	it('explains a refused microphone or camera and does not dial', async () => {
		const message =
			'Telnyx Softphone may not use the microphone. Allow it in System Settings → Privacy & Security → Microphone.';
		const { store, phone } = registered({
			access: { microphone: 'denied', camera: 'granted', message },
		});
		expect(await store.dial('+14155552671', false)).toBeNull();
		expect(phone.callsTo('dial')).toEqual([]);
		expect(store.notices.map((n) => [n.level, n.message])).toEqual([['error', message]]);
	});

	it('places one call when Call is pressed again while main resolves it or the microphone is asked for', async () => {
		let grant = (_access: MediaAccess): void => {};
		const { store, phone, requestAccess } = registered();
		requestAccess.mockImplementationOnce(() => new Promise((resolve) => (grant = resolve)));
		const first = store.dial('+14155552671', false);
		// Pressed again while main resolves the destination, and again while the OS is asked.
		const second = store.dial('+14155552671', false);
		await vi.waitFor(() => expect(requestAccess).toHaveBeenCalled());
		const third = store.dial('+14155552671', false);
		grant(GRANTED);
		expect(await first).toBe('call-1');
		expect(await second).toBeNull();
		expect(await third).toBeNull();
		expect(phone.callsTo('dial')).toHaveLength(1);
		expect(requestAccess).toHaveBeenCalledTimes(1);

		// Once placed, the next call may be dialled.
		expect(await store.dial('+14155552671', false)).toBe('call-2');
	});

	it('sends a dialled extension as DTMF 2 s after the call becomes active', async () => {
		vi.useFakeTimers();
		const { store, phone } = registered();
		const id = (await store.dial('+1 415 555 2671 ext. 12', false))!;
		expect(phone.callsTo('dial')[0]?.[0]).toBe('+14155552671');
		phone.update(id, { phase: 'ringing' });
		vi.advanceTimersByTime(5000);
		expect(phone.callsTo('sendDtmf')).toEqual([]);

		phone.update(id, { phase: 'active' });
		vi.advanceTimersByTime(1999);
		expect(phone.callsTo('sendDtmf')).toEqual([]);
		vi.advanceTimersByTime(1);
		expect(phone.callsTo('sendDtmf')).toEqual([[id, '12']]);

		// Once only, even when the call comes back from hold.
		phone.update(id, { phase: 'held' });
		phone.update(id, { phase: 'active' });
		vi.advanceTimersByTime(5000);
		expect(phone.callsTo('sendDtmf')).toHaveLength(1);
	});

	it('does not send the extension when the call ended before the delay', async () => {
		vi.useFakeTimers();
		const { store, phone } = registered();
		const id = (await store.dial('+14155552671;ext=77', false))!;
		phone.update(id, { phase: 'active' });
		vi.advanceTimersByTime(1000);
		phone.end(id, endReasonOf('hangup-remote'));
		vi.advanceTimersByTime(5000);
		expect(phone.callsTo('sendDtmf')).toEqual([]);
	});

	it('does not send the extension of a call that was never answered', async () => {
		vi.useFakeTimers();
		const { store, phone } = registered();
		const id = (await store.dial('+14155552671 x9', false))!;
		phone.end(id, endReasonOf('busy'));
		phone.update(id, { phase: 'active' }); // a late update after the end
		vi.advanceTimersByTime(5000);
		expect(phone.callsTo('sendDtmf')).toEqual([]);
	});

	it('sends no DTMF for a number without an extension', async () => {
		vi.useFakeTimers();
		const { store, phone } = registered();
		const id = (await store.dial('+14155552671', false))!;
		phone.update(id, { phase: 'active' });
		vi.advanceTimersByTime(5000);
		expect(phone.callsTo('sendDtmf')).toEqual([]);
	});
});

describe('CallStore: in a call', () => {
	it('holds the active call before answering a second one', async () => {
		let releaseHold = (): void => {};
		const phone = new FakeSoftphone({
			script: { hold: () => new Promise<void>((resolve) => (releaseHold = resolve)) },
		});
		const { store } = setup({ phone });
		phone.emitCall({ id: 'first', direction: 'inbound', phase: 'active', answeredAt: 1 });
		phone.emitCall({ id: 'second', direction: 'inbound', phase: 'ringing' });
		expect(store.busy).toBe(true);
		expect(store.incoming.map((c) => c.id)).toEqual(['second']);

		const answering = store.answer('second', false);
		await settle();
		// The second call is not answered until the first is on hold.
		expect(phone.methods().filter((m) => m === 'hold' || m === 'answer')).toEqual(['hold']);
		releaseHold();
		await answering;
		expect(phone.callsTo('hold')).toEqual([['first']]);
		expect(phone.callsTo('answer')).toEqual([
			['second', { video: false, microphoneId: 'mic-2', cameraId: 'cam-1' }],
		]);

		phone.update('second', { phase: 'active' });
		expect(store.focused?.id).toBe('second');
		expect(store.onHold.map((c) => c.id)).toEqual(['first']);
	});

	it('holds the call in the foreground before resuming one on hold', async () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'A', direction: 'inbound', phase: 'active', answeredAt: 1 });
		phone.emitCall({ id: 'B', direction: 'inbound', phase: 'ringing' });
		await store.answer('B', false);
		phone.update('B', { phase: 'active' });
		expect(store.onHold.map((c) => c.id)).toEqual(['A']);

		await store.unhold('A');
		expect(
			phone.calls.flatMap((c) =>
				c.method === 'hold' || c.method === 'unhold' ? [`${c.method} ${c.args[0]}`] : [],
			),
		).toEqual(['hold A', 'hold B', 'unhold A']);
		expect(store.focused?.id).toBe('A');
		expect(store.onHold.map((c) => c.id)).toEqual(['B']);
		expect(store.calls.filter((c) => c.phase === 'active').map((c) => c.id)).toEqual(['A']);
	});

	it('answers nothing when the caller hung up while the microphone was being asked for', async () => {
		let grant = (_access: MediaAccess): void => {};
		// Like the adapter, the softphone no longer knows a call that ended.
		const phone: FakeSoftphone = new FakeSoftphone({
			script: {
				answer: (id): Promise<void> =>
					phone.snapshot(id)?.phase === 'ended'
						? Promise.reject(new Error(`No call ${id}`))
						: Promise.resolve(),
			},
		});
		const { store, requestAccess } = setup({ phone });
		requestAccess.mockImplementationOnce(() => new Promise((resolve) => (grant = resolve)));
		phone.emitCall({ id: 'talk', phase: 'active', answeredAt: 1 });
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing' });

		const answering = store.answer('in', false);
		phone.end('in', endReasonOf('cancelled'));
		grant(GRANTED);
		await expect(answering).resolves.toBeUndefined();
		expect(phone.callsTo('answer')).toEqual([]);
		expect(phone.callsTo('hold')).toEqual([]);
	});

	it('neither holds nor answers when the microphone is refused', async () => {
		const { store, phone } = setup({
			access: { microphone: 'denied', camera: 'denied', message: 'No microphone access.' },
		});
		phone.emitCall({ id: 'first', phase: 'active', answeredAt: 1 });
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing' });
		await store.answer('in', false);
		expect(phone.callsTo('hold')).toEqual([]);
		expect(phone.callsTo('answer')).toEqual([]);
		expect(store.notices.map((n) => n.message)).toEqual(['No microphone access.']);
	});

	it('answers without holding anything when no call is active', async () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing', video: true });
		expect(store.busy).toBe(false);
		await store.answer('in', true);
		expect(phone.callsTo('hold')).toEqual([]);
		expect(phone.callsTo('answer')).toEqual([
			['in', { video: true, microphoneId: 'mic-2', cameraId: 'cam-1' }],
		]);
	});

	it('does not hold a call that is already on hold', async () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'first', phase: 'held', answeredAt: 1 });
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing' });
		await store.answer('in', false);
		expect(phone.callsTo('hold')).toEqual([]);
	});

	it('passes the in-call actions to the softphone', async () => {
		const { store, phone } = setup();
		store.decline('a');
		store.hangup('b');
		store.setMuted('c', true);
		store.setCameraOff('c', true);
		await store.hold('c');
		await store.unhold('c');
		expect(phone.calls.slice(-6).map((call) => [call.method, ...call.args])).toEqual([
			['decline', 'a'],
			['hangup', 'b'],
			['setMuted', 'c', true],
			['setCameraOff', 'c', true],
			['hold', 'c'],
			['unhold', 'c'],
		]);
	});

	it('sends valid DTMF (upper-cased) and refuses `12#x` without calling the softphone', () => {
		const { store, phone } = setup();
		expect(store.sendDtmf('c', '12#x')).toBe(false);
		expect(store.sendDtmf('c', '')).toBe(false);
		expect(store.sendDtmf('c', '1,2')).toBe(false);
		expect(phone.callsTo('sendDtmf')).toEqual([]);
		expect(store.sendDtmf('c', '12#a*')).toBe(true);
		expect(phone.callsTo('sendDtmf')).toEqual([['c', '12#A*']]);
	});

	it('moves every live call to a newly chosen device', async () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'a', phase: 'active' });
		phone.emitCall({ id: 'b', phase: 'held' });
		phone.emitCall({ id: 'c', phase: 'ended', end: endReasonOf('busy') });
		await store.switchDevice('microphone', 'mic-9');
		expect(phone.callsTo('switchDevice')).toEqual([
			['a', 'microphone', 'mic-9'],
			['b', 'microphone', 'mic-9'],
		]);
	});
});

describe('CallStore: the camera switch (Settings → Devices)', () => {
	const CAMERA_OFF: Settings = { ...PROVISIONED, ui: { ...PROVISIONED.ui, cameraEnabled: false } };

	function registered(options: Setup = {}) {
		const context = setup(options);
		context.phone.connection({ kind: 'registered' });
		return context;
	}

	it('follows the setting, and counts settings not yet loaded as off', () => {
		let current: Settings | null = PROVISIONED;
		const { store } = setup({ currentSettings: () => current });
		expect(store.cameraEnabled).toBe(true);
		current = CAMERA_OFF;
		expect(store.cameraEnabled).toBe(false);
		current = null;
		expect(store.cameraEnabled).toBe(false);
	});

	it('places a video call asked for while it is off (a link, the tray) as audio', async () => {
		const { store, phone, requestAccess } = registered({ settings: CAMERA_OFF });
		expect(await store.dial('+14155552671', true)).toBe('call-1');
		expect(phone.callsTo('dial')).toEqual([
			[
				'+14155552671',
				{
					video: false,
					callerName: 'Ada Desk',
					callerNumber: '+13125550142',
					microphoneId: 'mic-2',
					cameraId: 'cam-1',
				},
			],
		]);
		// The OS is asked for the microphone only.
		expect(requestAccess.mock.calls).toEqual([[{ camera: false }]]);
		// The call panel says why; a notice would cover its buttons.
		expect(store.notices).toEqual([]);
	});

	it('places video calls again once it is switched back on', async () => {
		let current: Settings = CAMERA_OFF;
		const { store, phone } = registered({ currentSettings: () => current });
		await store.dial('+14155552671', true);
		current = PROVISIONED;
		await store.dial('+14155552671', true);
		expect(phone.callsTo('dial').map(([, options]) => options.video)).toEqual([false, true]);
	});

	it('answers a video call with audio only while it is off', async () => {
		const { store, phone, requestAccess } = setup({ settings: CAMERA_OFF });
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing', video: true });
		await store.answer('in', true);
		expect(phone.callsTo('answer')).toEqual([
			['in', { video: false, microphoneId: 'mic-2', cameraId: 'cam-1' }],
		]);
		// The ring's pre-warm asks for the microphone too (never for the camera).
		expect(requestAccess.mock.calls).toEqual([[{ camera: false }], [{ camera: false }]]);
	});

	it('opens the chosen microphone as soon as a call rings, once the OS allows it', async () => {
		const { phone, requestAccess } = setup();
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing', video: true });
		await settle();
		expect(requestAccess.mock.calls).toEqual([[{ camera: false }]]);
		expect(phone.callsTo('prewarm')).toEqual([['in', { microphoneId: 'mic-2' }]]);
		// Once per call: later updates of the ringing call open nothing more.
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing', video: true });
		await settle();
		expect(phone.callsTo('prewarm')).toHaveLength(1);
	});

	it('opens nothing while the call rings when the OS refuses the microphone, and says nothing', async () => {
		const { store, phone } = setup({
			access: { microphone: 'denied', camera: 'denied', message: 'No microphone access.' },
		});
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing' });
		await settle();
		expect(phone.callsTo('prewarm')).toEqual([]);
		expect(store.notices).toEqual([]);
	});

	it('opens nothing for a call that stopped ringing while the OS was asked', async () => {
		let grant: (access: MediaAccess) => void = () => undefined;
		const { phone, requestAccess } = setup();
		requestAccess.mockImplementationOnce(() => new Promise((resolve) => (grant = resolve)));
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing' });
		phone.end('in', endReasonOf('cancelled'));
		grant(GRANTED);
		await settle();
		expect(phone.callsTo('prewarm')).toEqual([]);
	});

	it('opens nothing for an outbound call or a call rejected by Do not disturb', async () => {
		const { phone } = setup({
			settings: { ...PROVISIONED, ui: { ...PROVISIONED.ui, doNotDisturb: true } },
		});
		phone.emitCall({ id: 'out', direction: 'outbound', phase: 'ringing' });
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing' });
		await settle();
		expect(phone.callsTo('prewarm')).toEqual([]);
	});

	it('answers with video while it is on', async () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing', video: true });
		await store.answer('in', true);
		expect(phone.callsTo('answer')).toEqual([
			['in', { video: true, microphoneId: 'mic-2', cameraId: 'cam-1' }],
		]);
	});

	it('turns a call’s camera off but never back on while it is off', () => {
		const { store, phone } = setup({ settings: CAMERA_OFF });
		phone.emitCall({ id: 'v', phase: 'active', video: true, answeredAt: 1 });
		store.setCameraOff('v', true);
		store.setCameraOff('v', false);
		expect(phone.callsTo('setCameraOff')).toEqual([['v', true]]);
	});

	it('moves calls to another microphone, but to no camera, while it is off', async () => {
		const { store, phone } = setup({ settings: CAMERA_OFF });
		phone.emitCall({ id: 'v', phase: 'active', video: true, answeredAt: 1 });
		await store.switchDevice('camera', 'cam-2');
		await store.switchDevice('microphone', 'mic-9');
		expect(phone.callsTo('switchDevice')).toEqual([['v', 'microphone', 'mic-9']]);
	});

	it('stopCameras: turns the camera off in every live video call once it is switched off', () => {
		let current: Settings = PROVISIONED;
		const { store, phone } = setup({ currentSettings: () => current });
		phone.emitCall({ id: 'video', phase: 'active', video: true, answeredAt: 1 });
		phone.emitCall({ id: 'held', phase: 'held', video: true, answeredAt: 1 });
		phone.emitCall({ id: 'dark', phase: 'active', video: true, cameraOff: true, answeredAt: 1 });
		phone.emitCall({ id: 'audio', phase: 'active', video: false, answeredAt: 1 });
		phone.emitCall({ id: 'over', phase: 'ended', video: true, end: endReasonOf('busy') });
		// While it is on, nothing happens.
		store.stopCameras();
		expect(phone.callsTo('setCameraOff')).toEqual([]);
		current = CAMERA_OFF;
		store.stopCameras();
		expect(phone.callsTo('setCameraOff')).toEqual([
			['video', true],
			['held', true],
		]);
	});
});

describe('CallStore: history', () => {
	it('records an ended call once, with its duration, answer and end reason', async () => {
		const { phone, history } = setup();
		const start = Date.UTC(2026, 0, 15, 9, 30, 0);
		phone.emitCall({ id: 'x', remote: '+14155552671', video: true, startedAt: start });
		phone.update('x', { phase: 'active', answeredAt: start + 4000 });
		const end = endReasonOf('hangup-remote', { message: 'The other side hung up.' });
		phone.end('x', end, { endedAt: start + 4000 + 61_400 });
		phone.end('x', endReasonOf('network'), { endedAt: start + 99_000 }); // a second end
		phone.update('x', { phase: 'active' }); // and a late update
		await settle();
		expect(history).toEqual([
			{
				id: 'x',
				direction: 'outbound',
				remote: '+14155552671',
				remoteName: '',
				video: true,
				startedAt: '2026-01-15T09:30:00.000Z',
				durationSeconds: 61,
				answered: true,
				endReason: 'hangup-remote',
				endMessage: 'The other side hung up.',
				cause: null,
				sipCode: null,
				telnyxIds: { callControlId: null, sessionId: null, legId: null },
				quality: null,
			},
		]);
	});

	it('keeps the whole call’s quality summary with the entry', async () => {
		const { phone, history } = setup();
		const samples = [
			qualitySample({ at: 0, mos: 4.4, packetLossPercent: 0 }),
			qualitySample({ at: 2000, mos: 3.2, packetLossPercent: 9 }),
		];
		const summary = summarise(samples);
		phone.emitCall({ id: 'q', phase: 'active', answeredAt: 1 });
		phone.update('q', {
			quality: {
				mos: 3.2,
				rttMs: 48,
				jitterMs: 4,
				packetLossPercent: 9,
				warning: null,
				samples,
				summary,
			},
		});
		phone.end('q', endReasonOf('hangup-local'));
		await settle();
		expect(history[0]?.quality).toEqual(summary);
		expect(history[0]?.quality).toMatchObject({ mosWorst: 3.2, packetLossPercentWorst: 9 });
	});

	it('keeps Telnyx’s ids of the call and its hangup cause, for support', async () => {
		const { phone, history } = setup();
		const telnyxIds = { callControlId: 'v3:cc-1', sessionId: 'sess-1', legId: 'leg-1' };
		phone.emitCall({ id: 'b', telnyxIds });
		phone.end('b', endReasonOf('busy', { cause: 'USER_BUSY', sipCode: 486 }));
		// The SDK's "no SIP code" (0) is not a SIP code.
		phone.emitCall({ id: 'n', telnyxIds });
		phone.end('n', endReasonOf('network', { cause: 'NORMAL_TEMPORARY_FAILURE', sipCode: 0 }));
		await settle();
		expect(history.find((entry) => entry.id === 'b')).toMatchObject({
			telnyxIds,
			cause: 'USER_BUSY',
			sipCode: 486,
		});
		expect(history.find((entry) => entry.id === 'n')).toMatchObject({ sipCode: null });
	});

	it('records a missed inbound call as unanswered with no duration', async () => {
		const { phone, history } = setup();
		phone.emitCall({ id: 'm', direction: 'inbound', phase: 'ringing', remote: '+442071838750' });
		phone.end(
			'm',
			endReasonOf('cancelled', { message: 'The caller hung up before you answered.' }),
		);
		await settle();
		expect(history).toHaveLength(1);
		expect(history[0]).toMatchObject({
			direction: 'inbound',
			answered: false,
			durationSeconds: 0,
			endReason: 'cancelled',
			endMessage: 'The caller hung up before you answered.',
		});
	});

	it('does not record live calls', async () => {
		const { phone, history } = setup();
		phone.emitCall({ id: 'live', phase: 'active', answeredAt: 1 });
		await settle();
		expect(history).toEqual([]);
	});

	it('names installation calls after the directory, in the store and the history', async () => {
		const { store, phone, history } = setup();
		phone.emitCall({
			id: 'k',
			direction: 'inbound',
			phase: 'ringing',
			remote: 'sip:gencredKitchen@sip.telnyx.com',
		});
		expect(store.incoming[0]?.remoteName).toBe('Kitchen Laptop');
		phone.emitCall({
			id: 'bare',
			direction: 'inbound',
			phase: 'ringing',
			remote: 'gencredKitchen',
		});
		expect(store.calls.find((c) => c.id === 'bare')?.remoteName).toBe('Kitchen Laptop');
		phone.end('k', endReasonOf('declined'), { remoteName: '' });
		await settle();
		expect(history[0]?.remoteName).toBe('Kitchen Laptop');
	});

	it('keeps a name the SDK gave, and leaves strangers unnamed', () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'n', remote: 'sip:gencredKitchen@sip.telnyx.com', remoteName: 'Caller' });
		phone.emitCall({ id: 's', remote: 'sip:someone@example.com' });
		expect(store.calls.map((c) => c.remoteName)).toEqual(['Caller', '']);
	});
});

describe('CallStore: notices', () => {
	it('shows the softphone’s notices and main’s warnings', () => {
		const { store, phone, bridge } = setup();
		phone.notice('error', 'The microphone is blocked.', 42001);
		bridge.emit('telnyx:tokenWarning', {
			expiresAt: '2026-01-15T10:00:00Z',
			message: 'Expires soon.',
		});
		bridge.emit('account:notice', 'Re-created this computer’s credential.');
		expect(store.notices.map((n) => [n.level, n.message])).toEqual([
			['error', 'The microphone is blocked.'],
			['warning', 'Expires soon.'],
			['info', 'Re-created this computer’s credential.'],
		]);
	});

	it('keeps the five latest, each message once (a repeat moves to the end)', () => {
		const { store } = setup();
		for (const n of [1, 2, 3, 4, 5, 6, 7]) store.notify('info', `Notice ${n}.`);
		expect(store.notices.map((n) => n.message)).toEqual([
			'Notice 3.',
			'Notice 4.',
			'Notice 5.',
			'Notice 6.',
			'Notice 7.',
		]);
		store.notify('warning', 'Notice 4.');
		expect(store.notices.map((n) => n.message)).toEqual([
			'Notice 3.',
			'Notice 5.',
			'Notice 6.',
			'Notice 7.',
			'Notice 4.',
		]);
		expect(new Set(store.notices.map((n) => n.id)).size).toBe(5);
	});

	it('dismisses a notice by id', () => {
		const { store } = setup();
		store.notify('info', 'One.');
		store.notify('info', 'Two.');
		store.dismissNotice(store.notices[0]!.id);
		expect(store.notices.map((n) => n.message)).toEqual(['Two.']);
	});
});

describe('CallStore: derived state', () => {
	it('updates focused, incoming, busy and onHold as snapshots arrive', () => {
		const { store, phone } = setup();
		const seen: string[] = [];
		const stop = $effect.root(() => {
			$effect(() => {
				seen.push(`${store.focused?.id ?? '-'}/${store.incoming.length}/${String(store.busy)}`);
			});
		});
		flushSync();
		phone.emitCall({ id: 'out', phase: 'dialing' });
		flushSync();
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing' });
		flushSync();
		phone.update('out', { phase: 'ended', end: endReasonOf('busy') });
		flushSync();
		stop();
		expect(seen).toEqual(['-/0/false', 'out/0/true', 'out/1/true', 'out/1/false']);
	});
});

describe('CallStore: dispose', () => {
	it('stops listening to the softphone and the bridge, and disposes the softphone', () => {
		const { store, phone, bridge } = setup();
		expect(phone.listenerCount).toBe(1);
		store.dispose();
		expect(phone.disposed).toBe(true);
		expect(phone.listenerCount).toBe(0);
		bridge.emit('telnyx:loginToken', { token: 'late', expiresAt: '2026-01-15T11:00:00Z' });
		bridge.emit('account:notice', 'Late.');
		expect(phone.callsTo('renewToken')).toEqual([]);
		expect(store.notices).toEqual([]);
	});
});

describe('CallStore: connection failures', () => {
	it('shows a failed connection, in words, when asking main for a token fails outright', async () => {
		const { store, phone, getLoginToken } = setup({
			loginToken: () => Promise.reject(new Error('IPC channel closed')),
		});
		await store.connect();
		expect(getLoginToken).toHaveBeenCalledTimes(1);
		expect(store.connection).toEqual({
			kind: 'failed',
			reason: 'other',
			message: 'The app could not get a login token: Error: IPC channel closed',
		});
		expect(phone.callsTo('connect')).toEqual([]);
	});

	it('connects on the next try once main answers again', async () => {
		let fail = true;
		const { store, phone } = setup({
			loginToken: async () => {
				if (fail) throw new Error('busy');
				return token('jwt-later');
			},
		});
		await store.connect();
		expect(store.connection.kind).toBe('failed');
		fail = false;
		await store.connect();
		expect(phone.callsTo('connect').map(([o]) => o.loginToken)).toEqual(['jwt-later']);
		expect(store.connection).toEqual({ kind: 'connecting' });
	});
});

describe('CallStore: checkConnection (after a wake-up or a network change)', () => {
	it('does nothing while registered and the softphone confirms it', async () => {
		const { store, phone, getLoginToken } = setup();
		phone.connection({ kind: 'registered' });
		await store.checkConnection();
		expect(phone.callsTo('checkRegistration')).toHaveLength(1);
		expect(getLoginToken).not.toHaveBeenCalled();
		expect(phone.callsTo('connect')).toEqual([]);
		expect(store.connection).toEqual({ kind: 'registered' });
	});

	it('connects again with a token from main when the registration turns out lost', async () => {
		const phone = new FakeSoftphone({ script: { checkRegistration: async () => false } });
		const { store, getLoginToken } = setup({ phone, tokens: [token('jwt-wake')] });
		phone.connection({ kind: 'registered' });
		await store.checkConnection();
		expect(phone.callsTo('checkRegistration')).toHaveLength(1);
		expect(getLoginToken).toHaveBeenCalledTimes(1);
		expect(phone.callsTo('connect')).toEqual([
			[{ loginToken: 'jwt-wake', signallingUrl: 'wss://127.0.0.1:18443' }],
		]);
	});

	it.each([
		{ kind: 'offline' },
		{ kind: 'reconnecting', attempt: 3, retryAt: null },
		{ kind: 'failed', reason: 'reconnect-exhausted', message: 'gave up' },
		{ kind: 'idle' },
	] as const)('connects at once, without asking, when the status is $kind', async (status) => {
		const { store, phone, getLoginToken } = setup();
		phone.connection(status);
		await store.checkConnection();
		expect(phone.callsTo('checkRegistration')).toEqual([]);
		expect(getLoginToken).toHaveBeenCalledTimes(1);
		expect(phone.callsTo('connect')).toHaveLength(1);
	});

	it('does not connect before provisioning', async () => {
		const { store, phone, getLoginToken } = setup({ settings: FAKE_SETTINGS });
		phone.connection({ kind: 'offline' });
		await store.checkConnection();
		expect(getLoginToken).not.toHaveBeenCalled();
		expect(phone.callsTo('connect')).toEqual([]);
	});
});

describe('CallStore: dial failures', () => {
	it('explains, and dials nothing, when the softphone refuses after the microphone was granted', async () => {
		const phone = new FakeSoftphone({
			script: {
				dial: () => {
					throw new Error('Not connected');
				},
			},
		});
		const { store, requestAccess } = setup({ phone });
		phone.connection({ kind: 'registered' });
		expect(await store.dial('+14155552671;ext=12', false)).toBeNull();
		expect(requestAccess).toHaveBeenCalledTimes(1);
		expect(phone.callsTo('dial')).toHaveLength(1);
		expect(store.dialError).toBe(
			'Not connected to Telnyx right now. Wait until the status says Ready.',
		);
		expect(store.calls).toEqual([]);
	});
});

describe('CallStore: do not disturb', () => {
	const DND: Settings = { ...PROVISIONED, ui: { ...PROVISIONED.ui, doNotDisturb: true } };

	it('declines a ringing inbound call at once; it never shows, and is recorded once as dnd', async () => {
		const { store, phone, history } = setup({ settings: DND });
		const seen: number[] = [];
		const stop = $effect.root(() => {
			$effect(() => {
				seen.push(store.calls.length + store.incoming.length);
			});
		});
		flushSync();
		phone.emitCall({
			id: 'in',
			direction: 'inbound',
			phase: 'ringing',
			remote: '+442071838750',
			startedAt: Date.UTC(2026, 0, 15, 9, 30, 0),
		});
		flushSync();
		expect(phone.callsTo('decline')).toEqual([['in']]);
		expect(store.calls).toEqual([]);
		expect(store.incoming).toEqual([]);
		expect(store.busy).toBe(false);
		expect(store.report([], []).call).toBeNull();

		// The adapter reports the end of the declined call; late and repeated updates follow.
		phone.update('in', { phase: 'ringing' });
		phone.end('in', endReasonOf('declined'));
		phone.end('in', endReasonOf('hangup-local'));
		phone.update('in', { phase: 'active' });
		flushSync();
		stop();
		await settle();
		expect(phone.callsTo('decline')).toEqual([['in']]);
		expect(store.calls).toEqual([]);
		expect(seen.every((n) => n === 0)).toBe(true);
		expect(history).toEqual([
			{
				id: 'in',
				direction: 'inbound',
				remote: '+442071838750',
				remoteName: '',
				video: false,
				startedAt: '2026-01-15T09:30:00.000Z',
				durationSeconds: 0,
				answered: false,
				endReason: 'dnd',
				endMessage: 'Rejected while Do not disturb was on.',
				cause: null,
				sipCode: null,
				telnyxIds: { callControlId: null, sessionId: null, legId: null },
				quality: null,
			},
		]);
	});

	it('declines a call whose first update did not yet say it was inbound, and takes it off the screen', async () => {
		const { store, phone } = setup({ settings: DND });
		phone.emitCall({
			id: 'early',
			direction: 'outbound',
			phase: 'dialing',
			remote: '+442071838750',
		});
		flushSync();
		expect(store.calls.map((c) => c.id)).toEqual(['early']);
		phone.update('early', { direction: 'inbound', phase: 'ringing' });
		flushSync();
		expect(phone.callsTo('decline')).toEqual([['early']]);
		expect(store.calls).toEqual([]);
		expect(store.incoming).toEqual([]);
	});

	it('names a rejected installation call after the directory in the history', async () => {
		const { phone, history } = setup({ settings: DND });
		phone.emitCall({
			id: 'k',
			direction: 'inbound',
			phase: 'ringing',
			remote: 'sip:gencredKitchen@sip.telnyx.com',
		});
		phone.end('k', endReasonOf('declined'));
		await settle();
		expect(history.map((h) => [h.remoteName, h.endReason])).toEqual([['Kitchen Laptop', 'dnd']]);
	});

	it('lets outbound calls through', async () => {
		const { store, phone } = setup({ settings: DND });
		phone.connection({ kind: 'registered' });
		const id = (await store.dial('+14155552671', false))!;
		phone.update(id, { phase: 'ringing' });
		phone.update(id, { phase: 'active' });
		expect(phone.callsTo('decline')).toEqual([]);
		expect(store.focused?.id).toBe(id);
	});

	it('lets inbound calls ring when it is off', () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing' });
		expect(phone.callsTo('decline')).toEqual([]);
		expect(store.incoming.map((c) => c.id)).toEqual(['in']);
	});

	it('applies from the next call once switched on', async () => {
		let settings: Settings = PROVISIONED;
		const { store, phone, history } = setup({ currentSettings: () => settings });
		phone.emitCall({ id: 'before', direction: 'inbound', phase: 'ringing' });
		phone.end('before', endReasonOf('cancelled'));
		settings = DND;
		phone.emitCall({ id: 'after', direction: 'inbound', phase: 'ringing' });
		phone.end('after', endReasonOf('declined'));
		await settle();
		expect(phone.callsTo('decline')).toEqual([['after']]);
		expect(store.calls.map((c) => c.id)).toEqual(['before']);
		expect(history.map((h) => [h.id, h.endReason])).toEqual([
			['before', 'cancelled'],
			['after', 'dnd'],
		]);
	});

	it('leaves a call that was already ringing on screen when it is switched on, and lets it end', async () => {
		let settings: Settings = PROVISIONED;
		const { store, phone, history } = setup({ currentSettings: () => settings });
		phone.emitCall({ id: 'ringing', direction: 'inbound', phase: 'ringing' });
		settings = DND;
		phone.update('ringing', { remoteName: 'Grace' });
		expect(store.incoming.map((c) => [c.id, c.remoteName])).toEqual([['ringing', 'Grace']]);
		phone.end('ringing', endReasonOf('cancelled'));
		await settle();
		expect(store.incoming).toEqual([]);
		expect(store.calls.map((c) => c.phase)).toEqual(['ended']);
		expect(history.map((h) => [h.id, h.endReason])).toEqual([['ringing', 'cancelled']]);
	});
});

describe('CallStore: commands from the tray, notifications and shortcuts', () => {
	it('answer: answers the ringing call (holding the active one first); nothing when none rings', async () => {
		const { store, phone } = setup();
		await store.command('answer');
		expect(phone.callsTo('answer')).toEqual([]);

		phone.emitCall({ id: 'talk', direction: 'outbound', phase: 'active', answeredAt: 1 });
		phone.emitCall({ id: 'first', direction: 'inbound', phase: 'ringing' });
		phone.emitCall({ id: 'second', direction: 'inbound', phase: 'ringing' });
		await store.command('answer');
		expect(phone.callsTo('hold')).toEqual([['talk']]);
		expect(phone.callsTo('answer')).toEqual([
			['first', { video: false, microphoneId: 'mic-2', cameraId: 'cam-1' }],
		]);
	});

	it('decline: declines the ringing call, never the active one', () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'talk', phase: 'active', answeredAt: 1 });
		void store.command('decline');
		expect(phone.callsTo('decline')).toEqual([]);
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing' });
		void store.command('decline');
		expect(phone.callsTo('decline')).toEqual([['in']]);
		expect(phone.callsTo('hangup')).toEqual([]);
	});

	it('hangup: hangs up the call in the foreground; with only a ringing call, declines it', async () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'talk', phase: 'active', answeredAt: 1 });
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing' });
		await store.command('hangup');
		expect(phone.callsTo('hangup')).toEqual([['talk']]);
		expect(phone.callsTo('decline')).toEqual([]);

		phone.end('talk', endReasonOf('hangup-local'));
		await store.command('hangup');
		expect(phone.callsTo('decline')).toEqual([['in']]);
		expect(phone.callsTo('hangup')).toEqual([['talk']]);
	});

	it('hangup: hangs up an outbound call that is still being dialled', async () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'out', phase: 'trying' });
		await store.command('hangup');
		expect(phone.callsTo('hangup')).toEqual([['out']]);
	});

	it('toggleMute: mutes and unmutes the call in the foreground, not the one on hold', async () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'held', phase: 'held', answeredAt: 1 });
		phone.emitCall({ id: 'talk', phase: 'active', answeredAt: 2 });
		await store.command('toggleMute');
		await store.command('toggleMute');
		expect(phone.callsTo('setMuted')).toEqual([
			['talk', true],
			['talk', false],
		]);
	});

	it('toggleHold: holds the active call, then takes it off hold', async () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'talk', phase: 'active', answeredAt: 1 });
		await store.command('toggleHold');
		expect(store.focused?.phase).toBe('held');
		await store.command('toggleHold');
		expect(phone.callsTo('hold')).toEqual([['talk']]);
		expect(phone.callsTo('unhold')).toEqual([['talk']]);
		expect(store.focused?.phase).toBe('active');
	});

	it('toggleHold: does nothing to a call that is not yet answered', async () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'out', phase: 'ringing' });
		await store.command('toggleHold');
		expect(phone.callsTo('hold')).toEqual([]);
		expect(phone.callsTo('unhold')).toEqual([]);
	});

	it('does nothing to a call that has ended, or when there is no call', async () => {
		const { store, phone } = setup();
		for (const command of ['answer', 'decline', 'hangup', 'toggleMute', 'toggleHold'] as const)
			await store.command(command);
		phone.emitCall({ id: 'gone', phase: 'active', answeredAt: 1 });
		phone.end('gone', endReasonOf('hangup-remote'));
		for (const command of ['answer', 'decline', 'hangup', 'toggleMute', 'toggleHold'] as const)
			await store.command(command);
		expect(
			phone
				.methods()
				.filter((m) => ['answer', 'decline', 'hangup', 'setMuted', 'hold', 'unhold'].includes(m)),
		).toEqual([]);
	});
});

describe('CallStore: commands naming a call (a notification’s Answer and Decline)', () => {
	it('answer: answers the named call while it rings, even when another rings before it', async () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'first', direction: 'inbound', phase: 'ringing' });
		phone.emitCall({ id: 'second', direction: 'inbound', phase: 'ringing' });
		await store.command('answer', 'second');
		expect(phone.callsTo('answer')).toEqual([
			['second', { video: false, microphoneId: 'mic-2', cameraId: 'cam-1' }],
		]);
		expect(store.notices).toEqual([]);
	});

	it('answer: a call that stopped ringing is not answered, nor is the one ringing now; a notice says why', async () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'announced', direction: 'inbound', phase: 'ringing' });
		phone.end('announced', endReasonOf('cancelled'));
		phone.emitCall({ id: 'later', direction: 'inbound', phase: 'ringing' });
		await store.command('answer', 'announced');
		expect(phone.callsTo('answer')).toEqual([]);
		expect(phone.callsTo('decline')).toEqual([]);
		expect(store.incoming.map((c) => c.id)).toEqual(['later']);
		expect(store.notices.map((n) => [n.level, n.message])).toEqual([
			['info', 'That call is no longer ringing.'],
		]);
	});

	it('answer: a call already answered (here from the window) is left as it is', async () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing' });
		phone.update('in', { phase: 'active', answeredAt: 1 });
		await store.command('answer', 'in');
		expect(phone.callsTo('answer')).toEqual([]);
		expect(store.notices.map((n) => n.message)).toEqual(['That call is no longer ringing.']);
	});

	it('answer: a call id the app never saw does nothing but say so', async () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing' });
		await store.command('answer', 'unknown-id');
		expect(phone.callsTo('answer')).toEqual([]);
		expect(store.notices.map((n) => n.message)).toEqual(['That call is no longer ringing.']);
	});

	it('decline: declines the named ringing call only; not one that stopped ringing', async () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'first', direction: 'inbound', phase: 'ringing' });
		phone.emitCall({ id: 'second', direction: 'inbound', phase: 'ringing' });
		await store.command('decline', 'second');
		expect(phone.callsTo('decline')).toEqual([['second']]);

		phone.end('first', endReasonOf('cancelled'));
		await store.command('decline', 'first');
		expect(phone.callsTo('decline')).toEqual([['second']]);
		expect(store.notices.map((n) => n.message)).toEqual(['That call is no longer ringing.']);
	});

	it('hangup, mute and hold act on the named call, not the one in front; an ended one is reported', async () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'held', phase: 'held', answeredAt: 1 });
		phone.emitCall({ id: 'talk', phase: 'active', answeredAt: 2 });
		await store.command('toggleMute', 'held');
		expect(phone.callsTo('setMuted')).toEqual([['held', true]]);
		await store.command('hangup', 'held');
		expect(phone.callsTo('hangup')).toEqual([['held']]);
		// The fake leaves ending to the test, as the SDK reports it later.
		phone.end('held', endReasonOf('hangup-local'));
		await store.command('toggleHold', 'held');
		expect(phone.callsTo('unhold')).toEqual([]);
		expect(phone.callsTo('hold')).toEqual([]);
		expect(store.notices.map((n) => n.message)).toEqual(['That call has already ended.']);
	});

	it('without an id, acts on the call in front as before', async () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'first', direction: 'inbound', phase: 'ringing' });
		phone.emitCall({ id: 'second', direction: 'inbound', phase: 'ringing' });
		await store.command('answer', null);
		expect(phone.callsTo('answer')).toEqual([
			['first', { video: false, microphoneId: 'mic-2', cameraId: 'cam-1' }],
		]);
		expect(store.notices).toEqual([]);
	});
});

describe('CallStore: report (for the tray and notifications)', () => {
	it.each([
		[{ kind: 'idle' }, 'setup'],
		[{ kind: 'connecting' }, 'connecting'],
		[{ kind: 'registered' }, 'registered'],
		[{ kind: 'reconnecting', attempt: 1, retryAt: null }, 'reconnecting'],
		[{ kind: 'offline' }, 'offline'],
		[{ kind: 'failed', reason: 'other', message: 'x' }, 'failed'],
	] as const)('reports the connection %j as %s', (status, connection) => {
		const { store, phone } = setup();
		phone.connection(status);
		expect(store.report([], [])).toEqual({ connection, call: null, installations: [], recent: [] });
	});

	it('reports a ringing inbound call first, even during another call', () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'talk', phase: 'active', answeredAt: 1, remote: '+13125550142' });
		phone.emitCall({
			id: 'in',
			direction: 'inbound',
			phase: 'ringing',
			remote: 'sip:gencredKitchen@sip.telnyx.com',
			video: true,
		});
		// The address (what main finds a contact by) and the name shown for it (here the installation's).
		expect(store.report([], []).call).toEqual({
			id: 'in',
			remote: 'sip:gencredKitchen@sip.telnyx.com',
			remoteName: 'Kitchen Laptop',
			phase: 'ringing',
			direction: 'inbound',
			muted: false,
			held: false,
			video: true,
		});
	});

	it.each([
		['dialing', 'calling'],
		['trying', 'calling'],
		['ringing', 'calling'],
		['early', 'calling'],
		['connecting', 'calling'],
		['active', 'active'],
		['held', 'held'],
	] as const)('reports an outbound call that is %s as %s', (phase, reported) => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'out', phase, muted: phase === 'active' });
		expect(store.report([], []).call).toEqual({
			id: 'out',
			remote: '+13125550142',
			remoteName: '',
			phase: reported,
			direction: 'outbound',
			muted: phase === 'active',
			held: phase === 'held',
			video: false,
		});
	});

	it('reports an inbound call being answered as calling, then active', () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing' });
		phone.update('in', { phase: 'connecting' });
		expect(store.report([], []).call?.phase).toBe('calling');
		phone.update('in', { phase: 'active' });
		expect(store.report([], []).call).toMatchObject({ phase: 'active', direction: 'inbound' });
	});

	it('names the call it reports, so a notification can say which call its buttons are for', () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'sdk-call-7f3a', direction: 'inbound', phase: 'ringing' });
		expect(store.report([], []).call?.id).toBe('sdk-call-7f3a');
	});

	it('reports no call once every call has ended', () => {
		const { store, phone } = setup();
		phone.emitCall({ id: 'x', phase: 'active', answeredAt: 1 });
		phone.end('x', endReasonOf('hangup-remote'));
		expect(store.focused?.id).toBe('x');
		expect(store.report([], []).call).toBeNull();
	});

	it('passes the installations and recent calls on, at most 100 and 20', () => {
		const { store } = setup();
		const installations = Array.from({ length: 150 }, (_, i) => ({ name: `Device ${i}` }));
		const recent = Array.from({ length: 30 }, (_, i) => ({
			label: `#${i}`,
			destination: `+1312555${1000 + i}`,
		}));
		const report = store.report(installations, recent);
		expect(report.installations).toEqual(installations.slice(0, 100));
		expect(report.recent).toEqual(recent.slice(0, 20));
	});
});

describe('CallStore: the critical path — nothing off the media path until an answered call’s media connects', () => {
	/** A store whose reports to main and history writes land in one log, in the order they happen. */
	function logged() {
		const log: string[] = [];
		const phone = new FakeSoftphone();
		const bridge = fakeBridge({
			media: { requestAccess: async () => GRANTED },
			history: {
				add: async (entry) => {
					log.push(`history ${entry.id}`);
					return [];
				},
			},
			desktop: {
				report: async (report) => {
					log.push(`report ${report.call?.id ?? '-'} ${report.call?.phase ?? 'idle'}`);
				},
			},
		});
		const store = new CallStore({
			phone,
			bridge,
			settings: () => PROVISIONED,
			signallingUrl: () => 'wss://127.0.0.1:18443',
			directory: () => DIRECTORY,
		});
		// What App.svelte's effect does on every change of the phone's state.
		const report = () => store.reportToMain(store.report([], []));
		return { log, phone, store, report };
	}

	it('caller: the ringback stops at the answer; reports and history writes wait for connected media, then all run', async () => {
		const { log, phone, store, report } = logged();
		phone.emitCall({ id: 'a', phase: 'ringing' });
		report();
		expect(store.tone).toBe('ringback');
		phone.update('a', { phase: 'active', answeredAt: 1 });
		// Decided: the ringback must not play over the far end's first words.
		expect(store.tone).toBeNull();
		expect(store.mediaPending).toBe(true);
		report();
		// Another call rings in and is cancelled meanwhile: its history entry waits too.
		phone.emitCall({ id: 'b', direction: 'inbound', phase: 'ringing' });
		report();
		phone.end('b', endReasonOf('cancelled'));
		report();
		await settle();
		expect(log).toEqual(['report a calling']);
		phone.update('a', { mediaConnected: true });
		report();
		await settle();
		expect(store.mediaPending).toBe(false);
		expect(log).toEqual(['report a calling', 'history b', 'report a active']);
	});

	it('callee: from the answer to connected media nothing is reported; the ringtone stops once the answer is sent', async () => {
		const { log, phone, store, report } = logged();
		phone.emitCall({ id: 'c', direction: 'inbound', phase: 'ringing' });
		report();
		expect(store.tone).toBe('ring');
		await store.answer('c', false);
		phone.update('c', { phase: 'connecting' });
		expect(store.tone).toBeNull();
		report();
		phone.update('c', { phase: 'active', answeredAt: 1 });
		report();
		await settle();
		expect(log).toEqual(['report c ringing']);
		phone.update('c', { mediaConnected: true });
		await settle();
		expect(log).toEqual(['report c ringing', 'report c active']);
	});

	it(`gives up waiting after ${MEDIA_WAIT_MS} ms when the media never connects`, async () => {
		vi.useFakeTimers();
		const { log, phone, store, report } = logged();
		phone.emitCall({ id: 'd', phase: 'active', answeredAt: 1 });
		report();
		await vi.advanceTimersByTimeAsync(MEDIA_WAIT_MS - 1);
		expect(log).toEqual([]);
		await vi.advanceTimersByTimeAsync(1);
		expect(log).toEqual(['report d active']);
		// Not waited for again, whatever the call does next.
		phone.update('d', { phase: 'held' });
		phone.update('d', { phase: 'active' });
		report();
		await vi.advanceTimersByTimeAsync(0);
		expect(store.mediaPending).toBe(false);
		expect(log).toEqual(['report d active']);
	});

	it('a late `active` after a call ended holds nothing back', async () => {
		const { log, phone, store, report } = logged();
		phone.emitCall({ id: 'g', phase: 'active', answeredAt: 1 });
		phone.end('g', endReasonOf('hangup-remote'));
		phone.update('g', { phase: 'active' });
		expect(store.mediaPending).toBe(false);
		report();
		await settle();
		expect(log).toEqual(['history g', 'report - idle']);
	});

	it('an ended call is written at once when no answered call is connecting', async () => {
		const { log, phone } = logged();
		phone.emitCall({ id: 'e', phase: 'active', answeredAt: 1 });
		phone.end('e', endReasonOf('hangup-local'));
		await settle();
		expect(log).toEqual(['history e']);
	});

	it('sends main a report only when it changed', async () => {
		const { log, phone, report } = logged();
		report();
		report();
		phone.emitCall({ id: 'f', phase: 'ringing' });
		report();
		report();
		await settle();
		expect(log).toEqual(['report - idle', 'report f calling']);
	});
});
