/**
 * Fault controls shared by the REST API and the signalling server. Tests set them through the admin API
 * (or directly, in process); each REST fault fires a given number of times and is then used up.
 */

export type RestFaultKind =
	/** Answer with `status` (and a Telnyx error envelope) without doing the work. */
	| 'status'
	/** Wait `delayMs`, then handle the request normally. */
	| 'delay'
	/** Do the work (a create really creates), then answer 500 — the "500 after create" case. */
	| 'after-create'
	/** Never answer (the client's deadline must fire). */
	| 'hang'
	/** 502 with an HTML body, as a proxy in front of the API would answer. */
	| 'html'
	/** 200 with a JSON body cut in the middle. */
	| 'truncated'
	/** 200 with valid JSON of the wrong shape (no `data`). */
	| 'wrong-shape';

export interface RestFault {
	readonly method: string;
	/** Path under the REST base, `*` matching one segment: `/telephony_credentials/*\/token`. */
	readonly path: string;
	readonly kind: RestFaultKind;
	/** How many matching requests it affects. */
	times: number;
	readonly status?: number;
	readonly delayMs?: number;
	/** Seconds, sent as `retry-after` with a 429. */
	readonly retryAfter?: number;
}

export function pathMatches(pattern: string, path: string): boolean {
	const want = pattern.split('/').filter(Boolean);
	const got = path.split('/').filter(Boolean);
	return (
		want.length === got.length && want.every((segment, i) => segment === '*' || segment === got[i])
	);
}

export class Faults {
	rest: RestFault[] = [];
	/** Logins still to refuse with -32001 (Infinity: all of them). */
	refuseLogins = 0;
	/** Overrides the 24 h lifetime of new login tokens (seconds), or null. */
	tokenLifetimeSeconds: number | null = null;

	addRest(fault: RestFault): void {
		this.rest.push({ ...fault });
	}

	/** The first fault matching a request, counted as used. */
	takeRest(method: string, path: string): RestFault | undefined {
		const fault = this.rest.find(
			(f) =>
				f.times > 0 && f.method.toUpperCase() === method.toUpperCase() && pathMatches(f.path, path),
		);
		if (fault === undefined) return undefined;
		fault.times -= 1;
		this.rest = this.rest.filter((f) => f.times > 0);
		return fault;
	}

	takeLoginRefusal(): boolean {
		if (this.refuseLogins <= 0) return false;
		this.refuseLogins -= 1;
		return true;
	}

	clear(): void {
		this.rest = [];
		this.refuseLogins = 0;
		this.tokenLifetimeSeconds = null;
	}
}
