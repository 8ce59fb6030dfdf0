/**
 * The directory of installations as main keeps it: a cache of one page of the app's credentials, plus the
 * installations found by search, answered at once; the network only when `DirectoryPolicy` allows it. The page
 * asks as often as it likes (registration, focus, typing in the dialer): what reaches Telnyx is decided here.
 *
 * What the page holds: the first page (250, Telnyx's largest) of the credentials tagged with the app's tag.
 * Telnyx's telephony-credentials list has no sort parameter and only exact filters (`filter[tag]`,
 * `filter[name]`, `filter[sip_username]`, …), so the page is in Telnyx's own order; up to 250 installations it
 * is the whole directory. Beyond that, an installation not on the page is found by an exact search: its SIP
 * user name, or its credential's full name. Which text may be searched is `directorySearch` (in the preload
 * folder, so the renderer's dialer applies the same rule and never asks for what main would not send).
 */
import type { Installation, Result, TelnyxFailure } from '../../preload/contract';
import { directorySearch } from '../../preload/limits';
import { DirectoryPolicy, refreshIntervalMs } from './directory-policy';
import { deviceOf } from './provisioning';
import { APP_TAG, type CredentialInfo, type TelnyxApi } from './telnyx-api';

/** Telnyx's largest page for this list (`page[size]` maximum 250). */
export const DIRECTORY_PAGE_SIZE = 250;
/** A search asks for at most this many matches (an exact filter rarely has more than one). */
const SEARCH_PAGE_SIZE = 20;
/** How long a stale cache waits for its refresh before answering what it holds. */
export const STALE_WAIT_MS = 1000;

/** Resolves when `work` settles or after `ms`, whichever comes first (never rejects). */
async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	await Promise.race([
		work.catch(() => undefined),
		new Promise((resolve) => (timer = setTimeout(resolve, ms))),
	]);
	clearTimeout(timer);
}

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

export class Directory {
	readonly #deps: DirectoryDeps;
	readonly #policy: DirectoryPolicy;
	#page: readonly CredentialInfo[] | null = null;
	/**
	 * Installations found by search that were not on the page, by credential id, with when they were found.
	 * Trusted as long as a query's answer is (`#maxAge`), then dropped: the credential may be gone by then,
	 * and a new search for it finds it again (its query is forgotten at the same time).
	 */
	readonly #found = new Map<string, { readonly credential: CredentialInfo; readonly at: number }>();
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
	 * The directory: from the cache, refreshed when stale. A cold cache (never filled) waits for Telnyx; a
	 * stale one waits at most `STALE_WAIT_MS` for a refresh under way and otherwise answers what it has — so
	 * the window that got the focus shows an installation set up meanwhile at once rather than on the next
	 * ask (nothing tells the page later), and a slow Telnyx never holds the list up.
	 */
	async list(): Promise<Result<readonly Installation[], TelnyxFailure>> {
		this.#restoring ??= this.#restore();
		await this.#restoring;
		this.#forgetOld();
		this.#maybeRefresh();
		if (this.#page === null && this.#refresh !== null) await this.#refresh;
		else if (this.#refresh !== null) await settledWithin(this.#refresh, STALE_WAIT_MS);
		if (this.#page === null) return { ok: false, error: this.#lastFailure ?? this.#noAnswer() };
		return { ok: true, value: this.#view() };
	}

	/**
	 * The directory, after looking for `query` when Telnyx could match it exactly and no held installation
	 * answers to it (`directorySearch`): one exact search, if the policy has a search to spare. Anything else
	 * is answered from the cache without spending one. Answers the whole directory (the found ones added).
	 */
	async search(query: string): Promise<Result<readonly Installation[], TelnyxFailure>> {
		const listed = await this.list();
		if (!listed.ok) return listed;
		const filter = directorySearch(query, this.#held());
		if (filter === null) return listed;
		// By what is asked, so `gencred…` and `sip:gencred…@sip.telnyx.com` are one question.
		const key = (
			'name' in filter ? `name:${filter.name}` : `user:${filter.sip_username}`
		).toLowerCase();
		if (this.#askedRecently(key)) return listed;
		if (!this.#policy.takeSearch()) return listed;
		const generation = this.#generation;
		try {
			const api = await this.#deps.api();
			const { credentials } = await api.credentialPage(
				{ tag: APP_TAG, ...filter },
				SEARCH_PAGE_SIZE,
			);
			if (generation !== this.#generation) return listed;
			const at = this.#deps.now();
			this.#asked.set(key, at);
			for (const credential of credentials) this.#found.set(credential.id, { credential, at });
		} catch (error) {
			return { ok: false, error: this.#deps.describe(error) };
		}
		return { ok: true, value: this.#view() };
	}

	/** What the cache holds now, answered at once: no refresh, no wait (the dialer asks per keystroke). */
	held(): readonly Installation[] {
		this.#forgetOld();
		return this.#view();
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
				// Search results on the page now are kept there; the rest stay until they age out (`#forgetOld`).
				for (const credential of page.credentials) this.#found.delete(credential.id);
				this.#policy.refreshSucceeded(page.total);
				this.#forgetOld();
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

	/** The page and the installations found by search, as held now (their full credential names). */
	#held(): CredentialInfo[] {
		return [...(this.#page ?? []), ...[...this.#found.values()].map((found) => found.credential)];
	}

	#view(): Installation[] {
		const self = this.#deps.selfId();
		return this.#held()
			.filter((c) => !c.expired)
			.map((c) => ({ name: deviceOf(c.name), sipUsername: c.sipUsername, self: c.id === self }));
	}

	#askedRecently(key: string): boolean {
		const at = this.#asked.get(key);
		return at !== undefined && this.#deps.now() - at < this.#maxAge();
	}

	/** A query's answer (found or not) is trusted as long as the page is. */
	#maxAge(): number {
		return refreshIntervalMs(this.#policy.total ?? 1);
	}

	/** Drops the queries and the installations found by search that are older than `#maxAge`. */
	#forgetOld(): void {
		const now = this.#deps.now();
		const maxAge = this.#maxAge();
		for (const [key, at] of this.#asked) if (now - at >= maxAge) this.#asked.delete(key);
		for (const [id, found] of this.#found) if (now - found.at >= maxAge) this.#found.delete(id);
	}

	#noAnswer(): TelnyxFailure {
		return {
			code: 'UNEXPECTED',
			message: 'The directory could not be read just now. It will be tried again later.',
		};
	}
}
