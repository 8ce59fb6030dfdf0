/**
 * Where main's log lines go on disk: `main.log` in the app's logs folder, where a user can find it and send it
 * to a supporter. Written asynchronously, so a slow disk never stalls the main process (and a call with it);
 * rotated to `main.1.log` … `main.{keep}.log`, so it never grows without bound. The lines arrive finished and
 * redacted (see ../logger.ts): this is only the sink.
 *
 * Built on electron-log's Node entry, which never imports Electron, so the app and the Node tests run this
 * very code. electron-log does the writing (an asynchronous queue, batched, with the file's mode); the
 * rotation is decided here, because electron-log's own (`maxSize`) counts a line only once its asynchronous
 * write has finished: a burst of lines all lands in one file, far past the limit, before it notices.
 *
 * Failures are never thrown. A write fails inside an `fs` callback, where a throw would be an uncaught
 * exception that takes main down, and a log that cannot be written is no reason to drop a call. electron-log
 * notes a failed write on stderr itself (the listener its default instance puts on the file registry every
 * instance shares: the log is what failed, so stderr is what is left) and the line is lost. Every failure,
 * a rotation's too, also goes to `onError`, for the app to show wherever it likes.
 */
import { chmodSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { EOL } from 'node:os';
import path from 'node:path';
import type { FileTransport, LogFile } from 'electron-log';
import electronLog from 'electron-log/node';
import { watchWrites } from './write-progress';

export const DEFAULT_MAX_BYTES = 1024 * 1024;
export const DEFAULT_KEEP = 3;

export interface LogFilesOptions {
	/** The logs folder: created if missing, and made private (0700) either way. */
	readonly dir: string;
	/** A file is rotated before a line would take it past this (default 1 MiB); a longer line gets one alone. */
	readonly maxBytes?: number;
	/** How many rotated files to keep (default 3); the oldest goes. */
	readonly keep?: number;
	/** The live file's name (default `main.log`); rotated ones insert a number before the extension. */
	readonly fileName?: string;
	/** Told of every failure: the folder, a write, a rotation (see above). */
	readonly onError?: (error: Error) => void;
}

export interface LogFiles {
	/** Queues one finished line (without its newline) and returns at once. Never throws. */
	write(line: string): void;
	/** Resolves once every line written before the call is on disk (or has failed to get there). */
	flush(): Promise<void>;
	readonly dir: string;
	/** The live file. */
	readonly file: string;
}

export function createLogFiles({
	dir,
	maxBytes = DEFAULT_MAX_BYTES,
	keep = DEFAULT_KEEP,
	fileName = 'main.log',
	onError = () => {},
}: LogFilesOptions): LogFiles {
	if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
		throw new RangeError(`maxBytes must be a positive whole number, not ${maxBytes}`);
	}
	if (!Number.isSafeInteger(keep) || keep < 0) {
		throw new RangeError(`keep must be a whole number of files, not ${keep}`);
	}
	if (fileName !== path.basename(fileName) || fileName === '') {
		throw new RangeError(`fileName must be a plain file name, not ${JSON.stringify(fileName)}`);
	}
	const file = path.join(dir, fileName);
	const report = (error: unknown) => {
		try {
			onError(error instanceof Error ? error : new Error(String(error)));
		} catch {
			// A reporter that fails must not take the app down either.
		}
	};

	try {
		mkdirSync(dir, { recursive: true, mode: 0o700 });
		// mkdir leaves a folder that already exists as it is, and Electron may have made this one.
		chmodSync(dir, 0o700);
	} catch (error) {
		report(error);
	}

	const log = electronLog.create(privateInstance(file));
	// Only the file: no console, and no IPC or remote copies (electron-log leaves out those it cannot run).
	// (Its typings say null; at run time a transport it cannot run is undefined.)
	for (const [name, other] of Object.entries(log.transports)) {
		if (name !== 'file' && other) other.level = false;
	}
	const transport = log.transports.file;
	transport.sync = false;
	// The line is already formatted (JSON, with its own time and level) and redacted.
	transport.format = '{text}';
	// Rotation is decided here (see above); 0 turns electron-log's off.
	transport.maxSize = 0;
	transport.resolvePathFn = () => file;
	transport.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' };

	const dropEverything: LogFiles = { dir, file, write: () => {}, flush: () => Promise.resolve() };
	let opened;
	try {
		// Now rather than at the first line, so a folder that cannot be written shows at startup.
		opened = openFile(transport);
	} catch (error) {
		report(error);
		return dropEverything;
	}
	const { writable, written } = watchWrites(opened);
	opened.on('error', report);
	if (!writable) {
		report(new Error(`Cannot open ${file}: nothing will be logged to it`));
		return dropEverything;
	}

	/** Oldest last: `main.log`, `main.1.log`, … `main.{keep}.log`. */
	const generations = Array.from({ length: keep + 1 }, (_, n) =>
		path.join(dir, logGenerationName(fileName, n)),
	);

	/** Bytes in the live file, counting the lines still on their way there. */
	let size = sizeOf(file);
	/** Lines handed to electron-log. */
	let handed = 0;
	/** Lines that came while a rotation waits for the writes before it: they belong after it. */
	let held: string[] | null = null;

	function write(line: string): void {
		if (held !== null) {
			held.push(line);
			return;
		}
		const bytes = Buffer.byteLength(`${line}${EOL}`);
		if (size > 0 && size + bytes > maxBytes) {
			// Renaming the file now would send the lines still queued for it into the next one instead (the
			// writer opens the file by name for each write), so the rename waits until they are on disk.
			held = [line];
			void written(handed).then(rotateAndRelease);
			return;
		}
		size += bytes;
		handed += 1;
		log.info(line);
	}

	function rotateAndRelease(): void {
		const lines = held ?? [];
		held = null;
		rotate();
		for (const line of lines) write(line);
	}

	/** Drops the oldest file and moves each other one up a number; the next line starts a new live file. */
	function rotate(): void {
		try {
			rmSync(generations[keep]!, { force: true });
			for (let n = keep - 1; n >= 0; n -= 1) moveIfPresent(generations[n]!, generations[n + 1]!);
		} catch (error) {
			report(error);
		}
		// After a failure too: the next attempt comes a whole file later, not at every line.
		size = 0;
	}

	return {
		dir,
		file,
		write,
		flush: () => written(handed + (held?.length ?? 0)),
	};
}

