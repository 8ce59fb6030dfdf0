/**
 * One JSON file in the user-data folder, kept with care: read and checked against its zod schema (after any
 * migration), written atomically and one write at a time, in the order asked. A file that cannot be read or
 * does not pass the check is set aside — renamed beside itself with the reason and the time, such as
 * `settings.json.invalid-2025-01-02T03-04-05-678Z`, never deleted — so the caller starts from its defaults
 * and its next write cannot overwrite what a person may want to repair. A cache, whose content the app can
 * fetch again, may ignore a bad file instead and let the next write replace it.
 */
import type { z } from 'zod';
import type { Logger } from '../logger';
import { serial, type Serial } from './serial';

/** What a JSON file needs of the disk (main/node-fs.ts in the app, test/support/memory-fs.ts in tests). */
export interface JsonFileSystem {
	/** Resolves null when the file does not exist. */
	readFile(file: string): Promise<string | null>;
	/** Leaves the old content or the new one, never a torn file (main/settings/atomic-write.ts). */
	writeFileAtomic(file: string, data: string): Promise<void>;
	rename(from: string, to: string): Promise<void>;
}

/** Why a file was bad: it could not be read, it did not pass the check, or a newer version wrote it. */
export type BadFileReason = 'unreadable' | 'invalid' | 'newer';

export type JsonRead<T> =
	| { readonly status: 'ok'; readonly value: T }
	| { readonly status: 'missing' }
	/** `aside` is where the file went; null when it stayed (ignored, or the rename failed). */
	| { readonly status: 'bad'; readonly reason: BadFileReason; readonly aside: string | null };

export interface JsonFileOptions<T> {
	readonly file: string;
	readonly fs: JsonFileSystem;
	readonly logger: Logger;
	/** Names the log events: `<name>.unreadable`, `.setAside`, `.setAsideFailed`, `.writeFailed`. */
	readonly name: string;
	/** What the file must hold (what it holds beyond that is dropped or refused, as the schema says). */
	readonly schema: z.ZodType<T>;
	/** Brings what an earlier version wrote up to date before the check. */
	readonly migrate?: (raw: unknown) => unknown;
	/** Whether a file that failed the check was written by a newer version (set aside as `.newer-…`). */
	readonly isNewer?: (raw: unknown) => boolean;
	/** `setAside` (the default) keeps a bad file; `ignore` leaves it for the next write to replace. */
	readonly whenBad?: 'setAside' | 'ignore';
	/** Indentation of the written JSON; none by default. */
	readonly indent?: string;
	readonly now?: () => Date;
	/** The time in a set-aside name; by default the UTC time with `:` and `.` as `-` (valid on Windows). */
	readonly stamp?: (now: Date) => string;
}

/** The file's text for a value: JSON and a final newline. */
export function jsonText(value: unknown, indent?: string): string {
	return `${JSON.stringify(value, null, indent)}\n`;
}

const isoStamp = (now: Date) => now.toISOString().replace(/[:.]/g, '-');

export class JsonFile<T> {
	readonly #options: JsonFileOptions<T>;
	readonly #writes: Serial = serial();

	constructor(options: JsonFileOptions<T>) {
		this.#options = options;
	}

	/** The file's value, or why there is none (a bad file has been set aside by then, unless ignored). */
	async read(): Promise<JsonRead<T>> {
		const { file, fs, logger, name, schema, migrate, isNewer, whenBad } = this.#options;
		let text: string | null;
		try {
			text = await fs.readFile(file);
		} catch (error) {
			// Unreadable (a folder, no permission) may be fine later: set it aside, or the caller's next write
			// would replace what it holds with defaults.
			const event = `${name}.unreadable`;
			if (whenBad === 'ignore') logger.warn(event, { error: String(error) });
			else logger.error(event, { error: String(error) });
			return this.#bad('unreadable');
		}
		if (text === null) return { status: 'missing' };
		let raw: unknown;
		try {
			raw = JSON.parse(text);
			if (migrate !== undefined) raw = migrate(raw);
		} catch {
			raw = undefined;
		}
		const parsed = schema.safeParse(raw);
		if (parsed.success) return { status: 'ok', value: parsed.data };
		return this.#bad(isNewer?.(raw) === true ? 'newer' : 'invalid');
	}

	/**
	 * Writes the value once every earlier write has finished, so an older value never lands after a newer
	 * one. Answers whether it was written; a failure is logged, and the file keeps what it held.
	 */
	write(value: T): Promise<boolean> {
		const { file, fs, logger, name, indent } = this.#options;
		const data = jsonText(value, indent);
		return this.#writes(async () => {
			try {
				await fs.writeFileAtomic(file, data);
				return true;
			} catch (error) {
				logger.error(`${name}.writeFailed`, { error: String(error) });
				return false;
			}
		});
	}

	/** Renames the file out of the way, keeping its bytes; answers where it went (null if it could not). */
	async setAside(reason: BadFileReason): Promise<string | null> {
		const { file, fs, logger, name, now = () => new Date(), stamp = isoStamp } = this.#options;
		const aside = `${file}.${reason}-${stamp(now())}`;
		try {
			await fs.rename(file, aside);
		} catch (error) {
			logger.error(`${name}.setAsideFailed`, { error: String(error) });
			return null;
		}
		logger.warn(`${name}.setAside`, {
			reason: reason === 'newer' ? 'written by a newer version' : reason,
			aside,
		});
		return aside;
	}

	async #bad(reason: BadFileReason): Promise<JsonRead<T>> {
		const aside = this.#options.whenBad === 'ignore' ? null : await this.setAside(reason);
		return { status: 'bad', reason, aside };
	}
}
