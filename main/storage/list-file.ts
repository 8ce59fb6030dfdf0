/**
 * A versioned JSON file in the user-data folder holding one list (the call history, the contacts): read and
 * checked item by item, so one bad item does not cost the others; written atomically and in turn. A file
 * that cannot be read, or is not such a file at all, is set aside (renamed, never deleted) and the list
 * starts empty; a file with some bad items keeps the good ones, on disk too, and the original aside.
 */
import { z } from 'zod';
import type { Logger } from '../logger';
import type { SettingsFileSystem } from '../settings/settings-file';

/** Read, atomic write and rename: the same three operations the settings file uses. */
export type ListFileSystem = SettingsFileSystem;

export interface ListFileOptions {
	readonly file: string;
	readonly fs: ListFileSystem;
	readonly logger: Logger;
	/** Names the log events (`<name>.unreadable`, `<name>.writeFailed`, …). */
	readonly name: string;
	readonly version: number;
	/** The file's key holding the list (`{ version, <key>: [...] }`). */
	readonly key: string;
	/** The log event saying how many items were dropped on load. */
	readonly droppedEvent: string;
}

export class ListFile<T> {
	readonly #options: ListFileOptions;
	#queue: Promise<unknown> = Promise.resolve();

	constructor(options: ListFileOptions) {
		this.#options = options;
	}

	/**
	 * The list as the file holds it. `keep` turns the items that passed `item` into the list to use (bounds,
	 * duplicates); when it keeps fewer than the file held, the original is set aside and the kept list written.
	 */
	async load(
		item: z.ZodType<T>,
		keep: (items: T[]) => readonly T[] = (items) => items,
	): Promise<readonly T[]> {
		const { file, fs, logger, name, version, key, droppedEvent } = this.#options;
		let text: string | null;
		try {
			text = await fs.readFile(file);
		} catch (error) {
			// Starting empty would let the next write overwrite a file that may only be unreadable for now.
			logger.error(`${name}.unreadable`, { error: String(error) });
			await this.#setAside('unreadable');
			return [];
		}
		if (text === null) return [];
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = undefined;
		}
		const valid = z
			.object({ version: z.literal(version), [key]: z.array(z.unknown()) })
			.safeParse(parsed);
		if (!valid.success) {
			await this.#setAside('invalid');
			return [];
		}
		const raw = valid.data[key] as unknown[];
		const kept = keep(
			raw.flatMap((value) => {
				const checked = item.safeParse(value);
				return checked.success ? [checked.data] : [];
			}),
		);
		const dropped = raw.length - kept.length;
		if (dropped === 0) return kept;
		// Keep the original for a person to repair, and the good items on disk so they survive a restart.
		const aside = await this.#setAside('invalid');
		logger.warn(droppedEvent, { dropped, kept: kept.length, aside });
		if (aside !== null) await this.write(kept);
		return kept;
	}

	/** Writes in turn after any earlier write; a failure is logged (the caller's list in memory stands). */
	write(items: readonly T[]): Promise<void> {
		const { file, fs, logger, name, version, key } = this.#options;
		const data = `${JSON.stringify({ version, [key]: items })}\n`;
		const run = this.#queue.then(async () => {
			try {
				await fs.writeFileAtomic(file, data);
			} catch (error) {
				logger.error(`${name}.writeFailed`, { error: String(error) });
			}
		});
		this.#queue = run;
		return run;
	}

	/** Renames the file out of the way, keeping its bytes; answers where it went (null if it could not). */
	async #setAside(reason: 'unreadable' | 'invalid'): Promise<string | null> {
		const { file, fs, logger, name } = this.#options;
		const aside = `${file}.${reason}-${Date.now()}`;
		try {
			await fs.rename(file, aside);
			return aside;
		} catch (error) {
			logger.error(`${name}.setAsideFailed`, { error: String(error) });
			return null;
		}
	}
}
