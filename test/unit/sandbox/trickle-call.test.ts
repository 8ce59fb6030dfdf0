/**
 * Trickle ICE through the sandbox at the frame level, with werift peer connections standing in for the SDK's
 * and Verto sockets speaking its frames: a leg that asks for trickle sends its SDP without candidates and
 * each candidate as `telnyx_rtc.candidate` (then `telnyx_rtc.endOfCandidates`), as `@telnyx/webrtc` 2.27
 * does. Mixed calls (a trickle caller to a non-trickle callee and the reverse) carry RTP both ways through
 * the gateway, and peer to peer the candidate frames are relayed to the other leg under its own callID.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import Telnyx from 'telnyx';
import { RTCPeerConnection, RtpHeader, RtpPacket, useOPUS } from 'werift';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { VertoTestClient } from '../../support/verto-test-client';

const stripCandidates = (sdp: string) =>
	sdp
		.split('\r\n')
		.filter((line) => !line.startsWith('a=candidate:') && line !== 'a=end-of-candidates')
		.join('\r\n');
const candidateLines = (sdp: string) =>
	sdp.split(/\r?\n/).filter((line) => line.startsWith('a=candidate:')).length;

/** An audio-only client media stack on loopback, as the SDK's peer connection is, counting RTP in. */
function client() {
	const pc = new RTCPeerConnection({
		codecs: { audio: [useOPUS()] },
		iceUseIpv6: false,
		iceAdditionalHostAddresses: ['127.0.0.1'],
		iceFilterCandidatePair: (pair) => pair.localCandidate.host === '127.0.0.1',
	});
	let received = 0;
	pc.onTrack.subscribe((track) => track.onReceiveRtp.subscribe(() => (received += 1)));
	let sequenceNumber = 1;
	return {
		pc,
		received: () => received,
		/**
		 * The local SDP once set: for trickle, without its candidates (which `trickle` then sends in frames),
		 * as the SDK sends it before gathering; otherwise whole, as the SDK's non-trickle default.
		 */
		localSdp(trickleMode: boolean): string {
			const sdp = pc.localDescription!.sdp;
			return trickleMode ? stripCandidates(sdp) : sdp;
		},
		/** Sends each local candidate as the SDK does, then the end of candidates. */
		async trickle(socket: VertoTestClient, callID: string): Promise<number> {
			const candidates = pc
				.localDescription!.sdp.split(/\r?\n/)
				.filter((line) => line.startsWith('a=candidate:'))
				.map((line) => line.slice(2));
			for (const candidate of candidates)
				await socket.request('telnyx_rtc.candidate', {
					sessid: 's',
					candidate,
					sdpMid: '0',
					sdpMLineIndex: 0,
					dialogParams: { callID },
				});
			await socket.request('telnyx_rtc.endOfCandidates', {
				sessid: 's',
				endOfCandidates: true,
				dialogParams: { callID },
			});
			return candidates.length;
		},
		/** Applies the server's `telnyx_rtc.candidate` frames for `callID` (as the SDK does on outbound calls). */
		async applyCandidates(socket: VertoTestClient, callID: string): Promise<number> {
			const frames = socket.callFrames(callID, 'telnyx_rtc.candidate');
			for (const frame of frames)
				await pc.addIceCandidate({
					candidate: String(frame.params?.['candidate']),
					sdpMid: frame.params?.['sdpMid'] as string,
					sdpMLineIndex: frame.params?.['sdpMLineIndex'] as number,
				});
			return frames.length;
		},
		async connected(): Promise<void> {
			await new Promise<void>((resolve) => {
				if (pc.connectionState === 'connected') resolve();
				pc.connectionStateChange.subscribe((state) => state === 'connected' && resolve());
			});
		},
		async send(count: number) {
			const transceiver = pc.getTransceivers().find((t) => t.kind === 'audio')!;
			for (let i = 0; i < count; i += 1) {
				const header = new RtpHeader({ sequenceNumber, timestamp: sequenceNumber * 960 });
				sequenceNumber += 1;
				await transceiver.sender.sendRtp(new RtpPacket(header, Buffer.alloc(60, 1)));
				await new Promise((resolve) => setTimeout(resolve, 5));
			}
		},
	};
}

let sandbox: Sandbox;
const users: Array<{ sipUsername: string; token: string }> = [];
const closing: Array<() => unknown> = [];

