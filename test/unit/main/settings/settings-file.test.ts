import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Provisioned, Settings, SettingsPatch } from '../../../../preload/contract';
import { TELNYX_PRODUCTION } from '../../../../main/endpoints';
import { nodeSettingsFs } from '../../../../main/node-fs';
import {
	SETTINGS_VERSION,
	SettingsStore,
	checkCallerId,
	defaultSettings,
	type SettingsFileSystem,
	type SettingsStoreDeps,
} from '../../../../main/settings/settings-file';
import { DEFAULT_SHORTCUTS } from '../../../../main/desktop/shortcuts';
import { memoryFs } from '../../../support/memory-fs';
import { recordingLogger } from '../../../support/recording-logger';

const NOW = new Date('2025-01-02T03:04:05.678Z');
const STAMP = '2025-01-02T03-04-05-678Z';
const INSTALL_ID = '6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b';
const defaults: Settings = defaultSettings(INSTALL_ID);
const sandbox = { restBaseUrl: 'http://127.0.0.1:14000/v2', signallingUrl: 'ws://127.0.0.1:14001' };
/** Settings that differ from the defaults in the devices and the UI preferences. */
const custom: Settings = {
	...defaults,
	devices: { ...defaults.devices, microphoneId: 'mic-1', ringerId: 'ring-1' },
	ui: { ...defaults.ui, startMinimised: true, cameraEnabled: false },
};
/** The patch that turns the defaults into {@link custom}. */
const customPatch: SettingsPatch = {
	devices: { microphoneId: 'mic-1', ringerId: 'ring-1' },
	ui: { startMinimised: true, cameraEnabled: false },
};
/** What the file holds for some settings. */
const onDisk = (settings: Settings) => ({ version: SETTINGS_VERSION, ...settings });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const provisioned: Provisioned = {
	connectionId: '1684641123236054244',
	profileId: '1293384261075731499',
	credentialId: 'c215ade3-0d39-418e-94be-c5f780760199',
	sipUsername: 'gencrednaRDbVtPFnVLsSoXzVf6sZuy',
	deviceName: 'Alice laptop',
};
/** The contract's sentences for a refused caller ID (preload/contract.ts, `callerIdSchema`). */
const NAME_SENTENCE = 'The caller ID name can have up to 15 letters, digits and spaces.';
const NUMBER_SENTENCE =
	'The caller ID number must be in international format, such as +13125550142.';

let dir: string;
let file: string;

beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'softphone-settings-'));
	file = path.join(dir, 'settings.json');
});

afterEach(async () => {
	await rm(dir, { recursive: true, force: true });
});

/** A store on the test's file for an installation whose profile talks to Telnyx production. */
function deps(overrides: Partial<SettingsStoreDeps> = {}): SettingsStoreDeps {
	return {
		file,
		fs: nodeSettingsFs,
		defaults,
		migration: { restBaseUrl: TELNYX_PRODUCTION.restBaseUrl },
		logger: recordingLogger(),
		now: () => NOW,
		...overrides,
	};
}

const fileJson = async (): Promise<unknown> => JSON.parse(await readFile(file, 'utf8'));

