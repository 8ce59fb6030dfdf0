/**
 * How the REST API behaves where Telnyx's behaviour is either undocumented or unkind to clients. The defaults
 * are Telnyx's (see README.md here, "REST defaults"); the kinder forms stay available as options so a test
 * about something else can opt into them.
 */
export interface RestBehaviour {
	/**
	 * A connection PATCH's `inbound`/`outbound` object: `replace` (default) stores exactly what was sent, the
	 * fields left out going back to their defaults; `merge` folds it into the stored object.
	 */
	nestedPatch: 'replace' | 'merge';
	/** Whether a 429 carries `retry-after` (default false: only `x-ratelimit-limit|remaining|reset`). */
	retryAfter: boolean;
}

export const DEFAULT_REST_BEHAVIOUR: Readonly<RestBehaviour> = {
	nestedPatch: 'replace',
	retryAfter: false,
};

/** Applies a partial update from a test or the admin API, refusing values the sandbox does not know. */
export function updateRestBehaviour(
	target: RestBehaviour,
	next: Record<string, unknown>,
): RestBehaviour {
	const { nestedPatch, retryAfter } = next;
	if (nestedPatch !== undefined) {
		if (nestedPatch !== 'replace' && nestedPatch !== 'merge')
			throw new Error(
				`nestedPatch must be 'replace' or 'merge', not ${JSON.stringify(nestedPatch)}`,
			);
		target.nestedPatch = nestedPatch;
	}
	if (retryAfter !== undefined) {
		if (typeof retryAfter !== 'boolean') throw new Error('retryAfter must be a boolean');
		target.retryAfter = retryAfter;
	}
	return { ...target };
}
