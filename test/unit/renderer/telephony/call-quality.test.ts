/**
 * A call's quality as the adapter publishes it, from successive `getStats()` reports (Chrome's dictionaries,
 * ../quality/chrome-stats): the sample's figures, the live window and the whole call's summary.
 */
import { describe, expect, it } from 'vitest';
import {
	CallQualitySampler,
	emptyQuality,
	withWarning,
} from '../../../../renderer/src/lib/quality/call-quality';
import { computeSample } from '../../../../renderer/src/lib/quality/call-stats';
import type { CallQuality } from '../../../../renderer/src/lib/telephony/softphone';
import { chromeStats, type ChromeCall } from '../quality/chrome-stats';

const T0 = Date.UTC(2026, 0, 15, 9, 30, 0);

const report = (n: number, lostPerInterval: number): ChromeCall => ({
	timestamp: T0 + n * 2000,
	audioIn: {
		packetsReceived: 100 * (n + 1),
		packetsLost: lostPerInterval * (n + 1),
		bytesReceived: 10_000 * (n + 1),
		jitter: 0.004,
	},
	audioOut: { bytesSent: 10_500 * (n + 1), packetsSent: 100 * (n + 1) },
});

describe('CallQualitySampler', () => {
	it('publishes each sample’s figures, keeps the window and sums the call', () => {
		const sampler = new CallQualitySampler();
		let quality: CallQuality | null = null;
		for (let n = 0; n < 3; n += 1) {
			quality = sampler.next(chromeStats(report(n, n === 2 ? 10 : 0)), quality, {
				at: T0 + n * 2000,
				warning: null,
			});
		}
		expect(quality!.samples.map((s) => s.at)).toEqual([T0, T0 + 2000, T0 + 4000]);
		// The last sample's loss is over its own interval (10 of 110 packets), not since the start.
		const last = quality!.samples.at(-1)!;
		expect(quality).toMatchObject({
			rttMs: last.rttMs,
			jitterMs: 4,
			mos: last.mos,
			packetLossPercent: last.packetLossPercent,
			warning: null,
		});
		expect(last.packetLossPercent).toBeGreaterThan(5);
		expect(quality!.summary).toMatchObject({
			samples: 3,
			packetLossPercentWorst: last.packetLossPercent,
		});
		expect(quality!.summary!.packetLossPercentAverage).toBeLessThan(last.packetLossPercent!);
	});

	it('reads each report against the one before (a fresh sampler would count loss since the start)', () => {
		const sampler = new CallQualitySampler();
		const first = sampler.next(chromeStats(report(0, 0)), null, { at: T0, warning: null });
		const second = sampler.next(chromeStats(report(1, 5)), first, {
			at: T0 + 2000,
			warning: 'Poor.',
		});
		const fresh = computeSample(chromeStats(report(1, 5)), null).sample;
		expect(second.packetLossPercent).not.toBe(fresh.packetLossPercent);
		expect(second.warning).toBe('Poor.');
	});
});

describe('withWarning', () => {
	it('no quality until there is a sample or a warning; a warning keeps the figures', () => {
		expect(withWarning(null, null)).toBeNull();
		expect(withWarning(null, 'Poor.')).toEqual({ ...emptyQuality, warning: 'Poor.' });
		const sampled = { ...emptyQuality, mos: 4.2 };
		expect(withWarning(sampled, null)).toEqual(sampled);
		expect(withWarning({ ...sampled, warning: 'Poor.' }, null)).toEqual(sampled);
	});
});
