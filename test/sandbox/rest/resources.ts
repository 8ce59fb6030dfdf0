/**
 * The four REST v2 resources the app provisions with, validated and shaped as Telnyx does
 * (field defaults from Telnyx's OpenAPI spec). Each handler receives the calling
 * account and a parsed body, and returns a status and a JSON body (or a text body for tokens).
 */
import { randomUUID } from 'node:crypto';
import { RestError, invalidField, missingField, notFound, telnyxError } from './errors';
import { filtersOf, paginate } from './list';
import {
	numericId,
	sipPassword,
	sipUsername,
	type Account,
	type CredentialRecord,
	type Json,
	type JsonObject,
	type Owned,
	type SandboxStore,
} from '../store';

export interface RestContext {
	readonly store: SandboxStore;
	readonly account: Account;
	readonly now: () => Date;
	/** Mints a login JWT for a credential (the signalling server verifies it). */
	readonly mintToken: (credential: CredentialRecord) => string;
	/** How a connection PATCH treats a nested `inbound`/`outbound` object (see ./behaviour.ts). */
	readonly nestedPatch: 'replace' | 'merge';
}

export interface RestResult {
	readonly status: number;
	readonly body: Json | string;
	readonly contentType?: string;
}

const json = (status: number, body: Json): RestResult => ({ status, body });

const CODECS = new Set(['G722', 'G711U', 'G711A', 'G729', 'OPUS', 'H.264', 'VP8', 'AMR-WB']);
const SIP_URI_PREFERENCES = new Set(['disabled', 'unrestricted', 'internal']);
const DTMF_TYPES = new Set(['RFC 2833', 'Inband', 'SIP INFO']);

/** A JSON value as text, for substring filters. */
function text(value: Json | undefined): string {
	return typeof value === 'string' ? value : JSON.stringify(value ?? '');
}

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function owned<T extends JsonObject>(
	map: Map<string, Owned<T>>,
	id: string,
	account: Account,
): Owned<T> {
	const item = map.get(id);
	if (item === undefined || item.accountId !== account.id) throw notFound();
	return item;
}

function ofAccount<T extends JsonObject>(map: Map<string, Owned<T>>, account: Account): Owned<T>[] {
	return [...map.values()].filter((item) => item.accountId === account.id);
}

function requireString(body: JsonObject, field: string): string {
	const value = body[field];
	if (value === undefined || value === null || value === '') throw missingField(field);
	if (typeof value !== 'string') throw invalidField(field, `${field} must be a string`);
	return value;
}

function optionalString(body: JsonObject, field: string): string | undefined {
	const value = body[field];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw invalidField(field, `${field} must be a string`);
	return value;
}

function stringArray(value: Json | undefined, field: string): string[] | undefined {
	if (value === undefined) return undefined;
	if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
		throw invalidField(field, `${field} must be an array of strings`);
	}
	return value;
}

function integerIn(
	value: Json | undefined,
	field: string,
	min: number,
	max: number,
): number | undefined {
	if (value === undefined) return undefined;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		throw invalidField(field, `${field} must be an integer between ${min} and ${max}`);
	}
	return value;
}

// ---------------------------------------------------------------------------------------------------------
// Credential connections

