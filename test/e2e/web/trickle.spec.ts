/**
 * Trickle ICE end to end, with the built app (which turns on the SDK's `trickleIce`) and the real
 * `@telnyx/webrtc` in Chromium, against the sandbox — through its media gateway and peer to peer:
 *
 * - app → app (both trickle: one as caller, one as callee), app → a plain SDK client left non-trickle (the
 *   SDK's default), and that client → app; each call with audio measured arriving at both ends;
 * - the sandbox's frame log shows the trickle sides' `"trickle": true` invite/answer, SDPs without
 *   candidates, and their candidates travelling as `telnyx_rtc.candidate` frames;
 * - the SDK's quirk (remote candidates are applied only on outbound calls) is visible and harmless: peer to
 *   peer the callee is sent the caller's candidates and still connects, learning the caller's address from
 *   its connectivity checks.
 *
 * A last test measures how much sooner the invite leaves with trickle (the SDK alone, trickle or not, on
 * loopback and with a STUN server that never answers) and prints the figures.
 */
import { createSocket } from 'node:dgram';
import { expect, type Page } from '@playwright/test';
import type { Sandbox } from '../../sandbox/sandbox';
import type { FrameLogEntry } from '../../sandbox/signalling/verto-server';
import { countCandidates } from '../../sandbox/signalling/trickle';
import { closeSdkPages, openSdkPage, provision, serveSdkPages } from '../support/sdk-fixtures';
import { sandboxTest, type Launch } from '../support/sandbox-test';
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

for (const media of ['gateway', 'peer-to-peer'] as const) {
	test(`trickle calls (${media}): app → app, app → a non-trickle SDK client and back, audio both ways, candidates as frames`, async ({
		sandbox,
		launch,
		browser,
	}) => {
		test.setTimeout(180_000);
		sandbox.admin.setSignalling({ credentialPropagationMs: 0, media });
		const bob = await launchPhone(launch, sandbox, 'Bob');
		const alice = await launchPhone(launch, sandbox, 'Alice');
		const sdkServer = await serveSdkPages();
		try {
			// The far end that does not trickle: a plain SDK client on its defaults.
			const { credentials } = await provision(sandbox, { count: 1 });
			const far = credentials[0];
			if (far === undefined) throw new Error('no credential');
			const farPage = await openSdkPage(browser, sdkServer);
			await farPage.evaluate(([host, jwt]) => window.sdkPhone.connect(host, jwt), [
				sandbox.signallingUrl,
				far.token,
			] as const);

			// 1. App → app: Alice's trickle invite, Bob's trickle answer.
			await alice.page.getByRole('button', { name: 'Call Bob desktop', exact: true }).click();
			await bob.page.getByRole('button', { name: 'Answer', exact: true }).click();
			await expect(phase(alice.page)).toHaveText('In call');
			await expect(phase(bob.page)).toHaveText('In call');
			await expectAudioArriving(alice.page, 'Alice (trickle caller)');
			await expectAudioArriving(bob.page, 'Bob (trickle callee)');
			const appToApp = lastCall(sandbox);
			const aliceLeg = legFrames(sandbox, appToApp.callerCallId, 'invite');
			const bobLeg = legFrames(sandbox, appToApp.calleeCallId, 'answer');
			expectTrickled(aliceLeg);
			expectTrickled(bobLeg);
			if (media === 'gateway') {
				// The gateway trickles its answer's candidates to the trickle caller; the callee's offer is whole.
				expect(aliceLeg.candidatesOut).toBeGreaterThan(0);
				expect(bobLeg.candidatesOut).toBe(0);
			} else {
				// Relayed both ways: Bob is sent Alice's candidates (which his SDK, answering, never applies).
				expect(bobLeg.candidatesOut).toBe(aliceLeg.candidatesIn);
				expect(aliceLeg.candidatesOut).toBe(bobLeg.candidatesIn);
			}
			expect(appToApp.trickle).toMatchObject({
				caller: { asked: true, received: aliceLeg.candidatesIn, endOfCandidates: true },
				callee: { asked: true, received: bobLeg.candidatesIn, endOfCandidates: true },
			});
			await hangUp(alice.page);

			// 2. App (trickle caller) → the non-trickle SDK client.
			await farPage.evaluate(() => (window.sdkPhone.autoAnswer = true));
			await alice.page
				.getByLabel('Number, SIP address or installation')
				.fill(`sip:${far.sipUsername}@sip.telnyx.com`);
			await alice.page.getByRole('button', { name: 'Call', exact: true }).click();
			await expect(phase(alice.page)).toHaveText('In call');
			const farInbound = await farPage.evaluate(() => window.sdkPhone.lastInbound());
			if (farInbound === null) throw new Error('the SDK client was never called');
			await expectAudioArriving(alice.page, 'Alice (trickle caller) from a non-trickle callee');
			await expectSdkAudioArriving(farPage, farInbound, 'the non-trickle callee');
			const toFar = lastCall(sandbox);
			expectTrickled(legFrames(sandbox, toFar.callerCallId, 'invite'));
			const farAnswer = legFrames(sandbox, toFar.calleeCallId, 'answer');
			expect(farAnswer).toMatchObject({ trickle: false, candidatesIn: 0, endOfCandidates: false });
			expect(farAnswer.sdpCandidates).toBeGreaterThan(0);
			await hangUp(alice.page);

			// 3. The non-trickle SDK client → app (trickle callee).
			const farCall = await farPage.evaluate(
				(to) => window.sdkPhone.dial(to, false),
				`sip:${alice.sipUsername}@sip.telnyx.com`,
			);
			await alice.page.getByRole('button', { name: 'Answer', exact: true }).click();
			await expect(phase(alice.page)).toHaveText('In call');
			await expectAudioArriving(alice.page, 'Alice (trickle callee) from a non-trickle caller');
			await expectSdkAudioArriving(farPage, farCall, 'the non-trickle caller');
			const fromFar = lastCall(sandbox);
			const farInvite = legFrames(sandbox, fromFar.callerCallId, 'invite');
			expect(farInvite).toMatchObject({ trickle: false, candidatesIn: 0 });
			expect(farInvite.sdpCandidates).toBeGreaterThan(0);
			const aliceAnswer = legFrames(sandbox, fromFar.calleeCallId, 'answer');
			expectTrickled(aliceAnswer);
			// Through the gateway the non-trickle caller gets a whole SDP; peer to peer, Alice's candidates are
			// relayed to it (an outbound call: its SDK applies them).
			expect(farInvite.candidatesOut).toBe(media === 'gateway' ? 0 : aliceAnswer.candidatesIn);
			await hangUp(alice.page);
		} finally {
			await closeSdkPages();
			await sdkServer.close();
		}
	});
}

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