describe('SettingsStore.load', () => {
	it('uses the defaults when the file is missing, and writes nothing', async () => {
		const store = await SettingsStore.load(deps());
		expect(store.get()).toStrictEqual(defaults);
		expect(await readdir(dir)).toStrictEqual([]);
	});

	it('reads back what an earlier store wrote', async () => {
		const first = await SettingsStore.load(deps());
		const result = await first.update(customPatch);
		expect(result).toStrictEqual({ ok: true, value: custom });

		// Another install id among the defaults: what the file holds wins.
		const second = await SettingsStore.load(deps({ defaults: defaultSettings() }));
		expect(second.get()).toStrictEqual(first.get());

		const text = await readFile(file, 'utf8');
		expect(text).toContain(`"version": ${SETTINGS_VERSION}`);
		expect(await fileJson()).toStrictEqual(onDisk(custom));
		// Only the settings file is left: no temporary file beside it.
		expect(await readdir(dir)).toStrictEqual(['settings.json']);
	});

	it('carries nothing unexpected (such as a pasted key) forward: a file with an unknown key is set aside, not loaded', async () => {
		const original = {
			...onDisk({ ...custom, provisioned }),
			provisioned: { ...provisioned, password: 'hunter2hunter2' },
			apiKey: 'KEY0123456789ABCDEFGH',
		};
		await writeFile(file, JSON.stringify(original));
		const store = await SettingsStore.load(deps());
		expect(store.get()).toStrictEqual(defaults);
		await store.update({});
		const text = await readFile(file, 'utf8');
		expect(JSON.parse(text)).toStrictEqual(onDisk(defaults));
		expect(text).not.toContain('KEY0123456789');
		expect(text).not.toContain('hunter2');
		// The file is kept beside, byte for byte, for whoever wants to repair it.
		expect(
			JSON.parse(await readFile(path.join(dir, `settings.json.invalid-${STAMP}`), 'utf8')),
		).toStrictEqual(original);
	});

	it.each([
		['invalid JSON', '{"version": 2, "endpoints": '],
		['an empty file', ''],
		['JSON null', 'null'],
		['an array', '[1,2,3]'],
		['a wrong shape', JSON.stringify({ ...onDisk(defaults), ui: true })],
		['no version', JSON.stringify({ endpoints: sandbox })],
		['an older version without a migration', JSON.stringify({ version: 0, endpoints: sandbox })],
		[
			'endpoints in a current-version file (they are the profile’s, never the file’s)',
			JSON.stringify({
				...onDisk(custom),
				endpoints: { restBaseUrl: 'https://evil.example/v2', signallingUrl: 'wss://evil.example' },
			}),
		],
		[
			'an unknown key in a current-version file (a pasted key)',
			JSON.stringify({ ...onDisk(custom), apiKey: 'KEY0123456789ABCDEFGH' }),
		],
		[
			'an unknown UI preference in a current-version file',
			JSON.stringify({ ...onDisk(custom), ui: { ...custom.ui, theme: 'dark' } }),
		],
		[
			'an unknown shortcut in a current-version file',
			JSON.stringify({
				...onDisk(custom),
				ui: { ...custom.ui, shortcuts: { ...DEFAULT_SHORTCUTS, redial: 'Alt+R' } },
			}),
		],
		[
			'a password beside the provisioned ids in a current-version file',
			JSON.stringify({
				...onDisk(custom),
				provisioned: { ...provisioned, password: 'hunter2hunter2' },
			}),
		],
		[
			'an unknown key in a v1 file',
			JSON.stringify({ version: 1, endpoints: sandbox, apiKey: 'KEY0123456789ABCDEFGH' }),
		],
		[
			'a current-version file without the camera preference',
			JSON.stringify({
				...onDisk(defaults),
				ui: { ...defaults.ui, cameraEnabled: undefined },
			}),
		],
		[
			'a current-version file without an install id',
			JSON.stringify({ ...onDisk(defaults), installId: undefined }),
		],
		[
			'a current-version file with a malformed install id',
			JSON.stringify({ ...onDisk(defaults), installId: 'X' }),
		],
		[
			'a caller ID name Telnyx would refuse',
			JSON.stringify({ ...onDisk(defaults), callerId: { name: 'Bad<name>', number: null } }),
		],
		[
			'a caller ID name longer than Telnyx allows',
			JSON.stringify({ ...onDisk(defaults), callerId: { name: 'A'.repeat(16), number: null } }),
		],
		[
			'a caller ID number that is not E.164',
			JSON.stringify({ ...onDisk(defaults), callerId: { name: '', number: '5550142' } }),
		],
		[
			'a device preference of the wrong type',
			JSON.stringify({ ...onDisk(defaults), devices: { ...defaults.devices, cameraId: 7 } }),
		],
		[
			'an incomplete provisioned record',
			JSON.stringify({ ...onDisk(defaults), provisioned: { connectionId: '1' } }),
		],
	])(
		'sets aside a file holding %s, keeping its bytes, and uses the defaults',
		async (_what, content) => {
			await writeFile(file, content);
			const logger = recordingLogger();
			const store = await SettingsStore.load(deps({ logger }));
			expect(store.get()).toStrictEqual(defaults);

			const aside = `settings.json.invalid-${STAMP}`;
			expect((await readdir(dir)).sort()).toStrictEqual([aside]);
			expect(await readFile(path.join(dir, aside), 'utf8')).toBe(content);
			expect(logger.entries).toStrictEqual([
				{
					level: 'warn',
					event: 'settings.setAside',
					fields: { reason: 'invalid', aside: path.join(dir, aside) },
				},
			]);
		},
	);

	it('runs on defaults when the settings path cannot be read (a folder), instead of failing to start, and sets it aside', async () => {
		await mkdir(file);
		await writeFile(path.join(file, 'inside'), 'kept');
		const logger = recordingLogger();
		const store = await SettingsStore.load(deps({ logger }));
		expect(store.get()).toStrictEqual(defaults);
		expect(logger.entries.map((e) => e.event)).toContain('settings.unreadable');
		const aside = `settings.json.unreadable-${STAMP}`;
		expect(await readdir(dir)).toStrictEqual([aside]);
		expect(await readFile(path.join(dir, aside, 'inside'), 'utf8')).toBe('kept');
		const saved = await store.update(customPatch);
		expect(saved.ok).toBe(true);
		expect((await readdir(dir)).sort()).toStrictEqual(['settings.json', aside]);
	});

	it('sets aside a file whose read fails before using the defaults, so a later save cannot overwrite it', async () => {
		const memory = memoryFs();
		const content = JSON.stringify(onDisk({ ...custom, provisioned }));
		memory.files.set(file, content);
		const unreadable: SettingsFileSystem = {
			...memory,
			readFile: () => Promise.reject(new Error('EACCES: permission denied')),
		};
		const logger = recordingLogger();
		const store = await SettingsStore.load(deps({ fs: unreadable, logger }));
		expect(store.get()).toStrictEqual(defaults);
		const aside = `${file}.unreadable-${STAMP}`;
		expect(memory.files.get(aside)).toBe(content);
		expect(logger.entries).toContainEqual({
			level: 'warn',
			event: 'settings.setAside',
			fields: { reason: 'unreadable', aside },
		});

		expect((await store.save()).ok).toBe(true);
		expect(memory.files.get(aside)).toBe(content);
		expect(JSON.parse(memory.files.get(file) ?? '')).toStrictEqual(onDisk(defaults));
	});

	it('sets aside a file written by a newer version as .newer-…', async () => {
		const content = JSON.stringify({
			version: SETTINGS_VERSION + 1,
			endpoints: sandbox,
			newThing: true,
		});
		await writeFile(file, content);
		const store = await SettingsStore.load(deps());
		expect(store.get()).toStrictEqual(defaults);
		const aside = `settings.json.newer-${STAMP}`;
		expect(await readdir(dir)).toStrictEqual([aside]);
		expect(await readFile(path.join(dir, aside), 'utf8')).toBe(content);
	});

	it('starts a fresh file after setting one aside', async () => {
		await writeFile(file, 'garbage');
		const store = await SettingsStore.load(deps());
		expect((await store.update(customPatch)).ok).toBe(true);
		expect(await fileJson()).toStrictEqual(onDisk(custom));
		expect((await readdir(dir)).sort()).toStrictEqual([
			'settings.json',
			`settings.json.invalid-${STAMP}`,
		]);
	});
});

