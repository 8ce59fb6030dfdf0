/**
 * One-click provisioning: the four portal steps of Telnyx's WebRTC quick start, done by the app and safe to
 * repeat, in as few REST requests as the account allows (six from a fresh key to a login token).
 *
 * 1. check the key — with the first read the run needs anyway (the search for the app's connection, or the
 *    connection the settings name), never a read of its own;
 * 2. find or create the app's credential connection — VP8 and H.264 among its codecs, SIP URI calling limited
 *    to the account (`internal`) so installations can call each other — or use one the user chose (changed
 *    only with their consent);
 * 3. find or create the app's outbound voice profile (or use the user's). A connection that is found names
 *    its profile (`outbound.outbound_voice_profile_id`); when the connection has to be created, the profile
 *    is settled first and the connection is created with it, so no PATCH follows;
 * 4. find or create this installation's telephony credential, named after the device. On a connection this
 *    run created there is nothing to find, so it is created at once.
 *
 * Every step first looks for what exists (by the id in the settings, then by name and the app's tag, with
 * one filtered list) and adopts it, so a re-run makes no create. A create is made once: if it fails or
 * times out, the step lists again and adopts what the failed request may have created — a crash, a timeout
 * or a 500-after-create leaves exactly one of each resource. A connection adopted that way may be one
 * another installation created at the same moment with its own profile: the run then uses that profile, as
 * for a connection found (the one it created is left unused). The profile is created before the connection,
 * so a run that ends between the two leaves a profile without a connection: the next run finds it by its
 * name and tag before it creates anything.
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
}

/** What a run provisioned, and what is left to settle once the account's numbers are listed. */
export interface ProvisionOutcome {
	readonly provisioned: Provisioned;
	/**
	 * The app's profile when this run created it with the fallback countries (no countries chosen, no caller
	 * ID yet): the account's numbers' countries replace them when the numbers are next listed (the caller-ID
	 * step lists them anyway), so the run itself never lists numbers.
	 */
	readonly countriesFromNumbers: ProfileInfo | null;
}

/** Countries a profile is created with when nothing better is known yet: Telnyx's home market. */
export const FALLBACK_COUNTRIES = ['US'] as const;
/** At most this many of the account's numbers' countries become the default destinations. */
const MAX_DEFAULT_COUNTRIES = 5;

/**
 * The destination countries of the account's numbers (two-letter codes, each once, in the order listed),
 * or null when no number names one.
 */
export function countriesOfNumbers(
	numbers: readonly { readonly country: string }[],
): string[] | null {
	const countries = [...new Set(numbers.map((n) => n.country))].filter((c) => /^[A-Z]{2}$/.test(c));
	return countries.length > 0 ? countries.slice(0, MAX_DEFAULT_COUNTRIES) : null;
}

