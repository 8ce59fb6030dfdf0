/**
 * The app's own log files for the support bundle: `main.log` and its rotated generations (`main.1.log`, …,
 * named by ../logging/log-files.ts), newest first, read through a port so the tests need no folder. A file
 * that cannot be read is named in a note rather than failing the bundle: the rest still helps.
 */
import path from 'node:path';
import { logGenerationOf } from '../logging/log-files';

export interface LogFolderReader {
	/** The names in the folder. */
	list(dir: string): Promise<readonly string[]>;
	read(file: string): Promise<string>;
}

export interface LogFileText {
	readonly name: string;
	readonly text: string;
}

export interface BundleLogs {
	/** Newest first: `main.log`, then `main.1.log`, … */
	readonly files: readonly LogFileText[];
	/** What could not be included, in words (for the bundle's README). */
	readonly notes: readonly string[];
}

/**
 * A file's last bytes at most: rotation keeps each file near 1 MiB, so only a log written by something else
 * (or a runaway line) is cut, and then its newest part is what a supporter needs.
 */
export const MAX_LOG_CHARS = 4 * 1024 * 1024;

const reason = (error: unknown) =>
	(error as NodeJS.ErrnoException | undefined)?.code ?? 'unreadable';

export async function readLogsForBundle(
	dir: string | null,
	reader: LogFolderReader,
): Promise<BundleLogs> {
	if (dir === null) return { files: [], notes: ['This app run keeps no log files.'] };
	let names: readonly string[];
	try {
		names = await reader.list(dir);
	} catch (error) {
		return { files: [], notes: [`The logs folder could not be read (${reason(error)}).`] };
	}
	const generations = names
		.map((name) => ({ name, generation: logGenerationOf(name) }))
		.filter((entry): entry is { name: string; generation: number } => entry.generation !== null)
		.sort((a, b) => a.generation - b.generation);
	if (generations.length === 0) return { files: [], notes: ['The logs folder held no log files.'] };
	const files: LogFileText[] = [];
	const notes: string[] = [];
	for (const { name } of generations) {
		try {
			const text = await reader.read(path.join(dir, name));
			if (text.length > MAX_LOG_CHARS) {
				notes.push(`${name} was cut to its last ${MAX_LOG_CHARS / 1024 / 1024} MiB.`);
				files.push({ name, text: text.slice(-MAX_LOG_CHARS) });
			} else files.push({ name, text });
		} catch (error) {
			notes.push(`${name} could not be read (${reason(error)}).`);
		}
	}
	return { files, notes };
}
