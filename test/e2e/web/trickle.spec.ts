/**
 * Trickle ICE end to end with the real `@telnyx/webrtc` in Chromium against the sandbox, through its media
 * gateway and peer to peer. The app trickles on the calls it places (per call, `newCall({ trickleIce: true })`)
 * and answers without trickle (the client-level option, which is all an inbound call reads, stays off):
 *
 * - app → app: the caller's invite says `"trickle": true` and carries no candidate, its candidates travel as
 *   `telnyx_rtc.candidate` frames, the answer is whole and non-trickle, audio arrives at both ends;
 * - the app → a plain SDK client without trickle (a non-trickle far end): the call works, audio both ways;
 * - a server that drops trickled candidates: app → app still connects (peer-reflexive candidates);
 * - the SDK's quirk (remote candidates are applied only on outbound calls) is visible and harmless: peer to
 *   peer the answering app is sent the caller's candidates, ignores them, and still connects;
 * - an ICE restart through the SDK's own recovery (a failed ICE connection reported): the trickling caller's
 *   `modify` is answered and media keeps flowing, and so is the answering app's non-trickle one;
 * - why answered calls stay non-trickle: two SDK clients with client-level trickle, the callee's restart
 *   never sends its modify (SDK 2.27.10);
 * - how much sooner the invite leaves with trickle (printed).
 */
import { createSocket } from 'node:dgram';
import { expect, type Page } from '@playwright/test';
import type { Sandbox } from '../../sandbox/sandbox';
import type { FrameLogEntry } from '../../sandbox/signalling/verto-server';
import { countCandidates } from '../../sandbox/signalling/trickle';
import {
	closeSdkPages,
	openSdkPage,
	provision,
	sandboxTest,
	serveSdkPages,
	type Launch,
} from '../support/fixtures';
import { PEER_CONNECTION_SPY, expectAudioArriving, onboard } from '../support/softphone-helpers';

const test = sandboxTest({ initScripts: [PEER_CONNECTION_SPY] });

const phase = (page: Page) => page.getByTestId('call-phase');

interface Params {
	readonly sdp?: string;
	readonly trickle?: boolean;
	readonly callID?: string;
	readonly candidate?: string;
	readonly dialogParams?: { readonly callID?: string };
}

const paramsOf = (entry: FrameLogEntry): Params =>
	(entry.frame as { params?: Params }).params ?? {};
const callIdOf = (entry: FrameLogEntry) => {
	const params = paramsOf(entry);
	return params.dialogParams?.callID ?? params.callID;
};

/** What the frame log says of one leg (by its callID): its SDP frame, and candidate frames each way. */
function legFrames(sandbox: Sandbox, callID: string, sdpMethod: 'invite' | 'answer') {
	const frames = sandbox.admin.frames().filter((f) => callIdOf(f) === callID);
	const sdpFrame = frames.find(
		(f) => f.direction === 'in' && f.method === `telnyx_rtc.${sdpMethod}`,
	);
	return {
		trickle: sdpFrame === undefined ? undefined : paramsOf(sdpFrame).trickle === true,
		sdpCandidates: countCandidates(sdpFrame === undefined ? '' : (paramsOf(sdpFrame).sdp ?? '')),
		candidatesIn: frames.filter((f) => f.direction === 'in' && f.method === 'telnyx_rtc.candidate')
			.length,
		endOfCandidates: frames.some(
			(f) => f.direction === 'in' && f.method === 'telnyx_rtc.endOfCandidates',
		),
		candidatesOut: frames.filter(
			(f) => f.direction === 'out' && f.method === 'telnyx_rtc.candidate',
		).length,
	};
}

/** The sandbox's last call: its two legs' callIDs. */
function lastCall(sandbox: Sandbox) {
	const call = sandbox.admin.calls().at(-1);
	if (call === undefined || call.calleeCallId === null) throw new Error('no call with two legs');
	return call as typeof call & { calleeCallId: string };
}

