/**
 * The official `telnyx` library, configured for the app: every option that the library would otherwise read
 * from the environment (`TELNYX_BASE_URL`, `TELNYX_API_KEY`, `TELNYX_LOG`, OAuth ids) is given explicitly, so a
 * stray variable can never send the key elsewhere; its own retries are off (the app's policy is in
 * `retry.ts`); and every request has a deadline.
 *
 * `describeFailure` turns whatever a request threw into a sentence a user can act on.
 */
import Telnyx, {
	APIConnectionError,
	APIConnectionTimeoutError,
	APIError,
	APIUserAbortError,
} from 'telnyx';
import type { TelnyxFailure } from '../../preload/contract';

export interface TelnyxClientOptions {
	readonly apiKey: string;
	readonly baseURL: string;
	/** Deadline of one request, in milliseconds. */
	readonly timeoutMs: number;
	/** For tests that need to observe the transport; the global fetch otherwise. */
	readonly fetch?: typeof fetch;
}

/** Telnyx answered 200 with something the app cannot use (a wrong shape, a truncated body). */
export class UnexpectedAnswerError extends Error {}

/** The environment variables the library reads; removed at startup so none can take effect. */
export const TELNYX_ENVIRONMENT = [
	'TELNYX_BASE_URL',
	'TELNYX_API_KEY',
	'TELNYX_PUBLIC_KEY',
	'TELNYX_CLIENT_ID',
	'TELNYX_CLIENT_SECRET',
	'TELNYX_LOG',
	'TELNYX_CUSTOM_HEADERS',
] as const;

/**
 * Deletes the library's environment variables (its custom-headers variable cannot be overridden otherwise)
 * and returns the names of those that were set. `main/environment.ts` runs this with the TLS variables.
 */
export function scrubTelnyxEnvironment(env: NodeJS.ProcessEnv): string[] {
	const removed: string[] = [];
	for (const name of TELNYX_ENVIRONMENT) {
		if (env[name] !== undefined) removed.push(name);
		delete env[name];
	}
	return removed;
}

/**
 * `fetch` that will not open a connection while certificate checks are off. Node reads
 * `NODE_TLS_REJECT_UNAUTHORIZED` on every connection; main deletes it at startup, but any code in the
 * process (a dependency, a later change) could set it again, and then the key would go to whoever answers.
 * So each request looks first, exactly as Node would, and refuses before anything is sent.
 */
export function fetchWithVerifiedTls(
	inner: typeof fetch,
	env: NodeJS.ProcessEnv = process.env,
): typeof fetch {
	return (input, init) => {
		if (env['NODE_TLS_REJECT_UNAUTHORIZED'] === '0') {
			return Promise.reject(
				new UntrustedConnectionError(
					'Certificate checks are turned off in this process (NODE_TLS_REJECT_UNAUTHORIZED=0); nothing is sent to Telnyx.',
				),
			);
		}
		return inner(input, init);
	};
}

/** The app refused to send a request over a connection whose certificate it cannot check. */
export class UntrustedConnectionError extends Error {
	override readonly name = 'UntrustedConnectionError';
}

/** OpenSSL/BoringSSL and Node codes for a certificate that could not be verified. */
const CERTIFICATE_CODES = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'CERT_REVOKED',
	'CERT_UNTRUSTED',
	'CERT_SIGNATURE_FAILURE',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Whether a failed request failed on the certificate (anywhere in its chain of causes). */
export function isCertificateFailure(error: unknown): boolean {
	for (let current = error, depth = 0; current instanceof Error && depth < 8; depth++) {
		if (current instanceof UntrustedConnectionError) return true;
		const code = (current as Error & { code?: unknown }).code;
		if (typeof code === 'string' && CERTIFICATE_CODES.has(code)) return true;
		current = current.cause;
	}
	return false;
}

/**
 * `fetch` with one deadline over the whole exchange, body included. The library's own `timeout` stops once
 * the headers have arrived, so a body that trickles in a byte at a time (a slowloris proxy) would otherwise
 * hold the request for as long as the server likes. When the deadline passes the request is aborted with an
 * `APIConnectionTimeoutError`, which the body read rejects with.
 */
