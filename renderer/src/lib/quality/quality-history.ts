/**
 * What a call's quality samples add up to: the last minute for the live charts ({@link pushSample}), and
 * running totals for the whole call ({@link QualityTotals}), kept apart so a two-hour call holds one minute
 * of samples and a dozen numbers, never its 3,600 samples. Pure: no timers, no clock of its own.
 */
import type { CallQualitySummary } from '../../../../preload/contract';
import { limits } from '../../../../preload/limits';
import type { QualitySample } from './call-stats';

/** How far back the live charts look. */
export const QUALITY_WINDOW_MS = 60_000;

/**
 * A ceiling on the window's length whatever the samples' clock does (one sample every 250 ms for a minute),
 * so a sampler run wild or a clock that jumps back cannot grow it without bound.
 */
export const QUALITY_WINDOW_MAX_SAMPLES = 240;

/**
 * The window with `sample` added at its end (a new array, oldest first), less the samples more than
 * `spanMs` older than it (one exactly `spanMs` old stays). The new sample's time is "now": samples stamped
 * after it (the clock went back) are dropped too, so the window never spans more than `spanMs`.
 */
export function pushSample(
	window: readonly QualitySample[],
	sample: QualitySample,
	spanMs: number = QUALITY_WINDOW_MS,
): QualitySample[] {
	return [...trimWindow(window, sample.at, spanMs), sample].slice(-QUALITY_WINDOW_MAX_SAMPLES);
}

/** The samples taken from `now - spanMs` to `now` (both included), in their order. */
export function trimWindow(
	samples: readonly QualitySample[],
	now: number,
	spanMs: number = QUALITY_WINDOW_MS,
): QualitySample[] {
	return samples.filter((sample) => sample.at <= now && now - sample.at <= spanMs);
}

/** A running mean (and extreme) of one figure; samples without it are not counted. */
class Figure {
	#sum = 0;
	#count = 0;
	#min = Infinity;
	#max = -Infinity;

	add(value: number | null): void {
		if (value === null || !Number.isFinite(value)) return;
		this.#sum += value;
		this.#count += 1;
		this.#min = Math.min(this.#min, value);
		this.#max = Math.max(this.#max, value);
	}

	get mean(): number | null {
		return this.#count === 0 ? null : this.#sum / this.#count;
	}

	get min(): number | null {
		return this.#count === 0 ? null : this.#min;
	}

	get max(): number | null {
		return this.#count === 0 ? null : this.#max;
	}
}

/**
 * A whole call's quality as running totals: `add` each sample as it comes, `summary()` when the call ends
 * (or at any time). Averages are plain means over the samples that had the figure: the sampler runs at a
 * fixed interval, so each sample stands for the same stretch of the call. A sample with no MOS (no audio
 * flowing in: before the first packet, or on hold) counts in `samples` but not in the MOS figures.
 */
export class QualityTotals {
	#samples = 0;
	readonly #mos = new Figure();
	readonly #loss = new Figure();
	readonly #jitter = new Figure();
	readonly #rtt = new Figure();

	/** How many samples were added. */
	get samples(): number {
		return this.#samples;
	}

	add(sample: QualitySample): void {
		this.#samples += 1;
		this.#mos.add(sample.mos);
		this.#loss.add(sample.packetLossPercent);
		this.#jitter.add(sample.jitterMs);
		this.#rtt.add(sample.rttMs);
	}

	/**
	 * The contract's summary, within its bounds: MOS to two decimals, milliseconds and percentages to one;
	 * null where no sample had the figure.
	 */
	summary(): CallQualitySummary {
		return {
			samples: Math.min(this.#samples, limits.callSeconds),
			mosAverage: bounded(this.#mos.mean, 1, 5, 2),
			mosWorst: bounded(this.#mos.min, 1, 5, 2),
			packetLossPercentAverage: bounded(this.#loss.mean, 0, 100, 1),
			packetLossPercentWorst: bounded(this.#loss.max, 0, 100, 1),
			jitterMsAverage: bounded(this.#jitter.mean, 0, MAX_MS, 1),
			rttMsAverage: bounded(this.#rtt.mean, 0, MAX_MS, 1),
		};
	}
}

/** The summary of a list of samples (a whole call's, or a window's). */
export function summarise(samples: Iterable<QualitySample>): CallQualitySummary {
	const totals = new QualityTotals();
	for (const sample of samples) totals.add(sample);
	return totals.summary();
}

/** The contract's ceiling on jitter and round-trip times. */
const MAX_MS = 60_000;

function bounded(value: number | null, min: number, max: number, decimals: number): number | null {
	if (value === null) return null;
	const factor = 10 ** decimals;
	return Math.round(Math.min(max, Math.max(min, value)) * factor) / factor;
}
