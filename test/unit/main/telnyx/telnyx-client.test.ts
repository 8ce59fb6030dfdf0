import {
	APIConnectionError,
	APIConnectionTimeoutError,
	APIError,
	APIUserAbortError,
	AuthenticationError,
	BadRequestError,
	ConflictError,
	InternalServerError,
	NotFoundError,
	PermissionDeniedError,
	RateLimitError,
	UnprocessableEntityError,
} from 'telnyx';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
	TELNYX_ENVIRONMENT,
	UnexpectedAnswerError,
	createTelnyxClient,
	describeFailure,
	fetchWithVerifiedTls,
	firstTelnyxError,
	rateLimitResetSeconds,
	rateLimitWaitSeconds,
	retryAfterSeconds,
	scrubTelnyxEnvironment,
} from '../../../../main/telnyx/telnyx-client';

const TIMEOUT_S = 15;
const KEY = 'KEYCANARY0123456789abcdefghijklmn';
const HTML_502 =
	'<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare SECRET-INTERNAL-HOST</center></body></html>';

const headers = (init: Record<string, string> = {}) =>
	new Headers({ 'content-type': 'application/json', ...init });

/** A Telnyx error envelope with one entry. */
const envelope = (entry: Record<string, unknown>) => ({ errors: [entry] });

/** Everything the user may see of a failure, to check what it must never contain. */
const shown = (error: unknown) => JSON.stringify(describeFailure(error, TIMEOUT_S));

/** A client of the test API at https://api.example.test/v2 over `fetch`. */
const clientOver = (fetch: typeof globalThis.fetch, timeoutMs = 1000) =>
	createTelnyxClient({ apiKey: KEY, baseURL: 'https://api.example.test/v2', timeoutMs, fetch });

/** What `promise` rejects with (undefined when it resolves). */
const failureOf = (promise: Promise<unknown>): Promise<unknown> =>
	promise.then(
		() => undefined,
		(e: unknown) => e,
	);
