import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nodeSettingsFs } from '../../../main/node-fs';
import {
	WINDOW_STATE_SAVE_DELAY_MS,
	createWindowStateSaver,
	loadWindowState,
	serializeWindowState,
} from '../../../main/window-state-file';
import type { WindowState } from '../../../main/window-state';
import { memoryFs } from '../../support/memory-fs';
import { recordingLogger } from '../../support/recording-logger';

const NOW = new Date('2025-01-02T03:04:05.678Z');
const STAMP = '2025-01-02T03-04-05-678Z';
const FILE = '/data/window-state.json';
const state: WindowState = {
	bounds: { x: 100, y: 50, width: 1280, height: 900 },
	maximised: false,
};
const onDisk = (value: unknown) => `${JSON.stringify(value)}\n`;
const valid = { version: 1, bounds: state.bounds, maximised: false };

describe('loadWindowState', () => {
	it('answers null for a missing file and writes nothing', async () => {
		const fs = memoryFs();
		expect(await loadWindowState({ file: FILE, fs, logger: recordingLogger() })).toBeNull();
		expect(fs.files.size).toBe(0);
		expect(fs.renamed).toStrictEqual([]);
	});

	it('reads a valid file', async () => {
		const fs = memoryFs(new Map([[FILE, onDisk({ ...valid, maximised: true })]]));
		expect(await loadWindowState({ file: FILE, fs, logger: recordingLogger() })).toStrictEqual({
			...state,
			maximised: true,
		});
		expect(fs.renamed).toStrictEqual([]);
	});

	it('drops unknown keys (top level and in the bounds) and keeps the geometry', async () => {
		const fs = memoryFs(
			new Map([
				[
					FILE,
					onDisk({
						...valid,
						bounds: { ...valid.bounds, display: 'HDMI-1' },
						fullScreen: true,
						apiKey: 'KEYshouldneverbeinthisfile',
					}),
				],
			]),
		);
		const loaded = await loadWindowState({ file: FILE, fs, logger: recordingLogger() });
		expect(loaded).toStrictEqual(state);
		expect(fs.renamed).toStrictEqual([]);
		expect(serializeWindowState(loaded!)).toBe(onDisk(valid));
	});

	it.each([
		['not JSON', '{"version":1,'],
		['empty', ''],
		['an array', '[]'],
		['null', 'null'],
		['another version', onDisk({ ...valid, version: 2 })],
		['no version', onDisk({ bounds: valid.bounds, maximised: false })],
		['a string width', onDisk({ ...valid, bounds: { ...valid.bounds, width: '1280' } })],
		['a fractional x', onDisk({ ...valid, bounds: { ...valid.bounds, x: 1.5 } })],
		['a negative height', onDisk({ ...valid, bounds: { ...valid.bounds, height: -5 } })],
		['a zero width', onDisk({ ...valid, bounds: { ...valid.bounds, width: 0 } })],
		['a huge width', onDisk({ ...valid, bounds: { ...valid.bounds, width: 16_385 } })],
		['a far-away y', onDisk({ ...valid, bounds: { ...valid.bounds, y: 100_001 } })],
		['no maximised', onDisk({ version: 1, bounds: valid.bounds })],
		['maximised as a string', onDisk({ ...valid, maximised: 'yes' })],
	])('sets a damaged file aside (%s) and answers null', async (_name, text) => {
		const fs = memoryFs(new Map([[FILE, text]]));
		const logger = recordingLogger();
		expect(await loadWindowState({ file: FILE, fs, logger, now: () => NOW })).toBeNull();
		const aside = `${FILE}.invalid-${STAMP}`;
		expect(fs.renamed).toStrictEqual([aside]);
		// Kept byte for byte for a person to look at; the original name is free for the next save.
		expect(fs.files.get(aside)).toBe(text);
		expect(fs.files.has(FILE)).toBe(false);
		expect(logger.entries).toStrictEqual([
			{ level: 'warn', event: 'windowState.setAside', fields: { reason: 'invalid', aside } },
		]);
	});

	it('sets an unreadable file aside, and logs a rename that fails without throwing', async () => {
		const logger = recordingLogger();
		const fs = {
			...memoryFs(),
			readFile: () => Promise.reject(new Error('EACCES')),
			rename: () => Promise.reject(new Error('EPERM')),
		};
		expect(await loadWindowState({ file: FILE, fs, logger })).toBeNull();
		expect(logger.entries.map((e) => e.event)).toStrictEqual([
			'windowState.unreadable',
			'windowState.setAsideFailed',
		]);
	});
});

