/**
 * The app's retry policy for Telnyx requests — the one place it is decided:
 *
 * - 429: wait as long as Telnyx says — `retry-after` when it sends one, else `x-ratelimit-reset` (what
 *   Telnyx documents on a 429), else the backoff below — and then try again; a wait longer than the cap is
 *   not waited for (the 429 goes to the user, in words). The request was not processed, so this is safe
 *   even for a create.
 * - 5xx and connection failures: retried with backoff only for requests that are safe to repeat (reads,
 *   same-body updates, deletes, token mints). A create is never repeated blindly: after an error the caller
 *   reconciles (lists what exists and adopts it), because Telnyx has no idempotency keys for these resources.
 * - A timeout is not retried: the deadline is the deadline, and repeating a hang only makes the user wait.
 *
 * This is the only retry layer: the `telnyx` library's own retries (which would also sleep on 429s and 5xx,
 * for any method) are off — `maxRetries: 0` in `createTelnyxClient` — so waits never stack.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'telnyx';
import { rateLimitWaitSeconds } from './telnyx-client';

export interface RetryOptions {
	/** Whether the request may be repeated after a 5xx or a lost connection. */
	readonly idempotent: boolean;
	readonly sleep: (ms: number) => Promise<void>;
	/** Told before each wait, so the UI can say "rate limited; retrying in N s". */
	readonly onWait?: (seconds: number, reason: 'rate-limited' | 'server-error') => void;
	readonly maxAttempts?: number;
	/** Longest wait the app accepts from a `retry-after` or `x-ratelimit-reset`. */
	readonly maxWaitSeconds?: number;
}

const BACKOFF_SECONDS = [0.5, 1.5, 4];

export async function withRetry<T>(request: () => Promise<T>, options: RetryOptions): Promise<T> {
	const { idempotent, sleep, onWait, maxAttempts = 3, maxWaitSeconds = 60 } = options;
	for (let attempt = 1; ; attempt += 1) {
		try {
			return await request();
		} catch (error) {
			if (attempt >= maxAttempts || error instanceof APIConnectionTimeoutError) throw error;
			let wait: number;
			let reason: 'rate-limited' | 'server-error';
			if (error instanceof APIError && error.status === 429) {
				const asked = rateLimitWaitSeconds(error);
				if (asked !== null && asked > maxWaitSeconds) throw error;
				wait = asked ?? BACKOFF_SECONDS[attempt - 1] ?? 4;
				reason = 'rate-limited';
			} else if (
				idempotent &&
				(error instanceof APIConnectionError ||
					(error instanceof APIError && (error.status ?? 0) >= 500))
			) {
				wait = BACKOFF_SECONDS[attempt - 1] ?? 4;
				reason = 'server-error';
			} else {
				throw error;
			}
			onWait?.(wait, reason);
			await sleep(wait * 1000);
		}
	}
}