describe('SettingsStore.update', () => {
	it('has no endpoints to change: endpoints smuggled into a patch past the types reach neither the settings nor the file', async () => {
		const store = await SettingsStore.load(deps());
		await store.setProvisioned(provisioned);
		const smuggled = {
			endpoints: { restBaseUrl: 'https://evil.example/v2', signallingUrl: 'wss://evil.example' },
			ui: { startMinimised: true },
		} as unknown as SettingsPatch;
		const result = await store.update(smuggled);
		const expected: Settings = {
			...defaults,
			ui: { ...defaults.ui, startMinimised: true },
			// Nothing moved to another account, so what was provisioned stays.
			provisioned,
		};
		expect(result).toStrictEqual({ ok: true, value: expected });
		expect(store.get()).not.toHaveProperty('endpoints');
		const text = await readFile(file, 'utf8');
		expect(text).not.toContain('evil');
		expect(await fileJson()).toStrictEqual(onDisk(expected));
		expect((await SettingsStore.load(deps())).get()).toStrictEqual(expected);
	});

	it('keeps fields the patch leaves out, including ones given as undefined', async () => {
		const store = await SettingsStore.load(deps());
		await store.update({ devices: { microphoneId: 'mic-1', cameraId: 'cam-1' } });
		const result = await store.update({
			devices: { microphoneId: undefined, cameraId: 'cam-2' },
		});
		expect(result).toStrictEqual({
			ok: true,
			value: {
				...defaults,
				devices: { ...defaults.devices, microphoneId: 'mic-1', cameraId: 'cam-2' },
			},
		});
	});

	it('ends with the last of several concurrent updates on disk and in memory', async () => {
		const store = await SettingsStore.load(deps());
		const ids = Array.from({ length: 8 }, (_, i) => `mic-${i}`);
		const results = await Promise.all(
			ids.map((microphoneId) => store.update({ devices: { microphoneId } })),
		);
		expect(results.every((r) => r.ok)).toBe(true);
		expect(store.get().devices.microphoneId).toBe(ids.at(-1));
		expect(await fileJson()).toMatchObject({ devices: { microphoneId: ids.at(-1) } });
		expect(await readdir(dir)).toStrictEqual(['settings.json']);
		const reloaded = await SettingsStore.load(deps());
		expect(reloaded.get().devices.microphoneId).toBe(ids.at(-1));
	});

	it('keeps both of two concurrent updates to different fields', async () => {
		const store = await SettingsStore.load(deps());
		const [a, b] = await Promise.all([
			store.update({ devices: { microphoneId: 'mic-1' } }),
			store.update({ devices: { cameraId: 'cam-1' } }),
		]);
		expect(a.ok && b.ok).toBe(true);
		const devices = { ...defaults.devices, microphoneId: 'mic-1', cameraId: 'cam-1' };
		expect(store.get().devices).toStrictEqual(devices);
		expect(await fileJson()).toMatchObject({ devices });
	});

	it('writes one file at a time, in call order, even when the disk is slow', async () => {
		const memory = memoryFs();
		let inFlight = 0;
		let maxInFlight = 0;
		let started = 0;
		const order: (string | null)[] = [];
		const slow: SettingsFileSystem = {
			...memory,
			async writeFileAtomic(name, data) {
				inFlight += 1;
				maxInFlight = Math.max(maxInFlight, inFlight);
				// Earlier writes take longer, so writes that overlapped would finish last-first.
				const delay = 30 - 15 * started;
				started += 1;
				await new Promise((resolve) => setTimeout(resolve, Math.max(delay, 0)));
				order.push((JSON.parse(data) as Settings).devices.microphoneId);
				await memory.writeFileAtomic(name, data);
				inFlight -= 1;
			},
		};
		const store = await SettingsStore.load(deps({ fs: slow }));
		const ids = ['mic-1', 'mic-2', 'mic-3'];
		await Promise.all(ids.map((microphoneId) => store.update({ devices: { microphoneId } })));
		expect(maxInFlight).toBe(1);
		expect(order).toStrictEqual(ids);
		expect(JSON.parse(memory.files.get(file) ?? '')).toMatchObject({
			devices: { microphoneId: ids[2] },
		});
	});

	it('answers SAVE_FAILED and keeps the old settings when the write fails; the next write still works', async () => {
		const memory = memoryFs();
		let fail = false;
		const flaky: SettingsFileSystem = {
			...memory,
			writeFileAtomic: (name, data) =>
				fail
					? Promise.reject(new Error('ENOSPC: no space left on device'))
					: memory.writeFileAtomic(name, data),
		};
		const logger = recordingLogger();
		const store = await SettingsStore.load(deps({ fs: flaky, logger }));
		await store.update(customPatch);
		const listener = vi.fn();
		store.onChange(listener);

		fail = true;
		const result = await store.update({ devices: { speakerId: 'spk-1' } });
		expect(result).toStrictEqual({
			ok: false,
			error: {
				code: 'SAVE_FAILED',
				message: 'The settings could not be saved. Check free disk space and try again.',
			},
		});
		expect(store.get()).toStrictEqual(custom);
		expect(JSON.parse(memory.files.get(file) ?? '')).toStrictEqual(onDisk(custom));
		expect(listener).not.toHaveBeenCalled();
		expect(logger.entries.map((e) => e.event)).toContain('settings.writeFailed');

		fail = false;
		const retry = await store.update({ devices: { speakerId: 'spk-1' } });
		expect(retry.ok).toBe(true);
		expect(listener).toHaveBeenCalledTimes(1);
	});

	it('notifies onChange listeners on success only, with the new settings, until they unsubscribe', async () => {
		const store = await SettingsStore.load(deps());
		const first = vi.fn();
		const second = vi.fn();
		const stopFirst = store.onChange(first);
		store.onChange(second);

		const refused = await store.update({ shortcuts: { answer: 'A' } });
		expect(refused.ok).toBe(false);
		expect(first).not.toHaveBeenCalled();

		const result = await store.update(customPatch);
		expect(first).toHaveBeenCalledTimes(1);
		expect(first).toHaveBeenCalledWith(custom);
		expect(result.ok && result.value).toStrictEqual(first.mock.calls[0]?.[0]);
		expect(second).toHaveBeenCalledTimes(1);

		stopFirst();
		await store.update({ ui: { startMinimised: false } });
		expect(first).toHaveBeenCalledTimes(1);
		expect(second).toHaveBeenCalledTimes(2);
	});
});

