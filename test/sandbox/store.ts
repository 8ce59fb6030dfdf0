/**
 * The sandbox's accounts and resources, in memory. Objects are kept in the shape Telnyx's REST API v2
 * returns them (its `data` objects, with `record_type`), with the owning account beside them.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

export interface Account {
	/** The account's `user_id` (a UUID on Telnyx). */
	readonly id: string;
	readonly apiKey: string;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A resource as Telnyx returns it, plus the account that owns it. */
export interface Owned<T extends JsonObject = JsonObject> {
	readonly accountId: string;
	data: T;
	/**
	 * A telephony credential's `tag`: filterable (`filter[tag]`) but not part of the object Telnyx returns,
	 * so clients must find their credentials by filtering, as they would on Telnyx.
	 */
	tag?: string | null;
	/**
	 * When the sandbox created it (ms since the epoch): a credential's `created_at` has whole seconds only,
	 * too coarse for the login propagation delay.
	 */
	createdAtMs?: number;
}

export interface CredentialRecord extends JsonObject {
	id: string;
	record_type: 'credential';
	name: string;
	expired: boolean;
	user_id: string;
	resource_id: string;
	sip_username: string;
	sip_password: string;
	created_at: string;
	updated_at: string;
	expires_at: string | null;
}

/** A number on an account, with the PSTN phone that answers it in the sandbox (if any). */
export interface PhoneNumberRecord extends JsonObject {
	id: string;
	record_type: 'phone_number';
	phone_number: string;
	status: string;
	country_iso_alpha2: string;
	connection_id: string | null;
	connection_name: string | null;
	tags: string[];
}

/** Telnyx's 19-digit numeric string ids (int64) for connections and profiles. */
export function numericId(): string {
	return `${randomInt(1, 9)}${Array.from({ length: 18 }, () => randomInt(0, 10)).join('')}`;
}

export function sipUsername(): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	return `gencred${Array.from({ length: 22 }, () => alphabet[randomInt(0, alphabet.length)]).join('')}`;
}

export function sipPassword(): string {
	return randomBytes(16).toString('hex');
}

export function sandboxApiKey(): string {
	return `KEYSANDBOX${randomBytes(24).toString('hex').toUpperCase()}`;
}

export class SandboxStore {
	readonly accounts = new Map<string, Account>();
	readonly connections = new Map<string, Owned>();
	readonly profiles = new Map<string, Owned>();
	readonly credentials = new Map<string, Owned<CredentialRecord>>();
	readonly phoneNumbers = new Map<string, Owned<PhoneNumberRecord>>();

	createAccount(apiKey = sandboxApiKey()): Account {
		const account = { id: randomUUID(), apiKey };
		this.accounts.set(apiKey, account);
		return account;
	}

	accountByKey(apiKey: string): Account | undefined {
		return this.accounts.get(apiKey);
	}

	accountById(id: string): Account | undefined {
		return [...this.accounts.values()].find((account) => account.id === id);
	}

	credentialBySipUsername(username: string): Owned<CredentialRecord> | undefined {
		return [...this.credentials.values()].find((c) => c.data.sip_username === username);
	}

	/** The connection a credential belongs to (`resource_id` is `connection:<id>`). */
	connectionOfCredential(credential: CredentialRecord): Owned | undefined {
		return this.connections.get(credential.resource_id.replace(/^connection:/, ''));
	}

	phoneNumber(e164: string): Owned<PhoneNumberRecord> | undefined {
		return [...this.phoneNumbers.values()].find((n) => n.data.phone_number === e164);
	}

	addPhoneNumber(
		accountId: string,
		e164: string,
		country: string,
		now: string,
	): Owned<PhoneNumberRecord> {
		const record: Owned<PhoneNumberRecord> = {
			accountId,
			data: {
				id: numericId(),
				record_type: 'phone_number',
				phone_number: e164,
				status: 'active',
				country_iso_alpha2: country,
				connection_id: null,
				connection_name: null,
				tags: [],
				external_pin: null,
				customer_reference: null,
				billing_group_id: null,
				messaging_profile_id: null,
				emergency_enabled: false,
				call_forwarding_enabled: true,
				cnam_listing_enabled: false,
				caller_id_name_enabled: false,
				call_recording_enabled: false,
				t38_fax_gateway_enabled: false,
				deletion_lock_enabled: false,
				phone_number_type: 'local',
				source_type: 'number_order',
				purchased_at: now,
				activated_at: now,
				created_at: now,
				updated_at: now,
			},
		};
		this.phoneNumbers.set(record.data.id, record);
		return record;
	}

	/**
	 * Adds `count` telephony credentials to an account at once, as `count` installations of the app would
	 * have made them (name `Desk 0001 (1a2b3c4d)`, the app's `tag`), each created a second apart so the list's
	 * default order is fixed. They belong to `connectionId` (the account's first connection when left out, or
	 * a made-up id: enough for the directory, which only lists them). Answers them, newest first.
	 */
	seedCredentials(
		accountId: string,
		count: number,
		options: { readonly tag: string | null; readonly connectionId?: string; readonly now: Date },
	): CredentialRecord[] {
		const existing = [...this.connections.values()].find((c) => c.accountId === accountId)?.data[
			'id'
		];
		const connectionId =
			options.connectionId ?? (typeof existing === 'string' ? existing : numericId());
		const seeded: CredentialRecord[] = [];
		for (let i = 0; i < count; i += 1) {
			const created = new Date(options.now.getTime() - (count - i) * 1000);
			const time = created.toISOString();
			const data: CredentialRecord = {
				id: randomUUID(),
				record_type: 'credential',
				name: `Desk ${String(i + 1).padStart(4, '0')} (${randomBytes(4).toString('hex')})`,
				expired: false,
				user_id: accountId,
				resource_id: `connection:${connectionId}`,
				sip_username: sipUsername(),
				sip_password: sipPassword(),
				// Telnyx's credential timestamps: whole seconds, no zone.
				created_at: time.slice(0, 19),
				updated_at: time,
				expires_at: null,
			};
			this.credentials.set(data.id, {
				accountId,
				data,
				tag: options.tag,
				createdAtMs: created.getTime(),
			});
			seeded.push(data);
		}
		return seeded.reverse();
	}

	clear(): void {
		this.accounts.clear();
		this.connections.clear();
		this.profiles.clear();
		this.credentials.clear();
		this.phoneNumbers.clear();
	}
}
