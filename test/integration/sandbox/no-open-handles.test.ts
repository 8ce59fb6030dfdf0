/**
 * The sandbox's `close()` releases everything it opened: a sandbox that carried a video call through its
 * media gateway, closed with the clients still connected (as `npm run bench` and the e2e runs leave it) or
 * after they hung up, lets its process exit by itself. The sandbox runs in a child process of its own
 * (support/sandbox-process.ts), so nothing of the clients' (here, werift peer connections and WebSockets)
 * is counted against it, and the check is the process ending, which no leftover socket or timer allows.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Telnyx from 'telnyx';
import { afterEach, describe, expect, it } from 'vitest';
import { RTCPeerConnection, useOPUS, useVP8 } from 'werift';
import { VertoTestClient } from '../../support/verto-test-client';

const SCRIPT = fileURLToPath(new URL('./support/sandbox-process.ts', import.meta.url));

/** The sandbox's child process and the JSON lines it printed. */
async function sandboxProcess() {
	const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	const lines: Array<Record<string, unknown>> = [];
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	createInterface({ input: child.stdout }).on('line', (line) => {
		lines.push(JSON.parse(line) as Record<string, unknown>);
	});
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	const deadline = Date.now() + 20_000;
	while (lines.length === 0) {
		if (Date.now() > deadline || child.exitCode !== null)
			throw new Error(`the sandbox did not start: ${stderr}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	const urls = lines[0] as { restBaseUrl: string; signallingUrl: string; apiKey: string };
	return { child, lines, exited, urls, stderr: () => stderr };
}

/** Audio and video on loopback, bundled, as a browser's peer connection offers and answers. */
function mediaStack(): RTCPeerConnection {
	return new RTCPeerConnection({
		codecs: { audio: [useOPUS()], video: [useVP8()] },
		iceUseIpv6: false,
		iceAdditionalHostAddresses: ['127.0.0.1'],
		iceFilterCandidatePair: (pair) => pair.localCandidate.host === '127.0.0.1',
	});
}

async function gathered(pc: RTCPeerConnection): Promise<string> {
	await new Promise<void>((resolve) => {
		if (pc.iceGatheringState === 'complete') resolve();
		pc.iceGatheringStateChange.subscribe((state) => state === 'complete' && resolve());
	});
	return pc.localDescription!.sdp;
}

const connected = (pc: RTCPeerConnection) =>
	new Promise<void>((resolve) => {
		if (pc.connectionState === 'connected') resolve();
		pc.connectionStateChange.subscribe((state) => state === 'connected' && resolve());
	});

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * Alice video-calls Bob through the sandbox's media gateway; resolves once both have media connected, or
 * with `until: 'ice'` as soon as Alice's ICE is connected, before the DTLS handshakes have finished.
 */
async function videoCall(
	urls: { restBaseUrl: string; signallingUrl: string; apiKey: string },
	until: 'connected' | 'ice' = 'connected',
) {
	const rest = new Telnyx({ apiKey: urls.apiKey, baseURL: urls.restBaseUrl, maxRetries: 0 });
	const connection = (
		await rest.credentialConnections.create({
			connection_name: 'handles',
			user_name: 'handlestest1',
			password: 'handles-password',
			sip_uri_calling_preference: 'internal',
		})
	).data!;
	const login = async () => {
		const credential = (await rest.telephonyCredentials.create({ connection_id: connection.id! }))
			.data!;
		const token = await rest.telephonyCredentials.createToken(credential.id!);
		const peer = await VertoTestClient.login(urls.signallingUrl, token);
		const pc = mediaStack();
		cleanups.push(
			() => pc.close(),
			() => peer.ws.close(),
		);
		return { peer, pc, user: credential.sip_username! };
	};
	const [alice, bob] = [await login(), await login()];

	alice.pc.addTransceiver('audio', { direction: 'sendrecv' });
	alice.pc.addTransceiver('video', { direction: 'sendrecv' });
	await alice.pc.setLocalDescription(await alice.pc.createOffer());
	void alice.peer.request('telnyx_rtc.invite', {
		sdp: await gathered(alice.pc),
		dialogParams: { callID: 'handles-call', destination_number: bob.user },
	});
	const invite = await bob.peer.waitFor((f) => f.method === 'telnyx_rtc.invite', 10_000);
	await bob.pc.setRemoteDescription({ type: 'offer', sdp: String(invite.params?.['sdp']) });
	await bob.pc.setLocalDescription(await bob.pc.createAnswer());
	await bob.peer.request('telnyx_rtc.answer', {
		callID: invite.params?.['callID'],
		sdp: await gathered(bob.pc),
	});
	const answer = await alice.peer.waitFor((f) => f.method === 'telnyx_rtc.answer', 10_000);
	const iceConnected = new Promise<void>((resolve) =>
		alice.pc.iceConnectionStateChange.subscribe((state) => state === 'connected' && resolve()),
	);
	await alice.pc.setRemoteDescription({ type: 'answer', sdp: String(answer.params?.['sdp']) });
	await (until === 'ice' ? iceConnected : Promise.all([connected(alice.pc), connected(bob.pc)]));
	return { alice, bob };
}

/** Closes the sandbox and resolves its exit code, or throws with what it reported still open. */
async function closeAndAwaitExit(sandbox: Awaited<ReturnType<typeof sandboxProcess>>) {
	sandbox.child.stdin.write('close\n');
	const code = await Promise.race([
		sandbox.exited,
		new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 8_000)),
	]);
	if (code === 'running') {
		const open = sandbox.lines.find((line) => 'open' in line)?.['open'];
		sandbox.child.kill('SIGKILL');
		throw new Error(`the sandbox's process did not exit; still open: ${JSON.stringify(open)}`);
	}
	expect(sandbox.lines.some((line) => line['closed'] === true)).toBe(true);
	expect(sandbox.stderr()).toBe('');
	return code;
}

describe("the sandbox's close", () => {
	it('releases everything when closed mid-call with the clients still connected', async () => {
		const sandbox = await sandboxProcess();
		cleanups.push(() => sandbox.child.kill('SIGKILL'));
		await videoCall(sandbox.urls);
		expect(await closeAndAwaitExit(sandbox)).toBe(0);
	});

	it('releases everything when closed as the media connects, DTLS handshakes still under way', async () => {
		const sandbox = await sandboxProcess();
		cleanups.push(() => sandbox.child.kill('SIGKILL'));
		// The gateway, DTLS client on the caller's leg, starts its handshake 100 ms after ICE connects (werift):
		// closing now lands in that wait or in the handshake's first flights.
		await videoCall(sandbox.urls, 'ice');
		expect(await closeAndAwaitExit(sandbox)).toBe(0);
	});

	it('releases everything when the call was hung up and the clients left first', async () => {
		const sandbox = await sandboxProcess();
		cleanups.push(() => sandbox.child.kill('SIGKILL'));
		const { alice, bob } = await videoCall(sandbox.urls);
		await alice.peer.request('telnyx_rtc.bye', {
			callID: 'handles-call',
			cause: 'NORMAL_CLEARING',
			causeCode: 16,
		});
		await bob.peer.waitFor((f) => f.method === 'telnyx_rtc.bye', 10_000);
		for (const { pc, peer } of [alice, bob]) {
			await pc.close();
			peer.ws.close();
		}
		expect(await closeAndAwaitExit(sandbox)).toBe(0);
	});
});
