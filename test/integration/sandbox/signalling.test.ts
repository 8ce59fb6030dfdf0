/**
 * The sandbox's signalling protocol at the frame level, with a plain WebSocket client standing in for the
 * SDK: the wire rules the SDK depends on.
 */
import Telnyx from 'telnyx';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';

interface Frame {
	jsonrpc?: string;
	id?: string | number;
	method?: string;
	params?: Record<string, unknown>;
	result?: Record<string, unknown>;
	error?: { code: number; message: string };
	voice_sdk_id?: string;
}

/** A minimal Verto peer: sends requests with string ids, collects every frame, acknowledges server requests. */
class Peer {
	readonly frames: Frame[] = [];
	#next = 0;
	readonly closed: Promise<{ code: number }>;

	private constructor(readonly ws: WebSocket) {
		ws.on('message', (data: WebSocket.RawData) => {
			const text = (
				Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Uint8Array)
			).toString('utf8');
			const frame = JSON.parse(text) as Frame;
			this.frames.push(frame);
			if (
				frame.method !== undefined &&
				frame.method !== 'telnyx_rtc.clientReady' &&
				frame.method !== 'telnyx_rtc.ping'
			) {
				ws.send(JSON.stringify({ jsonrpc: '2.0', id: frame.id, result: { method: frame.method } }));
			}
		});
		this.closed = new Promise((resolve) => ws.on('close', (code) => resolve({ code })));
	}

	static async open(url: string): Promise<Peer> {
		const ws = new WebSocket(`${url}/?voice_sdk_id=ignored&rtc_ip=1.2.3.4`);
		await new Promise((resolve, reject) => {
			ws.once('open', resolve);
			ws.once('error', reject);
		});
		return new Peer(ws);
	}

	async request(
		method: string,
		params: Record<string, unknown>,
		timeoutMs?: number,
	): Promise<Frame> {
		const id = `req-${(this.#next += 1)}`;
		this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
		return this.waitFor((f) => f.id === id && f.method === undefined, timeoutMs);
	}

	async waitFor(match: (frame: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const found = this.frames.find(match);
			if (found !== undefined) return found;
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		throw new Error('frame not received');
	}

	close(): void {
		this.ws.close();
	}
}

let sandbox: Sandbox;
let tokens: {
	alice: string;
	bob: string;
	aliceUser: string;
	bobUser: string;
	alicePassword: string;
};
let ids: { alice: string; bob: string; connection: string };
let client: Telnyx;
const peers: Peer[] = [];

async function peer(): Promise<Peer> {
	const p = await Peer.open(sandbox.signallingUrl);
	peers.push(p);
	return p;
}

beforeAll(async () => {
	// These tests are about the frames, not Telnyx's timing or media path: credentials log in at once, the
	// answer carries the SDP and SDPs are relayed as sent (the defaults are tested in their own files and in
	// the early-media case below).
	sandbox = await startSandbox({
		signalling: { answer: 'sdp-answer', media: 'peer-to-peer', credentialPropagationMs: 0 },
	});
	client = new Telnyx({ apiKey: sandbox.apiKey, baseURL: sandbox.restBaseUrl, maxRetries: 0 });
	const connection = (
		await client.credentialConnections.create({
			connection_name: 'frames',
			user_name: 'framestest1',
			password: 'frames-password',
			sip_uri_calling_preference: 'internal',
		})
	).data!;
	const alice = (await client.telephonyCredentials.create({ connection_id: connection.id! })).data!;
	const bob = (await client.telephonyCredentials.create({ connection_id: connection.id! })).data!;
	tokens = {
		alice: await client.telephonyCredentials.createToken(alice.id!),
		bob: await client.telephonyCredentials.createToken(bob.id!),
		aliceUser: alice.sip_username!,
		bobUser: bob.sip_username!,
		alicePassword: alice.sip_password!,
	};
	ids = { alice: alice.id!, bob: bob.id!, connection: connection.id! };
});
afterEach(() => {
	for (const p of peers.splice(0)) p.close();
	sandbox.admin.clearFaults();
});
afterAll(() => sandbox.close());

