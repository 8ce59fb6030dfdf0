/**
 * The account as several installations share it: the directory of installations, signing out one of them,
 * removing everything the app created (and nothing else), and the caller ID checked against the account.
 */
import { describe, expect, it } from 'vitest';
import { JITTER, refreshIntervalMs } from '../../../main/telnyx/directory-policy';
import { keychainItems, apiKeyAccount, route, type App } from './support';
import { testEnvPerTest } from './per-test-env';

const env = testEnvPerTest();

async function provisioned(app: App) {
	expect((await app.handlers.credentials.setApiKey(env.sandbox.apiKey)).ok).toBe(true);
	const run = await app.handlers.provisioning.run({});
	if (!run.ok) throw new Error(run.error.message);
	return run.value;
}

/** Resources someone made by hand on the same account (no app tag). */
async function untaggedResources() {
	const connection = (
		await env.telnyx.credentialConnections.create({
			connection_name: 'Telnyx Softphone (hand-made)',
			user_name: `handmade${Date.now() % 1_000_000}`,
			password: 'hand-made-password',
			sip_uri_calling_preference: 'internal',
		})
	).data!;
	const profile = (
		await env.telnyx.outboundVoiceProfiles.create({ name: 'Telnyx Softphone (mine)' })
	).data!;
	const credential = (
		await env.telnyx.telephonyCredentials.create({
			connection_id: connection.id!,
			name: 'Desk phone',
		})
	).data!;
	return { connection: connection.id!, profile: profile.id!, credential: credential.id! };
}

