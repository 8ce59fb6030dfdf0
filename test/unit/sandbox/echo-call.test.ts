/**
 * The echo number at the frame level, with a werift peer connection standing in for the SDK's: the sandbox
 * rings the caller, answers it per answer mode through the same frames as a callee's answer, and sends the
 * caller's RTP back on the same leg — in either media mode — with the gateway's impairment applied.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import Telnyx from 'telnyx';
import { RTCPeerConnection, RtpHeader, RtpPacket, useOPUS } from 'werift';
import { ECHO_ANSWER_MS } from '../../sandbox/signalling/calls';
import { ECHO_NUMBER, startSandbox, type Sandbox } from '../../sandbox/sandbox';
import type { AnswerMode } from '../../sandbox/signalling/verto-server';
import { VertoTestClient } from '../../support/verto-test-client';

/** An audio-only client media stack on loopback, as the SDK's peer connection is. */
async function offerer() {
	const pc = new RTCPeerConnection({
		codecs: { audio: [useOPUS()] },
		iceUseIpv6: false,
		iceAdditionalHostAddresses: ['127.0.0.1'],
		iceFilterCandidatePair: (pair) => pair.localCandidate.host === '127.0.0.1',
	});
	const transceiver = pc.addTransceiver('audio', { direction: 'sendrecv' });
	let received = 0;
	pc.onTrack.subscribe((track) => track.onReceiveRtp.subscribe(() => (received += 1)));
	await pc.setLocalDescription(await pc.createOffer());
	await new Promise<void>((resolve) => {
		if (pc.iceGatheringState === 'complete') resolve();
		pc.iceGatheringStateChange.subscribe((state) => state === 'complete' && resolve());
	});
	let sequenceNumber = 1;
	return {
		pc,
		sdp: pc.localDescription!.sdp,
		received: () => received,
		/** Sends `count` Opus-sized packets, 5 ms apart. */
		async send(count: number) {
			for (let i = 0; i < count; i += 1) {
				const header = new RtpHeader({ sequenceNumber, timestamp: sequenceNumber * 960 });
				sequenceNumber += 1;
				await transceiver.sender.sendRtp(new RtpPacket(header, Buffer.alloc(60, 1)));
				await new Promise((resolve) => setTimeout(resolve, 5));
			}
		},
	};
}

const OWN_NUMBER = '+13125550142';
let sandbox: Sandbox;
let token: string;
const closing: Array<() => unknown> = [];

beforeAll(async () => {
	sandbox = await startSandbox({ specTally: null, signalling: { credentialPropagationMs: 0 } });
	const client = new Telnyx({
		apiKey: sandbox.apiKey,
		baseURL: sandbox.restBaseUrl,
		maxRetries: 0,
	});
	const profile = (await client.outboundVoiceProfiles.create({ name: 'echo' })).data!;
	const connection = (
		await client.credentialConnections.create({
			connection_name: 'echo',
			user_name: 'echotest1',
			password: 'echo-password',
			outbound: { outbound_voice_profile_id: profile.id! },
		})
	).data!;
	const credential = (await client.telephonyCredentials.create({ connection_id: connection.id! }))
		.data!;
	token = await client.telephonyCredentials.createToken(credential.id!);
});
afterEach(async () => {
	for (const close of closing.splice(0)) await close();
	sandbox.admin.setMediaImpairment({});
	sandbox.admin.setSignalling({ answer: 'early-media', media: 'gateway' });
});
afterAll(() => sandbox.close());

/** Logs in, offers audio to the echo number as the SDK writes it; resolves when the caller is answered. */
async function callEcho(callerNumber = OWN_NUMBER) {
	const peer = await VertoTestClient.login(sandbox.signallingUrl, token);
	const media = await offerer();
	closing.push(
		() => peer.ws.close(),
		() => media.pc.close(),
	);
	const callID = `echo-${Math.random().toString(36).slice(2)}`;
	void peer.request('telnyx_rtc.invite', {
		sdp: media.sdp,
		dialogParams: {
			callID,
			destination_number: '+1-872-231-5806',
			caller_id_number: callerNumber,
		},
	});
	return { peer, media, callID };
}

