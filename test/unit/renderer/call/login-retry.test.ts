import { describe, expect, it } from 'vitest';
import {
	FRESH_CREDENTIAL_WINDOW_MS,
	nextLoginRetry,
	type LoginRetryDecision,
} from '../../../../renderer/src/lib/call/login-retry';

const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);

/** Plays refusals of every sign-in, each answered `latencyMs` after it was sent, until the policy gives up. */
function refusalsUntilGiveUp(freshSince: number | null, firstRefusalAt: number, latencyMs = 200) {
	const attempts: number[] = [];
	let now = firstRefusalAt;
	for (let retries = 0; retries < 20; retries += 1) {
		const decision: LoginRetryDecision = nextLoginRetry({ freshSince, retries, now });
		if (decision.kind === 'give-up') return attempts;
		now += decision.delayMs;
		attempts.push(now - (freshSince ?? firstRefusalAt));
		now += latencyMs;
	}
	throw new Error('never gave up');
}

describe('nextLoginRetry', () => {
	it('a credential from before this session: once more at once, then the refusal stands', () => {
		expect(nextLoginRetry({ freshSince: null, retries: 0, now: T0 })).toStrictEqual({
			kind: 'retry',
			delayMs: 0,
			fresh: false,
		});
		expect(nextLoginRetry({ freshSince: null, retries: 1, now: T0 })).toStrictEqual({
			kind: 'give-up',
		});
		expect(refusalsUntilGiveUp(null, T0)).toStrictEqual([0]);
	});

	it('a fresh credential: backs off 1, 2, 4, 8 s, saying so, and gives up by the end of the window', () => {
		expect(nextLoginRetry({ freshSince: T0, retries: 0, now: T0 + 300 })).toStrictEqual({
			kind: 'retry',
			delayMs: 1000,
			fresh: true,
		});
		// Sign-ins (ms after setup) when every one is refused, each refusal taking 200 ms to arrive.
		const attempts = refusalsUntilGiveUp(T0, T0 + 300);
		expect(attempts).toStrictEqual([1300, 3500, 7700, FRESH_CREDENTIAL_WINDOW_MS]);
		expect(Math.max(...attempts)).toBeLessThanOrEqual(FRESH_CREDENTIAL_WINDOW_MS);
	});

	it('covers Telnyx’s few seconds of propagation: an attempt lands after 3 s and after 5 s', () => {
		const attempts = refusalsUntilGiveUp(T0, T0 + 100);
		expect(attempts.some((at) => at >= 3000 && at < 5000)).toBe(true);
		expect(attempts.some((at) => at >= 5000)).toBe(true);
	});

	it('cuts the last wait short so no sign-in starts after the window', () => {
		expect(nextLoginRetry({ freshSince: T0, retries: 3, now: T0 + 12_000 })).toStrictEqual({
			kind: 'retry',
			delayMs: 3000,
			fresh: true,
		});
	});

	it('a credential provisioned longer ago than the window counts as old', () => {
		const now = T0 + FRESH_CREDENTIAL_WINDOW_MS;
		expect(nextLoginRetry({ freshSince: T0, retries: 0, now })).toStrictEqual({
			kind: 'retry',
			delayMs: 0,
			fresh: false,
		});
		expect(nextLoginRetry({ freshSince: T0, retries: 1, now })).toStrictEqual({ kind: 'give-up' });
	});

	it('never retries a fresh credential more than four times, however early the refusals come', () => {
		expect(nextLoginRetry({ freshSince: T0, retries: 4, now: T0 + 10 })).toStrictEqual({
			kind: 'give-up',
		});
	});
});
