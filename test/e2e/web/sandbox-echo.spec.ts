/**
 * The sandbox's support for the SDK's pre-call diagnostic, seen by a plain `@telnyx/webrtc` client:
 * - a call to the echo number (`ECHO_NUMBER`, written as the SDK writes it) is answered by the sandbox, and
 *   what the client sends comes back to it: sound with energy, and pictures for a video call;
 * - the media gateway's impairment degrades that media on a live call: with 30 % loss set, the client's
 *   inbound audio counts lost packets (werift keeps the sequence numbers, so a dropped packet is a gap), and
 *   once it is cleared the count stops growing;
 * - the SDK's own `runPreCall()` reaches the echo, with the caller-ID rules applied to it as to any number.
 * Media is read from the browser's counters (`getStats`), never from a state string.
 */
import type { Page } from '@playwright/test';
import type { MediaSample } from '../pages/sdk-phone';
import { expect, provision, test } from '../support/fixtures';
import { ECHO_NUMBER, type Sandbox } from '../../sandbox/sandbox';
import { ECHO_ANSWER_MS } from '../../sandbox/signalling/calls';

/** How `@telnyx/webrtc` 2.27.10's `runPreCall` writes its default destination. */
const AS_THE_SDK_WRITES_IT = '+1-872-231-5806';
/** On the sandbox's default account, which `provision` provisions on: a caller ID the checks accept. */
const OWN_NUMBER = '+13125550142';
const OFTEN = { intervals: [100, 200, 250], timeout: 15_000 };

const media = (page: Page, id: string): Promise<MediaSample> =>
	page.evaluate((callId) => window.sdkPhone.media(callId), id);

/** The call's inbound audio as `getStats` counts it: packets received and lost. */
const inboundAudio = (page: Page, id: string) =>
	page.evaluate(async (callId) => {
		const call = window.sdkPhone.calls.get(callId)?.call;
		if (call === undefined) throw new Error(`no call ${callId}`);
		let received = 0;
		let lost = 0;
		(await call.peer.instance.getStats()).forEach(
			(report: { type: string; kind?: string; packetsReceived?: number; packetsLost?: number }) => {
				if (report.type !== 'inbound-rtp' || report.kind !== 'audio') return;
				received += report.packetsReceived ?? 0;
				lost += report.packetsLost ?? 0;
			},
		);
		return { received, lost };
	}, id);

/** Inbound audio packets received and lost over `ms`. */
async function audioOver(page: Page, id: string, ms: number) {
	const before = await inboundAudio(page, id);
	await page.waitForTimeout(ms);
	const after = await inboundAudio(page, id);
	return { received: after.received - before.received, lost: after.lost - before.lost };
}

/** One connected SDK client whose account may call phone numbers, and its call to the echo, answered. */
async function echoCall(
	sandbox: Sandbox,
	phones: (tokens: readonly (string | null)[]) => Promise<Page[]>,
	video: boolean,
) {
	const [credential] = (await provision(sandbox, { count: 1 })).credentials;
	if (credential === undefined) throw new Error('no credential');
	const [page] = (await phones([credential.token])) as [Page];
	const id = await page.evaluate(
		([to, withVideo, number]) => window.sdkPhone.dial(to, withVideo, number),
		[AS_THE_SDK_WRITES_IT, video, OWN_NUMBER] as const,
	);
	await expect
		.poll(() => page.evaluate((callId) => window.sdkPhone.state(callId), id), OFTEN)
		.toBe('active');
	return { page, id };
}