beforeAll(async () => {
	sandbox = await startSandbox({ specTally: null, signalling: { credentialPropagationMs: 0 } });
	const rest = new Telnyx({ apiKey: sandbox.apiKey, baseURL: sandbox.restBaseUrl, maxRetries: 0 });
	const connection = (
		await rest.credentialConnections.create({
			connection_name: 'trickle',
			user_name: 'trickletest1',
			password: 'trickle-password',
			sip_uri_calling_preference: 'internal',
		})
	).data!;
	for (const name of ['caller', 'callee']) {
		const credential = (
			await rest.telephonyCredentials.create({ connection_id: connection.id!, name })
		).data!;
		users.push({
			sipUsername: credential.sip_username!,
			token: await rest.telephonyCredentials.createToken(credential.id!),
		});
	}
});
afterEach(async () => {
	for (const close of closing.splice(0)) await close();
	sandbox.admin.setSignalling({ media: 'gateway', answer: 'early-media', trickle: true });
});
afterAll(() => sandbox.close());

interface Sides {
	readonly callerTrickles: boolean;
	readonly calleeTrickles: boolean;
}

/** A call from the caller's socket to the callee's, each side trickling or not, answered; both connected. */
async function trickleCall({ callerTrickles, calleeTrickles }: Sides) {
	const [callerUser, calleeUser] = users as [(typeof users)[0], (typeof users)[0]];
	const callerSocket = await VertoTestClient.login(sandbox.signallingUrl, callerUser.token);
	const calleeSocket = await VertoTestClient.login(sandbox.signallingUrl, calleeUser.token);
	const caller = client();
	const callee = client();
	closing.push(
		() => callerSocket.ws.close(),
		() => calleeSocket.ws.close(),
		() => caller.pc.close(),
		() => callee.pc.close(),
	);
	const callID = `trickle-${Math.random().toString(36).slice(2)}`;
	caller.pc.addTransceiver('audio', { direction: 'sendrecv' });
	await caller.pc.setLocalDescription(await caller.pc.createOffer());
	const offer = caller.localSdp(callerTrickles);
	await callerSocket.request('telnyx_rtc.invite', {
		sessid: 's',
		sdp: offer,
		dialogParams: { callID, destination_number: calleeUser.sipUsername },
		...(callerTrickles ? { trickle: true } : {}),
	});
	const callerCandidates = callerTrickles ? await caller.trickle(callerSocket, callID) : 0;

	const invite = await calleeSocket.waitFor((f) => f.method === 'telnyx_rtc.invite');
	const calleeCallID = String(invite.params?.['callID']);
	await callee.pc.setRemoteDescription({ type: 'offer', sdp: String(invite.params?.['sdp']) });
	for (const transceiver of callee.pc.getTransceivers()) transceiver.setDirection('sendrecv');
	await callee.pc.setLocalDescription(await callee.pc.createAnswer());
	await calleeSocket.request('telnyx_rtc.answer', {
		sessid: 's',
		sdp: callee.localSdp(calleeTrickles),
		dialogParams: { callID: calleeCallID },
		...(calleeTrickles ? { trickle: true } : {}),
	});
	const calleeCandidates = calleeTrickles ? await callee.trickle(calleeSocket, calleeCallID) : 0;

	const media = await callerSocket.waitFor(
		(f) => f.method === 'telnyx_rtc.media' && f.params?.['callID'] === callID,
	);
	const answerSdp = String(media.params?.['sdp']);
	await caller.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
	return {
		caller,
		callee,
		callerSocket,
		calleeSocket,
		callID,
		calleeCallID,
		offer,
		inviteSdp: String(invite.params?.['sdp']),
		answerSdp,
		callerCandidates,
		calleeCandidates,
	};
}

async function expectRtpBothWays(call: Awaited<ReturnType<typeof trickleCall>>): Promise<void> {
	await Promise.all([call.caller.connected(), call.callee.connected()]);
	await Promise.all([call.caller.send(40), call.callee.send(40)]);
	await expect.poll(call.callee.received, { timeout: 5000 }).toBeGreaterThanOrEqual(30);
	await expect.poll(call.caller.received, { timeout: 5000 }).toBeGreaterThanOrEqual(30);
}

