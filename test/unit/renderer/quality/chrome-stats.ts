/**
 * `RTCPeerConnection.getStats()` as Chrome returns it during a Telnyx call (ids, types and fields as
 * Chrome 140 names them; values from a real call, rounded), built from the few figures a test varies.
 */
import type { StatsEntry } from '../../../../renderer/src/lib/quality/call-stats';

export interface AudioIn {
	readonly ssrc?: number;
	readonly packetsReceived: number;
	readonly packetsLost: number;
	readonly bytesReceived: number;
	/** Seconds, as Chrome reports it. */
	readonly jitter: number;
}

export interface ChromeCall {
	/** The report's `timestamp` (ms since the epoch). */
	readonly timestamp: number;
	readonly audioIn?: AudioIn | null;
	readonly audioOut?: {
		readonly ssrc?: number;
		readonly bytesSent: number;
		readonly packetsSent?: number;
	};
	/** A video call's streams (VP8 both ways unless `codec` says otherwise). */
	readonly video?: {
		readonly bytesReceived: number;
		readonly bytesSent: number;
		readonly codecIn?: 'VP8' | 'H264' | 'VP9';
		readonly codecOut?: 'VP8' | 'H264' | 'VP9';
	};
	/** The selected pair: through Telnyx's TURN server, or straight to the media server. */
	readonly route?: 'relay' | 'host' | 'srflx';
	/** How the transport names it: `selectedCandidatePairId` (Chrome), or none (the pair's flags only). */
	readonly transportSelects?: boolean;
	/** The selected pair's STUN round trip (s); null: not measured yet. */
	readonly pairRtt?: number | null;
	/** RTCP's round trip from the far end's receiver report (s); absent until the first one arrives. */
	readonly rtcpRtt?: number;
}

const OPUS_IN = 'CIT01_111_minptime=10;useinbandfec=1';
const OPUS_OUT = 'COT01_111_minptime=10;useinbandfec=1';
const VIDEO_PAYLOAD = { VP8: 96, VP9: 98, H264: 102 } as const;

