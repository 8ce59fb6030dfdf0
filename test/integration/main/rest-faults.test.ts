/**
 * REST client robustness, cases A2–A6, A9 and A10: the real main services
 * against the sandbox's injected faults (and, for slow answers, a local server), over real HTTP.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProvisioningProgress } from '../../../preload/contract';
import { startSandbox } from '../../sandbox/sandbox';
import {
	CREATE_ROUTES,
	apiKeyAccount,
	countByRoute,
	keychainItems,
	route,
	sleep,
	type App,
} from './support';
import { testEnvPerTest } from './per-test-env';

const env = testEnvPerTest();

/** Backoff between read retries, made short where it is not what a test is about. */
const quickSleep = (ms: number) => sleep(ms / 50);
const DEADLINE_MS = 2000;
const TIMEOUT_MESSAGE = `Telnyx didn't answer within ${DEADLINE_MS / 1000} s. Check your internet connection and try again.`;

const steps = (progress: readonly ProvisioningProgress[]) =>
	progress.map((p) => `${p.step}:${p.status}`);

async function withKey(app: App): Promise<void> {
	const key = await app.handlers.credentials.setApiKey(env.sandbox.apiKey);
	expect(key.ok).toBe(true);
}

async function expectNothingProvisioned(app: App): Promise<void> {
	expect(app.services.settings.get().provisioned).toBeNull();
	expect((await app.settingsFile())?.provisioned ?? null).toBeNull();
}

async function timed<T>(work: () => T | Promise<T>): Promise<[T, number]> {
	const start = performance.now();
	const result = await work();
	return [result, performance.now() - start];
}