describe('directory, sign out and clean up', () => {
	it('two installations see each other; sign out and clean up touch only what they should', async () => {
		// Alice's clock can be moved past the directory's refresh interval.
		let aliceAhead = 0;
		const alice = await env.app({ deviceName: 'Alice Laptop', now: () => Date.now() + aliceAhead });
		const bob = await env.app({ deviceName: 'Bob Desktop' });
		const a = await provisioned(alice);
		let mark = env.mark();
		const b = await provisioned(bob);
		// The second installation adopts the app's connection and profile and adds only its credential.
		expect(b).toMatchObject({ connectionId: a.connectionId, profileId: a.profileId });
		expect(
			env
				.requests(mark)
				.filter((e) => e.method !== 'GET')
				.map(route),
		).toEqual(['POST /telephony_credentials', 'POST /telephony_credentials/{id}/token']);
		const other = await untaggedResources();

		const fromAlice = await alice.handlers.account.listInstallations();
		const fromBob = await bob.handlers.account.listInstallations();
		const byName = <T extends { name: string }>(list: readonly T[]) =>
			[...list].sort((x, y) => x.name.localeCompare(y.name));
		if (!fromAlice.ok || !fromBob.ok) throw new Error('listInstallations failed');
		expect(byName(fromAlice.value)).toEqual([
			{ name: 'Alice Laptop', sipUsername: a.sipUsername, self: true },
			{ name: 'Bob Desktop', sipUsername: b.sipUsername, self: false },
		]);
		expect(byName(fromBob.value)).toEqual([
			{ name: 'Alice Laptop', sipUsername: a.sipUsername, self: false },
			{ name: 'Bob Desktop', sipUsername: b.sipUsername, self: true },
		]);
		// Never a password: not the field, not a value.
		const passwords = (await env.resources()).credentials.map((c) => c.sip_password!);
		expect(passwords).toHaveLength(3);
		for (const listing of [JSON.stringify(fromAlice), JSON.stringify(fromBob)]) {
			expect(listing).not.toMatch(/password/i);
			for (const password of passwords) expect(listing).not.toContain(password);
		}

		// Bob signs out (keeping the key): only his credential goes, and his token with it.
		mark = env.mark();
		expect(await bob.handlers.account.signOut({ forgetApiKey: false })).toEqual({
			ok: true,
			value: { hasApiKey: true, keychain: 'ok', persisted: true, warning: null },
		});
		expect(env.requests(mark).map(route)).toEqual(['DELETE /telephony_credentials/{id}']);
		expect(env.requests(mark)[0]?.path).toBe(`/telephony_credentials/${b.credentialId}`);
		expect(bob.services.settings.get().provisioned).toBeNull();
		expect([...(await keychainItems(bob.keychainService)).keys()]).toEqual([
			apiKeyAccount(env.sandbox.restBaseUrl),
		]);
		expect((await env.resources()).credentials.map((c) => c.id).sort()).toEqual(
			[a.credentialId, other.credential].sort(),
		);
		// Alice's directory answers from main's cache until it is stale (Bob still listed, no request); once
		// stale, one refresh runs and the answer waits for it (Telnyx answers within the directory's
		// STALE_WAIT_MS), so Bob is gone from that very answer.
		mark = env.mark();
		const cached = await alice.handlers.account.listInstallations();
		expect(cached.ok && cached.value.map((i) => i.name).sort()).toEqual([
			'Alice Laptop',
			'Bob Desktop',
		]);
		expect(env.requests(mark)).toEqual([]);
		aliceAhead = refreshIntervalMs(2) * (1 + JITTER);
		const afterSignOut = await alice.handlers.account.listInstallations();
		expect(afterSignOut.ok && afterSignOut.value.map((i) => i.name)).toEqual(['Alice Laptop']);
		expect(env.requests(mark).map(route)).toEqual(['GET /telephony_credentials']);

		// "Remove everything this app created": the list shows exactly the tagged resources.
		const preview = await alice.handlers.account.previewCleanup();
		if (!preview.ok) throw new Error(preview.error.message);
		const key = (i: { kind: string; id: string }) => `${i.kind}:${i.id}`;
		expect(preview.value.map(key).sort()).toEqual(
			[
				`credential:${a.credentialId}`,
				`connection:${a.connectionId}`,
				`profile:${a.profileId}`,
			].sort(),
		);
		expect(preview.value.find((i) => i.kind === 'credential')?.name).toMatch(/^Alice Laptop \(/);

		// Cleanup deletes those; an untagged item slipped into the list is left alone.
		const cleaned = await alice.handlers.account.cleanup([
			...preview.value,
			{ kind: 'connection', id: other.connection, name: 'Telnyx Softphone (hand-made)' },
			{ kind: 'credential', id: other.credential, name: 'Desk phone' },
		]);
		if (!cleaned.ok) throw new Error(cleaned.error.message);
		expect(cleaned.value.map(key).sort()).toEqual(preview.value.map(key).sort());
		const left = await env.resources();
		expect(left.connections.map((c) => c.id)).toEqual([other.connection]);
		expect(left.profiles.map((p) => p.id)).toEqual([other.profile]);
		expect(left.credentials.map((c) => c.id)).toEqual([other.credential]);

		// This installation's resources are gone, so it forgets them (and its token).
		expect(alice.services.settings.get().provisioned).toBeNull();
		expect(await alice.handlers.telnyx.getLoginToken()).toEqual({
			ok: false,
			error: { code: 'NOT_FOUND', message: 'Set up the Telnyx account first.' },
		});
		expect([...(await keychainItems(alice.keychainService)).keys()]).toEqual([
			apiKeyAccount(env.sandbox.restBaseUrl),
		]);
		const nothing = await alice.handlers.account.previewCleanup();
		expect(nothing).toEqual({ ok: true, value: [] });
	});
});

describe('caller ID', () => {
	it('accepts one of the account’s numbers and refuses any other, naming the field', async () => {
		const app = await env.app();
		expect((await app.handlers.credentials.setApiKey(env.sandbox.apiKey)).ok).toBe(true);

		const accepted = await app.handlers.account.setCallerId({
			name: 'Ada',
			number: '+13125550142',
		});
		expect(accepted.ok && accepted.value.callerId).toEqual({ name: 'Ada', number: '+13125550142' });
		expect((await app.settingsFile())?.callerId).toEqual({ name: 'Ada', number: '+13125550142' });

		const mark = env.mark();
		const refused = await app.handlers.account.setCallerId({ name: 'Ada', number: '+15555550100' });
		expect(refused).toEqual({
			ok: false,
			error: {
				code: 'INVALID_SETTING',
				field: 'callerId.number',
				message: 'That number is not on your Telnyx account. Choose one of the account’s numbers.',
			},
		});
		expect(env.requests(mark).map(route)).toEqual(['GET /phone_numbers']);
		expect(app.services.settings.get().callerId).toEqual({ name: 'Ada', number: '+13125550142' });
		expect((await app.settingsFile())?.callerId).toEqual({ name: 'Ada', number: '+13125550142' });

		// A number that is not even E.164 is refused without asking Telnyx.
		const malformed = await app.handlers.account.setCallerId({ name: 'Ada', number: '5550100' });
		expect(malformed.ok || malformed.error).toMatchObject({
			code: 'INVALID_SETTING',
			field: 'callerId.number',
		});
		expect(env.requests(mark)).toHaveLength(1);
	});
});
