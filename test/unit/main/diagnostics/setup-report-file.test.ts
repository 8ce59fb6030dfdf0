import { describe, expect, it } from 'vitest';
import { SetupReportStore } from '../../../../main/diagnostics/setup-report-file';
import { memoryFs } from '../../../support/memory-fs';
import { recordingLogger } from '../../../support/recording-logger';
import { setupReport } from './fixtures';

const FILE = '/data/setup-report.json';

describe('SetupReportStore', () => {
	it('starts with no report, keeps the last one saved, and reads it back after a restart', async () => {
		const fs = memoryFs();
		const store = await SetupReportStore.load({ file: FILE, fs, logger: recordingLogger() });
		expect(store.last()).toBeNull();
		await store.save({ ...setupReport, finishedAt: '2026-12-01T00:00:00.000Z' });
		await store.save(setupReport);
		expect(store.last()).toStrictEqual(setupReport);
		expect(JSON.parse(fs.files.get(FILE)!)).toStrictEqual({ version: 1, reports: [setupReport] });
		const again = await SetupReportStore.load({ file: FILE, fs, logger: recordingLogger() });
		expect(again.last()).toStrictEqual(setupReport);
	});

	it.each([
		['not JSON', '{"version":1,"reports":['],
		['another shape', '{"finishedAt":"2026-12-07T18:20:00.000Z"}'],
		['a later version', '{"version":2,"reports":[]}'],
	])('sets a file that is %s aside and starts with no report', async (_what, text) => {
		const fs = memoryFs(new Map([[FILE, text]]));
		const store = await SetupReportStore.load({ file: FILE, fs, logger: recordingLogger() });
		expect(store.last()).toBeNull();
		expect(fs.renamed).toHaveLength(1);
		expect(fs.renamed[0]).toMatch(/^\/data\/setup-report\.json\.invalid-\d+$/);
		expect(fs.files.get(fs.renamed[0]!)).toBe(text);
	});

	it('drops a report that no longer passes the contract (a file edited by hand), keeping the original aside', async () => {
		const bad = { ...setupReport, checks: [{ id: 'printer', verdict: 'good' }] };
		const fs = memoryFs(new Map([[FILE, JSON.stringify({ version: 1, reports: [bad] })]]));
		const logger = recordingLogger();
		const store = await SetupReportStore.load({ file: FILE, fs, logger });
		expect(store.last()).toBeNull();
		expect(fs.renamed).toHaveLength(1);
		expect(logger.entries.map((e) => e.event)).toContain('setupReport.dropped');
	});

	it('keeps the report in memory when the disk refuses it, and logs that', async () => {
		const fs = memoryFs();
		const logger = recordingLogger();
		const store = await SetupReportStore.load({
			file: FILE,
			fs: { ...fs, writeFileAtomic: () => Promise.reject(new Error('ENOSPC')) },
			logger,
		});
		await store.save(setupReport);
		expect(store.last()).toStrictEqual(setupReport);
		expect(logger.entries.map((e) => e.event)).toContain('setupReport.writeFailed');
	});
});
