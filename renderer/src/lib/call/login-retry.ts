/**
 * When to sign in again after Telnyx refused a sign-in (the SDK reports it as 46001, or 46003 when Telnyx
 * asks for a new sign-in).
 *
 * Telnyx advises waiting a few seconds after creating a telephony credential before logging in with it: until
 * the credential has reached its signalling servers a login is refused with the same -32001 as a wrong one.
 * So a refusal alone cannot tell "too new" from "wrong"; what can is when the credential was made. Main
 * reports each provisioning step (`provisioning:progress`); the credential step's `done` in this session marks
 * the credential as fresh from that moment (made or adopted just now: the app cannot know it works yet).
 *
 * The policy, exactly:
 * - Fresh (the credential step finished less than `FRESH_CREDENTIAL_WINDOW_MS` ago): sign in again after
 *   1, 2, 4, then 8 s, each wait cut short so the last attempt starts by the end of the window — attempts at
 *   about 0, 1, 3, 7 and 15 s after setup. The status bar counts down meanwhile.
 * - Otherwise (a credential from an earlier session, or a fresh one whose window has passed): one more try
 *   at once with a token asked from main again (an expired token is the usual cause, and main renews it),
 *   then the refusal stands and the user is told. An old credential that is simply wrong never waits 15 s.
 * The count starts again once the line registers, and on every connect.
 */
import type { ConnectionStatus } from '../telephony/softphone';

/** How long after setup a refused sign-in is taken for a credential still reaching Telnyx's servers. */
export const FRESH_CREDENTIAL_WINDOW_MS = 15_000;
/** Waits before each new sign-in of a fresh credential. */
export const FRESH_CREDENTIAL_BACKOFF_MS = [1000, 2000, 4000, 8000] as const;

/** The line's status for the UI: the softphone's, plus the wait between sign-ins of a fresh credential. */
export type LineStatus =
	| ConnectionStatus
	/** A fresh credential was refused; the next sign-in is at `retryAt` (ms since epoch). */
	| { readonly kind: 'setting-up'; readonly attempt: number; readonly retryAt: number };

export interface LoginRetryInput {
	/** When main said the credential step finished in this session (ms since epoch), or null. */
	readonly freshSince: number | null;
	/** Sign-ins already repeated since the last connect or registration. */
	readonly retries: number;
	readonly now: number;
}

export type LoginRetryDecision =
	| { readonly kind: 'retry'; readonly delayMs: number; readonly fresh: boolean }
	| { readonly kind: 'give-up' };

export function nextLoginRetry({ freshSince, retries, now }: LoginRetryInput): LoginRetryDecision {
	if (freshSince !== null) {
		const left = freshSince + FRESH_CREDENTIAL_WINDOW_MS - now;
		const backoff = FRESH_CREDENTIAL_BACKOFF_MS[retries];
		if (left > 0 && backoff !== undefined) {
			return { kind: 'retry', delayMs: Math.min(backoff, left), fresh: true };
		}
	}
	return retries === 0 ? { kind: 'retry', delayMs: 0, fresh: false } : { kind: 'give-up' };
}