/** Whether two lists of countries hold the same codes (order aside). */
export function sameCountries(a: readonly string[], b: readonly string[]): boolean {
	return a.length === b.length && a.every((c) => b.includes(c));
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

/** What the first read of a run found: the connection to use, or that the app's own must be created. */
type ConnectionLookup =
	| { readonly kind: 'chosen'; readonly connection: ConnectionInfo | null }
	| { readonly kind: 'found'; readonly connection: ConnectionInfo; readonly how: string }
	| { readonly kind: 'missing' };

export class Provisioner {
	readonly #deps: ProvisionerDeps;

	constructor(deps: ProvisionerDeps) {
		this.#deps = deps;
	}

	/**
	 * Runs every step; throws what a step could not get past (the caller maps it to words). `searched` is
	 * the answer of the search for the app's connections that checked the key a moment ago, when there is
	 * one: the run then starts from it instead of asking again.
	 */
	async run(
		options: ProvisionOptions,
		searched?: readonly ConnectionInfo[],
	): Promise<ProvisionOutcome> {
		let lookup!: ConnectionLookup;
		await this.#step('verify', 'Checking the API key', async () => {
			lookup = await this.#lookUpConnection(options, searched);
			return 'Telnyx accepted the API key';
		});
		let connection!: ConnectionInfo;
		let profile!: SettledProfile;
		let connectionIsNew = false;
		if (lookup.kind === 'missing') {
			// Profile first, so the connection is created with it in one request.
			await this.#step('profile', 'Looking for the outbound voice profile', async () => {
				profile = await this.#ensureProfile(options, null);
				return profile.detail;
			});
			await this.#step('connection', 'Creating the connection', async () => {
				connection = await this.#createConnection(profile.id);
				// Made by this run or by another installation at the same moment: no credential of ours on it.
				connectionIsNew = true;
				if (connection.outboundVoiceProfileId === profile.id)
					return `Created the connection “${connection.name}”`;
				// The create failed and another installation's connection, made at the same moment with its own
				// profile, was adopted: the profile it names is the one to use, as for a connection found.
				[connection, profile] = await this.#adoptedConnectionProfile(connection, options);
				return `Found the connection “${connection.name}” another installation had just created`;
			});
		} else {
			const found = lookup;
			await this.#step('connection', 'Looking for the connection', async () => {
				const [used, how] = await this.#useConnection(found, options);
				connection = used;
				return `${how} the connection “${used.name}”`;
			});
			await this.#step('profile', 'Looking for the outbound voice profile', async () => {
				[connection, profile] = await this.#attachProfile(connection, options);
				return profile.detail;
			});
		}
		let credential!: CredentialInfo;
		await this.#step('credential', 'Looking for this computer’s credential', async () => {
			const [found, how] = await this.#ensureCredential(connection, connectionIsNew);
			credential = found;
			return `${how} the credential “${found.name}”`;
		});
		return {
			provisioned: {
				connectionId: connection.id,
				profileId: profile.id,
				credentialId: credential.id,
				sipUsername: credential.sipUsername,
				deviceName: deviceOf(credential.name),
			},
			countriesFromNumbers: profile.countriesFromNumbers,
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
		return (await this.#ensureCredential(connection, false))[0];
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

	/**
	 * The run's first read, which is also its key check: the connection the user chose, else the one the
	 * settings name, else the search for the app's own (or the search that checked the key just before).
	 */
	async #lookUpConnection(
		options: ProvisionOptions,
		searched: readonly ConnectionInfo[] | undefined,
	): Promise<ConnectionLookup> {
		const { api } = this.#deps;
		if (options.connectionId !== undefined) {
			return { kind: 'chosen', connection: await api.getConnection(options.connectionId) };
		}
		const knownId = this.#deps.settings().provisioned?.connectionId;
		if (knownId !== undefined) {
			const known = await api.getConnection(knownId);
			if (known !== null) return { kind: 'found', connection: known, how: 'Using' };
		}
		const own = ownConnection(searched ?? (await api.listConnections(APP_RESOURCE_NAME)));
		return own === null ? { kind: 'missing' } : { kind: 'found', connection: own, how: 'Found' };
	}

	/** The connection found or chosen, brought to what the app needs (with consent for the user's own). */
	async #useConnection(
		lookup: Exclude<ConnectionLookup, { kind: 'missing' }>,
		options: ProvisionOptions,
	): Promise<[ConnectionInfo, string]> {
		if (lookup.kind === 'found') return [await this.#fixConnection(lookup.connection), lookup.how];
		const chosen = lookup.connection;
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

	async #findOwnConnection(): Promise<ConnectionInfo | null> {
		return ownConnection(await this.#deps.api.listConnections(APP_RESOURCE_NAME));
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

	/** Creates the app's connection with its outbound voice profile already attached (one request). */
	async #createConnection(profileId: string): Promise<ConnectionInfo> {
		for (let attempt = 0; attempt < 3; attempt += 1) {
			const body: Telnyx.CredentialConnectionCreateParams = {
				connection_name: APP_RESOURCE_NAME,
				user_name: connectionUserName(),
				// Only on-demand credentials log in; this password is never used, so it is never kept.
				password: randomBytes(24).toString('base64url'),
				sip_uri_calling_preference: 'internal',
				inbound: { codecs: APP_CODECS },
				outbound: { outbound_voice_profile_id: profileId },
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

	/** The profile for a connection that exists, attached to it when the connection names another one. */
	async #attachProfile(
		connection: ConnectionInfo,
		options: ProvisionOptions,
	): Promise<[ConnectionInfo, SettledProfile]> {
		const profile = await this.#ensureProfile(options, connection);
		if (connection.outboundVoiceProfileId === profile.id) return [connection, profile];
		// The whole `outbound` object, from the connection the last answer holds (no extra read).
		const attached = await this.#deps.api.updateConnection(connection.id, {
			outbound: wholeNested(connection.outbound, { outbound_voice_profile_id: profile.id }),
		});
		return [attached, profile];
	}

	/**
	 * The profile for a connection adopted after a failed create that names another profile than the one
	 * this run settled on. With no choice of the user's to apply, the id the connection names is all the run
	 * needs: no request (its countries are the other installation's to settle). Otherwise, as for a
	 * connection found: the chosen profile or countries are applied, which reads the profile anyway.
	 */
	async #adoptedConnectionProfile(
		connection: ConnectionInfo,
		options: ProvisionOptions,
	): Promise<[ConnectionInfo, SettledProfile]> {
		const named = connection.outboundVoiceProfileId;
		if (
			named !== null &&
			options.profileId === undefined &&
			options.allowedCountries === undefined
		) {
			return [
				connection,
				{
					id: named,
					detail: 'Using the outbound voice profile the connection names',
					countriesFromNumbers: null,
				},
			];
		}
		return this.#attachProfile(connection, options);
	}

	/**
	 * The profile to use: the user's choice, else the one the connection names, else the one the settings
	 * name, else the app's own found by name and tag, else a new one. `connection` is null when the
	 * connection is still to be created.
	 */
	async #ensureProfile(
		options: ProvisionOptions,
		connection: ConnectionInfo | null,
	): Promise<SettledProfile> {
		const { api } = this.#deps;
		if (options.profileId !== undefined) {
			const chosen = await api.getProfile(options.profileId);
			if (chosen === null) {
				throw new ProvisioningStop(
					'NOT_FOUND',
					'The outbound voice profile you chose is no longer on the account. Choose another one.',
				);
			}
			return settled(chosen, 'Using');
		}
		// A profile already attached (by an earlier run, or by the user in the portal) is kept.
		const tried = new Set<string>();
		for (const id of [
			connection?.outboundVoiceProfileId,
			this.#deps.settings().provisioned?.profileId,
		]) {
			if (id === undefined || id === null || tried.has(id)) continue;
			tried.add(id);
			const attached = await api.getProfile(id);
			if (attached !== null) return settled(await this.#applyCountries(attached, options), 'Using');
		}
		const existing = await this.#findOwnProfile();
		if (existing !== null) return settled(await this.#applyCountries(existing, options), 'Found');
		const callerIdCountry = this.#callerIdCountry();
		const countries =
			options.allowedCountries ?? (callerIdCountry === null ? null : [callerIdCountry]);
		try {
			const created = await api.createProfile({
				name: APP_RESOURCE_NAME,
				tags: [APP_TAG],
				whitelisted_destinations: [...(countries ?? FALLBACK_COUNTRIES)],
			});
			return settled(created, 'Created', countries === null);
		} catch (error) {
			return settled(await this.#reconcile(error, () => this.#findOwnProfile()), 'Found');
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
		if (sameCountries(wanted, profile.whitelisted)) return profile;
		// Telnyx requires the name on every PATCH of a profile.
		return this.#deps.api.updateProfile(profile.id, {
			name: profile.name,
			whitelisted_destinations: [...wanted],
		});
	}

	/** The caller ID number's country, when one is set (the default destination of a new profile). */
	#callerIdCountry(): string | null {
		const number = this.#deps.settings().callerId.number;
		return (number === null ? undefined : parsePhoneNumberFromString(number)?.country) ?? null;
	}

	// -- credential --------------------------------------------------------------------------------------

	/** `connectionIsNew`: the connection was created by this run, so no credential can be on it yet. */
	async #ensureCredential(
		connection: ConnectionInfo,
		connectionIsNew: boolean,
	): Promise<[CredentialInfo, string]> {
		const { api } = this.#deps;
		const knownId = this.#deps.settings().provisioned?.credentialId;
		if (!connectionIsNew) {
			if (knownId !== undefined) {
				const known = await api.getCredential(knownId);
				if (known !== null && !known.expired && known.connectionId === connection.id)
					return [known, 'Using'];
			}
			const existing = await this.#findOwnCredential(connection);
			if (existing !== null) return [existing, 'Found'];
		}
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

/** A profile the run settled on, with its progress sentence. */
interface SettledProfile {
	readonly id: string;
	readonly detail: string;
	/** The profile, when it was created with the fallback countries, to take the account's numbers' ones. */
	readonly countriesFromNumbers: ProfileInfo | null;
}

function settled(profile: ProfileInfo, how: string, countriesFromNumbers = false): SettledProfile {
	return {
		id: profile.id,
		detail: `${how} the outbound voice profile “${profile.name}” (${profile.whitelisted.join(', ') || 'no countries'})`,
		countriesFromNumbers: countriesFromNumbers ? profile : null,
	};
}

/** The app's own connection among those listed: tagged by the app, the oldest if there are several. */
export function ownConnection(connections: readonly ConnectionInfo[]): ConnectionInfo | null {
	return oldestFirst(connections.filter((c) => owned(c.tags)))[0] ?? null;
}
