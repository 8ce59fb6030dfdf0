/**
 * The call store's bookkeeping: what it has to remember about calls without showing it. Kept out of the
 * runes module on purpose — nothing renders from it, so it is plain, non-reactive data.
 */
export class CallLedger {
	/** Extensions to send as DTMF once a call is answered, by call id. */
	readonly extensions = new Map<string, string>();
	/** Calls already written to the history. */
	readonly recorded = new Set<string>();
	/** Calls declined because of do not disturb. */
	readonly rejected = new Set<string>();
	/** Media the operating system has allowed during this run. */
	readonly mediaGranted = new Set<'microphone' | 'camera'>();
}

/** The media gate's bookkeeping (`./media-gate.svelte`), plain for the same reason. */
export class MediaWaits {
	/** Answered calls that have had their wait for media (connected, or the wait ran out). */
	readonly waited = new Set<string>();
	/** The running wait for each answered call whose media is connecting. */
	readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
}