export function fetchWithDeadline(inner: typeof fetch, timeoutMs: number): typeof fetch {
	return async (input, init) => {
		const controller = new AbortController();
		const timer = setTimeout(() => controller.abort(new APIConnectionTimeoutError()), timeoutMs);
		// Aborting after the body was read is a no-op; unref'd, the timer never keeps the process alive.
		timer.unref();
		const outer = init?.signal;
		if (outer) {
			if (outer.aborted) controller.abort(outer.reason);
			else outer.addEventListener('abort', () => controller.abort(outer.reason), { once: true });
		}
		try {
			return await inner(input, { ...init, signal: controller.signal });
		} catch (error) {
			clearTimeout(timer);
			throw error;
		}
	};
}

/**
 * `fetch` that sends only the app's own credentials: the library merges `TELNYX_CUSTOM_HEADERS` from the
 * environment into every request (it could even replace `Authorization`), so those headers are removed and
 * the key is set last. `main/index.ts` also clears that variable at startup; this holds wherever a client is
 * made.
 */
export function fetchWithOwnHeaders(
	inner: typeof fetch,
	apiKey: string,
	env: NodeJS.ProcessEnv = process.env,
): typeof fetch {
	return (input, init) => {
		const headers = new Headers(init?.headers);
		for (const line of (env['TELNYX_CUSTOM_HEADERS'] ?? '').split('\n')) {
			const colon = line.indexOf(':');
			const name = colon < 0 ? '' : line.slice(0, colon).trim();
			if (name !== '') headers.delete(name);
		}
		headers.set('authorization', `Bearer ${apiKey}`);
		return inner(input, { ...init, headers });
	};
}

export function createTelnyxClient({
	apiKey,
	baseURL,
	timeoutMs,
	fetch: inner,
}: TelnyxClientOptions): Telnyx {
	return new Telnyx({
		apiKey,
		baseURL,
		publicKey: null,
		clientID: null,
		clientSecret: null,
		timeout: timeoutMs,
		maxRetries: 0,
		logLevel: 'off',
		fetch: fetchWithDeadline(
			fetchWithOwnHeaders(fetchWithVerifiedTls(inner ?? globalThis.fetch), apiKey),
			timeoutMs,
		),
	});
}

interface TelnyxErrorEntry {
	readonly code?: unknown;
	readonly detail?: unknown;
	readonly title?: unknown;
	readonly source?: { readonly pointer?: unknown };
}

/** The first entry of a Telnyx error envelope, if the body is one. */
export function firstTelnyxError(body: unknown): TelnyxErrorEntry | undefined {
	if (typeof body !== 'object' || body === null || !('errors' in body)) return undefined;
	const first: unknown = Array.isArray(body.errors) ? body.errors[0] : undefined;
	return typeof first === 'object' && first !== null ? first : undefined;
}

/** Seconds Telnyx asked us to wait (`retry-after`), if it said. */
export function retryAfterSeconds(error: unknown): number | null {
	if (!(error instanceof APIError)) return null;
	const headers: Headers | undefined = (error as APIError).headers;
	const value = headers?.get('retry-after') ?? null;
	if (value === null) return null;
	if (/^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
		const seconds = Number(value);
		return seconds >= 0 ? seconds : null;
	}
	const date = Date.parse(value);
	return Number.isNaN(date) ? null : Math.max(0, (date - Date.now()) / 1000);
}

/**
 * Seconds until Telnyx's rate-limit window resets (`x-ratelimit-reset`), if it said. Telnyx documents the
 * header, with `x-ratelimit-limit` and `-remaining`, on its 429 / 10011 answers, counting in seconds; it does
 * not promise `retry-after`. A value too large to be a wait (above a Unix time in 2001) is read as the Unix
 * time of the reset instead, the other way APIs send this header, so a change of convention can never make
 * the app wait for decades or hammer the API.
 */
