/**
 * One-click provisioning: the four portal steps of Telnyx's WebRTC quick start, done by the app and safe to
 * repeat.
 *
 * 1. verify the key (a cheap authenticated read);
 * 2. find or create the app's credential connection — VP8 and H.264 among its codecs, SIP URI calling limited
 *    to the account (`internal`) so installations can call each other — or use one the user chose (changed
 *    only with their consent);
 * 3. find or create the app's outbound voice profile (or use the user's) and attach it to the connection;
 * 4. find or create this installation's telephony credential, named after the device.
 *
 * Every step first looks for what exists (by the id in the settings, then by name and the app's tag) and
 * adopts it, so a re-run makes no create. A create is made once: if it fails or times out, the step lists
 * again and adopts what the failed request may have created — a crash, a timeout or a 500-after-create
 * leaves exactly one of each resource.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type Telnyx from 'telnyx';
import { APIError } from 'telnyx';
import type {
	ProvisionOptions,
	Provisioned,
	ProvisioningProgress,
	ProvisioningStep,
	Settings,
} from '../../preload/contract';
import {
	APP_RESOURCE_NAME,
	APP_TAG,
	type ConnectionInfo,
	type CredentialInfo,
	type ProfileInfo,
	type TelnyxApi,
	wholeNested,
} from './telnyx-api';

/** Codecs the app's connection must accept for video calls (Telnyx's quick start enables VP8 by hand). */
export const VIDEO_CODECS = ['VP8', 'H.264'] as const;
const APP_CODECS = ['OPUS', 'G722', 'G711U', 'G711A', ...VIDEO_CODECS];

/** A step that cannot go on without the user: the message says what to do. */
export class ProvisioningStop extends Error {
	constructor(
		readonly code: 'NEEDS_CONSENT' | 'NOT_FOUND' | 'NO_API_KEY',
		message: string,
	) {
		super(message);
	}
}

export interface ProvisionerDeps {
	readonly api: TelnyxApi;
	readonly settings: () => Settings;
	readonly deviceName: string;
	readonly progress: (progress: ProvisioningProgress) => void;
	/** The numbers on the account, for the default destination country. */
	readonly accountCountries?: () => Promise<string[]>;
}

/** A 4xx that proves the request was refused, so nothing was created (408 and 409 prove nothing). */
const isClientRefusal = (error: unknown) => {
	const status = error instanceof APIError ? (error as APIError).status : undefined;
	return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 409;
};

const owned = (tags: readonly string[]) => tags.includes(APP_TAG);
const oldestFirst = <T extends { createdAt: string }>(items: T[]) =>
	[...items].sort((a, b) => a.createdAt.localeCompare(b.createdAt));

/** A SIP user name Telnyx accepts: 4–32 alphanumerics with a letter among the first five. */
function connectionUserName(): string {
	const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
	return `softphone${Array.from({ length: 12 }, () => alphabet[randomInt(0, alphabet.length)]).join('')}`;
}

/** What an existing connection lacks for the app's calls, in words (empty when nothing). */
export function connectionChanges(connection: ConnectionInfo): string[] {
	const changes: string[] = [];
	const missing = VIDEO_CODECS.filter((codec) => !connection.codecs.includes(codec));
	if (missing.length > 0)
		changes.push(`enable the ${missing.join(' and ')} video codec${missing.length > 1 ? 's' : ''}`);
	if (
		connection.sipUriCallingPreference !== 'internal' &&
		connection.sipUriCallingPreference !== 'unrestricted'
	) {
		changes.push('allow SIP URI calls from this account, so installations can call each other');
	}
	return changes;
}

/** The name of this installation's credential: the device, plus a short id that tells installations apart. */
export function credentialName(deviceName: string, installId: string): string {
	const device =
		deviceName
			.replace(/[^\p{L}\p{N} ._-]/gu, '')
			.trim()
			.slice(0, 48) || 'Computer';
	return `${device} (${installId.slice(0, 8)})`;
}

/** The device part of a credential name made by `credentialName`. */
export function deviceOf(name: string): string {
	return name.replace(/ \([a-f0-9]{8}\)$/, '');
}

export class Provisioner {
	readonly #deps: ProvisionerDeps;

	constructor(deps: ProvisionerDeps) {
		this.#deps = deps;
	}

