import { describe, expect, it } from 'vitest';
import {
	argumentSchemas,
	endReasonKinds,
	type CallHistoryEntry,
} from '../../../../preload/contract';
import {
	CallHistory,
	HISTORY_LIMIT,
	type HistoryFileSystem,
} from '../../../../main/history/history-file';
import { silentLogger } from '../../../../main/logger';

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

describe('CallHistory file', () => {
	it('keeps every entry the IPC contract accepts across a restart, whatever its end reason', async () => {
		const files = new Map<string, string>();
		const renamed: string[] = [];
		const history = await CallHistory.load({
			file: FILE,
			fs: memoryFs(files),
			logger: silentLogger,
		});
		const add = argumentSchemas().history.add;
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
		const files = new Map([[FILE, '{"version":1,"entries":[{"id":""}]}']]);
		const renamed: string[] = [];
		const history = await CallHistory.load({
			file: FILE,
			fs: memoryFs(files, renamed),
			logger: silentLogger,
		});
		expect(history.list()).toStrictEqual([]);
		expect(renamed).toHaveLength(1);
		expect(renamed[0]).toMatch(/history\.json\.invalid-\d+$/);
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
