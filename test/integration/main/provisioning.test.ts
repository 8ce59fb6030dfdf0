/**
 * Provisioning through the real handlers, from an empty keychain and user-data folder to a login JWT the
 * sandbox's signalling server accepts; re-runs, restarts, and creates that fail after the work was done
 * (A1) or before the run finished (A7). REST requests are counted from the sandbox's log.
 */
import { describe, expect, it } from 'vitest';
import type { ProvisionOptions, ProvisioningProgress } from '../../../preload/contract';
import {
	CREATE_ROUTES,
	withQuery,
	countByRoute,
	jwtClaims,
	keychainItems,
	apiKeyAccount,
	loginOncePropagated,
	route,
	sleep,
	tokenAccount,
	uid,
	waitFor,
	type App,
} from './support';
import { testEnvPerTest } from './per-test-env';

const env = testEnvPerTest();

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
	it('goes from an empty state to a JWT the sandbox accepts, in exactly 6 REST requests', async () => {
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

		// The REST requests of the whole first run, exactly, in order, with their filters.
		const log = env.requests(mark);
		expect(log.map(withQuery)).toEqual([
			// The key check, and the run's search for the app's connection (it starts from this answer).
			'GET /credential_connections?filter[connection_name][contains]=Telnyx Softphone&page[number]=1&page[size]=250',
			// No connection, so the profile comes first (an earlier run may have left one): search, create.
			'GET /outbound_voice_profiles?filter[name][contains]=Telnyx Softphone&page[number]=1&page[size]=250',
			'POST /outbound_voice_profiles',
			// The connection is created with the profile attached: no PATCH follows.
			'POST /credential_connections',
			// A connection made by this run has no credential to find.
			'POST /telephony_credentials',
			'POST /telephony_credentials/{id}/token',
		]);
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
		// No caller ID is set yet and the run lists no numbers: the fallback, until the numbers are listed.
		expect(profile?.whitelisted_destinations).toEqual(['US']);
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
			'profile:running',
			'profile:done',
			'connection:running',
			'connection:done',
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

		// The caller-ID step lists the account's numbers (+1 312, +1 415, +44 20); the new profile then takes
		// their countries, with one PATCH and no list of its own.
		const listed = env.mark();
		const numbers = await app.handlers.account.listPhoneNumbers();
		expect(numbers.ok).toBe(true);
		await waitFor(
			() =>
				env
					.requests(listed)
					.find((e) => route(e) === 'PATCH /outbound_voice_profiles/{id}' && e.status === 200),
			5000,
			'the profile to take the numbers’ countries',
		);
		expect(env.requests(listed).map(route)).toEqual([
			'GET /phone_numbers',
			'PATCH /outbound_voice_profiles/{id}',
		]);
		const [widened] = (await env.resources()).profiles;
		expect([...(widened?.whitelisted_destinations ?? [])].sort()).toEqual(['GB', 'US']);
		// Once: the next listing changes nothing.
		const again = env.mark();
		await app.handlers.account.listPhoneNumbers();
		await sleep(200);
		expect(env.requests(again).map(route)).toEqual(['GET /phone_numbers']);
	});
});

describe('the numbers’ countries and a re-run with the user’s countries', () => {
	it('a listing while a re-run with chosen countries waits leaves the chosen countries alone', async () => {
		const app = await provisionedApp();
		// The re-run's first read (the connection the settings name) is slow, so the listing below answers
		// while the re-run is still going: the countries change it would queue comes after the re-run.
		env.sandbox.admin.addRestFault({
			method: 'GET',
			path: '/credential_connections/*',
			kind: 'delay',
			delayMs: 400,
			times: 1,
		});
		const mark = env.mark();
		const rerun = app.handlers.provisioning.run({ allowedCountries: ['FR'] });
		expect((await app.handlers.account.listPhoneNumbers()).ok).toBe(true);
		expect((await rerun).ok).toBe(true);
		// Queued after anything the listing queued, so once it is done so is that.
		expect((await app.handlers.account.cleanup([])).ok).toBe(true);

		const log = env.requests(mark).map(route);
		// The numbers were listed before the re-run gave the profile the user's countries.
		expect(log.indexOf('GET /phone_numbers')).toBeLessThan(
			log.indexOf('PATCH /outbound_voice_profiles/{id}'),
		);
		// One PATCH: the re-run's. The numbers' countries (US, GB) never replace the user's choice.
		expect(log.filter((r) => r === 'PATCH /outbound_voice_profiles/{id}')).toHaveLength(1);
		const [profile] = (await env.resources()).profiles;
		expect(profile?.whitelisted_destinations).toEqual(['FR']);
	});

	async function provisionedApp(): Promise<App> {
		const app = await env.app();
		await provisioned(app);
		return app;
	}
});

