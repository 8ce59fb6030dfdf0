/**
 * A versioned JSON file in the user-data folder holding one list (the call history, the contacts): read and
 * checked item by item, so one bad item does not cost the others; written atomically and in turn. A file
 * that cannot be read, or is not such a file at all, is set aside (renamed, never deleted) and the list
 * starts empty; a file with some bad items keeps the good ones, on disk too, and the original aside.
 */
import { z } from 'zod';
import type { Logger } from '../logger';
import { JsonFile, type JsonFileSystem } from './json-file';

/** Read, atomic write and rename: the same three operations every JSON file uses. */
export type ListFileSystem = JsonFileSystem;

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

/** `{ version, <key>: [...] }`, checked by the schema below. */
type ListFileContent = Readonly<Record<string, unknown>>;

export class ListFile<T> {
	readonly #options: ListFileOptions;
	readonly #file: JsonFile<ListFileContent>;

	constructor(options: ListFileOptions) {
		this.#options = options;
		const { version, key } = options;
		this.#file = new JsonFile({
			...options,
			schema: z.object({ version: z.literal(version), [key]: z.array(z.unknown()) }),
			// Set-aside files of lists have always carried the time in milliseconds.
			stamp: (now) => String(now.getTime()),
		});
	}

	/**
	 * The list as the file holds it. `keep` turns the items that passed `item` into the list to use (bounds,
	 * duplicates); when it keeps fewer than the file held, the original is set aside and the kept list written.
	 */
	async load(
		item: z.ZodType<T>,
		keep: (items: T[]) => readonly T[] = (items) => items,
	): Promise<readonly T[]> {
		const { key, logger, droppedEvent } = this.#options;
		const read = await this.#file.read();
		if (read.status !== 'ok') return [];
		const raw = read.value[key] as unknown[];
		const kept = keep(
			raw.flatMap((value) => {
				const checked = item.safeParse(value);
				return checked.success ? [checked.data] : [];
			}),
		);
		const dropped = raw.length - kept.length;
		if (dropped === 0) return kept;
		// Keep the original for a person to repair, and the good items on disk so they survive a restart.
		const aside = await this.#file.setAside('invalid');
		logger.warn(droppedEvent, { dropped, kept: kept.length, aside });
		if (aside !== null) await this.write(kept);
		return kept;
	}

	/** Writes in turn after any earlier write; a failure is logged (the caller's list in memory stands). */
	async write(items: readonly T[]): Promise<void> {
		const { version, key } = this.#options;
		await this.#file.write({ version, [key]: items });
	}
}