function defaultConnection(id: string, now: string): JsonObject {
	return {
		id,
		record_type: 'credential_connection',
		active: true,
		user_name: '',
		password: '',
		connection_name: '',
		created_at: now,
		updated_at: now,
		anchorsite_override: 'Latency',
		sip_uri_calling_preference: 'disabled',
		default_on_hold_comfort_noise_enabled: false,
		dtmf_type: 'RFC 2833',
		encode_contact_header_enabled: false,
		encrypted_media: null,
		onnet_t38_passthrough_enabled: false,
		ios_push_credential_id: null,
		android_push_credential_id: null,
		webhook_event_url: null,
		webhook_event_failover_url: '',
		webhook_api_version: '1',
		webhook_timeout_secs: null,
		call_cost_in_webhooks: false,
		tags: [],
		rtcp_settings: { capture_enabled: false, port: 'rtp+1', report_frequency_secs: 5 },
		inbound: {
			ani_number_format: 'E.164-national',
			dnis_number_format: 'e164',
			codecs: ['G722', 'G711U', 'G711A', 'G729', 'OPUS', 'H.264'],
			channel_limit: null,
			generate_ringback_tone: false,
			isup_headers_enabled: false,
			prack_enabled: false,
			shaken_stir_enabled: false,
			simultaneous_ringing: 'disabled',
			sip_compact_headers_enabled: true,
			timeout_1xx_secs: 3,
			timeout_2xx_secs: 90,
		},
		outbound: {
			ani_override: '',
			ani_override_type: 'always',
			call_parking_enabled: false,
			channel_limit: null,
			generate_ringback_tone: false,
			instant_ringback_enabled: true,
			localization: 'US',
			outbound_voice_profile_id: null,
			t38_reinvite_source: 'telnyx',
		},
	};
}

/** Applies a create or update body to a connection, validating every field it sets. */
function applyConnection(
	ctx: RestContext,
	target: JsonObject,
	body: JsonObject,
	selfId: string,
): void {
	const name = optionalString(body, 'connection_name');
	if (name !== undefined) target['connection_name'] = name;
	const user = optionalString(body, 'user_name');
	if (user !== undefined) {
		if (!/^[A-Za-z0-9]{4,32}$/.test(user) || !/[A-Za-z]/.test(user.slice(0, 5))) {
			throw invalidField(
				'user_name',
				'user_name must be 4-32 alphanumeric characters, with a letter among the first 5',
			);
		}
		const taken = [...ctx.store.connections.values()].some(
			(c) => c.data['id'] !== selfId && c.data['user_name'] === user,
		);
		if (taken) throw invalidField('user_name', 'has already been taken');
		target['user_name'] = user;
	}
	const password = optionalString(body, 'password');
	if (password !== undefined) {
		if (password.length < 8 || password.length > 128) {
			throw invalidField('password', 'password must be 8-128 characters');
		}
		target['password'] = password;
	}
	const preference = optionalString(body, 'sip_uri_calling_preference');
	if (preference !== undefined) {
		if (!SIP_URI_PREFERENCES.has(preference)) {
			throw invalidField(
				'sip_uri_calling_preference',
				`Invalid sip_uri_calling_preference: ${preference}`,
			);
		}
		target['sip_uri_calling_preference'] = preference;
	}
	const dtmf = optionalString(body, 'dtmf_type');
	if (dtmf !== undefined) {
		if (!DTMF_TYPES.has(dtmf)) throw invalidField('dtmf_type', `Invalid dtmf_type: ${dtmf}`);
		target['dtmf_type'] = dtmf;
	}
	if (body['active'] !== undefined) {
		if (typeof body['active'] !== 'boolean')
			throw invalidField('active', 'active must be a boolean');
		target['active'] = body['active'];
	}
	const tags = stringArray(body['tags'], 'tags');
	if (tags !== undefined) target['tags'] = tags;
	for (const field of ['webhook_event_url', 'webhook_event_failover_url', 'anchorsite_override']) {
		const value = optionalString(body, field);
		if (value !== undefined) target[field] = value;
	}

	if (body['inbound'] !== undefined) {
		if (!isObject(body['inbound'])) throw invalidField('inbound', 'inbound must be an object');
		const inbound = { ...(target['inbound'] as JsonObject) };
		const given = body['inbound'];
		const codecs = stringArray(given['codecs'], 'inbound.codecs');
		if (codecs !== undefined) {
			const unknown = codecs.find((codec) => !CODECS.has(codec));
			if (unknown !== undefined) throw invalidField('inbound.codecs', `Invalid codec: ${unknown}`);
			inbound['codecs'] = codecs;
		}
		const t1 = integerIn(given['timeout_1xx_secs'], 'inbound.timeout_1xx_secs', 1, 120);
		if (t1 !== undefined) inbound['timeout_1xx_secs'] = t1;
		const t2 = integerIn(given['timeout_2xx_secs'], 'inbound.timeout_2xx_secs', 1, 600);
		if (t2 !== undefined) inbound['timeout_2xx_secs'] = t2;
		for (const flag of [
			'generate_ringback_tone',
			'isup_headers_enabled',
			'prack_enabled',
			'shaken_stir_enabled',
		]) {
			if (given[flag] !== undefined) inbound[flag] = Boolean(given[flag]);
		}
		const channels = integerIn(
			given['channel_limit'] ?? undefined,
			'inbound.channel_limit',
			1,
			100000,
		);
		if (channels !== undefined) inbound['channel_limit'] = channels;
		target['inbound'] = inbound;
	}

	if (body['outbound'] !== undefined) {
		if (!isObject(body['outbound'])) throw invalidField('outbound', 'outbound must be an object');
		const outbound = { ...(target['outbound'] as JsonObject) };
		const given = body['outbound'];
		if ('outbound_voice_profile_id' in given) {
			const profileId = given['outbound_voice_profile_id'];
			if (profileId !== null) {
				const profile =
					typeof profileId === 'string' ? ctx.store.profiles.get(profileId) : undefined;
				if (profile === undefined || profile.accountId !== ctx.account.id) {
					throw new RestError(422, [
						telnyxError(
							'10017',
							'Associated resource does not exist',
							'The outbound voice profile does not exist.',
							'/outbound/outbound_voice_profile_id',
						),
					]);
				}
			}
			outbound['outbound_voice_profile_id'] = profileId ?? null;
		}
		for (const field of ['ani_override', 'ani_override_type', 'localization']) {
			const value = optionalString(given, field);
			if (value !== undefined) outbound[field] = value;
		}
		target['outbound'] = outbound;
	}
}