describe('createWindowStateSaver', () => {
	beforeEach(() => {
		vi.useFakeTimers();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	const moved = (x: number): WindowState => ({ ...state, bounds: { ...state.bounds, x } });

	it('writes once, the last state, after a burst of moves settles (debounce)', async () => {
		const fs = memoryFs();
		const writes = vi.spyOn(fs, 'writeFileAtomic');
		const saver = createWindowStateSaver({ file: FILE, fs, logger: recordingLogger() });
		for (let x = 0; x < 50; x += 1) {
			saver.save(moved(x));
			await vi.advanceTimersByTimeAsync(WINDOW_STATE_SAVE_DELAY_MS / 4);
		}
		expect(writes).not.toHaveBeenCalled();
		// A quarter of the delay has passed since the last save already.
		await vi.advanceTimersByTimeAsync(
			WINDOW_STATE_SAVE_DELAY_MS - WINDOW_STATE_SAVE_DELAY_MS / 4 - 1,
		);
		expect(writes).not.toHaveBeenCalled();
		await vi.advanceTimersByTimeAsync(1);
		expect(writes).toHaveBeenCalledTimes(1);
		expect(fs.files.get(FILE)).toBe(serializeWindowState(moved(49)));
	});

	it('writes a pending save at once on flush (closing), and nothing again afterwards', async () => {
		const fs = memoryFs();
		const writes = vi.spyOn(fs, 'writeFileAtomic');
		const saver = createWindowStateSaver({ file: FILE, fs, logger: recordingLogger() });
		saver.save(moved(7));
		await saver.flush();
		expect(fs.files.get(FILE)).toBe(serializeWindowState(moved(7)));
		await vi.advanceTimersByTimeAsync(WINDOW_STATE_SAVE_DELAY_MS * 2);
		await saver.flush();
		expect(writes).toHaveBeenCalledTimes(1);
	});

	it('does not rewrite the state the file already holds, and ignores null', async () => {
		const fs = memoryFs();
		const writes = vi.spyOn(fs, 'writeFileAtomic');
		const saver = createWindowStateSaver({
			file: FILE,
			fs,
			logger: recordingLogger(),
			initial: state,
		});
		saver.save(state);
		saver.save(null);
		await vi.advanceTimersByTimeAsync(WINDOW_STATE_SAVE_DELAY_MS);
		await saver.flush();
		expect(writes).not.toHaveBeenCalled();
		saver.save(moved(1));
		await saver.flush();
		expect(writes).toHaveBeenCalledTimes(1);
	});

	it('logs a failed write, keeps going, and retries the same state on the next save', async () => {
		const fs = memoryFs();
		const logger = recordingLogger();
		let fail = true;
		const writeFileAtomic = vi.fn(async (file: string, data: string) => {
			if (fail) throw new Error('ENOSPC');
			fs.files.set(file, data);
		});
		const saver = createWindowStateSaver({ file: FILE, fs: { ...fs, writeFileAtomic }, logger });
		saver.save(moved(3));
		await saver.flush();
		expect(logger.entries.map((e) => e.event)).toStrictEqual(['windowState.writeFailed']);
		fail = false;
		saver.save(moved(3));
		await saver.flush();
		expect(writeFileAtomic).toHaveBeenCalledTimes(2);
		expect(fs.files.get(FILE)).toBe(serializeWindowState(moved(3)));
	});

	it('writes in order: an older state never lands after a newer one', async () => {
		const fs = memoryFs();
		const order: string[] = [];
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const writeFileAtomic = async (file: string, data: string) => {
			if (order.length === 0) await gate;
			order.push(data);
			fs.files.set(file, data);
		};
		const saver = createWindowStateSaver({
			file: FILE,
			fs: { ...fs, writeFileAtomic },
			logger: recordingLogger(),
		});
		saver.save(moved(1));
		const first = saver.flush();
		saver.save(moved(2));
		const second = saver.flush();
		release();
		await Promise.all([first, second]);
		expect(order).toStrictEqual([serializeWindowState(moved(1)), serializeWindowState(moved(2))]);
		expect(fs.files.get(FILE)).toBe(serializeWindowState(moved(2)));
	});
});

describe('window state on a real disk (node-fs)', () => {
	let dir: string;
	beforeEach(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'softphone-window-state-'));
	});
	afterEach(async () => {
		await rm(dir, { recursive: true, force: true });
	});

	it('round-trips through an atomic write, owner-only, leaving no temporary file', async () => {
		const file = path.join(dir, 'window-state.json');
		const saver = createWindowStateSaver({ file, fs: nodeSettingsFs, logger: recordingLogger() });
		saver.save({ ...state, maximised: true });
		await saver.flush();
		expect(JSON.parse(await readFile(file, 'utf8'))).toStrictEqual({ ...valid, maximised: true });
		expect(await readdir(dir)).toStrictEqual(['window-state.json']);
		expect((await stat(file)).mode & 0o777).toBe(0o600);
		expect(
			await loadWindowState({ file, fs: nodeSettingsFs, logger: recordingLogger() }),
		).toStrictEqual({ ...state, maximised: true });
	});

	it('sets a damaged file aside on disk', async () => {
		const file = path.join(dir, 'window-state.json');
		await writeFile(file, 'garbage');
		expect(
			await loadWindowState({
				file,
				fs: nodeSettingsFs,
				logger: recordingLogger(),
				now: () => NOW,
			}),
		).toBeNull();
		expect(await readdir(dir)).toStrictEqual([`window-state.json.invalid-${STAMP}`]);
	});
});
