import { describe, expect, it } from 'vitest';
import { AppModel } from '../../../renderer/src/lib/app-model.svelte';
import { FAKE_INFO, FAKE_SETTINGS, fakeBridge } from '../../fakes/fake-bridge';

describe('AppModel', () => {
	it('loads what main reports', async () => {
		const model = new AppModel(fakeBridge());
		await model.load();
		expect(model.info).toEqual(FAKE_INFO);
		expect(model.settings).toEqual(FAKE_SETTINGS);
		expect(model.loadError).toBeNull();
	});

	it('says, in words, when main cannot be reached', async () => {
		const model = new AppModel(
			fakeBridge({
				settings: { get: () => Promise.reject(new Error('[INTERNAL] settings:get failed')) },
			}),
		);
		await model.load();
		expect(model.loadError).toBe(
			'The app could not read its settings: [INTERNAL] settings:get failed',
		);
	});

	it('follows settings:changed from main until disposed', async () => {
		const bridge = fakeBridge();
		const model = new AppModel(bridge);
		await model.load();
		const changed = {
			...FAKE_SETTINGS,
			endpoints: { ...FAKE_SETTINGS.endpoints, signallingUrl: 'wss://rtcdev.telnyx.com' },
		};
		bridge.emit('settings:changed', changed);
		expect(model.settings).toEqual(changed);
		model.dispose();
		bridge.emit('settings:changed', FAKE_SETTINGS);
		expect(model.settings).toEqual(changed);
	});

	it('returns main’s refusal of new endpoints, and keeps the old ones', async () => {
		const refusal = {
			code: 'INVALID_SETTING' as const,
			field: 'endpoints.restBaseUrl',
			message: 'no',
		};
		const model = new AppModel(
			fakeBridge({ settings: { update: async () => ({ ok: false, error: refusal }) } }),
		);
		await model.load();
		expect(await model.saveEndpoints({ restBaseUrl: 'x', signallingUrl: 'y' })).toEqual(refusal);
		expect(model.settings).toEqual(FAKE_SETTINGS);
	});
});
