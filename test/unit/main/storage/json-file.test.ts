import { mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { nodeSettingsFs } from '../../../../main/node-fs';
import { writeFileAtomic } from '../../../../main/settings/atomic-write';
import {
	JsonFile,
	type JsonFileOptions,
	type JsonFileSystem,
} from '../../../../main/storage/json-file';
import { memoryFs } from '../../../support/memory-fs';
import { recordingLogger, type RecordingLogger } from '../../../support/recording-logger';

const NOW = new Date('2025-01-02T03:04:05.678Z');
const STAMP = '2025-01-02T03-04-05-678Z';
const schema = z.object({ version: z.literal(2), count: z.number().int() });
type Counter = z.infer<typeof schema>;
const counter = (count: number): Counter => ({ version: 2, count });

let dir: string;
let file: string;
let logger: RecordingLogger;

beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'softphone-json-file-'));
	file = path.join(dir, 'counter.json');
	logger = recordingLogger();
});

afterEach(async () => {
	await rm(dir, { recursive: true, force: true });
});

function jsonFile(overrides: Partial<JsonFileOptions<Counter>> = {}): JsonFile<Counter> {
	return new JsonFile({
		file,
		fs: nodeSettingsFs,
		logger,
		name: 'counter',
		schema,
		now: () => NOW,
		...overrides,
	});
}

describe('JsonFile.read', () => {
	it('answers missing for no file, and touches nothing', async () => {
		expect(await jsonFile().read()).toStrictEqual({ status: 'missing' });
		expect(await readdir(dir)).toStrictEqual([]);
		expect(logger.entries).toStrictEqual([]);
	});

	it('reads back what it wrote: atomically, owner-only, no temporary file left', async () => {
		expect(await jsonFile({ indent: '\t' }).write(counter(7))).toBe(true);
		expect(await readFile(file, 'utf8')).toBe('{\n\t"version": 2,\n\t"count": 7\n}\n');
		expect(await readdir(dir)).toStrictEqual(['counter.json']);
		expect((await stat(file)).mode & 0o777).toBe(0o600);
		expect(await jsonFile().read()).toStrictEqual({ status: 'ok', value: counter(7) });
	});

	it.each([
		['not JSON', '{"version":2,'],
		['an empty file', ''],
		['JSON null', 'null'],
		['an array', '[1,2]'],
		['the wrong version', JSON.stringify({ version: 1, count: 7 })],
		['a field of the wrong type', JSON.stringify({ version: 2, count: 'seven' })],
		['a missing field', JSON.stringify({ version: 2 })],
	])('sets aside a file holding %s, byte for byte, and answers bad', async (_what, content) => {
		await writeFile(file, content);
		const read = await jsonFile().read();
		const aside = path.join(dir, `counter.json.invalid-${STAMP}`);
		expect(read).toStrictEqual({ status: 'bad', reason: 'invalid', aside });
		// The original name is free for the caller's defaults; the bad bytes are kept beside it.
		expect(await readdir(dir)).toStrictEqual([path.basename(aside)]);
		expect(await readFile(aside, 'utf8')).toBe(content);
		expect(logger.entries).toStrictEqual([
			{ level: 'warn', event: 'counter.setAside', fields: { reason: 'invalid', aside } },
		]);
	});

	it('checks what the migration made of the file, and sets a newer version aside as .newer-…', async () => {
		const migrate = (raw: unknown) =>
			(raw as { version?: unknown }).version === 1 ? { ...(raw as object), version: 2 } : raw;
		const isNewer = (raw: unknown) => ((raw as { version?: number }).version ?? 0) > 2;

		await writeFile(file, JSON.stringify({ version: 1, count: 3 }));
		expect(await jsonFile({ migrate, isNewer }).read()).toStrictEqual({
			status: 'ok',
			value: counter(3),
		});

		const newer = JSON.stringify({ version: 3, count: 3, more: true });
		await writeFile(file, newer);
		const aside = path.join(dir, `counter.json.newer-${STAMP}`);
		expect(await jsonFile({ migrate, isNewer }).read()).toStrictEqual({
			status: 'bad',
			reason: 'newer',
			aside,
		});
		expect(await readFile(aside, 'utf8')).toBe(newer);
		expect(logger.entries).toStrictEqual([
			{
				level: 'warn',
				event: 'counter.setAside',
				fields: { reason: 'written by a newer version', aside },
			},
		]);
	});

	it('sets aside a path it cannot read (a folder), so a later write cannot replace what it holds', async () => {
		await mkdir(file);
		await writeFile(path.join(file, 'inside'), 'kept');
		const json = jsonFile();
		const read = await json.read();
		const aside = path.join(dir, `counter.json.unreadable-${STAMP}`);
		expect(read).toStrictEqual({ status: 'bad', reason: 'unreadable', aside });
		expect(logger.entries.map((e) => [e.level, e.event])).toStrictEqual([
			['error', 'counter.unreadable'],
			['warn', 'counter.setAside'],
		]);
		expect(await json.write(counter(1))).toBe(true);
		expect((await readdir(dir)).sort()).toStrictEqual(['counter.json', path.basename(aside)]);
		expect(await readFile(path.join(aside, 'inside'), 'utf8')).toBe('kept');
	});

	it('answers bad without throwing when the rename fails too, and logs both', async () => {
		const fs: JsonFileSystem = {
			...memoryFs(new Map([[file, 'x']])),
			readFile: () => Promise.reject(new Error('EACCES')),
			rename: () => Promise.reject(new Error('EPERM')),
		};
		expect(await jsonFile({ fs }).read()).toStrictEqual({
			status: 'bad',
			reason: 'unreadable',
			aside: null,
		});
		expect(logger.entries.map((e) => [e.level, e.event])).toStrictEqual([
			['error', 'counter.unreadable'],
			['error', 'counter.setAsideFailed'],
		]);
	});

	it('names the set-aside file with the stamp it is given', async () => {
		const fs = memoryFs(new Map([[file, 'garbage']]));
		await jsonFile({ fs, stamp: (now) => String(now.getTime()) }).read();
		expect(fs.renamed).toStrictEqual([`${file}.invalid-${NOW.getTime()}`]);
	});

	it('leaves a bad file in place when told to ignore it (a cache), and the next write replaces it', async () => {
		const fs = memoryFs(new Map([[file, '{"version":2,"count":"many"}']]));
		const json = jsonFile({ fs, whenBad: 'ignore' });
		expect(await json.read()).toStrictEqual({ status: 'bad', reason: 'invalid', aside: null });
		expect(fs.renamed).toStrictEqual([]);
		expect(logger.entries).toStrictEqual([]);
		await json.write(counter(4));
		expect(await json.read()).toStrictEqual({ status: 'ok', value: counter(4) });

		const unreadable = jsonFile({
			fs: { ...fs, readFile: () => Promise.reject(new Error('EACCES')) },
			whenBad: 'ignore',
		});
		expect((await unreadable.read()).status).toBe('bad');
		expect(fs.renamed).toStrictEqual([]);
		expect(logger.entries.map((e) => [e.level, e.event])).toStrictEqual([
			['warn', 'counter.unreadable'],
		]);
	});
});

