/**
 * The login token's lifecycle. Main mints a 24-hour JWT for this installation's credential, hands the renderer
 * `{ token, expiresAt }`, and renews it well before expiry (a quarter of its life early, at least one hour),
 * pushing the new one to the renderer, which logs in again on its live socket. A failed renewal is retried
 * with backoff until the token expires, and the user is warned as expiry nears.
 *
 * The token is kept in the keychain beside the API key (never in the settings file), so a restart with a
 * still-valid token registers without any REST request. If the credential was deleted on the account, it is
 * re-created once, and the user is told.
 */
import { APIError } from 'telnyx';
import type { LoginToken, Result, TelnyxFailure } from '../../preload/contract';
import type { Logger } from '../logger';
import type { SecretStore } from '../secrets/secret-store';

const HOUR = 60 * 60 * 1000;
/** A token closer than this to its expiry is not handed out: the renderer could not even log in with it. */
const MIN_USEFUL_MS = 60_000;
/** Backoff between failed renewals. */
const RETRY_DELAYS_MS = [15_000, 30_000, 60_000, 120_000, 300_000];

interface StoredToken {
	readonly token: string;
	/** Milliseconds since the epoch. */
	readonly issuedAt: number;
	readonly expiresAt: number;
	readonly credentialId: string;
}

/** The `iat` and `exp` of a JWT, in milliseconds; null when it is not a JWT with both. */
export function tokenTimes(token: string): { issuedAt: number; expiresAt: number } | null {
	const payload = token.split('.')[1];
	if (payload === undefined) return null;
	try {
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
			iat?: unknown;
			exp?: unknown;
		};
		if (typeof claims.exp !== 'number') return null;
		const issuedAt = typeof claims.iat === 'number' ? claims.iat : claims.exp - 24 * 60 * 60;
		return { issuedAt: issuedAt * 1000, expiresAt: claims.exp * 1000 };
	} catch {
		return null;
	}
}

/** When to renew: a quarter of the token's life before expiry, but at least one hour (at most half its life). */
export function renewalTime(issuedAt: number, expiresAt: number): number {
	const lifetime = Math.max(0, expiresAt - issuedAt);
	const lead = Math.min(Math.max(HOUR, lifetime / 4), lifetime / 2);
	return expiresAt - lead;
}

export interface TokenManagerDeps {
	readonly secrets: SecretStore;
	/** The keychain account for the token (one per REST endpoint, beside the key). */
	readonly account: () => string;
	/** This installation's credential, or null before provisioning. */
	readonly credentialId: () => string | null;
	readonly mint: (credentialId: string) => Promise<string>;
	/** Re-creates the credential after it was deleted on the account; resolves its new id. */
	readonly recreateCredential: () => Promise<string>;
	readonly describe: (error: unknown) => TelnyxFailure;
	readonly onRenewed: (token: LoginToken) => void;
	readonly onWarning: (warning: { expiresAt: string; message: string }) => void;
	/** Told when the credential had to be re-created. */
	readonly onNotice: (message: string) => void;
	readonly logger: Logger;
	readonly now?: () => number;
}

const toLoginToken = (stored: StoredToken): LoginToken => ({
	token: stored.token,
	expiresAt: new Date(stored.expiresAt).toISOString(),
});

const SET_UP_FIRST: TelnyxFailure = {
	code: 'NOT_FOUND',
	message: 'Set up the Telnyx account first.',
};

/** The installation's credential went away (sign-out, cleanup) while a token was being minted for it. */
class CredentialGone extends Error {}

export class TokenManager {
	readonly #deps: TokenManagerDeps;
	readonly #now: () => number;
	#current: StoredToken | null = null;
	#timer: NodeJS.Timeout | null = null;
	#failures = 0;
	#recreated = false;
	/** A mint in progress, shared by everyone who asks meanwhile. */
	#minting: Promise<StoredToken> | null = null;

	constructor(deps: TokenManagerDeps) {
		this.#deps = deps;
		this.#now = deps.now ?? Date.now;
	}

