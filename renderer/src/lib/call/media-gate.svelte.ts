/**
 * The critical path from an answered call to its media (docs/renderer-performance.md, "Critical path"):
 * calls answered (on either side) whose media has not connected yet are `pending`, and work off the media
 * path (history writes, reports to main) waits until none is — or for `waitMs`, so a call whose media never
 * connects does not hold the tray and history back until the SDK gives up on it.
 */
import type { CallSnapshot } from '../telephony/softphone';
import { MediaWaits } from './call-ledger';

export class MediaGate {
	#pending = $state.raw<readonly string[]>([]);
	/** An answered call's media is connecting: work off the media path waits. */
	pending = $derived(this.#pending.length > 0);

	readonly #waitMs: number;
	/** Called once nothing is pending any more, after the held work (the store sends its held report). */
	readonly #onSettled: () => void;
	readonly #waits = new MediaWaits();
	/** Work held while `pending`, run in order once it is not. */
	#held: (() => void)[] = [];

	constructor(waitMs: number, onSettled: () => void) {
		this.#waitMs = waitMs;
		this.#onSettled = onSettled;
	}

	/** Runs `work` now, or once no answered call's media is still connecting. */
	whenSettled(work: () => void): void {
		if (this.pending) this.#held.push(work);
		else work();
	}

	/**
	 * Follows a call's way from its answer to connected media. `ended`: the call is over (or already
	 * recorded: a late update of an ended call is not a call to wait for).
	 */
	track(call: CallSnapshot, ended: boolean): void {
		const waiting = this.#pending.includes(call.id);
		const settled = ended || call.mediaConnected === true || this.#waits.waited.has(call.id);
		if (settled) {
			if (!ended) this.#waits.waited.add(call.id);
			else this.#waits.waited.delete(call.id);
			if (waiting) this.#stopWaiting(call.id);
			return;
		}
		if (waiting || (call.phase !== 'active' && call.phase !== 'connecting')) return;
		this.#pending = [...this.#pending, call.id];
		this.#waits.timers.set(
			call.id,
			setTimeout(() => {
				this.#waits.waited.add(call.id);
				this.#stopWaiting(call.id);
				this.flush();
			}, this.#waitMs),
		);
	}

	/** Once no answered call's media is connecting: the held work, then `onSettled`. */
	flush(): void {
		if (this.pending) return;
		for (const work of this.#held.splice(0)) work();
		this.#onSettled();
	}

	dispose(): void {
		for (const timer of this.#waits.timers.values()) clearTimeout(timer);
		this.#waits.timers.clear();
	}

	#stopWaiting(id: string): void {
		clearTimeout(this.#waits.timers.get(id));
		this.#waits.timers.delete(id);
		this.#pending = this.#pending.filter((other) => other !== id);
	}
}
