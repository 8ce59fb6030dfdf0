import { describe, expect, it } from 'vitest';
import {
	ApiKeyVault,
	checkApiKeyShape,
	keychainWarning,
} from '../../../../main/secrets/api-key-vault';
import { SecretStore } from '../../../../main/secrets/secret-store';
import { MemoryKeychain } from '../../../fakes/memory-keychain';

const SERVICE = 'telnyx-softphone-test';
const KEY = 'KEY0123456789ABCDEF_abcdefghijklmnop';
const OTHER_KEY = 'KEY9876543210ZYXWVU_zyxwvutsrqponmlk';
const PRODUCTION = 'https://api.telnyx.com/v2';
const SANDBOX = 'http://127.0.0.1:14000/v2';

/** A vault made for one REST endpoint (the profile's), as main makes it; a restart is a new vault. */
function setup(platform = 'linux', keychain = new MemoryKeychain(), restBaseUrl = PRODUCTION) {
	const secrets = new SecretStore({ backend: keychain, service: SERVICE, timeoutMs: 200 });
	const vault = new ApiKeyVault({ secrets, restBaseUrl, platform });
	return {
		keychain,
		secrets,
		vault,
		/** The item the keychain holds for a REST origin. */
		item: (origin: string) => keychain.items.get(`${SERVICE}\u0000api-key:${origin}`),
	};
}

const saved = { hasApiKey: true, keychain: 'ok', persisted: true, warning: null };
const none = { hasApiKey: false, keychain: 'ok', persisted: false, warning: null };

describe('checkApiKeyShape (K9)', () => {
	it.each([
		['a plain key', KEY],
		['the shortest accepted key (20 characters)', 'K'.repeat(20)],
		['the longest accepted key (256 characters)', 'K'.repeat(256)],
		['printable ASCII punctuation', 'KEY_abc-DEF.ghi~jkl+mno/pq=='],
	])('accepts %s unchanged', (_what, key) => {
		expect(checkApiKeyShape(key)).toStrictEqual({ ok: true, key });
	});

	it.each([
		['leading and trailing spaces', `   ${KEY}   `],
		['a trailing newline', `${KEY}\n`],
		['a trailing CRLF', `${KEY}\r\n`],
		['tabs around it', `\t${KEY}\t`],
		['a non-breaking space after it', `${KEY}\u00a0`],
	])('trims %s', (_what, pasted) => {
		expect(checkApiKeyShape(pasted)).toStrictEqual({ ok: true, key: KEY });
	});

	it.each([
		['empty', '', 'Paste your Telnyx API key.'],
		['only whitespace', ' \n\t ', 'Paste your Telnyx API key.'],
		['an inner space', `${KEY.slice(0, 10)} ${KEY.slice(10)}`, 'spaces or line breaks'],
		['an inner newline', `${KEY.slice(0, 10)}\n${KEY.slice(10)}`, 'spaces or line breaks'],
		['an inner tab', `${KEY.slice(0, 10)}\t${KEY.slice(10)}`, 'spaces or line breaks'],
		['two keys on two lines', `${KEY}\n${OTHER_KEY}`, 'spaces or line breaks'],
		['a 10 kB string', 'K'.repeat(10_240), 'does not look like a Telnyx API key'],
		['257 characters', 'K'.repeat(257), 'does not look like a Telnyx API key'],
		['19 characters', 'K'.repeat(19), 'does not look like a Telnyx API key'],
		['an accented letter', `${KEY}é`, 'does not look like a Telnyx API key'],
		['an emoji', `${KEY}🙂`, 'does not look like a Telnyx API key'],
		['a zero-width space', `${KEY.slice(0, 10)}\u200b${KEY.slice(10)}`, 'does not look like'],
		['a right-to-left override', `${KEY}\u202e`, 'does not look like a Telnyx API key'],
		['a NUL', `${KEY}\u0000`, 'does not look like a Telnyx API key'],
		['a DEL', `${KEY}\u007f`, 'does not look like a Telnyx API key'],
		['full-width letters', 'ＫＥＹ０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪ', 'does not look like'],
	])('refuses %s with a sentence that never repeats the input', (_what, pasted, words) => {
		const shape = checkApiKeyShape(pasted);
		expect(shape.ok).toBe(false);
		if (shape.ok) return;
		expect(shape.message).toContain(words);
		expect(shape.message).toMatch(/^[A-Z].*\.$/);
		expect(shape.message.length).toBeLessThan(200);
		for (const part of [pasted.trim(), KEY, OTHER_KEY, 'KKKKKKKKKK', 'ＫＥＹ']) {
			if (part !== '') expect(shape.message).not.toContain(part);
		}
	});
});

