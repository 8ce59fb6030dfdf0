/**
 * The login token's lifecycle against the sandbox: renewal before expiry (pushed to the renderer as an
 * event), and a credential deleted on the account, re-created once by the next mint, with a notice.
 */
import keytar from 'keytar';
import { expect, it } from 'vitest';
import type { LoginToken } from '../../../preload/contract';
import {
	countByRoute,
	jwtClaims,
	loginOncePropagated,
	sleep,
	tokenAccount,
	waitFor,
	type App,
} from './support';
import { testEnvPerTest } from './per-test-env';

const env = testEnvPerTest();

async function provisioned(app: App): Promise<LoginToken> {
	expect((await app.handlers.credentials.setApiKey(env.sandbox.apiKey)).ok).toBe(true);
	const run = await app.handlers.provisioning.run({});
	if (!run.ok) throw new Error(run.error.message);
	const token = await app.handlers.telnyx.getLoginToken();
	if (!token.ok) throw new Error(token.error.message);
	return token.value;
}

it('renews the token before it expires and pushes the new one to the renderer', async () => {
	env.sandbox.admin.setTokenLifetime(8);
	const app = await env.app();
	const first = await provisioned(app);
	const firstClaims = jwtClaims(first.token);
	expect(firstClaims.exp - firstClaims.iat).toBe(8);
	expect(app.eventsOf('telnyx:loginToken')).toEqual([]);
	const mark = env.mark();

	let receivedAt = 0;
	const renewed = await waitFor(
		() => {
			const [token] = app.eventsOf('telnyx:loginToken');
			if (token !== undefined) receivedAt = Date.now();
			return token;
		},
		7000,
		'a renewed token',
	);
	// Renewed in time, with a lead: well before the first token expires.
	expect(receivedAt).toBeLessThan(Date.parse(first.expiresAt) - 2000);
	expect(renewed.token).not.toBe(first.token);
	expect(Date.parse(renewed.expiresAt)).toBeGreaterThan(Date.parse(first.expiresAt));
	expect(jwtClaims(renewed.token).sub).toBe(firstClaims.sub);
	expect(countByRoute(env.requests(mark))).toEqual({ 'POST /telephony_credentials/{id}/token': 1 });

	// The renewed token is the one handed out now (no request), kept in the keychain, and accepted.
	const now = env.mark();
	expect(await app.handlers.telnyx.getLoginToken()).toEqual({ ok: true, value: renewed });
	expect(env.requests(now)).toEqual([]);
	const kept = await keytar.getPassword(app.keychainService, tokenAccount(env.sandbox.restBaseUrl));
	expect(JSON.parse(kept ?? '{}')).toMatchObject({
		token: renewed.token,
		credentialId: firstClaims.sub,
	});
	expect(
		(await loginOncePropagated(env.sandbox.signallingUrl, renewed.token)).result?.message,
	).toBe('logged in');
	expect(app.eventsOf('telnyx:tokenWarning')).toEqual([]);
});

it('re-creates a credential deleted on the account, once, and says so', async () => {
	// A short-lived token, so that the next start needs a new one (as the day after does).
	env.sandbox.admin.setTokenLifetime(2);
	const app = await env.app({ deviceName: 'Grace Desktop' });
	const first = await provisioned(app);
	const old = app.services.settings.get().provisioned!;
	app.services.dispose();
	env.sandbox.admin.clearFaults();
	await sleep(Math.max(0, Date.parse(first.expiresAt) - Date.now()) + 50);

	// Deleted in the portal (or by another tool) while the app was not running.
	await env.telnyx.telephonyCredentials.delete(old.credentialId);
	const restarted = await env.restart(app);
	const mark = env.mark();

	const token = await restarted.handlers.telnyx.getLoginToken();
	if (!token.ok) throw new Error(token.error.message);
	const now = restarted.services.settings.get().provisioned!;
	expect(now.credentialId).not.toBe(old.credentialId);
	expect(now).toMatchObject({ connectionId: old.connectionId, profileId: old.profileId });
	expect((await restarted.settingsFile())?.provisioned).toEqual(now);
	expect(jwtClaims(token.value.token).sub).toBe(now.credentialId);
	expect(
		(await loginOncePropagated(env.sandbox.signallingUrl, token.value.token)).result?.message,
	).toBe('logged in');

	const log = countByRoute(env.requests(mark));
	expect(log['POST /telephony_credentials']).toBe(1);
	expect(log['POST /telephony_credentials/{id}/token']).toBe(2); // 404 for the old one, then the new
	expect(restarted.eventsOf('account:notice')).toEqual([
		'This computer’s Telnyx credential had been deleted on the account, so the app created a new one.',
	]);

	const account = await env.resources();
	expect(account.credentials.map((c) => [c.id, c.name])).toEqual([
		[
			now.credentialId,
			`Grace Desktop (${restarted.services.settings.get().installId.slice(0, 8)})`,
		],
	]);
	expect(account.taggedCredentialIds).toEqual([now.credentialId]);

	// From now on the new token is reused, with no request and no further notice.
	const again = env.mark();
	expect(await restarted.handlers.telnyx.getLoginToken()).toEqual(token);
	expect(env.requests(again)).toEqual([]);
	expect(restarted.eventsOf('account:notice')).toHaveLength(1);
});
