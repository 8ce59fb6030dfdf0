/**
 * The Telnyx REST calls the app makes, over the official library, with the app's retry policy and with
 * every answer checked against the shape the app relies on (a 200 with the wrong shape is an error, not a
 * crash later). Returns plain objects named for what the app needs.
 */
import type Telnyx from 'telnyx';
import { APIError } from 'telnyx';
import { z } from 'zod';
import type { PhoneNumber } from '../../preload/contract';
import { withRetry } from './retry';
import { UnexpectedAnswerError } from './telnyx-client';

/** Tag on everything the app creates; the directory and the cleanup find the app's resources by it. */
export const APP_TAG = 'telnyx-softphone';
/** Name of the connection and outbound voice profile the app creates. */
export const APP_RESOURCE_NAME = 'Telnyx Softphone';

export interface ConnectionInfo {
	readonly id: string;
	readonly name: string;
	readonly tags: readonly string[];
	readonly codecs: readonly string[];
	readonly sipUriCallingPreference: string | null;
	readonly outboundVoiceProfileId: string | null;
	readonly createdAt: string;
	/**
	 * The connection's whole `inbound` and `outbound` objects as Telnyx sent them (every field, known to the
	 * app or not), so a change can send each object back complete: see `wholeNested`.
	 */
	readonly inbound: NestedSettings;
	readonly outbound: NestedSettings;
}

/** One of a connection's nested settings objects (`inbound`, `outbound`), as Telnyx sent it. */
export type NestedSettings = Readonly<Record<string, unknown>>;

/**
 * A connection's nested object with the app's changes applied, to send whole in a PATCH. Whether Telnyx
 * merges a partial `inbound`/`outbound` into the stored one or replaces it (resetting every field left out)
 * is not documented; sending the complete object gives the same result either way, so a user's timeouts and
 * number formats survive the app fixing the codecs.
 *
 * Fields Telnyx answered as null are left out: the spec does not accept null for the ones it answers null
 * (`channel_limit`, `outbound_voice_profile_id`), and their documented default is null, so leaving them out
 * keeps them null under either semantics.
 */
export function wholeNested(current: NestedSettings, changes: NestedSettings): NestedSettings {
	const whole: Record<string, unknown> = {};
	for (const [key, value] of Object.entries({ ...current, ...changes })) {
		if (value !== null && value !== undefined) whole[key] = value;
	}
	return whole;
}

export interface ProfileInfo {
	readonly id: string;
	readonly name: string;
	readonly tags: readonly string[];
	readonly whitelisted: readonly string[];
	readonly createdAt: string;
}

export interface CredentialInfo {
	readonly id: string;
	readonly name: string;
	readonly sipUsername: string;
	readonly expired: boolean;
	readonly connectionId: string;
	readonly createdAt: string;
}

const id = z.union([z.string().min(1), z.number()]).transform(String);
const connectionSchema = z.object({
	id,
	connection_name: z.string().nullish(),
	tags: z.array(z.string()).nullish(),
	sip_uri_calling_preference: z.string().nullish(),
	created_at: z.string().nullish(),
	// `looseObject` keeps every field the app does not read: they are sent back whole (`wholeNested`).
	inbound: z.looseObject({ codecs: z.array(z.string()).nullish() }).nullish(),
	outbound: z.looseObject({ outbound_voice_profile_id: id.nullish() }).nullish(),
});
const profileSchema = z.object({
	id,
	name: z.string().nullish(),
	tags: z.array(z.string()).nullish(),
	whitelisted_destinations: z.array(z.string()).nullish(),
	created_at: z.string().nullish(),
});
const credentialSchema = z.object({
	id,
	name: z.string().nullish(),
	sip_username: z.string().min(1),
	expired: z.union([z.boolean(), z.string()]).nullish(),
	resource_id: z.string().nullish(),
	created_at: z.string().nullish(),
});
const phoneNumberSchema = z.object({
	phone_number: z.string(),
	country_iso_alpha2: z.string().nullish(),
});
const pageMeta = z
	.object({
		page_number: z.number().optional(),
		total_pages: z.number().optional(),
		total_results: z.number().optional(),
	})
	.nullish();
/**
 * One page of a list, checked on the raw body: the library turns an answer without `data` (or any non-JSON
 * 200, such as a proxy's page) into an empty page, which would read as "nothing there" and lead to a create.
 */
const listPage = z.object({ data: z.array(z.unknown()), meta: z.unknown() });

/** What a list request returns before the library parses it (every `list()` is one). */
interface RawList {
	asResponse(): Promise<Response>;
}

function parseItem<T>(schema: z.ZodType<T>, item: unknown): T {
	const parsed = schema.safeParse(item);
	if (!parsed.success)
		throw new UnexpectedAnswerError('Telnyx sent a list the app does not understand.');
	return parsed.data;
}

function one<T>(schema: z.ZodType<T>, body: unknown): T {
	const parsed = z.object({ data: schema }).safeParse(body);
	if (!parsed.success)
		throw new UnexpectedAnswerError('Telnyx sent an answer the app does not understand.');
	return parsed.data.data;
}