describe('JsonFile.write', () => {
	it('writes one at a time, in call order, so the last of concurrent writes wins even on a slow disk', async () => {
		const memory = memoryFs();
		let inFlight = 0;
		let maxInFlight = 0;
		const order: number[] = [];
		const slow: JsonFileSystem = {
			...memory,
			async writeFileAtomic(name, data) {
				inFlight += 1;
				maxInFlight = Math.max(maxInFlight, inFlight);
				const { count } = JSON.parse(data) as Counter;
				// Earlier writes take longer, so writes that overlapped would land last-first.
				await new Promise((resolve) => setTimeout(resolve, 30 - 10 * count));
				order.push(count);
				await memory.writeFileAtomic(name, data);
				inFlight -= 1;
			},
		};
		const json = jsonFile({ fs: slow });
		const written = await Promise.all([0, 1, 2].map((count) => json.write(counter(count))));
		expect(written).toStrictEqual([true, true, true]);
		expect(maxInFlight).toBe(1);
		expect(order).toStrictEqual([0, 1, 2]);
		expect(await json.read()).toStrictEqual({ status: 'ok', value: counter(2) });
	});

	it('ends with the last of many concurrent writes on a real disk', async () => {
		const json = jsonFile();
		await Promise.all(Array.from({ length: 20 }, (_, count) => json.write(counter(count))));
		expect(await json.read()).toStrictEqual({ status: 'ok', value: counter(19) });
		expect(await readdir(dir)).toStrictEqual(['counter.json']);
	});

	it('takes the value as it was when the write was asked for, not when its turn came', async () => {
		const json = jsonFile();
		const value = { ...counter(1) };
		const pending = json.write(value);
		value.count = 2;
		await pending;
		expect(JSON.parse(await readFile(file, 'utf8'))).toStrictEqual(counter(1));
	});

	it('keeps the old file whole when the write fails at the rename (a crash, a full disk), and the next write works', async () => {
		const json = jsonFile();
		await json.write(counter(1));
		let failRename = true;
		const crashing: JsonFileSystem = {
			...nodeSettingsFs,
			writeFileAtomic: (name, data) =>
				writeFileAtomic(name, data, {
					rename: async (from, to) => {
						if (failRename) throw new Error('EIO: the computer lost power');
						await rename(from, to);
					},
				}),
		};
		const interrupted = jsonFile({ fs: crashing });

		expect(await interrupted.write(counter(2))).toBe(false);
		expect(await readFile(file, 'utf8')).toBe('{"version":2,"count":1}\n');
		// No temporary file is left beside it.
		expect(await readdir(dir)).toStrictEqual(['counter.json']);
		expect(logger.entries).toStrictEqual([
			{
				level: 'error',
				event: 'counter.writeFailed',
				fields: { error: 'Error: EIO: the computer lost power' },
			},
		]);

		failRename = false;
		expect(await interrupted.write(counter(3))).toBe(true);
		expect(await interrupted.read()).toStrictEqual({ status: 'ok', value: counter(3) });
	});
});