test('the echo number is answered by the sandbox and sends the caller its own sound and pictures back', async ({
	sandbox,
	phones,
}) => {
	expect(ECHO_NUMBER).toBe('+18722315806');
	const { page, id } = await echoCall(sandbox, phones, true);
	// Rung (the SDK plays its ringback; its state stays `trying`), then answered as Telnyx answers a call:
	// early media with the SDP, then a bare answer.
	const toCaller = sandbox.admin
		.frames()
		.filter(
			(frame) => frame.direction === 'out' && /ringing|media|answer$/.test(frame.method ?? ''),
		);
	expect(toCaller.map((frame) => frame.method)).toEqual([
		'telnyx_rtc.ringing',
		'telnyx_rtc.media',
		'telnyx_rtc.answer',
	]);
	const [rang, answered] = toCaller.map((frame) => Date.parse(frame.time));
	expect(answered! - rang!).toBeGreaterThanOrEqual(ECHO_ANSWER_MS - 5);
	const states = (await page.evaluate((callId) => window.sdkPhone.record(callId), id))?.states;
	expect(states?.map((s) => s.state)).toEqual(expect.arrayContaining(['early', 'active']));

	// Only the caller sends anything, so what arrives is the echo: sound with energy, decoded pictures.
	await expect
		.poll(async () => {
			const before = await media(page, id);
			await page.waitForTimeout(1000);
			const after = await media(page, id);
			return {
				packets: after.audioPacketsReceived - before.audioPacketsReceived > 20,
				energy: after.audioEnergy > before.audioEnergy,
				frames: after.videoFramesDecoded - before.videoFramesDecoded > 5,
				picture: after.videoWidth > 0,
			};
		}, OFTEN)
		.toEqual({ packets: true, energy: true, frames: true, picture: true });

	expect(sandbox.admin.calls()).toEqual([
		expect.objectContaining({
			to: AS_THE_SDK_WRITES_IT,
			from: OWN_NUMBER,
			destinationKind: 'pstn',
			calleeSipUsername: null,
			state: 'active',
			video: true,
			events: expect.arrayContaining([expect.objectContaining({ by: 'sandbox', type: 'answer' })]),
		}),
	]);

	await page.evaluate((callId) => window.sdkPhone.hangup(callId), id);
	await expect.poll(() => sandbox.admin.calls()[0]?.state, OFTEN).toBe('ended');
	expect(sandbox.admin.calls()[0]?.hangup).toMatchObject({
		cause: 'NORMAL_CLEARING',
		causeCode: 16,
		by: 'caller',
	});
});

test('an impairment set on a live call loses packets the caller counts; cleared, the losses stop', async ({
	sandbox,
	phones,
}) => {
	const { page, id } = await echoCall(sandbox, phones, false);
	// Unimpaired, nothing is lost on loopback.
	await expect
		.poll(async () => (await audioOver(page, id, 1000)).received, OFTEN)
		.toBeGreaterThan(20);
	expect((await audioOver(page, id, 1000)).lost).toBeLessThanOrEqual(1);

	sandbox.admin.setMediaImpairment({ lossPercent: 30, delayMs: 20, jitterMs: 5 });
	// About 50 packets a second come back, so some 30 of the 100 over two seconds are lost; 15 is far below.
	await expect.poll(async () => (await audioOver(page, id, 2000)).lost, OFTEN).toBeGreaterThan(15);

	sandbox.admin.setMediaImpairment({});
	await expect
		.poll(async () => {
			const over = await audioOver(page, id, 1000);
			return over.received > 20 && over.lost <= 1;
		}, OFTEN)
		.toBe(true);
});

test('the SDK’s own runPreCall reaches the echo: refused D35 without a caller ID, measured once the checks allow it', async ({
	sandbox,
	phones,
}) => {
	const [credential] = (await provision(sandbox, { count: 1 })).credentials;
	if (credential === undefined) throw new Error('no credential');
	const [page] = (await phones([credential.token])) as [Page];
	const runPreCall = () =>
		page.evaluate(async () => {
			const client = window.sdkPhone.client;
			if (client === null) throw new Error('not connected');
			const report = await client.runPreCall({ durationMs: 2000 });
			return {
				verdict: report.verdict,
				reasons: report.reasons?.map((reason) => reason.code) ?? [],
				packets: report.network?.packets ?? null,
				jitter: report.network?.jitter ?? null,
				rtt: report.network?.rtt ?? null,
			};
		});

	// `runPreCall` takes no caller ID and sends none, which Telnyx's caller-ID rules refuse (D35).
	expect((await runPreCall()).reasons).toContain('call_setup_timeout');
	expect(sandbox.admin.calls().at(-1)).toMatchObject({
		to: AS_THE_SDK_WRITES_IT,
		hangup: { cause: 'CALL_REJECTED', sipReason: 'Caller Origination Number is Invalid D35' },
	});

	sandbox.admin.setSignalling({ callerIdChecks: false });
	// 30 % loss and 0–60 ms of jitter (about 20 ms in RFC 3550's terms): the diagnostic sees both (unimpaired,
	// on loopback, it measures no loss and a jitter under 6 ms).
	sandbox.admin.setMediaImpairment({ lossPercent: 30, jitterMs: 60 });
	const report = await runPreCall();
	expect(report.reasons).toContain('network_packet_loss');
	expect(report.packets?.packetsLost).toBeGreaterThan(5);
	// Its first sample comes before the jitter estimate has settled; the later ones are near 20 ms, and a
	// run has peaked at exactly 12: the bound only has to be above the unimpaired 6 ms.
	expect(report.jitter?.max).toBeGreaterThan(8);
	expect(sandbox.admin.calls().at(-1)).toMatchObject({
		to: AS_THE_SDK_WRITES_IT,
		hangup: { cause: 'NORMAL_CLEARING', by: 'caller' },
	});
});