describe('describeFailure', () => {
	it.each<[string, APIError]>([
		[
			'AuthenticationError',
			new AuthenticationError(
				401,
				envelope({ code: '10009', title: 'Authentication failed', detail: 'Bad key' }),
				undefined,
				headers(),
			),
		],
		['a bare APIError with status 401', new APIError(401, undefined, undefined, headers())],
	])('maps 401 (%s) to KEY_REJECTED, saying to enter the key again', (_what, error) => {
		const failure = describeFailure(error, TIMEOUT_S);
		expect(failure.code).toBe('KEY_REJECTED');
		expect(failure.message).toContain('Telnyx rejected the API key');
		expect(failure.message).toContain('enter it again');
		expect(failure).not.toHaveProperty('field');
	});

	it('maps 403 to FORBIDDEN, saying which key to use', () => {
		const error = new PermissionDeniedError(
			403,
			envelope({ code: '10010', detail: 'Forbidden' }),
			undefined,
			headers(),
		);
		expect(describeFailure(error, TIMEOUT_S)).toStrictEqual({
			code: 'FORBIDDEN',
			message: expect.stringContaining('full access') as string,
		});
	});

	it('maps 404 to NOT_FOUND', () => {
		const error = new NotFoundError(404, envelope({ code: '10005' }), undefined, headers());
		expect(describeFailure(error, TIMEOUT_S)).toMatchObject({
			code: 'NOT_FOUND',
			message: expect.stringContaining('deleted in the portal') as string,
		});
	});

	it('maps 422 with source.pointer to INVALID, naming the field in dotted form', () => {
		const error = new UnprocessableEntityError(
			422,
			envelope({
				code: '10015',
				title: 'Invalid attribute',
				detail: 'The codec list is not valid.',
				source: { pointer: '/inbound/codecs' },
			}),
			undefined,
			headers(),
		);
		expect(describeFailure(error, TIMEOUT_S)).toStrictEqual({
			code: 'INVALID',
			field: 'inbound.codecs',
			message: 'Telnyx refused the request (inbound.codecs): The codec list is not valid.',
		});
	});

	it.each([
		['a detail without a full stop', 'Name is taken'],
		['a detail with a full stop', 'Name is taken.'],
		['a detail with an ellipsis and spaces', ' Name is taken... '],
	])('ends the sentence with one full stop after %s', (_what, detail) => {
		const error = new UnprocessableEntityError(422, envelope({ detail }), undefined, headers());
		expect(describeFailure(error, TIMEOUT_S).message).toBe(
			'Telnyx refused the request: Name is taken.',
		);
	});

	it.each<[string, unknown]>([
		['no envelope', undefined],
		['an empty errors list', { errors: [] }],
		['a pointer to the root', envelope({ source: { pointer: '/' } })],
		['a pointer that is not a string', envelope({ source: { pointer: 5 } })],
		['errors that is not a list', { errors: 'nope' }],
	])('maps 422 with %s to INVALID without a field', (_what, body) => {
		const error = new UnprocessableEntityError(422, body as object, undefined, headers());
		const failure = describeFailure(error, TIMEOUT_S);
		expect(failure.code).toBe('INVALID');
		expect(failure).not.toHaveProperty('field');
		expect(failure.message).toMatch(/^Telnyx refused the request/);
	});

	it.each<[string, APIError]>([
		['400', new BadRequestError(400, envelope({ detail: 'Bad' }), undefined, headers())],
		['409', new ConflictError(409, envelope({ detail: 'Taken' }), undefined, headers())],
	])('maps %s to INVALID with the detail', (_status, error) => {
		const failure = describeFailure(error, TIMEOUT_S);
		expect(failure.code).toBe('INVALID');
		expect(failure.message).toContain(firstTelnyxError(error.error)?.detail as string);
	});

	it.each([
		['2', 2],
		['0', 0],
		['120', 120],
	])('maps 429 with retry-after %s to RATE_LIMITED, saying how long', (value, seconds) => {
		const error = new RateLimitError(
			429,
			envelope({ code: '10011', detail: 'Too many requests' }),
			undefined,
			headers({ 'retry-after': value }),
		);
		expect(describeFailure(error, TIMEOUT_S)).toStrictEqual({
			code: 'RATE_LIMITED',
			message: `Telnyx is limiting requests from this account for ${seconds} s. Wait a moment and try again.`,
		});
	});

	it('maps 429 with only x-ratelimit-reset (as Telnyx documents it) to RATE_LIMITED, saying how long', () => {
		const error = new RateLimitError(
			429,
			envelope({ code: '10011', detail: 'Too many requests' }),
			undefined,
			headers({
				'x-ratelimit-limit': '600',
				'x-ratelimit-remaining': '0',
				'x-ratelimit-reset': '42',
			}),
		);
		expect(describeFailure(error, TIMEOUT_S).message).toBe(
			'Telnyx is limiting requests from this account for 42 s. Wait a moment and try again.',
		);
	});

	it('maps 429 without retry-after to RATE_LIMITED, without a number', () => {
		const error = new RateLimitError(429, undefined, undefined, headers());
		expect(describeFailure(error, TIMEOUT_S)).toStrictEqual({
			code: 'RATE_LIMITED',
			message: 'Telnyx is limiting requests from this account. Wait a moment and try again.',
		});
	});

	it.each([500, 502, 503, 504])('maps %i to SERVER_ERROR, naming the status', (status) => {
		const error = new InternalServerError(status, undefined, undefined, headers());
		const failure = describeFailure(error, TIMEOUT_S);
		expect(failure.code).toBe('SERVER_ERROR');
		expect(failure.message).toContain(`HTTP ${status}`);
		expect(failure.message).toContain('status.telnyx.com');
	});

	it('never shows the raw body of an HTML 502, though the library puts it in its message', () => {
		const error = new InternalServerError(
			502,
			undefined,
			HTML_502,
			headers({ 'content-type': 'text/html' }),
		);
		// The precondition that makes this test mean something: the library's message holds the page.
		expect(error.message).toContain('SECRET-INTERNAL-HOST');
		const text = shown(error);
		expect(text).not.toContain('SECRET-INTERNAL-HOST');
		expect(text).not.toMatch(/<html|<body|cloudflare/i);
		expect(describeFailure(error, TIMEOUT_S).code).toBe('SERVER_ERROR');
	});

	it('never shows the request headers or an envelope field other than detail and pointer', () => {
		const error = new UnprocessableEntityError(
			422,
			envelope({ title: 'TITLE-CANARY', meta: { url: 'META-CANARY' }, code: '10015' }),
			undefined,
			headers({ authorization: `Bearer ${KEY}`, 'x-request-id': 'HEADER-CANARY' }),
		);
		expect(shown(error)).not.toMatch(/CANARY/);
	});

	it('maps an unknown 4xx to UNEXPECTED with its status', () => {
		const error = new APIError(418, undefined, undefined, headers());
		expect(describeFailure(error, TIMEOUT_S)).toStrictEqual({
			code: 'UNEXPECTED',
			message: 'Telnyx answered with an unexpected HTTP 418. Try again.',
		});
	});

	it.each([1, 15, 60])(
		'maps APIConnectionTimeoutError to TIMEOUT, naming the deadline (%i s)',
		(seconds) => {
			expect(describeFailure(new APIConnectionTimeoutError(), seconds)).toStrictEqual({
				code: 'TIMEOUT',
				message: `Telnyx didn't answer within ${seconds} s. Check your internet connection and try again.`,
			});
		},
	);

	it('maps APIConnectionError to UNREACHABLE, pointing at the connection (there is no URL to fix)', () => {
		const error = new APIConnectionError({
			message: 'Connection error.',
			cause: new Error('connect ECONNREFUSED 10.1.2.3:443 SECRET-INTERNAL-HOST'),
		});
		const failure = describeFailure(error, TIMEOUT_S);
		expect(failure.code).toBe('UNREACHABLE');
		expect(failure.message).toContain('internet connection');
		expect(failure.message).not.toMatch(/URL|Settings/);
		expect(shown(error)).not.toContain('SECRET-INTERNAL-HOST');
	});

	it.each([
		'DEPTH_ZERO_SELF_SIGNED_CERT',
		'SELF_SIGNED_CERT_IN_CHAIN',
		'CERT_HAS_EXPIRED',
		'ERR_TLS_CERT_ALTNAME_INVALID',
	])('says a certificate failure (%s) is one, not a lost connection', (code) => {
		const tlsError = Object.assign(new Error('self-signed certificate'), { code });
		const error = new APIConnectionError({
			message: 'Connection error.',
			cause: new TypeError('fetch failed', { cause: tlsError }),
		});
		const failure = describeFailure(error, TIMEOUT_S);
		expect(failure.code).toBe('UNREACHABLE');
		expect(failure.message).toContain('could not be verified as secure');
		expect(failure.message).toContain('nothing was sent');
	});

	it('maps a cancelled request to TIMEOUT (not a connection failure)', () => {
		expect(describeFailure(new APIUserAbortError(), TIMEOUT_S).code).toBe('TIMEOUT');
	});

	it.each<[string, unknown]>([
		['UnexpectedAnswerError', new UnexpectedAnswerError('Telnyx sent {"data": SECRET-BODY')],
		['SyntaxError', new SyntaxError('Unexpected token < in JSON at position 0 SECRET-BODY')],
	])('maps %s to UNEXPECTED without its text', (_what, error) => {
		const failure = describeFailure(error, TIMEOUT_S);
		expect(failure.code).toBe('UNEXPECTED');
		expect(failure.message).toContain('does not understand');
		expect(shown(error)).not.toContain('SECRET-BODY');
	});

	it.each<[string, unknown]>([
		['a plain Error', new Error('SECRET-BODY')],
		['a string', 'SECRET-BODY'],
		['null', null],
		['an object', { status: 401, message: 'SECRET-BODY' }],
	])('maps anything else (%s) to UNEXPECTED without its text', (_what, error) => {
		expect(describeFailure(error, TIMEOUT_S).code).toBe('UNEXPECTED');
		expect(shown(error)).not.toContain('SECRET-BODY');
	});

	it('answers a sentence for every failure code it produces', () => {
		const errors: unknown[] = [
			new APIError(401, undefined, undefined, headers()),
			new APIError(403, undefined, undefined, headers()),
			new APIError(404, undefined, undefined, headers()),
			new APIError(422, undefined, undefined, headers()),
			new APIError(429, undefined, undefined, headers()),
			new APIError(500, undefined, undefined, headers()),
			new APIConnectionError({}),
			new APIConnectionTimeoutError(),
			new SyntaxError('x'),
		];
		for (const error of errors) {
			const { message } = describeFailure(error, TIMEOUT_S);
			expect(message).toMatch(/^[A-Z].*\.$/);
		}
	});
});

