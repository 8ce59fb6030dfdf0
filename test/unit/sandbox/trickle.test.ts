/** The trickle-ICE helpers the sandbox reads the SDK's frames and writes its own with. */
import { describe, expect, it } from 'vitest';
import {
	candidateParams,
	countCandidates,
	readCandidate,
	splitCandidates,
	wantsTrickle,
} from '../../sandbox/signalling/trickle';

const SDP = [
	'v=0',
	'o=- 1 1 IN IP4 127.0.0.1',
	's=-',
	't=0 0',
	'a=group:BUNDLE 0 1',
	'm=audio 9 UDP/TLS/RTP/SAVPF 111',
	'a=mid:0',
	'a=candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host',
	'a=candidate:2 1 udp 1694498815 203.0.113.5 50001 typ srflx raddr 127.0.0.1 rport 50000',
	'a=end-of-candidates',
	'a=rtpmap:111 opus/48000/2',
	'm=video 9 UDP/TLS/RTP/SAVPF 96',
	'a=mid:1',
	'a=candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host',
	'a=rtpmap:96 VP8/90000',
	'',
].join('\r\n');

describe('trickle helpers', () => {
	it('reads the trickle flag only as the SDK sends it', () => {
		expect(wantsTrickle({ sdp: 'x', trickle: true })).toBe(true);
		expect(wantsTrickle({ sdp: 'x' })).toBe(false);
		expect(wantsTrickle({ trickle: 'true' })).toBe(false);
	});

	it('reads the candidate of an SDK frame, and nothing from one without a candidate', () => {
		expect(
			readCandidate({
				sessid: 's',
				candidate: 'candidate:1 1 udp 1 127.0.0.1 5 typ host',
				sdpMid: '0',
				sdpMLineIndex: 0,
				dialogParams: { callID: 'c' },
			}),
		).toEqual({
			candidate: 'candidate:1 1 udp 1 127.0.0.1 5 typ host',
			sdpMid: '0',
			sdpMLineIndex: 0,
		});
		expect(readCandidate({ candidate: 'candidate:x', sdpMLineIndex: 1.5 })).toEqual({
			candidate: 'candidate:x',
			sdpMid: null,
			sdpMLineIndex: null,
		});
		expect(readCandidate({ candidate: '' })).toBeNull();
		expect(readCandidate({ endOfCandidates: true })).toBeNull();
	});

	it('takes the candidates out of an SDP with their media section, keeping every other line', () => {
		const { sdp, candidates } = splitCandidates(SDP);
		expect(countCandidates(SDP)).toBe(3);
		expect(countCandidates(sdp)).toBe(0);
		expect(sdp).not.toContain('end-of-candidates');
		expect(sdp.split('\r\n')).toEqual(
			SDP.split('\r\n').filter(
				(line) => !line.startsWith('a=candidate') && line !== 'a=end-of-candidates',
			),
		);
		expect(candidates).toEqual([
			{
				candidate: 'candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host',
				sdpMid: '0',
				sdpMLineIndex: 0,
			},
			{
				candidate:
					'candidate:2 1 udp 1694498815 203.0.113.5 50001 typ srflx raddr 127.0.0.1 rport 50000',
				sdpMid: '0',
				sdpMLineIndex: 0,
			},
			{
				candidate: 'candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host',
				sdpMid: '1',
				sdpMLineIndex: 1,
			},
		]);
	});

	it('writes the server frame the SDK hands to addIceCandidate', () => {
		expect(
			candidateParams('leg-1', { candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: 0 }),
		).toEqual({ callID: 'leg-1', candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: 0 });
	});
});
