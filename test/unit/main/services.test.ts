import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
	EventMap,
	KeyStatus,
	SetupReport,
	Settings,
	SettingsPatch,
} from '../../../preload/contract';
import type { NotificationContent } from '../../../main/desktop/notifications';
import { nodeSettingsFs } from '../../../main/node-fs';
import { resolveProfile } from '../../../main/profile';
import { createMainServices, type MainServicesDeps } from '../../../main/services';
import { SETTINGS_VERSION, defaultSettings } from '../../../main/settings/settings-file';
import { MemoryKeychain } from '../../fakes/memory-keychain';
import { recordingLogger } from '../../support/recording-logger';
import { recordingShell } from '../../support/recording-shell';
import { PARTS } from './diagnostics/fixtures';

const demoEndpoints = {
	restBaseUrl: 'http://127.0.0.1:14000/v2',
	signallingUrl: 'ws://127.0.0.1:14001',
};
const noKey: KeyStatus = { hasApiKey: false, keychain: 'ok', persisted: false, warning: null };

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
		keychain: new MemoryKeychain(),
		deviceName: 'Test computer',
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
		await services.handlers.settings.update({ devices: { microphoneId: 'mic-1' } });
		const saved = JSON.parse(
			await readFile(path.join(deps.userDataDir, 'settings.json'), 'utf8'),
		) as unknown;
		expect(saved).toMatchObject({
			version: SETTINGS_VERSION,
			devices: { microphoneId: 'mic-1' },
		});
		expect(saved).not.toHaveProperty('endpoints');
	});

	it('answers app info with the profile and its endpoints (read-only), and default settings without them', async () => {
		const { deps } = setup();
		const { handlers } = await createMainServices(deps);
		expect(await handlers.app.getInfo()).toStrictEqual({
			name: 'Telnyx Softphone',
			version: '1.2.3',
			platform: 'linux',
			profile: 'demo',
			endpoints: demoEndpoints,
			versions: { electron: null, chromium: null, node: process.versions.node },
		});
		const settings = await handlers.settings.get();
		expect(settings).toStrictEqual(defaultSettings(settings.installId));
	});

	it.each([
		['production', [], 'https://api.telnyx.com/v2', 'wss://rtc.telnyx.com'],
		['demo', ['--profile=demo'], demoEndpoints.restBaseUrl, demoEndpoints.signallingUrl],
		[
			'dev with a sandbox',
			[
				'--profile=dev',
				'--sandbox-rest=http://127.0.0.1:25000/v2',
				'--sandbox-signalling=ws://127.0.0.1:25001',
			],
			'http://127.0.0.1:25000/v2',
			'ws://127.0.0.1:25001',
		],
	])(
		'uses the %s profile’s REST endpoint for the key, and tells the page its endpoints',
		async (_what, argv, restBaseUrl, signallingUrl) => {
			const { deps } = setup({ profile: resolveProfile(argv) });
			const services = await createMainServices(deps);
			expect(services.vault.account).toBe(`api-key:${new URL(restBaseUrl).origin}`);
			expect((await services.handlers.app.getInfo()).endpoints).toStrictEqual({
				restBaseUrl,
				signallingUrl,
			});
		},
	);

	it('tells the page the profile’s ICE servers, and refuses to start with ones that fail the checks', async () => {
		const iceServers = [
			{ urls: 'turn:127.0.0.1:3478?transport=udp', username: 'u', credential: 'p' },
		];
		const good = resolveProfile(['--profile=demo']);
		const { deps } = setup({ profile: { ...good, endpoints: { ...demoEndpoints, iceServers } } });
		const { handlers } = await createMainServices(deps);
		expect((await handlers.app.getInfo()).endpoints.iceServers).toStrictEqual(iceServers);
		// The harness and any other caller build profiles directly: main checks them all the same.
		const bad = { ...good, endpoints: { ...demoEndpoints, iceServers: [{ urls: 'http://x' }] } };
		await expect(createMainServices(setup({ profile: bad }).deps)).rejects.toThrow(
			'stun:, turn: or turns:',
		);
	});

	it('emits settings:changed through the injected emit after a successful update', async () => {
		const { deps, emit } = setup();
		const { handlers } = await createMainServices(deps);
		const result = await handlers.settings.update({ ui: { cameraEnabled: false } });
		expect(result.ok).toBe(true);
		const before = (await handlers.settings.get()).installId;
		expect(emit).toHaveBeenCalledTimes(1);
		const defaults = defaultSettings(before);
		expect(emit).toHaveBeenCalledWith('settings:changed', {
			...defaults,
			ui: { ...defaults.ui, cameraEnabled: false },
		});
		expect(await handlers.settings.get()).toStrictEqual(emit.mock.calls[0]?.[1]);
	});

	it('has no REST endpoint to change: endpoints smuggled past the guard change neither the key nor the events', async () => {
		const keychain = new MemoryKeychain();
		const { deps, emit } = setup({ keychain });
		const services = await createMainServices(deps);
		await services.vault.save('KEYCANARY0123456789abcdefABCDEF');
		const smuggled = {
			endpoints: { restBaseUrl: 'http://127.0.0.1:25000/v2' },
			ui: { startMinimised: true },
		} as unknown as SettingsPatch;
		const result = await services.handlers.settings.update(smuggled);
		expect(result.ok).toBe(true);
		expect(result.ok && result.value).not.toHaveProperty('endpoints');
		// Still the profile's endpoint, still its key; no "another account" status was sent.
		expect(services.vault.account).toBe('api-key:http://127.0.0.1:14000');
		expect((await services.handlers.credentials.getStatus()).hasApiKey).toBe(true);
		expect((await services.handlers.app.getInfo()).endpoints).toStrictEqual(demoEndpoints);
		expect(emit.mock.calls.map(([event]) => event)).toStrictEqual(['settings:changed']);
	});

	it('emits nothing for a refused update', async () => {
		const { deps, emit } = setup();
		const { handlers } = await createMainServices(deps);
		const result = await handlers.settings.update({ shortcuts: { answer: 'A' } });
		expect(result.ok).toBe(false);
		expect(emit).not.toHaveBeenCalled();
	});

	it('stops forwarding after dispose', async () => {
		const { deps, emit } = setup();
		const services = await createMainServices(deps);
		services.dispose();
		const result = await services.handlers.settings.update({ devices: { speakerId: 'spk-1' } });
		expect(result.ok).toBe(true);
		expect(emit).not.toHaveBeenCalled();
	});

	it('loads what an earlier run saved', async () => {
		const { deps } = setup();
		const first = await createMainServices(deps);
		await first.handlers.settings.update({ devices: { ringerId: 'ring-1' } });
		const second = await createMainServices(deps);
		expect((await second.handlers.settings.get()).devices.ringerId).toBe('ring-1');
	});

	it('keeps the API key in the keychain it was given, per REST endpoint, never in the user-data folder', async () => {
		const keychain = new MemoryKeychain();
		const { deps } = setup({ keychain });
		const services = await createMainServices(deps);
		const key = 'KEYCANARY0123456789abcdefABCDEF';
		expect(await services.vault.save(key)).toStrictEqual({
			...noKey,
			hasApiKey: true,
			persisted: true,
		});
		expect(keychain.values()).toContain(key);
		expect([...keychain.items.keys()]).toContain(
			`${deps.profile.keychainService}\u0000api-key:http://127.0.0.1:14000`,
		);
		expect(await services.handlers.credentials.getStatus()).toStrictEqual({
			...noKey,
			hasApiKey: true,
			persisted: true,
		});
		await services.handlers.settings.update({ ui: { startMinimised: true } });
		const saved = await readFile(path.join(deps.userDataDir, 'settings.json'), 'utf8');
		expect(saved).not.toContain('KEYCANARY');

		// A second run finds it, as long as the REST endpoint is the same.
		const again = await createMainServices(deps);
		expect((await again.handlers.credentials.getStatus()).hasApiKey).toBe(true);
		// A run whose profile talks to another REST endpoint, over the same keychain, gets no key.
		const elsewhere = await createMainServices({
			...deps,
			profile: resolveProfile([
				'--profile=demo',
				'--sandbox-rest=http://127.0.0.1:25000/v2',
				'--sandbox-signalling=ws://127.0.0.1:25001',
			]),
		});
		expect(await elsewhere.handlers.credentials.getStatus()).toStrictEqual(noKey);
		expect(await elsewhere.vault.credentials()).toBeNull();
		expect(await again.vault.credentials()).toStrictEqual({
			key,
			baseUrl: demoEndpoints.restBaseUrl,
		});
	});

	it('keeps the install id a run saved', async () => {
		const { deps } = setup();
		const first = await createMainServices(deps);
		await first.handlers.settings.update({ ui: { startMinimised: true } });
		const installId = (await first.handlers.settings.get()).installId;
		const second = await createMainServices(deps);
		const settings: Settings = await second.handlers.settings.get();
		expect(settings.installId).toBe(installId);
	});
});