/** The frames of a trickle leg: asked for trickle, sent no candidate in its SDP, trickled them all. */
function expectTrickled(leg: ReturnType<typeof legFrames>): void {
	expect(leg).toMatchObject({ trickle: true, sdpCandidates: 0, endOfCandidates: true });
	expect(leg.candidatesIn).toBeGreaterThan(0);
}

async function launchPhone(launch: Launch, sandbox: Sandbox, name: string) {
	const app = await launch(`${name} desktop`);
	await onboard(app.page, sandbox.apiKey, { name, number: null });
	const provisioned = app.services.settings.get().provisioned;
	if (provisioned === null) throw new Error(`${name} is not provisioned`);
	return { page: app.page, sipUsername: provisioned.sipUsername };
}

/** Audio packets keep arriving at an SDK page's call (its own peer connection's counters). */
async function expectSdkAudioArriving(page: Page, id: string, label: string): Promise<void> {
	const packets = () => page.evaluate(async (callId) => window.sdkPhone.media(callId), id);
	await expect
		.poll(
			async () => {
				const before = (await packets()).audioPacketsReceived;
				await page.waitForTimeout(500);
				return (await packets()).audioPacketsReceived - before;
			},
			{ message: `audio arriving at ${label}`, timeout: 10_000, intervals: [0] },
		)
		.toBeGreaterThan(10);
}

async function hangUp(page: Page): Promise<void> {
	await page.getByRole('button', { name: 'Hang up' }).click();
	await expect(phase(page)).toHaveText('You hung up.');
}

/** When the app's call was placed: the click on Call, in the page's clock (Date.now(), as the sandbox's). */
async function placeCall(page: Page, to: string): Promise<number> {
	await page.getByLabel('Number, SIP address or installation').fill(to);
	const at = await page.evaluate(() => Date.now());
	await page.getByRole('button', { name: 'Call', exact: true }).click();
	return at;
}

/** The invite's arrival at the sandbox, ms after `at`. */
function inviteDelay(sandbox: Sandbox, callID: string, at: number): number {
	const invite = sandbox.admin
		.frames()
		.find((f) => f.method === 'telnyx_rtc.invite' && callIdOf(f) === callID);
	if (invite === undefined) throw new Error(`no invite for ${callID}`);
	return Date.parse(invite.time) - at;
}

/** The app's live peer connection (PEER_CONNECTION_SPY): its local ICE username fragment. */
const localUfrag = (page: Page) =>
	page.evaluate(() => {
		const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
		const pc = pcs.filter((p) => p.connectionState !== 'closed').at(-1);
		return /a=ice-ufrag:(\S+)/.exec(pc?.localDescription?.sdp ?? '')?.[1] ?? null;
	});

/**
 * Has the app's live peer connection report a failed ICE connection, as after a network change: the SDK's
 * own recovery (its signalling health monitor) then restarts ICE, which is the app's only restart path.
 * The state reads "failed" only while the event is dispatched; the transport itself is untouched.
 */
const reportIceFailed = (page: Page) =>
	page.evaluate(() => {
		const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
		const pc = pcs.filter((p) => p.connectionState !== 'closed').at(-1);
		if (pc === undefined) throw new Error('no live peer connection');
		Object.defineProperty(pc, 'iceConnectionState', { configurable: true, get: () => 'failed' });
		pc.dispatchEvent(new Event('iceconnectionstatechange'));
		Reflect.deleteProperty(pc, 'iceConnectionState');
	});

