/**
 * An in-memory stand-in for the OS keychain (keytar's shape), for unit tests only: integration tests use
 * the real keytar against a real gnome-keyring. A test can switch it to behave like a locked, missing or
 * frozen keychain.
 */
import type { KeychainBackend } from '../../main/secrets/secret-store';

export type KeychainMode = 'ok' | 'locked' | 'unavailable' | 'frozen';

export class MemoryKeychain implements KeychainBackend {
	readonly items = new Map<string, string>();
	mode: KeychainMode = 'ok';
	readonly #frozen: (() => void)[] = [];

	async getPassword(service: string, account: string): Promise<string | null> {
		await this.#gate();
		// A locked Secret Service answers reads with null, exactly like "nothing stored".
		return this.mode === 'locked' ? null : (this.items.get(`${service}\u0000${account}`) ?? null);
	}

	async setPassword(service: string, account: string, password: string): Promise<void> {
		await this.#gate();
		if (this.mode === 'locked') throw new Error('Cannot create an item in a locked collection');
		this.items.set(`${service}\u0000${account}`, password);
	}

	async deletePassword(service: string, account: string): Promise<boolean> {
		await this.#gate();
		if (this.mode === 'locked') throw new Error('Cannot create an item in a locked collection');
		return this.items.delete(`${service}\u0000${account}`);
	}

	/** Every stored value (to search for a canary). */
	values(): string[] {
		return [...this.items.values()];
	}

	thaw(): void {
		this.mode = 'ok';
		for (const resolve of this.#frozen.splice(0)) resolve();
	}

	async #gate(): Promise<void> {
		if (this.mode === 'frozen') await new Promise<void>((resolve) => this.#frozen.push(resolve));
		if (this.mode === 'unavailable') {
			throw new Error('The name org.freedesktop.secrets was not provided by any .service files');
		}
	}
}
