/**
 * When the directory of installations may reach Telnyx: the decision alone, over an injected clock and random
 * source, so it is tested with a fake clock and the page cannot change it.
 *
 * Every installation on an account runs this same policy, and Telnyx limits requests per account, so each
 * installation takes only its share of a fixed account-wide budget: with N installations (the list's
 * `meta.total_results`), one installation refreshes at most once per N / budget minutes and searches at
 * most once per N / budget minutes of its own. N installations together then stay under the budget whatever
 * N is: the account-wide rate is flat in the number of installations.
 *
 * - The cache answers at once; a refresh happens only when asked (registration, window focus, the dialer)
 *   and the cache is stale (stale-while-revalidate). No timer: an idle app makes no requests.
 * - Each refresh draws when the cache goes stale again, uniformly in [interval, 1.5 × interval), so
 *   installations started together drift apart instead of refreshing in step.
 * - Searches use a token bucket whose first token arrives at a random point of the first interval (a fleet
 *   starting together does not search together), holding at most a few tokens.
 * - A refresh in flight is joined, never repeated; a failed one waits out the interval too, so a page asking
 *   in a loop while Telnyx fails cannot turn into a request loop.
 * - A directory kept on disk from an earlier run answers at once after a restart. Still fresh, it is
 *   refreshed when it would have been; already stale (the app was closed overnight), its refresh is put at a
 *   random point of the next interval rather than at once, so a fleet started at nine in the morning does not
 *   refresh in the same minute.
 */

/** Account-wide REST requests a minute the directory may cost with every installation running. */
export const DIRECTORY_BUDGET_PER_MINUTE = 60;
/**
 * The planned shares of that budget, in requests a minute: refreshes and searches. They add to 40, not 60:
 * installations' requests land at random minutes, and the headroom absorbs the busiest minute (the benchmark
 * prints it: `npm run bench:directory`).
 */
export const REFRESH_SHARE_PER_MINUTE = 24;
export const SEARCH_SHARE_PER_MINUTE = 16;
/**
 * However small the account, a refresh at most every minute and a search every thirty seconds. A minute, not
 * more: on the small accounts most customers have (under 24 installations) an installation set up a moment
 * ago shows in the others' lists the next time their window gets the focus, and all of them together still
 * make at most 24 requests a minute.
 */
export const MIN_REFRESH_MS = 60_000;
export const MIN_SEARCH_MS = 30_000;
/** Searches an installation may save up (a user looking for a few names in a row). */
export const MAX_SEARCH_TOKENS = 3;
/** How much later than the interval a refresh may be due: up to half an interval. */
export const JITTER = 0.5;

/** The shortest time between two refreshes of one installation when the account has `total` installations. */
export function refreshIntervalMs(total: number): number {
	return Math.max(MIN_REFRESH_MS, (Math.max(1, total) * 60_000) / REFRESH_SHARE_PER_MINUTE);
}

/** How long one installation waits for each new search when the account has `total` installations. */
export function searchIntervalMs(total: number): number {
	return Math.max(MIN_SEARCH_MS, (Math.max(1, total) * 60_000) / SEARCH_SHARE_PER_MINUTE);
}

export interface DirectoryPolicyDeps {
	readonly now: () => number;
	/** Uniform in [0, 1). */
	readonly random: () => number;
}

export class DirectoryPolicy {
	readonly #now: () => number;
	readonly #random: () => number;
	/** Installations on the account as Telnyx last counted them; null until the first page. */
	#total: number | null = null;
	/** When the next refresh may start; 0: at once (nothing fetched yet). */
	#refreshDueAt = 0;
	#refreshing = false;
	#tokens = 0;
	/** When the next search token arrives; null until the account's size is known. */
	#nextTokenAt: number | null = null;

	constructor({ now, random }: DirectoryPolicyDeps) {
		this.#now = now;
		this.#random = random;
	}

	/** Installations on the account, as last counted (null before the first page). */
	get total(): number | null {
		return this.#total;
	}

	/** Whether a refresh should start now: none in flight and the cache stale (or never filled). */
	shouldRefresh(): boolean {
		return !this.#refreshing && this.#now() >= this.#refreshDueAt;
	}

	refreshStarted(): void {
		this.#refreshing = true;
	}

	/** A page arrived; `total` is its `meta.total_results`. */
	refreshSucceeded(total: number): void {
		this.#refreshing = false;
		this.#total = Math.max(1, total);
		this.#refreshDueAt = this.#now() + this.#jittered(refreshIntervalMs(this.#total));
		// The first search token arrives at a random point of the first interval.
		this.#nextTokenAt ??= this.#now() + this.#random() * searchIntervalMs(this.#total);
	}

	/** A page kept from an earlier run, fetched at `fetchedAt`, counting `total` installations. */
	restored(total: number, fetchedAt: number): void {
		this.#total = Math.max(1, total);
		const interval = refreshIntervalMs(this.#total);
		const now = this.#now();
		const fresh = fetchedAt <= now && fetchedAt + interval > now;
		this.#refreshDueAt = fresh
			? fetchedAt + this.#jittered(interval)
			: now + this.#random() * interval;
		this.#nextTokenAt = now + this.#random() * searchIntervalMs(this.#total);
	}

	/** The refresh failed: the next one waits as long as after a success (Telnyx may be limiting us). */
	refreshFailed(): void {
		this.#refreshing = false;
		this.#refreshDueAt = this.#now() + this.#jittered(refreshIntervalMs(this.#total ?? 1));
	}

	/** Takes a search token if one is there; false means: answer from the cache alone. */
	takeSearch(): boolean {
		this.#refill();
		if (this.#tokens < 1) return false;
		this.#tokens -= 1;
		return true;
	}

	/** Forgets everything (another key, another account). */
	reset(): void {
		this.#total = null;
		this.#refreshDueAt = 0;
		this.#refreshing = false;
		this.#tokens = 0;
		this.#nextTokenAt = null;
	}

	#refill(): void {
		if (this.#nextTokenAt === null || this.#total === null) return;
		const interval = searchIntervalMs(this.#total);
		const now = this.#now();
		if (this.#nextTokenAt > now) return;
		const arrived = Math.floor((now - this.#nextTokenAt) / interval) + 1;
		this.#tokens = Math.min(MAX_SEARCH_TOKENS, this.#tokens + arrived);
		this.#nextTokenAt += arrived * interval;
	}

	#jittered(interval: number): number {
		return interval * (1 + JITTER * this.#random());
	}
}