for (const media of ['gateway', 'peer-to-peer'] as const) {
	test(`trickle calls (${media}): app → app with the caller trickling, and app → a non-trickle SDK client, audio both ways`, async ({
		sandbox,
		launch,
		browser,
	}) => {
		test.setTimeout(180_000);
		sandbox.admin.setSignalling({ credentialPropagationMs: 0, media });
		const alice = await launchPhone(launch, sandbox, 'Alice');
		const bob = await launchPhone(launch, sandbox, 'Bob');

		// 1. Alice's app → Bob's app: Alice trickles, Bob answers without.
		const at = await placeCall(alice.page, `sip:${bob.sipUsername}@sip.telnyx.com`);
		await bob.page.getByRole('button', { name: 'Answer', exact: true }).click();
		await expect(phase(alice.page)).toHaveText('In call');
		await expect(phase(bob.page)).toHaveText('In call');
		await expectAudioArriving(alice.page, 'Alice (trickle caller)');
		await expectAudioArriving(bob.page, 'Bob (non-trickle callee)');
		const appToApp = lastCall(sandbox);
		const aliceInvite = legFrames(sandbox, appToApp.callerCallId, 'invite');
		const bobAnswer = legFrames(sandbox, appToApp.calleeCallId, 'answer');
		expectTrickled(aliceInvite);
		expect(bobAnswer).toMatchObject({ trickle: false, candidatesIn: 0, endOfCandidates: false });
		expect(bobAnswer.sdpCandidates).toBeGreaterThan(0);
		expect(appToApp.trickle).toMatchObject({
			caller: { asked: true, received: aliceInvite.candidatesIn, endOfCandidates: true },
			callee: { asked: false, received: 0 },
		});
		if (media === 'gateway') {
			// The gateway trickles its answer's candidates to the trickle caller; its offer to Bob is whole.
			expect(aliceInvite.candidatesOut).toBeGreaterThan(0);
			expect(bobAnswer.candidatesOut).toBe(0);
		} else {
			// Relayed: Bob, answering, is sent Alice's candidates (which his SDK never applies: the quirk) and
			// still connects, from Alice's connectivity checks; Alice has Bob's in his answer.
			expect(bobAnswer.candidatesOut).toBe(aliceInvite.candidatesIn);
			expect(aliceInvite.candidatesOut).toBe(0);
		}
		console.log(
			`${media}: app → app, click on Call → trickle invite at the sandbox: ${inviteDelay(sandbox, appToApp.callerCallId, at)} ms`,
		);
		await hangUp(alice.page);
		await expect(phase(bob.page)).not.toHaveText('In call');

		// 2. Alice's app → a plain SDK client that does not trickle (another Telnyx client, or a SIP phone
		// behind Telnyx): mixed legs.
		const sdkServer = await serveSdkPages();
		try {
			const { credentials } = await provision(sandbox, { count: 1 });
			const far = credentials[0];
			if (far === undefined) throw new Error('no credential');
			const farPage = await openSdkPage(browser, sdkServer);
			await farPage.evaluate(
				([host, jwt]) => window.sdkPhone.connect(host, jwt, { trickleIce: false }),
				[sandbox.signallingUrl, far.token] as const,
			);
			await farPage.evaluate(() => (window.sdkPhone.autoAnswer = true));
			await placeCall(alice.page, `sip:${far.sipUsername}@sip.telnyx.com`);
			await expect(phase(alice.page)).toHaveText('In call');
			const farInbound = await farPage.evaluate(() => window.sdkPhone.lastInbound());
			if (farInbound === null) throw new Error('the SDK client was never called');
			await expectAudioArriving(alice.page, 'Alice (trickle caller)');
			await expectSdkAudioArriving(farPage, farInbound, 'the non-trickle callee');
			const toFar = lastCall(sandbox);
			const invite = legFrames(sandbox, toFar.callerCallId, 'invite');
			const farAnswer = legFrames(sandbox, toFar.calleeCallId, 'answer');
			expectTrickled(invite);
			expect(farAnswer).toMatchObject({ trickle: false, candidatesIn: 0 });
			expect(farAnswer.sdpCandidates).toBeGreaterThan(0);
			// As app → app: the gateway trickles its own candidates to Alice; peer to peer Alice's are relayed to
			// the far end (ignored there, the quirk) and she has the far end's in its answer.
			expect(invite.candidatesOut > 0).toBe(media === 'gateway');
			expect(farAnswer.candidatesOut).toBe(media === 'gateway' ? 0 : invite.candidatesIn);
			await hangUp(alice.page);
		} finally {
			await closeSdkPages();
			await sdkServer.close();
		}
	});
}

