/**
 * Errors the page does not catch (`error`, `unhandledrejection`), written to main's log so a user's report
 * can say what went wrong in the window. Each report is cut to the contract's limits, and reports are
 * rate-limited: a render loop that throws on every frame would otherwise send main sixty lines a second.
 */
import type { RendererError } from '../../../preload/contract';
import { limits } from '../../../preload/limits';
import type { Bridge } from './bridge';

/**
 * At most `count` reports in any `windowMs`. Ten a minute is more than any real failure needs (the first
 * report of a loop says what it is) and too few to matter to main's log, however long the loop runs.
 */
export const REPORT_RATE = { count: 10, windowMs: 60_000 } as const;

/** Decides which reports go to main, and counts the ones that did not. */
export class ReportLimiter {
	readonly #sent: number[] = [];
	#dropped = 0;

	constructor(
		readonly count: number = REPORT_RATE.count,
		readonly windowMs: number = REPORT_RATE.windowMs,
	) {}

	/** Null: drop this report. A number: send it; that many were dropped since the last one sent. */
	take(now: number): number | null {
		while (this.#sent.length > 0 && now - (this.#sent[0] ?? now) >= this.windowMs)
			this.#sent.shift();
		if (this.#sent.length >= this.count) {
			this.#dropped += 1;
			return null;
		}
		this.#sent.push(now);
		const dropped = this.#dropped;
		this.#dropped = 0;
		return dropped;
	}
}

/** `String(value)`, which can itself throw (an object without a prototype, a hostile `toString`). */
function safeString(value: unknown): string {
	try {
		return String(value);
	} catch {
		return 'a value that cannot be shown as text';
	}
}

/** What was thrown or rejected, as a message and (for an Error) its stack. */
function describeThrown(value: unknown): { message: string; stack: string | null } {
	if (value instanceof Error) {
		const stack = typeof value.stack === 'string' && value.stack !== '' ? value.stack : null;
		return { message: `${value.name}: ${safeString(value.message)}`, stack };
	}
	return { message: safeString(value), stack: null };
}

/** Where an error event came from, when the page could not see the Error itself (no stack). */
function whereOf(event: Pick<ErrorEvent, 'filename' | 'lineno' | 'colno'>): string | null {
	return event.filename ? `at ${event.filename}:${event.lineno}:${event.colno}` : null;
}

/**
 * The report for an `error` event or an `unhandledrejection`'s reason, within the contract's limits. When
 * earlier reports were dropped (`dropped`), the message says how many, so the log does not look complete.
 */
export function errorReport(
	source:
		| {
				readonly kind: 'error';
				readonly event: Pick<ErrorEvent, 'error' | 'message' | 'filename' | 'lineno' | 'colno'>;
		  }
		| { readonly kind: 'unhandledrejection'; readonly reason: unknown },
	dropped = 0,
): RendererError {
	let message: string;
	let stack: string | null;
	if (source.kind === 'error') {
		const { event } = source;
		// A script error from elsewhere carries no Error (`error` is null), only the browser's message.
		if (event.error !== null && event.error !== undefined)
			({ message, stack } = describeThrown(event.error));
		else
			({ message, stack } = { message: event.message || 'Unknown error', stack: whereOf(event) });
	} else {
		({ message, stack } = describeThrown(source.reason));
		message = `Unhandled rejection: ${message}`;
	}
	const note =
		dropped > 0
			? ` (${dropped} earlier error${dropped === 1 ? ' was' : 's were'} not forwarded: more than ${REPORT_RATE.count} a minute.)`
			: '';
	return {
		kind: source.kind,
		message: message.slice(0, limits.errorMessage - note.length) + note,
		stack: stack === null ? null : stack.slice(0, limits.errorStack),
	};
}

const installed = new WeakSet<Window>();

/**
 * Forwards the window's uncaught errors to main; once per window, however often it is called. Returns the
 * function that stops it (for tests; the app forwards for the page's whole life).
 */
export function forwardErrors(
	bridge: Pick<Bridge, 'app'>,
	target: Window = window,
	now: () => number = () => Date.now(),
): () => void {
	if (installed.has(target)) return () => undefined;
	installed.add(target);
	const limiter = new ReportLimiter();
	const send = (report: (dropped: number) => RendererError) => {
		const dropped = limiter.take(now());
		if (dropped === null) return;
		try {
			// A failed report must not become an unhandled rejection, which would be reported in turn.
			void bridge.app.reportError(report(dropped)).catch(() => undefined);
		} catch {
			// The bridge refused synchronously: nothing more can be done from the page.
		}
	};
	const onError = (event: ErrorEvent) =>
		send((dropped) => errorReport({ kind: 'error', event }, dropped));
	const onRejection = (event: PromiseRejectionEvent) =>
		send((dropped) => errorReport({ kind: 'unhandledrejection', reason: event.reason }, dropped));
	target.addEventListener('error', onError);
	target.addEventListener('unhandledrejection', onRejection);
	return () => {
		target.removeEventListener('error', onError);
		target.removeEventListener('unhandledrejection', onRejection);
		installed.delete(target);
	};
}
