import { render, screen, waitFor, within } from '@testing-library/svelte';
import { userEvent } from '@testing-library/user-event';
import { flushSync } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../../renderer/src/App.svelte';
import { AccountModel } from '../../../renderer/src/lib/account-model.svelte';
import { AppModel } from '../../../renderer/src/lib/app-model.svelte';
import { CallStore } from '../../../renderer/src/lib/call/call-store.svelte';
import type { KeyStatus, Settings } from '../../../preload/contract';
import { FAKE_KEY_STATUS, FAKE_SETTINGS, fakeBridge } from '../../fakes/fake-bridge';
import { FakeSoftphone } from '../../fakes/fake-softphone';

const STORED: KeyStatus = { ...FAKE_KEY_STATUS, hasApiKey: true, persisted: true };
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

/** Lets pending promise callbacks (the bridge's answers) run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The whole app over a fake bridge (a set-up account) and a fake softphone. */
async function setup(options: { justProvisioned?: boolean } = {}) {
	const bridge = fakeBridge({
		settings: { get: async () => PROVISIONED },
		credentials: { getStatus: async () => STORED },
		history: { list: async () => [] },
		telnyx: {
			getLoginToken: async () => ({
				ok: true,
				value: { token: 'jwt', expiresAt: '2026-01-15T10:30:00.000Z' },
			}),
		},
		desktop: { report: async () => undefined, markMissedSeen: async () => undefined },
		media: {
			requestAccess: async () => ({ microphone: 'granted', camera: 'granted', message: null }),
		},
		account: {
			listInstallations: async () => ({ ok: true, value: [] }),
			listPhoneNumbers: async () => ({ ok: true, value: [] }),
		},
	});
	const phone = new FakeSoftphone();
	const model = new AppModel(bridge);
	const account = new AccountModel(bridge);
	account.justProvisioned = options.justProvisioned ?? false;
	const store = new CallStore({
		phone,
		bridge,
		settings: () => model.settings,
		directory: () => account.others,
	});
	render(App, { props: { bridge, model, account, store } });
	await waitFor(() => expect(phone.callsTo('connect')).toHaveLength(1));
	phone.connection({ kind: 'registered' });
	phone.emitCall({ id: 'talk', phase: 'active', answeredAt: 1 });
	/** Main announces new settings, then the app catches up. */
	const change = async (settings: Settings) => {
		bridge.emit('settings:changed', settings);
		flushSync();
		await settle();
	};
	return { bridge, phone, account, store, change, user: userEvent.setup() };
}

describe('App: the connection', () => {
	it('stays connected, with the call, when other settings change', async () => {
		const { phone, change } = await setup();
		const dnd = { ...PROVISIONED, ui: { ...PROVISIONED.ui, doNotDisturb: true } };
		await change(dnd);
		await change({ ...dnd, devices: { ...dnd.devices, speakerId: 'spk-2' } });
		await change({ ...dnd, callerId: { name: 'Front', number: null } });
		expect(phone.callsTo('disconnect')).toEqual([]);
		expect(phone.callsTo('connect')).toHaveLength(1);
		expect(screen.getByRole('heading', { name: '+13125550142' })).toBeTruthy();
	});

	it('reconnects with the new signalling URL when it changes', async () => {
		const { phone, change } = await setup();
		const signallingUrl = 'wss://rtc.example.test';
		await change({ ...PROVISIONED, endpoints: { ...PROVISIONED.endpoints, signallingUrl } });
		expect(phone.callsTo('disconnect')).toHaveLength(1);
		expect(phone.callsTo('connect').map(([o]) => o.signallingUrl)).toEqual([
			'wss://rtc.telnyx.com',
			signallingUrl,
		]);
	});

	it('stays connected when the caller ID step after provisioning is done', async () => {
		const { phone, account } = await setup({ justProvisioned: true });
		expect(screen.getByRole('heading', { name: 'Caller ID' })).toBeTruthy();
		account.justProvisioned = false;
		flushSync();
		await settle();
		expect(screen.getByRole('navigation', { name: 'Sections' })).toBeTruthy();
		expect(phone.callsTo('disconnect')).toEqual([]);
		expect(phone.callsTo('connect')).toHaveLength(1);
	});
});

describe('App: calls', () => {
	// jsdom has no Web Audio; an incoming call rings through it.
	class SilentAudioContext {
		readonly destination = {};
		readonly currentTime = 0;
		createGain = () => ({ gain: { value: 0 }, connect: () => undefined });
		createOscillator = () => ({
			frequency: { value: 0 },
			connect: () => undefined,
			start: () => undefined,
			stop: () => undefined,
		});
		close = async () => undefined;
	}
	beforeEach(() => vi.stubGlobal('AudioContext', SilentAudioContext));
	afterEach(() => vi.unstubAllGlobals());

	it('shows each call in its own panel, so media elements are not reused across calls', async () => {
		const { phone, store } = await setup();
		const first = screen.getByTestId('remote-audio');
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing', remote: '+442071838750' });
		await store.answer('in', false);
		phone.update('in', { phase: 'active', answeredAt: 2 });
		flushSync();
		expect(screen.getByRole('heading', { name: '+442071838750' })).toBeTruthy();
		expect(screen.getByTestId('remote-audio')).not.toBe(first);
		expect(phone.callsTo('attachMedia').at(-1)).toEqual([
			'in',
			{ local: null, remote: screen.getByTestId('remote-audio') },
		]);
	});
});

describe('App: settings', () => {
	it('offers the caller ID without a Skip button', async () => {
		const { user } = await setup();
		await user.click(screen.getByRole('button', { name: 'Settings' }));
		const callerId = screen.getByRole('region', { name: 'Caller ID' });
		expect(within(callerId).getByRole('button', { name: 'Save' })).toBeTruthy();
		expect(within(callerId).queryByRole('button', { name: 'Skip' })).toBeNull();
	});
});
