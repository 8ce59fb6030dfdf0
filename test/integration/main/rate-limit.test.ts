/**
 * A 429 as Telnyx documents it (code 10011 with `x-ratelimit-limit|remaining|reset`, no `retry-after`): the
 * real main services against the sandbox's own rate limiter, over real HTTP. The sandbox's window is a
 * minute; its clock is moved forward so the window has about two seconds left when the app hits the limit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TestEnv, route } from './support';

let env: TestEnv | undefined;
afterEach(() => env?.close());

describe('429 without retry-after', () => {
	it('waits until x-ratelimit-reset, says so in the log, then answers', async () => {
		let offsetMs = 0;
		env = await TestEnv.start({
			rateLimit: 1,
			rest: { retryAfter: false },
			now: () => new Date(Date.now() + offsetMs),
		});
		const app = await env.app();
		// The key check is the window's one allowed request.
		expect((await app.handlers.credentials.setApiKey(env.sandbox.apiKey)).ok).toBe(true);
		offsetMs = 58_000;
		const mark = env.mark();

		const started = performance.now();
		const numbers = await app.handlers.account.listPhoneNumbers();
		const elapsedMs = performance.now() - started;

		expect(numbers.ok).toBe(true);
		const reads = env.requests(mark).filter((e) => route(e) === 'GET /phone_numbers');
		expect(reads.map((e) => e.status)).toEqual([429, 200]);
		const retrying = app.logger.entries.filter((e) => e.event === 'telnyx.retrying');
		expect(retrying).toHaveLength(1);
		const { seconds, reason } = retrying[0]!.fields as { seconds: number; reason: string };
		expect(reason).toBe('rate-limited');
		// What x-ratelimit-reset said (the window's last one or two seconds), not the 0.5 s backoff.
		expect([1, 2]).toContain(seconds);
		expect(elapsedMs).toBeGreaterThanOrEqual(seconds * 1000 - 50);
	});

	it('the 429 the app waited on carried x-ratelimit-reset and no retry-after', async () => {
		env = await TestEnv.start({ rateLimit: 1, rest: { retryAfter: false } });
		const headers = async () => {
			const response = await fetch(`${env!.sandbox.restBaseUrl}/phone_numbers`, {
				headers: { authorization: `Bearer ${env!.sandbox.apiKey}` },
			});
			await response.body?.cancel();
			return response;
		};
		expect((await headers()).status).toBe(200);
		const limited = await headers();
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBeNull();
		expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
		expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
	});
});
