/**
 * The directory of installations as main keeps it: a cache of one page of the app's credentials, plus the
 * installations found by search, answered at once; the network only when `DirectoryPolicy` allows it. The page
 * asks as often as it likes (registration, focus, typing in the dialer): what reaches Telnyx is decided here.
 *
 * What the page holds: the first page (250, Telnyx's largest) of the credentials tagged with the app's tag.
 * Telnyx's telephony-credentials list has no sort parameter and only exact filters (`filter[tag]`,
 * `filter[name]`, `filter[sip_username]`, …), so the page is in Telnyx's own order; up to 250 installations it
 * is the whole directory. Beyond that, an installation not on the page is found by an exact search: its SIP
 * user name, or its credential's full name (see `searchFilter`).
 */
import type { Installation, Result, TelnyxFailure } from '../../preload/contract';
import { DirectoryPolicy, refreshIntervalMs } from './directory-policy';
import { deviceOf } from './provisioning';
import { APP_TAG, type CredentialInfo, type TelnyxApi } from './telnyx-api';

/** Telnyx's largest page for this list (`page[size]` maximum 250). */
export const DIRECTORY_PAGE_SIZE = 250;
/** A search asks for at most this many matches (an exact filter rarely has more than one). */
const SEARCH_PAGE_SIZE = 20;
/** Shorter queries are answered from the cache only. */
export const MIN_SEARCH_LENGTH = 3;

/** What the directory keeps between runs: the page, when it was fetched, and the account's count. */
export interface DirectorySnapshot {
	readonly fetchedAt: number;
	readonly total: number;
	readonly credentials: readonly CredentialInfo[];
}

/** Where the snapshot is kept (main: `directory-file.ts`; the benchmark: memory). */
export interface DirectorySnapshots {
	load(): Promise<DirectorySnapshot | null>;
	/** null: forget it (another key). */
	save(snapshot: DirectorySnapshot | null): Promise<void>;
}

export interface DirectoryDeps {
	/** A REST client for the stored key (throws when there is none). */
	readonly api: () => Promise<TelnyxApi>;
	readonly describe: (error: unknown) => TelnyxFailure;
	/** This installation's credential id, to mark it `self`. */
	readonly selfId: () => string | null;
	readonly now: () => number;
	readonly random: () => number;
	/** Keeps the page across restarts; none: memory only. */
	readonly snapshots?: DirectorySnapshots;
}

/**
 * The exact filter a typed query maps to: a SIP address or user name (letters and digits with at least one
 * digit, 8 or more, as Telnyx's generated user names are) by `filter[sip_username]`; anything else as a
 * credential's full name by `filter[name]`. Telnyx offers no partial match for this list.
 */
export function searchFilter(query: string): { sip_username: string } | { name: string } {
	const trimmed = query.trim();
	const user = /^sip:([^@\s]+)(?:@\S+)?$/i.exec(trimmed)?.[1] ?? trimmed;
	if (/^[A-Za-z0-9]{8,}$/.test(user) && /\d/.test(user)) return { sip_username: user };
	return { name: trimmed };
}

export class Directory {
	readonly #deps: DirectoryDeps;
	readonly #policy: DirectoryPolicy;
	#page: readonly CredentialInfo[] | null = null;
	/** Installations found by search that were not on the page, by credential id. */
	readonly #found = new Map<string, CredentialInfo>();
	/** Queries already asked of Telnyx (found or not) and when, so the same one is not asked again soon. */
	readonly #asked = new Map<string, number>();
	#refresh: Promise<void> | null = null;
	#lastFailure: TelnyxFailure | null = null;
	/** Bumped by `reset`, so an answer for the previous key is dropped. */
	#generation = 0;
	/** The snapshot from an earlier run, read once before the first answer. */
	#restoring: Promise<void> | null = null;

	constructor(deps: DirectoryDeps) {
		this.#deps = deps;
		this.#policy = new DirectoryPolicy({ now: deps.now, random: deps.random });
	}