describe('A2 / A9: an answer that never comes', () => {
	it('a hanging key check fails within the deadline with the seconds, once, and stores nothing', async () => {
		const app = await env.app({ requestTimeoutMs: DEADLINE_MS });
		env.sandbox.admin.addRestFault({
			method: 'GET',
			path: '/credential_connections',
			kind: 'hang',
			times: 5,
		});
		const mark = env.mark();

		const [result, elapsed] = await timed(() =>
			app.handlers.credentials.setApiKey(env.sandbox.apiKey),
		);
		expect(result).toEqual({ ok: false, error: { code: 'TIMEOUT', message: TIMEOUT_MESSAGE } });
		expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
		expect(elapsed).toBeLessThan(2 * DEADLINE_MS);
		// No retry storm: a timeout is not repeated.
		expect(env.requests(mark).map(route)).toEqual(['GET /credential_connections']);
		expect(await keychainItems(app.keychainService)).toEqual(new Map());
	});

	it('a hanging create fails within the deadline, is sent once, and other calls still answer meanwhile', async () => {
		const app = await env.app({ requestTimeoutMs: DEADLINE_MS });
		await withKey(app);
		env.sandbox.admin.addRestFault({
			method: 'POST',
			path: '/credential_connections',
			kind: 'hang',
			times: 5,
		});
		const mark = env.mark();

		const start = performance.now();
		const run = app.handlers.provisioning.run({});
		await sleep(200);
		// The app stays usable while a request hangs.
		const [numbers, numbersElapsed] = await timed(() => app.handlers.account.listPhoneNumbers());
		expect(numbers.ok).toBe(true);
		expect(numbersElapsed).toBeLessThan(500);
		expect(await app.handlers.settings.get()).toMatchObject({ provisioned: null });

		expect(await run).toEqual({ ok: false, error: { code: 'TIMEOUT', message: TIMEOUT_MESSAGE } });
		const elapsed = performance.now() - start;
		expect(elapsed).toBeLessThan(2 * DEADLINE_MS);
		const log = countByRoute(env.requests(mark));
		expect(log['POST /credential_connections']).toBe(1);
		// Only the search after it (nothing to adopt): the run started from the key check's search.
		expect(log['GET /credential_connections']).toBe(1);
		expect(steps(app.eventsOf('provisioning:progress')).at(-1)).toBe('connection:failed');
		await expectNothingProvisioned(app);
		// The profile made before it stays, for the next run to find.
		const account = await env.resources();
		expect(account.connections).toEqual([]);
		expect(account.profiles).toHaveLength(1);
	});

	describe('slowloris: an answer that trickles in a byte at a time', () => {
		let servers: (HttpServer | NetServer)[] = [];
		afterEach(async () => {
			for (const server of servers) {
				if ('closeAllConnections' in server) server.closeAllConnections();
				await new Promise((resolve) => server.close(resolve));
			}
			servers = [];
		});

		const listen = async (server: HttpServer | NetServer) => {
			servers.push(server);
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`;
		};
		const body = JSON.stringify({
			data: [],
			meta: { page_number: 1, total_pages: 1, page_size: 1, total_results: 0 },
		});

		it.each([
			{
				title: 'headers at one byte per 100 ms: the deadline fires',
				server: () => {
					const head = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
					return createNetServer((socket) => {
						let i = 0;
						const timer = setInterval(() => {
							if (i >= head.length || socket.destroyed) return clearInterval(timer);
							socket.write(head[i++] ?? '');
						}, 100);
						socket.on('error', () => clearInterval(timer));
						socket.on('close', () => clearInterval(timer));
					});
				},
			},
			{
				title: 'the body at one byte per 100 ms after prompt headers: the deadline still fires',
				server: () =>
					createHttpServer((_request, response) => {
						response.writeHead(200, {
							'content-type': 'application/json',
							'content-length': Buffer.byteLength(body),
						});
						response.flushHeaders();
						let i = 0;
						const timer = setInterval(() => {
							if (i >= body.length) {
								clearInterval(timer);
								response.end();
								return;
							}
							response.write(body[i++] ?? '');
						}, 100);
						response.on('close', () => clearInterval(timer));
					}),
			},
		])('$title', async ({ server }) => {
			const app = await env.app({
				requestTimeoutMs: DEADLINE_MS,
				restBaseUrl: await listen(server()),
			});

			const [result, elapsed] = await timed(() =>
				app.handlers.credentials.setApiKey(env.sandbox.apiKey),
			);
			expect(result).toEqual({ ok: false, error: { code: 'TIMEOUT', message: TIMEOUT_MESSAGE } });
			expect(elapsed).toBeLessThan(2 * DEADLINE_MS);
			expect(await keychainItems(app.keychainService)).toEqual(new Map());
		});
	});
});

describe('A3: 429 with retry-after', () => {
	it('waits as long as Telnyx asks, says so, then creates exactly one resource', async () => {
		const app = await env.app();
		await withKey(app);
		env.sandbox.admin.addRestFault({
			method: 'POST',
			path: '/outbound_voice_profiles',
			kind: 'status',
			status: 429,
			retryAfter: 2,
			times: 1,
		});
		const mark = env.mark();

		const run = await app.handlers.provisioning.run({});
		expect(run.ok).toBe(true);
		const posts = env.requests(mark).filter((e) => route(e) === 'POST /outbound_voice_profiles');
		expect(posts.map((e) => e.status)).toEqual([429, 200]);
		const [limited, accepted] = posts.map((e) => Date.parse(e.time));
		expect(accepted! - limited!).toBeGreaterThanOrEqual(2000);
		expect((await env.resources()).profiles).toHaveLength(1);
		// The user is told why nothing seems to happen.
		expect(app.eventsOf('provisioning:progress')).toContainEqual({
			step: 'profile',
			status: 'waiting',
			detail: 'Telnyx is limiting requests; retrying in 2 s',
		});
		expect(app.logger.entries).toContainEqual({
			level: 'warn',
			event: 'telnyx.retrying',
			fields: { seconds: 2, reason: 'rate-limited' },
		});
	});
});

describe('A4: a key Telnyx rejects', () => {
	it('is not retried, not stored, and says what to do', async () => {
		const app = await env.app();
		const mark = env.mark();
		const result = await app.handlers.credentials.setApiKey(`KEY${'0'.repeat(40)}WRONG`);
		expect(result).toEqual({
			ok: false,
			error: {
				code: 'KEY_REJECTED',
				message:
					'Telnyx rejected the API key. Check that you copied the whole key from the Telnyx portal (Auth → API Keys) and that it has not been deleted, then enter it again.',
			},
		});
		expect(env.requests(mark).map((e) => [route(e), e.status, e.authenticated])).toEqual([
			['GET /credential_connections', 401, false],
		]);
		expect(await keychainItems(app.keychainService)).toEqual(new Map());
		expect(await app.handlers.credentials.getStatus()).toMatchObject({
			hasApiKey: false,
			keychain: 'ok',
		});
		expect(app.eventsOf('credentials:changed')).toEqual([]);
	});

	it('a later 401 or 403 (or a wrong key entered later) never deletes the stored key', async () => {
		const app = await env.app();
		await withKey(app);
		const account = apiKeyAccount(env.sandbox.restBaseUrl);

		// The run starts from the key check's search, so its first request is the profile search.
		env.sandbox.admin.addRestFault({
			method: 'GET',
			path: '/outbound_voice_profiles',
			kind: 'status',
			status: 401,
			times: 1,
		});
		let mark = env.mark();
		const rejected = await app.handlers.provisioning.run({});
		expect(rejected.ok || rejected.error.code).toBe('KEY_REJECTED');
		expect(env.requests(mark)).toHaveLength(1);

		env.sandbox.admin.addRestFault({
			method: 'GET',
			path: '/phone_numbers',
			kind: 'status',
			status: 403,
			times: 1,
		});
		mark = env.mark();
		const forbidden = await app.handlers.account.listPhoneNumbers();
		expect(forbidden.ok || forbidden.error.code).toBe('FORBIDDEN');
		expect(env.requests(mark)).toHaveLength(1);

		const wrong = await app.handlers.credentials.setApiKey(`KEY${'1'.repeat(40)}WRONG`);
		expect(wrong.ok || wrong.error.code).toBe('KEY_REJECTED');

		expect((await keychainItems(app.keychainService)).get(account)).toBe(env.sandbox.apiKey);
		expect(await app.handlers.credentials.getStatus()).toEqual({
			hasApiKey: true,
			keychain: 'ok',
			persisted: true,
			warning: null,
		});
		// And the stored key still works.
		expect((await app.handlers.provisioning.run({})).ok).toBe(true);
	});
});

describe('A5: 422 with source.pointer', () => {
	it('names the field and persists nothing', async () => {
		let deleted = false;
		const app = await env.app({
			// The connection is deleted elsewhere (the portal) right after it was created.
			fetch: async (input, init) => {
				const response = await fetch(input, init);
				const url = new URL(input instanceof Request ? input.url : String(input));
				if (
					!deleted &&
					init?.method === 'POST' &&
					url.pathname.endsWith('/credential_connections')
				) {
					deleted = true;
					const created = (await response.clone().json()) as { data: { id: string } };
					await env.telnyx.credentialConnections.delete(created.data.id);
				}
				return response;
			},
		});
		await withKey(app);
		const mark = env.mark();

		const run = await app.handlers.provisioning.run({});
		expect(run).toEqual({
			ok: false,
			error: {
				code: 'INVALID',
				field: 'connection_id',
				message: 'Telnyx refused the request (connection_id): The connection does not exist.',
			},
		});
		const creates = env.requests(mark).filter((e) => route(e) === 'POST /telephony_credentials');
		expect(creates.map((e) => e.status)).toEqual([422]);
		expect(steps(app.eventsOf('provisioning:progress')).at(-1)).toBe('credential:failed');
		await expectNothingProvisioned(app);
	});
});

describe('A6: answers that are not what Telnyx sends', () => {
	it('a 502 HTML page: a sentence without the page, bounded retries for the key check, nothing stored', async () => {
		const app = await env.app({ sleep: quickSleep });
		env.sandbox.admin.addRestFault({
			method: 'GET',
			path: '/credential_connections',
			kind: 'html',
			times: 3,
		});
		let mark = env.mark();
		const key = await app.handlers.credentials.setApiKey(env.sandbox.apiKey);
		expect(key).toEqual({
			ok: false,
			error: {
				code: 'SERVER_ERROR',
				message:
					'Telnyx had a problem (HTTP 502). Try again in a few minutes; if it persists, check status.telnyx.com.',
			},
		});
		expect(env.requests(mark).map((e) => e.status)).toEqual([502, 502, 502]);
		expect(await keychainItems(app.keychainService)).toEqual(new Map());

		await withKey(app);
		env.sandbox.admin.addRestFault({
			method: 'POST',
			path: '/credential_connections',
			kind: 'html',
			times: 1,
		});
		mark = env.mark();
		const run = await app.handlers.provisioning.run({});
		expect(run.ok || run.error).toMatchObject({ code: 'SERVER_ERROR' });
		expect(JSON.stringify(run)).not.toMatch(/html|Bad Gateway/i);
		// A create is never repeated blindly.
		expect(countByRoute(env.requests(mark))['POST /credential_connections']).toBe(1);
		await expectNothingProvisioned(app);
	});

	it.each([
		['truncated JSON', 'truncated'],
		['a 200 without data', 'wrong-shape'],
	] as const)('%s on a create: a clear error, no crash, nothing persisted', async (_name, kind) => {
		const app = await env.app({ sleep: quickSleep });
		await withKey(app);
		for (const create of CREATE_ROUTES) {
			const [method, path] = create.split(' ') as [string, string];
			env.sandbox.admin.addRestFault({ method, path, kind, times: 1 });
			const run = await app.handlers.provisioning.run({});
			expect(run).toEqual({
				ok: false,
				error: {
					code: 'UNEXPECTED',
					message:
						'Telnyx sent an answer the app does not understand. Try again in a moment; if it persists, check status.telnyx.com.',
				},
			});
			await expectNothingProvisioned(app);
		}
		// Each resource was created once, on the run after its fault, and adopted from then on.
		const finalRun = await app.handlers.provisioning.run({});
		expect(finalRun.ok).toBe(true);
		expect(await env.resourceCounts()).toEqual([1, 1, 1]);
	});

	it.each([
		['truncated JSON', 'truncated'],
		['a 200 without data', 'wrong-shape'],
		['a 200 HTML page', 'html-200'],
	] as const)(
		'%s as the answer to the key check: the key is not taken as accepted',
		async (_name, kind) => {
			const app = await env.app({ sleep: quickSleep });
			if (kind === 'html-200') {
				// A captive portal or proxy answering 200 with a page of its own.
				const portal = createHttpServer((_request, response) => {
					response.writeHead(200, { 'content-type': 'text/html' });
					response.end('<html><body>Sign in to the Wi-Fi</body></html>');
				});
				await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
				try {
					const behindPortal = await env.app({
						restBaseUrl: `http://127.0.0.1:${(portal.address() as AddressInfo).port}/v2`,
					});
					const key = await behindPortal.handlers.credentials.setApiKey(env.sandbox.apiKey);
					expect(key.ok || key.error.code).toBe('UNEXPECTED');
					expect(await keychainItems(behindPortal.keychainService)).toEqual(new Map());
				} finally {
					portal.closeAllConnections();
					await new Promise((resolve) => portal.close(resolve));
				}
				return;
			}
			env.sandbox.admin.addRestFault({
				method: 'GET',
				path: '/credential_connections',
				kind,
				times: 1,
			});
			const key = await app.handlers.credentials.setApiKey(env.sandbox.apiKey);
			expect(key.ok || key.error.code).toBe('UNEXPECTED');
			expect(await keychainItems(app.keychainService)).toEqual(new Map());
		},
	);

	it('a list answered without data is an error, never "nothing there": no duplicate connection', async () => {
		let armed = false;
		const app = await env.app({
			sleep: quickSleep,
			// When armed, the search for the app's connection (by name) gets a 200 without `data`.
			fetch: async (input, init) => {
				const url = new URL(input instanceof Request ? input.url : String(input));
				if (
					armed &&
					url.pathname.endsWith('/credential_connections') &&
					url.searchParams.has('filter[connection_name][contains]')
				) {
					armed = false;
					env.sandbox.admin.addRestFault({
						method: 'GET',
						path: '/credential_connections',
						kind: 'wrong-shape',
						times: 1,
					});
				}
				return fetch(input, init);
			},
		});
		await withKey(app);
		// A first run stops after the connection step, so the next run must find the connection by listing.
		env.sandbox.admin.addRestFault({
			method: 'POST',
			path: '/telephony_credentials',
			kind: 'status',
			status: 500,
			times: 1,
		});
		expect((await app.handlers.provisioning.run({})).ok).toBe(false);
		expect((await env.resources()).connections).toHaveLength(1);

		armed = true;
		const mark = env.mark();
		const run = await app.handlers.provisioning.run({});
		expect(env.requests(mark).filter((e) => e.fault === 'wrong-shape')).toHaveLength(1);
		expect(run).toEqual({
			ok: false,
			error: {
				code: 'UNEXPECTED',
				message:
					'Telnyx sent an answer the app does not understand. Try again in a moment; if it persists, check status.telnyx.com.',
			},
		});
		expect(countByRoute(env.requests(mark))['POST /credential_connections']).toBeUndefined();
		expect((await env.resources()).connections).toHaveLength(1);

		expect((await app.handlers.provisioning.run({})).ok).toBe(true);
		expect((await env.resources()).connections).toHaveLength(1);
	});
});

