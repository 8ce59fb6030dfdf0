import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
	eventNames,
	invokeManifest,
	type EventMap,
	type IpcFailure,
	type RendererApi,
	type Settings,
} from '../../../preload/contract';
import { buildRendererApi } from '../../../preload/renderer-api';
import { wireIpc } from '../../../main/wiring';
import { nodeSettingsFs } from '../../../main/node-fs';
import { resolveProfile } from '../../../main/profile';
import { createMainServices } from '../../../main/services';
import { defaultSettings } from '../../../main/settings/settings-file';
import { MemoryKeychain } from '../../fakes/memory-keychain';
import {
	APP_URL,
	FakeIpcMain,
	FakeIpcRenderer,
	MAIN_WEB_CONTENTS_ID,
	bridgedIpcRenderer,
	fakeEvent,
} from '../../support/fake-ipc';
import { recordingLogger } from '../../support/recording-logger';

const settings: Settings = defaultSettings('6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b');

function manifestShape(): Record<string, string[]> {
	return Object.fromEntries(
		Object.entries(invokeManifest).map(([ns, methods]) => [ns, Object.keys(methods).sort()]),
	);
}

describe('buildRendererApi: shape', () => {
	it('has one function per contract method, plus on, and nothing else', () => {
		const api = buildRendererApi(new FakeIpcRenderer()) as unknown as Record<string, unknown>;
		expect(Object.keys(api).sort()).toStrictEqual([...Object.keys(invokeManifest), 'on'].sort());
		expect(typeof api.on).toBe('function');
		const shape: Record<string, string[]> = {};
		for (const [ns, methods] of Object.entries(api)) {
			if (ns === 'on') continue;
			expect(typeof methods).toBe('object');
			const entries = Object.entries(methods as Record<string, unknown>);
			for (const [name, fn] of entries) expect(typeof fn, `${ns}.${name}`).toBe('function');
			shape[ns] = entries.map(([name]) => name).sort();
		}
		expect(shape).toStrictEqual(manifestShape());
	});

	it('is frozen, down to each namespace', () => {
		const api = buildRendererApi(new FakeIpcRenderer());
		expect(Object.isFrozen(api)).toBe(true);
		for (const ns of Object.keys(invokeManifest) as (keyof typeof invokeManifest)[]) {
			expect(Object.isFrozen(api[ns]), ns).toBe(true);
		}
		const writable = api as unknown as Record<string, unknown>;
		const settingsNs = api.settings as unknown as Record<string, unknown>;
		expect(() => {
			writable.settings = {};
		}).toThrow(TypeError);
		expect(() => {
			settingsNs.get = () => Promise.resolve(settings);
		}).toThrow(TypeError);
		expect(() => {
			writable.extra = 1;
		}).toThrow(TypeError);
	});

	it('never exposes ipcRenderer or any of its functions', () => {
		const ipc = new FakeIpcRenderer();
		const api = buildRendererApi(ipc);
		const forbidden = new Set<unknown>([ipc, ipc.invoke, ipc.on, ipc.removeListener]);
		const seen: unknown[] = [];
		const walk = (value: unknown) => {
			if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return;
			if (seen.includes(value)) return;
			seen.push(value);
			for (const child of Object.values(value)) walk(child);
		};
		walk(api);
		for (const value of seen) expect(forbidden.has(value)).toBe(false);
	});
});

describe('buildRendererApi: calls', () => {
	it('invokes each method on its own channel with exactly the given arguments and resolves the value', async () => {
		const ipc = new FakeIpcRenderer((channel) => ({ ok: true, value: `value of ${channel}` }));
		const api = buildRendererApi(ipc);

		await expect(api.app.getInfo()).resolves.toBe('value of app:getInfo');
		await expect(api.settings.get()).resolves.toBe('value of settings:get');
		const patch = { ui: { cameraEnabled: false } };
		await expect(api.settings.update(patch)).resolves.toBe('value of settings:update');

		expect(ipc.calls).toStrictEqual([
			{ channel: 'app:getInfo', args: [] },
			{ channel: 'settings:get', args: [] },
			{ channel: 'settings:update', args: [patch] },
		]);
		expect(ipc.calls[2]?.args[0]).toBe(patch);
	});

	it('covers every contract method with exactly one invoke', async () => {
		const ipc = new FakeIpcRenderer();
		const api = buildRendererApi(ipc) as unknown as Record<
			string,
			Record<string, (...a: unknown[]) => Promise<unknown>>
		>;
		for (const [ns, methods] of Object.entries(manifestShape())) {
			for (const method of methods) {
				const before = ipc.calls.length;
				await api[ns]?.[method]?.('arg');
				expect(ipc.calls.length - before).toBe(1);
				expect(ipc.calls.at(-1)).toStrictEqual({ channel: `${ns}:${method}`, args: ['arg'] });
			}
		}
	});

	it.each<IpcFailure['code']>(['FORBIDDEN', 'BAD_INPUT', 'UNKNOWN_CHANNEL', 'INTERNAL'])(
		'rejects with an Error starting with [%s] when main refuses',
		async (code) => {
			const ipc = new FakeIpcRenderer(() => ({
				ok: false,
				error: { code, message: 'what went wrong' },
			}));
			const api = buildRendererApi(ipc);
			const error = await api.settings.get().then(
				() => undefined,
				(e: unknown) => e,
			);
			expect(error).toBeInstanceOf(Error);
			expect((error as Error).message).toBe(`[${code}] what went wrong`);
		},
	);

	it('resolves a handler-level failure Result as a value (it is not a refusal)', async () => {
		const result = {
			ok: false,
			error: { code: 'INVALID_SETTING', field: 'shortcuts.answer', message: 'x' },
		};
		const api = buildRendererApi(new FakeIpcRenderer(() => ({ ok: true, value: result })));
		await expect(api.settings.update({})).resolves.toStrictEqual(result);
	});

	it('passes on a rejected invoke (e.g. no handler registered in main)', async () => {
		const api = buildRendererApi(
			new FakeIpcRenderer(() =>
				Promise.reject(new Error("No handler registered for 'settings:get'")),
			),
		);
		await expect(api.settings.get()).rejects.toThrow('No handler registered');
	});
});

