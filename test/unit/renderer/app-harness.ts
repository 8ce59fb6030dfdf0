/**
 * The whole app (`App.svelte`) over a fake bridge for an account that is set up and a fake softphone,
 * mounted and registered: what `app.test.ts` and `app-views.test.ts` start each test from.
 */
import { render, waitFor } from '@testing-library/svelte';
import { expect } from 'vitest';
import App from '../../../renderer/src/App.svelte';
import { AccountModel } from '../../../renderer/src/lib/account-model.svelte';
import { AppModel } from '../../../renderer/src/lib/app-model.svelte';
import { CallStore } from '../../../renderer/src/lib/call/call-store.svelte';
import type { KeyStatus, RendererApi, Settings } from '../../../preload/contract';
import {
	FAKE_INFO,
	FAKE_KEY_STATUS,
	FAKE_SETTINGS,
	fakeBridge,
	type FakeBridge,
} from '../../fakes/fake-bridge';
import { FakeSoftphone } from '../../fakes/fake-softphone';

export const STORED: KeyStatus = { ...FAKE_KEY_STATUS, hasApiKey: true, persisted: true };
export const PROVISIONED: Settings = {
	...FAKE_SETTINGS,
	// Telnyx refuses a phone call without a caller-ID number (D35), so the dialer asks for one first.
	callerId: { name: '', number: '+13125550142' },
	provisioned: {
		connectionId: 'conn-1',
		profileId: 'ovp-1',
		credentialId: 'cred-1',
		sipUsername: 'gencredSelf',
		deviceName: 'Ada Desk',
	},
};

/** jsdom has no Web Audio; ringing and ringback play through it (tests stub `AudioContext` with this). */
export class SilentAudioContext {
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

type Overrides = Partial<{ [N in keyof RendererApi]: Partial<RendererApi[N]> }>;

/**
 * The fake bridge of a set-up account (stored key, provisioned settings, a login token, every permission
 * granted, empty history and directory); `overrides` replace single methods of a section.
 */
export function appBridge(overrides: Overrides = {}): FakeBridge {
	const base: Overrides = {
		app: { getInfo: async () => FAKE_INFO },
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
	};
	const merged: Record<string, object> = { ...base };
	for (const [section, methods] of Object.entries(overrides))
		merged[section] = { ...merged[section], ...methods };
	return fakeBridge(merged);
}

/** Mounts the app over `bridge` and a fake softphone, and has the softphone report it registered. */
export async function mountApp(bridge: FakeBridge, options: { justProvisioned?: boolean } = {}) {
	const phone = new FakeSoftphone();
	const model = new AppModel(bridge);
	const account = new AccountModel(bridge);
	account.justProvisioned = options.justProvisioned ?? false;
	const store = new CallStore({
		phone,
		bridge,
		settings: () => model.settings,
		signallingUrl: () => model.info?.endpoints.signallingUrl ?? null,
		directory: () => account.others,
	});
	render(App, { props: { bridge, model, account, store } });
	await waitFor(() => expect(phone.callsTo('connect')).toHaveLength(1));
	phone.connection({ kind: 'registered' });
	return { phone, model, account, store };
}
