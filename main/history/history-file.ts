/**
 * The call history: a JSON file in the user-data folder (never the renderer's storage), newest first,
 * bounded, written atomically. A file that cannot be read, or is not a history file at all, is set aside
 * and the history starts empty; a file with some bad entries keeps the good ones (and a copy aside).
 */
import { z } from 'zod';
import { callHistoryEntrySchema, type CallHistoryEntry } from '../../preload/contract';
import type { Logger } from '../logger';

export const HISTORY_LIMIT = 500;
const HISTORY_VERSION = 1;

/** The top level only: entries are checked one by one, so one bad entry does not cost the others. */
const fileSchema = z.object({
	version: z.literal(HISTORY_VERSION),
	entries: z.array(z.unknown()),
});
const entrySchema = callHistoryEntrySchema;

export interface HistoryFileSystem {
	readFile(file: string): Promise<string | null>;
	writeFileAtomic(file: string, data: string): Promise<void>;
	rename(from: string, to: string): Promise<void>;
}

export interface CallHistoryDeps {
	readonly file: string;
	readonly fs: HistoryFileSystem;
	readonly logger: Logger;
}

export class CallHistory {
	#entries: readonly CallHistoryEntry[];
	#queue: Promise<unknown> = Promise.resolve();

	private constructor(
		private readonly deps: CallHistoryDeps,
		entries: readonly CallHistoryEntry[],
	) {
		this.#entries = entries;
	}

	static async load(deps: CallHistoryDeps): Promise<CallHistory> {
		let text: string | null;
		try {
			text = await deps.fs.readFile(deps.file);
		} catch (error) {
			// Starting empty would let the next add overwrite a history that may only be unreadable for now.
			deps.logger.error('history.unreadable', { error: String(error) });
			await CallHistory.#setAside(deps, 'unreadable');
			return new CallHistory(deps, []);
		}
		if (text === null) return new CallHistory(deps, []);
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = undefined;
		}
		const valid = fileSchema.safeParse(parsed);
		if (!valid.success) {
			await CallHistory.#setAside(deps, 'invalid');
			return new CallHistory(deps, []);
		}
		const entries = valid.data.entries.flatMap((item) => {
			const checked = entrySchema.safeParse(item);
			return checked.success ? [checked.data] : [];
		});
		const history = new CallHistory(deps, entries.slice(0, HISTORY_LIMIT));
		const dropped = valid.data.entries.length - entries.length;
		if (dropped === 0) return history;
		// Keep the original for a person to repair, and the good entries on disk so they survive a restart.
		const aside = await CallHistory.#setAside(deps, 'invalid');
		deps.logger.warn('history.entriesDropped', { dropped, kept: entries.length, aside });
		if (aside !== null) await history.#write(history.#entries);
		return history;
	}

	/** Renames the file out of the way, keeping its bytes; answers where it went (null if it could not). */
	static async #setAside(
		deps: CallHistoryDeps,
		reason: 'unreadable' | 'invalid',
	): Promise<string | null> {
		const aside = `${deps.file}.${reason}-${Date.now()}`;
		try {
			await deps.fs.rename(deps.file, aside);
			return aside;
		} catch (error) {
			deps.logger.error('history.setAsideFailed', { error: String(error) });
			return null;
		}
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
