/**
 * Whether Telnyx merges a connection PATCH's partial `inbound`/`outbound` into the stored object or replaces
 * it is undocumented. The app sends both objects whole (read from the connection it already holds), so the
 * sandbox's two modes must give the same connection: the user's own settings survive the app fixing the
 * codecs and attaching its outbound voice profile. The real main services against the sandbox, over HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TestEnv, countByRoute, route } from './support';

let env: TestEnv | undefined;
afterEach(() => env?.close());

/** A connection the user set up in the portal: audio codecs only, their own timeouts and number formats. */
const USERS_INBOUND = {
	codecs: ['G711U', 'OPUS'],
	timeout_1xx_secs: 7,
	timeout_2xx_secs: 45,
	ani_number_format: '+E.164' as const,
	dnis_number_format: 'national' as const,
	generate_ringback_tone: true,
	simultaneous_ringing: 'enabled' as const,
};
const USERS_OUTBOUND = {
	localization: 'GB',
	ani_override: '+442079460123',
	ani_override_type: 'normal' as const,
	instant_ringback_enabled: false,
};

async function usersConnection(testEnv: TestEnv): Promise<string> {
	const created = await testEnv.telnyx.credentialConnections.create({
		connection_name: 'My office line',
		user_name: 'myoffice1234',
		password: 'a-long-enough-password',
		sip_uri_calling_preference: 'disabled',
		inbound: USERS_INBOUND,
		outbound: USERS_OUTBOUND,
	});
	return String(created.data?.id);
}

describe.each(['replace', 'merge'] as const)(
	'connection PATCH, sandbox nestedPatch: %s',
	(mode) => {
		it('fixing a user’s connection keeps their inbound and outbound settings', async () => {
			env = await TestEnv.start({ rest: { nestedPatch: mode } });
			const connectionId = await usersConnection(env);
			const { data: before } = await env.telnyx.credentialConnections.retrieve(connectionId);
			// The user's own values really are on the connection before the app touches it.
			expect(before?.inbound).toMatchObject({ timeout_1xx_secs: 7, timeout_2xx_secs: 45 });
			expect(before?.outbound).toMatchObject({ localization: 'GB', ani_override_type: 'normal' });
			const app = await env.app();
			expect((await app.handlers.credentials.setApiKey(env.sandbox.apiKey)).ok).toBe(true);
			const mark = env.mark();

			const run = await app.handlers.provisioning.run({
				connectionId,
				allowConnectionUpdate: true,
			});
			if (!run.ok) throw new Error(run.error.message);
			const log = env.requests(mark);

			const { data: after } = await env.telnyx.credentialConnections.retrieve(connectionId);
			expect(after?.sip_uri_calling_preference).toBe('internal');
			// Exactly what the app needed changed; every other inbound and outbound field is as the user had it
			// (timeouts, number formats, ringback, caller-ID override, localization: whatever Telnyx stored).
			expect(after?.inbound).toStrictEqual({
				...before?.inbound,
				codecs: ['G711U', 'OPUS', 'VP8', 'H.264'],
			});
			expect(after?.outbound).toStrictEqual({
				...before?.outbound,
				outbound_voice_profile_id: run.value.profileId,
			});

			// No read was added for this: the two PATCHes work from connections the app already held.
			const counts = countByRoute(log);
			expect(counts['PATCH /credential_connections/{id}']).toBe(2); // codecs + SIP URI, then the profile
			expect(counts['GET /credential_connections/{id}']).toBe(1); // the chosen connection, once
		});
	},
);

describe('the sandbox’s replace mode is what this guards against', () => {
	it('a partial inbound object sent under replace resets the user’s timeouts and formats', async () => {
		env = await TestEnv.start({ rest: { nestedPatch: 'replace' } });
		const connectionId = await usersConnection(env);
		const mark = env.mark();
		await env.telnyx.credentialConnections.update(connectionId, {
			inbound: { codecs: ['G711U', 'OPUS', 'VP8', 'H.264'] },
		});
		expect(env.requests(mark).map(route)).toEqual(['PATCH /credential_connections/{id}']);
		const { data: connection } = await env.telnyx.credentialConnections.retrieve(connectionId);
		expect(connection?.inbound?.timeout_2xx_secs).not.toBe(USERS_INBOUND.timeout_2xx_secs);
		expect(connection?.inbound?.dnis_number_format).not.toBe(USERS_INBOUND.dnis_number_format);
	});
});
