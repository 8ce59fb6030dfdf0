/**
 * Everything the app does with the user's Telnyx account, as operations that answer `Result`s with sentences:
 * the API key (verified with Telnyx, then kept by the vault), provisioning, the login token, the caller ID,
 * the directory of installations, signing out and removing what the app created.
 *
 * A REST client is made per operation from exactly the key and the endpoint the vault hands out together, read
 * once (never the key from one read and the endpoint from another); the key never leaves this process and is
 * never logged.
 */
import type Telnyx from 'telnyx';
import type {
	AccountResources,
	CallerId,
	CleanupItem,
	EventMap,
	Installation,
	KeyError,
	KeyStatus,
	LoginToken,
	PhoneNumber,
	ProvisionOptions,
	Provisioned,
	ProvisioningProgress,
	ProvisioningStep,
	Result,
	Settings,
	SettingsError,
	TelnyxFailure,
} from '../../preload/contract';
import type { Logger } from '../logger';
import { type ApiKeyVault, checkApiKeyShape } from '../secrets/api-key-vault';
import type { SecretStore } from '../secrets/secret-store';
import { type SettingsStore, checkCallerId } from '../settings/settings-file';
import { serial } from '../storage/serial';
import { Directory, type DirectorySnapshots } from './directory';
import { Provisioner, ProvisioningStop, countriesOfNumbers, sameCountries } from './provisioning';
import { RecentSearch } from './recent-search';
import { describeFailure } from './telnyx-client';
import {
	APP_RESOURCE_NAME,
	APP_TAG,
	type ConnectionInfo,
	type ProfileInfo,
	TelnyxApi,
} from './telnyx-api';
import { TokenManager } from './token-manager';

export interface AccountDeps {
	readonly settings: SettingsStore;
	readonly vault: ApiKeyVault;
	readonly secrets: SecretStore;
	readonly deviceName: string;
	/** Makes the REST client for a key and base URL (see telnyx-client.ts). */
	readonly clientFor: (apiKey: string, baseURL: string) => Telnyx;
	/** The per-request deadline, for messages. */
	readonly timeoutSeconds: number;
	readonly sleep: (ms: number) => Promise<void>;
	readonly emit: <E extends keyof EventMap>(event: E, ...payload: EventMap[E]) => void;
	readonly logger: Logger;
	readonly now?: () => number;
	/** Uniform in [0, 1): the directory's jitter (tests pass their own). */
	readonly random?: () => number;
	/** Keeps the directory's page across restarts (`directory-file.ts`); none: memory only. */
	readonly directorySnapshots?: DirectorySnapshots;
}

const failure = (
	code: TelnyxFailure['code'],
	message: string,
): { ok: false; error: TelnyxFailure } => ({
	ok: false,
	error: { code, message },
});

export class TelnyxAccount {
	readonly tokens: TokenManager;
	/** The directory of installations: cached, and rate-limited here whatever the page asks. */
	readonly directory: Directory;
	readonly #deps: AccountDeps;
	/** Operations that change the account run one at a time (a double click provisions once). */
	readonly #serial = serial();
	/** The provisioning step in progress, so a wait for Telnyx (429, 5xx backoff) is shown against it. */
	#runningStep: ProvisioningStep | null = null;
	/** The key check's search for the app's connections, for the provisioning run that follows it. */
	readonly #recentSearch: RecentSearch;
	/**
	 * The app's profile, created by a run in this process with the fallback countries: it takes the
	 * account's numbers' countries when the numbers are next listed (see `ProvisionOutcome`). Kept in memory
	 * only: the caller-ID step lists the numbers right after provisioning, so a restart in between is the
	 * one case left with the fallback (the user can still choose countries in the set-up options).
	 */
	#countriesFromNumbers: ProfileInfo | null = null;
	/**
	 * Counts provisioning runs. A countries change is queued behind whatever is queued already, so a run
	 * queued before it may have given the profile other countries (the user's choice): the change is dropped
	 * when a run started after it was queued.
	 */
	#provisionRuns = 0;

