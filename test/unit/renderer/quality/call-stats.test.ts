import { describe, expect, it } from 'vitest';
import {
	computeSample,
	estimateMos,
	type StatsEntry,
	type StatsReading,
	type StatsReportLike,
} from '../../../../renderer/src/lib/quality/call-stats';
import { chromeStats, type ChromeCall } from './chrome-stats';

const T0 = Date.UTC(2026, 0, 15, 9, 30, 0) + 0.123;

/** Two seconds of Opus at ~40 kbit/s: 100 packets of ~100 bytes each way. */
const first: ChromeCall = {
	timestamp: T0,
	audioIn: { packetsReceived: 200, packetsLost: 2, bytesReceived: 20_000, jitter: 0.004 },
	audioOut: { bytesSent: 21_000, packetsSent: 200 },
};
const second: ChromeCall = {
	...first,
	timestamp: T0 + 2000,
	audioIn: { packetsReceived: 297, packetsLost: 5, bytesReceived: 30_000, jitter: 0.006 },
	audioOut: { bytesSent: 31_500, packetsSent: 300 },
};

/** Reads `calls` in turn, as the adapter's timer would; answers every sample. */
function run(...calls: ChromeCall[]) {
	let reading: StatsReading | null = null;
	return calls.map((call) => {
		const result = computeSample(chromeStats(call), reading);
		reading = result.reading;
		return result.sample;
	});
}

describe('estimateMos', () => {
	it.each([
		// The formula the adapter used before it moved here: the same figures give the same MOS.
		[0, 0, 0, 4.4],
		[48, 4, 0, 4.39],
		[48, 4, 1, 4.33],
		[100, 10, 2, 4.24],
		[300, 30, 5, 3.63],
		[600, 50, 20, 1.11],
	])('RTT %d ms, jitter %d ms, loss %d %% → %d', (rtt, jitter, loss, mos) => {
		expect(estimateMos(rtt, jitter, loss)).toBe(mos);
	});

	it('stays within 1–4.5 whatever the figures', () => {
		expect(estimateMos(2000, 200, 60)).toBe(1);
		expect(estimateMos(0, 0, 100)).toBe(1);
		expect(estimateMos(0, 0, 0)).toBeLessThanOrEqual(4.5);
	});

	it('falls as delay, jitter or loss grows', () => {
		expect(estimateMos(200, 4, 0)).toBeLessThan(estimateMos(40, 4, 0));
		expect(estimateMos(40, 40, 0)).toBeLessThan(estimateMos(40, 4, 0));
		expect(estimateMos(40, 4, 3)).toBeLessThan(estimateMos(40, 4, 0));
	});
});