describe('rateLimitResetSeconds and rateLimitWaitSeconds', () => {
	const limited = (values: Record<string, string>) =>
		new RateLimitError(429, undefined, undefined, headers(values));

	it('reads x-ratelimit-reset as seconds until the window resets', () => {
		expect(rateLimitResetSeconds(limited({ 'x-ratelimit-reset': '12' }))).toBe(12);
		expect(rateLimitResetSeconds(limited({ 'x-ratelimit-reset': ' 1.5 ' }))).toBe(1.5);
		expect(rateLimitResetSeconds(limited({}))).toBeNull();
	});

	it('refuses what is not a wait: negatives, words, other errors', () => {
		for (const value of ['-5', 'soon', '', '1e3']) {
			expect(rateLimitResetSeconds(limited({ 'x-ratelimit-reset': value })), value).toBeNull();
		}
		expect(rateLimitResetSeconds(new Error('x'))).toBeNull();
	});

	it('reads a Unix time as the seconds until then, never negative', () => {
		vi.useFakeTimers({ now: new Date('2025-01-02T03:04:05Z') });
		try {
			const at = Date.parse('2025-01-02T03:04:15Z') / 1000;
			expect(rateLimitResetSeconds(limited({ 'x-ratelimit-reset': String(at) }))).toBe(10);
			expect(rateLimitResetSeconds(limited({ 'x-ratelimit-reset': String(at - 60) }))).toBe(0);
		} finally {
			vi.useRealTimers();
		}
	});

	it('takes retry-after first, then x-ratelimit-reset', () => {
		expect(rateLimitWaitSeconds(limited({ 'retry-after': '2', 'x-ratelimit-reset': '30' }))).toBe(
			2,
		);
		expect(rateLimitWaitSeconds(limited({ 'x-ratelimit-reset': '30' }))).toBe(30);
		expect(rateLimitWaitSeconds(limited({}))).toBeNull();
	});
});