describe('trickle ICE through the gateway', { timeout: 20_000 }, () => {
	it('a trickle caller to a non-trickle callee: its candidates reach the gateway, the gateway trickles its answer’s, media flows both ways', async () => {
		const call = await trickleCall({ callerTrickles: true, calleeTrickles: false });
		expect(candidateLines(call.offer)).toBe(0);
		expect(call.callerCandidates).toBeGreaterThan(0);
		// The caller asked for trickle: the gateway's answer comes without candidates, each in its own frame.
		expect(candidateLines(call.answerSdp)).toBe(0);
		await call.callerSocket.waitFor((f) => f.method === 'telnyx_rtc.candidate');
		const applied = await call.caller.applyCandidates(call.callerSocket, call.callID);
		expect(applied).toBeGreaterThan(0);
		// The callee did not: its invite carries the gateway's candidates and no candidate frame reaches it.
		expect(candidateLines(call.inviteSdp)).toBeGreaterThan(0);
		expect(call.calleeSocket.frames.filter((f) => f.method === 'telnyx_rtc.candidate')).toEqual([]);
		await expectRtpBothWays(call);
		expect(sandbox.admin.calls().at(-1)?.trickle).toEqual({
			caller: {
				asked: true,
				received: call.callerCandidates,
				endOfCandidates: true,
				sent: applied,
			},
			callee: { asked: false, received: 0, endOfCandidates: false, sent: 0 },
		});
	});

	it('a non-trickle caller to a trickle callee: the callee’s candidates reach the gateway, the caller gets a whole SDP', async () => {
		const call = await trickleCall({ callerTrickles: false, calleeTrickles: true });
		expect(candidateLines(call.answerSdp)).toBeGreaterThan(0);
		expect(call.calleeCandidates).toBeGreaterThan(0);
		await expectRtpBothWays(call);
		expect(call.callerSocket.frames.filter((f) => f.method === 'telnyx_rtc.candidate')).toEqual([]);
		expect(sandbox.admin.calls().at(-1)?.trickle).toEqual({
			caller: { asked: false, received: 0, endOfCandidates: false, sent: 0 },
			callee: { asked: true, received: call.calleeCandidates, endOfCandidates: true, sent: 0 },
		});
		// The frame log shows the candidates as they travelled.
		const logged = sandbox.admin
			.frames()
			.filter((f) => f.direction === 'in' && f.method === 'telnyx_rtc.candidate');
		expect(logged.length).toBeGreaterThanOrEqual(call.calleeCandidates);
	});

	it('without trickle support (the option) the candidates are acknowledged and dropped, and the caller gets a whole SDP', async () => {
		sandbox.admin.setSignalling({ trickle: false });
		const call = await trickleCall({ callerTrickles: true, calleeTrickles: false });
		// Whole SDP to the caller, no candidate frames, and the candidates it sent were never applied.
		expect(candidateLines(call.answerSdp)).toBeGreaterThan(0);
		expect(call.callerSocket.frames.filter((f) => f.method === 'telnyx_rtc.candidate')).toEqual([]);
		expect(sandbox.admin.calls().at(-1)?.trickle.caller).toMatchObject({
			asked: true,
			received: call.callerCandidates,
			sent: 0,
		});
	});

	it('answers every candidate frame, even for a call it does not know', async () => {
		const socket = await VertoTestClient.login(sandbox.signallingUrl, users[0]!.token);
		closing.push(() => socket.ws.close());
		const reply = await socket.request('telnyx_rtc.candidate', {
			candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host',
			sdpMid: '0',
			sdpMLineIndex: 0,
			dialogParams: { callID: 'nobody' },
		});
		expect(reply.error).toBeUndefined();
		expect(reply.result?.['message']).toBe('OK');
	});
});

describe('trickle ICE peer to peer', { timeout: 20_000 }, () => {
	it('relays each leg’s candidate frames to the other under its own callID, and media flows', async () => {
		sandbox.admin.setSignalling({ media: 'peer-to-peer' });
		const call = await trickleCall({ callerTrickles: true, calleeTrickles: true });
		// The relayed SDPs carry no candidates: they travel only as frames.
		expect(candidateLines(call.inviteSdp)).toBe(0);
		expect(candidateLines(call.answerSdp)).toBe(0);
		await expect
			.poll(() => call.calleeSocket.callFrames(call.calleeCallID, 'telnyx_rtc.candidate').length)
			.toBe(call.callerCandidates);
		await expect
			.poll(() => call.callerSocket.callFrames(call.callID, 'telnyx_rtc.candidate').length)
			.toBe(call.calleeCandidates);
		await call.callee.applyCandidates(call.calleeSocket, call.calleeCallID);
		await call.caller.applyCandidates(call.callerSocket, call.callID);
		await expectRtpBothWays(call);
		// No end of candidates is relayed (the SDK has no handler for one from the server).
		expect(call.calleeSocket.frames.some((f) => f.method === 'telnyx_rtc.endOfCandidates')).toBe(
			false,
		);
		expect(sandbox.admin.calls().at(-1)?.trickle).toEqual({
			caller: {
				asked: true,
				received: call.callerCandidates,
				endOfCandidates: true,
				sent: call.calleeCandidates,
			},
			callee: {
				asked: true,
				received: call.calleeCandidates,
				endOfCandidates: true,
				sent: call.callerCandidates,
			},
		});
	});
});
