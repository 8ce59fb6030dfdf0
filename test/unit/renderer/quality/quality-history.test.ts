import { describe, expect, it } from 'vitest';
import { callQualitySummarySchema } from '../../../../preload/contract';
import type { QualitySample } from '../../../../renderer/src/lib/quality/call-stats';
import {
	pushSample,
	QUALITY_WINDOW_MAX_SAMPLES,
	QUALITY_WINDOW_MS,
	QualityTotals,
	summarise,
	trimWindow,
} from '../../../../renderer/src/lib/quality/quality-history';
import { qualitySample } from './samples';

/** Samples every `every` ms from `from`, as the adapter's timer takes them. */
function series(count: number, every = 2000, from = 0): QualitySample[] {
	return Array.from({ length: count }, (_, index) => qualitySample({ at: from + index * every }));
}

describe('the last minute', () => {
	it('keeps a minute of samples, oldest first, dropping older ones as new ones come', () => {
		let window: QualitySample[] = [];
		for (const sample of series(40)) window = pushSample(window, sample);
		// Samples at 0 … 78 s: the newest is at 78 s, so those from 18 s on stay (31 of them).
		expect(window).toHaveLength(31);
		expect(window[0]?.at).toBe(18_000);
		expect(window.at(-1)?.at).toBe(78_000);
		expect(QUALITY_WINDOW_MS).toBe(60_000);
	});

	it('keeps a sample exactly a minute old and drops one older', () => {
		const old = qualitySample({ at: 1000 });
		const older = qualitySample({ at: 999 });
		const window = pushSample([older, old], qualitySample({ at: 61_000 }));
		expect(window.map((sample) => sample.at)).toEqual([1000, 61_000]);
	});

	it('returns a new list and leaves the old one as it was (for $state)', () => {
		const window = series(3);
		const next = pushSample(window, qualitySample({ at: 6000 }));
		expect(next).not.toBe(window);
		expect(window).toHaveLength(3);
		expect(next).toHaveLength(4);
	});

	it('drops the samples stamped after a new one when the clock went back', () => {
		const window = pushSample(series(5, 2000, 100_000), qualitySample({ at: 50_000 }));
		expect(window.map((sample) => sample.at)).toEqual([50_000]);
	});

	it('never holds more than its ceiling, whatever the clock does', () => {
		let window: QualitySample[] = [];
		for (const sample of series(1000, 10)) window = pushSample(window, sample);
		expect(window).toHaveLength(QUALITY_WINDOW_MAX_SAMPLES);
		expect(window.at(-1)?.at).toBe(9990);
	});

	it('trims to a given moment', () => {
		expect(trimWindow(series(10), 10_000, 4000).map((sample) => sample.at)).toEqual([
			6000, 8000, 10_000,
		]);
		expect(trimWindow([], 0)).toEqual([]);
	});
});

describe('QualityTotals', () => {
	it('averages each figure and keeps the worst MOS and loss, rounded as the contract keeps them', () => {
		const totals = new QualityTotals();
		totals.add(qualitySample({ mos: 4.39, packetLossPercent: 0, jitterMs: 4, rttMs: 48 }));
		totals.add(qualitySample({ mos: 4.12, packetLossPercent: 1.5, jitterMs: 7.25, rttMs: 52.33 }));
		totals.add(qualitySample({ mos: 4.3, packetLossPercent: 0.3, jitterMs: 5, rttMs: 50 }));
		expect(totals.samples).toBe(3);
		expect(totals.summary()).toEqual({
			samples: 3,
			mosAverage: 4.27,
			mosWorst: 4.12,
			packetLossPercentAverage: 0.6,
			packetLossPercentWorst: 1.5,
			jitterMsAverage: 5.4,
			rttMsAverage: 50.1,
		});
	});

	it('counts every sample, and each figure over the samples that had it', () => {
		const totals = new QualityTotals();
		// Before the first inbound packet, then on hold: no MOS, loss or jitter.
		totals.add(qualitySample({ mos: null, packetLossPercent: null, jitterMs: null, rttMs: 40 }));
		totals.add(qualitySample({ mos: 3.5, packetLossPercent: 4, jitterMs: 20, rttMs: 60 }));
		totals.add(qualitySample({ mos: null, packetLossPercent: null, jitterMs: null, rttMs: null }));
		expect(totals.summary()).toEqual({
			samples: 3,
			mosAverage: 3.5,
			mosWorst: 3.5,
			packetLossPercentAverage: 4,
			packetLossPercentWorst: 4,
			jitterMsAverage: 20,
			rttMsAverage: 50,
		});
	});

	it('has null figures when no sample had them, and when there was no sample', () => {
		const none = {
			mosAverage: null,
			mosWorst: null,
			packetLossPercentAverage: null,
			packetLossPercentWorst: null,
			jitterMsAverage: null,
			rttMsAverage: null,
		};
		expect(new QualityTotals().summary()).toEqual({ samples: 0, ...none });
		const totals = new QualityTotals();
		totals.add(qualitySample({ mos: null, packetLossPercent: null, jitterMs: null, rttMs: null }));
		expect(totals.summary()).toEqual({ samples: 1, ...none });
	});

	it('covers a whole two-hour call while the window holds its last minute', () => {
		const totals = new QualityTotals();
		let window: QualitySample[] = [];
		for (let index = 0; index < 3600; index += 1) {
			// A bad first minute, then a good call.
			const sample = qualitySample({
				at: index * 2000,
				mos: index < 30 ? 2.5 : 4.4,
				packetLossPercent: index < 30 ? 10 : 0,
			});
			totals.add(sample);
			window = pushSample(window, sample);
		}
		expect(window).toHaveLength(31);
		expect(summarise(window).mosWorst).toBe(4.4);
		const summary = totals.summary();
		expect(summary.samples).toBe(3600);
		expect(summary.mosWorst).toBe(2.5);
		expect(summary.packetLossPercentWorst).toBe(10);
		expect(summary.mosAverage).toBe(Math.round(((30 * 2.5 + 3570 * 4.4) / 3600) * 100) / 100);
		expect(callQualitySummarySchema.parse(summary)).toEqual(summary);
	});

	it('stays within the contract’s bounds whatever it is given', () => {
		const totals = new QualityTotals();
		totals.add(qualitySample({ mos: 0.2, packetLossPercent: 140, jitterMs: 90_000, rttMs: -3 }));
		totals.add(qualitySample({ mos: Number.NaN, packetLossPercent: Number.POSITIVE_INFINITY }));
		const summary = totals.summary();
		expect(summary).toEqual({
			samples: 2,
			mosAverage: 1,
			mosWorst: 1,
			packetLossPercentAverage: 100,
			packetLossPercentWorst: 100,
			jitterMsAverage: 45_002,
			rttMsAverage: 22.5,
		});
		expect(callQualitySummarySchema.safeParse(summary).success).toBe(true);
	});
});

describe('summarise', () => {
	it('is what the totals of the same samples say', () => {
		const samples = [
			qualitySample({ mos: 4.4 }),
			qualitySample({ mos: 3.1, packetLossPercent: 6 }),
		];
		const totals = new QualityTotals();
		for (const sample of samples) totals.add(sample);
		expect(summarise(samples)).toEqual(totals.summary());
		expect(summarise(samples)).toMatchObject({ samples: 2, mosAverage: 3.75, mosWorst: 3.1 });
		expect(summarise([]).samples).toBe(0);
	});
});