describe('retryAfterSeconds', () => {
	const limited = (value?: string) =>
		new RateLimitError(
			429,
			undefined,
			undefined,
			headers(value === undefined ? {} : { 'retry-after': value }),
		);

	it('reads seconds', () => {
		expect(retryAfterSeconds(limited('3'))).toBe(3);
		expect(retryAfterSeconds(limited('0.5'))).toBe(0.5);
	});

	it('reads an HTTP date as the seconds until then, never negative', () => {
		vi.useFakeTimers({ now: new Date('2025-01-02T03:04:05Z') });
		try {
			expect(retryAfterSeconds(limited('Thu, 02 Jan 2025 03:04:15 GMT'))).toBe(10);
			expect(retryAfterSeconds(limited('Thu, 02 Jan 2025 03:00:00 GMT'))).toBe(0);
		} finally {
			vi.useRealTimers();
		}
	});

	it('never answers a negative wait', () => {
		for (const value of ['-5', '-0.5', '-1e9']) {
			const seconds = retryAfterSeconds(limited(value));
			expect(seconds === null || seconds >= 0, value).toBe(true);
		}
	});

	it.each<[string, unknown]>([
		['no header', limited()],
		['garbage', limited('soon')],
		['a connection error (no headers)', new APIConnectionError({})],
		['a plain Error', new Error('429')],
	])('answers null for %s', (_what, error) => {
		expect(retryAfterSeconds(error)).toBeNull();
	});
});

