/**
 * Runs async tasks one after another, in the order they were handed in: each starts once the one before it
 * has settled, so two writes of one file, or two keychain calls, never overlap and never land out of order.
 * A task that throws or rejects fails only its own promise; the tasks after it still run.
 */
export type Serial = <T>(task: () => T | Promise<T>) => Promise<T>;

export function serial(): Serial {
	let last: Promise<unknown> = Promise.resolve();
	return (task) => {
		const run = last.then(task);
		last = run.catch(() => undefined);
		return run;
	};
}
