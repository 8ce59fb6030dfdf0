import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	MAX_LOG_CHARS,
	readLogsForBundle,
	type LogFolderReader,
} from '../../../../main/diagnostics/bundle-logs';

const DIR = '/logs';

function folder(
	files: Record<string, string | Error>,
): LogFolderReader & { read: LogFolderReader['read'] } {
	return {
		list: async () => Object.keys(files),
		read: async (file) => {
			const content = files[path.basename(file)];
			if (content === undefined || path.dirname(file) !== DIR) throw new Error(`no ${file}`);
			if (content instanceof Error) throw content;
			return content;
		},
	};
}

const denied = Object.assign(
	new Error('EACCES: permission denied, open /home/ada/logs/main.2.log'),
	{
		code: 'EACCES',
	},
);

describe('readLogsForBundle', () => {
	it('reads main.log and its rotated files, newest first, and nothing else in the folder', async () => {
		const logs = await readLogsForBundle(
			DIR,
			folder({
				'main.10.log': 'ten',
				'main.2.log': 'two',
				'renderer.log': 'not ours',
				'main.log': 'live',
				'main.1.log': 'one',
				'.main.log.abc.tmp': 'temporary',
				'main.x.log': 'not a generation',
				'main.log.invalid-1': 'aside',
			}),
		);
		expect(logs.files).toStrictEqual([
			{ name: 'main.log', text: 'live' },
			{ name: 'main.1.log', text: 'one' },
			{ name: 'main.2.log', text: 'two' },
			{ name: 'main.10.log', text: 'ten' },
		]);
		expect(logs.notes).toStrictEqual([]);
	});

	it('names a file it could not read (by its error code, not the path) and keeps the others', async () => {
		const logs = await readLogsForBundle(DIR, folder({ 'main.log': 'live', 'main.2.log': denied }));
		expect(logs.files).toStrictEqual([{ name: 'main.log', text: 'live' }]);
		expect(logs.notes).toStrictEqual(['main.2.log could not be read (EACCES).']);
	});

	it('keeps the newest part of a file too long for the bundle', async () => {
		const text = `${'o'.repeat(10)}${'n'.repeat(MAX_LOG_CHARS)}`;
		const logs = await readLogsForBundle(DIR, folder({ 'main.log': text }));
		expect(logs.files[0]!.text).toBe('n'.repeat(MAX_LOG_CHARS));
		expect(logs.notes).toStrictEqual(['main.log was cut to its last 4 MiB.']);
	});

	it('says so when there is no logs folder, it cannot be read, or holds no log', async () => {
		expect(await readLogsForBundle(null, folder({}))).toStrictEqual({
			files: [],
			notes: ['This app run keeps no log files.'],
		});
		const missing: LogFolderReader = {
			list: () => Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' })),
			read: () => Promise.reject(new Error('unused')),
		};
		expect((await readLogsForBundle(DIR, missing)).notes).toStrictEqual([
			'The logs folder could not be read (ENOENT).',
		]);
		expect((await readLogsForBundle(DIR, folder({ 'other.txt': 'x' }))).notes).toStrictEqual([
			'The logs folder held no log files.',
		]);
	});
});