export const credentialConnections = {
	list(ctx: RestContext, query: URLSearchParams): RestResult {
		const filters = filtersOf(query);
		// The spec: "Matching is not case-sensitive. Requires at least three characters."
		const contains = filters.get('connection_name][contains')?.toLowerCase();
		if (contains !== undefined && contains.length < 3) {
			throw new RestError(422, [
				telnyxError(
					'10015',
					'Invalid filter',
					'filter[connection_name][contains] requires at least three characters.',
					'/filter/connection_name/contains',
				),
			]);
		}
		const profileId = filters.get('outbound_voice_profile_id');
		const items = ofAccount(ctx.store.connections, ctx.account)
			.map((c) => c.data)
			.filter(
				(c) =>
					contains === undefined || text(c['connection_name']).toLowerCase().includes(contains),
			)
			.filter(
				(c) =>
					profileId === undefined ||
					(c['outbound'] as JsonObject)['outbound_voice_profile_id'] === profileId,
			);
		return json(200, {
			...paginate(items, query, {
				defaultPageSize: 250,
				sortable: ['created_at', 'connection_name', 'active'],
			}),
		});
	},
	create(ctx: RestContext, body: JsonObject): RestResult {
		requireString(body, 'connection_name');
		requireString(body, 'user_name');
		requireString(body, 'password');
		const id = numericId();
		const data = defaultConnection(id, ctx.now().toISOString());
		applyConnection(ctx, data, body, id);
		ctx.store.connections.set(id, { accountId: ctx.account.id, data });
		return json(201, { data });
	},
	retrieve(ctx: RestContext, id: string): RestResult {
		return json(200, { data: owned(ctx.store.connections, id, ctx.account).data });
	},
	update(ctx: RestContext, id: string, body: JsonObject): RestResult {
		const item = owned(ctx.store.connections, id, ctx.account);
		const next = structuredClone(item.data);
		if (ctx.nestedPatch === 'replace') {
			// Replace semantics: a nested object that is sent starts again from the defaults, so whatever it
			// leaves out is reset rather than kept.
			const defaults = defaultConnection(id, ctx.now().toISOString());
			for (const key of ['inbound', 'outbound']) {
				if (body[key] !== undefined && defaults[key] !== undefined) next[key] = defaults[key];
			}
		}
		applyConnection(ctx, next, body, id);
		next['updated_at'] = ctx.now().toISOString();
		item.data = next;
		return json(200, { data: next });
	},
	remove(ctx: RestContext, id: string): RestResult {
		const item = owned(ctx.store.connections, id, ctx.account);
		ctx.store.connections.delete(id);
		return json(200, { data: item.data });
	},
};