describe('login', () => {
	it('accepts a JWT, answers with sessid and voice_sdk_id, then sends clientReady and REGED', async () => {
		const p = await peer();
		const login = await p.request('login', { login_token: tokens.alice, reconnection: false });
		expect(login.result).toMatchObject({ message: 'logged in', sessid: expect.any(String) });
		expect(login.voice_sdk_id).toEqual(expect.any(String));
		// The login result must not carry a gateway state, or the SDK never resolves the login.
		expect(login.result?.['params']).toBeUndefined();
		const ready = await p.waitFor((f) => f.method === 'telnyx_rtc.clientReady');
		expect(typeof ready.id).toBe('number');
		expect(ready.params).toEqual({ reattached_sessions: [] });
		const state = await p.request('telnyx_rtc.gatewayState', {});
		// With the id the SDK files this session's call reports under, as Telnyx's REGED carries it.
		expect(state.result).toEqual({
			params: { state: 'REGED', call_report_id: expect.stringMatching(/^[0-9a-f-]{36}$/) },
		});
		const again = await p.request('telnyx_rtc.gatewayState', {});
		expect(again.result).toEqual(state.result);
	});

	it('accepts sip_username and password too', async () => {
		const p = await peer();
		const login = await p.request('login', {
			login: tokens.aliceUser,
			passwd: tokens.alicePassword,
		});
		expect(login.result?.['message']).toBe('logged in');
	});

	it('refuses a forged, an expired or a wrong-password login with -32001, never -32000', async () => {
		const [head, body] = tokens.alice.split('.');
		const forged = `${head}.${body}.${Buffer.from('not the signature').toString('base64url')}`;
		for (const params of [
			{ login_token: forged },
			{ login_token: 'not-a-jwt' },
			{ login: tokens.aliceUser, passwd: 'wrong' },
			{},
		]) {
			const p = await peer();
			const reply = await p.request('login', params);
			expect(reply.error).toEqual({ code: -32001, message: 'Authentication Failure' });
		}
	});

	it('refuses logins on demand, then accepts again', async () => {
		sandbox.admin.refuseLogins(1);
		const p = await peer();
		expect((await p.request('login', { login_token: tokens.alice })).error?.code).toBe(-32001);
		expect((await p.request('login', { login_token: tokens.alice })).result?.['message']).toBe(
			'logged in',
		);
	});

	it('refuses a token for a deleted credential', async () => {
		const doomed = (await client.telephonyCredentials.create({ connection_id: ids.connection }))
			.data!;
		const token = await client.telephonyCredentials.createToken(doomed.id!);
		await client.telephonyCredentials.delete(doomed.id!);
		const p = await peer();
		expect((await p.request('login', { login_token: token })).error?.code).toBe(-32001);
	});

	it('asks an unauthenticated socket to log in (-32000) and rejects unknown methods (-32601)', async () => {
		const p = await peer();
		expect((await p.request('telnyx_rtc.invite', { sdp: 'v=0' })).error?.code).toBe(-32000);
		await p.request('login', { login_token: tokens.alice });
		expect((await p.request('telnyx_rtc.frobnicate', {})).error?.code).toBe(-32601);
	});

	it('answers ping, and ignores speed-test text frames', async () => {
		const p = await peer();
		p.ws.send('#SPU 1024');
		const pong = await p.request('telnyx_rtc.ping', {});
		expect(pong.result?.['message']).toBe('PONG');
	});

	it('never lets a presented sessid cross to another credential', async () => {
		const a = await peer();
		const sessid = (await a.request('login', { login_token: tokens.alice })).result?.['sessid'];
		const b = await peer();
		const other = await b.request('login', { login_token: tokens.bob, reconnection: true, sessid });
		expect(sessid).toEqual(expect.any(String));
		expect(other.result?.['message']).toBe('logged in');
		expect(other.result?.['sessid']).not.toBe(sessid);
	});
});

const OFFER =
	'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n';
const ANSWER = OFFER.replace('o=- 1 1', 'o=- 2 2');

async function loggedIn(token: string): Promise<{ p: Peer; sessid: string }> {
	const p = await peer();
	const reply = await p.request('login', { login_token: token });
	await p.waitFor((f) => f.method === 'telnyx_rtc.clientReady');
	return { p, sessid: String(reply.result?.['sessid']) };
}