describe('two installations setting up a fresh account at the same moment', () => {
	/**
	 * Runs provisioning while another installation does: both create a profile; the other's connection is
	 * created first, and this run's connection create then fails (500, nothing made), so the run adopts the
	 * other's connection, which names the other's profile. `afterRace` marks the log after the other's creates.
	 */
	async function racedRun(options: ProvisionOptions) {
		let other: { connectionId: string; profileId: string } | undefined;
		let afterRace = 0;
		const app = await env.app({
			fetch: async (input, init) => {
				const url = new URL(input instanceof Request ? input.url : String(input));
				if (
					other === undefined &&
					init?.method === 'POST' &&
					url.pathname.endsWith('/credential_connections')
				) {
					const profile = await env.telnyx.outboundVoiceProfiles.create({
						name: 'Telnyx Softphone',
						tags: ['telnyx-softphone'],
						whitelisted_destinations: ['US'],
					});
					const connection = await env.telnyx.credentialConnections.create({
						connection_name: 'Telnyx Softphone',
						user_name: `other${uid()}`,
						password: `password-${uid()}`,
						sip_uri_calling_preference: 'internal',
						inbound: { codecs: ['OPUS', 'G711U', 'VP8', 'H.264'] },
						outbound: { outbound_voice_profile_id: profile.data?.id ?? '' },
						tags: ['telnyx-softphone'],
					});
					other = { connectionId: connection.data?.id ?? '', profileId: profile.data?.id ?? '' };
					env.sandbox.admin.addRestFault({
						method: 'POST',
						path: '/credential_connections',
						kind: 'status',
						status: 500,
						times: 1,
					});
					afterRace = env.mark();
				}
				return fetch(input, init);
			},
		});
		expect((await app.handlers.credentials.setApiKey(env.sandbox.apiKey)).ok).toBe(true);
		const run = await app.handlers.provisioning.run(options);
		if (!run.ok) throw new Error(run.error.message);
		if (other === undefined) throw new Error('the run created no connection');
		return { app, run: run.value, other, afterRace };
	}

	it('a run that adopts the other’s connection uses the profile it names, with no extra request', async () => {
		const { app, run, other, afterRace } = await racedRun({});
		expect(run.connectionId).toBe(other.connectionId);
		expect(run.profileId).toBe(other.profileId);
		expect(app.services.settings.get().provisioned).toEqual(run);
		// The connection already names a profile and the user chose nothing: neither a read nor a PATCH.
		expect(env.requests(afterRace).map(route)).toEqual([
			'POST /credential_connections',
			'GET /credential_connections',
			'POST /telephony_credentials',
			'POST /telephony_credentials/{id}/token',
		]);
		const account = await env.resources();
		expect(account.connections.map((c) => c.outbound?.outbound_voice_profile_id)).toEqual([
			other.profileId,
		]);
		expect(app.eventsOf('provisioning:progress')).toContainEqual({
			step: 'connection',
			status: 'done',
			detail: 'Found the connection “Telnyx Softphone” another installation had just created',
		});
		// The profile is the other installation's to settle: listing the numbers changes no profile.
		const listed = env.mark();
		expect((await app.handlers.account.listPhoneNumbers()).ok).toBe(true);
		await sleep(200);
		expect(env.requests(listed).map(route)).toEqual(['GET /phone_numbers']);
	});

	it('with countries the user chose, they are given to the profile the adopted connection names', async () => {
		const { run, other, afterRace } = await racedRun({ allowedCountries: ['FR'] });
		expect(run.connectionId).toBe(other.connectionId);
		expect(run.profileId).toBe(other.profileId);
		expect(env.requests(afterRace).map(route)).toEqual([
			'POST /credential_connections',
			'GET /credential_connections',
			'GET /outbound_voice_profiles/{id}',
			'PATCH /outbound_voice_profiles/{id}',
			'POST /telephony_credentials',
			'POST /telephony_credentials/{id}/token',
		]);
		const account = await env.resources();
		expect(
			account.profiles.find((p) => p.id === other.profileId)?.whitelisted_destinations,
		).toEqual(['FR']);
	});
});