// ---------------------------------------------------------------------------------------------------------
// Outbound voice profiles

function withConnectionsCount(ctx: RestContext, profile: JsonObject): JsonObject {
	const count = ofAccount(ctx.store.connections, ctx.account).filter(
		(c) => (c.data['outbound'] as JsonObject)['outbound_voice_profile_id'] === profile['id'],
	).length;
	return { ...profile, connections_count: count };
}

function applyProfile(target: JsonObject, body: JsonObject): void {
	const name = optionalString(body, 'name');
	if (name !== undefined) {
		if (name.length < 3) throw invalidField('name', 'name must be at least 3 characters');
		target['name'] = name;
	}
	const destinations = stringArray(body['whitelisted_destinations'], 'whitelisted_destinations');
	if (destinations !== undefined) {
		const bad = destinations.find((code) => !/^[A-Z]{2}$/.test(code));
		if (bad !== undefined) {
			throw invalidField('whitelisted_destinations', `Invalid country code: ${bad}`);
		}
		target['whitelisted_destinations'] = destinations;
	}
	if (body['enabled'] !== undefined) {
		if (typeof body['enabled'] !== 'boolean')
			throw invalidField('enabled', 'enabled must be a boolean');
		target['enabled'] = body['enabled'];
	}
	for (const [field, allowed] of [
		['traffic_type', 'conversational'],
		['service_plan', 'global'],
		['usage_payment_method', 'rate-deck'],
	] as const) {
		const value = optionalString(body, field);
		if (value !== undefined && value !== allowed)
			throw invalidField(field, `Invalid ${field}: ${value}`);
	}
	const tags = stringArray(body['tags'], 'tags');
	if (tags !== undefined) target['tags'] = tags;
	const limit = integerIn(
		body['concurrent_call_limit'] ?? undefined,
		'concurrent_call_limit',
		1,
		100000,
	);
	if (limit !== undefined) target['concurrent_call_limit'] = limit;
	for (const field of ['daily_spend_limit', 'billing_group_id']) {
		const value = optionalString(body, field);
		if (value !== undefined) target[field] = value;
	}
	if (body['daily_spend_limit_enabled'] !== undefined) {
		target['daily_spend_limit_enabled'] = Boolean(body['daily_spend_limit_enabled']);
	}
	if (typeof body['max_destination_rate'] === 'number')
		target['max_destination_rate'] = body['max_destination_rate'];
}