/** Alice invites `destination`; resolves once the invite result is in. */
async function invite(
	alice: Peer,
	destination: string,
	callID = `call-${Math.random()}`,
): Promise<{ callID: string; result: Frame }> {
	const result = await alice.request('telnyx_rtc.invite', {
		sdp: OFFER,
		dialogParams: {
			callID,
			destination_number: destination,
			caller_id_name: 'Alice',
			caller_id_number: '',
		},
	});
	return { callID, result };
}

const byeFor = (callID: string) => (f: Frame) =>
	f.method === 'telnyx_rtc.bye' && f.params?.['callID'] === callID;

describe('calls', () => {
	it('bridges invite → ringing → answer with separate callIDs, relays SDP, then BYE with NORMAL_CLEARING', async () => {
		const { p: alice } = await loggedIn(tokens.alice);
		const { p: bob } = await loggedIn(tokens.bob);
		const { callID, result } = await invite(alice, `sip:${tokens.bobUser}@sip.telnyx.com`);
		expect(result.result).toMatchObject({ message: 'CALL CREATED', callID });
		const incoming = await bob.waitFor((f) => f.method === 'telnyx_rtc.invite');
		expect(typeof incoming.id).toBe('number');
		expect(incoming.params).toMatchObject({
			sdp: OFFER,
			caller_id_name: 'Alice',
			caller_id_number: tokens.aliceUser,
			callee_id_number: tokens.bobUser,
			telnyx_session_id: expect.any(String),
			telnyx_leg_id: expect.any(String),
			telnyx_call_control_id: expect.stringMatching(/^v3:/),
		});
		const bobCallID = String(incoming.params?.['callID']);
		expect(bobCallID).not.toBe(callID);
		await alice.waitFor(
			(f) => f.method === 'telnyx_rtc.ringing' && f.params?.['callID'] === callID,
		);

		const answered = await bob.request('telnyx_rtc.answer', {
			sdp: ANSWER,
			dialogParams: { callID: bobCallID },
		});
		expect(answered.result).toMatchObject({ message: 'CALL ANSWERED' });
		const answer = await alice.waitFor((f) => f.method === 'telnyx_rtc.answer');
		expect(answer.params).toMatchObject({ callID, sdp: ANSWER });

		const hold = await alice.request('telnyx_rtc.modify', {
			action: 'hold',
			dialogParams: { callID },
		});
		expect(hold.result).toMatchObject({ holdState: 'held', action: 'hold' });
		const toggled = await alice.request('telnyx_rtc.modify', {
			action: 'toggleHold',
			dialogParams: { callID },
		});
		expect(toggled.result).toMatchObject({ holdState: 'active' });
		const restart = await alice.request('telnyx_rtc.modify', {
			action: 'updateMedia',
			sdp: OFFER,
			dialogParams: { callID },
		});
		expect(restart.error).toBeDefined();

		await alice.request('telnyx_rtc.info', { dtmf: '5', dialogParams: { callID } });
		const info = await bob.waitFor((f) => f.method === 'telnyx_rtc.info');
		expect(info.params).toEqual({ callID: bobCallID, dtmf: '5' });

		const bye = await alice.request('telnyx_rtc.bye', {
			cause: 'NORMAL_CLEARING',
			causeCode: 16,
			dialogParams: { callID },
		});
		expect(bye.result).toMatchObject({ message: 'CALL ENDED', cause: 'NORMAL_CLEARING' });
		const peerBye = await bob.waitFor(byeFor(bobCallID));
		expect(peerBye.params).toMatchObject({
			cause: 'NORMAL_CLEARING',
			causeCode: 16,
			sipCode: 200,
			sipReason: 'OK',
		});
		const record = sandbox.admin.calls().find((c) => c.callerCallId === callID);
		expect(record).toMatchObject({
			state: 'ended',
			video: true,
			dtmf: { caller: '5', callee: '' },
		});
		expect(record?.events.map((e) => e.type)).toEqual([
			'invite',
			'ringing',
			'answer',
			'hold',
			'unhold',
			'dtmf',
			'bye',
		]);
	});

	it('sends media then a bare answer in early-media mode', async () => {
		sandbox.admin.setSignalling({ answer: 'early-media' });
		try {
			const { p: alice } = await loggedIn(tokens.alice);
			const { p: bob } = await loggedIn(tokens.bob);
			const { callID } = await invite(alice, tokens.bobUser);
			const incoming = await bob.waitFor((f) => f.method === 'telnyx_rtc.invite');
			await bob.request('telnyx_rtc.answer', {
				sdp: ANSWER,
				dialogParams: { callID: incoming.params?.['callID'] },
			});
			const media = await alice.waitFor((f) => f.method === 'telnyx_rtc.media');
			const answer = await alice.waitFor((f) => f.method === 'telnyx_rtc.answer');
			expect(media.params).toMatchObject({ callID, sdp: ANSWER });
			expect(answer.params?.['sdp']).toBeUndefined();
			expect(alice.frames.indexOf(media)).toBeLessThan(alice.frames.indexOf(answer));
		} finally {
			sandbox.admin.setSignalling({ answer: 'sdp-answer' });
		}
	});

	it('ends calls with Telnyx causes: unknown destination, busy, cancel, not registered', async () => {
		const { p: alice } = await loggedIn(tokens.alice);
		const unknown = await invite(alice, 'nobody-here');
		expect((await alice.waitFor(byeFor(unknown.callID))).params).toMatchObject({
			cause: 'UNALLOCATED_NUMBER',
			causeCode: 1,
			sipCode: 404,
		});

		const offline = await invite(alice, tokens.bobUser);
		expect((await alice.waitFor(byeFor(offline.callID))).params).toMatchObject({
			cause: 'USER_NOT_REGISTERED',
			sipCode: 480,
		});

		const { p: bob } = await loggedIn(tokens.bob);
		const rejected = await invite(alice, tokens.bobUser);
		const ring1 = await bob.waitFor((f) => f.method === 'telnyx_rtc.invite');
		await bob.request('telnyx_rtc.bye', {
			cause: 'USER_BUSY',
			causeCode: 17,
			dialogParams: { callID: ring1.params?.['callID'] },
		});
		expect((await alice.waitFor(byeFor(rejected.callID))).params).toMatchObject({
			cause: 'USER_BUSY',
			causeCode: 17,
			sipCode: 486,
		});

		const cancelled = await invite(alice, tokens.bobUser);
		const ring2 = await bob.waitFor((f) => f.method === 'telnyx_rtc.invite' && f !== ring1);
		await alice.request('telnyx_rtc.bye', {
			cause: 'USER_BUSY',
			causeCode: 17,
			dialogParams: { callID: cancelled.callID },
		});
		expect((await bob.waitFor(byeFor(String(ring2.params?.['callID'])))).params).toMatchObject({
			cause: 'ORIGINATOR_CANCEL',
			sipCode: 487,
		});
	});

	it("gives up on an unanswered call after the callee connection's timeout_2xx_secs", async () => {
		await client.credentialConnections.update(ids.connection, { inbound: { timeout_2xx_secs: 1 } });
		try {
			const { p: alice } = await loggedIn(tokens.alice);
			const { p: bob } = await loggedIn(tokens.bob);
			const { callID } = await invite(alice, tokens.bobUser);
			const ring = await bob.waitFor((f) => f.method === 'telnyx_rtc.invite');
			expect((await alice.waitFor(byeFor(callID), 3000)).params).toMatchObject({
				cause: 'NO_ANSWER',
				causeCode: 19,
				sipCode: 480,
			});
			expect(
				(await bob.waitFor(byeFor(String(ring.params?.['callID'])), 3000)).params,
			).toMatchObject({ cause: 'NO_ANSWER' });
		} finally {
			await client.credentialConnections.update(ids.connection, {
				inbound: { timeout_2xx_secs: 90 },
			});
		}
	});
});