/** The name of a log's generation `n`: the live file (0, `main.log`), then `main.1.log`, `main.2.log`, … */
export function logGenerationName(fileName: string, n: number): string {
	if (n === 0) return fileName;
	const { name: stem, ext } = path.parse(fileName);
	return `${stem}.${n}${ext}`;
}

/**
 * Which generation of the log `fileName` a file in the logs folder is (0 for the live file), or null when it
 * is not one of that log's files: what the support bundle reads, whatever `keep` the app ran with.
 */
export function logGenerationOf(name: string, fileName = 'main.log'): number | null {
	if (name === fileName) return 0;
	const { name: stem, ext } = path.parse(fileName);
	if (!name.startsWith(`${stem}.`) || !name.endsWith(ext)) return null;
	const middle = name.slice(stem.length + 1, name.length - ext.length);
	return /^[1-9]\d{0,5}$/.test(middle) ? Number(middle) : null;
}

/**
 * A logger of its own, so nothing set here touches electron-log's default instance. `create()` would also
 * point electron-log's shared error handler at this instance (uncaught errors, if anyone ever turned that
 * on, would be written here unredacted); without an error handler it leaves that one alone.
 */
function privateInstance(file: string): { logId: string } {
	const options: { logId: string; errorHandler: undefined } = {
		logId: `softphone-log-files:${file}`,
		errorHandler: undefined,
	};
	return options;
}

/**
 * Opens (creates, 0600) the live file. electron-log first works out its default paths, which `resolvePathFn`
 * ignores, from an app name it looks for in package.json files (beside the main module, in the app's
 * resources, in the working folder), and throws when it finds none, as for an app started from another
 * folder in development. Any name will do then: it names no file.
 */
function openFile(transport: FileTransport): LogFile {
	try {
		return transport.getFile();
	} catch {
		// Set on electron-log's shared Node API, where only the default instance's default path reads it.
		transport.setAppName('telnyx-softphone');
		return transport.getFile();
	}
}

function sizeOf(file: string): number {
	try {
		return statSync(file).size;
	} catch {
		return 0;
	}
}

function moveIfPresent(from: string, to: string): void {
	try {
		renameSync(from, to);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
	}
}