export function rateLimitResetSeconds(error: unknown): number | null {
	if (!(error instanceof APIError)) return null;
	const headers: Headers | undefined = (error as APIError).headers;
	const value = headers?.get('x-ratelimit-reset') ?? null;
	if (value === null || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return null;
	const seconds = Number(value);
	return seconds > 1_000_000_000 ? Math.max(0, seconds - Date.now() / 1000) : seconds;
}

/** How long Telnyx asked the app to wait after a 429: `retry-after` when sent, else `x-ratelimit-reset`. */
export function rateLimitWaitSeconds(error: unknown): number | null {
	return retryAfterSeconds(error) ?? rateLimitResetSeconds(error);
}

/** A readable field name from a JSON pointer: `/inbound/codecs` → `inbound.codecs`. */
function fieldOf(pointer: unknown): string | undefined {
	if (typeof pointer !== 'string' || pointer === '/' || pointer === '') return undefined;
	return pointer.replace(/^\//, '').replaceAll('/', '.');
}

/** What went wrong with a Telnyx request, in words; never the raw body, never a header. */
export function describeFailure(error: unknown, timeoutSeconds: number): TelnyxFailure {
	if (error instanceof APIConnectionTimeoutError) {
		return {
			code: 'TIMEOUT',
			message: `Telnyx didn't answer within ${timeoutSeconds} s. Check your internet connection and try again.`,
		};
	}
	if (error instanceof APIUserAbortError) {
		return { code: 'TIMEOUT', message: 'The request to Telnyx was cancelled. Try again.' };
	}
	if (error instanceof APIConnectionError || error instanceof UntrustedConnectionError) {
		if (isCertificateFailure(error)) {
			return {
				code: 'UNREACHABLE',
				message:
					'The connection to Telnyx could not be verified as secure (its certificate was not trusted), so nothing was sent. If your network inspects encrypted traffic, ask its administrator to let api.telnyx.com through, or try another network.',
			};
		}
		return {
			code: 'UNREACHABLE',
			message: "Telnyx can't be reached. Check your internet connection, then try again.",
		};
	}
	if (error instanceof UnexpectedAnswerError || error instanceof SyntaxError) {
		return {
			code: 'UNEXPECTED',
			message:
				'Telnyx sent an answer the app does not understand. Try again in a moment; if it persists, check status.telnyx.com.',
		};
	}
	if (!(error instanceof APIError) || error.status === undefined) {
		return {
			code: 'UNEXPECTED',
			message: 'Something unexpected went wrong talking to Telnyx. Try again.',
		};
	}
	const entry = firstTelnyxError(error.error);
	// Telnyx's details are sentences of their own: without their full stop, they end this one.
	const detail =
		typeof entry?.detail === 'string' ? entry.detail.trim().replace(/\.+$/, '') : undefined;
	const field = fieldOf(entry?.source?.pointer);
	switch (error.status) {
		case 401:
			return {
				code: 'KEY_REJECTED',
				message:
					'Telnyx rejected the API key. Check that you copied the whole key from the Telnyx portal (Auth → API Keys) and that it has not been deleted, then enter it again.',
			};
		case 403:
			return {
				code: 'FORBIDDEN',
				message:
					'This API key is not allowed to do that. Use a key of the account owner or one with full access, from the Telnyx portal (Auth → API Keys).',
			};
		case 404:
			return {
				code: 'NOT_FOUND',
				message: 'Telnyx no longer has that item; it may have been deleted in the portal.',
			};
		case 429: {
			const wait = rateLimitWaitSeconds(error);
			return {
				code: 'RATE_LIMITED',
				message: `Telnyx is limiting requests from this account${wait === null ? '' : ` for ${Math.ceil(wait)} s`}. Wait a moment and try again.`,
			};
		}
		case 400:
		case 409:
		case 422:
			return {
				code: 'INVALID',
				message: `Telnyx refused the request${field === undefined ? '' : ` (${field})`}${detail === undefined ? '' : `: ${detail}`}.`,
				...(field === undefined ? {} : { field }),
			};
		default:
			if (error.status >= 500) {
				return {
					code: 'SERVER_ERROR',
					message: `Telnyx had a problem (HTTP ${error.status}). Try again in a few minutes; if it persists, check status.telnyx.com.`,
				};
			}
			return {
				code: 'UNEXPECTED',
				message: `Telnyx answered with an unexpected HTTP ${error.status}. Try again.`,
			};
	}
}
