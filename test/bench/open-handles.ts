/**
 * What a run leaves open: the benchmark must end by itself, so at the end it compares
 * `process.getActiveResourcesInfo()` with what was open when it started, waits a little for closes still
 * finishing, and lists the rest. With `BENCH_TRACE_OPEN=1` it also records where each timer and socket was
 * created (async_hooks; slower, so off by default) and prints that for each one left.
 */
import { createHook } from 'node:async_hooks';

/** Resource types (with repeats) in `now` beyond those in `baseline`. */
export function beyond(baseline: readonly string[], now: readonly string[]): string[] {
	const left = new Map<string, number>();
	for (const type of baseline) left.set(type, (left.get(type) ?? 0) + 1);
	const extra: string[] = [];
	for (const type of now) {
		const count = left.get(type) ?? 0;
		if (count > 0) left.set(type, count - 1);
		else extra.push(type);
	}
	return extra;
}

interface Traced {
	readonly type: string;
	readonly stack: string;
	readonly resource: { hasRef?: () => boolean; _destroyed?: boolean };
}

/** Starts recording where resources are created (only with BENCH_TRACE_OPEN=1); answers a reporter. */
export function traceOpenResources(): () => string[] {
	if (process.env['BENCH_TRACE_OPEN'] !== '1') return () => [];
	const live = new Map<number, Traced>();
	const hook = createHook({
		init(id, type, _trigger, resource) {
			if (!/^(Timeout|UDPWRAP|TCPWRAP|PIPEWRAP|PROCESSWRAP)$/.test(type)) return;
			const stack = (new Error().stack ?? '').split('\n').slice(3, 13).join('\n');
			live.set(id, { type, stack, resource: resource });
		},
		destroy(id) {
			live.delete(id);
		},
	});
	hook.enable();
	return () =>
		[...live.values()]
			.filter(
				({ type, resource }) =>
					type !== 'Timeout' || (resource._destroyed !== true && resource.hasRef?.() !== false),
			)
			.map(({ type, stack }) => `${type}\n${stack}`);
}

/**
 * Waits up to `timeoutMs` for every resource opened since `baseline` to be released (closes finish
 * asynchronously: sockets' last callbacks, child processes' exits); answers what is still open then.
 */
export async function openSince(
	baseline: readonly string[],
	timeoutMs = 10_000,
): Promise<string[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		// Read before this loop's own timer is set, so that timer is never counted.
		const extra = beyond(baseline, process.getActiveResourcesInfo());
		if (extra.length === 0 || Date.now() > deadline) return extra;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}