describe('defaultSettings', () => {
	it('starts with nothing chosen, nothing provisioned, the camera allowed, and a random UUID', () => {
		const one = defaultSettings();
		expect(one).toStrictEqual({
			installId: expect.stringMatching(UUID),
			callerId: { name: '', number: null },
			devices: { microphoneId: null, cameraId: null, speakerId: null, ringerId: null },
			ui: {
				startMinimised: false,
				// Links stay with the app the user chose until they turn this on.
				startAtLogin: false,
				handleLinks: false,
				dialLinksImmediately: false,
				doNotDisturb: false,
				cameraEnabled: true,
				callReports: true,
				trayNoticeShown: false,
				shortcuts: {
					answer: 'CommandOrControl+Shift+A',
					hangup: 'CommandOrControl+Shift+E',
					mute: 'CommandOrControl+Shift+M',
				},
			},
			provisioned: null,
		});
		expect(defaultSettings().installId).not.toBe(one.installId);
		expect(defaultSettings(INSTALL_ID).installId).toBe(INSTALL_ID);
	});
});

describe('migration from v1', () => {
	const v1 = { version: 1, endpoints: sandbox };

	it('reads a v1 file (endpoints only) as the current version with the defaults and a fresh install id, without writing', async () => {
		const content = JSON.stringify(v1);
		await writeFile(file, content);
		const logger = recordingLogger();
		const store = await SettingsStore.load(deps({ logger }));
		const settings = store.get();
		expect(settings).toStrictEqual({ ...defaults, installId: expect.stringMatching(UUID) });
		// Not the install id of the defaults handed in: each migrated file gets its own.
		expect(settings.installId).not.toBe(INSTALL_ID);
		expect(await readFile(file, 'utf8')).toBe(content);
		expect(await readdir(dir)).toStrictEqual(['settings.json']);
		expect(logger.entries).toStrictEqual([]);
	});

	it.each([
		['a sandbox', sandbox],
		[
			'an endpoint the app refuses (plain HTTP to another machine)',
			{ restBaseUrl: 'http://evil.example/v2', signallingUrl: 'wss://evil.example' },
		],
		[
			'an endpoint with credentials',
			{ restBaseUrl: 'https://u:p@evil.example/v2', signallingUrl: 'wss://x' },
		],
		['an endpoint of the wrong type', { restBaseUrl: 5, signallingUrl: 'wss://evil.example' }],
		['an unknown key beside the endpoints', { ...sandbox, extra: 'evil' }],
		['a malformed endpoints value', 'https://evil.example/v2'],
	])(
		'migrates a v1 file whose endpoints are %s: they are not a setting any more, and nothing of them survives',
		async (_what, endpoints) => {
			await writeFile(file, JSON.stringify({ version: 1, endpoints }));
			const store = await SettingsStore.load(deps());
			expect(store.get()).toStrictEqual({ ...defaults, installId: expect.stringMatching(UUID) });
			await store.update({});
			const text = await readFile(file, 'utf8');
			expect(text).not.toContain('endpoints');
			expect(text).not.toContain('evil');
			expect(text).not.toContain('127.0.0.1');
		},
	);

	it('rewrites the file as the current version on the next update, keeping the migrated install id', async () => {
		await writeFile(file, JSON.stringify(v1));
		const store = await SettingsStore.load(deps());
		const { installId } = store.get();
		const result = await store.update({ ui: { startMinimised: true } });
		const expected = { ...defaults, installId, ui: { ...defaults.ui, startMinimised: true } };
		expect(result).toStrictEqual({ ok: true, value: expected });
		expect(await fileJson()).toStrictEqual(onDisk(expected));
		expect((await SettingsStore.load(deps())).get()).toStrictEqual(expected);
	});

	it('gives two v1 installations different install ids', async () => {
		await writeFile(file, JSON.stringify(v1));
		const first = (await SettingsStore.load(deps())).get().installId;
		const second = (await SettingsStore.load(deps())).get().installId;
		expect(second).not.toBe(first);
	});

	it('migrates a v1 file all the way: v2 UI preferences, then do-not-disturb off and the default shortcuts, then the camera on', async () => {
		await writeFile(file, JSON.stringify(v1));
		const store = await SettingsStore.load(deps());
		expect(store.get().ui).toStrictEqual({
			startMinimised: false,
			startAtLogin: false,
			handleLinks: false,
			dialLinksImmediately: false,
			doNotDisturb: false,
			cameraEnabled: true,
			callReports: true,
			trayNoticeShown: false,
			shortcuts: DEFAULT_SHORTCUTS,
		});
		await store.update({});
		const saved = (await fileJson()) as { version: number; ui: unknown };
		expect(saved.version).toBe(SETTINGS_VERSION);
		expect(saved.ui).toStrictEqual(store.get().ui);
		expect(saved).not.toHaveProperty('endpoints');
	});
});