export const outboundVoiceProfiles = {
	list(ctx: RestContext, query: URLSearchParams): RestResult {
		const contains = filtersOf(query).get('name][contains');
		const items = ofAccount(ctx.store.profiles, ctx.account)
			.map((p) => withConnectionsCount(ctx, p.data))
			.filter((p) => contains === undefined || text(p['name']).includes(contains));
		return json(200, {
			...paginate(items, query, {
				defaultPageSize: 20,
				sortable: [
					'enabled',
					'created_at',
					'name',
					'service_plan',
					'traffic_type',
					'usage_payment_method',
				],
			}),
		});
	},
	create(ctx: RestContext, body: JsonObject): RestResult {
		requireString(body, 'name');
		const now = ctx.now().toISOString();
		const id = numericId();
		const data: JsonObject = {
			id,
			record_type: 'outbound_voice_profile',
			name: '',
			traffic_type: 'conversational',
			service_plan: 'global',
			usage_payment_method: 'rate-deck',
			enabled: true,
			tags: [],
			whitelisted_destinations: ['US', 'CA'],
			concurrent_call_limit: null,
			// `daily_spend_limit` and `max_destination_rate` are absent until set: the spec types them as a
			// string and a number and documents no null.
			daily_spend_limit_enabled: false,
			billing_group_id: null,
			call_recording: {
				call_recording_type: 'none',
				call_recording_caller_phone_numbers: [],
				call_recording_channels: 'single',
				call_recording_format: 'wav',
			},
			created_at: now,
			updated_at: now,
		};
		applyProfile(data, body);
		ctx.store.profiles.set(id, { accountId: ctx.account.id, data });
		// Telnyx answers this create with 200, not 201.
		return json(200, { data: withConnectionsCount(ctx, data) });
	},
	retrieve(ctx: RestContext, id: string): RestResult {
		return json(200, {
			data: withConnectionsCount(ctx, owned(ctx.store.profiles, id, ctx.account).data),
		});
	},
	update(ctx: RestContext, id: string, body: JsonObject): RestResult {
		const item = owned(ctx.store.profiles, id, ctx.account);
		// PATCH requires `name` on Telnyx too.
		requireString(body, 'name');
		const next = structuredClone(item.data);
		applyProfile(next, body);
		next['updated_at'] = ctx.now().toISOString();
		item.data = next;
		return json(200, { data: withConnectionsCount(ctx, next) });
	},
	remove(ctx: RestContext, id: string): RestResult {
		const item = owned(ctx.store.profiles, id, ctx.account);
		if (Number(withConnectionsCount(ctx, item.data)['connections_count']) > 0) {
			throw new RestError(422, [
				telnyxError(
					'10021',
					'Resource in use',
					'The resource can not be removed as it is still in use.',
					'/',
				),
			]);
		}
		ctx.store.profiles.delete(id);
		return json(200, { data: item.data });
	},
};

// ---------------------------------------------------------------------------------------------------------
// Telephony credentials (on-demand credentials)

/** Telnyx's credential timestamps: no milliseconds, no zone (as in its own examples). */
function credentialTime(date: Date): string {
	return date.toISOString().slice(0, 19);
}

function isExpired(credential: CredentialRecord, now: Date): boolean {
	return credential.expires_at !== null && Date.parse(`${credential.expires_at}Z`) <= now.getTime();
}

function present(ctx: RestContext, item: Owned<CredentialRecord>): CredentialRecord {
	return { ...item.data, expired: isExpired(item.data, ctx.now()) };
}

function parseExpiry(body: JsonObject): string | undefined {
	const value = optionalString(body, 'expires_at');
	if (value === undefined) return undefined;
	const time = Date.parse(value);
	if (Number.isNaN(time))
		throw invalidField('expires_at', 'expires_at must be an ISO-8601 date and time');
	return credentialTime(new Date(time));
}

function credentialConnection(ctx: RestContext, connectionId: string): void {
	const connection = ctx.store.connections.get(connectionId);
	if (connection === undefined || connection.accountId !== ctx.account.id) {
		throw new RestError(422, [
			telnyxError(
				'10017',
				'Associated resource does not exist',
				'The connection does not exist.',
				'/connection_id',
			),
		]);
	}
}