const toConnection = (c: z.infer<typeof connectionSchema>): ConnectionInfo => ({
	id: c.id,
	name: c.connection_name ?? '',
	tags: c.tags ?? [],
	codecs: c.inbound?.codecs ?? [],
	sipUriCallingPreference: c.sip_uri_calling_preference ?? null,
	outboundVoiceProfileId: c.outbound?.outbound_voice_profile_id ?? null,
	createdAt: c.created_at ?? '',
	inbound: { ...c.inbound },
	outbound: { ...c.outbound },
});

const toProfile = (p: z.infer<typeof profileSchema>): ProfileInfo => ({
	id: p.id,
	name: p.name ?? '',
	tags: p.tags ?? [],
	whitelisted: p.whitelisted_destinations ?? [],
	createdAt: p.created_at ?? '',
});

const toCredential = (c: z.infer<typeof credentialSchema>): CredentialInfo => ({
	id: c.id,
	name: c.name ?? '',
	sipUsername: c.sip_username,
	expired: c.expired === true || c.expired === 'true',
	connectionId: (c.resource_id ?? '').replace(/^connection:/, ''),
	createdAt: c.created_at ?? '',
});

const isNotFound = (error: unknown) => error instanceof APIError && error.status === 404;

export interface TelnyxApiOptions {
	readonly client: Telnyx;
	readonly sleep: (ms: number) => Promise<void>;
	readonly onWait?: (seconds: number, reason: 'rate-limited' | 'server-error') => void;
}

const MAX_PAGES = 20;
const PAGE_SIZE = 250;

export class TelnyxApi {
	readonly #client: Telnyx;
	readonly #sleep: (ms: number) => Promise<void>;
	readonly #onWait: TelnyxApiOptions['onWait'];

	constructor({ client, sleep, onWait }: TelnyxApiOptions) {
		this.#client = client;
		this.#sleep = sleep;
		this.#onWait = onWait;
	}

	// -- connections -------------------------------------------------------------------------------------

	/**
	 * The connections (all, or those whose name contains `nameContains`, matched by Telnyx without regard to
	 * case). Also the key check: an authenticated read that proves the key can manage connections.
	 */
	async listConnections(nameContains?: string): Promise<ConnectionInfo[]> {
		const filter =
			nameContains === undefined ? {} : { filter: { connection_name: { contains: nameContains } } };
		return (
			await this.#pages((page) => this.#client.credentialConnections.list({ ...filter, ...page }))
		).map((item) => toConnection(parseItem(connectionSchema, item)));
	}