describe('migration from v2', () => {
	/** A file as version 2 of the app wrote it: UI preferences without do-not-disturb or shortcuts. */
	const v2 = {
		version: 2,
		installId: INSTALL_ID,
		endpoints: sandbox,
		callerId: { name: 'ACME', number: '+13125550142' },
		devices: { microphoneId: 'mic-1', cameraId: null, speakerId: null, ringerId: 'ring-1' },
		ui: { startMinimised: true, dialLinksImmediately: true },
		provisioned,
	};
	const migrated: Settings = {
		installId: INSTALL_ID,
		callerId: { name: 'ACME', number: '+13125550142' },
		devices: { microphoneId: 'mic-1', cameraId: null, speakerId: null, ringerId: 'ring-1' },
		ui: {
			startMinimised: true,
			startAtLogin: false,
			handleLinks: false,
			dialLinksImmediately: true,
			doNotDisturb: false,
			cameraEnabled: true,
			callReports: true,
			trayNoticeShown: false,
			shortcuts: DEFAULT_SHORTCUTS,
		},
		provisioned,
	};
	/** An installation whose profile talks to the sandbox the v2 file named (a demo installation). */
	const sandboxProfile = () => deps({ migration: { restBaseUrl: sandbox.restBaseUrl } });

	it('reads a v2 file as the current version: everything kept, do-not-disturb off, the default shortcuts, the camera on, nothing written', async () => {
		const content = JSON.stringify(v2);
		await writeFile(file, content);
		const logger = recordingLogger();
		const store = await SettingsStore.load({ ...sandboxProfile(), logger });
		expect(store.get()).toStrictEqual(migrated);
		expect(store.get().ui.shortcuts).toStrictEqual({
			answer: 'CommandOrControl+Shift+A',
			hangup: 'CommandOrControl+Shift+E',
			mute: 'CommandOrControl+Shift+M',
		});
		expect(await readFile(file, 'utf8')).toBe(content);
		expect(logger.entries).toStrictEqual([]);
	});

	it('drops what was provisioned when the v2 file named another REST API than the profile’s', async () => {
		await writeFile(file, JSON.stringify(v2));
		const store = await SettingsStore.load(deps());
		expect(store.get()).toStrictEqual({ ...migrated, provisioned: null });
	});

	it('writes it back as the current version on the next update', async () => {
		await writeFile(file, JSON.stringify(v2));
		const store = await SettingsStore.load(sandboxProfile());
		await store.update({ ui: { doNotDisturb: true } });
		const expected: Settings = { ...migrated, ui: { ...migrated.ui, doNotDisturb: true } };
		expect(await fileJson()).toStrictEqual({ version: SETTINGS_VERSION, ...expected });
		expect((await SettingsStore.load(sandboxProfile())).get()).toStrictEqual(expected);
	});

	it('sets aside a v2 file whose UI preferences are missing, rather than inventing them', async () => {
		const content = JSON.stringify({ ...v2, ui: undefined });
		await writeFile(file, content);
		const store = await SettingsStore.load(sandboxProfile());
		expect(store.get()).toStrictEqual(defaults);
		expect(await readdir(dir)).toStrictEqual([`settings.json.invalid-${STAMP}`]);
	});
});

describe('migration from v3', () => {
	/**
	 * A file as version 3 of the app wrote it: the endpoints were a setting (normalised, without a trailing
	 * slash), the UI preferences had no camera switch.
	 */
	const v3 = (restBaseUrl: string = TELNYX_PRODUCTION.restBaseUrl) => ({
		version: 3,
		installId: INSTALL_ID,
		endpoints: { restBaseUrl, signallingUrl: 'wss://rtc.telnyx.com' },
		callerId: { name: 'ACME Support', number: '+13125550142' },
		devices: { microphoneId: 'mic-1', cameraId: 'cam-1', speakerId: null, ringerId: 'ring-1' },
		ui: {
			startMinimised: true,
			dialLinksImmediately: true,
			doNotDisturb: true,
			trayNoticeShown: true,
			shortcuts: { answer: 'Alt+Shift+F9', hangup: 'CommandOrControl+Shift+E', mute: null },
		},
		provisioned,
	});
	/** The same settings as v5 holds them. */
	const migrated: Settings = {
		installId: INSTALL_ID,
		callerId: { name: 'ACME Support', number: '+13125550142' },
		devices: { microphoneId: 'mic-1', cameraId: 'cam-1', speakerId: null, ringerId: 'ring-1' },
		ui: {
			startMinimised: true,
			startAtLogin: false,
			handleLinks: false,
			dialLinksImmediately: true,
			doNotDisturb: true,
			cameraEnabled: true,
			callReports: true,
			trayNoticeShown: true,
			shortcuts: { answer: 'Alt+Shift+F9', hangup: 'CommandOrControl+Shift+E', mute: null },
		},
		provisioned,
	};
	const forProfile = (restBaseUrl: string) => deps({ migration: { restBaseUrl } });

	it('reads a v3 file of the profile’s REST API as the current version: endpoints gone, every other setting kept, the camera on, nothing written', async () => {
		const content = JSON.stringify(v3(), null, '\t');
		await writeFile(file, content);
		const logger = recordingLogger();
		const store = await SettingsStore.load(deps({ logger }));
		expect(store.get()).toStrictEqual(migrated);
		expect(store.get()).not.toHaveProperty('endpoints');
		expect(await readFile(file, 'utf8')).toBe(content);
		expect(await readdir(dir)).toStrictEqual(['settings.json']);
		expect(logger.entries).toStrictEqual([]);
	});

	it.each([
		[
			'Telnyx production, under the production profile',
			TELNYX_PRODUCTION.restBaseUrl,
			TELNYX_PRODUCTION.restBaseUrl,
		],
		['the sandbox, under a profile for that sandbox', sandbox.restBaseUrl, sandbox.restBaseUrl],
		[
			'another path on the same origin',
			'https://api.telnyx.com/v2beta',
			TELNYX_PRODUCTION.restBaseUrl,
		],
	])(
		'keeps what was provisioned when the v3 REST API is the profile’s: %s',
		async (_what, fileRest, profileRest) => {
			await writeFile(file, JSON.stringify(v3(fileRest)));
			const store = await SettingsStore.load(forProfile(profileRest));
			expect(store.get()).toStrictEqual(migrated);
		},
	);

	it.each([
		['a custom host', 'https://api.example.com/v2', TELNYX_PRODUCTION.restBaseUrl],
		[
			'the sandbox, under the production profile',
			sandbox.restBaseUrl,
			TELNYX_PRODUCTION.restBaseUrl,
		],
		[
			'Telnyx production, under a sandbox profile',
			TELNYX_PRODUCTION.restBaseUrl,
			sandbox.restBaseUrl,
		],
		['the same host on another port', 'http://127.0.0.1:14002/v2', sandbox.restBaseUrl],
		['the same host over plain HTTP', 'http://api.telnyx.com/v2', TELNYX_PRODUCTION.restBaseUrl],
		['another name of the same computer', 'http://localhost:14000/v2', sandbox.restBaseUrl],
		['something that is not a URL', 'not a url', TELNYX_PRODUCTION.restBaseUrl],
	])(
		'drops what was provisioned (and only that) when the v3 file pointed at another REST API: %s',
		async (_what, fileRest, profileRest) => {
			await writeFile(file, JSON.stringify(v3(fileRest)));
			const store = await SettingsStore.load(forProfile(profileRest));
			// It belongs to the account behind the other API; provisioning again finds or makes this one's.
			expect(store.get()).toStrictEqual({ ...migrated, provisioned: null });
			await store.update({});
			expect(await readFile(file, 'utf8')).not.toContain(fileRest);
		},
	);

	it('writes it back as the current version on the next update, without the endpoints', async () => {
		await writeFile(file, JSON.stringify(v3()));
		const store = await SettingsStore.load(deps());
		const result = await store.update({ ui: { cameraEnabled: false } });
		const expected: Settings = { ...migrated, ui: { ...migrated.ui, cameraEnabled: false } };
		expect(result).toStrictEqual({ ok: true, value: expected });
		expect(await fileJson()).toStrictEqual({ version: SETTINGS_VERSION, ...expected });
		expect(await fileJson()).not.toHaveProperty('endpoints');
		expect((await SettingsStore.load(deps())).get()).toStrictEqual(expected);
	});

	it('reads a v5 file with the call-report switch on, as the SDK (and the app) always had it', async () => {
		const { callReports: _reports, ...v5ui } = migrated.ui;
		await writeFile(file, JSON.stringify({ version: 5, ...migrated, ui: v5ui }));
		const store = await SettingsStore.load(deps());
		expect(store.get()).toStrictEqual(migrated);
		expect(store.get().ui.callReports).toBe(true);
	});

	it('reads a v4 file with link handling off and start at login off (the OS’s login item is read at start), fails on e0fc691', async () => {
		const {
			startAtLogin: _login,
			handleLinks: _links,
			callReports: _reports,
			...v4ui
		} = migrated.ui;
		await writeFile(file, JSON.stringify({ version: 4, ...migrated, ui: v4ui }));
		const store = await SettingsStore.load(deps());
		expect(store.get()).toStrictEqual(migrated);
		expect(store.get().ui.handleLinks).toBe(false);
	});

	it.each([
		['a key v3 did not know either', { ...v3(), apiKey: 'KEY0123456789ABCDEFGH' }],
		['no UI preferences', { ...v3(), ui: undefined }],
		[
			'a caller ID name longer than Telnyx allows',
			{ ...v3(), callerId: { name: 'A'.repeat(16), number: null } },
		],
	])(
		'sets aside a v3 file with %s, rather than inventing or carrying anything',
		async (_what, raw) => {
			const content = JSON.stringify(raw);
			await writeFile(file, content);
			const store = await SettingsStore.load(deps());
			expect(store.get()).toStrictEqual(defaults);
			expect(await readdir(dir)).toStrictEqual([`settings.json.invalid-${STAMP}`]);
			expect(await readFile(path.join(dir, `settings.json.invalid-${STAMP}`), 'utf8')).toBe(
				content,
			);
		},
	);
});

