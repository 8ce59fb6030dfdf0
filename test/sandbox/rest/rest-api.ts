/**
 * The REST v2 request handler: Bearer authentication (401/10009), per-account rate limiting with
 * `x-ratelimit-*` headers (429/10011; `retry-after` only when the behaviour asks for it), injected faults,
 * routing to the resources, a request log tests can read back, and every exchange handed to the OpenAPI
 * check. Error bodies use Telnyx's envelope.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
	RestError,
	badRequest,
	notFound,
	statusError,
	tooManyRequests,
	unauthenticated,
} from './errors';
import {
	credentialConnections,
	outboundVoiceProfiles,
	phoneNumbers,
	telephonyCredentials,
	type RestContext,
	type RestResult,
} from './resources';
import type { RestBehaviour } from './behaviour';
import type { Faults, RestFault } from '../faults';
import type { Exchange } from '../openapi/spec-check';
import type { Account, CredentialRecord, JsonObject, SandboxStore } from '../store';

export interface RestLogEntry {
	readonly time: string;
	readonly method: string;
	/** Path under the REST base, without the query. */
	readonly path: string;
	readonly query: string;
	status: number;
	/** The fault that shaped this answer, if any. */
	readonly fault?: RestFault['kind'];
	/** Whether the request carried a valid API key (never the key itself). */
	readonly authenticated: boolean;
	readonly retryCount: string | null;
}

export interface RestApiOptions {
	readonly store: SandboxStore;
	readonly faults: Faults;
	readonly now: () => Date;
	readonly mintToken: (credential: CredentialRecord) => string;
	/** Requests per account per rate window before 429. */
	readonly rateLimit: number;
	readonly rateWindowSeconds: number;
	readonly log: RestLogEntry[];
	/** Live behaviour switches (the admin API changes them between requests). */
	readonly behaviour: RestBehaviour;
	/** Receives every exchange whose bodies are JSON as Telnyx would send them, for the spec check. */
	readonly onExchange?: (exchange: Exchange) => void;
}

/** Faults that answer with a deliberately broken body: not Telnyx's output, so not checked against its spec. */
const UNCHECKED_FAULTS = new Set<RestFault['kind']>(['html', 'truncated', 'wrong-shape', 'hang']);

type Route = (
	ctx: RestContext,
	params: string[],
	body: JsonObject,
	query: URLSearchParams,
) => RestResult;

const ROUTES: [method: string, pattern: RegExp, route: Route][] = [
	['GET', /^\/credential_connections$/, (ctx, _p, _b, q) => credentialConnections.list(ctx, q)],
	[
		'POST',
		/^\/credential_connections$/,
		(ctx, _p, body) => credentialConnections.create(ctx, body),
	],
	[
		'GET',
		/^\/credential_connections\/([^/]+)$/,
		(ctx, [id = '']) => credentialConnections.retrieve(ctx, id),
	],
	[
		'PATCH',
		/^\/credential_connections\/([^/]+)$/,
		(ctx, [id = ''], body) => credentialConnections.update(ctx, id, body),
	],
	[
		'DELETE',
		/^\/credential_connections\/([^/]+)$/,
		(ctx, [id = '']) => credentialConnections.remove(ctx, id),
	],
	['GET', /^\/outbound_voice_profiles$/, (ctx, _p, _b, q) => outboundVoiceProfiles.list(ctx, q)],
	[
		'POST',
		/^\/outbound_voice_profiles$/,
		(ctx, _p, body) => outboundVoiceProfiles.create(ctx, body),
	],
	[
		'GET',
		/^\/outbound_voice_profiles\/([^/]+)$/,
		(ctx, [id = '']) => outboundVoiceProfiles.retrieve(ctx, id),
	],
	[
		'PATCH',
		/^\/outbound_voice_profiles\/([^/]+)$/,
		(ctx, [id = ''], body) => outboundVoiceProfiles.update(ctx, id, body),
	],
	[
		'DELETE',
		/^\/outbound_voice_profiles\/([^/]+)$/,
		(ctx, [id = '']) => outboundVoiceProfiles.remove(ctx, id),
	],
	['GET', /^\/telephony_credentials$/, (ctx, _p, _b, q) => telephonyCredentials.list(ctx, q)],
	['POST', /^\/telephony_credentials$/, (ctx, _p, body) => telephonyCredentials.create(ctx, body)],
	[
		'GET',
		/^\/telephony_credentials\/([^/]+)$/,
		(ctx, [id = '']) => telephonyCredentials.retrieve(ctx, id),
	],
	[
		'PATCH',
		/^\/telephony_credentials\/([^/]+)$/,
		(ctx, [id = ''], body) => telephonyCredentials.update(ctx, id, body),
	],
	[
		'DELETE',
		/^\/telephony_credentials\/([^/]+)$/,
		(ctx, [id = '']) => telephonyCredentials.remove(ctx, id),
	],
	[
		'POST',
		/^\/telephony_credentials\/([^/]+)\/token$/,
		(ctx, [id = '']) => telephonyCredentials.token(ctx, id),
	],
	['GET', /^\/phone_numbers$/, (ctx, _p, _b, q) => phoneNumbers.list(ctx, q)],
];

const MAX_BODY_BYTES = 1024 * 1024;

function readBody(request: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		let size = 0;
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				reject(
					new RestError(413, [
						{
							code: '10015',
							title: 'Bad Request',
							detail: 'Request body too large.',
							meta: { url: '' },
						},
					]),
				);
				request.destroy();
				return;
			}
			chunks.push(chunk);
		});
		request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});
}

function parseJsonBody(text: string, method: string): JsonObject {
	if (method === 'GET' || method === 'DELETE' || text.trim() === '') return {};
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw badRequest('The request body is not valid JSON.');
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw badRequest('The request body must be a JSON object.');
	}
	return parsed as JsonObject;
}

