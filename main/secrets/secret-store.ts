/**
 * The keychain, made safe to depend on (security-and-reliability.md §3):
 *
 * - One native call at a time, each with a deadline. A frozen keychain daemon blocks keytar's call for ~50 s
 *   on a libuv thread; while such a call is still in flight no new one is started, so at most one thread is
 *   ever stuck, and callers get `timeout` within the deadline instead of hanging.
 * - Failures are classified: `ok`, `locked` (no unlocked collection), `unavailable` (no D-Bus, no Secret
 *   Service), `timeout`. keytar answers a read on a locked or missing collection with `null` — the same as
 *   "nothing stored" — so a `null` read counts as "absent" only after a probe said `ok`.
 * - A write is read back and compared before it counts as saved.
 * - Nothing here deletes a secret because a read failed, and there is no plaintext fallback.
 */
import { randomBytes } from 'node:crypto';

export type KeychainState = 'ok' | 'locked' | 'unavailable' | 'timeout';

/** The native keychain, keytar's shape (see keytar-store.ts). */
export interface KeychainBackend {
	getPassword(service: string, account: string): Promise<string | null>;
	setPassword(service: string, account: string, password: string): Promise<void>;
	deletePassword(service: string, account: string): Promise<boolean>;
}

export type ReadResult =
	| { readonly state: 'ok'; readonly value: string | null }
	| { readonly state: Exclude<KeychainState, 'ok'>; readonly value?: undefined };

export interface SecretStoreOptions {
	readonly backend: KeychainBackend;
	/** Keychain service name; each profile has its own (see profile.ts). */
	readonly service: string;
	/** Deadline of one keychain operation, queueing included. */
	readonly timeoutMs?: number;
}

const PROBE_ACCOUNT = 'probe';

class KeychainTimeout extends Error {}

/** Maps a keytar/libsecret error message to the state it reveals. */
export function classifyKeychainError(error: unknown): Exclude<KeychainState, 'ok'> {
	const message = error instanceof Error ? error.message : String(error);
	if (error instanceof KeychainTimeout || /Timeout was reached/i.test(message)) return 'timeout';
	if (
		/locked collection|collection\/login|Object does not exist|No such object|is locked|Cannot create an item/i.test(
			message,
		)
	) {
		return 'locked';
	}
	return 'unavailable';
}

export class SecretStore {
	readonly #backend: KeychainBackend;
	readonly #service: string;
	readonly #timeoutMs: number;
	/** The native call currently running, even if its caller already gave up on it. */
	#inFlight: Promise<unknown> | null = null;
	/** Callers waiting their turn, in order. */
	#queue: Promise<unknown> = Promise.resolve();
	#state: KeychainState | null = null;

	constructor({ backend, service, timeoutMs = 4000 }: SecretStoreOptions) {
		this.#backend = backend;
		this.#service = service;
		this.#timeoutMs = timeoutMs;
	}

	/** The last state learnt, or null before the first probe. */
	get lastState(): KeychainState | null {
		return this.#state;
	}

	/** Writes, reads back and deletes a random probe item: the only reliable way to tell `ok` from `locked`. */
	async probe(): Promise<KeychainState> {
		const nonce = randomBytes(8).toString('hex');
		try {
			await this.#run((b) => b.setPassword(this.#service, PROBE_ACCOUNT, nonce));
			const back = await this.#run((b) => b.getPassword(this.#service, PROBE_ACCOUNT));
			await this.#run((b) => b.deletePassword(this.#service, PROBE_ACCOUNT));
			this.#state = back === nonce ? 'ok' : 'locked';
		} catch (error) {
			this.#state = classifyKeychainError(error);
		}
		return this.#state;
	}

	/** Reads a secret. `value: null` means "nothing stored" — only ever reported with state `ok`. */
	async get(account: string): Promise<ReadResult> {
		let value: string | null;
		try {
			value = await this.#run((b) => b.getPassword(this.#service, account));
		} catch (error) {
			const state = classifyKeychainError(error);
			this.#state = state;
			return { state };
		}
		if (value !== null) {
			this.#state = 'ok';
			return { state: 'ok', value };
		}
		// A null read is ambiguous until the keychain proves it can store things.
		const state = this.#state === 'ok' ? 'ok' : await this.probe();
		return state === 'ok' ? { state, value: null } : { state };
	}

	/** Stores a secret, then reads it back; `ok` only when the keychain returns exactly what was written. */
	async set(account: string, secret: string): Promise<KeychainState> {
		try {
			await this.#run((b) => b.setPassword(this.#service, account, secret));
			const back = await this.#run((b) => b.getPassword(this.#service, account));
			this.#state = back === secret ? 'ok' : 'locked';
		} catch (error) {
			this.#state = classifyKeychainError(error);
		}
		return this.#state;
	}

	async delete(account: string): Promise<KeychainState> {
		try {
			await this.#run((b) => b.deletePassword(this.#service, account));
			this.#state = 'ok';
		} catch (error) {
			this.#state = classifyKeychainError(error);
		}
		return this.#state;
	}

	/**
	 * Runs one native call when every earlier one has finished, within the deadline. If an earlier call is
	 * still stuck (its caller timed out), this one does not start: it times out too.
	 */
	#run<T>(call: (backend: KeychainBackend) => Promise<T>): Promise<T> {
		const deadline = Date.now() + this.#timeoutMs;
		const turn = this.#queue.then(async () => {
			if (this.#inFlight !== null) {
				const remaining = deadline - Date.now();
				const cleared = await Promise.race([
					this.#inFlight.then(
						() => true,
						() => true,
					),
					new Promise<false>((resolve) => setTimeout(() => resolve(false), Math.max(0, remaining))),
				]);
				if (!cleared) throw new KeychainTimeout('The keychain did not answer in time.');
			}
			const native = call(this.#backend);
			this.#inFlight = native;
			void native.then(
				() => this.#release(native),
				() => this.#release(native),
			);
			let timer: NodeJS.Timeout | undefined;
			const timeout = new Promise<never>((_, reject) => {
				timer = setTimeout(
					() => reject(new KeychainTimeout('The keychain did not answer in time.')),
					Math.max(0, deadline - Date.now()),
				);
			});
			try {
				return await Promise.race([native, timeout]);
			} finally {
				clearTimeout(timer);
			}
		});
		this.#queue = turn.catch(() => undefined);
		return turn;
	}

	#release(native: Promise<unknown>): void {
		if (this.#inFlight === native) this.#inFlight = null;
	}
}