describe('computeSample', () => {
	it('reads a relayed audio call’s first report: loss since the start, no bitrate yet', () => {
		const { sample, reading } = computeSample(chromeStats(first), null);
		expect(sample).toEqual({
			at: T0,
			mos: estimateMos(48, 4, (100 * 2) / 202),
			rttMs: 48,
			jitterMs: 4,
			packetLossPercent: 1,
			bitrateKbps: { in: null, out: null },
			audioCodec: 'opus',
			videoCodec: null,
			relayed: true,
			candidateType: 'relay',
			remoteCandidateType: 'host',
			relayProtocol: 'udp',
		});
		expect(reading.timestamp).toBe(T0);
		expect(reading.streams.size).toBe(2);
	});

	it('counts loss and bitrate over the interval since the previous reading', () => {
		const [, sample] = run(first, second);
		// 97 received and 3 lost in the interval: 3 %, not the 5 / 302 since the call started.
		expect(sample?.packetLossPercent).toBe(3);
		expect(sample?.jitterMs).toBe(6);
		expect(sample?.mos).toBe(estimateMos(48, 6, 3));
		// 10,000 bytes in and 10,500 out over 2 s.
		expect(sample?.bitrateKbps).toEqual({ in: 40, out: 42 });
		expect(sample?.at).toBe(T0 + 2000);
	});

	it('adds video to the bitrate and names both codecs', () => {
		const [, sample] = run(
			{ ...first, video: { bytesReceived: 100_000, bytesSent: 120_000 } },
			{ ...second, video: { bytesReceived: 225_000, bytesSent: 245_000 } },
		);
		// Audio 10,000 + video 125,000 bytes in; 10,500 + 125,000 out; over 2 s.
		expect(sample?.bitrateKbps).toEqual({ in: 540, out: 542 });
		expect(sample?.audioCodec).toBe('opus');
		expect(sample?.videoCodec).toBe('VP8');
		// Loss is the audio's: video packets do not count.
		expect(sample?.packetLossPercent).toBe(3);
	});

	it('names each codec once, received first, when the two directions differ', () => {
		const [sample] = run({
			...first,
			video: { bytesReceived: 1, bytesSent: 1, codecIn: 'H264', codecOut: 'VP8' },
		});
		expect(sample?.videoCodec).toBe('H264 / VP8');
		const [same] = run({ ...first, video: { bytesReceived: 1, bytesSent: 1, codecIn: 'H264' } });
		expect(same?.videoCodec).toBe('H264 / VP8');
		const [h264] = run({
			...first,
			video: { bytesReceived: 1, bytesSent: 1, codecIn: 'H264', codecOut: 'H264' },
		});
		expect(h264?.videoCodec).toBe('H264');
	});

	it.each([
		['host', false, 'host'],
		['srflx', false, 'srflx'],
		['relay', true, 'relay'],
	] as const)('a %s pair: relayed %s', (route, relayed, candidateType) => {
		const [sample] = run({ ...first, route });
		expect(sample?.relayed).toBe(relayed);
		expect(sample?.candidateType).toBe(candidateType);
		expect(sample?.relayProtocol).toBe(relayed ? 'udp' : null);
	});

	it('takes the nominated pair that succeeded when the transport names none', () => {
		const [sample] = run({ ...first, route: 'relay', transportSelects: false });
		expect(sample?.relayed).toBe(true);
		// Not the failed pair's 900 ms.
		expect(sample?.rttMs).toBe(48);
	});

	it('takes the pair flagged `selected` (Firefox) before a nominated one', () => {
		const report = chromeStats({ ...first, route: 'host', transportSelects: false }).map(
			(entry): StatsEntry =>
				entry['type'] === 'candidate-pair' && entry['state'] === 'failed'
					? { ...entry, selected: true, currentRoundTripTime: 0.09 }
					: entry,
		);
		expect(computeSample(report, null).sample.rttMs).toBe(90);
	});

	it('says the far end relays when only its candidate is a relay', () => {
		const report = chromeStats({ ...first, route: 'host' }).map((entry): StatsEntry =>
			entry['type'] === 'remote-candidate' ? { ...entry, candidateType: 'relay' } : entry,
		);
		const { sample } = computeSample(report, null);
		expect(sample.relayed).toBe(true);
		expect(sample.candidateType).toBe('host');
		expect(sample.remoteCandidateType).toBe('relay');
		expect(sample.relayProtocol).toBeNull();
	});

	it('knows no route before ICE has a pair', () => {
		const report = chromeStats(first).filter((entry) => entry['type'] !== 'candidate-pair');
		const { sample } = computeSample(report, null);
		expect(sample.relayed).toBeNull();
		expect(sample.candidateType).toBeNull();
		expect(sample.rttMs).toBeNull();
	});

	it('falls back on RTCP’s round trip while the pair has not measured one', () => {
		const [sample] = run({ ...first, pairRtt: null, rtcpRtt: 0.0512 });
		expect(sample?.rttMs).toBe(51.2);
		const [pair] = run({ ...first, rtcpRtt: 0.0512 });
		expect(pair?.rttMs).toBe(48);
	});

	it('has no loss, jitter or MOS before the first inbound packet, but counts what is sent', () => {
		// The inbound stream is there, its counters still zero.
		const quiet: ChromeCall = { timestamp: T0, audioOut: { bytesSent: 21_000 } };
		const [before, after] = run(quiet, {
			...quiet,
			timestamp: T0 + 2000,
			audioOut: { bytesSent: 31_000 },
		});
		for (const sample of [before, after]) {
			expect(sample?.packetLossPercent).toBeNull();
			expect(sample?.jitterMs).toBeNull();
			expect(sample?.mos).toBeNull();
			expect(sample?.rttMs).toBe(48);
		}
		expect(after?.bitrateKbps).toEqual({ in: 0, out: 40 });
	});

	it('has no MOS without an inbound audio stream at all', () => {
		const { sample } = computeSample(chromeStats({ ...first, audioIn: null }), null);
		expect(sample.mos).toBeNull();
		expect(sample.packetLossPercent).toBeNull();
		expect(sample.audioCodec).toBe('opus');
	});

	it('has no MOS for an interval with no audio coming in (on hold)', () => {
		const [, held] = run(first, { ...first, timestamp: T0 + 2000 });
		expect(held?.packetLossPercent).toBeNull();
		expect(held?.mos).toBeNull();
		expect(held?.bitrateKbps).toEqual({ in: 0, out: 0 });
	});

	it('counts a new stream (a new SSRC after renegotiation) from zero', () => {
		const [, renegotiated] = run(first, {
			...second,
			audioIn: {
				ssrc: 99,
				packetsReceived: 48,
				packetsLost: 2,
				bytesReceived: 4_000,
				jitter: 0.005,
			},
		});
		// 2 lost of 50, all since the new stream began; the old stream is gone, not negative.
		expect(renegotiated?.packetLossPercent).toBe(4);
		expect(renegotiated?.bitrateKbps.in).toBe(16);
	});

	it('counts a stream whose counters went down from zero, never as negative traffic', () => {
		const [, reset] = run(first, {
			...second,
			audioIn: { packetsReceived: 95, packetsLost: 5, bytesReceived: 9_500, jitter: 0.004 },
			audioOut: { bytesSent: 1_000 },
		});
		expect(reset?.packetLossPercent).toBe(5);
		expect(reset?.bitrateKbps).toEqual({ in: 38, out: 4 });
	});

	it('never reports negative loss when late packets lower `packetsLost`', () => {
		const [, late] = run(first, {
			...second,
			audioIn: { packetsReceived: 300, packetsLost: 1, bytesReceived: 30_000, jitter: 0.004 },
		});
		expect(late?.packetLossPercent).toBe(0);
		expect(late?.mos).toBe(estimateMos(48, 4, 0));
	});

	it('ignores Chrome’s jitter of 0 before a packet has arrived', () => {
		const [sample] = run({
			...first,
			audioIn: { packetsReceived: 0, packetsLost: 0, bytesReceived: 0, jitter: 0 },
		});
		expect(sample?.jitterMs).toBeNull();
	});

	it('reads an RTCStatsReport-like Map (by its values), its iterator and plain arrays alike', () => {
		const entries = chromeStats(first);
		const map = new Map(entries.map((entry) => [String(entry['id']), entry]));
		const expected = computeSample(entries, null).sample;
		expect(computeSample(map, null).sample).toEqual(expected);
		expect(computeSample(map.entries(), null).sample).toEqual(expected);
		expect(computeSample(map.values(), null).sample).toEqual(expected);
		// What `getStats()` resolves to is accepted as it is.
		const fromPeer = (report: RTCStatsReport): StatsReportLike => report;
		expect(fromPeer).toBeTypeOf('function');
	});

	it('stamps the sample with the caller’s clock when given, else the report’s', () => {
		expect(computeSample(chromeStats(first), null, { at: 42 }).sample.at).toBe(42);
		// The bitrate's interval is the report's own, whatever the caller's clock says.
		const before = computeSample(chromeStats(first), null, { at: 1 });
		const after = computeSample(chromeStats(second), before.reading, { at: 2 });
		expect(after.sample.bitrateKbps).toEqual({ in: 40, out: 42 });
	});

	it('tolerates junk: entries that are not objects, missing fields, strings for numbers', () => {
		const report: unknown[] = [
			null,
			7,
			'x',
			{ type: 'inbound-rtp', kind: 'audio', packetsReceived: '12' },
			{ id: 'a', type: 'inbound-rtp', kind: 'audio', packetsReceived: Number.NaN },
			{ id: 'b', type: 'candidate-pair', selected: true, localCandidateId: 'nope' },
		];
		const { sample } = computeSample(report as StatsEntry[], null);
		expect(sample).toMatchObject({
			mos: null,
			packetLossPercent: null,
			jitterMs: null,
			rttMs: null,
			relayed: null,
			audioCodec: null,
		});
	});
});