export function chromeStats(call: ChromeCall): StatsEntry[] {
	const t = call.timestamp;
	const route = call.route ?? 'relay';
	const local = route === 'relay' ? 'I6vZB4Tq0' : 'IjD0pE2Ls';
	const remote = 'IKp0Wd7mE';
	const pairId = `CP${local.slice(1)}_${remote.slice(1)}`;
	const audioInSsrc = call.audioIn?.ssrc ?? 2837466421;
	const audioOutSsrc = call.audioOut?.ssrc ?? 1462287003;
	const entries: StatsEntry[] = [
		{
			id: 'P',
			type: 'peer-connection',
			timestamp: t,
			dataChannelsOpened: 0,
			dataChannelsClosed: 0,
		},
		{
			id: 'T01',
			type: 'transport',
			timestamp: t,
			bytesSent: 412_331,
			bytesReceived: 398_120,
			packetsSent: 2_210,
			packetsReceived: 2_187,
			dtlsState: 'connected',
			iceState: 'connected',
			iceRole: 'controlling',
			dtlsRole: 'client',
			tlsVersion: 'FEFD',
			dtlsCipher: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
			srtpCipher: 'AES_CM_128_HMAC_SHA1_80',
			selectedCandidatePairChanges: 1,
			localCertificateId: 'CFB4:1E:77',
			remoteCertificateId: 'CF9A:03:5C',
			...(call.transportSelects === false ? {} : { selectedCandidatePairId: pairId }),
		},
		// A pair ICE tried and gave up on, which must never be taken for the one in use.
		{
			id: `CPjD0pE2Ls_Xq9Lm3Rt`,
			type: 'candidate-pair',
			timestamp: t,
			transportId: 'T01',
			localCandidateId: 'IjD0pE2Ls',
			remoteCandidateId: 'IXq9Lm3Rt',
			state: 'failed',
			nominated: false,
			writable: false,
			currentRoundTripTime: 0.9,
			bytesSent: 0,
			bytesReceived: 0,
		},
		{
			id: pairId,
			type: 'candidate-pair',
			timestamp: t,
			transportId: 'T01',
			localCandidateId: local,
			remoteCandidateId: remote,
			state: 'succeeded',
			priority: 179_616_219_067_334_140,
			nominated: true,
			writable: true,
			packetsSent: 2_210,
			packetsReceived: 2_187,
			bytesSent: 412_331,
			bytesReceived: 398_120,
			totalRoundTripTime: 0.712,
			...(call.pairRtt === null ? {} : { currentRoundTripTime: call.pairRtt ?? 0.048 }),
			availableOutgoingBitrate: 1_263_400,
			requestsReceived: 7,
			requestsSent: 8,
			responsesReceived: 8,
			responsesSent: 7,
			consentRequestsSent: 6,
			lastPacketReceivedTimestamp: t - 12,
			lastPacketSentTimestamp: t - 8,
		},
		{
			id: 'I6vZB4Tq0',
			type: 'local-candidate',
			timestamp: t,
			transportId: 'T01',
			isRemote: false,
			networkType: 'ethernet',
			address: '203.0.113.7',
			port: 53_211,
			protocol: 'udp',
			relayProtocol: 'udp',
			candidateType: 'relay',
			priority: 41_885_439,
			url: 'turn:turn.telnyx.com:3478?transport=udp',
			foundation: '3125408163',
			usernameFragment: 'k3Jd',
		},
		{
			id: 'IjD0pE2Ls',
			type: 'local-candidate',
			timestamp: t,
			transportId: 'T01',
			isRemote: false,
			networkType: 'ethernet',
			address: route === 'srflx' ? '198.51.100.23' : '192.168.1.40',
			port: 61_002,
			protocol: 'udp',
			candidateType: route === 'srflx' ? 'srflx' : 'host',
			priority: 2_122_260_223,
			foundation: '1798457101',
			usernameFragment: 'k3Jd',
		},
		{
			id: remote,
			type: 'remote-candidate',
			timestamp: t,
			transportId: 'T01',
			isRemote: true,
			address: '64.16.250.10',
			port: 16_422,
			protocol: 'udp',
			candidateType: 'host',
			priority: 2_130_706_431,
			foundation: '1',
		},
		{
			id: OPUS_IN,
			type: 'codec',
			timestamp: t,
			transportId: 'T01',
			payloadType: 111,
			mimeType: 'audio/opus',
			clockRate: 48_000,
			channels: 2,
			sdpFmtpLine: 'minptime=10;useinbandfec=1',
		},
		{
			id: OPUS_OUT,
			type: 'codec',
			timestamp: t,
			transportId: 'T01',
			payloadType: 111,
			mimeType: 'audio/opus',
			clockRate: 48_000,
			channels: 2,
			sdpFmtpLine: 'minptime=10;useinbandfec=1',
		},
		{
			id: 'SA1',
			type: 'media-source',
			timestamp: t,
			kind: 'audio',
			trackIdentifier: '5b1f0c4e-8a5e-4d0b-9f53-1a6f2b7c9d10',
			audioLevel: 0.02,
			totalAudioEnergy: 0.41,
			totalSamplesDuration: 44.1,
		},
	];
	if (call.audioIn !== null) {
		const audioIn = call.audioIn ?? {
			packetsReceived: 0,
			packetsLost: 0,
			bytesReceived: 0,
			jitter: 0,
		};
		entries.push({
			id: `IT01A${String(audioInSsrc)}`,
			type: 'inbound-rtp',
			timestamp: t,
			ssrc: audioInSsrc,
			kind: 'audio',
			mediaType: 'audio',
			transportId: 'T01',
			codecId: OPUS_IN,
			mid: '0',
			trackIdentifier: 'f3a9d9d2-0c1b-4e43-9b0a-2c6f0e1d7a55',
			remoteId: `ROA${String(audioInSsrc)}`,
			packetsReceived: audioIn.packetsReceived,
			packetsLost: audioIn.packetsLost,
			packetsDiscarded: 0,
			fecPacketsReceived: 0,
			jitter: audioIn.jitter,
			bytesReceived: audioIn.bytesReceived,
			headerBytesReceived: audioIn.packetsReceived * 12,
			lastPacketReceivedTimestamp: t - 12,
			jitterBufferDelay: 3.1,
			jitterBufferTargetDelay: 3.4,
			jitterBufferEmittedCount: 211_200,
			totalSamplesReceived: 211_680,
			concealedSamples: 480,
			concealmentEvents: 1,
			audioLevel: 0.03,
			totalAudioEnergy: 0.2,
			totalSamplesDuration: 4.4,
		});
	}
	entries.push({
		id: `OT01A${String(audioOutSsrc)}`,
		type: 'outbound-rtp',
		timestamp: t,
		ssrc: audioOutSsrc,
		kind: 'audio',
		mediaType: 'audio',
		transportId: 'T01',
		codecId: OPUS_OUT,
		mediaSourceId: 'SA1',
		remoteId: `RIA${String(audioOutSsrc)}`,
		mid: '0',
		active: true,
		packetsSent: call.audioOut?.packetsSent ?? 0,
		bytesSent: call.audioOut?.bytesSent ?? 0,
		headerBytesSent: (call.audioOut?.packetsSent ?? 0) * 12,
		retransmittedPacketsSent: 0,
		retransmittedBytesSent: 0,
		targetBitrate: 32_000,
		nackCount: 0,
	});
	if (call.rtcpRtt !== undefined) {
		entries.push({
			id: `RIA${String(audioOutSsrc)}`,
			type: 'remote-inbound-rtp',
			timestamp: t,
			ssrc: audioOutSsrc,
			kind: 'audio',
			transportId: 'T01',
			codecId: OPUS_OUT,
			localId: `OT01A${String(audioOutSsrc)}`,
			packetsLost: 0,
			jitter: 0.002,
			fractionLost: 0,
			roundTripTime: call.rtcpRtt,
			totalRoundTripTime: call.rtcpRtt * 3,
			roundTripTimeMeasurements: 3,
		});
	}
	if (call.video !== undefined) {
		const codecIn = call.video.codecIn ?? 'VP8';
		const codecOut = call.video.codecOut ?? 'VP8';
		const codecInId = `CIT01_${String(VIDEO_PAYLOAD[codecIn])}`;
		const codecOutId = `COT01_${String(VIDEO_PAYLOAD[codecOut])}`;
		entries.push(
			{
				id: codecInId,
				type: 'codec',
				timestamp: t,
				transportId: 'T01',
				payloadType: VIDEO_PAYLOAD[codecIn],
				mimeType: `video/${codecIn}`,
				clockRate: 90_000,
			},
			{
				id: codecOutId,
				type: 'codec',
				timestamp: t,
				transportId: 'T01',
				payloadType: VIDEO_PAYLOAD[codecOut],
				mimeType: `video/${codecOut}`,
				clockRate: 90_000,
			},
			{
				id: 'IT01V3913407117',
				type: 'inbound-rtp',
				timestamp: t,
				ssrc: 3_913_407_117,
				kind: 'video',
				mediaType: 'video',
				transportId: 'T01',
				codecId: codecInId,
				mid: '1',
				packetsReceived: Math.round(call.video.bytesReceived / 1100),
				packetsLost: 0,
				jitter: 0.011,
				bytesReceived: call.video.bytesReceived,
				framesDecoded: 130,
				frameWidth: 640,
				frameHeight: 480,
				framesPerSecond: 30,
			},
			{
				id: 'OT01V2207785094',
				type: 'outbound-rtp',
				timestamp: t,
				ssrc: 2_207_785_094,
				kind: 'video',
				mediaType: 'video',
				transportId: 'T01',
				codecId: codecOutId,
				mediaSourceId: 'SV2',
				mid: '1',
				packetsSent: Math.round(call.video.bytesSent / 1100),
				bytesSent: call.video.bytesSent,
				framesEncoded: 131,
				frameWidth: 640,
				frameHeight: 480,
				qualityLimitationReason: 'none',
			},
		);
	}
	return entries;
}