/** `callEcho`, then the answer applied and the peer connection up: the call carries media. */
async function connectedEchoCall() {
	const call = await callEcho();
	const { peer, media, callID } = call;
	const answer = await peer.waitFor(
		(f) => f.method === 'telnyx_rtc.answer' && f.params?.['callID'] === callID,
	);
	await media.pc.setRemoteDescription({ type: 'answer', sdp: String(answer.params?.['sdp']) });
	await new Promise<void>((resolve) => {
		if (media.pc.connectionState === 'connected') resolve();
		media.pc.connectionStateChange.subscribe((state) => state === 'connected' && resolve());
	});
	return call;
}

describe('a call to the echo number', () => {
	it.each<[AnswerMode, string[]]>([
		[
			'early-media',
			['CALL CREATED', 'telnyx_rtc.ringing', 'telnyx_rtc.media', 'telnyx_rtc.answer'],
		],
		['sdp-answer', ['CALL CREATED', 'telnyx_rtc.ringing', 'telnyx_rtc.answer']],
		[
			'stuck-early',
			['telnyx_rtc.ringing', 'telnyx_rtc.media', 'CALL CREATED', 'telnyx_rtc.answer'],
		],
	])('rings, then is answered as a callee answers in %s mode', async (answer, expected) => {
		sandbox.admin.setSignalling({ answer });
		const { peer, callID } = await callEcho();
		await peer.waitFor((f) => f.method === 'telnyx_rtc.answer' && f.params?.['callID'] === callID);
		const seen = peer.frames
			.filter((f) => f.result?.['message'] === 'CALL CREATED' || f.params?.['callID'] === callID)
			.map((f) => f.method ?? String(f.result?.['message']))
			.filter((name) => name !== 'telnyx_rtc.invite');
		expect(seen).toEqual(expected);
		const sdpFrames = peer.callFrames(callID).filter((f) => typeof f.params?.['sdp'] === 'string');
		expect(sdpFrames).toHaveLength(1);
		expect(sdpFrames[0]?.params?.['sdp']).toMatch(/^m=audio [1-9]/m);
		const call = sandbox.admin.calls().at(-1);
		expect(call).toMatchObject({
			to: '+1-872-231-5806',
			destinationKind: 'pstn',
			calleeSipUsername: null,
			state: 'active',
		});
		const rang = call?.events.find((e) => e.type === 'ringing')?.time ?? '';
		const answered = call?.events.find((e) => e.type === 'answer');
		expect(answered?.by).toBe('sandbox');
		expect(Date.parse(answered?.time ?? '') - Date.parse(rang)).toBeGreaterThanOrEqual(
			ECHO_ANSWER_MS - 5,
		);
	});

	it.each(['gateway', 'peer-to-peer'] as const)(
		'sends the caller its own RTP back (media: %s), and a hangup ends it with NORMAL_CLEARING',
		async (mode) => {
			sandbox.admin.setSignalling({ media: mode, answer: 'sdp-answer' });
			const { peer, media, callID } = await connectedEchoCall();
			await media.send(40);
			await expect.poll(media.received, { timeout: 3000 }).toBeGreaterThanOrEqual(38);

			await peer.request('telnyx_rtc.bye', { callID, cause: 'NORMAL_CLEARING', causeCode: 16 });
			expect(sandbox.admin.calls().at(-1)).toMatchObject({
				state: 'ended',
				hangup: { cause: 'NORMAL_CLEARING', causeCode: 16, by: 'caller' },
			});
		},
	);

	it('drops the share of packets the impairment asks for', async () => {
		sandbox.admin.setSignalling({ answer: 'sdp-answer' });
		sandbox.admin.setMediaImpairment({ lossPercent: 50 });
		const { media } = await connectedEchoCall();
		await media.send(200);
		await new Promise((resolve) => setTimeout(resolve, 200));
		// 100 expected; 200 Bernoulli draws at 0.5 have a standard deviation of about 7.
		expect(media.received()).toBeGreaterThan(60);
		expect(media.received()).toBeLessThan(140);
	});

	it('is refused with D35 without a caller-ID number, as any phone number is', async () => {
		const { peer, callID } = await callEcho('');
		const bye = await peer.waitFor((f) => f.method === 'telnyx_rtc.bye');
		expect(bye.params).toMatchObject({
			callID,
			cause: 'CALL_REJECTED',
			sipCode: 403,
			sipReason: 'Caller Origination Number is Invalid D35',
		});
		expect(ECHO_NUMBER).toBe('+18722315806');
	});
});