	async getConnection(connectionId: string): Promise<ConnectionInfo | null> {
		return this.#orNull(async () =>
			toConnection(
				one(
					connectionSchema,
					await this.#read(() => this.#client.credentialConnections.retrieve(connectionId)),
				),
			),
		);
	}

	async createConnection(body: Telnyx.CredentialConnectionCreateParams): Promise<ConnectionInfo> {
		return toConnection(
			one(
				connectionSchema,
				await this.#create(() => this.#client.credentialConnections.create(body)),
			),
		);
	}

	async updateConnection(
		connectionId: string,
		body: Telnyx.CredentialConnectionUpdateParams,
	): Promise<ConnectionInfo> {
		return toConnection(
			one(
				connectionSchema,
				await this.#read(() => this.#client.credentialConnections.update(connectionId, body)),
			),
		);
	}

	async deleteConnection(connectionId: string): Promise<boolean> {
		return this.#deleted(() => this.#client.credentialConnections.delete(connectionId));
	}

	// -- outbound voice profiles -------------------------------------------------------------------------

	async listProfiles(nameContains?: string): Promise<ProfileInfo[]> {
		const filter =
			nameContains === undefined ? {} : { filter: { name: { contains: nameContains } } };
		return (
			await this.#pages((page) => this.#client.outboundVoiceProfiles.list({ ...filter, ...page }))
		).map((item) => toProfile(parseItem(profileSchema, item)));
	}

	async getProfile(profileId: string): Promise<ProfileInfo | null> {
		return this.#orNull(async () =>
			toProfile(
				one(
					profileSchema,
					await this.#read(() => this.#client.outboundVoiceProfiles.retrieve(profileId)),
				),
			),
		);
	}

	async createProfile(body: Telnyx.OutboundVoiceProfileCreateParams): Promise<ProfileInfo> {
		return toProfile(
			one(profileSchema, await this.#create(() => this.#client.outboundVoiceProfiles.create(body))),
		);
	}

	async updateProfile(
		profileId: string,
		body: Telnyx.OutboundVoiceProfileUpdateParams,
	): Promise<ProfileInfo> {
		return toProfile(
			one(
				profileSchema,
				await this.#read(() => this.#client.outboundVoiceProfiles.update(profileId, body)),
			),
		);
	}

	async deleteProfile(profileId: string): Promise<boolean> {
		return this.#deleted(() => this.#client.outboundVoiceProfiles.delete(profileId));
	}

	// -- telephony credentials ---------------------------------------------------------------------------

	async listCredentials(filter: { tag?: string; name?: string }): Promise<CredentialInfo[]> {
		return (
			await this.#pages((page) => this.#client.telephonyCredentials.list({ filter, ...page }))
		).map((item) => toCredential(parseItem(credentialSchema, item)));
	}

	/**
	 * One page of credentials (the first), and how many match in all (`meta.total_results`; the page's own
	 * length when Telnyx leaves it out). The spec has only exact filters for this list and no sort.
	 */
	async credentialPage(
		filter: { tag?: string; name?: string; sip_username?: string },
		size: number,
	): Promise<{ credentials: CredentialInfo[]; total: number }> {
		const page = await this.#page(() =>
			this.#client.telephonyCredentials.list({ filter, 'page[number]': 1, 'page[size]': size }),
		);
		const meta = pageMeta.safeParse(page.meta);
		return {
			credentials: page.data.map((item) => toCredential(parseItem(credentialSchema, item))),
			total: (meta.success ? meta.data?.total_results : undefined) ?? page.data.length,
		};
	}

	async getCredential(credentialId: string): Promise<CredentialInfo | null> {
		return this.#orNull(async () =>
			toCredential(
				one(
					credentialSchema,
					await this.#read(() => this.#client.telephonyCredentials.retrieve(credentialId)),
				),
			),
		);
	}

	async createCredential(body: Telnyx.TelephonyCredentialCreateParams): Promise<CredentialInfo> {
		return toCredential(
			one(
				credentialSchema,
				await this.#create(() => this.#client.telephonyCredentials.create(body)),
			),
		);
	}

	async deleteCredential(credentialId: string): Promise<boolean> {
		return this.#deleted(() => this.#client.telephonyCredentials.delete(credentialId));
	}

	/** A login JWT for the credential (24 h, or until the credential expires). */
	async createToken(credentialId: string): Promise<string> {
		const token: unknown = await this.#read(() =>
			this.#client.telephonyCredentials.createToken(credentialId),
		);
		if (typeof token !== 'string' || token.split('.').length !== 3) {
			throw new UnexpectedAnswerError('Telnyx sent a login token the app does not understand.');
		}
		return token.trim();
	}

	// -- phone numbers -----------------------------------------------------------------------------------

	async listPhoneNumbers(): Promise<PhoneNumber[]> {
		return (await this.#pages((page) => this.#client.phoneNumbers.list({ ...page }))).map(
			(item) => {
				const n = parseItem(phoneNumberSchema, item);
				return { number: n.phone_number, country: n.country_iso_alpha2 ?? '' };
			},
		);
	}

	// -- plumbing ----------------------------------------------------------------------------------------

	/** A request that may be repeated (reads, same-body updates, token mints). */
	#read<T>(request: () => PromiseLike<T>): Promise<T> {
		return withRetry(() => Promise.resolve(request()), this.#retryOptions(true));
	}

	/** A create: repeated only after a 429 (not processed); any other failure goes back to the caller. */
	#create<T>(request: () => PromiseLike<T>): Promise<T> {
		return withRetry(() => Promise.resolve(request()), this.#retryOptions(false));
	}

	#retryOptions(idempotent: boolean) {
		return {
			idempotent,
			sleep: this.#sleep,
			...(this.#onWait === undefined ? {} : { onWait: this.#onWait }),
		};
	}

	async #orNull<T>(load: () => Promise<T>): Promise<T | null> {
		try {
			return await load();
		} catch (error) {
			if (isNotFound(error)) return null;
			throw error;
		}
	}

	/** Deletes; a 404 (already gone, perhaps by an earlier attempt) counts as done. */
	async #deleted(request: () => PromiseLike<unknown>): Promise<boolean> {
		try {
			await this.#read(request);
			return true;
		} catch (error) {
			if (isNotFound(error)) return false;
			throw error;
		}
	}

	/** One page of a list, its shape checked; a body that is not a list page is an error. */
	async #page(load: () => RawList): Promise<z.infer<typeof listPage>> {
		const body: unknown = await this.#read(async () => (await load().asResponse()).json());
		const page = listPage.safeParse(body);
		if (!page.success)
			throw new UnexpectedAnswerError('Telnyx sent a list the app does not understand.');
		return page.data;
	}

	/** Every item of a paginated list (bounded), one page request at a time. */
	async #pages(
		load: (page: { 'page[number]': number; 'page[size]': number }) => RawList,
	): Promise<unknown[]> {
		const items: unknown[] = [];
		for (let number = 1; number <= MAX_PAGES; number += 1) {
			const page = await this.#page(() =>
				load({ 'page[number]': number, 'page[size]': PAGE_SIZE }),
			);
			items.push(...page.data);
			const meta = pageMeta.safeParse(page.meta);
			const total = meta.success ? meta.data?.total_pages : undefined;
			if (page.data.length === 0 || total === undefined || number >= total) break;
		}
		return items;
	}
}