describe('global shortcuts', () => {
	it('stores a valid shortcuts patch, keeping the shortcuts it leaves out; null turns one off', async () => {
		const store = await SettingsStore.load(deps());
		const result = await store.update({
			shortcuts: { answer: 'Alt+Shift+F9', mute: null, hangup: undefined },
		});
		const shortcuts = { answer: 'Alt+Shift+F9', hangup: DEFAULT_SHORTCUTS.hangup, mute: null };
		expect(result).toStrictEqual({
			ok: true,
			value: { ...defaults, ui: { ...defaults.ui, shortcuts } },
		});
		expect((await SettingsStore.load(deps())).get().ui.shortcuts).toStrictEqual(shortcuts);
	});

	it.each([
		['no modifier', { answer: 'A' }, 'shortcuts.answer', 'modifier'],
		['an unknown modifier', { hangup: 'Hyper+H' }, 'shortcuts.hangup', 'unknown modifier'],
		['a key that does not exist', { mute: 'Ctrl+Shift+Banana' }, 'shortcuts.mute', 'not a key'],
		['a shortcut the system reserves', { hangup: 'Ctrl+Q' }, 'shortcuts.hangup', 'reserved'],
		[
			'the accelerator of another action (an alias of it)',
			{ answer: 'Shift+Cmd+M' },
			'shortcuts.answer',
			'already the shortcut to mute',
		],
		[
			'the accelerator of an action checked after it',
			{ hangup: DEFAULT_SHORTCUTS.mute },
			'shortcuts.hangup',
			'already the shortcut to mute',
		],
		[
			'one accelerator for two actions in one patch',
			{ answer: 'Alt+F1', hangup: 'alt+f1' },
			'shortcuts.hangup',
			'already the shortcut to answer',
		],
	])(
		'refuses %s, naming the shortcut, and changes nothing',
		async (_what, shortcuts, field, words) => {
			const store = await SettingsStore.load(deps());
			await store.save();
			const before = await readFile(file, 'utf8');
			const listener = vi.fn();
			store.onChange(listener);
			const result = await store.update({ shortcuts, ui: { startMinimised: true } });
			expect(result.ok).toBe(false);
			if (result.ok) return;
			expect(result.error).toMatchObject({ code: 'INVALID_SETTING', field });
			expect(result.error.message).toContain(words);
			expect(store.get()).toStrictEqual(defaults);
			expect(await readFile(file, 'utf8')).toBe(before);
			expect(listener).not.toHaveBeenCalled();
		},
	);

	it('lets two actions swap accelerators in one patch', async () => {
		const store = await SettingsStore.load(deps());
		const result = await store.update({
			shortcuts: { answer: DEFAULT_SHORTCUTS.mute, mute: DEFAULT_SHORTCUTS.answer },
		});
		expect(result.ok && result.value.ui.shortcuts).toStrictEqual({
			answer: DEFAULT_SHORTCUTS.mute,
			hangup: DEFAULT_SHORTCUTS.hangup,
			mute: DEFAULT_SHORTCUTS.answer,
		});
	});
});

