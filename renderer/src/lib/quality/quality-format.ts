/**
 * Quality figures in words, shared by the live view and the history's summary so both say the same thing
 * about the same number.
 */
import type { CandidateType } from './call-stats';

export type MosRating = 'good' | 'fair' | 'poor';

/**
 * The MOS bands, from ITU-T G.107's mapping of the R factor to user satisfaction (G.107 Annex B, G.109):
 * R ≥ 80 (MOS ≥ 4.03) "satisfied", 70–80 (MOS 3.60–4.03) "some users dissatisfied", below 70 (MOS < 3.6)
 * "many users dissatisfied". So good from 4.0 (rounded: the estimate is not that precise), fair from 3.6,
 * poor below.
 */
export const MOS_GOOD = 4;
export const MOS_FAIR = 3.6;

export function mosRating(mos: number): MosRating {
	if (mos >= MOS_GOOD) return 'good';
	if (mos >= MOS_FAIR) return 'fair';
	return 'poor';
}

/** `4.3`: one decimal, as MOS is usually quoted. */
export function formatMos(mos: number): string {
	return mos.toFixed(1);
}

/** `12 ms`; one decimal below 10 ms, where it still means something. */
export function formatMs(ms: number): string {
	return `${ms < 10 ? trim(ms, 1) : String(Math.round(ms))} ms`;
}

/** `0.2 %`, `0 %`, `12.5 %`. */
export function formatPercent(percent: number): string {
	return `${trim(percent, 1)} %`;
}

/** `38 kbps`, or `1.2 Mbps` from 1,000 kbit/s. */
export function formatKbps(kbps: number): string {
	return kbps >= 1000 ? `${trim(kbps / 1000, 1)} Mbps` : `${String(Math.round(kbps))} kbps`;
}

/** The codecs in use: `opus audio · VP8 video`; null when none is known yet. */
export function describeCodecs(audio: string | null, video: string | null): string | null {
	const parts = [
		...(audio === null ? [] : [`${audio} audio`]),
		...(video === null ? [] : [`${video} video`]),
	];
	return parts.length === 0 ? null : parts.join(' · ');
}

/** How media travels: relayed through TURN (whose), or direct (through NAT or not); null before ICE. */
export function describeRoute(route: {
	readonly relayed: boolean | null;
	readonly candidateType: CandidateType | null;
	readonly relayProtocol: string | null;
}): string | null {
	if (route.relayed === null) return null;
	if (route.relayed) {
		if (route.candidateType !== 'relay') return 'Relayed (TURN, far end)';
		return route.relayProtocol === null
			? 'Relayed (TURN)'
			: `Relayed (TURN over ${route.relayProtocol.toUpperCase()})`;
	}
	if (route.candidateType === 'host') return 'Direct';
	return 'Direct (through NAT)';
}

/**
 * A series over the last minute in words, for a chart's accessible name: `now 12 ms, lowest 3 ms, highest
 * 15 ms`; `no value now, lowest …` when the latest sample lacks it; `not measured yet` when none has it.
 */
export function trendWords(
	values: readonly (number | null)[],
	format: (value: number) => string,
): string {
	const known = values.filter((value): value is number => value !== null);
	if (known.length === 0) return 'not measured yet';
	const latest = values.at(-1) ?? null;
	const now = latest === null ? 'no value now' : `now ${format(latest)}`;
	return `${now}, lowest ${format(Math.min(...known))}, highest ${format(Math.max(...known))}`;
}

/** One decimal at most, without a trailing `.0`. */
function trim(value: number, decimals: number): string {
	const factor = 10 ** decimals;
	return String(Math.round(value * factor) / factor);
}
