import { describe, expect, it } from 'vitest';
import {
	endReasonKinds,
	invokeContract,
	type CallHistoryEntry,
} from '../../../../preload/contract';
import {
	CallHistory,
	HISTORY_LIMIT,
	type HistoryFileSystem,
} from '../../../../main/history/history-file';
import { silentLogger } from '../../../../main/logger';
import { recordingLogger } from '../../../support/recording-logger';

const FILE = '/user-data/history.json';

function memoryFs(files: Map<string, string>, renamed: string[] = []): HistoryFileSystem {
	return {
		readFile: async (name) => files.get(name) ?? null,
		writeFileAtomic: async (name, data) => {
			files.set(name, data);
		},
		rename: async (from, to) => {
			renamed.push(to);
			files.set(to, files.get(from) ?? '');
			files.delete(from);
		},
	};
}

const entry = (id: string, endReason: CallHistoryEntry['endReason']): CallHistoryEntry => ({
	id,
	direction: 'inbound',
	remote: '+13125550142',
	remoteName: 'Chicago',
	video: false,
	startedAt: '2026-11-30T00:00:00.000Z',
	durationSeconds: 0,
	answered: false,
	endReason,
	endMessage: 'Missed.',
});

/** History loaded from a file holding `content`; `renamed` lists what it set aside, `files` the folder. */
async function loadFrom(content: string) {
	const files = new Map([[FILE, content]]);
	const renamed: string[] = [];
	const history = await CallHistory.load({
		file: FILE,
		fs: memoryFs(files, renamed),
		logger: silentLogger,
	});
	return { history, renamed, files };
}
describe('CallHistory file', () => {
	it('keeps every entry the IPC contract accepts across a restart, whatever its end reason', async () => {
		const files = new Map<string, string>();
		const renamed: string[] = [];
		const history = await CallHistory.load({
			file: FILE,
			fs: memoryFs(files),
			logger: silentLogger,
		});
		const add = invokeContract.history.add.args;
		for (const reason of endReasonKinds) {
			const accepted = add.parse([entry(`call-${reason}`, reason)])[0];
			await history.add(accepted);
		}

		const reloaded = await CallHistory.load({
			file: FILE,
			fs: memoryFs(files, renamed),
			logger: silentLogger,
		});
		expect(renamed).toStrictEqual([]);
		expect(reloaded.list().map((e) => e.endReason)).toStrictEqual([...endReasonKinds].reverse());
	});

	it('sets an unreadable file aside and starts empty', async () => {
		const { history, renamed } = await loadFrom('{"version":1,"entries":[{"id":""}]}');
		expect(history.list()).toStrictEqual([]);
		expect(renamed).toHaveLength(1);
		expect(renamed[0]).toMatch(/history\.json\.invalid-\d+$/);
	});

	it('sets aside a file it cannot read (not a missing one) before starting empty, so the next add does not overwrite it', async () => {
		const original = JSON.stringify({ version: 1, entries: [entry('call-1', 'busy')] });
		const files = new Map([[FILE, original]]);
		const renamed: string[] = [];
		const fs: HistoryFileSystem = {
			...memoryFs(files, renamed),
			readFile: () => Promise.reject(new Error('EACCES: permission denied')),
		};
		const logger = recordingLogger();
		const history = await CallHistory.load({ file: FILE, fs, logger });
		expect(history.list()).toStrictEqual([]);
		expect(renamed).toHaveLength(1);
		expect(renamed[0]).toMatch(/history\.json\.unreadable-\d+$/);
		expect(files.get(renamed[0] ?? '')).toBe(original);
		expect(logger.entries.map((e) => e.event)).toContain('history.unreadable');

		await history.add(entry('call-2', 'busy'));
		expect(files.get(renamed[0] ?? '')).toBe(original);
	});

	it('keeps the valid entries of a file with some bad ones, and keeps the original aside', async () => {
		const good = [entry('call-1', 'busy'), entry('call-2', 'declined')];
		const original = JSON.stringify({
			version: 1,
			entries: [good[0], { id: '' }, 'not an entry', good[1], { ...good[0], endReason: 'x' }],
		});
		const files = new Map([[FILE, original]]);
		const renamed: string[] = [];
		const logger = recordingLogger();
		const history = await CallHistory.load({ file: FILE, fs: memoryFs(files, renamed), logger });
		expect(history.list()).toStrictEqual(good);
		expect(renamed).toHaveLength(1);
		expect(renamed[0]).toMatch(/history\.json\.invalid-\d+$/);
		expect(files.get(renamed[0] ?? '')).toBe(original);
		expect(logger.entries).toContainEqual(
			expect.objectContaining({
				level: 'warn',
				event: 'history.entriesDropped',
				fields: expect.objectContaining({ dropped: 3, kept: 2 }),
			}),
		);

		// The kept entries are on disk at once, so they survive a restart without another add.
		const again: string[] = [];
		const reloaded = await CallHistory.load({
			file: FILE,
			fs: memoryFs(files, again),
			logger: silentLogger,
		});
		expect(reloaded.list()).toStrictEqual(good);
		expect(again).toStrictEqual([]);
	});

	it.each([
		['invalid JSON', '{"version":1,"entries":['],
		['another version', JSON.stringify({ version: 2, entries: [entry('call-1', 'busy')] })],
		['entries that are not a list', JSON.stringify({ version: 1, entries: {} })],
		['an array', JSON.stringify([entry('call-1', 'busy')])],
	])('still sets aside a whole file holding %s', async (_what, original) => {
		const { history, renamed, files } = await loadFrom(original);
		expect(history.list()).toStrictEqual([]);
		expect(renamed).toHaveLength(1);
		expect(renamed[0]).toMatch(/history\.json\.invalid-\d+$/);
		expect(files.get(renamed[0] ?? '')).toBe(original);
	});

	it('keeps only the newest entries', async () => {
		const files = new Map<string, string>();
		const history = await CallHistory.load({
			file: FILE,
			fs: memoryFs(files),
			logger: silentLogger,
		});
		for (let i = 0; i <= HISTORY_LIMIT; i += 1) await history.add(entry(`call-${i}`, 'busy'));
		expect(history.list()).toHaveLength(HISTORY_LIMIT);
		expect(history.list()[0]?.id).toBe(`call-${HISTORY_LIMIT}`);
	});
});
