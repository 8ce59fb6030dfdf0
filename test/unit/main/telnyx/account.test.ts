/**
 * `TelnyxAccount` builds every REST client from the pair the vault hands out (`credentials()`: the key and
 * the base URL it was stored for, read together), never from a key read in one place and a URL read in
 * another (issue 11, D1). The account runs against the sandbox's REST API over real HTTP, with a keychain
 * that answers slowly (so every key read leaves a gap in which anything else could run), and a `clientFor`
 * spy that records every client the account makes.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../../../preload/contract';
import { ApiKeyVault } from '../../../../main/secrets/api-key-vault';
import { SecretStore } from '../../../../main/secrets/secret-store';
import { SettingsStore, defaultSettings } from '../../../../main/settings/settings-file';
import { TelnyxAccount } from '../../../../main/telnyx/account';
import { createTelnyxClient } from '../../../../main/telnyx/telnyx-client';
import { MemoryKeychain } from '../../../fakes/memory-keychain';
import { startSandbox, type Sandbox } from '../../../sandbox/sandbox';
import { seeded, type Random } from '../../../support/random';
import { memoryFs } from '../../../support/memory-fs';
import { recordingLogger } from '../../../support/recording-logger';

/** A keychain that takes 5–30 ms for every operation, as a busy Secret Service does. */
class SlowKeychain extends MemoryKeychain {
	readonly #random: Random;

	constructor(seed: number) {
		super();
		this.#random = seeded(seed);
	}

	override async getPassword(service: string, account: string): Promise<string | null> {
		await this.#pause();
		return super.getPassword(service, account);
	}

	override async setPassword(service: string, account: string, password: string): Promise<void> {
		await this.#pause();
		return super.setPassword(service, account, password);
	}

	override async deletePassword(service: string, account: string): Promise<boolean> {
		await this.#pause();
		return super.deletePassword(service, account);
	}

	#pause(): Promise<void> {
		return new Promise((resolve) => setTimeout(resolve, 5 + this.#random.int(26)));
	}
}

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ restPort: 0, signallingPort: 0 });
});

afterAll(async () => {
	await sandbox.close();
});

/**
 * An account as `main/services.ts` wires it, except that `clientFor` is a spy and every request the clients
 * send is recorded (its URL and Authorization header). The account has no endpoint of its own: only the
 * vault, made for the sandbox, knows it.
 */
async function setup({ seed = 1 } = {}) {
	const keychain = new SlowKeychain(seed);
	const secrets = new SecretStore({ backend: keychain, service: 'telnyx-softphone-unit' });
	const vault = new ApiKeyVault({ secrets, restBaseUrl: sandbox.restBaseUrl, platform: 'linux' });
	const settings = await SettingsStore.load({
		file: '/settings.json',
		fs: memoryFs(),
		defaults: defaultSettings(),
		migration: { restBaseUrl: sandbox.restBaseUrl },
		logger: recordingLogger(),
	});
	const requests: { url: string; authorization: string | null }[] = [];
	const recordingFetch: typeof fetch = (input, init) => {
		const url = input instanceof Request ? input.url : String(input);
		requests.push({ url, authorization: new Headers(init?.headers).get('authorization') });
		return fetch(input, init);
	};
	const clientFor = vi.fn((apiKey: string, baseURL: string) =>
		createTelnyxClient({ apiKey, baseURL, timeoutMs: 5000, fetch: recordingFetch }),
	);
	const credentials = vi.spyOn(vault, 'credentials');
	const get = vi.spyOn(vault, 'get');
	const account = new TelnyxAccount({
		settings,
		vault,
		secrets,
		deviceName: 'Unit test computer',
		clientFor,
		timeoutSeconds: 5,
		sleep: async () => {},
		emit: () => {},
		logger: recordingLogger(),
	});
	return { account, vault, keychain, settings, clientFor, credentials, get, requests };
}

const okValue = <T, E>(result: Result<T, E>): T => {
	if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
	return result.value;
};

/** Every operation that reaches Telnyx with the stored key, several at once. */
async function everyOperation(account: TelnyxAccount): Promise<void> {
	okValue(await account.provision({}));
	const number = okValue(await account.listPhoneNumbers())[0]?.number ?? null;
	expect(number).not.toBeNull();
	const results = await Promise.all([
		account.listResources(),
		account.listPhoneNumbers(),
		account.setCallerId({ name: 'Unit Desk', number }),
		account.listInstallations(),
		account.loginToken(),
		account.previewCleanup(),
		account.keyStatus(),
		account.listInstallations(),
		account.listResources(),
	]);
	for (const result of results) if ('ok' in result) okValue<unknown, unknown>(result);
	const items = okValue(await account.previewCleanup());
	okValue(await account.signOut(false));
	okValue(await account.cleanup(items));
}

describe('TelnyxAccount: every REST client comes from the vault’s key-and-URL pair', () => {
	it.each([1, 2, 3])(
		'uses the vault’s base URL (and its key) for every client, with a slow keychain (seed %i)',
		async (seed) => {
			const { account, clientFor, requests, credentials, get } = await setup({ seed });
			okValue(await account.setApiKey(sandbox.apiKey));
			await everyOperation(account);

			// Verification, provisioning, the token, and each operation above: many clients, one pair.
			expect(clientFor.mock.calls.length).toBeGreaterThanOrEqual(12);
			for (const call of clientFor.mock.calls) {
				expect(call).toStrictEqual([sandbox.apiKey, sandbox.restBaseUrl]);
			}
			// Every request went to that URL, with that key.
			expect(requests.length).toBeGreaterThan(clientFor.mock.calls.length);
			for (const request of requests) {
				expect(request.url.startsWith(`${sandbox.restBaseUrl}/`), request.url).toBe(true);
				expect(request.authorization).toBe(`Bearer ${sandbox.apiKey}`);
			}
			// The account never read the key on its own (without the URL it belongs to).
			expect(credentials.mock.calls.length).toBeGreaterThan(0);
			expect(get.mock.calls.length).toBe(credentials.mock.calls.length);
		},
	);

	it('makes no client at all without a key, and says what to do', async () => {
		const { account, clientFor, requests } = await setup({ seed: 5 });
		const results = await Promise.all([
			account.listPhoneNumbers(),
			account.listResources(),
			account.provision({}),
			account.loginToken(),
		]);
		for (const result of results) {
			expect(result).toMatchObject({ ok: false, error: { code: expect.any(String) } });
		}
		expect(results[0]).toMatchObject({ ok: false, error: { code: 'NO_API_KEY' } });
		expect(clientFor).not.toHaveBeenCalled();
		expect(requests).toStrictEqual([]);
	});
});