/** The request body as the spec check sees it: parsed JSON, or undefined when empty or not JSON. */
function parseForCheck(text: string): unknown {
	if (text.trim() === '') return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createRestApi(options: RestApiOptions) {
	const { store, faults, now, mintToken, log, behaviour } = options;
	const windows = new Map<string, { start: number; count: number }>();

	function rateHeaders(account: Account): {
		headers: Record<string, string>;
		limited: boolean;
		reset: number;
	} {
		const nowMs = now().getTime();
		const windowMs = options.rateWindowSeconds * 1000;
		let window = windows.get(account.id);
		if (window === undefined || nowMs - window.start >= windowMs) {
			window = { start: nowMs, count: 0 };
			windows.set(account.id, window);
		}
		window.count += 1;
		const reset = Math.max(1, Math.ceil((window.start + windowMs - nowMs) / 1000));
		return {
			headers: {
				'x-ratelimit-limit': String(options.rateLimit),
				'x-ratelimit-remaining': String(Math.max(0, options.rateLimit - window.count)),
				'x-ratelimit-reset': String(reset),
			},
			limited: window.count > options.rateLimit,
			reset,
		};
	}

	function send(
		response: ServerResponse,
		result: RestResult,
		headers: Record<string, string>,
		checkSpec?: (status: number, body: unknown) => void,
	): void {
		checkSpec?.(result.status, result.body);
		const isText = typeof result.body === 'string';
		const body = isText ? result.body : JSON.stringify(result.body);
		response.writeHead(result.status, {
			'content-type': result.contentType ?? 'application/json; charset=utf-8',
			'content-length': Buffer.byteLength(body),
			...headers,
		});
		response.end(body);
	}

	function sendError(
		response: ServerResponse,
		error: RestError,
		headers: Record<string, string>,
		checkSpec?: (status: number, body: unknown) => void,
	): void {
		send(
			response,
			{ status: error.status, body: (error.rawBody ?? { errors: error.errors }) as never },
			{
				...headers,
				...error.headers,
			},
			// Telnyx answers a few cases with its own non-envelope body (an expired credential's PATCH); the spec
			// knows nothing of them, so they are exempt (README.md, "Spec checks").
			error.rawBody === undefined ? checkSpec : undefined,
		);
	}

	/** Handles one request whose path is already relative to the REST base (e.g. `/telephony_credentials`). */
	return async function handle(
		request: IncomingMessage,
		response: ServerResponse,
		path: string,
		query: URLSearchParams,
	): Promise<void> {
		const method = (request.method ?? 'GET').toUpperCase();
		const auth = request.headers.authorization;
		const apiKey = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : undefined;
		const account = apiKey === undefined ? undefined : store.accountByKey(apiKey);
		const entry: RestLogEntry = {
			time: now().toISOString(),
			method,
			path,
			query: query.toString(),
			status: 0,
			authenticated: account !== undefined,
			retryCount: (request.headers['x-stainless-retry-count'] as string | undefined) ?? null,
		};
		const fault = faults.takeRest(method, path);
		if (fault !== undefined) Object.assign(entry, { fault: fault.kind });
		log.push(entry);
		let requestBody: unknown;
		const onExchange = options.onExchange;
		const check =
			onExchange === undefined || (fault !== undefined && UNCHECKED_FAULTS.has(fault.kind))
				? undefined
				: (status: number, responseBody: unknown) =>
						onExchange({ method, path, status, requestBody, responseBody });

		let headers: Record<string, string> = {};
		try {
			const bodyText = await readBody(request);
			requestBody = parseForCheck(bodyText);
			if (account === undefined) throw unauthenticated();
			const rate = rateHeaders(account);
			headers = rate.headers;
			if (rate.limited) throw tooManyRequests(rate.reset, behaviour.retryAfter);

			if (fault !== undefined) {
				switch (fault.kind) {
					case 'hang':
						entry.status = -1;
						return; // never answer
					case 'delay':
						await sleep(fault.delayMs ?? 0);
						break;
					case 'status': {
						if (fault.status === 429) {
							// The same 429 as a real window running out: the window "resets" in `retryAfter` seconds.
							const reset = fault.retryAfter ?? 1;
							headers = {
								...headers,
								'x-ratelimit-remaining': '0',
								'x-ratelimit-reset': String(reset),
							};
							throw tooManyRequests(reset, behaviour.retryAfter);
						}
						throw statusError(fault.status ?? 500);
					}
					case 'html':
						entry.status = 502;
						response.writeHead(502, { 'content-type': 'text/html' });
						response.end(
							'<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>',
						);
						return;
					case 'truncated':
						entry.status = 200;
						response.writeHead(200, { 'content-type': 'application/json', ...headers });
						response.end('{"data":{"id":"12');
						return;
					case 'wrong-shape':
						entry.status = 200;
						send(response, { status: 200, body: { result: 'ok' } }, headers);
						return;
					case 'after-create':
						break;
				}
			}

			const route = ROUTES.find(([m, pattern]) => m === method && pattern.test(path));
			if (route === undefined) throw notFound();
			const params = (route[1].exec(path) ?? []).slice(1).map((p) => decodeURIComponent(p));
			const body = parseJsonBody(bodyText, method);
			const result = route[2](
				{ store, account, now, mintToken, nestedPatch: behaviour.nestedPatch },
				params,
				body,
				query,
			);
			if (fault?.kind === 'after-create') throw statusError(fault.status ?? 500);
			entry.status = result.status;
			send(response, result, headers, check);
		} catch (error) {
			const restError = error instanceof RestError ? error : statusError(500);
			entry.status = restError.status;
			sendError(response, restError, headers, check);
		}
	};
}
