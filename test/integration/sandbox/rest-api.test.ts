/**
 * The sandbox's REST API driven by the official `telnyx` library over real HTTP: if the library works
 * unchanged against it, the app's provisioning code meets the same shapes it will meet at Telnyx.
 */
import Telnyx from 'telnyx';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';

let sandbox: Sandbox;
let client: Telnyx;

beforeAll(async () => {
	sandbox = await startSandbox();
	client = new Telnyx({
		apiKey: sandbox.apiKey,
		baseURL: sandbox.restBaseUrl,
		maxRetries: 0,
		timeout: 5000,
	});
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.admin.clearFaults());

const uniqueUser = () => `softphone${Math.random().toString(36).slice(2, 10)}`;

async function createConnection(overrides: Record<string, unknown> = {}) {
	const created = await client.credentialConnections.create({
		connection_name: `Softphone ${uniqueUser()}`,
		user_name: uniqueUser(),
		password: 'correct-horse-battery',
		...overrides,
	});
	return created.data!;
}

describe('credential connections', () => {
	it('creates with Telnyx defaults and the fields given, and retrieves the same object', async () => {
		const connection = await createConnection({
			sip_uri_calling_preference: 'internal',
			inbound: { codecs: ['OPUS', 'G722', 'VP8', 'H.264'] },
			tags: ['telnyx-softphone'],
		});
		expect(connection.id).toMatch(/^\d{19}$/);
		expect(connection.record_type).toBe('credential_connection');
		expect(connection.sip_uri_calling_preference).toBe('internal');
		expect(connection.inbound?.codecs).toEqual(['OPUS', 'G722', 'VP8', 'H.264']);
		expect(connection.inbound?.timeout_2xx_secs).toBe(90);
		expect(connection.outbound?.outbound_voice_profile_id).toBeNull();
		expect(connection.active).toBe(true);
		const fetched = await client.credentialConnections.retrieve(connection.id!);
		expect(fetched.data).toEqual(connection);
	});

	it('defaults SIP URI calling to disabled, as Telnyx does', async () => {
		const connection = await createConnection();
		expect(connection.sip_uri_calling_preference).toBe('disabled');
	});

	it('rejects a missing field, an invalid user name and a duplicate one with 422 and a pointer', async () => {
		await expect(
			client.credentialConnections.create({
				connection_name: 'x',
				user_name: uniqueUser(),
			} as never),
		).rejects.toMatchObject({
			status: 422,
			error: { errors: [{ code: '10004', source: { pointer: '/password' } }] },
		});
		await expect(createConnection({ user_name: '12345abc' })).rejects.toMatchObject({
			status: 422,
			error: { errors: [{ source: { pointer: '/user_name' } }] },
		});
		const first = await createConnection();
		await expect(createConnection({ user_name: first.user_name })).rejects.toMatchObject({
			status: 422,
			error: { errors: [{ detail: 'has already been taken', source: { pointer: '/user_name' } }] },
		});
		await expect(createConnection({ inbound: { codecs: ['VP9'] } })).rejects.toMatchObject({
			status: 422,
			error: { errors: [{ source: { pointer: '/inbound/codecs' } }] },
		});
	});

	it('replaces a nested object on PATCH by default: fields left out go back to their defaults', async () => {
		const connection = await createConnection({
			inbound: { codecs: ['OPUS'], timeout_1xx_secs: 7 },
			outbound: { localization: 'GB' },
		});
		const updated = await client.credentialConnections.update(connection.id!, {
			inbound: { timeout_2xx_secs: 5 },
		});
		expect(updated.data?.inbound?.timeout_2xx_secs).toBe(5);
		expect(updated.data?.inbound?.codecs).toEqual([
			'G722',
			'G711U',
			'G711A',
			'G729',
			'OPUS',
			'H.264',
		]);
		expect(updated.data?.inbound?.timeout_1xx_secs).toBe(3);
		// An object that was not sent is kept as it was.
		expect(updated.data?.outbound?.localization).toBe('GB');
	});

	it('merges a nested object on PATCH when asked to (setRest and PATCH /admin/rest), and deletes', async () => {
		const switched = await fetch(`${sandbox.adminUrl}/rest`, {
			method: 'PATCH',
			body: JSON.stringify({ nestedPatch: 'merge' }),
		});
		expect(await switched.json()).toEqual({ nestedPatch: 'merge', retryAfter: false });
		try {
			const connection = await createConnection({ inbound: { codecs: ['OPUS'] } });
			const updated = await client.credentialConnections.update(connection.id!, {
				inbound: { timeout_2xx_secs: 5 },
			});
			expect(updated.data?.inbound?.codecs).toEqual(['OPUS']);
			expect(updated.data?.inbound?.timeout_2xx_secs).toBe(5);
			const deleted = await client.credentialConnections.delete(connection.id!);
			expect(deleted.data?.id).toBe(connection.id);
			await expect(client.credentialConnections.retrieve(connection.id!)).rejects.toMatchObject({
				status: 404,
				error: { errors: [{ code: '10005' }] },
			});
		} finally {
			expect(sandbox.admin.setRest({ nestedPatch: 'replace' }).nestedPatch).toBe('replace');
		}
	});

	it('filters by name and paginates through every page with the library', async () => {
		const marker = uniqueUser();
		for (let i = 0; i < 5; i += 1) await createConnection({ connection_name: `${marker} ${i}` });
		const firstPage = await client.credentialConnections.list({
			filter: { connection_name: { contains: marker } },
			'page[size]': 2,
		});
		expect(firstPage.data).toHaveLength(2);
		expect(firstPage.meta).toEqual({
			page_number: 1,
			page_size: 2,
			total_pages: 3,
			total_results: 5,
		});
		const all: string[] = [];
		for await (const item of client.credentialConnections.list({
			filter: { connection_name: { contains: marker } },
			'page[size]': 2,
		})) {
			all.push(item.connection_name!);
		}
		expect(all.sort()).toEqual([0, 1, 2, 3, 4].map((i) => `${marker} ${i}`));
	});

	it('matches the name filter without regard to case and refuses one under three characters (as the spec says)', async () => {
		const marker = uniqueUser();
		await createConnection({ connection_name: `Office ${marker} Line` });
		await createConnection({ connection_name: `other ${marker}x` });
		const names = async (contains: string) =>
			(
				await client.credentialConnections.list({ filter: { connection_name: { contains } } })
			).data.map((c) => c.connection_name);
		expect(await names(`${marker.toUpperCase()} LINE`)).toEqual([`Office ${marker} Line`]);
		expect((await names(marker.toLowerCase())).sort()).toEqual(
			[`Office ${marker} Line`, `other ${marker}x`].sort(),
		);
		await expect(names('ab')).rejects.toMatchObject({
			status: 422,
			error: {
				errors: [{ code: '10015', source: { pointer: '/filter/connection_name/contains' } }],
			},
		});
	});
});

describe('outbound voice profiles', () => {
	it('creates (200, as Telnyx), attaches to a connection and counts it', async () => {
		const profile = (
			await client.outboundVoiceProfiles.create({
				name: 'Softphone calls',
				whitelisted_destinations: ['US', 'GB'],
			})
		).data!;
		expect(profile.record_type).toBe('outbound_voice_profile');
		expect(profile.whitelisted_destinations).toEqual(['US', 'GB']);
		const connection = await createConnection({
			outbound: { outbound_voice_profile_id: profile.id },
		});
		expect(connection.outbound?.outbound_voice_profile_id).toBe(profile.id);
		const fetched = (await client.outboundVoiceProfiles.retrieve(profile.id!)).data!;
		expect(fetched.connections_count).toBe(1);
		await expect(client.outboundVoiceProfiles.delete(profile.id!)).rejects.toMatchObject({
			status: 422,
		});
	});

	it('requires a name on PATCH and refuses an unknown profile on a connection', async () => {
		const profile = (await client.outboundVoiceProfiles.create({ name: 'Needs a name' })).data!;
		expect(profile.whitelisted_destinations).toEqual(['US', 'CA']);
		await expect(
			client.outboundVoiceProfiles.update(profile.id!, { enabled: false } as never),
		).rejects.toMatchObject({
			status: 422,
		});
		await expect(
			createConnection({ outbound: { outbound_voice_profile_id: '1234567890123456789' } }),
		).rejects.toMatchObject({
			status: 422,
			error: { errors: [{ code: '10017' }] },
		});
	});
});

describe('telephony credentials and tokens', () => {
	it('creates a credential, finds it by tag, and mints an HS512 JWT with Telnyx claims (201, text/plain)', async () => {
		const connection = await createConnection();
		const tag = `install-${uniqueUser()}`;
		const credential = (
			await client.telephonyCredentials.create({
				connection_id: connection.id!,
				name: 'Laptop',
				tag,
			})
		).data!;
		expect(credential.record_type).toBe('credential');
		expect(credential.sip_username).toMatch(/^gencred[A-Za-z0-9]{22}$/);
		expect(credential.resource_id).toBe(`connection:${connection.id}`);
		expect(credential.expired).toBe(false);

		const byTag = await client.telephonyCredentials.list({ filter: { tag } });
		expect(byTag.data.map((c) => c.id)).toEqual([credential.id]);

		const response = await client.telephonyCredentials.createToken(credential.id!).asResponse();
		expect(response.status).toBe(201);
		expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
		const token = await client.telephonyCredentials.createToken(credential.id!);
		const [header, payload] = token
			.split('.')
			.slice(0, 2)
			.map(
				(part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>,
			);
		expect(header).toEqual({ alg: 'HS512', typ: 'JWT' });
		expect(payload).toMatchObject({
			aud: 'telnyx_telephony',
			iss: 'telnyx_telephony',
			sub: credential.id,
			typ: 'access',
		});
		const lifetime = Number(payload!['exp']) - Number(payload!['iat']);
		expect(lifetime).toBe(24 * 60 * 60);
	});

	it('never mints a token outliving its credential, and honours a short lifetime set by a test', async () => {
		const connection = await createConnection();
		const expiresAt = new Date(Date.now() + 3600_000).toISOString();
		const credential = (
			await client.telephonyCredentials.create({
				connection_id: connection.id!,
				expires_at: expiresAt,
			})
		).data!;
		const claims = (token: string) =>
			JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
				exp: number;
				iat: number;
			};
		const capped = claims(await client.telephonyCredentials.createToken(credential.id!));
		expect(capped.exp).toBe(Math.floor(Date.parse(expiresAt) / 1000));
		sandbox.admin.setTokenLifetime(30);
		const short = claims(await client.telephonyCredentials.createToken(credential.id!));
		expect(short.exp - short.iat).toBe(30);
		sandbox.admin.setTokenLifetime(null);
	});

	it("answers 404 for a token of an unknown credential and hides other accounts' resources", async () => {
		await expect(
			client.telephonyCredentials.createToken('5b4ec4a7-0000-4000-8000-000000000000'),
		).rejects.toMatchObject({ status: 404 });
		const connection = await createConnection();
		const other = new Telnyx({
			apiKey: sandbox.admin.createAccount().apiKey,
			baseURL: sandbox.restBaseUrl,
			maxRetries: 0,
		});
		await expect(other.credentialConnections.retrieve(connection.id!)).rejects.toMatchObject({
			status: 404,
		});
		expect((await other.credentialConnections.list()).data).toEqual([]);
	});
});

describe('phone numbers', () => {
	it('lists the numbers seeded on the account', async () => {
		const numbers = await client.phoneNumbers.list();
		expect(numbers.data.map((n) => n.phone_number)).toEqual(
			expect.arrayContaining(['+13125550142', '+442079460123']),
		);
		expect(numbers.data[0]).toMatchObject({ record_type: 'phone_number', status: 'active' });
		const filtered = await client.phoneNumbers.list({ filter: { country_iso_alpha2: 'GB' } });
		expect(filtered.data.map((n) => n.phone_number)).toEqual(['+442079460123']);
	});
});

describe('authentication, rate limits and faults', () => {
	it('answers a wrong key with 401 and code 10009, and never runs the request', async () => {
		const wrong = new Telnyx({ apiKey: 'KEYWRONG', baseURL: sandbox.restBaseUrl, maxRetries: 0 });
		const count = async () => (await client.credentialConnections.list()).data.length;
		const before = await count();
		await expect(
			wrong.credentialConnections.create({
				connection_name: 'x',
				user_name: uniqueUser(),
				password: 'password123',
			}),
		).rejects.toMatchObject({
			status: 401,
			error: { errors: [{ code: '10009', title: 'Authentication failed' }] },
		});
		expect(await count()).toBe(before);
	});

	/** A phone-number list answered once with the sandbox's 429 fault (retry-after 2 s). */
	async function rateLimitedOnce(): Promise<Response> {
		sandbox.admin.addRestFault({
			method: 'GET',
			path: '/phone_numbers',
			kind: 'status',
			status: 429,
			retryAfter: 2,
			times: 1,
		});
		return fetch(`${sandbox.restBaseUrl}/phone_numbers`, {
			headers: { authorization: `Bearer ${sandbox.apiKey}` },
		});
	}

	it('sends x-ratelimit headers, and a 429 fault with code 10011, x-ratelimit-reset and no retry-after', async () => {
		const response = await client.phoneNumbers.list().asResponse();
		expect(response.headers.get('x-ratelimit-limit')).toBe('600');
		expect(Number(response.headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0);
		expect(Number(response.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
		const limited = await rateLimitedOnce();
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBeNull();
		expect(limited.headers.get('x-ratelimit-reset')).toBe('2');
		expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
		expect(await limited.json()).toMatchObject({ errors: [{ code: '10011' }] });
	});

	it('adds retry-after to a 429 only with the retryAfter option', async () => {
		sandbox.admin.setRest({ retryAfter: true });
		try {
			const limited = await rateLimitedOnce();
			expect(limited.status).toBe(429);
			expect(limited.headers.get('retry-after')).toBe('2');
			expect(limited.headers.get('x-ratelimit-reset')).toBe('2');
		} finally {
			sandbox.admin.setRest({ retryAfter: false });
		}
	});

	it('answers a real rate-window overrun with x-ratelimit-* (reset in seconds) and no retry-after', async () => {
		const limitedSandbox = await startSandbox({ rateLimit: 2 });
		try {
			const get = () =>
				fetch(`${limitedSandbox.restBaseUrl}/phone_numbers`, {
					headers: { authorization: `Bearer ${limitedSandbox.apiKey}` },
				});
			expect((await get()).status).toBe(200);
			expect((await get()).status).toBe(200);
			const limited = await get();
			expect(limited.status).toBe(429);
			expect(limited.headers.get('retry-after')).toBeNull();
			expect(limited.headers.get('x-ratelimit-limit')).toBe('2');
			expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
			const reset = Number(limited.headers.get('x-ratelimit-reset'));
			expect(reset).toBeGreaterThan(0);
			expect(reset).toBeLessThanOrEqual(60);
			expect(await limited.json()).toMatchObject({ errors: [{ code: '10011' }] });
		} finally {
			await limitedSandbox.close();
		}
	});

	it('makes a create succeed and then answer 500, leaving the resource behind', async () => {
		sandbox.admin.addRestFault({
			method: 'POST',
			path: '/credential_connections',
			kind: 'after-create',
			status: 500,
			times: 1,
		});
		const name = `after-create ${uniqueUser()}`;
		await expect(createConnection({ connection_name: name })).rejects.toMatchObject({
			status: 500,
		});
		const found = await client.credentialConnections.list({
			filter: { connection_name: { contains: name } },
		});
		expect(found.data).toHaveLength(1);
	});

	it('fails an endpoint N times, then serves it, and logs every request without the key', async () => {
		sandbox.admin.addRestFault({
			method: 'GET',
			path: '/credential_connections/*',
			kind: 'status',
			status: 503,
			times: 2,
		});
		const connection = await createConnection();
		await expect(client.credentialConnections.retrieve(connection.id!)).rejects.toMatchObject({
			status: 503,
		});
		await expect(client.credentialConnections.retrieve(connection.id!)).rejects.toMatchObject({
			status: 503,
		});
		await expect(client.credentialConnections.retrieve(connection.id!)).resolves.toMatchObject({
			data: { id: connection.id },
		});
		const log = sandbox.admin
			.requests()
			.filter((r) => r.path === `/credential_connections/${connection.id}`);
		expect(log.map((r) => r.status)).toEqual([503, 503, 200]);
		expect(JSON.stringify(sandbox.admin.requests())).not.toContain(sandbox.apiKey);
	});

	it('can delay, hang, send HTML, truncate or reshape an answer', async () => {
		const timed = new Telnyx({
			apiKey: sandbox.apiKey,
			baseURL: sandbox.restBaseUrl,
			maxRetries: 0,
			timeout: 300,
		});
		sandbox.admin.addRestFault({ method: 'GET', path: '/phone_numbers', kind: 'hang', times: 1 });
		await expect(timed.phoneNumbers.list()).rejects.toThrow(/timed out/i);
		sandbox.admin.addRestFault({
			method: 'GET',
			path: '/phone_numbers',
			kind: 'delay',
			delayMs: 150,
			times: 1,
		});
		const started = Date.now();
		await timed.phoneNumbers.list();
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		sandbox.admin.addRestFault({ method: 'GET', path: '/phone_numbers', kind: 'html', times: 1 });
		await expect(client.phoneNumbers.list()).rejects.toMatchObject({ status: 502 });
		sandbox.admin.addRestFault({
			method: 'GET',
			path: '/phone_numbers',
			kind: 'truncated',
			times: 1,
		});
		await expect(client.phoneNumbers.list()).rejects.toThrow();
		sandbox.admin.addRestFault({
			method: 'GET',
			path: '/phone_numbers',
			kind: 'wrong-shape',
			times: 1,
		});
		const reshaped = await fetch(`${sandbox.restBaseUrl}/phone_numbers`, {
			headers: { authorization: `Bearer ${sandbox.apiKey}` },
		});
		expect(await reshaped.json()).toEqual({ result: 'ok' });
	});
});

describe('the admin API over HTTP', () => {
	it('creates accounts and sets faults', async () => {
		const created = await fetch(`${sandbox.adminUrl}/accounts`, { method: 'POST' });
		expect(created.status).toBe(201);
		const { api_key } = (await created.json()) as { api_key: string };
		const other = new Telnyx({ apiKey: api_key, baseURL: sandbox.restBaseUrl, maxRetries: 0 });
		expect((await other.phoneNumbers.list()).data).toEqual([]);
		await fetch(`${sandbox.adminUrl}/faults/rest`, {
			method: 'POST',
			body: JSON.stringify({
				method: 'GET',
				path: '/phone_numbers',
				kind: 'status',
				status: 500,
				times: 1,
			}),
		});
		await expect(other.phoneNumbers.list()).rejects.toMatchObject({ status: 500 });
	});
});

describe('OpenAPI spec checks', () => {
	it('counts every exchange it checked, over /admin/spec too, and finds none wrong so far', async () => {
		await client.phoneNumbers.list();
		const report = sandbox.admin.specReport();
		expect(report.checked).toBeGreaterThan(0);
		expect(report.mismatches).toEqual([]);
		const overHttp = (await (await fetch(`${sandbox.adminUrl}/spec`)).json()) as {
			checked: number;
		};
		expect(overHttp.checked).toBe(report.checked);
	});

	it('fails close() with the mismatch when an answer disagrees with the spec', async () => {
		// A mismatch on purpose: kept out of the run's tally, which fails the run on any mismatch.
		const other = await startSandbox({ specTally: null });
		// A 'status' fault with a 2xx status answers 200 with an error envelope: not a phone-number list.
		other.admin.addRestFault({
			method: 'GET',
			path: '/phone_numbers',
			kind: 'status',
			status: 200,
			times: 1,
		});
		const listed = await fetch(`${other.restBaseUrl}/phone_numbers`, {
			headers: { authorization: `Bearer ${other.apiKey}` },
		});
		expect(listed.status).toBe(200);
		expect(other.admin.specReport().mismatches).toMatchObject([
			{ operation: 'ListPhoneNumbers', part: 'response', status: 200 },
		]);
		await expect(other.close()).rejects.toThrow(
			/ListPhoneNumbers.*must have required property 'data'/s,
		);
	});

	it('does not hold deliberately broken fault answers against the spec', async () => {
		const before = sandbox.admin.specReport().checked;
		sandbox.admin.addRestFault({
			method: 'GET',
			path: '/phone_numbers',
			kind: 'wrong-shape',
			times: 1,
		});
		await fetch(`${sandbox.restBaseUrl}/phone_numbers`, {
			headers: { authorization: `Bearer ${sandbox.apiKey}` },
		});
		expect(sandbox.admin.specReport()).toEqual({ checked: before, mismatches: [] });
	});
});
