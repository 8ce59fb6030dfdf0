/**
 * How an outbound call learns it was answered, and what an inbound call from a phone asks of the camera,
 * with the real `@telnyx/webrtc` SDK and the built app (harness) against the sandbox:
 *
 * - `early-media` (Telnyx's usual sequence: `media{sdp}` then a bare `answer{}`) reaches "In call";
 * - `stuck-early` reproduces team-telnyx/webrtc #754 (the SDK drops the answer and stays before `active`
 *   while media flows; see test/sandbox/signalling/answer-frames.ts): the app still shows "In call", from
 *   the answer frame itself. Without the adapter's handling of that frame this test fails (checked);
 * - a phone caller (a plain SDK client with `video: false`, so an audio-only offer) calling the app: no
 *   "Answer with video", and the page's getUserMedia is never asked for video, not even when answering.
 *
 * Media is measured from the page's peer connections (RTP counters, audio energy) and decoded frames.
 */
import { expect, type Page } from '@playwright/test';
import type { AnswerMode } from '../../sandbox/signalling/verto-server';
import {
	closeSdkPages,
	expectMediaFlowing,
	openSdkPage,
	provision,
	sandboxTest,
	serveSdkPages,
} from '../support/fixtures';
import {
	PEER_CONNECTION_SPY,
	audioEnergyPerSecond,
	inboundCounters,
	onboard,
} from '../support/softphone-helpers';

/** Records every getUserMedia request's constraints (test instrumentation, installed before the app loads). */
const GET_USER_MEDIA_SPY = `(() => {
	const devices = navigator.mediaDevices;
	const native = devices.getUserMedia.bind(devices);
	const asked = [];
	Object.defineProperty(window, '__getUserMediaAsked', { value: asked });
	devices.getUserMedia = (constraints) => {
		asked.push(JSON.parse(JSON.stringify(constraints ?? {})));
		return native(constraints);
	};
})();`;

const test = sandboxTest({ initScripts: [PEER_CONNECTION_SPY, GET_USER_MEDIA_SPY] });

const phase = (page: Page) => page.getByTestId('call-phase');

async function gumAsked(page: Page): Promise<{ audio?: unknown; video?: unknown }[]> {
	return page.evaluate(
		() =>
			(window as unknown as { __getUserMediaAsked: { audio?: unknown; video?: unknown }[] })
				.__getUserMediaAsked,
	);
}

for (const mode of ['early-media', 'stuck-early'] as const satisfies readonly AnswerMode[]) {
	test(`an outbound video call answered in the sandbox's ${mode} mode is "In call" with media flowing`, async ({
		sandbox,
		launch,
	}) => {
		test.setTimeout(120_000);
		sandbox.admin.setSignalling({ answer: mode });
		const bob = await launch('Bob desktop');
		await onboard(bob.page, sandbox.apiKey, { name: 'Bob', number: null });
		const alice = await launch('Alice laptop');
		await onboard(alice.page, sandbox.apiKey, { name: 'Alice', number: null });

		await alice.page.getByRole('button', { name: 'Video call Bob desktop' }).click();
		const incoming = bob.page.getByRole('alertdialog');
		await incoming.getByRole('button', { name: 'Answer with video' }).click();
		await expect(phase(bob.page)).toHaveText('In call');
		await expect(phase(alice.page)).toHaveText('In call', { timeout: 10_000 });
		await expectMediaFlowing(alice.page);
		await expectMediaFlowing(bob.page);
		await expect
			.poll(() => audioEnergyPerSecond(alice.page), { timeout: 10_000 })
			.toBeGreaterThan(0.001);

		// What the caller's leg was sent, in order: the frames of the mode (the invite's result is the frame
		// without a method that says CALL CREATED).
		const call = sandbox.admin.calls().at(-1);
		const callerLeg = call?.callerCallId;
		const told = sandbox.admin
			.frames()
			.filter((entry) => entry.direction === 'out')
			.map((entry) => ({ method: entry.method, frame: entry.frame as Record<string, unknown> }))
			.filter(({ frame }) => {
				const params = (frame['params'] ?? frame['result'] ?? {}) as Record<string, unknown>;
				return params['callID'] === callerLeg;
			})
			.map(
				({ method, frame }) =>
					method ?? (frame['result'] as { message?: string } | undefined)?.message ?? 'result',
			)
			.filter((what) => ['CALL CREATED', 'telnyx_rtc.media', 'telnyx_rtc.answer'].includes(what));
		expect(told).toEqual(
			mode === 'stuck-early'
				? ['telnyx_rtc.media', 'CALL CREATED', 'telnyx_rtc.answer']
				: ['CALL CREATED', 'telnyx_rtc.media', 'telnyx_rtc.answer'],
		);

		// Answered is answered: hanging up is "You hung up." on Alice's side, "The other side hung up." on Bob's.
		await alice.page.getByRole('button', { name: 'Hang up' }).click();
		await expect(phase(alice.page)).toHaveText('You hung up.');
		await expect(phase(bob.page)).toHaveText('The other side hung up.');
	});
}

test('a phone caller’s audio-only call is offered and answered without the camera', async ({
	sandbox,
	launch,
	browser,
}) => {
	test.setTimeout(120_000);
	const bob = await launch('Bob desktop');
	await onboard(bob.page, sandbox.apiKey, { name: 'Bob', number: null });
	const bobUser = sandbox.admin.sessions()[0]?.sipUsername;
	if (bobUser === undefined) throw new Error('Bob is not registered');

	// The phone: a plain SDK client on its own connection that sends no video at all.
	const sdkServer = await serveSdkPages();
	try {
		const { credentials } = await provision(sandbox, { count: 1 });
		const token = credentials[0]?.token;
		if (token === undefined) throw new Error('no token');
		const phonePage = await openSdkPage(browser, sdkServer);
		await phonePage.evaluate(
			([host, jwt]) =>
				window.sdkPhone.connect(host, jwt, { video: false } as Record<string, unknown>),
			[sandbox.signallingUrl, token] as const,
		);
		const before = (await gumAsked(bob.page)).length;
		await phonePage.evaluate(
			(to) => window.sdkPhone.dial(to, false),
			`sip:${bobUser}@sip.telnyx.com`,
		);

		const incoming = bob.page.getByRole('alertdialog');
		await expect(incoming).toContainText('Incoming call');
		await expect(incoming).not.toContainText('video');
		await expect(incoming.getByRole('button', { name: 'Answer with video' })).toHaveCount(0);
		expect(sandbox.admin.calls().at(-1)?.video).toBe(false);
		await incoming.getByRole('button', { name: 'Answer', exact: true }).click();
		await expect(phase(bob.page)).toHaveText('In call');

		// The phone's audio arrives…
		await expect
			.poll(async () => (await inboundCounters(bob.page)).audioPacketsReceived, { timeout: 10_000 })
			.toBeGreaterThan(0);
		// …and the camera was never asked for: every getUserMedia since the call rang is audio only.
		const asked = (await gumAsked(bob.page)).slice(before);
		expect(asked.length).toBeGreaterThan(0);
		for (const constraints of asked) expect(constraints.video ?? false).toBe(false);
		await expect(bob.page.getByRole('button', { name: /camera/i })).toHaveCount(0);

		await bob.page.getByRole('button', { name: 'Hang up' }).click();
		await expect(phase(bob.page)).toHaveText('You hung up.');
		await phonePage.context().close();
	} finally {
		await closeSdkPages();
		await sdkServer.close();
	}
});
