import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Settings } from '../../../preload/contract';
import { TELNYX_PRODUCTION } from '../../../main/endpoints';
import { nodeSettingsFs } from '../../../main/node-fs';
import {
	SETTINGS_VERSION,
	SettingsStore,
	type SettingsFileSystem,
	type SettingsStoreDeps,
} from '../../../main/settings/settings-file';
import { recordingLogger } from '../../support/recording-logger';

const NOW = new Date('2025-01-02T03:04:05.678Z');
const STAMP = '2025-01-02T03-04-05-678Z';
const defaults: Settings = { endpoints: TELNYX_PRODUCTION };
const sandbox = { restBaseUrl: 'http://127.0.0.1:14000/v2', signallingUrl: 'ws://127.0.0.1:14001' };

let dir: string;
let file: string;

beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'softphone-settings-'));
	file = path.join(dir, 'settings.json');
});

afterEach(async () => {
	await rm(dir, { recursive: true, force: true });
});

function deps(overrides: Partial<SettingsStoreDeps> = {}): SettingsStoreDeps {
	return {
		file,
		fs: nodeSettingsFs,
		defaults,
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
		const result = await first.update({ endpoints: { restBaseUrl: 'http://127.0.0.1:14000/v2/' } });
		expect(result).toStrictEqual({
			ok: true,
			value: {
				endpoints: {
					restBaseUrl: 'http://127.0.0.1:14000/v2',
					signallingUrl: 'wss://rtc.telnyx.com',
				},
			},
		});

		const second = await SettingsStore.load(deps());
		expect(second.get()).toStrictEqual(first.get());

		const text = await readFile(file, 'utf8');
		expect(text).toContain('"version": 1');
		expect(await fileJson()).toStrictEqual({
			version: 1,
			endpoints: {
				restBaseUrl: 'http://127.0.0.1:14000/v2',
				signallingUrl: 'wss://rtc.telnyx.com',
			},
		});
		// Only the settings file is left: no temporary file beside it.
		expect(await readdir(dir)).toStrictEqual(['settings.json']);
	});

	it('drops keys the schema does not know, so nothing unexpected (such as a pasted key) is carried forward', async () => {
		const original = {
			version: 1,
			endpoints: { ...sandbox, extra: 'x' },
			apiKey: 'KEY0123456789ABCDEFGH',
			theme: 'dark',
		};
		await writeFile(file, JSON.stringify(original));
		const store = await SettingsStore.load(deps());
		expect(store.get()).toStrictEqual({ endpoints: sandbox });
		await store.update({});
		expect(await fileJson()).toStrictEqual({ version: 1, endpoints: sandbox });
	});

	it.each([
		['invalid JSON', '{"version": 1, "endpoints": '],
		['an empty file', ''],
		['JSON null', 'null'],
		['an array', '[1,2,3]'],
		[
			'a wrong shape',
			JSON.stringify({ version: 1, endpoints: { restBaseUrl: 5, signallingUrl: 'wss://x' } }),
		],
		['no version', JSON.stringify({ endpoints: sandbox })],
		['an older version without a migration', JSON.stringify({ version: 0, endpoints: sandbox })],
		[
			'an endpoint the app refuses (plain HTTP to another machine)',
			JSON.stringify({
				version: 1,
				endpoints: { restBaseUrl: 'http://evil.example/v2', signallingUrl: 'wss://x' },
			}),
		],
		[
			'an endpoint with credentials',
			JSON.stringify({
				version: 1,
				endpoints: { restBaseUrl: 'https://u:p@api.telnyx.com/v2', signallingUrl: 'wss://x' },
			}),
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

	it('runs on defaults when the settings path cannot be read (a folder), instead of failing to start', async () => {
		await mkdir(file);
		const logger = recordingLogger();
		const store = await SettingsStore.load(deps({ logger }));
		expect(store.get()).toStrictEqual(defaults);
		expect(logger.entries.map((e) => e.event)).toContain('settings.unreadable');
		const saved = await store.update({ endpoints: sandbox });
		expect(saved).toMatchObject({ ok: false, error: { code: 'SAVE_FAILED' } });
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
		expect((await store.update({ endpoints: sandbox })).ok).toBe(true);
		expect(await fileJson()).toStrictEqual({ version: 1, endpoints: sandbox });
		expect((await readdir(dir)).sort()).toStrictEqual([
			'settings.json',
			`settings.json.invalid-${STAMP}`,
		]);
	});
});

describe('SettingsStore.update', () => {
	it.each([
		[
			{ restBaseUrl: 'http://evil.example/v2' },
			'endpoints.restBaseUrl',
			'must start with https://',
		],
		[
			{ restBaseUrl: 'https://u:p@api.telnyx.com/v2' },
			'endpoints.restBaseUrl',
			'user name or password',
		],
		[{ restBaseUrl: 'not a url' }, 'endpoints.restBaseUrl', 'not a valid URL'],
		[{ signallingUrl: 'ws://evil.example' }, 'endpoints.signallingUrl', 'must start with wss://'],
		[
			{ signallingUrl: 'wss://rtc.telnyx.com/?a=1' },
			'endpoints.signallingUrl',
			'query or fragment',
		],
		[
			{ signallingUrl: 'https://rtc.telnyx.com' },
			'endpoints.signallingUrl',
			'must start with wss://',
		],
	])(
		'refuses %j naming the field, and leaves file and settings untouched',
		async (endpoints, field, words) => {
			const store = await SettingsStore.load(deps());
			await store.update({ endpoints: sandbox });
			const before = await readFile(file, 'utf8');
			const beforeStat = await stat(file);
			const listener = vi.fn();
			store.onChange(listener);

			const result = await store.update({ endpoints });
			expect(result.ok).toBe(false);
			if (result.ok) return;
			expect(result.error.code).toBe('INVALID_SETTING');
			expect(result.error.field).toBe(field);
			expect(result.error.message).toContain(words);

			expect(await readFile(file, 'utf8')).toBe(before);
			expect((await stat(file)).ino).toBe(beforeStat.ino);
			expect(store.get()).toStrictEqual({ endpoints: sandbox });
			expect(listener).not.toHaveBeenCalled();
		},
	);

	it('checks the REST URL after normalising, and stores it without trailing slashes', async () => {
		const store = await SettingsStore.load(deps());
		const result = await store.update({
			endpoints: { restBaseUrl: 'https://api.example.com/v2///' },
		});
		expect(result.ok && result.value.endpoints.restBaseUrl).toBe('https://api.example.com/v2');
	});

	it('keeps fields the patch leaves out, including ones given as undefined', async () => {
		const store = await SettingsStore.load(deps());
		await store.update({ endpoints: sandbox });
		const result = await store.update({
			endpoints: { restBaseUrl: undefined, signallingUrl: 'ws://localhost:9' },
		});
		expect(result).toStrictEqual({
			ok: true,
			value: { endpoints: { restBaseUrl: sandbox.restBaseUrl, signallingUrl: 'ws://localhost:9' } },
		});
	});

	it('ends with the last of several concurrent updates on disk and in memory', async () => {
		const store = await SettingsStore.load(deps());
		const urls = Array.from({ length: 8 }, (_, i) => `http://127.0.0.1:${15000 + i}/v2`);
		const results = await Promise.all(
			urls.map((restBaseUrl) => store.update({ endpoints: { restBaseUrl } })),
		);
		expect(results.every((r) => r.ok)).toBe(true);
		expect(store.get().endpoints.restBaseUrl).toBe(urls.at(-1));
		expect(await fileJson()).toMatchObject({ endpoints: { restBaseUrl: urls.at(-1) } });
		expect(await readdir(dir)).toStrictEqual(['settings.json']);
		const reloaded = await SettingsStore.load(deps());
		expect(reloaded.get().endpoints.restBaseUrl).toBe(urls.at(-1));
	});

	it('keeps both of two concurrent updates to different fields', async () => {
		const store = await SettingsStore.load(deps());
		const [a, b] = await Promise.all([
			store.update({ endpoints: { restBaseUrl: sandbox.restBaseUrl } }),
			store.update({ endpoints: { signallingUrl: sandbox.signallingUrl } }),
		]);
		expect(a.ok && b.ok).toBe(true);
		expect(store.get().endpoints).toStrictEqual(sandbox);
		expect(await fileJson()).toMatchObject({ endpoints: sandbox });
	});

	it('writes one file at a time, in call order, even when the disk is slow', async () => {
		const memory = memoryFs();
		let inFlight = 0;
		let maxInFlight = 0;
		let started = 0;
		const order: string[] = [];
		const slow: SettingsFileSystem = {
			...memory,
			async writeFileAtomic(name, data) {
				inFlight += 1;
				maxInFlight = Math.max(maxInFlight, inFlight);
				// Earlier writes take longer, so writes that overlapped would finish last-first.
				const delay = 30 - 15 * started;
				started += 1;
				await new Promise((resolve) => setTimeout(resolve, Math.max(delay, 0)));
				order.push((JSON.parse(data) as Settings).endpoints.restBaseUrl);
				await memory.writeFileAtomic(name, data);
				inFlight -= 1;
			},
		};
		const store = await SettingsStore.load(deps({ fs: slow }));
		const urls = ['http://127.0.0.1:1/v2', 'http://127.0.0.1:2/v2', 'http://127.0.0.1:3/v2'];
		await Promise.all(urls.map((restBaseUrl) => store.update({ endpoints: { restBaseUrl } })));
		expect(maxInFlight).toBe(1);
		expect(order).toStrictEqual(urls);
		expect(JSON.parse(memory.files.get(file) ?? '')).toMatchObject({
			endpoints: { restBaseUrl: urls[2] },
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
		await store.update({ endpoints: sandbox });
		const listener = vi.fn();
		store.onChange(listener);

		fail = true;
		const result = await store.update({ endpoints: { restBaseUrl: 'https://api.example.com/v2' } });
		expect(result).toStrictEqual({
			ok: false,
			error: {
				code: 'SAVE_FAILED',
				message: 'The settings could not be saved. Check free disk space and try again.',
			},
		});
		expect(store.get()).toStrictEqual({ endpoints: sandbox });
		expect(JSON.parse(memory.files.get(file) ?? '')).toStrictEqual({
			version: 1,
			endpoints: sandbox,
		});
		expect(listener).not.toHaveBeenCalled();
		expect(logger.entries.map((e) => e.event)).toContain('settings.writeFailed');

		fail = false;
		const retry = await store.update({ endpoints: { restBaseUrl: 'https://api.example.com/v2' } });
		expect(retry.ok).toBe(true);
		expect(listener).toHaveBeenCalledTimes(1);
	});

	it('notifies onChange listeners on success only, with the new settings, until they unsubscribe', async () => {
		const store = await SettingsStore.load(deps());
		const first = vi.fn();
		const second = vi.fn();
		const stopFirst = store.onChange(first);
		store.onChange(second);

		await store.update({ endpoints: { signallingUrl: 'ws://evil.example' } });
		expect(first).not.toHaveBeenCalled();

		const result = await store.update({ endpoints: sandbox });
		expect(first).toHaveBeenCalledTimes(1);
		expect(first).toHaveBeenCalledWith({ endpoints: sandbox });
		expect(result.ok && result.value).toStrictEqual(first.mock.calls[0]?.[0]);
		expect(second).toHaveBeenCalledTimes(1);

		stopFirst();
		await store.update({ endpoints: { restBaseUrl: 'https://api.telnyx.com/v2' } });
		expect(first).toHaveBeenCalledTimes(1);
		expect(second).toHaveBeenCalledTimes(2);
	});
});

/** An in-memory settings file system. */
function memoryFs(): SettingsFileSystem & { files: Map<string, string> } {
	const files = new Map<string, string>();
	return {
		files,
		readFile: async (name) => files.get(name) ?? null,
		writeFileAtomic: async (name, data) => {
			files.set(name, data);
		},
		rename: async (from, to) => {
			const data = files.get(from);
			if (data === undefined) throw new Error(`ENOENT: ${from}`);
			files.delete(from);
			files.set(to, data);
		},
	};
}