describe('the tray notice', () => {
	it('is not shown yet on a new installation; setTrayNoticeShown persists it and tells listeners', async () => {
		const store = await SettingsStore.load(deps());
		expect(store.get().ui.trayNoticeShown).toBe(false);
		await store.update({ ui: { doNotDisturb: true } });
		const listener = vi.fn();
		store.onChange(listener);

		const expected: Settings = {
			...defaults,
			ui: { ...defaults.ui, doNotDisturb: true, trayNoticeShown: true },
		};
		expect(await store.setTrayNoticeShown()).toStrictEqual({ ok: true, value: expected });
		expect(listener).toHaveBeenCalledWith(expected);
		expect(await fileJson()).toStrictEqual(onDisk(expected));
		expect((await SettingsStore.load(deps())).get().ui.trayNoticeShown).toBe(true);
	});

	it('survives later UI patches', async () => {
		const store = await SettingsStore.load(deps());
		await store.setTrayNoticeShown();
		await store.update({ ui: { startMinimised: true, doNotDisturb: false } });
		expect(store.get().ui.trayNoticeShown).toBe(true);
		expect((await SettingsStore.load(deps())).get().ui.trayNoticeShown).toBe(true);
	});
});

describe('caller ID', () => {
	it.each([
		['', null],
		['Alice', null],
		['ACME Support 24', '+13125550142'],
		['123456789012345', '+442071838750'],
		['   ', '+4915123456789'],
		['a', '+1234567'],
		['b', '+123456789012345'],
	])('accepts name %j with number %j', (name, number) => {
		expect(checkCallerId({ name, number })).toBeNull();
	});

	it.each([
		['a 16-character name', { name: '1234567890123456', number: null }, 'callerId.name'],
		['an accented name', { name: 'Ünïcode', number: null }, 'callerId.name'],
		['an emoji', { name: 'Hi 🙂', number: null }, 'callerId.name'],
		['markup', { name: '<script>', number: null }, 'callerId.name'],
		['a right-to-left override', { name: 'abc\u202Edef', number: null }, 'callerId.name'],
		['a line break', { name: 'a\nb', number: null }, 'callerId.name'],
		['a hyphen', { name: 'Jean-Luc', number: null }, 'callerId.name'],
		['a number without +', { name: 'A', number: '13125550142' }, 'callerId.number'],
		['a number with spaces', { name: 'A', number: '+1 312 555 0142' }, 'callerId.number'],
		['a country code 0', { name: 'A', number: '+0125550142' }, 'callerId.number'],
		['16 digits', { name: 'A', number: '+1234567890123456' }, 'callerId.number'],
		['too short', { name: 'A', number: '+123456' }, 'callerId.number'],
		['an extension', { name: 'A', number: '+13125550142;ext=1' }, 'callerId.number'],
		['a tel: URI', { name: 'A', number: 'tel:+13125550142' }, 'callerId.number'],
		['an empty number', { name: 'A', number: '' }, 'callerId.number'],
		['a trailing NUL', { name: 'A', number: '+13125550142\u0000' }, 'callerId.number'],
	])('refuses %s, naming the field, in the contract’s words', async (_what, callerId, field) => {
		const error = checkCallerId(callerId);
		expect(error).toStrictEqual({
			code: 'INVALID_SETTING',
			field,
			message: field === 'callerId.name' ? NAME_SENTENCE : NUMBER_SENTENCE,
		});

		const store = await SettingsStore.load(deps());
		const listener = vi.fn();
		store.onChange(listener);
		expect(await store.setCallerId(callerId)).toStrictEqual({ ok: false, error });
		expect(store.get()).toStrictEqual(defaults);
		expect(listener).not.toHaveBeenCalled();
		expect(await readdir(dir)).toStrictEqual([]);
	});

	it('stores an accepted caller ID, reads it back, and leaves the rest alone', async () => {
		const store = await SettingsStore.load(deps());
		await store.update(customPatch);
		const callerId = { name: 'ACME Support', number: '+13125550142' };
		const result = await store.setCallerId(callerId);
		const expected = { ...custom, callerId };
		expect(result).toStrictEqual({ ok: true, value: expected });
		expect(await fileJson()).toStrictEqual(onDisk(expected));
		expect((await SettingsStore.load(deps())).get()).toStrictEqual(expected);

		expect(await store.setCallerId({ name: '', number: null })).toStrictEqual({
			ok: true,
			value: custom,
		});
	});
});