test('a server that drops trickled candidates (sandbox option trickle: false): app → app still connects, through the gateway and peer to peer', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(120_000);
	for (const media of ['gateway', 'peer-to-peer'] as const) {
		sandbox.admin.setSignalling({ credentialPropagationMs: 0, trickle: false, media });
		const alice = await launchPhone(launch, sandbox, `Alice ${media === 'gateway' ? 'G' : 'P'}`);
		const bob = await launchPhone(launch, sandbox, `Bob ${media === 'gateway' ? 'G' : 'P'}`);
		await placeCall(alice.page, `sip:${bob.sipUsername}@sip.telnyx.com`);
		await bob.page.getByRole('button', { name: 'Answer', exact: true }).click();
		await expect(phase(alice.page)).toHaveText('In call');
		await expectAudioArriving(alice.page, `Alice (${media})`);
		await expectAudioArriving(bob.page, `Bob (${media})`);
		// Alice's candidates reached neither the gateway nor Bob: her offer had none and her candidate frames
		// were dropped, so the far side learnt her address from her connectivity checks (peer-reflexive).
		const call = lastCall(sandbox);
		const invite = legFrames(sandbox, call.callerCallId, 'invite');
		expectTrickled(invite);
		expect(invite.candidatesOut).toBe(0);
		expect(legFrames(sandbox, call.calleeCallId, 'answer').candidatesOut).toBe(0);
		await hangUp(alice.page);
		await alice.page.close();
		await bob.page.close();
	}
});

test('ICE restart through the SDK’s recovery, app → app: the trickling caller’s modify is answered and media keeps flowing; so is the answering app’s non-trickle one', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(150_000);
	sandbox.admin.setSignalling({ credentialPropagationMs: 0 });
	const alice = await launchPhone(launch, sandbox, 'Alice');
	const bob = await launchPhone(launch, sandbox, 'Bob');
	await placeCall(alice.page, `sip:${bob.sipUsername}@sip.telnyx.com`);
	await bob.page.getByRole('button', { name: 'Answer', exact: true }).click();
	await expect(phase(alice.page)).toHaveText('In call');
	await expect(phase(bob.page)).toHaveText('In call');
	await expectAudioArriving(alice.page, 'Alice');
	await expectAudioArriving(bob.page, 'Bob');
	const call = lastCall(sandbox);

	const restartsOf = (callID: string) =>
		sandbox.admin
			.frames()
			.filter(
				(f) =>
					f.direction === 'in' &&
					f.method === 'telnyx_rtc.modify' &&
					callIdOf(f) === callID &&
					(paramsOf(f) as { action?: string }).action === 'updateMedia',
			);
	const answered = (entry: FrameLogEntry) =>
		sandbox.admin
			.frames()
			.some(
				(f) =>
					f.direction === 'out' &&
					(f.frame as { id?: unknown }).id === (entry.frame as { id?: unknown }).id &&
					(f.frame as { result?: { action?: string } }).result?.action === 'updateMedia',
			);

	for (const [who, page, callID, trickle] of [
		['Alice (caller, trickle)', alice.page, call.callerCallId, true],
		['Bob (callee, non-trickle)', bob.page, call.calleeCallId, false],
	] as const) {
		const ufragBefore = await localUfrag(page);
		const candidatesBefore = legFrames(sandbox, callID, 'invite').candidatesIn;
		await reportIceFailed(page);
		await expect
			.poll(() => restartsOf(callID).length, {
				message: `${who}'s restart modify`,
				timeout: 15_000,
			})
			.toBe(1);
		const [restart] = restartsOf(callID);
		await expect.poll(() => answered(restart!), { timeout: 10_000 }).toBe(true);
		const params = paramsOf(restart!);
		if (trickle) {
			// The modify without candidates, the candidates after it.
			expect(params.trickle).toBe(true);
			expect(countCandidates(params.sdp ?? 'a=candidate:x')).toBe(0);
			await expect
				.poll(() => legFrames(sandbox, callID, 'invite').candidatesIn, { timeout: 10_000 })
				.toBeGreaterThan(candidatesBefore);
		} else {
			expect(params.trickle).not.toBe(true);
			expect(countCandidates(params.sdp ?? '')).toBeGreaterThan(0);
		}
		// A real restart (new ICE credentials), and the call still carries audio both ways.
		await expect.poll(() => localUfrag(page)).not.toBe(ufragBefore);
		await expectAudioArriving(alice.page, `Alice after ${who}'s restart`);
		await expectAudioArriving(bob.page, `Bob after ${who}'s restart`);
		await expect(phase(alice.page)).toHaveText('In call');
		await expect(phase(bob.page)).toHaveText('In call');
	}
	expect(sandbox.admin.calls().at(-1)?.state).toBe('active');
	await hangUp(alice.page);
});