	/**
	 * The directory: from the cache at once, refreshed in the background when stale. Only a cold cache (never
	 * filled) waits for Telnyx.
	 */
	async list(): Promise<Result<readonly Installation[], TelnyxFailure>> {
		this.#restoring ??= this.#restore();
		await this.#restoring;
		this.#maybeRefresh();
		if (this.#page === null && this.#refresh !== null) await this.#refresh;
		if (this.#page === null) return { ok: false, error: this.#lastFailure ?? this.#noAnswer() };
		return { ok: true, value: this.#view() };
	}

	/**
	 * The directory, after looking for `query` when the cache has no installation matching it: one exact
	 * search, if the policy has a search to spare. Answers the whole directory (the found ones added).
	 */
	async search(query: string): Promise<Result<readonly Installation[], TelnyxFailure>> {
		const listed = await this.list();
		if (!listed.ok) return listed;
		const key = query.trim().toLowerCase();
		if (key.length < MIN_SEARCH_LENGTH || this.#matchesCached(key) || this.#askedRecently(key))
			return listed;
		if (!this.#policy.takeSearch()) return listed;
		const generation = this.#generation;
		try {
			const api = await this.#deps.api();
			const { credentials } = await api.credentialPage(
				{ tag: APP_TAG, ...searchFilter(query) },
				SEARCH_PAGE_SIZE,
			);
			if (generation !== this.#generation) return listed;
			this.#asked.set(key, this.#deps.now());
			for (const credential of credentials) this.#found.set(credential.id, credential);
		} catch (error) {
			return { ok: false, error: this.#deps.describe(error) };
		}
		return { ok: true, value: this.#view() };
	}

	/** Resolves once no refresh is in flight (tests and the benchmark wait on it). */
	async idle(): Promise<void> {
		while (this.#refresh !== null) await this.#refresh;
	}

	/** Forgets the cache and the policy's state: the key (and so perhaps the account) changed. */
	reset(): void {
		this.#generation += 1;
		// Nothing is read back after a reset: the kept page may be another account's.
		this.#restoring = Promise.resolve();
		void this.#deps.snapshots?.save(null);
		this.#page = null;
		this.#found.clear();
		this.#asked.clear();
		this.#lastFailure = null;
		this.#refresh = null;
		this.#policy.reset();
	}

	#maybeRefresh(): void {
		if (!this.#policy.shouldRefresh()) return;
		this.#policy.refreshStarted();
		const generation = this.#generation;
		const run = (async () => {
			try {
				const api = await this.#deps.api();
				const page = await api.credentialPage({ tag: APP_TAG }, DIRECTORY_PAGE_SIZE);
				if (generation !== this.#generation) return;
				this.#page = page.credentials;
				this.#lastFailure = null;
				// Search results on the page now are kept there; the rest stay until they age out.
				for (const credential of page.credentials) this.#found.delete(credential.id);
				this.#policy.refreshSucceeded(page.total);
				this.#forgetOldQueries();
				await this.#deps.snapshots?.save({
					fetchedAt: this.#deps.now(),
					total: page.total,
					credentials: page.credentials,
				});
			} catch (error) {
				if (generation !== this.#generation) return;
				this.#lastFailure = this.#deps.describe(error);
				this.#policy.refreshFailed();
			} finally {
				if (generation === this.#generation) this.#refresh = null;
			}
		})();
		this.#refresh = run;
	}

	async #restore(): Promise<void> {
		const generation = this.#generation;
		const snapshot = await this.#deps.snapshots?.load();
		if (snapshot == null || generation !== this.#generation || this.#page !== null) return;
		this.#page = snapshot.credentials;
		this.#policy.restored(snapshot.total, snapshot.fetchedAt);
	}

	#view(): Installation[] {
		const self = this.#deps.selfId();
		return [...(this.#page ?? []), ...this.#found.values()]
			.filter((c) => !c.expired)
			.map((c) => ({ name: deviceOf(c.name), sipUsername: c.sipUsername, self: c.id === self }));
	}

	#matchesCached(key: string): boolean {
		const user = /^sip:([^@\s]+)/i.exec(key)?.[1] ?? key;
		return [...(this.#page ?? []), ...this.#found.values()].some(
			(c) =>
				c.name.toLowerCase().includes(key) ||
				deviceOf(c.name).toLowerCase().includes(key) ||
				c.sipUsername.toLowerCase() === user,
		);
	}

	#askedRecently(key: string): boolean {
		const at = this.#asked.get(key);
		return at !== undefined && this.#deps.now() - at < this.#maxAge();
	}

	/** A query's answer (found or not) is trusted as long as the page is. */
	#maxAge(): number {
		return refreshIntervalMs(this.#policy.total ?? 1);
	}

	#forgetOldQueries(): void {
		const now = this.#deps.now();
		for (const [key, at] of this.#asked) if (now - at >= this.#maxAge()) this.#asked.delete(key);
	}

	#noAnswer(): TelnyxFailure {
		return {
			code: 'UNEXPECTED',
			message: 'The directory could not be read just now. It will be tried again later.',
		};
	}
}
