/**
 * The keychain, made safe to depend on:
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
import type { KeychainState } from '../../preload/contract';
import { serial } from '../storage/serial';

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
	/** Callers take their turn in order. */
	readonly #turns = serial();

	constructor({ backend, service, timeoutMs = 4000 }: SecretStoreOptions) {
		this.#backend = backend;
		this.#service = service;
		this.#timeoutMs = timeoutMs;
	}

	/** Writes, reads back and deletes a random probe item: the only reliable way to tell `ok` from `locked`. */
	async probe(): Promise<KeychainState> {
		const nonce = randomBytes(8).toString('hex');
		try {
			const back = await this.#run(async (native) => {
				await native((b) => b.setPassword(this.#service, PROBE_ACCOUNT, nonce));
				const read = await native((b) => b.getPassword(this.#service, PROBE_ACCOUNT));
				await native((b) => b.deletePassword(this.#service, PROBE_ACCOUNT));
				return read;
			});
			return back === nonce ? 'ok' : 'locked';
		} catch (error) {
			return classifyKeychainError(error);
		}
	}

	/** Reads a secret. `value: null` means "nothing stored" — only ever reported after a probe said `ok`. */
	async get(account: string): Promise<ReadResult> {
		let value: string | null;
		try {
			value = await this.#run((native) => native((b) => b.getPassword(this.#service, account)));
		} catch (error) {
			return { state: classifyKeychainError(error) };
		}
		if (value !== null) return { state: 'ok', value };
		// A locked keyring also reads as null (and may have been locked since the last call): check every time.
		const state = await this.probe();
		return state === 'ok' ? { state, value: null } : { state };
	}

	/** Stores a secret, then reads it back; `ok` only when the keychain returns exactly what was written. */
	async set(account: string, secret: string): Promise<KeychainState> {
		try {
			// One turn: no other operation can write between this write and its read-back.
			const back = await this.#run(async (native) => {
				await native((b) => b.setPassword(this.#service, account, secret));
				return native((b) => b.getPassword(this.#service, account));
			});
			return back === secret ? 'ok' : 'locked';
		} catch (error) {
			return classifyKeychainError(error);
		}
	}

	async delete(account: string): Promise<KeychainState> {
		try {
			await this.#run((native) => native((b) => b.deletePassword(this.#service, account)));
			return 'ok';
		} catch (error) {
			return classifyKeychainError(error);
		}
	}

	/**
	 * Runs one operation (one or more native calls in a row) when every earlier one has finished, within one
	 * deadline. If an earlier native call is still stuck (its caller timed out), this one does not start a
	 * new native call: it times out too.
	 */
	#run<T>(
		operation: (
			native: <U>(call: (backend: KeychainBackend) => Promise<U>) => Promise<U>,
		) => Promise<T>,
	): Promise<T> {
		const deadline = Date.now() + this.#timeoutMs;
		const timedOut = () => new KeychainTimeout('The keychain did not answer in time.');
		// Once its caller gave up, an operation makes no further native call (no late write or delete).
		let abandoned = false;
		const native = async <U>(call: (backend: KeychainBackend) => Promise<U>): Promise<U> => {
			if (abandoned) throw timedOut();
			if (this.#inFlight !== null) {
				let timer: NodeJS.Timeout | undefined;
				try {
					const cleared = await Promise.race([
						this.#inFlight.then(
							() => true,
							() => true,
						),
						new Promise<false>((resolve) => {
							timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
						}),
					]);
					if (!cleared) throw timedOut();
				} finally {
					// Whichever side won, the deadline timer must not outlive the wait (nor keep the process up).
					clearTimeout(timer);
				}
			}
			if (abandoned || Date.now() >= deadline) throw timedOut();
			const pending = call(this.#backend);
			this.#inFlight = pending;
			void pending.then(
				() => this.#release(pending),
				() => this.#release(pending),
			);
			return pending;
		};
		return this.#turns(async () => {
			let timer: NodeJS.Timeout | undefined;
			const timeout = new Promise<never>((_, reject) => {
				timer = setTimeout(
					() => {
						abandoned = true;
						reject(timedOut());
					},
					Math.max(0, deadline - Date.now()),
				);
			});
			try {
				return await Promise.race([operation(native), timeout]);
			} finally {
				clearTimeout(timer);
			}
		});
	}

	#release(native: Promise<unknown>): void {
		if (this.#inFlight === native) this.#inFlight = null;
	}
}
