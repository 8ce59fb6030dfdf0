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
		const changed = { ...FAKE_SETTINGS, ui: { ...FAKE_SETTINGS.ui, cameraEnabled: false } };
		bridge.emit('settings:changed', changed);
		expect(model.settings).toEqual(changed);
		model.dispose();
		bridge.emit('settings:changed', FAKE_SETTINGS);
		expect(model.settings).toEqual(changed);
	});

	it('exposes the endpoints main chose (app.getInfo), which are not settings', async () => {
		const endpoints = {
			restBaseUrl: 'http://127.0.0.1:14000/v2',
			signallingUrl: 'ws://127.0.0.1:14001',
		};
		const model = new AppModel(
			fakeBridge({ app: { getInfo: async () => ({ ...FAKE_INFO, endpoints }) } }),
		);
		await model.load();
		expect(model.info?.endpoints).toEqual(endpoints);
		expect(model.settings).not.toHaveProperty('endpoints');
		// The model offers no way to change them (main refuses `settings.update({ endpoints })` anyway).
		expect(Object.keys(model).filter((key) => /endpoint/i.test(key))).toEqual([]);
	});
});