describe('reconnection and expiry', () => {
	async function activeCall(): Promise<{
		alice: Peer;
		bob: Peer;
		sessid: string;
		callID: string;
		bobCallID: string;
	}> {
		const { p: alice, sessid } = await loggedIn(tokens.alice);
		const { p: bob } = await loggedIn(tokens.bob);
		const { callID } = await invite(alice, tokens.bobUser);
		const incoming = await bob.waitFor((f) => f.method === 'telnyx_rtc.invite');
		const bobCallID = String(incoming.params?.['callID']);
		await bob.request('telnyx_rtc.answer', { sdp: ANSWER, dialogParams: { callID: bobCallID } });
		return { alice, bob, sessid, callID, bobCallID };
	}

	it("keeps a dropped session's calls and reattaches them when the same credential presents its sessid", async () => {
		const { alice, bob, sessid, callID, bobCallID } = await activeCall();
		expect(sandbox.admin.drop(tokens.aliceUser)).toBe(1);
		await alice.closed;
		const again = await peer();
		const login = await again.request('login', {
			login_token: tokens.alice,
			reconnection: true,
			sessid,
		});
		expect(login.result?.['sessid']).toBe(sessid);
		const ready = await again.waitFor((f) => f.method === 'telnyx_rtc.clientReady');
		expect(ready.params).toEqual({ reattached_sessions: [callID] });
		expect(bob.frames.some(byeFor(bobCallID))).toBe(false);
		await again.request('telnyx_rtc.bye', { dialogParams: { callID } });
		await bob.waitFor(byeFor(bobCallID));
	});

	it('with reattach off, forgets the calls on reconnect and the other side hears why', async () => {
		sandbox.admin.setSignalling({ reattach: 'none' });
		try {
			const { alice, bob, sessid, bobCallID } = await activeCall();
			sandbox.admin.drop(tokens.aliceUser);
			await alice.closed;
			const again = await peer();
			await again.request('login', { login_token: tokens.alice, reconnection: true, sessid });
			expect((await again.waitFor((f) => f.method === 'telnyx_rtc.clientReady')).params).toEqual({
				reattached_sessions: [],
			});
			expect((await bob.waitFor(byeFor(bobCallID))).params).toMatchObject({
				cause: 'NORMAL_TEMPORARY_FAILURE',
			});
		} finally {
			sandbox.admin.setSignalling({ reattach: 'list' });
		}
	});

	it("ends a vanished session's calls after the grace period", async () => {
		sandbox.admin.setSignalling({ sessionGraceMs: 200 });
		try {
			const { alice, bob, bobCallID } = await activeCall();
			sandbox.admin.drop(tokens.aliceUser);
			await alice.closed;
			expect((await bob.waitFor(byeFor(bobCallID), 2000)).params).toMatchObject({
				cause: 'NORMAL_TEMPORARY_FAILURE',
				sipCode: 503,
			});
		} finally {
			sandbox.admin.setSignalling({ sessionGraceMs: 60_000 });
		}
	});

	it('closes the socket when the JWT expires, unless a renewal login came first', async () => {
		// Expiry is in whole seconds from a floored `iat`, so a 2 s token lives between 1 and 2 s.
		sandbox.admin.setTokenLifetime(2);
		const short = sandbox.admin.mintToken(ids.alice);
		sandbox.admin.setTokenLifetime(null);
		const { p: expiring } = await loggedIn(short);
		expect((await expiring.closed).code).toBe(4001);

		sandbox.admin.setTokenLifetime(2);
		const bobShort = sandbox.admin.mintToken(ids.bob);
		const { exp } = JSON.parse(Buffer.from(bobShort.split('.')[1]!, 'base64url').toString()) as {
			exp: number;
		};
		sandbox.admin.setTokenLifetime(null);
		const { p: renewing, sessid } = await loggedIn(bobShort);
		const relogin = await renewing.request('login', {
			login_token: sandbox.admin.mintToken(ids.bob),
		});
		expect(relogin.result?.['sessid']).toBe(sessid);
		await new Promise((resolve) => setTimeout(resolve, exp * 1000 + 500 - Date.now()));
		expect(renewing.ws.readyState).toBe(WebSocket.OPEN);
		// A socket speaks for one credential only.
		expect((await renewing.request('login', { login_token: tokens.alice })).error?.code).toBe(
			-32001,
		);
	});

	it('goes silent on demand: the socket stays open and nothing is answered', async () => {
		const { p } = await loggedIn(tokens.alice);
		expect(sandbox.admin.silence(tokens.aliceUser)).toBe(1);
		await expect(p.request('telnyx_rtc.ping', {}, 1000)).rejects.toThrow('frame not received');
		expect(p.ws.readyState).toBe(WebSocket.OPEN);
	});
});
