import {
	APIConnectionError,
	APIConnectionTimeoutError,
	AuthenticationError,
	BadRequestError,
	ConflictError,
	InternalServerError,
	NotFoundError,
	RateLimitError,
	UnprocessableEntityError,
} from 'telnyx';
import { describe, expect, it, vi } from 'vitest';
import { withRetry, type RetryOptions } from '../../../../main/telnyx/retry';

const rateLimited = (retryAfter?: string) =>
	new RateLimitError(
		429,
		{ errors: [{ code: '10011' }] },
		undefined,
		new Headers(retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
	);
/** A 429 as Telnyx documents it: `x-ratelimit-*` headers, no `retry-after` (and optionally one too). */
const rateLimitedUntilReset = (reset: string, retryAfter?: string) =>
	new RateLimitError(
		429,
		{ errors: [{ code: '10011' }] },
		undefined,
		new Headers({
			'x-ratelimit-limit': '600',
			'x-ratelimit-remaining': '0',
			'x-ratelimit-reset': reset,
			...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
		}),
	);
const serverError = (status = 500) =>
	new InternalServerError(status, undefined, undefined, new Headers());
const connectionLost = () => new APIConnectionError({ message: 'Connection error.' });

/** A request that fails with each of `failures` in turn, then answers `value`. */
function scripted<T>(failures: unknown[], value: T) {
	const queue = [...failures];
	return vi.fn(async (): Promise<T> => {
		if (queue.length > 0) throw queue.shift();
		return value;
	});
}

/** A sleep that records what it was asked to wait, and returns at once. */
function recordingSleep() {
	const waits: number[] = [];
	const sleep = vi.fn(async (ms: number) => {
		waits.push(ms);
	});
	return { sleep, waits };
}

function options(overrides: Partial<RetryOptions> = {}) {
	const { sleep, waits } = recordingSleep();
	const onWait = vi.fn<NonNullable<RetryOptions['onWait']>>();
	return { options: { idempotent: true, sleep, onWait, ...overrides }, waits, onWait };
}

/** The rejection of a promise (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
	return promise.then(
		(value) => {
			throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
		},
		(error: unknown) => error,
	);
}

describe('withRetry', () => {
	it('answers the first success without waiting', async () => {
		const { options: o, waits, onWait } = options();
		const request = scripted([], 'ok');
		expect(await withRetry(request, o)).toBe('ok');
		expect(request).toHaveBeenCalledTimes(1);
		expect(waits).toStrictEqual([]);
		expect(onWait).not.toHaveBeenCalled();
	});

	describe('429', () => {
		it.each([true, false])(
			'waits as long as retry-after says, then tries again (idempotent: %s)',
			async (idempotent) => {
				const { options: o, waits, onWait } = options({ idempotent });
				const request = scripted([rateLimited('2')], 'created');
				expect(await withRetry(request, o)).toBe('created');
				expect(request).toHaveBeenCalledTimes(2);
				expect(waits).toStrictEqual([2000]);
				expect(onWait).toHaveBeenCalledExactlyOnceWith(2, 'rate-limited');
			},
		);

		it('waits before each new attempt, never after the last', async () => {
			const { options: o, waits, onWait } = options({ idempotent: false });
			const request = scripted([rateLimited('1'), rateLimited('3')], 'created');
			expect(await withRetry(request, o)).toBe('created');
			expect(waits).toStrictEqual([1000, 3000]);
			expect(onWait.mock.calls).toStrictEqual([
				[1, 'rate-limited'],
				[3, 'rate-limited'],
			]);
		});

		it('backs off by itself when Telnyx does not say how long', async () => {
			const { options: o, waits } = options({ idempotent: false });
			const request = scripted([rateLimited(), rateLimited()], 'ok');
			expect(await withRetry(request, o)).toBe('ok');
			expect(waits).toStrictEqual([500, 1500]);
		});

		it.each([true, false])(
			'without retry-after, waits until x-ratelimit-reset, then tries again (idempotent: %s)',
			async (idempotent) => {
				const { options: o, waits, onWait } = options({ idempotent });
				const request = scripted([rateLimitedUntilReset('7')], 'created');
				expect(await withRetry(request, o)).toBe('created');
				expect(request).toHaveBeenCalledTimes(2);
				expect(waits).toStrictEqual([7000]);
				expect(onWait).toHaveBeenCalledExactlyOnceWith(7, 'rate-limited');
			},
		);

		it('prefers retry-after to x-ratelimit-reset when Telnyx sends both', async () => {
			const { options: o, waits } = options();
			expect(await withRetry(scripted([rateLimitedUntilReset('30', '2')], 'ok'), o)).toBe('ok');
			expect(waits).toStrictEqual([2000]);
		});

		it('holds x-ratelimit-reset to the same cap as retry-after', async () => {
			const { options: o, waits, onWait } = options({ maxWaitSeconds: 10 });
			const limited = rateLimitedUntilReset('11');
			expect(await rejection(withRetry(scripted([limited], 'ok'), o))).toBe(limited);
			expect(waits).toStrictEqual([]);
			expect(onWait).not.toHaveBeenCalled();
			const { options: o2, waits: waits2 } = options({ maxWaitSeconds: 10 });
			expect(await withRetry(scripted([rateLimitedUntilReset('10')], 'ok'), o2)).toBe('ok');
			expect(waits2).toStrictEqual([10_000]);
		});

		it('backs off by itself when x-ratelimit-reset is not a number', async () => {
			const { options: o, waits } = options();
			expect(await withRetry(scripted([rateLimitedUntilReset('soon')], 'ok'), o)).toBe('ok');
			expect(waits).toStrictEqual([500]);
		});

		it('accepts a wait of exactly maxWaitSeconds', async () => {
			const { options: o, waits } = options({ maxWaitSeconds: 10 });
			expect(await withRetry(scripted([rateLimited('10')], 'ok'), o)).toBe('ok');
			expect(waits).toStrictEqual([10_000]);
		});

		it('throws instead of waiting longer than maxWaitSeconds', async () => {
			const { options: o, waits, onWait } = options({ maxWaitSeconds: 10 });
			const limited = rateLimited('11');
			const request = scripted([limited], 'ok');
			expect(await rejection(withRetry(request, o))).toBe(limited);
			expect(request).toHaveBeenCalledTimes(1);
			expect(waits).toStrictEqual([]);
			expect(onWait).not.toHaveBeenCalled();
		});

		it('caps at 60 s by default', async () => {
			const { options: o, waits } = options();
			const request = scripted([rateLimited('61')], 'ok');
			await expect(withRetry(request, o)).rejects.toBeInstanceOf(RateLimitError);
			expect(waits).toStrictEqual([]);
			const { options: o2, waits: waits2 } = options();
			expect(await withRetry(scripted([rateLimited('60')], 'ok'), o2)).toBe('ok');
			expect(waits2).toStrictEqual([60_000]);
		});

		it('gives up after maxAttempts, throwing the last 429', async () => {
			const { options: o, waits } = options({ maxAttempts: 3 });
			const last = rateLimited('1');
			const request = scripted([rateLimited('1'), rateLimited('1'), last], 'ok');
			expect(await rejection(withRetry(request, o))).toBe(last);
			expect(request).toHaveBeenCalledTimes(3);
			expect(waits).toStrictEqual([1000, 1000]);
		});
	});

	describe('5xx and lost connections', () => {
		it.each([
			['500', () => serverError(500)],
			['502', () => serverError(502)],
			['503', () => serverError(503)],
			['a lost connection', connectionLost],
		])('retries %s with backoff when the request is idempotent', async (_what, make) => {
			const { options: o, waits, onWait } = options({ idempotent: true });
			const request = scripted([make(), make()], 'listed');
			expect(await withRetry(request, o)).toBe('listed');
			expect(request).toHaveBeenCalledTimes(3);
			expect(waits).toStrictEqual([500, 1500]);
			expect(onWait.mock.calls).toStrictEqual([
				[0.5, 'server-error'],
				[1.5, 'server-error'],
			]);
		});

		it.each([
			['500', () => serverError(500)],
			['a lost connection', connectionLost],
		])('never repeats a non-idempotent request (a create) after %s', async (_what, make) => {
			const { options: o, waits, onWait } = options({ idempotent: false });
			const error = make();
			const request = scripted([error], 'created twice');
			expect(await rejection(withRetry(request, o))).toBe(error);
			expect(request).toHaveBeenCalledTimes(1);
			expect(waits).toStrictEqual([]);
			expect(onWait).not.toHaveBeenCalled();
		});

		it('gives up after maxAttempts, throwing the last error', async () => {
			const { options: o, waits } = options({ maxAttempts: 4 });
			const last = serverError(503);
			const request = scripted([serverError(), serverError(), serverError(), last], 'ok');
			expect(await rejection(withRetry(request, o))).toBe(last);
			expect(request).toHaveBeenCalledTimes(4);
			expect(waits).toStrictEqual([500, 1500, 4000]);
		});

		it('makes one attempt only when maxAttempts is 1', async () => {
			const { options: o, waits } = options({ maxAttempts: 1 });
			const request = scripted([rateLimited('1')], 'ok');
			await expect(withRetry(request, o)).rejects.toBeInstanceOf(RateLimitError);
			expect(request).toHaveBeenCalledTimes(1);
			expect(waits).toStrictEqual([]);
		});

		it('makes three attempts by default', async () => {
			const { options: o } = options();
			const request = scripted([serverError(), serverError(), serverError(), serverError()], 'ok');
			await expect(withRetry(request, o)).rejects.toBeInstanceOf(InternalServerError);
			expect(request).toHaveBeenCalledTimes(3);
		});
	});

	describe('never retried', () => {
		it.each([true, false])('a timeout (idempotent: %s)', async (idempotent) => {
			const { options: o, waits, onWait } = options({ idempotent });
			const timeout = new APIConnectionTimeoutError();
			const request = scripted([timeout], 'ok');
			expect(await rejection(withRetry(request, o))).toBe(timeout);
			expect(request).toHaveBeenCalledTimes(1);
			expect(waits).toStrictEqual([]);
			expect(onWait).not.toHaveBeenCalled();
		});

		it.each([
			['400', () => new BadRequestError(400, undefined, undefined, new Headers())],
			['401', () => new AuthenticationError(401, undefined, undefined, new Headers())],
			['404', () => new NotFoundError(404, undefined, undefined, new Headers())],
			['409', () => new ConflictError(409, undefined, undefined, new Headers())],
			['422', () => new UnprocessableEntityError(422, undefined, undefined, new Headers())],
			['a plain Error', () => new Error('bug')],
			['a SyntaxError (a broken body)', () => new SyntaxError('Unexpected token')],
		])('%s, even for an idempotent request', async (_what, make) => {
			const { options: o, waits } = options({ idempotent: true });
			const error = make();
			const request = scripted([error], 'ok');
			expect(await rejection(withRetry(request, o))).toBe(error);
			expect(request).toHaveBeenCalledTimes(1);
			expect(waits).toStrictEqual([]);
		});
	});

	it('sleeps only through the injected sleep', async () => {
		vi.useFakeTimers();
		try {
			const { options: o } = options();
			const result = withRetry(scripted([serverError(), rateLimited('30')], 'ok'), o);
			// No timer of its own: it resolves without the clock moving.
			expect(await result).toBe('ok');
			expect(vi.getTimerCount()).toBe(0);
		} finally {
			vi.useRealTimers();
		}
	});

	it('works without onWait', async () => {
		const { sleep, waits } = recordingSleep();
		expect(await withRetry(scripted([serverError()], 'ok'), { idempotent: true, sleep })).toBe(
			'ok',
		);
		expect(waits).toStrictEqual([500]);
	});
});
