/**
 * The proof that the sandbox is faithful: two plain `@telnyx/webrtc` clients in two Chromium pages, each
 * logged in with a JWT minted through the sandbox's REST API for its own telephony credential, place video
 * calls to each other. Media is checked from the browser's counters (decoded frames, RTP packets), and hold,
 * DTMF and hangup are checked on both sides and in the sandbox's own record.
 */
import type { Page } from '@playwright/test';
import {
	connectSdk as connect,
	expect,
	expectSdkMediaFlowing as expectMediaFlowing,
	openSdkPage,
	provision,
	test,
} from '../support/fixtures';

async function waitForState(page: Page, id: string, state: string): Promise<void> {
	await expect.poll(() => page.evaluate((callId) => window.sdkPhone.state(callId), id)).toBe(state);
}

test('two SDK clients place video calls through the sandbox: media both ways, hold, DTMF, hangup', async ({
	browser,
	sandbox,
	sdkServer,
}) => {
	const { credentials } = await provision(sandbox);
	const [alice, bob] = credentials as [(typeof credentials)[0], (typeof credentials)[0]];
	const alicePage = await openSdkPage(browser, sdkServer);
	const bobPage = await openSdkPage(browser, sdkServer);
	const readyMs = await Promise.all([
		connect(alicePage, sandbox.signallingUrl, alice.token),
		connect(bobPage, sandbox.signallingUrl, bob.token),
	]);
	expect(
		sandbox.admin
			.sessions()
			.map((s) => s.sipUsername)
			.sort(),
	).toEqual([alice.sipUsername, bob.sipUsername].sort());
	await bobPage.evaluate(() => (window.sdkPhone.autoAnswer = true));

	const timings: { call: number; toActive: number; toFirstFrame: number }[] = [];
	for (const [index, destination] of [
		bob.sipUsername,
		`sip:${bob.sipUsername}@sip.telnyx.com`,
	].entries()) {
		const callId = await alicePage.evaluate((to) => window.sdkPhone.dial(to, true), destination);
		await waitForState(alicePage, callId, 'active');
		const bobCallId = await bobPage.evaluate(() => window.sdkPhone.lastInbound());
		expect(bobCallId).not.toBeNull();
		await waitForState(bobPage, bobCallId!, 'active');

		// Both sides decode the other's video and receive audio.
		await expectMediaFlowing(alicePage, callId);
		await expectMediaFlowing(bobPage, bobCallId!);
		const caller = (await alicePage.evaluate((id) => window.sdkPhone.record(id), callId))!;
		const active = caller.states.find((s) => s.state === 'active')!.at;
		timings.push({
			call: index + 1,
			toActive: Math.round(active - caller.startedAt),
			toFirstFrame: Math.round(caller.firstRemoteFrameAt! - caller.startedAt),
		});
		const callee = (await bobPage.evaluate((id) => window.sdkPhone.record(id), bobCallId!))!;
		expect(callee.direction).toBe('inbound');
		expect(callee.remoteCallerNumber).toBe(alice.sipUsername);

		// Hold and resume: the holder's SDK state follows the server's holdState; the sandbox records it.
		await alicePage.evaluate((id) => window.sdkPhone.hold(id), callId);
		await waitForState(alicePage, callId, 'held');
		expect(sandbox.admin.calls().at(-1)?.held).toEqual({ caller: true, callee: false });
		await alicePage.evaluate((id) => window.sdkPhone.unhold(id), callId);
		await waitForState(alicePage, callId, 'active');
		expect(sandbox.admin.calls().at(-1)?.held).toEqual({ caller: false, callee: false });

		// DTMF: recorded by the sandbox and delivered to the other client as a telnyx_rtc.info event.
		await alicePage.evaluate((id) => {
			window.sdkPhone.dtmf(id, '1');
			window.sdkPhone.dtmf(id, '#');
		}, callId);
		await expect.poll(() => sandbox.admin.calls().at(-1)?.dtmf.caller).toBe('1#');
		await expect
			.poll(() =>
				bobPage.evaluate(() =>
					window.sdkPhone.events
						.filter((e) => e.type === 'notification:event')
						.map((e) => (e.detail as { dtmf?: string }).dtmf)
						.join(''),
				),
			)
			.toBe(index === 0 ? '1#' : '1#1#');

		// Hangup reaches the other side with Telnyx's cause.
		await alicePage.evaluate((id) => window.sdkPhone.hangup(id), callId);
		await waitForState(bobPage, bobCallId!, 'destroy');
		const ended = (await bobPage.evaluate((id) => window.sdkPhone.record(id), bobCallId!))!;
		expect(ended).toMatchObject({
			cause: 'NORMAL_CLEARING',
			causeCode: 16,
			sipCode: 200,
			sipReason: 'OK',
		});
		expect(sandbox.admin.calls().at(-1)).toMatchObject({
			state: 'ended',
			video: true,
			hangup: { cause: 'NORMAL_CLEARING', by: 'caller' },
		});
	}

	const summary = `ready ${readyMs.map(Math.round).join('/')} ms; ${timings
		.map(
			(t) =>
				`call ${t.call}: newCall→active ${t.toActive} ms, newCall→first remote frame ${t.toFirstFrame} ms`,
		)
		.join('; ')}`;
	test.info().annotations.push({ type: 'timings', description: summary });
	console.log(`[sandbox video call] ${summary}`);
});