	/** A token still comfortably valid: the one in hand, the one kept in the keychain, or a new one. */
	async get(): Promise<Result<LoginToken, TelnyxFailure>> {
		const credentialId = this.#deps.credentialId();
		if (credentialId === null) return { ok: false, error: SET_UP_FIRST };
		const usable = (t: StoredToken | null): t is StoredToken =>
			t !== null &&
			t.credentialId === credentialId &&
			this.#now() < renewalTime(t.issuedAt, t.expiresAt);
		if (!usable(this.#current)) {
			const kept = await this.#load();
			if (usable(kept)) this.#current = kept;
		}
		if (usable(this.#current)) {
			this.#schedule(this.#current);
			return { ok: true, value: toLoginToken(this.#current) };
		}
		try {
			const fresh = await this.#mintShared(credentialId);
			return { ok: true, value: toLoginToken(fresh) };
		} catch (error) {
			if (error instanceof CredentialGone) return { ok: false, error: SET_UP_FIRST };
			// Renewal is due but failed: a token that still works is better than none, and renewal keeps trying.
			const fallback = this.#current ?? (await this.#load());
			if (
				fallback !== null &&
				fallback.credentialId === credentialId &&
				this.#now() < fallback.expiresAt - MIN_USEFUL_MS
			) {
				this.#current = fallback;
				this.#retryLater(fallback, error);
				return { ok: true, value: toLoginToken(fallback) };
			}
			return { ok: false, error: this.#deps.describe(error) };
		}
	}

	/**
	 * The computer woke up. Timers count only the time it was awake, so the renewal timer may now be hours
	 * late: it is set again from the clock, and renews at once if renewal is already due.
	 */
	resume(): void {
		// Nothing scheduled: no token yet, signed out, or renewal gave up at expiry.
		if (this.#current === null || this.#timer === null) return;
		this.#schedule(this.#current);
	}

	/** Forgets the token (sign-out, another account): memory, timers and keychain. */
	async forget(): Promise<void> {
		this.stop();
		this.#current = null;
		await this.#deps.secrets.delete(this.#deps.account());
	}

	stop(): void {
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
	}

	#mintShared(credentialId: string): Promise<StoredToken> {
		this.#minting ??= this.#mint(credentialId).finally(() => {
			this.#minting = null;
		});
		return this.#minting;
	}

	/**
	 * Mints for the credential the caller checked (not one read again later: sign-out or cleanup may land in
	 * between). A token whose credential is no longer this installation's by the time it arrives is dropped.
	 */
	async #mint(checked: string): Promise<StoredToken> {
		let credentialId = checked;
		let token: string;
		try {
			token = await this.#deps.mint(credentialId);
		} catch (error) {
			// The credential was deleted on the account (portal, another tool): re-create it, once.
			if (!(error instanceof APIError && error.status === 404) || this.#recreated) throw error;
			this.#recreated = true;
			credentialId = await this.#deps.recreateCredential();
			this.#deps.onNotice(
				'This computer’s Telnyx credential had been deleted on the account, so the app created a new one.',
			);
			token = await this.#deps.mint(credentialId);
		}
		if (this.#deps.credentialId() !== credentialId) throw new CredentialGone();
		const times = tokenTimes(token);
		if (times === null) throw new Error('Telnyx sent a login token without an expiry');
		const stored: StoredToken = { token, ...times, credentialId };
		this.#current = stored;
		this.#failures = 0;
		// Best effort: without a keychain the token lives in memory, and a restart mints a new one.
		await this.#deps.secrets.set(this.#deps.account(), JSON.stringify(stored));
		this.#schedule(stored);
		return stored;
	}

	async #load(): Promise<StoredToken | null> {
		const read = await this.#deps.secrets.get(this.#deps.account());
		if (read.state !== 'ok' || read.value === null) return null;
		try {
			const parsed = JSON.parse(read.value) as Partial<StoredToken>;
			if (typeof parsed.token !== 'string' || typeof parsed.credentialId !== 'string') return null;
			const times = tokenTimes(parsed.token);
			return times === null
				? null
				: { token: parsed.token, credentialId: parsed.credentialId, ...times };
		} catch {
			return null;
		}
	}

	#schedule(token: StoredToken): void {
		this.stop();
		this.#timer = setTimeout(
			() => void this.#renew(token),
			Math.max(0, renewalTime(token.issuedAt, token.expiresAt) - this.#now()),
		);
		this.#timer.unref?.();
	}

	async #renew(previous: StoredToken): Promise<void> {
		// Signed out (or the account cleaned up) since the timer was set: nothing to renew, nothing to say.
		const credentialId = this.#deps.credentialId();
		if (credentialId === null) return;
		try {
			const fresh = await this.#mintShared(credentialId);
			this.#deps.onRenewed(toLoginToken(fresh));
		} catch (error) {
			if (error instanceof CredentialGone) return;
			this.#retryLater(previous, error);
		}
	}

	/** After a failed renewal: warn when expiry is near, and try again with backoff until the token expires. */
	#retryLater(previous: StoredToken, error: unknown): void {
		const failure = this.#deps.describe(error);
		this.#deps.logger.warn('token.renewFailed', { code: failure.code });
		const left = previous.expiresAt - this.#now();
		if (left <= 0) return;
		if (left < HOUR) {
			const minutes = Math.max(1, Math.round(left / 60_000));
			this.#deps.onWarning({
				expiresAt: new Date(previous.expiresAt).toISOString(),
				message: `The app could not renew its Telnyx sign-in (${failure.message}) Calls stop working in about ${minutes} min unless this is fixed.`,
			});
		}
		const delay = Math.min(RETRY_DELAYS_MS[this.#failures] ?? 300_000, left);
		this.#failures += 1;
		this.stop();
		this.#timer = setTimeout(() => void this.#renew(previous), delay);
		this.#timer.unref?.();
	}
}
