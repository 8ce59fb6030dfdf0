import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventMap } from '../../../preload/contract';
import { nodeSettingsFs } from '../../../main/node-fs';
import { resolveProfile } from '../../../main/profile';
import { createMainServices, type MainServicesDeps } from '../../../main/services';
import { recordingLogger } from '../../support/recording-logger';

let base: string;

beforeEach(async () => {
	base = await mkdtemp(path.join(tmpdir(), 'softphone-services-'));
});

afterEach(async () => {
	await rm(base, { recursive: true, force: true });
});

function setup(overrides: Partial<MainServicesDeps> = {}) {
	const emit = vi.fn<(event: keyof EventMap, ...payload: unknown[]) => void>();
	const deps: MainServicesDeps = {
		userDataDir: path.join(base, 'Telnyx Softphone (demo)'),
		profile: resolveProfile(['--profile=demo']),
		app: { name: 'Telnyx Softphone', version: '1.2.3', platform: 'linux' },
		fs: nodeSettingsFs,
		logger: recordingLogger(),
		emit,
		...overrides,
	};
	return { deps, emit };
}

describe('createMainServices', () => {
	it('creates the user-data folder (owner only) and keeps the settings file in it', async () => {
		const { deps } = setup();
		const services = await createMainServices(deps);
		if (process.platform !== 'win32')
			expect((await stat(deps.userDataDir)).mode & 0o777).toBe(0o700);
		await services.handlers.settings.update({
			endpoints: { signallingUrl: 'ws://127.0.0.1:25001' },
		});
		const saved = JSON.parse(
			await readFile(path.join(deps.userDataDir, 'settings.json'), 'utf8'),
		) as unknown;
		expect(saved).toMatchObject({
			version: 1,
			endpoints: { signallingUrl: 'ws://127.0.0.1:25001' },
		});
	});

	it('answers app info with the profile, and the profile default endpoints as settings', async () => {
		const { deps } = setup();
		const { handlers } = await createMainServices(deps);
		expect(await handlers.app.getInfo()).toStrictEqual({
			name: 'Telnyx Softphone',
			version: '1.2.3',
			platform: 'linux',
			profile: 'demo',
		});
		expect(await handlers.settings.get()).toStrictEqual({
			endpoints: {
				restBaseUrl: 'http://127.0.0.1:14000/v2',
				signallingUrl: 'ws://127.0.0.1:14001',
			},
		});
	});

	it('emits settings:changed through the injected emit after a successful update', async () => {
		const { deps, emit } = setup();
		const { handlers } = await createMainServices(deps);
		const result = await handlers.settings.update({
			endpoints: { restBaseUrl: 'http://127.0.0.1:25000/v2/' },
		});
		expect(result.ok).toBe(true);
		expect(emit).toHaveBeenCalledTimes(1);
		expect(emit).toHaveBeenCalledWith('settings:changed', {
			endpoints: {
				restBaseUrl: 'http://127.0.0.1:25000/v2',
				signallingUrl: 'ws://127.0.0.1:14001',
			},
		});
		expect(await handlers.settings.get()).toStrictEqual(emit.mock.calls[0]?.[1]);
	});

	it('emits nothing for a refused update', async () => {
		const { deps, emit } = setup();
		const { handlers } = await createMainServices(deps);
		const result = await handlers.settings.update({
			endpoints: { restBaseUrl: 'http://evil.example/v2' },
		});
		expect(result.ok).toBe(false);
		expect(emit).not.toHaveBeenCalled();
	});

	it('stops forwarding after dispose', async () => {
		const { deps, emit } = setup();
		const services = await createMainServices(deps);
		services.dispose();
		const result = await services.handlers.settings.update({
			endpoints: { signallingUrl: 'ws://127.0.0.1:9' },
		});
		expect(result.ok).toBe(true);
		expect(emit).not.toHaveBeenCalled();
	});

	it('loads what an earlier run saved', async () => {
		const { deps } = setup();
		const first = await createMainServices(deps);
		await first.handlers.settings.update({ endpoints: { signallingUrl: 'ws://localhost:25001' } });
		const second = await createMainServices(deps);
		expect((await second.handlers.settings.get()).endpoints.signallingUrl).toBe(
			'ws://localhost:25001',
		);
	});
});
