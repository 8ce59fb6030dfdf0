/**
 * The real keychain, slowed down: every native operation waits a few tens of milliseconds first, as a busy
 * Secret Service, a keychain prompt or a loaded laptop does. Races between a keychain read and whatever the
 * page does meanwhile (D1: a settings change between reading the key and using it) then happen every time
 * instead of now and then.
 */
import type { KeychainBackend } from '../../../main/secrets/secret-store';

export interface SlowKeychain extends KeychainBackend {
	/** Native operations started so far (so a test can tell the keychain was really used). */
	readonly operations: () => number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Wraps `backend` so each operation first waits `delayMs()` milliseconds (e.g. 20–40). */
export function slowKeychain(backend: KeychainBackend, delayMs: () => number): SlowKeychain {
	let operations = 0;
	const slow =
		<A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
		async (...args: A): Promise<R> => {
			operations += 1;
			await sleep(delayMs());
			return call(...args);
		};
	return {
		getPassword: slow((service: string, account: string) => backend.getPassword(service, account)),
		setPassword: slow((service: string, account: string, password: string) =>
			backend.setPassword(service, account, password),
		),
		deletePassword: slow((service: string, account: string) =>
			backend.deletePassword(service, account),
		),
		operations: () => operations,
	};
}