describe('buildRendererApi: events', () => {
	it('forwards the payload only, never the IpcRendererEvent', () => {
		const ipc = new FakeIpcRenderer();
		const api = buildRendererApi(ipc);
		const listener = vi.fn();
		api.on('settings:changed', listener);
		ipc.emit('settings:changed', settings);
		expect(listener).toHaveBeenCalledTimes(1);
		expect(listener.mock.calls[0]).toStrictEqual([settings]);
		for (const arg of listener.mock.calls[0] ?? []) expect(arg).not.toBe(ipc.rendererEvent);
	});

	it('subscribes on the event channel and the returned function unsubscribes', () => {
		const ipc = new FakeIpcRenderer();
		const api = buildRendererApi(ipc);
		const first = vi.fn();
		const second = vi.fn();
		const stopFirst = api.on('settings:changed', first);
		api.on('settings:changed', second);
		expect(ipc.listenerCount('settings:changed')).toBe(2);

		stopFirst();
		expect(ipc.listenerCount('settings:changed')).toBe(1);
		ipc.emit('settings:changed', settings);
		expect(first).not.toHaveBeenCalled();
		expect(second).toHaveBeenCalledTimes(1);

		stopFirst();
		expect(ipc.listenerCount('settings:changed')).toBe(1);
	});

	it('lets the same listener subscribe twice and unsubscribe each independently', () => {
		const ipc = new FakeIpcRenderer();
		const api = buildRendererApi(ipc);
		const listener = vi.fn();
		const stopA = api.on('settings:changed', listener);
		api.on('settings:changed', listener);
		stopA();
		ipc.emit('settings:changed', settings);
		expect(listener).toHaveBeenCalledTimes(1);
	});

	it.each([
		'tray:toggleMute',
		'settings:get',
		'__proto__',
		'constructor',
		'toString',
		'settings:changed ',
		'',
	])('refuses the unknown event %j without subscribing', (event) => {
		const ipc = new FakeIpcRenderer();
		const api = buildRendererApi(ipc);
		const on = api.on as unknown as (event: string, listener: () => void) => () => void;
		expect(() => on(event, () => {})).toThrow(`Unknown event "${event}"`);
		expect(ipc.listenerCount(event)).toBe(0);
	});

	it('accepts every event of the contract', () => {
		const ipc = new FakeIpcRenderer();
		const api = buildRendererApi(ipc);
		for (const event of eventNames) {
			const stop = api.on(event, () => {});
			expect(ipc.listenerCount(event)).toBe(1);
			stop();
		}
	});
});

