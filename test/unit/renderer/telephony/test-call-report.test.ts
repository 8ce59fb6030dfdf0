/** Test my setup's report, from the SDK's `PreCallDiagnosticReport` (figures in ms, loss a fraction). */
import { describe, expect, it } from 'vitest';
import {
	failedTestCall,
	testCallReport,
} from '../../../../renderer/src/lib/telephony/test-call-report';

describe('testCallReport', () => {
	it('a measured call: rounded figures, loss in percent, candidates by type', () => {
		expect(
			testCallReport(
				{
					ice: { candidateCounts: { host: 2, relay: 1 } },
					network: {
						jitter: { average: 3.14159 },
						rtt: { average: 41.06 },
						packets: { packetLossFraction: 0.0125 },
						inbound: { flowing: true },
					},
					timings: { firstNonHostCandidateMs: 120.44, totalMs: 850.26 },
				},
				null,
				999,
			),
		).toEqual({
			established: true,
			failure: null,
			jitterMs: 3.1,
			rttMs: 41.1,
			packetLossPercent: 1.3,
			audioReturned: true,
			candidates: { host: 2, srflx: 0, relay: 1 },
			firstNonHostMs: 120.4,
			setupMs: 850.3,
		});
	});

	it('a call that never connected: Telnyx’s reason first, then the SDK’s, then a default', () => {
		const end = { kind: 'busy', message: 'Busy.', cause: 'USER_BUSY', sipCode: 486 } as const;
		const sdk = { reasons: [{ message: 'No media' }] };
		expect(testCallReport(sdk, end, 5).failure).toBe('Busy.');
		expect(testCallReport(sdk, null, 5).failure).toBe('No media.');
		expect(testCallReport({}, null, 5)).toEqual(failedTestCall('The test call did not connect.'));
	});
});
