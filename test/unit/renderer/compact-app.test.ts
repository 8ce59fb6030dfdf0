import { render, screen, waitFor } from '@testing-library/svelte';
import { userEvent } from '@testing-library/user-event';
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import CompactApp from '../../../renderer/src/CompactApp.svelte';
import type { DialRequest, Settings } from '../../../preload/contract';
import { AccountModel } from '../../../renderer/src/lib/account-model.svelte';
import { AppModel } from '../../../renderer/src/lib/app-model.svelte';
import { FAKE_SETTINGS, fakeBridge } from '../../fakes/fake-bridge';

const withCamera = (cameraEnabled: boolean): Settings => ({
	...FAKE_SETTINGS,
	ui: { ...FAKE_SETTINGS.ui, cameraEnabled },
});

/** The tray's compact dialer over a fake bridge; it only asks main to dial, in the main window. */
async function setup(settings: Settings) {
	const dial = vi.fn(async (_request: DialRequest) => undefined);
	const bridge = fakeBridge({
		settings: { get: async () => settings },
		desktop: { dial },
		account: { listInstallations: async () => ({ ok: true, value: [] }) },
	});
	const model = new AppModel(bridge);
	render(CompactApp, { props: { bridge, account: new AccountModel(bridge), model } });
	await waitFor(() => expect(model.settings).toBe(settings));
	flushSync();
	const field = screen.getByLabelText('Call a number, SIP address or installation');
	return { bridge, dial, field, user: userEvent.setup() };
}

describe('CompactApp: the camera switch', () => {
	it('offers a video call while the camera is switched on', async () => {
		const { dial, field, user } = await setup(withCamera(true));
		await user.type(field, '+14155552671');
		await user.click(screen.getByRole('button', { name: 'Video' }));
		expect(dial.mock.calls).toEqual([[{ destination: '+14155552671', video: true, now: true }]]);
	});

	it('offers audio only while it is off, and follows main when it changes', async () => {
		const { bridge, dial, field, user } = await setup(withCamera(false));
		expect(screen.queryByRole('button', { name: 'Video' })).toBeNull();
		await user.type(field, '+14155552671');
		await user.click(screen.getByRole('button', { name: 'Call' }));
		expect(dial.mock.calls).toEqual([[{ destination: '+14155552671', video: false, now: true }]]);

		bridge.emit('settings:changed', withCamera(true));
		flushSync();
		expect(screen.getByRole('button', { name: 'Video' })).toBeTruthy();
	});

	it('offers no video before the settings are known', () => {
		const bridge = fakeBridge({
			settings: { get: () => new Promise<Settings>(() => undefined) },
			account: { listInstallations: async () => ({ ok: true, value: [] }) },
		});
		render(CompactApp, {
			props: { bridge, account: new AccountModel(bridge), model: new AppModel(bridge) },
		});
		expect(screen.getByRole('button', { name: 'Call' })).toBeTruthy();
		expect(screen.queryByRole('button', { name: 'Video' })).toBeNull();
	});
});