test('why answered calls stay non-trickle — two SDK clients with client-level trickle (SDK 2.27.10): the caller’s restart modify is answered; the callee’s is never sent', async ({
	sandbox,
	browser,
}) => {
	test.setTimeout(120_000);
	sandbox.admin.setSignalling({ credentialPropagationMs: 0 });
	const sdkServer = await serveSdkPages();
	try {
		const { credentials } = await provision(sandbox, { count: 2 });
		const [alice, bob] = credentials as [(typeof credentials)[0], (typeof credentials)[0]];
		const pages = await Promise.all([alice, bob].map(() => openSdkPage(browser, sdkServer)));
		const [alicePage, bobPage] = pages as [Page, Page];
		await Promise.all(
			[
				[alicePage, alice.token],
				[bobPage, bob.token],
			].map(([page, token]) =>
				(page as Page).evaluate(
					([host, jwt]) => window.sdkPhone.connect(host, jwt, { trickleIce: true }),
					[sandbox.signallingUrl, token as string] as const,
				),
			),
		);
		await bobPage.evaluate(() => (window.sdkPhone.autoAnswer = true));
		const aliceCall = await alicePage.evaluate(
			(to) => window.sdkPhone.dial(to, false),
			bob.sipUsername,
		);
		await expect
			.poll(() => bobPage.evaluate(() => window.sdkPhone.lastInbound()), { timeout: 20_000 })
			.not.toBeNull();
		const bobCall = (await bobPage.evaluate(() => window.sdkPhone.lastInbound()))!;
		await expectSdkAudioArriving(alicePage, aliceCall, 'Alice');
		await expectSdkAudioArriving(bobPage, bobCall, 'Bob');

		const modifies = () =>
			sandbox.admin
				.frames()
				.filter((f) => f.direction === 'in' && f.method === 'telnyx_rtc.modify')
				.map(paramsOf);
		const isRestartResult = (f: FrameLogEntry) =>
			f.direction === 'out' &&
			(f.frame as { result?: { action?: string } }).result?.action === 'updateMedia';

		// The caller's (outbound) restart: a trickle modify without candidates, answered with the gateway's
		// SDP, the SDK's restart finished, media still flowing both ways.
		expect(
			await alicePage.evaluate((id) => window.sdkPhone.restartIce(id), aliceCall),
		).toMatchObject({ started: true });
		await expect
			.poll(() => sandbox.admin.frames().filter(isRestartResult).length, { timeout: 15_000 })
			.toBe(1);
		const [restart] = modifies();
		expect(restart).toMatchObject({ action: 'updateMedia', trickle: true });
		expect(countCandidates(restart?.sdp ?? 'a=candidate:x')).toBe(0);
		await expect
			.poll(() => alicePage.evaluate((id) => window.sdkPhone.iceRestarting(id), aliceCall))
			.toBe(false);
		await expectSdkAudioArriving(alicePage, aliceCall, 'Alice after her restart');
		await expectSdkAudioArriving(bobPage, bobCall, 'Bob after Alice’s restart');

		// The callee's (inbound) restart: the SDK says it started, but no modify ever leaves it — the sandbox
		// receives nothing — and the SDK stays "restarting" until its own 15 s safety timeout. The same restart
		// without trickle is sent and answered (the app → app restart test above). This is why the app answers
		// without trickle: recovery after a network change would not happen on answered calls.
		expect(await bobPage.evaluate((id) => window.sdkPhone.restartIce(id), bobCall)).toMatchObject({
			started: true,
		});
		await bobPage.waitForTimeout(10_000);
		expect(modifies()).toHaveLength(1);
		expect(await bobPage.evaluate((id) => window.sdkPhone.iceRestarting(id), bobCall)).toBe(true);
		expect(sandbox.admin.calls()[0]?.state).toBe('active');
	} finally {
		await closeSdkPages();
		await sdkServer.close();
	}
});

