import { AuthenticationError, InternalServerError, NotFoundError } from 'telnyx';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SecretStore } from '../../../../main/secrets/secret-store';
import { describeFailure } from '../../../../main/telnyx/telnyx-client';
import { TokenManager, renewalTime, tokenTimes } from '../../../../main/telnyx/token-manager';
import { MemoryKeychain } from '../../../fakes/memory-keychain';
import { recordingLogger } from '../../../support/recording-logger';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const T0 = Date.parse('2025-03-01T12:00:00.000Z');
const SERVICE = 'telnyx-softphone-test';
const ACCOUNT = 'login-token:https://api.telnyx.com';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned JWT with the given claims (the manager only decodes tokens; Telnyx signs them). */
function jwt(claims: Record<string, unknown>): string {
	return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.unsigned`;
}

const serverError = () => new InternalServerError(500, undefined, undefined, new Headers());
const notFound = () =>
	new NotFoundError(404, { errors: [{ code: '10005' }] }, undefined, new Headers());

interface HarnessOptions {
	readonly keychain?: MemoryKeychain;
	/** Lifetime of each minted token. */
	readonly lifetimeMs?: number;
	readonly credentialId?: string | null;
	/** How long Telnyx takes to answer a mint. */
	readonly mintDelayMs?: number;
}

function harness({
	keychain = new MemoryKeychain(),
	lifetimeMs = 24 * HOUR,
	credentialId = 'cred-1',
	mintDelayMs = 0,
}: HarnessOptions = {}) {
	let credential = credentialId;
	/** Failures the next mints throw, in order; empty means success. */
	const failures: unknown[] = [];
	let failAlways: (() => unknown) | null = null;
	const mintedAt: number[] = [];
	const mint = vi.fn(async (id: string) => {
		mintedAt.push(Date.now());
		if (mintDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, mintDelayMs));
		const failure = failures.length > 0 ? failures.shift() : failAlways?.();
		if (failure !== undefined) throw failure;
		const now = Math.floor(Date.now() / 1000);
		return jwt({ iat: now, exp: now + lifetimeMs / 1000, sub: id, n: mintedAt.length });
	});
	const recreateCredential = vi.fn(async () => {
		credential = 'cred-2';
		return credential;
	});
	const onRenewed = vi.fn();
	const onWarning = vi.fn();
	const onNotice = vi.fn();
	const logger = recordingLogger();
	const secrets = new SecretStore({ backend: keychain, service: SERVICE });
	const manager = new TokenManager({
		secrets,
		account: () => ACCOUNT,
		credentialId: () => credential,
		mint,
		recreateCredential,
		describe: (error) => describeFailure(error, 15),
		onRenewed,
		onWarning,
		onNotice,
		logger,
	});
	managers.push(manager);
	return {
		manager,
		keychain,
		mint,
		mintedAt,
		recreateCredential,
		onRenewed,
		onWarning,
		onNotice,
		logger,
		failNext: (...errors: unknown[]) => failures.push(...errors),
		failAlways: (make: (() => unknown) | null) => {
			failAlways = make;
		},
		setCredential: (id: string | null) => {
			credential = id;
		},
		/** What the keychain keeps for the token, parsed. */
		kept: () => {
			const raw = keychain.items.get(`${SERVICE}\u0000${ACCOUNT}`);
			return raw === undefined ? undefined : (JSON.parse(raw) as Record<string, unknown>);
		},
	};
}

const managers: TokenManager[] = [];

/** Lets every pending promise chain (keychain round trips included) finish, without moving the clock. */
async function settle(): Promise<void> {
	for (let i = 0; i < 5; i += 1) await vi.advanceTimersByTimeAsync(0);
}

/** Moves the clock and lets what the timers started finish. */
async function advance(ms: number): Promise<void> {
	await vi.advanceTimersByTimeAsync(ms);
	await settle();
}

beforeEach(() => {
	vi.useFakeTimers({ now: T0 });
});

afterEach(() => {
	for (const manager of managers.splice(0)) manager.stop();
	vi.useRealTimers();
});

describe('tokenTimes', () => {
	it('reads iat and exp, in milliseconds', () => {
		expect(tokenTimes(jwt({ iat: 1000, exp: 2000 }))).toStrictEqual({
			issuedAt: 1_000_000,
			expiresAt: 2_000_000,
		});
	});

	it('assumes a 24-hour token when iat is missing', () => {
		expect(tokenTimes(jwt({ exp: 100_000 }))).toStrictEqual({
			issuedAt: (100_000 - 24 * 3600) * 1000,
			expiresAt: 100_000_000,
		});
	});

	it.each([
		['no exp', jwt({ iat: 1 })],
		['a string exp', jwt({ exp: '2000' })],
		['one part only', 'abc'],
		['a payload that is not JSON', 'a.bm90IGpzb24.c'],
		['an empty string', ''],
	])('answers null for %s', (_what, token) => {
		expect(tokenTimes(token)).toBeNull();
	});
});

describe('renewalTime', () => {
	it.each([
		['a 24 h token: 6 h early (a quarter of its life)', 24 * HOUR, 6 * HOUR],
		['an 8 h token: 2 h early', 8 * HOUR, 2 * HOUR],
		['a 3 h token: 1 h early (at least an hour)', 3 * HOUR, HOUR],
		['a 2 h token: 1 h early (at least an hour, at most half its life)', 2 * HOUR, HOUR],
		['a 1 h token: 30 min early (half its life)', HOUR, 30 * MINUTE],
		['a 60 s token: 30 s early', 60 * SECOND, 30 * SECOND],
		['an already expired (zero-length) token: at once', 0, 0],
	])('renews %s', (_what, lifetime, lead) => {
		expect(renewalTime(T0, T0 + lifetime)).toBe(T0 + lifetime - lead);
	});

	it('renews a long token at least one hour before expiry', () => {
		for (const hours of [2, 3, 4, 6, 12, 24, 48, 24 * 7]) {
			const expiresAt = T0 + hours * HOUR;
			expect(expiresAt - renewalTime(T0, expiresAt), `${hours} h`).toBeGreaterThanOrEqual(HOUR);
		}
	});
});

describe('TokenManager.get', () => {
	it('mints a token for the credential, answers it with its expiry, and keeps it in the keychain', async () => {
		const h = harness();
		const result = await h.manager.get();
		expect(h.mint.mock.calls).toStrictEqual([['cred-1']]);
		expect(result).toStrictEqual({
			ok: true,
			value: { token: expect.any(String) as string, expiresAt: '2025-03-02T12:00:00.000Z' },
		});
		const token = result.ok ? result.value.token : '';
		expect(h.kept()).toStrictEqual({
			token,
			issuedAt: T0,
			expiresAt: T0 + 24 * HOUR,
			credentialId: 'cred-1',
		});
	});

	it('reuses the token in hand', async () => {
		const h = harness();
		const first = await h.manager.get();
		await advance(17 * HOUR);
		expect(await h.manager.get()).toStrictEqual(first);
		expect(h.mint).toHaveBeenCalledTimes(1);
	});

	it('after a restart, reuses the token kept in the keychain with no REST request', async () => {
		const keychain = new MemoryKeychain();
		const before = harness({ keychain });
		const first = await before.manager.get();
		before.manager.stop();

		await advance(2 * HOUR);
		const after = harness({ keychain });
		expect(await after.manager.get()).toStrictEqual(first);
		expect(after.mint).not.toHaveBeenCalled();
	});

	it('after a restart, still renews the kept token on its schedule', async () => {
		const keychain = new MemoryKeychain();
		const before = harness({ keychain });
		await before.manager.get();
		before.manager.stop();

		const after = harness({ keychain });
		await after.manager.get();
		await advance(18 * HOUR - 1);
		expect(after.mint).not.toHaveBeenCalled();
		await advance(1);
		expect(after.mint).toHaveBeenCalledTimes(1);
		expect(after.onRenewed).toHaveBeenCalledTimes(1);
	});

	it('after a restart past the renewal time, mints a new token', async () => {
		const keychain = new MemoryKeychain();
		const before = harness({ keychain });
		const first = await before.manager.get();
		before.manager.stop();

		vi.setSystemTime(T0 + 18 * HOUR);
		const after = harness({ keychain });
		const second = await after.manager.get();
		expect(after.mint).toHaveBeenCalledTimes(1);
		expect(second).not.toStrictEqual(first);
		expect(second.ok && second.value.expiresAt).toBe('2025-03-03T06:00:00.000Z');
	});

	it('does not reuse a kept token minted for another credential', async () => {
		const keychain = new MemoryKeychain();
		await harness({ keychain }).manager.get();
		const other = harness({ keychain, credentialId: 'cred-9' });
		await other.manager.get();
		expect(other.mint.mock.calls).toStrictEqual([['cred-9']]);
		expect(other.kept()?.credentialId).toBe('cred-9');
	});

	it.each([
		['not JSON', 'not json'],
		['JSON without a token', JSON.stringify({ credentialId: 'cred-1' })],
		['a token without an expiry', JSON.stringify({ token: 'a.b.c', credentialId: 'cred-1' })],
	])('mints a new token when what the keychain keeps is %s', async (_what, raw) => {
		const keychain = new MemoryKeychain();
		keychain.items.set(`${SERVICE}\u0000${ACCOUNT}`, raw);
		const h = harness({ keychain });
		expect((await h.manager.get()).ok).toBe(true);
		expect(h.mint).toHaveBeenCalledTimes(1);
	});

	it('works without a keychain: the token lives in memory for this run', async () => {
		const keychain = new MemoryKeychain();
		keychain.mode = 'unavailable';
		const h = harness({ keychain });
		const first = await h.manager.get();
		expect(first.ok).toBe(true);
		expect(await h.manager.get()).toStrictEqual(first);
		expect(h.mint).toHaveBeenCalledTimes(1);
		expect(keychain.values()).toStrictEqual([]);
	});

	it('answers NOT_FOUND, minting nothing, before provisioning', async () => {
		const h = harness({ credentialId: null });
		expect(await h.manager.get()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
		expect(h.mint).not.toHaveBeenCalled();
	});

	it('after a restart past the renewal time, hands out the kept token when the mint fails, and keeps retrying', async () => {
		const keychain = new MemoryKeychain();
		const before = harness({ keychain });
		const first = await before.manager.get();
		before.manager.stop();

		vi.setSystemTime(T0 + 20 * HOUR);
		const after = harness({ keychain });
		after.failNext(serverError());
		const second = await after.manager.get();
		expect(second).toStrictEqual(first);
		expect(after.mint).toHaveBeenCalledTimes(1);
		// The failed renewal is retried on its own (first retry after 15 s), and the renderer gets the new token.
		await advance(15 * SECOND);
		expect(after.mint).toHaveBeenCalledTimes(2);
		expect(after.onRenewed).toHaveBeenCalledTimes(1);
	});

	it('does not hand out a kept token that is about to expire when the mint fails', async () => {
		const keychain = new MemoryKeychain();
		const before = harness({ keychain });
		await before.manager.get();
		before.manager.stop();

		vi.setSystemTime(T0 + 24 * HOUR - 30 * SECOND);
		const after = harness({ keychain });
		after.failNext(serverError());
		expect(await after.manager.get()).toMatchObject({ ok: false, error: { code: 'SERVER_ERROR' } });
	});

	it('answers a failed mint as a sentence (describe), never throwing', async () => {
		const h = harness();
		h.failNext(new AuthenticationError(401, undefined, undefined, new Headers()));
		expect(await h.manager.get()).toMatchObject({ ok: false, error: { code: 'KEY_REJECTED' } });
		expect(h.kept()).toBeUndefined();
		// The next call tries again.
		expect((await h.manager.get()).ok).toBe(true);
		expect(h.mint).toHaveBeenCalledTimes(2);
	});

	it('shares one mint among concurrent callers', async () => {
		const h = harness({ mintDelayMs: 500 });
		const pending = Promise.all(Array.from({ length: 5 }, () => h.manager.get()));
		await advance(500);
		const results = await pending;
		expect(h.mint).toHaveBeenCalledTimes(1);
		for (const result of results) expect(result).toStrictEqual(results[0]);
	});

	it('shares one failed mint among concurrent callers, and tries again afterwards', async () => {
		const h = harness({ mintDelayMs: 500 });
		h.failNext(serverError());
		const pending = Promise.all([h.manager.get(), h.manager.get(), h.manager.get()]);
		await advance(500);
		const results = await pending;
		expect(h.mint).toHaveBeenCalledTimes(1);
		for (const result of results)
			expect(result).toMatchObject({ ok: false, error: { code: 'SERVER_ERROR' } });
		const retry = h.manager.get();
		await advance(500);
		expect((await retry).ok).toBe(true);
		expect(h.mint).toHaveBeenCalledTimes(2);
	});
});

describe('TokenManager renewal', () => {
	it('renews a 24 h token 6 h before expiry and tells the renderer', async () => {
		const h = harness();
		await h.manager.get();
		await advance(18 * HOUR - 1);
		expect(h.mint).toHaveBeenCalledTimes(1);
		expect(h.onRenewed).not.toHaveBeenCalled();

		await advance(1);
		expect(h.mint).toHaveBeenCalledTimes(2);
		expect(h.onRenewed).toHaveBeenCalledTimes(1);
		const renewed = h.onRenewed.mock.calls[0]?.[0] as { token: string; expiresAt: string };
		expect(renewed.expiresAt).toBe(new Date(T0 + 42 * HOUR).toISOString());
		expect(h.kept()?.token).toBe(renewed.token);
		// get() now answers the renewed token.
		expect(await h.manager.get()).toStrictEqual({ ok: true, value: renewed });

		// And the next renewal follows 18 h later.
		await advance(18 * HOUR);
		expect(h.mint).toHaveBeenCalledTimes(3);
		expect(h.onRenewed).toHaveBeenCalledTimes(2);
		expect(h.mintedAt).toStrictEqual([T0, T0 + 18 * HOUR, T0 + 36 * HOUR]);
	});

	it('W8: after a sleep past the renewal time (timers count only time awake), resume() renews at once', async () => {
		const h = harness();
		await h.manager.get();
		// 20 h asleep: the wall clock moves on, the renewal timer (due at 18 h) has not fired.
		vi.setSystemTime(T0 + 20 * HOUR);
		await settle();
		expect(h.mint).toHaveBeenCalledTimes(1);

		h.manager.resume();
		await settle();
		expect(h.mint).toHaveBeenCalledTimes(2);
		expect(h.onRenewed).toHaveBeenCalledTimes(1);
		expect(h.mintedAt).toStrictEqual([T0, T0 + 20 * HOUR]);
	});

	it('W8: after a short sleep, resume() keeps the renewal on the clock’s schedule', async () => {
		const h = harness();
		await h.manager.get();
		vi.setSystemTime(T0 + 10 * HOUR);
		h.manager.resume();
		// The renewal comes at 18 h by the clock: 8 h after the wake-up, not 18 h after it.
		await advance(8 * HOUR - 1);
		expect(h.mint).toHaveBeenCalledTimes(1);
		await advance(1);
		expect(h.mint).toHaveBeenCalledTimes(2);
	});

	it('W8: resume() does nothing before a token or after sign-out', async () => {
		const h = harness();
		h.manager.resume();
		await h.manager.get();
		await h.manager.forget();
		vi.setSystemTime(T0 + 20 * HOUR);
		h.manager.resume();
		await settle();
		expect(h.mint).toHaveBeenCalledTimes(1);
	});

	it('renews a 60 s token 30 s before expiry', async () => {
		const h = harness({ lifetimeMs: 60 * SECOND });
		await h.manager.get();
		await advance(30 * SECOND - 1);
		expect(h.mint).toHaveBeenCalledTimes(1);
		await advance(1);
		expect(h.mint).toHaveBeenCalledTimes(2);
		expect(h.onRenewed).toHaveBeenCalledTimes(1);
	});

	it('retries a failed renewal with backoff, without warning while plenty of time is left', async () => {
		const h = harness();
		await h.manager.get();
		h.failNext(serverError(), serverError(), serverError());
		await advance(18 * HOUR);
		await advance(15 * SECOND);
		await advance(30 * SECOND);
		await advance(60 * SECOND);
		expect(h.mintedAt.map((t) => t - T0)).toStrictEqual([
			0,
			18 * HOUR,
			18 * HOUR + 15 * SECOND,
			18 * HOUR + 45 * SECOND,
			18 * HOUR + 105 * SECOND,
		]);
		expect(h.onWarning).not.toHaveBeenCalled();
		expect(h.onRenewed).toHaveBeenCalledTimes(1);
		expect(h.logger.entries.filter((e) => e.event === 'token.renewFailed')).toHaveLength(3);
	});

	it('backs off 15 s, 30 s, 1 min, 2 min, then every 5 min', async () => {
		const h = harness();
		await h.manager.get();
		h.failAlways(serverError);
		await advance(18 * HOUR);
		await advance(30 * MINUTE);
		const gaps = h.mintedAt.slice(2).map((t, i) => t - (h.mintedAt[i + 1] ?? 0));
		expect(gaps.slice(0, 7)).toStrictEqual([
			15 * SECOND,
			30 * SECOND,
			MINUTE,
			2 * MINUTE,
			5 * MINUTE,
			5 * MINUTE,
			5 * MINUTE,
		]);
	});

	it('warns when renewal keeps failing and less than an hour is left, then recovers', async () => {
		const h = harness({ lifetimeMs: 2 * HOUR });
		await h.manager.get();
		h.failAlways(serverError);

		// Renewal is due with exactly one hour left: it fails, but there is still time.
		await advance(HOUR);
		expect(h.mint).toHaveBeenCalledTimes(2);
		expect(h.onWarning).not.toHaveBeenCalled();

		// 15 s later, less than an hour is left.
		await advance(15 * SECOND);
		expect(h.mint).toHaveBeenCalledTimes(3);
		expect(h.onWarning).toHaveBeenCalledTimes(1);
		expect(h.onWarning).toHaveBeenCalledWith({
			expiresAt: new Date(T0 + 2 * HOUR).toISOString(),
			message: expect.stringMatching(
				/^The app could not renew its Telnyx sign-in \(Telnyx had a problem \(HTTP 500\)\..*\) Calls stop working in about 60 min unless this is fixed\.$/,
			) as string,
		});

		await advance(30 * SECOND);
		expect(h.onWarning).toHaveBeenCalledTimes(2);

		h.failAlways(null);
		await advance(MINUTE);
		expect(h.onRenewed).toHaveBeenCalledTimes(1);
		expect(h.onWarning).toHaveBeenCalledTimes(2);
		// Back on the normal schedule: the next renewal is an hour before the new token expires.
		const minted = h.mint.mock.calls.length;
		await advance(HOUR - 1);
		expect(h.mint).toHaveBeenCalledTimes(minted);
		await advance(1);
		expect(h.mint).toHaveBeenCalledTimes(minted + 1);
	});

	it('counts down the minutes left in its warnings', async () => {
		const h = harness({ lifetimeMs: 2 * HOUR });
		await h.manager.get();
		h.failAlways(serverError);
		await advance(HOUR + 30 * MINUTE);
		const minutes = h.onWarning.mock.calls.map(([warning]) =>
			Number(/about (\d+) min/.exec((warning as { message: string }).message)?.[1]),
		);
		// One warning per failed attempt after the first, each with the minutes left at that attempt.
		const expected = h.mintedAt.slice(2).map((at) => Math.round((T0 + 2 * HOUR - at) / MINUTE));
		expect(minutes).toStrictEqual(expected);
		expect(minutes.length).toBeGreaterThan(5);
		expect(minutes.at(-1)).toBeLessThan(35);
	});

	it('stops retrying once the token has expired', async () => {
		const h = harness({ lifetimeMs: 2 * HOUR });
		await h.manager.get();
		h.failAlways(serverError);
		await advance(2 * HOUR);
		const attempts = h.mint.mock.calls.length;
		// The last attempt is at expiry itself (the backoff is capped by the time left).
		expect(h.mintedAt.at(-1)).toBe(T0 + 2 * HOUR);
		await advance(24 * HOUR);
		expect(h.mint).toHaveBeenCalledTimes(attempts);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('stops renewing after stop()', async () => {
		const h = harness();
		await h.manager.get();
		h.manager.stop();
		await advance(48 * HOUR);
		expect(h.mint).toHaveBeenCalledTimes(1);
	});
});

describe('TokenManager when the credential was deleted on the account', () => {
	it('re-creates the credential once, says so, and mints for the new one', async () => {
		const h = harness();
		h.failNext(notFound());
		const result = await h.manager.get();
		expect(result.ok).toBe(true);
		expect(h.recreateCredential).toHaveBeenCalledTimes(1);
		expect(h.mint.mock.calls).toStrictEqual([['cred-1'], ['cred-2']]);
		expect(h.onNotice).toHaveBeenCalledTimes(1);
		expect(h.onNotice.mock.calls[0]?.[0]).toMatch(/deleted on the account.*created a new one/);
		expect(h.kept()?.credentialId).toBe('cred-2');
		// And keeps using it.
		expect(await h.manager.get()).toStrictEqual(result);
		expect(h.mint).toHaveBeenCalledTimes(2);
	});

	it('re-creates it during a scheduled renewal too, and tells the renderer about the new token', async () => {
		const h = harness();
		await h.manager.get();
		h.failNext(notFound());
		await advance(18 * HOUR);
		expect(h.recreateCredential).toHaveBeenCalledTimes(1);
		expect(h.onNotice).toHaveBeenCalledTimes(1);
		expect(h.onRenewed).toHaveBeenCalledTimes(1);
		expect(h.mint.mock.calls).toStrictEqual([['cred-1'], ['cred-1'], ['cred-2']]);
	});

	it('re-creates it only once, however often Telnyx answers 404', async () => {
		const h = harness();
		h.failAlways(notFound);
		expect(await h.manager.get()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
		expect(await h.manager.get()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
		expect(await h.manager.get()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
		expect(h.recreateCredential).toHaveBeenCalledTimes(1);
		expect(h.onNotice).toHaveBeenCalledTimes(1);
	});

	it('does not re-create it for other failures', async () => {
		const h = harness();
		h.failNext(serverError());
		expect((await h.manager.get()).ok).toBe(false);
		expect(h.recreateCredential).not.toHaveBeenCalled();
		expect(h.onNotice).not.toHaveBeenCalled();
	});

	it('answers the failure when re-creating fails, without a notice', async () => {
		const h = harness();
		h.failNext(notFound());
		h.recreateCredential.mockRejectedValueOnce(serverError());
		expect(await h.manager.get()).toMatchObject({ ok: false, error: { code: 'SERVER_ERROR' } });
		expect(h.onNotice).not.toHaveBeenCalled();
	});
});

describe('TokenManager.forget', () => {
	it('deletes the kept token, stops renewing, and mints afresh next time', async () => {
		const h = harness();
		await h.manager.get();
		expect(h.kept()).toBeDefined();
		await h.manager.forget();
		expect(h.kept()).toBeUndefined();
		expect(h.keychain.values()).toStrictEqual([]);
		await advance(24 * HOUR);
		expect(h.mint).toHaveBeenCalledTimes(1);

		expect((await h.manager.get()).ok).toBe(true);
		expect(h.mint).toHaveBeenCalledTimes(2);
	});

	it('leaves nothing for the next run to reuse', async () => {
		const keychain = new MemoryKeychain();
		const before = harness({ keychain });
		await before.manager.get();
		await before.manager.forget();
		const after = harness({ keychain });
		await after.manager.get();
		expect(after.mint).toHaveBeenCalledTimes(1);
	});
});

describe('TokenManager when the installation signs out while a token is being minted', () => {
	it('answers "set up first" and keeps nothing, rather than failing as something unexpected', async () => {
		const h = harness({ mintDelayMs: 100 });
		const pending = h.manager.get();
		await settle();
		expect(h.mint).toHaveBeenCalledWith('cred-1');
		h.setCredential(null);
		await advance(100);
		expect(await pending).toStrictEqual({
			ok: false,
			error: { code: 'NOT_FOUND', message: 'Set up the Telnyx account first.' },
		});
		expect(h.kept()).toBeUndefined();
		expect(h.logger.entries.filter((e) => e.level !== 'info')).toStrictEqual([]);
	});

	it('a renewal due after sign-out mints nothing and warns of nothing', async () => {
		const h = harness({ lifetimeMs: 2 * HOUR });
		expect((await h.manager.get()).ok).toBe(true);
		h.setCredential(null);
		await advance(2 * HOUR);
		expect(h.mint).toHaveBeenCalledTimes(1);
		expect(h.onWarning).not.toHaveBeenCalled();
		expect(h.onRenewed).not.toHaveBeenCalled();
	});
});
