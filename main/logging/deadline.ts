/** Waiting for something that must not hold the app up for long (the log's last lines at quit). */

/** How long a quit waits for the log to be written out. */
export const LOG_FLUSH_DEADLINE_MS = 1000;

/** Resolves when `work` settles or after `ms`, whichever comes first; never rejects. */
export function withDeadline(work: Promise<unknown>, ms: number): Promise<void> {
	return new Promise((resolve) => {
		const timer = setTimeout(resolve, ms);
		void work
			.then(
				() => undefined,
				() => undefined,
			)
			.finally(() => {
				clearTimeout(timer);
				resolve();
			});
	});
}