describe('devices and UI preferences', () => {
	it('applies partial patches, keeping the fields a patch leaves out or gives as undefined', async () => {
		const store = await SettingsStore.load(deps());
		await store.update({ devices: { microphoneId: 'mic-1', cameraId: 'cam-1' } });
		await store.update({
			devices: { cameraId: null, speakerId: 'spk-1', microphoneId: undefined },
		});
		await store.update({ ui: { dialLinksImmediately: true } });
		const result = await store.update({
			ui: { startMinimised: true, dialLinksImmediately: undefined },
		});
		const expected: Settings = {
			...defaults,
			devices: { microphoneId: 'mic-1', cameraId: null, speakerId: 'spk-1', ringerId: null },
			ui: { ...defaults.ui, startMinimised: true, dialLinksImmediately: true },
		};
		expect(result).toStrictEqual({ ok: true, value: expected });
		expect(await fileJson()).toStrictEqual(onDisk(expected));
		expect((await SettingsStore.load(deps())).get()).toStrictEqual(expected);
	});

	it('turns the camera off and on again through a UI patch, and keeps the choice across a restart', async () => {
		const store = await SettingsStore.load(deps());
		const off = await store.update({ ui: { cameraEnabled: false } });
		expect(off).toStrictEqual({
			ok: true,
			value: { ...defaults, ui: { ...defaults.ui, cameraEnabled: false } },
		});
		expect((await SettingsStore.load(deps())).get().ui.cameraEnabled).toBe(false);
		await store.update({ ui: { doNotDisturb: true } });
		expect(store.get().ui.cameraEnabled).toBe(false);
		await store.update({ ui: { cameraEnabled: true } });
		expect((await SettingsStore.load(deps())).get().ui.cameraEnabled).toBe(true);
	});

	it('changes devices, UI and shortcuts in one patch, or none of them when one is refused', async () => {
		const store = await SettingsStore.load(deps());
		const refused = await store.update({
			shortcuts: { answer: 'A' },
			devices: { ringerId: 'ring-1' },
			ui: { startMinimised: true },
		});
		expect(refused.ok).toBe(false);
		expect(store.get()).toStrictEqual(defaults);

		const result = await store.update({
			shortcuts: { answer: 'Alt+Shift+F9' },
			devices: { ringerId: 'ring-1' },
			ui: { startMinimised: true },
		});
		expect(result).toStrictEqual({
			ok: true,
			value: {
				...defaults,
				devices: { ...defaults.devices, ringerId: 'ring-1' },
				ui: {
					...defaults.ui,
					startMinimised: true,
					shortcuts: { ...DEFAULT_SHORTCUTS, answer: 'Alt+Shift+F9' },
				},
			},
		});
	});

	it('keeps both of two concurrent patches to different sections', async () => {
		const store = await SettingsStore.load(deps());
		await Promise.all([
			store.update({ devices: { cameraId: 'cam-2' } }),
			store.update({ ui: { dialLinksImmediately: true } }),
			store.setCallerId({ name: 'Desk', number: null }),
			store.setProvisioned(provisioned),
		]);
		const expected: Settings = {
			...defaults,
			devices: { ...defaults.devices, cameraId: 'cam-2' },
			ui: { ...defaults.ui, dialLinksImmediately: true },
			callerId: { name: 'Desk', number: null },
			provisioned,
		};
		expect(store.get()).toStrictEqual(expected);
		expect(await fileJson()).toStrictEqual(onDisk(expected));
	});
});

describe('what was provisioned', () => {
	it('round-trips through setProvisioned, the file and a reload, and is cleared by null', async () => {
		const store = await SettingsStore.load(deps());
		const listener = vi.fn();
		store.onChange(listener);
		const result = await store.setProvisioned(provisioned);
		expect(result).toStrictEqual({ ok: true, value: { ...defaults, provisioned } });
		expect(listener).toHaveBeenCalledWith({ ...defaults, provisioned });
		expect(await fileJson()).toStrictEqual(onDisk({ ...defaults, provisioned }));
		expect((await SettingsStore.load(deps())).get().provisioned).toStrictEqual(provisioned);

		expect(await store.setProvisioned(null)).toStrictEqual({ ok: true, value: defaults });
		expect(await fileJson()).toStrictEqual(onDisk(defaults));
		expect((await SettingsStore.load(deps())).get().provisioned).toBeNull();
	});

	it.each([
		[
			'a device name longer than the file allows',
			{ deviceName: 'x'.repeat(129) },
			'provisioned.deviceName',
		],
		['an empty SIP user name', { sipUsername: '' }, 'provisioned.sipUsername'],
		[
			'a connection id longer than the file allows',
			{ connectionId: '1'.repeat(65) },
			'provisioned.connectionId',
		],
	])(
		'refuses %s instead of saving a file the next start would set aside',
		async (_what, change, field) => {
			const store = await SettingsStore.load(deps());
			await store.setProvisioned(provisioned);
			const before = await readFile(file, 'utf8');
			const listener = vi.fn();
			store.onChange(listener);

			const result = await store.setProvisioned({ ...provisioned, ...change });
			expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_SETTING', field } });
			if (result.ok) return;
			expect(result.error.message.length).toBeGreaterThan(20);
			expect(store.get().provisioned).toStrictEqual(provisioned);
			expect(await readFile(file, 'utf8')).toBe(before);
			expect(listener).not.toHaveBeenCalled();
			// And what is on disk still loads.
			expect((await SettingsStore.load(deps())).get().provisioned).toStrictEqual(provisioned);
		},
	);

	it('is kept when a devices or UI patch arrives', async () => {
		const store = await SettingsStore.load(deps());
		await store.setProvisioned(provisioned);
		await store.update({ devices: { microphoneId: 'mic' }, ui: { startMinimised: true } });
		expect(store.get().provisioned).toStrictEqual(provisioned);
	});
});

describe('the file never holds a secret', () => {
	it('holds only the known sections, and nothing shaped like a key, token or password', async () => {
		const store = await SettingsStore.load(deps());
		await store.update({
			devices: { microphoneId: 'mic-1', cameraId: 'cam-1', speakerId: 'spk', ringerId: 'ring' },
			ui: { startMinimised: true, dialLinksImmediately: true },
		});
		await store.setCallerId({ name: 'ACME', number: '+13125550142' });
		await store.setProvisioned(provisioned);
		const text = await readFile(file, 'utf8');
		expect(Object.keys(JSON.parse(text) as object).sort()).toStrictEqual(
			['version', 'installId', 'callerId', 'devices', 'ui', 'provisioned'].sort(),
		);
		expect(Object.keys(JSON.parse(text).provisioned as object).sort()).toStrictEqual(
			['connectionId', 'profileId', 'credentialId', 'sipUsername', 'deviceName'].sort(),
		);
		expect(text).not.toMatch(/\bKEY[A-Za-z0-9_-]{16,}/);
		expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
		expect(text).not.toMatch(/password|secret|token|apiKey|api_key/i);
	});
});
