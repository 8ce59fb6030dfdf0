/** The OpenAPI check on its own: right bodies pass, wrong ones are reported, deviations are exactly allowed. */
import { describe, expect, it } from 'vitest';
import { allowNull, createSpecChecker } from '../../sandbox/openapi/spec-check';

const checker = createSpecChecker();

const connection = {
	id: '1684641123236054244',
	record_type: 'credential_connection',
	active: true,
	user_name: 'softphone1234',
	password: 'correct-horse-battery',
	connection_name: 'Softphone',
	created_at: '2026-12-07T07:10:20.000Z',
	updated_at: '2026-12-07T07:10:20.000Z',
	webhook_event_url: null,
	webhook_event_failover_url: '',
	inbound: { codecs: ['OPUS'], channel_limit: null, timeout_2xx_secs: 90 },
	outbound: { outbound_voice_profile_id: null, channel_limit: null, localization: 'US' },
};

describe('createSpecChecker', () => {
	it('maps concrete paths to the operations of the spec', () => {
		expect(checker.operationId('GET', '/credential_connections/123')).toBe(
			'RetrieveCredentialConnection',
		);
		expect(checker.operationId('post', '/telephony_credentials/abc/token')).toBe(
			'CreateTelephonyCredentialToken',
		);
		expect(checker.operationId('GET', '/calls')).toBeUndefined();
	});

	it('accepts a connection as the sandbox returns it, nulls and "" defaults included', () => {
		expect(
			checker.check({
				method: 'GET',
				path: '/credential_connections/1684641123236054244',
				status: 200,
				requestBody: undefined,
				responseBody: { data: connection },
			}),
		).toEqual([]);
	});

	it('reports a response field of the wrong type, with where it is', () => {
		const mismatches = checker.check({
			method: 'GET',
			path: '/credential_connections/1',
			status: 200,
			requestBody: undefined,
			responseBody: { data: { ...connection, active: 'yes' } },
		});
		expect(mismatches).toEqual([
			{
				operation: 'RetrieveCredentialConnection',
				method: 'GET',
				path: '/credential_connections/1',
				status: 200,
				part: 'response',
				errors: ['/data/active must be boolean'],
			},
		]);
	});

	it('reports a bad enum value and a malformed uri', () => {
		const [mismatch] = checker.check({
			method: 'PATCH',
			path: '/credential_connections/1',
			status: 200,
			requestBody: {},
			responseBody: {
				data: { ...connection, dtmf_type: 'Morse', webhook_event_failover_url: 'not a uri' },
			},
		});
		expect(mismatch?.errors).toEqual([
			'/data/dtmf_type must be equal to one of the allowed values',
			'/data/webhook_event_failover_url must match format "uri"',
			'/data/webhook_event_failover_url must be equal to constant',
			'/data/webhook_event_failover_url must match a schema in anyOf',
		]);
	});

	it('judges a request body only when the sandbox accepted it (2xx)', () => {
		const bad = { connection_name: 'x', user_name: 'softphone1', password: 12345678 };
		const accepted = checker.check({
			method: 'POST',
			path: '/credential_connections',
			status: 201,
			requestBody: bad,
			responseBody: { data: connection },
		});
		expect(accepted).toMatchObject([{ part: 'request', errors: ['/password must be string'] }]);
		const refused = checker.check({
			method: 'POST',
			path: '/credential_connections',
			status: 422,
			requestBody: bad,
			responseBody: { errors: [{ code: '10015', title: 'Bad Request', detail: 'no' }] },
		});
		expect(refused).toEqual([]);
	});

	it('checks error answers against the error envelope, even where the spec gives no content', () => {
		// CreateTelephonyCredentialToken documents 404 without a schema, and 429 not at all.
		for (const status of [404, 429]) {
			expect(
				checker.check({
					method: 'POST',
					path: '/telephony_credentials/x/token',
					status,
					requestBody: undefined,
					responseBody: { errors: { status: 'not a list' } },
				}),
			).toMatchObject([{ part: 'response', errors: ['/errors must be array'] }]);
		}
	});

	it('validates a text/plain token as a string, and flags an undocumented success status', () => {
		const token = {
			method: 'POST',
			path: '/telephony_credentials/x/token',
			requestBody: undefined,
		} as const;
		expect(checker.check({ ...token, status: 201, responseBody: 'eyJ.a.b' })).toEqual([]);
		expect(checker.check({ ...token, status: 201, responseBody: { token: 1 } })).toMatchObject([
			{ part: 'response', errors: ['/ must be string'] },
		]);
		expect(checker.check({ ...token, status: 200, responseBody: 'eyJ.a.b' })).toMatchObject([
			{ errors: ['status 200 is not documented for CreateTelephonyCredentialToken'] },
		]);
	});

	it('allows null only for the listed deviations', () => {
		const credential = {
			id: 'c8e1b2b4-3f7a-4f8e-9a53-7f3f4d1b2c3d',
			record_type: 'credential',
			name: 'n',
			expired: false,
			resource_id: 'connection:1',
			sip_username: 'gencred',
			sip_password: 'p',
			user_id: 'u',
			created_at: '2026-12-07T07:10:20',
			updated_at: '2026-12-07T07:10:20.000Z',
			expires_at: null,
		};
		const answer = (data: object) =>
			checker.check({
				method: 'GET',
				path: '/telephony_credentials/1',
				status: 200,
				requestBody: undefined,
				responseBody: { data },
			});
		expect(answer(credential)).toEqual([]);
		expect(answer({ ...credential, sip_username: null })).toMatchObject([
			{ errors: ['/data/sip_username must be string'] },
		]);
	});
});

describe('allowNull', () => {
	it('adds null to the type and enum of the named properties only', () => {
		const schema = {
			properties: {
				a: { type: 'string', enum: ['x'] },
				b: { type: 'integer' },
				nested: { properties: { a: { type: ['integer'] } } },
			},
		};
		allowNull(schema, ['a']);
		expect(schema.properties.a).toEqual({ type: ['string', 'null'], enum: ['x', null] });
		expect(schema.properties.b).toEqual({ type: 'integer' });
		expect(schema.properties.nested.properties.a).toEqual({ type: ['integer', 'null'] });
	});
});