describe('the key check doubles as the run’s search only while it is fresh', () => {
	const SEARCH = 'GET /credential_connections';
	const FIRST_RUN = [
		SEARCH,
		'GET /outbound_voice_profiles',
		'POST /outbound_voice_profiles',
		'POST /credential_connections',
		'POST /telephony_credentials',
		'POST /telephony_credentials/{id}/token',
	];

	it('a key kept from an earlier session: the run’s own search is its key check, still 6 requests', async () => {
		const app = await env.app();
		expect((await app.handlers.credentials.setApiKey(env.sandbox.apiKey)).ok).toBe(true);
		const restarted = await env.restart(app);
		const mark = env.mark();
		expect((await restarted.handlers.provisioning.run({})).ok).toBe(true);
		expect(env.requests(mark).map(route)).toEqual(FIRST_RUN);
	});

	it('a key check older than a minute is not reused: the run searches again', async () => {
		let skew = 0;
		const app = await env.app({ now: () => Date.now() + skew });
		expect((await app.handlers.credentials.setApiKey(env.sandbox.apiKey)).ok).toBe(true);
		skew = 61_000;
		const mark = env.mark();
		expect((await app.handlers.provisioning.run({})).ok).toBe(true);
		expect(env.requests(mark).map(route)).toEqual(FIRST_RUN);
	});

	it('a run after a failed one searches again (what it found may have changed)', async () => {
		const app = await env.app();
		expect((await app.handlers.credentials.setApiKey(env.sandbox.apiKey)).ok).toBe(true);
		env.sandbox.admin.addRestFault({
			method: 'GET',
			path: '/outbound_voice_profiles',
			kind: 'status',
			status: 403,
			times: 1,
		});
		const failed = await app.handlers.provisioning.run({});
		expect(failed.ok || failed.error.code).toBe('FORBIDDEN');
		const mark = env.mark();
		expect((await app.handlers.provisioning.run({})).ok).toBe(true);
		expect(env.requests(mark).map(route)).toEqual(FIRST_RUN);
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
		// Three reads by the ids the settings hold; the first is also the key check.
		expect(env.requests(mark).map(route)).toEqual([
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
			// Not widened yet: no numbers were listed in this test.
			'Using the outbound voice profile “Telnyx Softphone” (US)',
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

		expect(await env.resourceCounts()).toEqual([1, 1, 1]);
	});
});

describe('a second installation on the same account', () => {
	it('finds the connection, takes the profile it names and creates only its own credential: 5 requests', async () => {
		await provisioned(await env.app({ deviceName: 'Desk' }));
		const second = await env.app({ deviceName: 'Laptop' });
		const mark = env.mark();
		await provisioned(second);
		const token = await second.handlers.telnyx.getLoginToken();
		expect(token.ok).toBe(true);
		const installId = second.services.settings.get().installId.slice(0, 8);
		expect(env.requests(mark).map(withQuery)).toEqual([
			'GET /credential_connections?filter[connection_name][contains]=Telnyx Softphone&page[number]=1&page[size]=250',
			// The connection names its profile: read by id, no list.
			'GET /outbound_voice_profiles/{id}',
			`GET /telephony_credentials?filter[tag]=telnyx-softphone&filter[name]=Laptop (${installId})&page[number]=1&page[size]=250`,
			'POST /telephony_credentials',
			'POST /telephony_credentials/{id}/token',
		]);
		expect(await env.resourceCounts()).toEqual([1, 1, 2]);
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

describe('A7: a run interrupted between steps', () => {
	const interruptions = [
		{
			after: 'profile',
			failing: 'POST /credential_connections',
			steps: ['verify', 'profile', 'connection'],
			found: ['Found the outbound voice profile “Telnyx Softphone” (US)', 'profile'],
		},
		{
			after: 'connection',
			failing: 'POST /telephony_credentials',
			steps: ['verify', 'profile', 'connection', 'credential'],
			found: ['Found the connection “Telnyx Softphone”', 'connection'],
		},
	] as const;

	it.each(interruptions)(
		'after the $after step: a restart adopts what was made and creates nothing twice',
		async ({ failing, steps: ran, found }) => {
			const app = await env.app();
			await app.handlers.credentials.setApiKey(env.sandbox.apiKey);
			const [method, path] = failing.split(' ') as [string, string];
			// Refused before anything is created (a 500 the create did not get past).
			env.sandbox.admin.addRestFault({ method, path, kind: 'status', status: 500, times: 1 });
			const failed = await app.handlers.provisioning.run({});
			expect(failed.ok || failed.error.code).toBe('SERVER_ERROR');
			expect(steps(app.eventsOf('provisioning:progress'))).toEqual(
				ran.flatMap((step, i) => [
					`${step}:running`,
					i === ran.length - 1 ? `${step}:failed` : `${step}:done`,
				]),
			);
			const made = await env.resources();

			// The process ends here; a new one starts on the same folder and keychain.
			const restarted = await env.restart(app);
			const run = await restarted.handlers.provisioning.run({});
			if (!run.ok) throw new Error(run.error.message);
			expect(run.value.profileId).toBe(made.profiles[0]?.id);
			if (made.connections[0] !== undefined)
				expect(run.value.connectionId).toBe(made.connections[0].id);
			const [detail, step] = found;
			expect(restarted.eventsOf('provisioning:progress')).toContainEqual({
				step,
				status: 'done',
				detail,
			});
			const account = await env.resources();
			expect([
				account.connections.length,
				account.profiles.length,
				account.credentials.length,
			]).toEqual([1, 1, 1]);
			expect(account.connections[0]?.outbound?.outbound_voice_profile_id).toBe(run.value.profileId);
			// Every create succeeded once over both runs (the refused one is not counted: it made nothing).
			const log = env.requests();
			expect(
				CREATE_ROUTES.map((r) => log.filter((e) => route(e) === r && e.status < 300).length),
			).toEqual([1, 1, 1]);
		},
	);
});

describe('a run that ends right after a create, before it reads the answer (a crash)', () => {
	it.each(CREATE_ROUTES)(
		'%s: the next process converges on one of each and never sends that create again',
		async (create) => {
			const [method, path] = create.split(' ') as [string, string];
			let crashed = false;
			const app = await env.app({
				// The request reaches Telnyx and is done there; the process never sees the answer.
				fetch: async (input, init) => {
					const url = new URL(input instanceof Request ? input.url : String(input));
					const response = await fetch(input, init);
					if (init?.method === method && url.pathname.endsWith(path)) {
						crashed = true;
						return new Promise<Response>(() => {});
					}
					return response;
				},
			});
			await app.handlers.credentials.setApiKey(env.sandbox.apiKey);
			void app.handlers.provisioning.run({});
			await waitFor(() => (crashed ? true : undefined), 5000, `${create} to be sent`);
			expect(app.services.settings.get().provisioned).toBeNull();

			const restarted = await env.restart(app);
			const mark = env.mark();
			const run = await restarted.handlers.provisioning.run({});
			if (!run.ok) throw new Error(run.error.message);
			expect(countByRoute(env.requests(mark))[create]).toBeUndefined();
			const account = await env.resources();
			expect(account.connections.map((c) => c.id)).toEqual([run.value.connectionId]);
			expect(account.profiles.map((p) => p.id)).toEqual([run.value.profileId]);
			expect(account.credentials.map((c) => c.id)).toEqual([run.value.credentialId]);
			expect(account.connections[0]?.outbound?.outbound_voice_profile_id).toBe(run.value.profileId);
			const token = await restarted.handlers.telnyx.getLoginToken();
			expect(token.ok && jwtClaims(token.value.token).sub).toBe(run.value.credentialId);
		},
	);
});