describe('A10: TELNYX_BASE_URL in the environment', () => {
	it('is ignored: the sandbox it names receives nothing, the configured one everything', async () => {
		const decoy = await startSandbox();
		const saved = { url: process.env['TELNYX_BASE_URL'], key: process.env['TELNYX_API_KEY'] };
		process.env['TELNYX_BASE_URL'] = decoy.restBaseUrl;
		process.env['TELNYX_API_KEY'] = decoy.apiKey;
		try {
			const app = await env.app();
			const mark = env.mark();
			await withKey(app);
			const run = await app.handlers.provisioning.run({});
			expect(run.ok).toBe(true);
			expect((await app.handlers.account.listInstallations()).ok).toBe(true);
			expect((await app.handlers.account.signOut({ forgetApiKey: false })).ok).toBe(true);
			// Key check, five for the run, the directory, the sign-out: every one to the configured sandbox.
			expect(env.requests(mark)).toHaveLength(8);
			expect(decoy.admin.requests()).toEqual([]);
		} finally {
			for (const [name, value] of [
				['TELNYX_BASE_URL', saved.url],
				['TELNYX_API_KEY', saved.key],
			] as const) {
				if (value === undefined) delete process.env[name];
				else process.env[name] = value;
			}
			await decoy.close();
		}
	});
});
