/**
 * The API key is bound to the REST endpoint it was stored for, with the real keychain (gnome-keyring through
 * keytar). Endpoints are the installation profile's and cannot be changed by the page any more; the only way
 * an installation meets another endpoint is a run under another profile (or other `--sandbox-rest=`), over
 * the same keychain. That run must not get the key: not in a status, not in a request.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { TestEnv, apiKeyAccount, keychainItems, tokenAccount } from './support';

let env: TestEnv;
/** Endpoint B: a second Telnyx (another sandbox, on other ports, with its own account and key). */
let other: Sandbox;

beforeEach(async () => {
	env = await TestEnv.start();
	other = await startSandbox({ restPort: 0, signallingPort: 0 });
});

afterEach(async () => {
	await other.close();
	await env.close();
});

it('a key stored for endpoint A is not handed out by a run made for endpoint B over the same keychain', async () => {
	const a = await env.app();
	expect((await a.handlers.credentials.setApiKey(env.sandbox.apiKey)).ok).toBe(true);
	expect((await a.handlers.provisioning.run({})).ok).toBe(true);
	const itemsOfA = await keychainItems(a.keychainService);
	expect([...itemsOfA.keys()].sort()).toStrictEqual(
		[apiKeyAccount(env.sandbox.restBaseUrl), tokenAccount(env.sandbox.restBaseUrl)].sort(),
	);

	// The same installation (folder, keychain service), run for endpoint B.
	const b = await env.restart(a, { restBaseUrl: other.restBaseUrl });
	expect(await b.services.vault.credentials()).toBeNull();
	expect(await b.handlers.credentials.getStatus()).toStrictEqual({
		hasApiKey: false,
		keychain: 'ok',
		persisted: false,
		warning: null,
	});
	const answers = await Promise.all([
		b.handlers.account.listPhoneNumbers(),
		b.handlers.provisioning.listResources(),
		b.handlers.provisioning.run({}),
		b.handlers.telnyx.getLoginToken(),
		b.handlers.account.listInstallations(),
		b.handlers.account.previewCleanup(),
		b.handlers.account.setCallerId({ name: 'B', number: '+13125550142' }),
	]);
	for (const answer of answers) {
		expect(answer).toMatchObject({ ok: false, error: { code: 'NO_API_KEY' } });
	}
	// B never heard from the app, let alone A's key; the keychain holds A's items only, untouched.
	expect(other.admin.requests()).toStrictEqual([]);
	expect(await keychainItems(b.keychainService)).toStrictEqual(itemsOfA);
	expect(JSON.stringify(b.events)).not.toContain(env.sandbox.apiKey);
	expect(b.logger.dump()).not.toContain(env.sandbox.apiKey);

	// Back on endpoint A, the key is there again.
	const again = await env.restart(b);
	expect(await again.services.vault.credentials()).toStrictEqual({
		key: env.sandbox.apiKey,
		baseUrl: env.sandbox.restBaseUrl,
	});
	expect((await again.handlers.account.listPhoneNumbers()).ok).toBe(true);
	expect(other.admin.requests()).toStrictEqual([]);
});

it('a key entered while running for endpoint B is checked with and stored for B only', async () => {
	const a = await env.app();
	expect((await a.handlers.credentials.setApiKey(env.sandbox.apiKey)).ok).toBe(true);
	const b = await env.restart(a, { restBaseUrl: other.restBaseUrl });
	const mark = env.mark();
	// A's key, pasted by the user while running for B, is checked with B, which refuses it: nothing is stored.
	expect(await b.handlers.credentials.setApiKey(env.sandbox.apiKey)).toMatchObject({
		ok: false,
		error: { code: 'KEY_REJECTED' },
	});
	expect((await keychainItems(b.keychainService)).has(apiKeyAccount(other.restBaseUrl))).toBe(
		false,
	);
	// B's own key is checked with B, and kept for B.
	expect((await b.handlers.credentials.setApiKey(other.apiKey)).ok).toBe(true);
	expect(other.admin.requests().length).toBe(2);
	expect(other.admin.requests().map((r) => r.authenticated)).toStrictEqual([false, true]);
	expect(env.requests(mark)).toStrictEqual([]);
	expect(await b.services.vault.credentials()).toStrictEqual({
		key: other.apiKey,
		baseUrl: other.restBaseUrl,
	});
	const items = await keychainItems(b.keychainService);
	expect(items.get(apiKeyAccount(other.restBaseUrl))).toBe(other.apiKey);
	expect(items.get(apiKeyAccount(env.sandbox.restBaseUrl))).toBe(env.sandbox.apiKey);
	// A's run still uses A's key with A's endpoint.
	const again = await env.restart(b);
	expect(await again.services.vault.credentials()).toStrictEqual({
		key: env.sandbox.apiKey,
		baseUrl: env.sandbox.restBaseUrl,
	});
});
