/**
 * Degraded media on demand: loss, delay and jitter applied to the RTP the media gateway sends to clients, so
 * a test can see what the app (or the SDK's pre-call diagnostic) makes of a bad network. Kept pure — the
 * admin input's checks and each packet's fate — so both are tested without sockets.
 *
 * Losses and delays are drawn independently per packet, as Linux netem draws them: a packet is dropped with
 * probability `lossPercent` / 100, else sent after `delayMs` plus a uniform 0..`jitterMs` (so a jitter wider
 * than the packet interval reorders packets, as on a real path).
 */

export interface MediaImpairment {
	/** Share of packets dropped, 0–100. */
	readonly lossPercent: number;
	/** Delay added to every packet, ms. */
	readonly delayMs: number;
	/** A further uniform random delay of 0..jitterMs per packet, ms. */
	readonly jitterMs: number;
}

export const NO_IMPAIRMENT: MediaImpairment = { lossPercent: 0, delayMs: 0, jitterMs: 0 };

/** The largest value each field takes: a delay past 5 s is a dead line, not a slow one. */
export const IMPAIRMENT_LIMITS: MediaImpairment = {
	lossPercent: 100,
	delayMs: 5_000,
	jitterMs: 5_000,
};

const UNITS: Record<keyof MediaImpairment, string> = {
	lossPercent: '%',
	delayMs: ' ms',
	jitterMs: ' ms',
};

export type ImpairmentCheck =
	| { readonly ok: true; readonly impairment: MediaImpairment }
	| { readonly ok: false; readonly message: string };

/**
 * Reads an admin request. The impairment set replaces the one in force: a field left out is 0, so `{}`
 * clears it. Each field must be a finite number within `IMPAIRMENT_LIMITS`; unknown fields are refused, so a
 * misspelt one (`loss`) is not silently ignored.
 */
export function parseImpairment(input: unknown): ImpairmentCheck {
	if (typeof input !== 'object' || input === null || Array.isArray(input)) {
		return { ok: false, message: 'The media impairment must be a JSON object' };
	}
	const fields = Object.keys(IMPAIRMENT_LIMITS) as (keyof MediaImpairment)[];
	const unknown = Object.keys(input).filter((key) => !(fields as string[]).includes(key));
	if (unknown.length > 0) {
		return {
			ok: false,
			message: `Unknown field ${unknown.join(', ')}: the media impairment takes ${fields.join(', ')}`,
		};
	}
	const given = input as Partial<Record<keyof MediaImpairment, unknown>>;
	const impairment = { ...NO_IMPAIRMENT };
	for (const field of fields) {
		const value = given[field] === undefined ? 0 : given[field];
		const max = IMPAIRMENT_LIMITS[field];
		if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
			return {
				ok: false,
				message: `${field} must be a number from 0 to ${max}${UNITS[field]} (got ${JSON.stringify(value)})`,
			};
		}
		impairment[field] = value;
	}
	return { ok: true, impairment };
}

export const isImpaired = (impairment: MediaImpairment): boolean =>
	impairment.lossPercent > 0 || impairment.delayMs > 0 || impairment.jitterMs > 0;

export type PacketFate =
	{ readonly drop: true } | { readonly drop: false; readonly delayMs: number };

/**
 * What becomes of one packet: dropped, or sent after `delayMs` (0: at once). `random` returns [0, 1), as
 * `Math.random` does; it is drawn from only for the parts of the impairment that are set.
 */
export function packetFate(impairment: MediaImpairment, random: () => number): PacketFate {
	if (impairment.lossPercent > 0 && random() * 100 < impairment.lossPercent) return { drop: true };
	const jitter = impairment.jitterMs > 0 ? random() * impairment.jitterMs : 0;
	return { drop: false, delayMs: impairment.delayMs + jitter };
}
