import { describe, expect, it } from 'vitest';
import type { AppInfo, Settings } from '../../../../preload/contract';
import { TELNYX_PRODUCTION } from '../../../../main/endpoints';
import { createHandlers } from '../../../../main/ipc/handlers';
import { SettingsStore, type SettingsFileSystem } from '../../../../main/settings/settings-file';
import { silentLogger } from '../../../../main/logger';

const appInfo: AppInfo = {
	name: 'Telnyx Softphone',
	version: '0.1.0',
	platform: 'darwin',
	profile: 'dev',
};

async function store(): Promise<{ settings: SettingsStore; files: Map<string, string> }> {
	const files = new Map<string, string>();
	const fs: SettingsFileSystem = {
		readFile: async (name) => files.get(name) ?? null,
		writeFileAtomic: async (name, data) => {
			files.set(name, data);
		},
		rename: async () => {},
	};
	const defaults: Settings = { endpoints: TELNYX_PRODUCTION };
	return {
		settings: await SettingsStore.load({ file: '/s.json', fs, defaults, logger: silentLogger }),
		files,
	};
}

describe('createHandlers', () => {
	it('answers the app info it was given', async () => {
		const { settings } = await store();
		expect(await createHandlers({ appInfo, settings }).app.getInfo()).toBe(appInfo);
	});

	it('reads and updates settings through the store', async () => {
		const { settings, files } = await store();
		const handlers = createHandlers({ appInfo, settings });
		expect(await handlers.settings.get()).toStrictEqual({ endpoints: TELNYX_PRODUCTION });

		const result = await handlers.settings.update({
			endpoints: { signallingUrl: 'ws://127.0.0.1:14001' },
		});
		expect(result).toStrictEqual({
			ok: true,
			value: {
				endpoints: {
					restBaseUrl: TELNYX_PRODUCTION.restBaseUrl,
					signallingUrl: 'ws://127.0.0.1:14001',
				},
			},
		});
		expect(await handlers.settings.get()).toStrictEqual(result.ok ? result.value : undefined);
		expect(files.get('/s.json')).toContain('ws://127.0.0.1:14001');
	});

	it('returns an invalid setting as a Result, not an exception', async () => {
		const { settings } = await store();
		const result = await createHandlers({ appInfo, settings }).settings.update({
			endpoints: { signallingUrl: 'ws://evil.example' },
		});
		expect(result).toMatchObject({
			ok: false,
			error: { code: 'INVALID_SETTING', field: 'endpoints.signallingUrl' },
		});
	});
});