describe('scrubTelnyxEnvironment', () => {
	it('removes exactly the variables the library reads, and nothing else', () => {
		const env: NodeJS.ProcessEnv = {
			PATH: '/usr/bin',
			HOME: '/home/alice',
			TELNYX_OTHER: 'kept',
			telnyx_base_url: 'kept (another name on case-sensitive systems)',
		};
		for (const name of TELNYX_ENVIRONMENT) env[name] = `value of ${name}`;
		expect(scrubTelnyxEnvironment(env)).toStrictEqual([...TELNYX_ENVIRONMENT]);
		expect(env).toStrictEqual({
			PATH: '/usr/bin',
			HOME: '/home/alice',
			TELNYX_OTHER: 'kept',
			telnyx_base_url: 'kept (another name on case-sensitive systems)',
		});
	});

	it('lists the variables the library reads', () => {
		expect([...TELNYX_ENVIRONMENT].sort()).toStrictEqual(
			[
				'TELNYX_API_KEY',
				'TELNYX_BASE_URL',
				'TELNYX_CLIENT_ID',
				'TELNYX_CLIENT_SECRET',
				'TELNYX_CUSTOM_HEADERS',
				'TELNYX_LOG',
				'TELNYX_PUBLIC_KEY',
			].sort(),
		);
	});

	it('is harmless on an environment without them', () => {
		const env: NodeJS.ProcessEnv = { PATH: '/bin' };
		expect(scrubTelnyxEnvironment(env)).toStrictEqual([]);
		expect(env).toStrictEqual({ PATH: '/bin' });
	});

	it('names only the variables that were set, never their values', () => {
		const env: NodeJS.ProcessEnv = {
			TELNYX_LOG: 'debug',
			TELNYX_BASE_URL: 'https://evil.example/v2',
		};
		const removed = scrubTelnyxEnvironment(env);
		expect(removed.sort()).toStrictEqual(['TELNYX_BASE_URL', 'TELNYX_LOG']);
		expect(JSON.stringify(removed)).not.toContain('evil');
	});
});

/** A fetch that records each request and answers with `respond`. */
function recordingFetch(respond: (url: string) => Response | Promise<Response>) {
	const requests: { url: string; headers: Headers; method: string }[] = [];
	const fetch = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
		const url = input instanceof Request ? input.url : String(input);
		requests.push({
			url,
			headers: new Headers(init?.headers),
			method: init?.method ?? 'GET',
		});
		return respond(url);
	});
	return { fetch: fetch as unknown as typeof globalThis.fetch, requests };
}

const listBody = () =>
	new Response(JSON.stringify({ data: [], meta: { total_pages: 1, page_number: 1 } }), {
		status: 200,
		headers: { 'content-type': 'application/json' },
	});