export const telephonyCredentials = {
	list(ctx: RestContext, query: URLSearchParams): RestResult {
		const filters = filtersOf(query);
		const now = ctx.now();
		const items = ofAccount(ctx.store.credentials, ctx.account)
			.filter((c) => !filters.has('tag') || c.tag === filters.get('tag'))
			.filter((c) => !filters.has('name') || c.data.name === filters.get('name'))
			.filter(
				(c) => !filters.has('resource_id') || c.data.resource_id === filters.get('resource_id'),
			)
			.filter(
				(c) => !filters.has('sip_username') || c.data.sip_username === filters.get('sip_username'),
			)
			.filter((c) => {
				const status = filters.get('status');
				return status === undefined || (status === 'expired') === isExpired(c.data, now);
			})
			.map((c) => present(ctx, c));
		return json(200, { ...paginate(items, query, { defaultPageSize: 50 }) });
	},
	create(ctx: RestContext, body: JsonObject): RestResult {
		const connectionId = requireString(body, 'connection_id');
		credentialConnection(ctx, connectionId);
		const now = ctx.now();
		const expiresAt = parseExpiry(body);
		const data: CredentialRecord = {
			id: randomUUID(),
			record_type: 'credential',
			name: optionalString(body, 'name') ?? `${now.toISOString().replace('T', ' ').slice(0, 26)}Z`,
			expired: false,
			user_id: ctx.account.id,
			resource_id: `connection:${connectionId}`,
			sip_username: sipUsername(),
			sip_password: sipPassword(),
			created_at: credentialTime(now),
			updated_at: now.toISOString(),
			expires_at: expiresAt ?? null,
		};
		const item: Owned<CredentialRecord> = {
			accountId: ctx.account.id,
			data,
			tag: optionalString(body, 'tag') ?? null,
			createdAtMs: now.getTime(),
		};
		ctx.store.credentials.set(data.id, item);
		return json(201, { data: present(ctx, item) });
	},
	retrieve(ctx: RestContext, id: string): RestResult {
		return json(200, { data: present(ctx, owned(ctx.store.credentials, id, ctx.account)) });
	},
	update(ctx: RestContext, id: string, body: JsonObject): RestResult {
		const item = owned(ctx.store.credentials, id, ctx.account);
		if (isExpired(item.data, ctx.now())) {
			// Telnyx's own, non-standard envelope for this case.
			throw new RestError(
				422,
				[],
				{},
				{ errors: { status: "can't update credentials in expired status" } },
			);
		}
		const connectionId = optionalString(body, 'connection_id');
		if (connectionId !== undefined) credentialConnection(ctx, connectionId);
		const name = optionalString(body, 'name');
		const tag = optionalString(body, 'tag');
		const expiresAt = parseExpiry(body);
		item.data = {
			...item.data,
			...(name === undefined ? {} : { name }),
			...(connectionId === undefined ? {} : { resource_id: `connection:${connectionId}` }),
			...(expiresAt === undefined ? {} : { expires_at: expiresAt }),
			updated_at: ctx.now().toISOString(),
		};
		if (tag !== undefined) item.tag = tag;
		return json(200, { data: present(ctx, item) });
	},
	remove(ctx: RestContext, id: string): RestResult {
		const item = owned(ctx.store.credentials, id, ctx.account);
		ctx.store.credentials.delete(id);
		return json(200, { data: present(ctx, item) });
	},
	/** `POST /telephony_credentials/{id}/token`: 201 with the bare JWT as text/plain. */
	token(ctx: RestContext, id: string): RestResult {
		const item = owned(ctx.store.credentials, id, ctx.account);
		if (isExpired(item.data, ctx.now())) {
			throw invalidField('id', 'The credential has expired; create a new one.');
		}
		return {
			status: 201,
			body: ctx.mintToken(item.data),
			contentType: 'text/plain; charset=utf-8',
		};
	},
};

// ---------------------------------------------------------------------------------------------------------
// Phone numbers (list only: the app offers the account's numbers as caller IDs)

export const phoneNumbers = {
	list(ctx: RestContext, query: URLSearchParams): RestResult {
		const filters = filtersOf(query);
		const digits = filters.get('phone_number')?.replace(/\D/g, '');
		const items = ofAccount(ctx.store.phoneNumbers, ctx.account)
			.map((n) => n.data)
			.filter(
				(n) =>
					digits === undefined ||
					(digits.length >= 3 && n.phone_number.replace(/\D/g, '').includes(digits)),
			)
			.filter((n) => !filters.has('status') || n.status === filters.get('status'))
			.filter(
				(n) => !filters.has('connection_id') || n.connection_id === filters.get('connection_id'),
			)
			.filter((n) => !filters.has('tag') || n.tags.includes(filters.get('tag') ?? ''))
			.filter((n) => {
				const countries = filters.get('country_iso_alpha2')?.split(',');
				return countries === undefined || countries.includes(n.country_iso_alpha2);
			});
		return json(200, {
			...paginate(items, query, {
				defaultPageSize: 20,
				sortable: ['purchased_at', 'phone_number', 'connection_name'],
			}),
		});
	},
};
