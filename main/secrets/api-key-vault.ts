/**
 * Where the Telnyx API key lives: the OS keychain, or — only when no keychain can take it — this process's
 * memory until the app quits, with a warning saying why and how to fix it. Never a file.
 *
 * The key is stored per REST endpoint (the keychain account names the API's origin), and the vault is made
 * for one endpoint, the installation profile's: a key is only ever handed out together with the endpoint it
 * was stored for ({@link ApiKeyVault.credentials}), so no later change anywhere can send it to another host.
 */
import type { KeyStatus, KeychainState } from '../../preload/contract';
import type { SecretStore } from './secret-store';

export type KeyShape =
	{ readonly ok: true; readonly key: string } | { readonly ok: false; readonly message: string };

const MIN_KEY_LENGTH = 20;
const MAX_KEY_LENGTH = 256;

/** Trims a pasted key and checks it could be one; the message never repeats the input. */
export function checkApiKeyShape(raw: string): KeyShape {
	const key = raw.trim();
	if (key === '') return { ok: false, message: 'Paste your Telnyx API key.' };
	if (/\s/.test(key)) {
		return {
			ok: false,
			message:
				'The key contains spaces or line breaks. Copy it again from the Telnyx portal (Auth → API Keys).',
		};
	}
	if (key.length < MIN_KEY_LENGTH || key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
		return {
			ok: false,
			message:
				'That does not look like a Telnyx API key. Copy the whole key from the Telnyx portal (Auth → API Keys).',
		};
	}
	return { ok: true, key };
}

/** Why a key could not be saved to the keychain, and what to do, per platform and state. */
export function keychainWarning(
	state: Exclude<KeychainState, 'ok'>,
	platform: string,
	keyInMemory: boolean,
): string {
	const lost = keyInMemory
		? 'The API key is kept only until you quit the app'
		: 'The app cannot read a saved API key';
	if (platform === 'linux') {
		switch (state) {
			case 'locked':
				return `${lost}: your keyring is locked. Unlock your login keyring (GNOME Keyring or KWallet), then enter the key again.`;
			case 'unavailable':
				return `${lost}: no keyring service is running. Install and start a Secret Service such as GNOME Keyring (package gnome-keyring) or KWallet, then enter the key again.`;
			case 'timeout':
				return `${lost}: the keyring service did not answer. Restart it (or log out and in again), then enter the key again.`;
		}
	}
	const store = platform === 'darwin' ? 'Keychain' : 'Windows Credential Manager';
	return state === 'timeout'
		? `${lost}: the ${store} did not answer. Try again in a moment.`
		: `${lost}: the ${store} refused to store it. Check that it is unlocked, then enter the key again.`;
}

export interface ApiKeyVaultOptions {
	readonly secrets: SecretStore;
	/** The REST base URL the key is for: the installation profile's, fixed for the run. */
	readonly restBaseUrl: string;
	readonly platform: string;
}

export class ApiKeyVault {
	readonly #secrets: SecretStore;
	readonly #restBaseUrl: string;
	readonly #platform: string;
	/** A key the keychain could not take, for this run only. */
	#memory: string | null = null;
	/** Every key this process has held, so the logger can redact them wherever they might appear. */
	readonly #seen = new Set<string>();

	constructor({ secrets, restBaseUrl, platform }: ApiKeyVaultOptions) {
		this.#secrets = secrets;
		this.#restBaseUrl = restBaseUrl;
		this.#platform = platform;
	}

	/** The REST base URL this vault's key is for. */
	get restBaseUrl(): string {
		return this.#restBaseUrl;
	}

	/** The keychain account of the key for this installation's REST endpoint. */
	get account(): string {
		return `api-key:${new URL(this.#restBaseUrl).origin}`;
	}

	/**
	 * The key and the REST base URL it was stored for, read together: an operation builds its REST client
	 * from exactly this pair. Null when there is no key (or the keychain cannot say).
	 */
	async credentials(): Promise<{ readonly key: string; readonly baseUrl: string } | null> {
		const key = await this.get();
		return key === null ? null : { key, baseUrl: this.#restBaseUrl };
	}

	/** The key, for main's own use only; null when there is none (or the keychain cannot say). */
	async get(): Promise<string | null> {
		if (this.#memory !== null) return this.#memory;
		const read = await this.#secrets.get(this.account);
		if (read.state !== 'ok' || read.value === null) return null;
		this.#seen.add(read.value);
		return read.value;
	}

	/** Keys held during this run, for the logger's redaction. */
	secretsToRedact(): string[] {
		return [...this.#seen];
	}

	async status(): Promise<KeyStatus> {
		const account = this.account;
		const remembered = this.#memory;
		if (remembered !== null) {
			// The keychain may have come back (unlocked, started): move the key there now.
			const state = await this.#secrets.probe();
			return state === 'ok' ? this.save(remembered) : this.#describe(true, state, false);
		}
		const read = await this.#secrets.get(account);
		if (read.state === 'ok') return this.#describe(read.value !== null, 'ok', read.value !== null);
		return this.#describe(false, read.state, false);
	}

	/** Keeps a key that Telnyx accepted: in the keychain (written and read back), else in memory. */
	async save(key: string): Promise<KeyStatus> {
		this.#seen.add(key);
		const account = this.account;
		const state = await this.#secrets.set(account, key);
		if (state === 'ok') {
			this.#memory = null;
			return this.#describe(true, 'ok', true);
		}
		this.#memory = key;
		return this.#describe(true, state, false);
	}

	/** Forgets the key, in memory and in the keychain. */
	async forget(): Promise<KeyStatus> {
		this.#memory = null;
		const state = await this.#secrets.delete(this.account);
		if (state === 'ok') return this.#describe(false, 'ok', false);
		// The keychain could not remove it: say so, rather than suggest the key is gone.
		return {
			hasApiKey: false,
			keychain: state,
			persisted: false,
			warning: `The API key could not be removed from the ${this.#platform === 'darwin' ? 'Keychain' : this.#platform === 'win32' ? 'Windows Credential Manager' : 'keyring'} (${state}). Unlock it, then remove the key again.`,
		};
	}

	#describe(hasApiKey: boolean, keychain: KeychainState, persisted: boolean): KeyStatus {
		const warning =
			keychain === 'ok' ? null : keychainWarning(keychain, this.#platform, hasApiKey && !persisted);
		return { hasApiKey, keychain, persisted, warning };
	}
}
