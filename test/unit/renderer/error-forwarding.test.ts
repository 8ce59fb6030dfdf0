import { afterEach, describe, expect, it, vi } from 'vitest';
import { limits, rendererErrorSchema, type RendererError } from '../../../preload/contract';
import {
	errorReport,
	forwardErrors,
	REPORT_RATE,
	ReportLimiter,
} from '../../../renderer/src/lib/error-forwarding';
import { fakeBridge } from '../../fakes/fake-bridge';

const noEvent = { error: null, message: '', filename: '', lineno: 0, colno: 0 };

describe('ReportLimiter', () => {
	it('lets the first ten of a minute through, then drops the rest of that minute', () => {
		const limiter = new ReportLimiter();
		const taken = Array.from({ length: 25 }, (_, i) => limiter.take(1_000 + i));
		expect(taken.slice(0, 10)).toEqual(Array.from({ length: 10 }, () => 0));
		expect(taken.slice(10)).toEqual(Array.from({ length: 15 }, () => null));
	});

	it('lets one through again as the oldest leaves the window, saying how many were dropped', () => {
		const limiter = new ReportLimiter(2, 1_000);
		expect(limiter.take(0)).toBe(0);
		expect(limiter.take(100)).toBe(0);
		expect(limiter.take(200)).toBeNull();
		expect(limiter.take(999)).toBeNull();
		expect(limiter.take(1_000)).toBe(2);
		// The count starts again after it was told.
		expect(limiter.take(1_100)).toBe(0);
		expect(limiter.take(1_200)).toBeNull();
	});

	it('bounds an endless error loop to ten reports a minute', () => {
		const limiter = new ReportLimiter();
		let sent = 0;
		// Sixty errors a second for ten minutes.
		for (let t = 0; t < 10 * 60_000; t += 16) if (limiter.take(t) !== null) sent += 1;
		expect(sent).toBeLessThanOrEqual(10 * REPORT_RATE.count);
		expect(sent).toBeGreaterThanOrEqual(9 * REPORT_RATE.count);
	});
});

describe('errorReport', () => {
	it('reports an Error’s name, message and stack', () => {
		const error = new TypeError('x is undefined');
		expect(errorReport({ kind: 'error', event: { ...noEvent, error } })).toEqual({
			kind: 'error',
			message: 'TypeError: x is undefined',
			stack: error.stack,
		});
	});

	it('reports an error event without an Error (a script from elsewhere) by its message and place', () => {
		const event = {
			...noEvent,
			message: 'Script error.',
			filename: 'app://softphone/a.js',
			lineno: 3,
			colno: 9,
		};
		expect(errorReport({ kind: 'error', event })).toEqual({
			kind: 'error',
			message: 'Script error.',
			stack: 'at app://softphone/a.js:3:9',
		});
		expect(errorReport({ kind: 'error', event: noEvent })).toEqual({
			kind: 'error',
			message: 'Unknown error',
			stack: null,
		});
	});

	it('reports a rejection’s reason, Error or not, even one that cannot be made text', () => {
		expect(
			errorReport({ kind: 'unhandledrejection', reason: new RangeError('too far') }),
		).toMatchObject({
			kind: 'unhandledrejection',
			message: 'Unhandled rejection: RangeError: too far',
		});
		expect(errorReport({ kind: 'unhandledrejection', reason: 'plain words' })).toEqual({
			kind: 'unhandledrejection',
			message: 'Unhandled rejection: plain words',
			stack: null,
		});
		expect(
			errorReport({ kind: 'unhandledrejection', reason: Object.create(null) as unknown }).message,
		).toBe('Unhandled rejection: a value that cannot be shown as text');
	});

	it('cuts the message and the stack to the contract’s limits, so main never refuses a report', () => {
		const error = new Error('m'.repeat(5_000));
		error.stack = 's'.repeat(20_000);
		const report = errorReport({ kind: 'error', event: { ...noEvent, error } }, 7);
		expect(report.message).toHaveLength(limits.errorMessage);
		expect(
			report.message.endsWith(' (7 earlier errors were not forwarded: more than 10 a minute.)'),
		).toBe(true);
		expect(report.stack).toHaveLength(limits.errorStack);
		expect(rendererErrorSchema.safeParse(report).success).toBe(true);
	});

	it('says when one earlier error was dropped', () => {
		expect(errorReport({ kind: 'unhandledrejection', reason: 'x' }, 1).message).toBe(
			'Unhandled rejection: x (1 earlier error was not forwarded: more than 10 a minute.)',
		);
	});
});

describe('forwardErrors', () => {
	const stops: (() => void)[] = [];
	afterEach(() => {
		for (const stop of stops.splice(0)) stop();
	});

	function setup(reportError = vi.fn(async (_report: RendererError) => undefined)) {
		const bridge = fakeBridge({ app: { reportError } });
		let now = 0;
		stops.push(forwardErrors(bridge, window, () => now));
		return { reportError, advance: (ms: number) => (now += ms) };
	}

	const throwInPage = (error: unknown) =>
		window.dispatchEvent(
			new ErrorEvent('error', { error, message: String(error), cancelable: true }),
		);
	const rejectInPage = (reason: unknown) => {
		const event = new Event('unhandledrejection') as Event & { reason?: unknown };
		event.reason = reason;
		window.dispatchEvent(event);
	};

	it('forwards an uncaught error and an unhandled rejection to main', () => {
		const { reportError } = setup();
		throwInPage(new Error('boom'));
		rejectInPage(new Error('nobody caught this'));
		expect(reportError.mock.calls.map(([report]) => [report.kind, report.message])).toEqual([
			['error', 'Error: boom'],
			['unhandledrejection', 'Unhandled rejection: Error: nobody caught this'],
		]);
	});

	it('is installed once per window, however often it is called', () => {
		const { reportError } = setup();
		stops.push(forwardErrors(fakeBridge({ app: { reportError } }), window));
		throwInPage(new Error('once'));
		expect(reportError).toHaveBeenCalledTimes(1);
	});

	it('sends at most ten a minute, then says how many it held back', () => {
		const { reportError, advance } = setup();
		for (let i = 0; i < 50; i += 1) throwInPage(new Error(`loop ${i}`));
		expect(reportError).toHaveBeenCalledTimes(10);
		advance(60_000);
		throwInPage(new Error('later'));
		expect(reportError).toHaveBeenCalledTimes(11);
		expect(reportError.mock.calls.at(-1)?.[0].message).toBe(
			'Error: later (40 earlier errors were not forwarded: more than 10 a minute.)',
		);
	});

	it('handles a failed report, so it cannot become an unhandled rejection reported in turn', () => {
		const failed = Promise.reject(new Error('main is gone'));
		const handled = vi.spyOn(failed, 'catch');
		const reportError = vi.fn(() => failed);
		setup(reportError);
		throwInPage(new Error('boom'));
		expect(reportError).toHaveBeenCalledTimes(1);
		expect(handled).toHaveBeenCalledTimes(1);
	});

	it('stops when told to', () => {
		const { reportError } = setup();
		stops.pop()?.();
		// Someone must still listen: Vitest reports an error event nobody handles as a failure of its own.
		const elsewhere = () => undefined;
		window.addEventListener('error', elsewhere);
		throwInPage(new Error('after'));
		window.removeEventListener('error', elsewhere);
		expect(reportError).not.toHaveBeenCalled();
	});
});