	/** Runs every step; throws what a step could not get past (the caller maps it to words). */
	async run(options: ProvisionOptions): Promise<Provisioned> {
		await this.#step('verify', 'Checking the API key', async () => {
			await this.#deps.api.verify();
			return 'Telnyx accepted the API key';
		});
		let connection!: ConnectionInfo;
		await this.#step('connection', 'Looking for the connection', async () => {
			const [found, how] = await this.#ensureConnection(options);
			connection = found;
			return `${how} the connection “${found.name}”`;
		});
		let profile!: ProfileInfo;
		await this.#step('profile', 'Looking for the outbound voice profile', async () => {
			const [found, how] = await this.#ensureProfile(options, connection);
			profile = found;
			if (connection.outboundVoiceProfileId !== found.id) {
				// The whole `outbound` object, from the connection the last answer holds (no extra read).
				connection = await this.#deps.api.updateConnection(connection.id, {
					outbound: wholeNested(connection.outbound, { outbound_voice_profile_id: found.id }),
				});
			}
			return `${how} the outbound voice profile “${found.name}” (${found.whitelisted.join(', ') || 'no countries'})`;
		});
		let credential!: CredentialInfo;
		await this.#step('credential', 'Looking for this computer’s credential', async () => {
			const [found, how] = await this.#ensureCredential(connection);
			credential = found;
			return `${how} the credential “${found.name}”`;
		});
		return {
			connectionId: connection.id,
			profileId: profile.id,
			credentialId: credential.id,
			sipUsername: credential.sipUsername,
			deviceName: deviceOf(credential.name),
		};
	}

	/** Finds (never creates) this installation's credential again, or creates it: after it was deleted elsewhere. */
	async recreateCredential(connectionId: string): Promise<CredentialInfo> {
		const connection = await this.#deps.api.getConnection(connectionId);
		if (connection === null) {
			throw new ProvisioningStop(
				'NOT_FOUND',
				'The app’s connection is gone from the Telnyx account. Set the account up again.',
			);
		}
		return (await this.#ensureCredential(connection))[0];
	}

	async #step(step: ProvisioningStep, running: string, work: () => Promise<string>): Promise<void> {
		this.#deps.progress({ step, status: 'running', detail: running });
		try {
			this.#deps.progress({ step, status: 'done', detail: await work() });
		} catch (error) {
			this.#deps.progress({ step, status: 'failed', detail: running });
			throw error;
		}
	}

	// -- connection --------------------------------------------------------------------------------------

	async #ensureConnection(options: ProvisionOptions): Promise<[ConnectionInfo, string]> {
		const { api } = this.#deps;
		if (options.connectionId !== undefined) {
			const chosen = await api.getConnection(options.connectionId);
			if (chosen === null) {
				throw new ProvisioningStop(
					'NOT_FOUND',
					'The connection you chose is no longer on the account. Choose another one.',
				);
			}
			const changes = connectionChanges(chosen);
			if (changes.length > 0 && !owned(chosen.tags) && options.allowConnectionUpdate !== true) {
				throw new ProvisioningStop(
					'NEEDS_CONSENT',
					`To use “${chosen.name}” the app needs to ${changes.join(' and ')}. Allow the change, or let the app create its own connection.`,
				);
			}
			return [await this.#fixConnection(chosen), 'Using'];
		}
		const knownId = this.#deps.settings().provisioned?.connectionId;
		if (knownId !== undefined) {
			const known = await api.getConnection(knownId);
			if (known !== null) return [await this.#fixConnection(known), 'Using'];
		}
		const existing = await this.#findOwnConnection();
		if (existing !== null) return [await this.#fixConnection(existing), 'Found'];
		return [await this.#createConnection(), 'Created'];
	}

	async #findOwnConnection(): Promise<ConnectionInfo | null> {
		const candidates = (await this.#deps.api.listConnections(APP_RESOURCE_NAME)).filter((c) =>
			owned(c.tags),
		);
		return oldestFirst(candidates)[0] ?? null;
	}

	/** Brings a connection to what the app needs (codecs, SIP URI calling); no request when it already is. */
	async #fixConnection(connection: ConnectionInfo): Promise<ConnectionInfo> {
		if (connectionChanges(connection).length === 0) return connection;
		const codecs = [
			...connection.codecs,
			...VIDEO_CODECS.filter((c) => !connection.codecs.includes(c)),
		];
		const preference =
			connection.sipUriCallingPreference === 'unrestricted'
				? 'unrestricted'
				: ('internal' as const);
		// The whole `inbound` object as just read, so replace and merge semantics agree (see `wholeNested`).
		return this.#deps.api.updateConnection(connection.id, {
			inbound: wholeNested(connection.inbound, { codecs }),
			sip_uri_calling_preference: preference,
		});
	}

	async #createConnection(): Promise<ConnectionInfo> {
		for (let attempt = 0; attempt < 3; attempt += 1) {
			const body: Telnyx.CredentialConnectionCreateParams = {
				connection_name: APP_RESOURCE_NAME,
				user_name: connectionUserName(),
				// Only on-demand credentials log in; this password is never used, so it is never kept.
				password: randomBytes(24).toString('base64url'),
				sip_uri_calling_preference: 'internal',
				inbound: { codecs: APP_CODECS },
				tags: [APP_TAG],
			};
			try {
				return await this.#deps.api.createConnection(body);
			} catch (error) {
				// The SIP user name is global across Telnyx: a taken one was not created, so try another.
				if (
					error instanceof APIError &&
					error.status === 422 &&
					/taken/i.test(JSON.stringify(error.error))
				)
					continue;
				return this.#reconcile(error, () => this.#findOwnConnection());
			}
		}
		throw new ProvisioningStop(
			'NOT_FOUND',
			'Telnyx kept refusing the connection’s user name. Try again.',
		);
	}

	// -- outbound voice profile --------------------------------------------------------------------------

	async #ensureProfile(
		options: ProvisionOptions,
		connection: ConnectionInfo,
	): Promise<[ProfileInfo, string]> {
		const { api } = this.#deps;
		if (options.profileId !== undefined) {
			const chosen = await api.getProfile(options.profileId);
			if (chosen === null) {
				throw new ProvisioningStop(
					'NOT_FOUND',
					'The outbound voice profile you chose is no longer on the account. Choose another one.',
				);
			}
			return [chosen, 'Using'];
		}
		// A profile already attached (by an earlier run, or by the user in the portal) is kept.
		const attachedId =
			connection.outboundVoiceProfileId ?? this.#deps.settings().provisioned?.profileId;
		if (attachedId !== undefined && attachedId !== null) {
			const attached = await api.getProfile(attachedId);
			if (attached !== null) return [await this.#applyCountries(attached, options), 'Using'];
		}
		const existing = await this.#findOwnProfile();
		if (existing !== null) return [await this.#applyCountries(existing, options), 'Found'];
		const countries = options.allowedCountries ?? (await this.#defaultCountries());
		try {
			return [
				await api.createProfile({
					name: APP_RESOURCE_NAME,
					tags: [APP_TAG],
					whitelisted_destinations: [...countries],
				}),
				'Created',
			];
		} catch (error) {
			return [await this.#reconcile(error, () => this.#findOwnProfile()), 'Found'];
		}
	}

	async #findOwnProfile(): Promise<ProfileInfo | null> {
		const candidates = (await this.#deps.api.listProfiles(APP_RESOURCE_NAME)).filter((p) =>
			owned(p.tags),
		);
		return oldestFirst(candidates)[0] ?? null;
	}

	/** Changes the destination countries of the app's own profile when the user chose new ones. */
	async #applyCountries(profile: ProfileInfo, options: ProvisionOptions): Promise<ProfileInfo> {
		const wanted = options.allowedCountries;
		if (wanted === undefined || !owned(profile.tags)) return profile;
		const same =
			wanted.length === profile.whitelisted.length &&
			wanted.every((c) => profile.whitelisted.includes(c));
		if (same) return profile;
		// Telnyx requires the name on every PATCH of a profile.
		return this.#deps.api.updateProfile(profile.id, {
			name: profile.name,
			whitelisted_destinations: [...wanted],
		});
	}

	/** The caller ID number's country, else the account's numbers' countries, else the US. */
	async #defaultCountries(): Promise<string[]> {
		const number = this.#deps.settings().callerId.number;
		const country = number === null ? undefined : parsePhoneNumberFromString(number)?.country;
		if (country !== undefined) return [country];
		const fromAccount = [...new Set((await this.#deps.accountCountries?.()) ?? [])].filter((c) =>
			/^[A-Z]{2}$/.test(c),
		);
		return fromAccount.length > 0 ? fromAccount.slice(0, 5) : ['US'];
	}

	// -- credential --------------------------------------------------------------------------------------

	async #ensureCredential(connection: ConnectionInfo): Promise<[CredentialInfo, string]> {
		const { api } = this.#deps;
		const knownId = this.#deps.settings().provisioned?.credentialId;
		if (knownId !== undefined) {
			const known = await api.getCredential(knownId);
			if (known !== null && !known.expired && known.connectionId === connection.id)
				return [known, 'Using'];
		}
		const existing = await this.#findOwnCredential(connection);
		if (existing !== null) return [existing, 'Found'];
		const name = credentialName(this.#deps.deviceName, this.#deps.settings().installId);
		try {
			const created = await api.createCredential({
				connection_id: connection.id,
				name,
				tag: APP_TAG,
			});
			return [
				created,
				knownId === undefined ? 'Created' : 'Re-created (it was deleted on the account)',
			];
		} catch (error) {
			return [await this.#reconcile(error, () => this.#findOwnCredential(connection)), 'Found'];
		}
	}

	async #findOwnCredential(connection: ConnectionInfo): Promise<CredentialInfo | null> {
		const name = credentialName(this.#deps.deviceName, this.#deps.settings().installId);
		const candidates = (await this.#deps.api.listCredentials({ tag: APP_TAG, name })).filter(
			(c) => !c.expired && c.connectionId === connection.id,
		);
		return oldestFirst(candidates)[0] ?? null;
	}

	/**
	 * After a create failed (or timed out), adopts what it may have created after all; when nothing was
	 * created, the original failure stands. An error that proves nothing was created is rethrown at once.
	 */
	async #reconcile<T>(error: unknown, find: () => Promise<T | null>): Promise<T> {
		if (isClientRefusal(error)) throw error;
		let found: T | null;
		try {
			found = await find();
		} catch {
			throw error;
		}
		if (found === null) throw error;
		return found;
	}
}