describe('keychainWarning', () => {
	it.each(['locked', 'unavailable', 'timeout'] as const)(
		'on Linux (%s) names GNOME Keyring or KWallet, or says what to restart',
		(state) => {
			const text = keychainWarning(state, 'linux', true);
			expect(text).toMatch(/^The API key is kept only until you quit the app: /);
			if (state === 'timeout') expect(text).toContain('did not answer');
			else expect(text).toMatch(/GNOME Keyring.*KWallet/);
		},
	);

	it('tells Linux users which package to install when there is no keyring service', () => {
		expect(keychainWarning('unavailable', 'linux', true)).toContain('package gnome-keyring');
	});

	it.each([
		['darwin', 'Keychain'],
		['win32', 'Windows Credential Manager'],
	])('on %s names the %s', (platform, store) => {
		for (const state of ['locked', 'unavailable', 'timeout'] as const) {
			const text = keychainWarning(state, platform, true);
			expect(text).toContain(store);
			expect(text).not.toMatch(/gnome|kwallet/i);
		}
	});

	it('says the saved key cannot be read when no key is in memory', () => {
		expect(keychainWarning('locked', 'linux', false)).toMatch(
			/^The app cannot read a saved API key: /,
		);
	});
});

describe('ApiKeyVault', () => {
	it('has no key to begin with, and says so only because the keychain is ok', async () => {
		const { vault } = setup();
		expect(await vault.status()).toStrictEqual(none);
		expect(await vault.get()).toBeNull();
	});

	it('saves the key in the keychain under api-key:<REST origin>, and reads it back', async () => {
		const { vault, keychain, item } = setup();
		expect(vault.account).toBe('api-key:https://api.telnyx.com');
		expect(await vault.save(KEY)).toStrictEqual(saved);
		expect(item('https://api.telnyx.com')).toBe(KEY);
		// Only the key: the probe item the store writes to test the keychain is gone again.
		expect([...keychain.items.keys()]).toStrictEqual([
			`${SERVICE}\u0000api-key:https://api.telnyx.com`,
		]);
		expect(await vault.get()).toBe(KEY);
		expect(await vault.status()).toStrictEqual(saved);
	});

	it('finds the key after a restart (a new vault over the same keychain)', async () => {
		const first = setup();
		await first.vault.save(KEY);
		const second = setup('linux', first.keychain);
		expect(await second.vault.status()).toStrictEqual(saved);
		expect(await second.vault.get()).toBe(KEY);
	});

	it('replaces a saved key with a new one', async () => {
		const { vault, item } = setup();
		await vault.save(KEY);
		await vault.save(OTHER_KEY);
		expect(item('https://api.telnyx.com')).toBe(OTHER_KEY);
		expect(await vault.get()).toBe(OTHER_KEY);
	});

	it('names the origin only: the path and a trailing slash of the REST URL do not matter', async () => {
		const { vault, keychain } = setup('linux', new MemoryKeychain(), 'http://127.0.0.1:14000/v2/');
		expect(vault.account).toBe('api-key:http://127.0.0.1:14000');
		await vault.save(KEY);
		const samePlace = setup('linux', keychain, 'http://127.0.0.1:14000/other');
		expect(await samePlace.vault.get()).toBe(KEY);
	});

	it('gives a vault for a different REST URL no key, and each endpoint its own', async () => {
		const production = setup();
		await production.vault.save(KEY);
		const sandbox = setup('linux', production.keychain, SANDBOX);
		expect(await sandbox.vault.get()).toBeNull();
		expect(await sandbox.vault.status()).toStrictEqual(none);
		await sandbox.vault.save(OTHER_KEY);
		expect(production.item('http://127.0.0.1:14000')).toBe(OTHER_KEY);
		expect(await sandbox.vault.get()).toBe(OTHER_KEY);
		expect(
			await setup('linux', production.keychain, 'http://127.0.0.1:14001/v2').vault.get(),
		).toBeNull();
		expect(production.item('https://api.telnyx.com')).toBe(KEY);
		expect(await production.vault.get()).toBe(KEY);
	});

	describe('credentials()', () => {
		it('is null while there is no key', async () => {
			const { vault } = setup();
			expect(await vault.credentials()).toBeNull();
		});

		it.each([
			['Telnyx production', PRODUCTION],
			['the sandbox', SANDBOX],
			['a URL with a trailing slash, handed out as given', 'http://127.0.0.1:14000/v2/'],
		])(
			'hands out the key together with exactly the vault’s base URL (%s)',
			async (_what, restBaseUrl) => {
				const { vault, keychain } = setup('linux', new MemoryKeychain(), restBaseUrl);
				await vault.save(KEY);
				expect(await vault.credentials()).toStrictEqual({ key: KEY, baseUrl: restBaseUrl });
				// Read from the keychain by a new run: the same pair.
				const restarted = setup('linux', keychain, restBaseUrl);
				expect(await restarted.vault.credentials()).toStrictEqual({
					key: KEY,
					baseUrl: restBaseUrl,
				});
			},
		);

		it('hands out a key kept in memory (no keychain) with the vault’s base URL too', async () => {
			const { vault, keychain } = setup('linux', new MemoryKeychain(), SANDBOX);
			keychain.mode = 'unavailable';
			await vault.save(KEY);
			expect(await vault.credentials()).toStrictEqual({ key: KEY, baseUrl: SANDBOX });
		});

		it('is null when a locked keychain holds a key it cannot read (never a guess)', async () => {
			const first = setup();
			await first.vault.save(KEY);
			first.keychain.mode = 'locked';
			const restarted = setup('linux', first.keychain);
			expect(await restarted.vault.credentials()).toBeNull();
		});

		it('never hands a key saved for origin A to a vault for origin B over the same keychain', async () => {
			const a = setup('linux', new MemoryKeychain(), PRODUCTION);
			await a.vault.save(KEY);
			for (const other of [
				SANDBOX,
				'https://evil.example/v2',
				'http://api.telnyx.com/v2',
				'https://api.telnyx.com:8443/v2',
			]) {
				const b = setup('linux', a.keychain, other);
				expect(await b.vault.credentials()).toBeNull();
				expect(await b.vault.get()).toBeNull();
				expect((await b.vault.status()).hasApiKey).toBe(false);
			}
			// A itself still has it, with its own base URL.
			expect(await a.vault.credentials()).toStrictEqual({ key: KEY, baseUrl: PRODUCTION });
		});
	});

	describe('when the keychain cannot take the key', () => {
		it.each([
			['locked', 'locked', /GNOME Keyring.*KWallet/],
			['unavailable', 'unavailable', /gnome-keyring.*KWallet/],
		] as const)(
			'(%s) keeps it in memory for this run, reports persisted false, and warns how to fix it',
			async (mode, state, fix) => {
				const { vault, keychain } = setup('linux');
				keychain.mode = mode;
				const status = await vault.save(KEY);
				expect(status).toMatchObject({ hasApiKey: true, keychain: state, persisted: false });
				expect(status.warning).toMatch(/^The API key is kept only until you quit the app: /);
				expect(status.warning).toMatch(fix);
				expect(status.warning).not.toContain(KEY);
				expect(keychain.values()).not.toContain(KEY);
				// Main can still use it during this run.
				expect(await vault.get()).toBe(KEY);
				expect(await vault.status()).toStrictEqual(status);
			},
		);

		it('(frozen) times out, keeps the key in memory, and warns', async () => {
			const { vault, keychain } = setup('linux');
			keychain.mode = 'frozen';
			const status = await vault.save(KEY);
			expect(status).toMatchObject({ hasApiKey: true, keychain: 'timeout', persisted: false });
			expect(status.warning).toContain('did not answer');
			expect(await vault.get()).toBe(KEY);
			keychain.thaw();
		});

		it.each([
			['darwin', 'Keychain'],
			['win32', 'Windows Credential Manager'],
		])('on %s names the %s in the warning', async (platform, store) => {
			const { vault, keychain } = setup(platform);
			keychain.mode = 'locked';
			expect((await vault.save(KEY)).warning).toContain(store);
		});

		it('moves the key into the keychain once the keychain works again, on the next status()', async () => {
			const { vault, keychain, item } = setup('linux');
			keychain.mode = 'locked';
			await vault.save(KEY);
			expect(await vault.status()).toMatchObject({ persisted: false, keychain: 'locked' });
			expect(item('https://api.telnyx.com')).toBeUndefined();

			keychain.mode = 'ok';
			expect(await vault.status()).toStrictEqual(saved);
			expect(item('https://api.telnyx.com')).toBe(KEY);
			expect(await vault.get()).toBe(KEY);

			// It now lives in the keychain only: a new run finds it there.
			const restarted = setup('linux', keychain);
			expect(await restarted.vault.get()).toBe(KEY);
		});

		it('never reports "no key" from a locked keychain that holds one, and never deletes it', async () => {
			const first = setup('linux');
			await first.vault.save(KEY);
			first.keychain.mode = 'locked';
			const restarted = setup('linux', first.keychain);
			const status = await restarted.vault.status();
			expect(status).toMatchObject({ hasApiKey: false, keychain: 'locked', persisted: false });
			expect(status.warning).toMatch(/^The app cannot read a saved API key: /);
			expect(await restarted.vault.get()).toBeNull();
			first.keychain.mode = 'ok';
			expect(first.item('https://api.telnyx.com')).toBe(KEY);
			expect(await restarted.vault.get()).toBe(KEY);
		});

		it('keeps a memory key for its own vault only: a vault for another endpoint never gets it', async () => {
			const { vault, keychain } = setup('linux');
			keychain.mode = 'unavailable';
			await vault.save(KEY);
			const other = setup('linux', keychain, SANDBOX);
			expect(await other.vault.get()).toBeNull();
			expect(await other.vault.credentials()).toBeNull();
			expect(await vault.get()).toBe(KEY);
		});
	});

	describe('forget', () => {
		it('deletes the key from the keychain', async () => {
			const { vault, keychain } = setup();
			await vault.save(KEY);
			expect(await vault.forget()).toStrictEqual(none);
			expect(keychain.values()).toStrictEqual([]);
			expect(await vault.get()).toBeNull();
			expect(await vault.status()).toStrictEqual(none);
		});

		it('forgets a key kept in memory', async () => {
			const { vault, keychain } = setup();
			keychain.mode = 'unavailable';
			await vault.save(KEY);
			const status = await vault.forget();
			expect(status.hasApiKey).toBe(false);
			expect(await vault.get()).toBeNull();
			// The keychain coming back later does not bring a forgotten key back.
			keychain.mode = 'ok';
			expect(await vault.status()).toStrictEqual(none);
			expect(keychain.values()).toStrictEqual([]);
		});

		it('forgets only the key of its own endpoint', async () => {
			const production = setup();
			await production.vault.save(KEY);
			const sandbox = setup('linux', production.keychain, SANDBOX);
			await sandbox.vault.save(OTHER_KEY);
			await sandbox.vault.forget();
			expect(await sandbox.vault.get()).toBeNull();
			expect(await production.vault.get()).toBe(KEY);
		});
	});

	describe('secretsToRedact', () => {
		it('lists every key this run saved or read, for the logger', async () => {
			const first = setup();
			expect(first.vault.secretsToRedact()).toStrictEqual([]);
			await first.vault.save(KEY);
			first.keychain.mode = 'locked';
			await first.vault.save(OTHER_KEY);
			expect(first.vault.secretsToRedact().sort()).toStrictEqual([KEY, OTHER_KEY].sort());

			first.keychain.mode = 'ok';
			const restarted = setup('linux', first.keychain);
			expect(restarted.vault.secretsToRedact()).toStrictEqual([]);
			await restarted.vault.get();
			expect(restarted.vault.secretsToRedact()).toStrictEqual([KEY]);
		});

		it('still lists a key after it was forgotten (it may already be in a log line being written)', async () => {
			const { vault } = setup();
			await vault.save(KEY);
			await vault.forget();
			expect(vault.secretsToRedact()).toStrictEqual([KEY]);
		});
	});

	it('never returns the key in a status', async () => {
		const { vault, keychain } = setup();
		const statuses = [await vault.save(KEY), await vault.status()];
		keychain.mode = 'locked';
		statuses.push(await vault.save(KEY), await vault.status(), await vault.forget());
		expect(JSON.stringify(statuses)).not.toContain(KEY);
	});
});
