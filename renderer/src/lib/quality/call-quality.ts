/**
 * A call's quality as the `Softphone` port publishes it (`CallQuality`), from its peer connection's
 * statistics: each `getStats()` report becomes a sample (`./call-stats`), kept for the last minute (the live
 * charts, `./quality-history`) and summed over the whole call. No timers, no SDK: the adapter reads the report
 * every 2 s and hands it here.
 */
import type { CallQuality } from '../telephony/softphone';
import { computeSample, type StatsReading, type StatsReportLike } from './call-stats';
import { QualityTotals, pushSample } from './quality-history';

/** A call's quality before its first sample: no figures yet. */
export const emptyQuality: CallQuality = {
	mos: null,
	rttMs: null,
	jitterMs: null,
	packetLossPercent: null,
	warning: null,
	samples: [],
	summary: null,
};

/**
 * The quality with the SDK's quality warning now in force (null: none). A call with neither samples nor a
 * warning has no quality yet (null), so the UI shows nothing rather than empty figures.
 */
export function withWarning(
	previous: CallQuality | null,
	warning: string | null,
): CallQuality | null {
	return previous === null && warning === null ? null : { ...(previous ?? emptyQuality), warning };
}

/** One call's statistics over its life: the last reading (for the next sample's deltas) and the totals. */
export class CallQualitySampler {
	#reading: StatsReading | null = null;
	readonly #totals = new QualityTotals();

	/**
	 * The quality after one more report: its sample's figures, the window with the sample added to
	 * `previous`'s, and the whole call's summary so far.
	 */
	next(
		report: StatsReportLike,
		previous: CallQuality | null,
		{ at, warning }: { readonly at: number; readonly warning: string | null },
	): CallQuality {
		const { sample, reading } = computeSample(report, this.#reading, { at });
		this.#reading = reading;
		this.#totals.add(sample);
		return {
			rttMs: sample.rttMs,
			jitterMs: sample.jitterMs,
			packetLossPercent: sample.packetLossPercent,
			mos: sample.mos,
			warning,
			samples: pushSample(previous?.samples ?? [], sample),
			summary: this.#totals.summary(),
		};
	}
}