describe('buildRendererApi over wireIpc and the real main services', () => {
	let dir: string | undefined;

	afterEach(async () => {
		if (dir !== undefined) await rm(dir, { recursive: true, force: true });
	});

	async function wire(eventUrl = APP_URL) {
		dir = await mkdtemp(path.join(tmpdir(), 'softphone-wiring-'));
		const main = new FakeIpcMain();
		const renderer = bridgedIpcRenderer(main, fakeEvent({ url: eventUrl }));
		const services = await createMainServices({
			userDataDir: dir,
			profile: resolveProfile(['--profile=demo']),
			app: { name: 'Telnyx Softphone', version: '0.1.0', platform: 'linux' },
			fs: nodeSettingsFs,
			logger: recordingLogger(),
			keychain: new MemoryKeychain(),
			deviceName: 'Test computer',
			emit: <E extends keyof EventMap>(event: E, ...payload: EventMap[E]) =>
				renderer.emit(event, ...payload),
		});
		// The wiring the app and the e2e harness use.
		wireIpc({
			ipc: main,
			services,
			appUrl: APP_URL,
			isAppWebContents: (id) => id === MAIN_WEB_CONTENTS_ID,
			logger: recordingLogger(),
		});
		const api: RendererApi = buildRendererApi(renderer);
		return { api, services };
	}

	it('round-trips a settings update and delivers settings:changed to the page', async () => {
		const { api } = await wire();
		const changed = vi.fn();
		api.on('settings:changed', changed);
		expect(await api.app.getInfo()).toStrictEqual({
			name: 'Telnyx Softphone',
			version: '0.1.0',
			platform: 'linux',
			profile: 'demo',
			endpoints: {
				restBaseUrl: 'http://127.0.0.1:14000/v2',
				signallingUrl: 'ws://127.0.0.1:14001',
			},
			versions: { electron: null, chromium: null, node: process.versions.node },
		});
		const result = await api.settings.update({ ui: { cameraEnabled: false } });
		expect(result.ok).toBe(true);
		expect(changed).toHaveBeenCalledWith(result.ok ? result.value : undefined);
		expect((await api.settings.get()).ui.cameraEnabled).toBe(false);
	});

	it('turns a guard refusal into a rejected promise with the code', async () => {
		const { api } = await wire();
		const bad = { endpoints: {}, extra: 1 } as unknown as Parameters<
			RendererApi['settings']['update']
		>[0];
		await expect(api.settings.update(bad)).rejects.toThrow(/^\[BAD_INPUT\] settings:update: /);
	});

	it('refuses endpoints from the page: [BAD_INPUT], and main keeps talking to the profile’s', async () => {
		const { api, services } = await wire();
		const changed = vi.fn();
		api.on('settings:changed', changed);
		const redirect = {
			endpoints: { restBaseUrl: 'https://evil.example/v2', signallingUrl: 'wss://evil.example' },
		} as unknown as Parameters<RendererApi['settings']['update']>[0];
		await expect(api.settings.update(redirect)).rejects.toThrow(
			/^\[BAD_INPUT\] settings:update: .*endpoints/,
		);
		expect(changed).not.toHaveBeenCalled();
		expect(await api.settings.get()).not.toHaveProperty('endpoints');
		expect((await api.app.getInfo()).endpoints.restBaseUrl).toBe('http://127.0.0.1:14000/v2');
		expect(services.vault.account).toBe('api-key:http://127.0.0.1:14000');
	});

	it('answers [FORBIDDEN] to a page that is not the app', async () => {
		const { api } = await wire('https://evil/');
		await expect(api.settings.get()).rejects.toThrow(/^\[FORBIDDEN\] /);
		await expect(api.credentials.getStatus()).rejects.toThrow(/^\[FORBIDDEN\] /);
		await expect(api.account.signOut({ forgetApiKey: true })).rejects.toThrow(/^\[FORBIDDEN\] /);
	});

	it('reports the key status of an empty keychain, and refuses a malformed key without echoing it', async () => {
		const { api } = await wire();
		const changed = vi.fn();
		api.on('credentials:changed', changed);
		const noKey = { hasApiKey: false, keychain: 'ok', persisted: false, warning: null };
		expect(await api.credentials.getStatus()).toStrictEqual(noKey);
		const pasted = 'KEYCANARY 0123456789 abcdefghij';
		const result = await api.credentials.setApiKey(pasted);
		expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_KEY' } });
		expect(JSON.stringify(result)).not.toContain('CANARY');
		expect(changed).not.toHaveBeenCalled();
		expect(await api.credentials.getStatus()).toStrictEqual(noKey);
	});

	it('answers account operations without a key as a NO_API_KEY Result, not a refusal', async () => {
		const { api } = await wire();
		for (const call of [
			() => api.provisioning.run({}),
			() => api.provisioning.listResources(),
			() => api.account.listPhoneNumbers(),
			() => api.account.listInstallations(),
			() => api.account.previewCleanup(),
			() => api.account.cleanup([]),
		]) {
			expect(await call()).toMatchObject({ ok: false, error: { code: 'NO_API_KEY' } });
		}
		// Nothing is provisioned, so there is no credential to mint a token for.
		expect(await api.telnyx.getLoginToken()).toMatchObject({
			ok: false,
			error: { code: 'NOT_FOUND' },
		});
	});

	it('turns an oversize key into [BAD_INPUT] before main looks at it', async () => {
		const { api } = await wire();
		await expect(api.credentials.setApiKey('K'.repeat(5000))).rejects.toThrow(
			/^\[BAD_INPUT\] credentials:setApiKey: /,
		);
	});
});
