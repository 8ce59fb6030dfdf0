import type { QualitySample } from '../../../../renderer/src/lib/quality/call-stats';

/** A sample of a good relayed Opus call, with what a test changes. */
export function qualitySample(overrides: Partial<QualitySample> = {}): QualitySample {
	return {
		at: 0,
		mos: 4.39,
		rttMs: 48,
		jitterMs: 4,
		packetLossPercent: 0,
		bitrateKbps: { in: 40, out: 42 },
		audioCodec: 'opus',
		videoCodec: null,
		relayed: true,
		candidateType: 'relay',
		remoteCandidateType: 'host',
		relayProtocol: 'udp',
		...overrides,
	};
}