describe('createMainServices: the support bundle', () => {
	const report: SetupReport = {
		finishedAt: '2026-12-07T18:20:00.000Z',
		checks: [
			{ id: 'speaker', verdict: 'good', summary: 'You heard the tone.', advice: null, figures: {} },
		],
	};
	/** A key an earlier run saved: this run has not read it, so only the keychain knows it. */
	const earlierKey = 'an-api-key-with-no-known-shape-0123';

	async function withBundle() {
		const logsDir = path.join(base, 'logs');
		await mkdir(logsDir);
		await writeFile(
			path.join(logsDir, 'main.log'),
			`${JSON.stringify({ event: 'x', key: earlierKey, callerId: '+13125550142' })}\n`,
		);
		await writeFile(path.join(logsDir, 'main.1.log'), '{"event":"older"}\n');
		let flushed = 0;
		const keychain = new MemoryKeychain();
		const shell = recordingShell();
		shell.savePath = path.join(base, 'Downloads', 'bundle.zip');
		await mkdir(path.dirname(shell.savePath));
		const notices: NotificationContent[] = [];
		const { deps } = setup({
			keychain,
			shell,
			logs: {
				dir: logsDir,
				flush: async () => {
					flushed += 1;
				},
			},
			sdkVersion: '2.27.10',
			os: { platform: 'linux', release: '6.8.0', arch: 'x64' },
			now: () => new Date(2026, 11, 7, 18, 30).getTime(),
			desktop: {
				updateTray: () => {},
				notify: (content) => {
					notices.push(content);
					return null;
				},
				raiseWindow: () => {},
				setInCall: () => {},
			},
		});
		await keychain.setPassword(
			deps.profile.keychainService,
			'api-key:http://127.0.0.1:14000',
			earlierKey,
		);
		const services = await createMainServices(deps);
		const open = async () =>
			Object.fromEntries(
				Object.entries(unzipSync(new Uint8Array(await readFile(shell.savePath!)))).map(
					([name, data]) => [name, strFromU8(data)],
				),
			);
		return { services, deps, shell, notices, open, flushed: () => flushed };
	}

	it('builds the bundle from the logs folder, the settings, the calls and the last setup report', async () => {
		const { services, shell, open, flushed } = await withBundle();
		await services.handlers.diagnostics.saveSetupReport(report);
		const reply = await services.handlers.diagnostics.saveSupportBundle({
			includeFullNumbers: false,
		});
		expect(reply).toMatchObject({ ok: true, value: { saved: true, fileName: 'bundle.zip' } });
		expect(shell.calls).toContain('chooseSavePath:telnyx-softphone-support-2026-12-07T18-30.zip');
		expect(flushed()).toBe(1);
		const files = await open();
		expect(Object.keys(files)).toStrictEqual(PARTS);
		expect(JSON.parse(files['setup-test.json']!)).toStrictEqual(report);
		expect(JSON.parse(files['versions.json']!)).toMatchObject({
			app: { version: '1.2.3', profile: 'demo' },
			telnyxWebrtcSdk: '2.27.10',
			os: { platform: 'linux', release: '6.8.0', arch: 'x64' },
			node: process.versions.node,
		});
		// The keychain's key, though this run never read it, and the whole number are nowhere.
		const all = Object.values(files).join('\n');
		expect(all).not.toContain(earlierKey);
		expect(all).not.toContain('+13125550142');
		expect(files['logs/main.log']).toContain('+*******0142');
	});

	it('keeps the setup report across a restart', async () => {
		const { services, deps, open } = await withBundle();
		await services.handlers.diagnostics.saveSetupReport(report);
		services.dispose();
		const again = await createMainServices(deps);
		await again.handlers.diagnostics.saveSupportBundle({ includeFullNumbers: true });
		expect(JSON.parse((await open())['setup-test.json']!)).toStrictEqual(report);
		expect(
			JSON.parse(await readFile(path.join(deps.userDataDir, 'setup-report.json'), 'utf8')),
		).toStrictEqual({ version: 1, reports: [report] });
	});

	it('the tray saves through the same path and says where the bundle went', async () => {
		const { services, shell, notices, open } = await withBundle();
		await services.saveSupportBundleFromTray();
		expect(Object.keys(await open())).toContain('logs/main.log');
		expect(notices).toStrictEqual([
			{
				title: 'Support bundle saved',
				body: `bundle.zip is in ${path.dirname(shell.savePath!)}. Attach it to your message to support.`,
				actions: [],
				silent: true,
				urgency: 'normal',
			},
		]);
		// Cancelled: nothing to say.
		shell.savePath = null;
		await services.saveSupportBundleFromTray();
		expect(notices).toHaveLength(1);
	});

	it('without a shell, saves nothing: there is no one to ask where', async () => {
		const { deps } = setup();
		const services = await createMainServices(deps);
		expect(
			await services.handlers.diagnostics.saveSupportBundle({ includeFullNumbers: false }),
		).toStrictEqual({ ok: true, value: { saved: false, fileName: '', bytes: 0 } });
	});
});
