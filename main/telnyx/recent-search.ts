/**
 * The key check is a real read: the search for the app's connections (`filter[connection_name][contains]`).
 * Its answer is kept a short while so the provisioning run that follows the key at once starts from it
 * instead of asking Telnyx the same question again (one request fewer on every first run).
 *
 * It is kept only for the key and endpoint that made it, handed out once, and only while it is fresh: the
 * search tells the run whether the app's connection exists, and the older the answer, the longer the window
 * in which another installation could create one unseen (the same race a run has between its own search and
 * its create, made longer). After `maxAgeMs` the run searches again.
 */
import { createHash } from 'node:crypto';
import type { ConnectionInfo } from './telnyx-api';

/** How long a key check's search stands in for the run's own: the key step to the "Set up" click. */
export const SEARCH_MAX_AGE_MS = 60_000;

interface Kept {
	readonly fingerprint: string;
	readonly connections: readonly ConnectionInfo[];
	readonly at: number;
}

/** A digest, so no second copy of the key is held for this. */
const fingerprint = (apiKey: string, baseUrl: string) =>
	createHash('sha256').update(`${baseUrl}\n${apiKey}`).digest('hex');

export class RecentSearch {
	readonly #now: () => number;
	readonly #maxAgeMs: number;
	#kept: Kept | null = null;

	constructor(now: () => number = Date.now, maxAgeMs = SEARCH_MAX_AGE_MS) {
		this.#now = now;
		this.#maxAgeMs = maxAgeMs;
	}

	/** Keeps what the search made with this key and endpoint found (replacing anything kept before). */
	keep(apiKey: string, baseUrl: string, connections: readonly ConnectionInfo[]): void {
		this.#kept = { fingerprint: fingerprint(apiKey, baseUrl), connections, at: this.#now() };
	}

	/**
	 * The kept answer when it was made with this key and endpoint less than `maxAgeMs` ago, else undefined.
	 * Whatever was kept is gone after this call: a second run, or a run after a failed one, searches again.
	 */
	take(apiKey: string, baseUrl: string): readonly ConnectionInfo[] | undefined {
		const kept = this.#kept;
		this.#kept = null;
		if (kept === null || kept.fingerprint !== fingerprint(apiKey, baseUrl)) return undefined;
		const age = this.#now() - kept.at;
		return age >= 0 && age < this.#maxAgeMs ? kept.connections : undefined;
	}

	forget(): void {
		this.#kept = null;
	}
}