	constructor(deps: AccountDeps) {
		this.#deps = deps;
		this.#recentSearch = new RecentSearch(deps.now);
		this.tokens = new TokenManager({
			secrets: deps.secrets,
			account: () => `login-token:${new URL(deps.vault.restBaseUrl).origin}`,
			credentialId: () => deps.settings.get().provisioned?.credentialId ?? null,
			mint: async (credentialId) => (await this.#apiOrThrow()).createToken(credentialId),
			recreateCredential: () => this.#recreateCredential(),
			describe: (error) => this.#describe(error),
			onRenewed: (token) => deps.emit('telnyx:loginToken', token),
			onWarning: (warning) => deps.emit('telnyx:tokenWarning', warning),
			onNotice: (message) => deps.emit('account:notice', message),
			logger: deps.logger,
			...(deps.now === undefined ? {} : { now: deps.now }),
		});
		this.directory = new Directory({
			api: () => this.#apiOrThrow(),
			describe: (error) => this.#describe(error),
			selfId: () => deps.settings.get().provisioned?.credentialId ?? null,
			now: deps.now ?? Date.now,
			random: deps.random ?? Math.random,
			...(deps.directorySnapshots === undefined ? {} : { snapshots: deps.directorySnapshots }),
		});
	}

	keyStatus(): Promise<KeyStatus> {
		return this.#deps.vault.status();
	}

	/**
	 * Checks the key's shape, verifies it with Telnyx, then keeps it. A rejected key is never stored. The
	 * check is the search provisioning starts with (the app's connections, by name), so a run that follows
	 * at once starts from its answer (see recent-search.ts).
	 */
	setApiKey(raw: string): Promise<Result<KeyStatus, KeyError>> {
		return this.#serial(async () => {
			const shape = checkApiKeyShape(raw);
			if (!shape.ok) return { ok: false, error: { code: 'INVALID_KEY', message: shape.message } };
			// Verified with the endpoint the vault will store it for: one source for both.
			const baseUrl = this.#deps.vault.restBaseUrl;
			let searched: ConnectionInfo[];
			try {
				searched = await this.#apiFor({ key: shape.key, baseUrl }).listConnections(
					APP_RESOURCE_NAME,
				);
			} catch (error) {
				return { ok: false, error: this.#describe(error) };
			}
			const status = await this.#deps.vault.save(shape.key);
			this.#recentSearch.keep(shape.key, baseUrl, searched);
			this.#deps.logger.info('apiKey.saved', {
				persisted: status.persisted,
				keychain: status.keychain,
			});
			// Another key may be another account: its directory starts afresh.
			this.directory.reset();
			this.#deps.emit('credentials:changed', status);
			return { ok: true, value: status };
		});
	}

	clearApiKey(): Promise<KeyStatus> {
		return this.#serial(async () => {
			this.#recentSearch.forget();
			const status = await this.#deps.vault.forget();
			this.directory.reset();
			this.#deps.emit('credentials:changed', status);
			return status;
		});
	}

	provision(options: ProvisionOptions): Promise<Result<Provisioned, TelnyxFailure>> {
		return this.#serial(() =>
			this.#withApi(async (api, credentials) => {
				// Taken before anything can fail, so a failed run leaves nothing for the next one to reuse.
				const searched = this.#recentSearch.take(credentials.key, credentials.baseUrl);
				// This run decides the profile's countries anew (a run that fails decides nothing to settle).
				this.#provisionRuns += 1;
				this.#countriesFromNumbers = null;
				// Persist the settings (and so this installation's id, which names its credential) before
				// creating anything, so an interrupted run finds its credential again instead of making another.
				const ready = await this.#deps.settings.save();
				if (!ready.ok) return failure('UNEXPECTED', ready.error.message);
				const outcome = await this.#provisioner(api).run(options, searched);
				const { provisioned } = outcome;
				this.#countriesFromNumbers = outcome.countriesFromNumbers;
				const saved = await this.#deps.settings.setProvisioned(provisioned);
				if (!saved.ok) return failure('UNEXPECTED', saved.error.message);
				this.#progress({ step: 'token', status: 'running', detail: 'Getting a login token' });
				const token = await this.tokens.get();
				if (!token.ok) {
					this.#progress({ step: 'token', status: 'failed', detail: token.error.message });
					return token;
				}
				this.#progress({ step: 'token', status: 'done', detail: 'Ready to register' });
				return { ok: true, value: provisioned };
			}),
		);
	}

	listResources(): Promise<Result<AccountResources, TelnyxFailure>> {
		return this.#withApi(async (api) => {
			const [connections, profiles] = await Promise.all([
				api.listConnections(),
				api.listProfiles(),
			]);
			const resource = (r: { id: string; name: string; tags: readonly string[] }) => ({
				id: r.id,
				name: r.name,
				ownedByApp: r.tags.includes(APP_TAG),
			});
			return {
				ok: true,
				value: { connections: connections.map(resource), profiles: profiles.map(resource) },
			};
		});
	}

	loginToken(): Promise<Result<LoginToken, TelnyxFailure>> {
		return this.tokens.get();
	}

	listPhoneNumbers(): Promise<Result<readonly PhoneNumber[], TelnyxFailure>> {
		return this.#withApi(async (api) => {
			const numbers = await api.listPhoneNumbers();
			this.#settleCountries(api, numbers);
			return { ok: true, value: numbers };
		});
	}

	/** Sets the caller ID once the number is known to be one of the account's own. */
	setCallerId(callerId: CallerId): Promise<Result<Settings, SettingsError | TelnyxFailure>> {
		const problem = checkCallerId(callerId);
		if (problem !== null) return Promise.resolve({ ok: false, error: problem });
		if (callerId.number === null) return this.#deps.settings.setCallerId(callerId);
		return this.#withApi(async (api) => {
			const numbers = await api.listPhoneNumbers();
			this.#settleCountries(api, numbers);
			if (!numbers.some((n) => n.number === callerId.number)) {
				return {
					ok: false,
					error: {
						code: 'INVALID_SETTING',
						field: 'callerId.number',
						message:
							'That number is not on your Telnyx account. Choose one of the account’s numbers.',
					},
				};
			}
			return this.#deps.settings.setCallerId(callerId);
		});
	}

	/**
	 * The account's installations of the app (device name and SIP user name only; never a password), from
	 * main's cache: the directory decides whether this reaches Telnyx (see `directory-policy.ts`).
	 */
	listInstallations(): Promise<Result<readonly Installation[], TelnyxFailure>> {
		return this.directory.list();
	}

	/** The installations the directory holds now, without asking Telnyx (empty before its first answer). */
	heldInstallations(): readonly Installation[] {
		return this.directory.held();
	}

	/** The directory after looking for `query` (an exact SIP user name or name), if the budget allows. */
	searchInstallations(query: string): Promise<Result<readonly Installation[], TelnyxFailure>> {
		return this.directory.search(query);
	}

	/** Deletes this installation's credential and forgets its token (and the key, if asked). */
	signOut(forgetApiKey: boolean): Promise<Result<KeyStatus, TelnyxFailure>> {
		return this.#serial(async () => {
			const provisioned = this.#deps.settings.get().provisioned;
			if (provisioned !== null) {
				const deleted = await this.#withApi<undefined, never>(async (api) => {
					await api.deleteCredential(provisioned.credentialId);
					return { ok: true, value: undefined };
				});
				// Without a key there is nothing to delete with; signing out still forgets everything here.
				if (!deleted.ok && deleted.error.code !== 'NO_API_KEY') return deleted;
			}
			await this.tokens.forget();
			await this.#deps.settings.setProvisioned(null);
			const status = forgetApiKey
				? await this.#deps.vault.forget()
				: await this.#deps.vault.status();
			this.directory.reset();
			this.#deps.emit('credentials:changed', status);
			return { ok: true, value: status };
		});
	}

	/** Everything carrying the app's tag: its credentials (every installation's), connections and profiles. */
	previewCleanup(): Promise<Result<readonly CleanupItem[], TelnyxFailure>> {
		return this.#withApi(async (api) => ({ ok: true, value: await this.#taggedItems(api) }));
	}

	/** Deletes the listed items that still carry the app's tag: credentials, then connections, then profiles. */
	cleanup(items: readonly CleanupItem[]): Promise<Result<readonly CleanupItem[], TelnyxFailure>> {
		return this.#serial(() =>
			this.#withApi(async (api) => {
				const tagged = new Set(
					(await this.#taggedItems(api)).map((item) => `${item.kind}:${item.id}`),
				);
				const order: CleanupItem['kind'][] = ['credential', 'connection', 'profile'];
				const deleted: CleanupItem[] = [];
				for (const kind of order) {
					for (const item of items.filter(
						(i) => i.kind === kind && tagged.has(`${i.kind}:${i.id}`),
					)) {
						const remove = {
							credential: (id: string) => api.deleteCredential(id),
							connection: (id: string) => api.deleteConnection(id),
							profile: (id: string) => api.deleteProfile(id),
						}[kind];
						await remove(item.id);
						deleted.push(item);
					}
				}
				const provisioned = this.#deps.settings.get().provisioned;
				const gone = (kind: CleanupItem['kind'], id: string | undefined) =>
					deleted.some((d) => d.kind === kind && d.id === id);
				if (
					provisioned !== null &&
					(gone('credential', provisioned.credentialId) ||
						gone('connection', provisioned.connectionId))
				) {
					await this.tokens.forget();
					await this.#deps.settings.setProvisioned(null);
				}
				// The directory lists credentials this may have deleted.
				if (deleted.some((d) => d.kind === 'credential')) this.directory.reset();
				return { ok: true, value: deleted };
			}),
		);
	}

	dispose(): void {
		this.tokens.stop();
	}

	async #taggedItems(api: TelnyxApi): Promise<CleanupItem[]> {
		const [credentials, connections, profiles] = await Promise.all([
			api.listCredentials({ tag: APP_TAG }),
			api.listConnections(),
			api.listProfiles(),
		]);
		return [
			...credentials.map((c) => ({ kind: 'credential' as const, id: c.id, name: c.name })),
			...connections
				.filter((c) => c.tags.includes(APP_TAG))
				.map((c) => ({ kind: 'connection' as const, id: c.id, name: c.name })),
			...profiles
				.filter((p) => p.tags.includes(APP_TAG))
				.map((p) => ({ kind: 'profile' as const, id: p.id, name: p.name })),
		];
	}

	#provisioner(api: TelnyxApi): Provisioner {
		return new Provisioner({
			api,
			settings: () => this.#deps.settings.get(),
			deviceName: this.#deps.deviceName,
			progress: (progress) => this.#progress(progress),
		});
	}

	/**
	 * Gives the profile a run created with the fallback countries the countries of the account's numbers,
	 * now that they were listed for something else (no list of its own). In the background, one at a time
	 * with the other changes to the account; a failure is logged and tried again at the next listing.
	 */
	#settleCountries(api: TelnyxApi, numbers: readonly PhoneNumber[]): void {
		const profile = this.#countriesFromNumbers;
		if (profile === null) return;
		this.#countriesFromNumbers = null;
		const countries = countriesOfNumbers(numbers);
		if (countries === null || sameCountries(countries, profile.whitelisted)) return;
		const queuedAt = this.#provisionRuns;
		const stillWanted = () =>
			queuedAt === this.#provisionRuns &&
			this.#deps.settings.get().provisioned?.profileId === profile.id;
		if (!stillWanted()) return;
		void this.#serial(async () => {
			// Checked again when it runs: a run, sign-out or clean-up queued before it may have changed the
			// profile or the settings since (a run given the user's countries must keep them).
			if (!stillWanted()) return;
			try {
				// Telnyx requires the name on every PATCH of a profile.
				await api.updateProfile(profile.id, {
					name: profile.name,
					whitelisted_destinations: countries,
				});
				this.#deps.logger.info('telnyx.profileCountries', { countries: countries.join(',') });
			} catch (error) {
				this.#countriesFromNumbers ??= profile;
				this.#deps.logger.warn('telnyx.profileCountriesFailed', {
					code: this.#describe(error).code,
				});
			}
		});
	}

	async #recreateCredential(): Promise<string> {
		const provisioned = this.#deps.settings.get().provisioned;
		if (provisioned === null)
			throw new ProvisioningStop('NOT_FOUND', 'Set up the Telnyx account first.');
		const credential = await this.#provisioner(await this.#apiOrThrow()).recreateCredential(
			provisioned.connectionId,
		);
		await this.#deps.settings.setProvisioned({
			...provisioned,
			credentialId: credential.id,
			sipUsername: credential.sipUsername,
		});
		return credential.id;
	}

	/** The REST client for a key and the endpoint it belongs to, both given: nothing here reads either again. */
	#apiFor({ key, baseUrl }: { readonly key: string; readonly baseUrl: string }): TelnyxApi {
		return new TelnyxApi({
			client: this.#deps.clientFor(key, baseUrl),
			sleep: this.#deps.sleep,
			onWait: (seconds, reason) => {
				this.#deps.logger.warn('telnyx.retrying', { seconds, reason });
				const step = this.#runningStep;
				if (step === null) return;
				const why =
					reason === 'rate-limited' ? 'Telnyx is limiting requests' : 'Telnyx had a problem';
				this.#progress({
					step,
					status: 'waiting',
					detail: `${why}; retrying in ${Math.ceil(seconds)} s`,
				});
			},
		});
	}

	#progress(progress: ProvisioningProgress): void {
		this.#runningStep =
			progress.status === 'running' || progress.status === 'waiting' ? progress.step : null;
		this.#deps.emit('provisioning:progress', progress);
	}

	async #apiOrThrow(): Promise<TelnyxApi> {
		const credentials = await this.#deps.vault.credentials();
		if (credentials === null)
			throw new ProvisioningStop('NO_API_KEY', 'Enter your Telnyx API key first.');
		return this.#apiFor(credentials);
	}

	/** Runs an operation with a REST client for the stored key; every failure becomes a sentence. */
	async #withApi<T, E>(
		work: (
			api: TelnyxApi,
			credentials: { readonly key: string; readonly baseUrl: string },
		) => Promise<Result<T, E>>,
	): Promise<Result<T, E | TelnyxFailure>> {
		const credentials = await this.#deps.vault.credentials();
		if (credentials === null) {
			const status = await this.#deps.vault.status();
			return failure('NO_API_KEY', status.warning ?? 'Enter your Telnyx API key first.');
		}
		try {
			return await work(this.#apiFor(credentials), credentials);
		} catch (error) {
			return { ok: false, error: this.#describe(error) };
		}
	}

	#describe(error: unknown): TelnyxFailure {
		if (error instanceof ProvisioningStop) return { code: error.code, message: error.message };
		const described = describeFailure(error, this.#deps.timeoutSeconds);
		if (described.code === 'UNEXPECTED')
			this.#deps.logger.error('telnyx.unexpected', { error: String(error) });
		return described;
	}
}
