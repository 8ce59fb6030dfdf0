/**
 * The call list as a pure reducer over the adapter's snapshots, and the selectors the UI reads. Calling bugs
 * live in orderings, so the rules are explicit:
 *
 * - A call that ended stays ended: a late update (an `active` arriving after the hangup, a second `hangup`)
 *   never revives it or changes why it ended. Each call has exactly one final state.
 * - Snapshots are replaced, never mutated.
 */
import type { CallPhase, CallSnapshot } from '../telephony/softphone';

export type Calls = readonly CallSnapshot[];

const LIVE: ReadonlySet<CallPhase> = new Set([
	'dialing',
	'trying',
	'ringing',
	'connecting',
	'early',
	'active',
	'held',
]);

export function isLive(call: CallSnapshot): boolean {
	return LIVE.has(call.phase);
}

export function reduceCalls(calls: Calls, update: CallSnapshot): Calls {
	const index = calls.findIndex((call) => call.id === update.id);
	if (index === -1) return [...calls, update];
	const previous = calls[index]!;
	if (previous.phase === 'ended') return calls;
	const next = [...calls];
	next[index] = update;
	return next;
}

/** Drops ended calls the user has seen (the history keeps them). */
export function dismissEnded(calls: Calls, id?: string): Calls {
	return calls.filter((call) => isLive(call) || (id !== undefined && call.id !== id));
}

/** Inbound calls waiting for an answer, oldest first. */
export function ringing(calls: Calls): CallSnapshot[] {
	return calls.filter((call) => call.direction === 'inbound' && call.phase === 'ringing');
}

/**
 * The call in the foreground: the live call that is not on hold and not ringing in, else the most recent
 * live call of any kind except inbound ringing, else the most recently ended one (to show why it ended).
 */
export function focusedCall(calls: Calls): CallSnapshot | null {
	const live = calls.filter(
		(c) => isLive(c) && !(c.direction === 'inbound' && c.phase === 'ringing'),
	);
	const talking = live.filter((c) => c.phase !== 'held');
	return talking.at(-1) ?? live.at(-1) ?? calls.filter((c) => c.phase === 'ended').at(-1) ?? null;
}

/** Calls on hold behind the focused one (after answering a second call). */
export function heldCalls(calls: Calls, focused: CallSnapshot | null): CallSnapshot[] {
	return calls.filter((c) => c.phase === 'held' && c.id !== focused?.id);
}

/** `m:ss` (or `h:mm:ss`) from two instants in ms. */
export function formatDuration(fromMs: number, toMs: number): string {
	const total = Math.max(0, Math.floor((toMs - fromMs) / 1000));
	const hours = Math.floor(total / 3600);
	const minutes = Math.floor((total % 3600) / 60);
	const seconds = String(total % 60).padStart(2, '0');
	return hours > 0
		? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
		: `${minutes}:${seconds}`;
}

/** What the call is doing, in a few words. */
export function phaseLabel(call: CallSnapshot): string {
	switch (call.phase) {
		case 'dialing':
			return 'Calling…';
		case 'trying':
			return 'Connecting…';
		case 'ringing':
			return call.direction === 'inbound' ? 'Incoming call' : 'Ringing…';
		case 'connecting':
			return 'Answering…';
		case 'early':
			return 'Connecting…';
		case 'active':
			return call.remoteHeld ? 'On hold by the other side' : 'In call';
		case 'held':
			return 'On hold';
		case 'ended':
			return call.end?.message ?? 'Call ended';
	}
}
