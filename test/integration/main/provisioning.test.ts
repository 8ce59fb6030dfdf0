/**
 * Provisioning through the real handlers, from an empty keychain and user-data folder to a login JWT the
 * sandbox's signalling server accepts; re-runs, restarts, and creates that fail after the work was done
 * (A1) or before the run finished (A7). REST requests are counted from the sandbox's log.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProvisioningProgress } from '../../../preload/contract';
import {
	CREATE_ROUTES,
	TestEnv,
	countByRoute,
	jwtClaims,
	keychainItems,
	apiKeyAccount,
	loginOncePropagated,
	route,
	sleep,
	tokenAccount,
	type App,
} from './support';

let env: TestEnv;
beforeEach(async () => {
	env = await TestEnv.start();
});
afterEach(() => env.close());

const steps = (progress: readonly ProvisioningProgress[]) =>
	progress.map((p) => `${p.step}:${p.status}`);

async function provisioned(app: App) {
	const key = await app.handlers.credentials.setApiKey(env.sandbox.apiKey);
	expect(key.ok).toBe(true);
	const run = await app.handlers.provisioning.run({});
	if (!run.ok) throw new Error(`provisioning failed: ${run.error.message}`);
	return run.value;
}

describe('first run', () => {
	it('goes from an empty state to a JWT the sandbox accepts, in exactly 11 REST requests', async () => {
		const app = await env.app({ deviceName: 'Ada’s Laptop' });
		expect(await keychainItems(app.keychainService)).toEqual(new Map());
		const mark = env.mark();

		const key = await app.handlers.credentials.setApiKey(`  ${env.sandbox.apiKey}\n`);
		expect(key).toEqual({
			ok: true,
			value: { hasApiKey: true, keychain: 'ok', persisted: true, warning: null },
		});
		const run = await app.handlers.provisioning.run({});
		if (!run.ok) throw new Error(run.error.message);
		const token = await app.handlers.telnyx.getLoginToken();
		if (!token.ok) throw new Error(token.error.message);

		// The REST requests of the whole first run, exactly.
		const log = env.requests(mark);
		expect(countByRoute(log)).toEqual({
			'GET /credential_connections': 3, // key check, the run's key check, find the app's connection
			'POST /credential_connections': 1,
			'GET /outbound_voice_profiles': 1,
			'GET /phone_numbers': 1, // default destination countries
			'POST /outbound_voice_profiles': 1,
			'PATCH /credential_connections/{id}': 1, // attach the profile
			'GET /telephony_credentials': 1,
			'POST /telephony_credentials': 1,
			'POST /telephony_credentials/{id}/token': 1,
		});
		expect(log).toHaveLength(11);
		expect(log.every((e) => e.authenticated && e.status >= 200 && e.status < 300)).toBe(true);
		expect(log.every((e) => e.retryCount === '0')).toBe(true);

		// The account now holds exactly what the quick start's four portal steps make.
		const account = await env.resources();
		expect(account.connections).toHaveLength(1);
		expect(account.profiles).toHaveLength(1);
		expect(account.credentials).toHaveLength(1);
		const [connection] = account.connections;
		const [profile] = account.profiles;
		const [credential] = account.credentials;
		expect(connection).toMatchObject({
			id: run.value.connectionId,
			connection_name: 'Telnyx Softphone',
			tags: ['telnyx-softphone'],
			sip_uri_calling_preference: 'internal',
			outbound: { outbound_voice_profile_id: run.value.profileId },
		});
		expect(connection?.inbound?.codecs).toEqual(expect.arrayContaining(['VP8', 'H.264']));
		expect(profile).toMatchObject({
			id: run.value.profileId,
			name: 'Telnyx Softphone',
			tags: ['telnyx-softphone'],
			enabled: true,
		});
		// The countries of the account's numbers (+1 312, +1 415, +44 20): no caller ID is set yet.
		expect([...(profile?.whitelisted_destinations ?? [])].sort()).toEqual(['GB', 'US']);
		const installId = app.services.settings.get().installId;
		expect(credential).toMatchObject({
			id: run.value.credentialId,
			// Named after the device (characters outside letters, digits, space and ._- dropped).
			name: `Adas Laptop (${installId.slice(0, 8)})`,
			resource_id: `connection:${run.value.connectionId}`,
			sip_username: run.value.sipUsername,
			expired: false,
		});
		expect(account.taggedCredentialIds).toEqual([run.value.credentialId]);
		expect(run.value.deviceName).toBe('Adas Laptop');

		// What was provisioned is in the settings file (ids only); the key and token are in the keychain only.
		expect((await app.settingsFile())?.provisioned).toEqual(run.value);
		const items = await keychainItems(app.keychainService);
		expect([...items.keys()].sort()).toEqual(
			[apiKeyAccount(env.sandbox.restBaseUrl), tokenAccount(env.sandbox.restBaseUrl)].sort(),
		);
		expect(items.get(apiKeyAccount(env.sandbox.restBaseUrl))).toBe(env.sandbox.apiKey);

		// The JWT is the sandbox's: its signalling server verifies the signature and the credential.
		const claims = jwtClaims(token.value.token);
		expect(claims.sub).toBe(run.value.credentialId);
		expect(token.value.expiresAt).toBe(new Date(claims.exp * 1000).toISOString());
		expect(claims.exp * 1000 - Date.now()).toBeGreaterThan(23 * 60 * 60 * 1000);
		const login = await loginOncePropagated(env.sandbox.signallingUrl, token.value.token);
		expect(login.result?.message).toBe('logged in');
		expect(env.sandbox.admin.sessions().map((s) => s.sipUsername)).toContain(run.value.sipUsername);

		// Progress: one running and one done per step, in order, each with a sentence.
		const progress = app.eventsOf('provisioning:progress');
		expect(steps(progress)).toEqual([
			'verify:running',
			'verify:done',
			'connection:running',
			'connection:done',
			'profile:running',
			'profile:done',
			'credential:running',
			'credential:done',
			'token:running',
			'token:done',
		]);
		expect(progress.find((p) => p.step === 'connection' && p.status === 'done')?.detail).toBe(
			'Created the connection “Telnyx Softphone”',
		);
		expect(app.eventsOf('credentials:changed')).toEqual([
			{ hasApiKey: true, keychain: 'ok', persisted: true, warning: null },
		]);
	});
});

describe('re-runs and restarts', () => {
	it('a second run creates nothing; a restart with a valid token makes no REST request at all', async () => {
		const app = await env.app();
		const first = await provisioned(app);
		const token = await app.handlers.telnyx.getLoginToken();
		if (!token.ok) throw new Error(token.error.message);

		let mark = env.mark();
		const again = await app.handlers.provisioning.run({});
		expect(again).toEqual({ ok: true, value: first });
		expect(env.requests(mark).map(route)).toEqual([
			'GET /credential_connections', // the key check
			'GET /credential_connections/{id}',
			'GET /outbound_voice_profiles/{id}',
			'GET /telephony_credentials/{id}',
		]);
		const details = app
			.eventsOf('provisioning:progress')
			.slice(-10)
			.filter((p) => p.status === 'done')
			.map((p) => p.detail);
		expect(details.slice(1, 4)).toEqual([
			'Using the connection “Telnyx Softphone”',
			expect.stringMatching(
				/^Using the outbound voice profile “Telnyx Softphone” \((US, GB|GB, US)\)$/,
			),
			`Using the credential “${app.deviceName} (${app.services.settings.get().installId.slice(0, 8)})”`,
		]);

		// A restart: new services on the same folder and keychain service.
		mark = env.mark();
		const restarted = await env.restart(app);
		expect(restarted.services.settings.get().provisioned).toEqual(first);
		expect(await restarted.handlers.credentials.getStatus()).toMatchObject({ hasApiKey: true });
		expect(await restarted.handlers.telnyx.getLoginToken()).toEqual(token);
		expect(await restarted.handlers.telnyx.getLoginToken()).toEqual(token);
		expect(env.requests(mark)).toEqual([]);

		const account = await env.resources();
		expect([
			account.connections.length,
			account.profiles.length,
			account.credentials.length,
		]).toEqual([1, 1, 1]);
	});
});

describe('A1: a create that succeeds on the server and then answers 500', () => {
	const cases = [
		{ step: 'connection', create: 'POST /credential_connections', list: '/credential_connections' },
		{ step: 'profile', create: 'POST /outbound_voice_profiles', list: '/outbound_voice_profiles' },
		{ step: 'credential', create: 'POST /telephony_credentials', list: '/telephony_credentials' },
	] as const;

	async function expectExactlyOneOfEach(app: App): Promise<void> {
		const account = await env.resources();
		expect(account.connections.map((c) => c.id)).toEqual([
			app.services.settings.get().provisioned?.connectionId,
		]);
		expect(account.profiles.map((p) => p.id)).toEqual([
			app.services.settings.get().provisioned?.profileId,
		]);
		expect(account.credentials.map((c) => c.id)).toEqual([
			app.services.settings.get().provisioned?.credentialId,
		]);
		expect(account.connections[0]?.outbound?.outbound_voice_profile_id).toBe(
			account.profiles[0]?.id,
		);
	}

	it.each(cases)(
		'$step: the same run finds what the failed create made and adopts it',
		async ({ step, create }) => {
			const app = await env.app();
			await app.handlers.credentials.setApiKey(env.sandbox.apiKey);
			const [method, path] = create.split(' ') as [string, string];
			env.sandbox.admin.addRestFault({ method, path, kind: 'after-create', times: 1 });
			const mark = env.mark();

			const run = await app.handlers.provisioning.run({});
			expect(run.ok).toBe(true);
			const log = env.requests(mark);
			expect(log.find((e) => route(e) === create)).toMatchObject({
				fault: 'after-create',
				status: 500,
			});
			// Every create was sent exactly once: the failed one was reconciled, not repeated.
			expect(CREATE_ROUTES.map((r) => log.filter((e) => route(e) === r).length)).toEqual([1, 1, 1]);
			const done = app
				.eventsOf('provisioning:progress')
				.find((p) => p.step === step && p.status === 'done');
			expect(done?.detail).toMatch(/the (connection|outbound voice profile|credential) “.+”/);
			await expectExactlyOneOfEach(app);
		},
	);

	it.each(cases)(
		'$step: when the reconciling list fails too, the run says so and a re-run adopts the orphan',
		async ({ step, create, list }) => {
			const [method, path] = create.split(' ') as [string, string];
			let armed = true;
			const app = await env.app({
				// Backoff between read retries is not what this test is about.
				sleep: (ms) => sleep(ms / 50),
				// Right after the create answers, the list that would find it starts failing (3 tries).
				fetch: async (input, init) => {
					const response = await fetch(input, init);
					const url = new URL(input instanceof Request ? input.url : String(input));
					if (armed && init?.method === method && url.pathname.endsWith(path)) {
						armed = false;
						env.sandbox.admin.addRestFault({
							method: 'GET',
							path: list,
							kind: 'status',
							status: 500,
							times: 3,
						});
					}
					return response;
				},
			});
			await app.handlers.credentials.setApiKey(env.sandbox.apiKey);
			env.sandbox.admin.addRestFault({ method, path, kind: 'after-create', times: 1 });

			const failed = await app.handlers.provisioning.run({});
			expect(failed).toEqual({
				ok: false,
				error: {
					code: 'SERVER_ERROR',
					message:
						'Telnyx had a problem (HTTP 500). Try again in a few minutes; if it persists, check status.telnyx.com.',
				},
			});
			expect(steps(app.eventsOf('provisioning:progress')).at(-1)).toBe(`${step}:failed`);
			expect(app.services.settings.get().provisioned).toBeNull();

			const again = await app.handlers.provisioning.run({});
			expect(again.ok).toBe(true);
			const log = env.requests();
			expect(CREATE_ROUTES.map((r) => log.filter((e) => route(e) === r).length)).toEqual([1, 1, 1]);
			await expectExactlyOneOfEach(app);
			const token = await app.handlers.telnyx.getLoginToken();
			expect(token.ok && jwtClaims(token.value.token).sub).toBe(
				app.services.settings.get().provisioned?.credentialId,
			);
		},
	);
});

describe('A7: a run interrupted after the connection step', () => {
	it('resumes on a restart without a second connection', async () => {
		const app = await env.app();
		await app.handlers.credentials.setApiKey(env.sandbox.apiKey);
		env.sandbox.admin.addRestFault({
			method: 'POST',
			path: '/outbound_voice_profiles',
			kind: 'status',
			status: 500,
			times: 1,
		});
		const failed = await app.handlers.provisioning.run({});
		expect(failed.ok).toBe(false);
		expect(failed.ok || failed.error.code).toBe('SERVER_ERROR');
		expect(steps(app.eventsOf('provisioning:progress'))).toEqual([
			'verify:running',
			'verify:done',
			'connection:running',
			'connection:done',
			'profile:running',
			'profile:failed',
		]);
		const [connection] = (await env.resources()).connections;
		expect(connection).toBeDefined();

		// The process ends here; a new one starts on the same folder and keychain.
		const restarted = await env.restart(app);
		const mark = env.mark();
		const run = await restarted.handlers.provisioning.run({});
		if (!run.ok) throw new Error(run.error.message);
		expect(run.value.connectionId).toBe(connection?.id);
		expect(env.requests(mark).map(route)).not.toContain('POST /credential_connections');
		expect(restarted.eventsOf('provisioning:progress')[3]).toEqual({
			step: 'connection',
			status: 'done',
			detail: 'Found the connection “Telnyx Softphone”',
		});
		const account = await env.resources();
		expect([
			account.connections.length,
			account.profiles.length,
			account.credentials.length,
		]).toEqual([1, 1, 1]);
		expect(env.requests().filter((e) => route(e) === 'POST /credential_connections')).toHaveLength(
			1,
		);
	});
});
