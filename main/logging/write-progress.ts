/**
 * How far electron-log's asynchronous file writer has got. electron-log has no public way to wait for its
 * writes, so this reads the few fields of its `File` (src/node/transports/file/File.js in electron-log 5.4)
 * that say so. They are checked here, once, so an upgrade that changes them fails the tests at once rather
 * than leaving a flush waiting forever.
 */

/** What `File` does with its queue; its typings (`LogFile`) leave all of it out. */
interface QueuedFile {
	/** Lines waiting for the next write (one entry a line). */
	asyncWriteQueue: unknown[];
	/** Set while one `fs.writeFile` (everything queued when it started) is under way. */
	hasActiveAsyncWriting: boolean;
	/** Called after each line is queued, and again when a write ends (the flag above just cleared). */
	nextAsyncWrite(): void;
	/** True for the stand-in electron-log uses when it could not open the file (it drops every line). */
	isNull(): boolean;
}

export interface WriteProgress {
	/** Whether electron-log could open the file at all (when it cannot, it drops every line). */
	readonly writable: boolean;
	/** Resolves once `lines` lines in all have been written (or have failed to be), counting from zero. */
	readonly written: (lines: number) => Promise<void>;
}

/** Files already watched: two counters on one `File` would each count the other's lines. */
const watched = new WeakSet<object>();

/** Starts counting the lines `file` (what electron-log's `getFile()` returned, before any line) writes. */
export function watchWrites(file: object): WriteProgress {
	if (!isQueuedFile(file)) {
		throw new TypeError(
			'electron-log’s File no longer has asyncWriteQueue, hasActiveAsyncWriting, nextAsyncWrite and isNull',
		);
	}
	if (watched.has(file)) throw new Error('This log file already has a writer in this process');
	watched.add(file);

	let done = 0;
	let inFlight = 0;
	const waiters = new Set<{ readonly lines: number; readonly resolve: () => void }>();
	const next = file.nextAsyncWrite.bind(file);
	file.nextAsyncWrite = () => {
		// Cleared flag with lines in flight: the write that held them has just ended (well or not).
		const ended = file.hasActiveAsyncWriting ? 0 : inFlight;
		if (ended > 0) inFlight = 0;
		const queued = file.asyncWriteQueue.length;
		next();
		// A write starts with everything queued at that moment, as one batch.
		if (file.hasActiveAsyncWriting && inFlight === 0) inFlight = queued;
		if (ended === 0) return;
		done += ended;
		for (const waiter of waiters) {
			if (waiter.lines > done) continue;
			waiters.delete(waiter);
			waiter.resolve();
		}
	};

	return {
		writable: !file.isNull(),
		written: (lines) =>
			lines <= done ? Promise.resolve() : new Promise((resolve) => waiters.add({ lines, resolve })),
	};
}

function isQueuedFile(file: object): file is QueuedFile {
	const candidate = file as Partial<Record<keyof QueuedFile, unknown>>;
	return (
		Array.isArray(candidate.asyncWriteQueue) &&
		typeof candidate.hasActiveAsyncWriting === 'boolean' &&
		typeof candidate.nextAsyncWrite === 'function' &&
		typeof candidate.isNull === 'function'
	);
}