test('the invite leaves sooner with trickle: SDK clients, trickle or not, on loopback and with a STUN server that never answers', async ({
	sandbox,
	browser,
}) => {
	test.setTimeout(180_000);
	sandbox.admin.setSignalling({ credentialPropagationMs: 0 });
	// A STUN server that never answers (a lost or blocked one): gathering waits on it.
	const silentStun = createSocket('udp4');
	await new Promise<void>((resolve) => silentStun.bind(0, '127.0.0.1', resolve));
	const stunPort = silentStun.address().port;
	const sdkServer = await serveSdkPages();
	try {
		const { credentials } = await provision(sandbox, { count: 4 });
		const settings = [
			{ name: 'loopback, non-trickle', extra: {} },
			{ name: 'loopback, trickle', extra: { trickleIce: true } },
			{
				name: 'silent STUN, non-trickle',
				extra: { iceServers: [{ urls: `stun:127.0.0.1:${stunPort}` }] },
			},
			{
				name: 'silent STUN, trickle',
				extra: { iceServers: [{ urls: `stun:127.0.0.1:${stunPort}` }], trickleIce: true },
			},
		];
		const figures: Record<string, number[]> = {};
		for (const [i, setting] of settings.entries()) {
			const page = await openSdkPage(browser, sdkServer);
			await page.evaluate(([host, jwt, extra]) => window.sdkPhone.connect(host, jwt, extra), [
				sandbox.signallingUrl,
				credentials[i]!.token,
				setting.extra,
			] as const);
			const samples: number[] = [];
			// The first call opens the devices (slow, and the same either way): warm up, then measure.
			for (let n = 0; n < 6; n += 1) {
				const { at, id } = await page.evaluate(() => {
					const started = Date.now();
					// A destination nobody answers: the call ends at once, after its invite left.
					return { at: started, id: window.sdkPhone.dial('nobody-here', false) };
				});
				await expect
					.poll(
						() =>
							sandbox.admin
								.frames()
								.some((f) => f.method === 'telnyx_rtc.invite' && callIdOf(f) === id),
						{ timeout: 10_000 },
					)
					.toBe(true);
				const invite = sandbox.admin
					.frames()
					.find((f) => f.method === 'telnyx_rtc.invite' && callIdOf(f) === id)!;
				if (n > 0) samples.push(Date.parse(invite.time) - at);
				await expect
					.poll(() => page.evaluate((callId) => window.sdkPhone.state(callId), id))
					.toMatch(/hangup|destroy|purge/);
			}
			figures[setting.name] = samples;
			await page.context().close();
		}
		const median = (values: number[]) =>
			[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
		const lines = Object.entries(figures).map(
			([name, values]) =>
				`${name.padEnd(26)} median ${String(median(values)).padStart(5)} ms  (min ${Math.min(...values)}, max ${Math.max(...values)})`,
		);
		console.log(`newCall() → invite at the sandbox, 5 warm calls each:\n${lines.join('\n')}`);
		test.info().annotations.push({ type: 'invite delay', description: lines.join('; ') });
		// With a server that does not answer, non-trickle waits for the SDK's 1 s cap; trickle does not wait.
		expect(median(figures['silent STUN, trickle']!)).toBeLessThan(
			median(figures['silent STUN, non-trickle']!) - 500,
		);
		expect(median(figures['loopback, trickle']!)).toBeLessThanOrEqual(
			median(figures['loopback, non-trickle']!) + 20,
		);
	} finally {
		silentStun.close();
		await closeSdkPages();
		await sdkServer.close();
	}
});
