/**
 * The last Test my setup report the renderer sent, kept for the support bundle in `setup-report.json` in the
 * user-data folder. It is a ListFile holding a list of one, so it is read, checked, set aside when bad and
 * written atomically and in turn exactly as the history and the contacts are; a report that no longer
 * passes `setupReportSchema` (an older or hand-edited file) is dropped, and the bundle says no test was run.
 */
import { setupReportSchema, type SetupReport } from '../../preload/contract';
import type { Logger } from '../logger';
import { ListFile, type ListFileSystem } from '../storage/list-file';

export interface SetupReportStoreDeps {
	readonly file: string;
	readonly fs: ListFileSystem;
	readonly logger: Logger;
}

export class SetupReportStore {
	#last: SetupReport | null;
	readonly #file: ListFile<SetupReport>;

	private constructor(file: ListFile<SetupReport>, last: SetupReport | null) {
		this.#file = file;
		this.#last = last;
	}

	static async load(deps: SetupReportStoreDeps): Promise<SetupReportStore> {
		const file = new ListFile<SetupReport>({
			...deps,
			name: 'setupReport',
			version: 1,
			key: 'reports',
			droppedEvent: 'setupReport.dropped',
		});
		// Only the newest counts; a file with more (a later version's) keeps its first.
		const reports = await file.load(setupReportSchema, (items) => items.slice(0, 1));
		return new SetupReportStore(file, reports[0] ?? null);
	}

	/** The last report, or null when Test my setup has not run (or its report could not be read back). */
	last(): SetupReport | null {
		return this.#last;
	}

	/** Replaces the last report; the one in memory stands even if the disk refuses (the failure is logged). */
	async save(report: SetupReport): Promise<void> {
		this.#last = report;
		await this.#file.write([report]);
	}
}
