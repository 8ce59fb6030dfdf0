/**
 * The call history: a JSON file in the user-data folder (never the renderer's storage), newest first,
 * bounded, written atomically. An unreadable file is set aside and the history starts empty.
 */
import { z } from 'zod';
import { callHistoryEntrySchema, type CallHistoryEntry } from '../../preload/contract';
import type { Logger } from '../logger';

export const HISTORY_LIMIT = 500;
const HISTORY_VERSION = 1;

const fileSchema = z.object({
	version: z.literal(HISTORY_VERSION),
	entries: z.array(callHistoryEntrySchema()),
});

export interface HistoryFileSystem {
	readFile(file: string): Promise<string | null>;
	writeFileAtomic(file: string, data: string): Promise<void>;
	rename(from: string, to: string): Promise<void>;
}

export class CallHistory {
	#entries: readonly CallHistoryEntry[];
	#queue: Promise<unknown> = Promise.resolve();

	private constructor(
		private readonly deps: { file: string; fs: HistoryFileSystem; logger: Logger },
		entries: readonly CallHistoryEntry[],
	) {
		this.#entries = entries;
	}

	static async load(deps: {
		file: string;
		fs: HistoryFileSystem;
		logger: Logger;
	}): Promise<CallHistory> {
		let text: string | null = null;
		try {
			text = await deps.fs.readFile(deps.file);
		} catch (error) {
			deps.logger.error('history.unreadable', { error: String(error) });
		}
		if (text === null) return new CallHistory(deps, []);
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = undefined;
		}
		const valid = fileSchema.safeParse(parsed);
		if (valid.success) return new CallHistory(deps, valid.data.entries.slice(0, HISTORY_LIMIT));
		try {
			await deps.fs.rename(deps.file, `${deps.file}.invalid-${Date.now()}`);
		} catch (error) {
			deps.logger.error('history.setAsideFailed', { error: String(error) });
		}
		return new CallHistory(deps, []);
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
	#write(entries: readonly CallHistoryEntry[]): Promise<readonly CallHistoryEntry[]> {
		this.#entries = entries;
		const data = `${JSON.stringify({ version: HISTORY_VERSION, entries })}\n`;
		const run = this.#queue.then(async () => {
			try {
				await this.deps.fs.writeFileAtomic(this.deps.file, data);
			} catch (error) {
				this.deps.logger.error('history.writeFailed', { error: String(error) });
			}
			return entries;
		});
		this.#queue = run.catch(() => undefined);
		return run;
	}
}
