/**
 * The call history: a JSON file in the user-data folder (never the renderer's storage), newest first,
 * bounded, written atomically. A file that cannot be read, or is not a history file at all, is set aside
 * and the history starts empty; a file with some bad entries keeps the good ones (and a copy aside).
 */
import { callHistoryEntrySchema, type CallHistoryEntry } from '../../preload/contract';
import type { Logger } from '../logger';
import { ListFile, type ListFileSystem } from '../storage/list-file';

export const HISTORY_LIMIT = 500;

export type HistoryFileSystem = ListFileSystem;

export interface CallHistoryDeps {
	readonly file: string;
	readonly fs: HistoryFileSystem;
	readonly logger: Logger;
}

export class CallHistory {
	#entries: readonly CallHistoryEntry[];
	readonly #file: ListFile<CallHistoryEntry>;

	private constructor(file: ListFile<CallHistoryEntry>, entries: readonly CallHistoryEntry[]) {
		this.#file = file;
		this.#entries = entries;
	}

	static async load(deps: CallHistoryDeps): Promise<CallHistory> {
		const file = new ListFile<CallHistoryEntry>({
			...deps,
			name: 'history',
			version: 1,
			key: 'entries',
			droppedEvent: 'history.entriesDropped',
		});
		const entries = await file.load(callHistoryEntrySchema);
		return new CallHistory(file, entries.slice(0, HISTORY_LIMIT));
	}

	list(): readonly CallHistoryEntry[] {
		return this.#entries;
	}

	/** Adds a finished call at the top (replacing an entry with the same id); keeps the newest entries. */
	add(entry: CallHistoryEntry): Promise<readonly CallHistoryEntry[]> {
		return this.#write(
			[entry, ...this.#entries.filter((e) => e.id !== entry.id)].slice(0, HISTORY_LIMIT),
		);
	}

	clear(): Promise<readonly CallHistoryEntry[]> {
		return this.#write([]);
	}

	/** Writes in turn; the in-memory history follows even if the disk refuses (and the failure is logged). */
	async #write(entries: readonly CallHistoryEntry[]): Promise<readonly CallHistoryEntry[]> {
		this.#entries = entries;
		await this.#file.write(entries);
		return entries;
	}
}