describe('createTelnyxClient', () => {
	afterEach(() => {
		vi.unstubAllEnvs();
	});

	it('ignores TELNYX_BASE_URL and TELNYX_API_KEY in the environment', async () => {
		vi.stubEnv('TELNYX_BASE_URL', 'http://127.0.0.1:9/v2');
		vi.stubEnv('TELNYX_API_KEY', 'KEYFROMTHEENVIRONMENT0123456789');
		vi.stubEnv('TELNYX_LOG', 'debug');
		const { fetch, requests } = recordingFetch(listBody);
		const client = clientOver(fetch);
		expect(client.baseURL).toBe('https://api.example.test/v2');
		expect(client.apiKey).toBe(KEY);
		expect(client.publicKey).toBeNull();

		await client.credentialConnections.list({ 'page[size]': 1 });
		expect(requests).toHaveLength(1);
		expect(requests[0]?.url).toMatch(/^https:\/\/api\.example\.test\/v2\/credential_connections/);
		expect(requests[0]?.headers.get('authorization')).toBe(`Bearer ${KEY}`);
		expect(JSON.stringify([...(requests[0]?.headers ?? [])])).not.toContain(
			'KEYFROMTHEENVIRONMENT',
		);
	});

	it('talks to the sandbox when told to, even with the production URL in the environment', async () => {
		vi.stubEnv('TELNYX_BASE_URL', 'https://api.telnyx.com/v2');
		const { fetch, requests } = recordingFetch(listBody);
		const client = createTelnyxClient({
			apiKey: KEY,
			baseURL: 'http://127.0.0.1:14000/v2',
			timeoutMs: 1000,
			fetch,
		});
		await client.credentialConnections.list({ 'page[size]': 1 });
		expect(requests[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:14000\/v2\//);
	});

	it('makes one request per call: its own retries are off (the app decides, in retry.ts)', async () => {
		const { fetch, requests } = recordingFetch(
			() => new Response('{}', { status: 500, headers: { 'content-type': 'application/json' } }),
		);
		const client = clientOver(fetch);
		await expect(client.credentialConnections.list()).rejects.toBeInstanceOf(InternalServerError);
		expect(requests).toHaveLength(1);
	});

	it('turns a real HTML 502 into an error whose description holds none of the page', async () => {
		const { fetch } = recordingFetch(
			() => new Response(HTML_502, { status: 502, headers: { 'content-type': 'text/html' } }),
		);
		const client = clientOver(fetch);
		const error = await failureOf(client.credentialConnections.list());
		expect(error).toBeInstanceOf(InternalServerError);
		expect((error as Error).message).toContain('SECRET-INTERNAL-HOST');
		expect(describeFailure(error, TIMEOUT_S).code).toBe('SERVER_ERROR');
		expect(shown(error)).not.toContain('SECRET-INTERNAL-HOST');
	});

	it('sends nothing while NODE_TLS_REJECT_UNAUTHORIZED=0, even when set after startup', async () => {
		vi.stubEnv('NODE_TLS_REJECT_UNAUTHORIZED', '0');
		const { fetch, requests } = recordingFetch(listBody);
		const client = clientOver(fetch);
		const error = await failureOf(client.credentialConnections.list());
		expect(requests).toHaveLength(0);
		expect(error).toBeInstanceOf(APIConnectionError);
		expect(describeFailure(error, TIMEOUT_S).code).toBe('UNREACHABLE');
		expect(shown(error)).not.toContain(KEY);

		// Checked on each request, as Node checks on each connection: once it is gone, requests go.
		vi.stubEnv('NODE_TLS_REJECT_UNAUTHORIZED', undefined);
		await client.credentialConnections.list();
		expect(requests).toHaveLength(1);
	});

	it('gives up at its deadline with APIConnectionTimeoutError', async () => {
		const hanging = ((_input: string | URL | Request, init?: RequestInit) =>
			new Promise<Response>((_resolve, reject) => {
				init?.signal?.addEventListener('abort', () =>
					reject(new DOMException('The operation was aborted.', 'AbortError')),
				);
			})) as typeof globalThis.fetch;
		const client = clientOver(hanging, 100);
		const started = Date.now();
		const error = await failureOf(client.credentialConnections.list());
		expect(Date.now() - started).toBeLessThan(2000);
		expect(error).toBeInstanceOf(APIConnectionTimeoutError);
		expect(describeFailure(error, 0.1).code).toBe('TIMEOUT');
	});
});

describe('fetchWithVerifiedTls', () => {
	const ok = () => Promise.resolve(new Response('{}'));

	it.each([
		['unset', {}, 1],
		["'1'", { NODE_TLS_REJECT_UNAUTHORIZED: '1' }, 1],
		["'' (Node checks for '0' only)", { NODE_TLS_REJECT_UNAUTHORIZED: '' }, 1],
		["'0'", { NODE_TLS_REJECT_UNAUTHORIZED: '0' }, 0],
	] as const)('NODE_TLS_REJECT_UNAUTHORIZED %s: %i request(s) go out', async (_what, env, sent) => {
		const inner = vi.fn(ok);
		const guarded = fetchWithVerifiedTls(inner, { ...env });
		const outcome = await guarded('https://api.example.test/v2/balance').then(
			() => 'sent',
			(e: unknown) => (e instanceof Error ? e.message : String(e)),
		);
		expect(inner).toHaveBeenCalledTimes(sent);
		if (sent === 0) expect(outcome).toMatch(/Certificate checks are turned off/);
		else expect(outcome).toBe('sent');
	});
});
