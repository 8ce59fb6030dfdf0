/**
 * Desktop integration end to end, with main's desktop service in the test process and recording stand-ins
 * for the tray and notifications: a link reaches the renderer as a prefilled dial; do-not-disturb rejects a
 * call (busy at the caller, missed at the callee); a wake-up finds a dropped socket and registers again; with
 * the camera switched off, a video call asked for from the tray, or offered by the other side, is audio only.
 */
import { test as base, expect, type Page } from '@playwright/test';
import type { DesktopState } from '../../../preload/contract';
import type { DesktopPorts, NotificationEvents } from '../../../main/desktop/desktop-service';
import type { NotificationContent } from '../../../main/desktop/notifications';
import { MIN_REFRESH_MS } from '../../../main/telnyx/directory-policy';
import { launchApp, type AppInstance } from '../support/app-harness';
import { onboard } from '../support/softphone-helpers';
import type { Sandbox } from '../../sandbox/sandbox';
import { endpointsOf, sandboxFixture } from '../support/fixtures';

interface Recorded {
	readonly trays: DesktopState[];
	readonly notifications: NotificationContent[];
	/** Each notification with its handlers, as the OS would hold them, and whether main closed it. */
	readonly shown: { content: NotificationContent; events: NotificationEvents; closed: boolean }[];
	readonly raised: number[];
}

interface Instance {
	readonly app: AppInstance;
	readonly desktop: Recorded;
	/** Moves this instance's main clock ahead (the directory's refresh interval, token expiry). */
	readonly later: (ms: number) => void;
}

/**
 * Records what the page asks `getUserMedia` for, before the app loads (test instrumentation only). In the
 * app main's permission policy denies a camera request while the switch is off; this harness has no such
 * handler, so the test checks the page never asks.
 */
const MEDIA_REQUEST_SPY = `(() => {
	const asked = [];
	Object.defineProperty(window, '__mediaRequests', { value: asked });
	const devices = navigator.mediaDevices;
	const native = devices.getUserMedia.bind(devices);
	devices.getUserMedia = (constraints) => {
		asked.push({ audio: Boolean(constraints && constraints.audio), video: Boolean(constraints && constraints.video) });
		return native(constraints);
	};
})();`;

const mediaRequests = (page: Page) =>
	page.evaluate(
		() =>
			(window as unknown as { __mediaRequests: { audio: boolean; video: boolean }[] })
				.__mediaRequests,
	);

/** The SDP a client sent in its last frame of `method` (the SDK's offer or answer, as the sandbox got it). */
function lastSdp(sandbox: Sandbox, method: 'telnyx_rtc.invite' | 'telnyx_rtc.answer'): string {
	const frame = sandbox.admin
		.frames()
		.filter((f) => f.direction === 'in' && f.method === method)
		.at(-1)?.frame as { params?: { sdp?: unknown } } | undefined;
	return typeof frame?.params?.sdp === 'string' ? frame.params.sdp : '';
}
/** An m=video line with a port: the side sends or takes video (port 0 means it refused it). */
const offersVideo = (sdp: string) => /^m=video [1-9]/m.test(sdp);
/** The SDP's video section sends video (sendrecv or sendonly); receiving the other side's is not sending. */
function sendsVideo(sdp: string): boolean {
	const section = /^m=video [1-9][^]*?(?=^m=|(?![^]))/m.exec(sdp)?.[0] ?? '';
	return /^a=(sendrecv|sendonly)\s*$/m.test(section);
}

/** Bob's and Alice's installations, onboarded on the sandbox's account (Bob first, so Alice finds him). */
async function onboardedPair(
	sandbox: Sandbox,
	launch: (deviceName: string) => Promise<Instance>,
): Promise<{ alice: Instance; bob: Instance }> {
	const bob = await launch('Bob desktop');
	await onboard(bob.app.page, sandbox.apiKey, { name: 'Bob', number: null });
	const alice = await launch('Alice laptop');
	await onboard(alice.app.page, sandbox.apiKey, { name: 'Alice', number: null });
	return { alice, bob };
}

const test = base.extend<{ sandbox: Sandbox; launch: (deviceName: string) => Promise<Instance> }>({
	sandbox: sandboxFixture(),
	launch: async ({ browser, sandbox }, use) => {
		const apps: AppInstance[] = [];
		await use(async (deviceName) => {
			const recorded: Recorded = { trays: [], notifications: [], shown: [], raised: [] };
			const ports: DesktopPorts = {
				updateTray: (state) => recorded.trays.push(state),
				notify: (content, events) => {
					recorded.notifications.push(content);
					const shown = { content, events, closed: false };
					recorded.shown.push(shown);
					return {
						close: () => {
							shown.closed = true;
							events.onClosed();
						},
					};
				},
				raiseWindow: () => recorded.raised.push(Date.now()),
				setInCall: () => {},
			};
			let ahead = 0;
			const app = await launchApp(browser, {
				endpoints: endpointsOf(sandbox),
				deviceName,
				desktop: ports,
				initScripts: [MEDIA_REQUEST_SPY],
				clock: () => Date.now() + ahead,
			});
			apps.push(app);
			return { app, desktop: recorded, later: (ms) => (ahead += ms) };
		});
		for (const app of apps) await app.close();
	},
});

test('a tel: link handed to main reaches the dialer prefilled, one click from calling; a bad link never does', async ({
	sandbox,
	launch,
}) => {
	const { app, desktop } = await launch('Alice laptop');
	await onboard(app.page, sandbox.apiKey, { name: 'Alice', number: '+13125550142' });
	const input = app.page.getByLabel('Number, SIP address or installation');

	expect(
		app.services.desktop.handleLink('tel:%2B1-312-555-0199;phone-context=example.com'),
	).toMatchObject({ ok: true });
	await expect(input).toHaveValue('+13125550199');
	expect(desktop.raised.length).toBeGreaterThan(0);
	// Prefilled, not dialled: nothing reached the sandbox.
	expect(sandbox.admin.calls()).toHaveLength(0);

	const raisedBefore = desktop.raised.length;
	expect(
		app.services.desktop.handleLink('sip:bob@example.com?Call-Info=<http://evil>'),
	).toMatchObject({ ok: false });
	expect(app.services.desktop.handleLink(`tel:${'1'.repeat(600)}`)).toMatchObject({ ok: false });
	// Refused in main, synchronously: the window was not raised again and the dialer kept its value.
	expect(desktop.raised).toHaveLength(raisedBefore);
	await expect(input).toHaveValue('+13125550199');
});

test('with do not disturb on, a call from the other instance ends busy at the caller and is missed at the callee', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(120_000);
	const { alice, bob } = await onboardedPair(sandbox, launch);

	await bob.app.page.getByRole('button', { name: 'Do not disturb' }).click();
	await expect(bob.app.page.getByRole('button', { name: 'Do not disturb' })).toHaveAttribute(
		'aria-pressed',
		'true',
	);
	await expect.poll(() => bob.desktop.trays.at(-1)?.doNotDisturb).toBe(true);

	await alice.app.page.getByRole('button', { name: 'Call Bob desktop', exact: true }).click();
	await expect(alice.app.page.getByTestId('call-phase')).toHaveText(/^Busy/);
	// Bob's phone never rang on screen.
	await expect(bob.app.page.getByRole('alertdialog')).toHaveCount(0);
	expect(sandbox.admin.calls().at(-1)?.hangup).toMatchObject({ cause: 'USER_BUSY', by: 'callee' });

	// Missed: in the history, on the tray, and announced.
	await expect.poll(() => bob.desktop.trays.at(-1)?.missedCalls).toBe(1);
	expect(bob.desktop.notifications.map((n) => n.title)).toContain('Call rejected (Do not disturb)');
	await bob.app.page.getByRole('button', { name: 'History' }).click();
	const entry = bob.app.page.getByTestId('history-entry').first();
	await expect(entry).toHaveAttribute('data-end', 'dnd');
	await expect(entry).toContainText('Missed');
	await expect.poll(() => bob.desktop.trays.at(-1)?.missedCalls).toBe(0);
});

test('turning do not disturb on during a call keeps the call and the registration', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(120_000);
	const { alice, bob } = await onboardedPair(sandbox, launch);
	const logins = () =>
		sandbox.admin.frames().filter((f) => f.direction === 'in' && f.method === 'login').length;

	await alice.app.page.getByRole('button', { name: 'Call Bob desktop', exact: true }).click();
	await bob.app.page.getByRole('button', { name: 'Answer', exact: true }).click();
	await expect(alice.app.page.getByTestId('call-phase')).toHaveText('In call');
	const before = logins();

	// A settings change (here do not disturb) must not reconnect the phone, which would end the call.
	await alice.app.page.getByRole('button', { name: 'Do not disturb' }).click();
	await expect(alice.app.page.getByRole('button', { name: 'Do not disturb' })).toHaveAttribute(
		'aria-pressed',
		'true',
	);
	// A signalling round trip after the change: the call is still there on both sides.
	await alice.app.page.getByRole('button', { name: 'Hold' }).click();
	await expect(bob.app.page.getByTestId('call-phase')).toHaveText('On hold by the other side');
	expect(sandbox.admin.calls().at(-1)?.hangup).toBeNull();
	expect(logins()).toBe(before);
	await expect(alice.app.page.getByTestId('connection-status')).toHaveText('Ready');
});

test('a notification’s Answer answers the call it announced; a stale one answers nothing and says so (fails on e0fc691)', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(120_000);
	const { alice, bob } = await onboardedPair(sandbox, launch);
	const incoming = () => bob.desktop.shown.filter((n) => n.content.title === 'Incoming call');
	const callBob = () =>
		alice.app.page.getByRole('button', { name: 'Call Bob desktop', exact: true }).click();

	// The first call rings and is cancelled: its notification is closed with it.
	await callBob();
	await expect.poll(() => incoming().length).toBe(1);
	const stale = incoming()[0]!;
	await alice.app.page.getByRole('button', { name: 'Hang up' }).click();
	await expect.poll(() => stale.closed).toBe(true);
	await expect(bob.app.page.getByRole('button', { name: 'Answer', exact: true })).toHaveCount(0);

	// A second call rings. Answer on the first call's notification must not answer it.
	await callBob();
	await expect.poll(() => incoming().length).toBe(2);
	const current = incoming()[1]!;
	stale.events.onAction(0);
	expect(bob.desktop.notifications.at(-1)?.title).toBe('That call is no longer ringing');
	await bob.app.page.waitForTimeout(500);
	await expect(bob.app.page.getByRole('button', { name: 'Answer', exact: true })).toBeVisible();
	expect(sandbox.admin.calls().at(-1)?.answeredAt ?? null).toBeNull();

	// Its own notification's Answer does.
	current.events.onAction(0);
	await expect(bob.app.page.getByTestId('call-phase')).toHaveText('In call');
	await expect(alice.app.page.getByTestId('call-phase')).toHaveText('In call');
});

test('after a wake-up finds the socket dropped, the app is registered again within 5 s', async ({
	sandbox,
	launch,
}) => {
	const { app } = await launch('Alice laptop');
	await onboard(app.page, sandbox.apiKey, { name: 'Alice', number: null });
	const user = sandbox.admin.sessions()[0]!.sipUsername;
	const status = app.page.getByTestId('connection-status');

	const logins = () =>
		sandbox.admin.frames().filter((f) => f.direction === 'in' && f.method === 'login').length;
	const before = logins();

	// As a resume would find it: the server side of the socket is gone.
	expect(sandbox.admin.drop(user)).toBe(1);
	const started = Date.now();
	app.services.resume();
	// Registered again means a new login on a new socket, and the app saying Ready.
	await expect.poll(logins, { timeout: 5000 }).toBeGreaterThan(before);
	await expect(status).toHaveText('Ready', { timeout: 5000 });
	const elapsed = Date.now() - started;
	test.info().annotations.push({
		type: 'resume',
		description: `registered again ${elapsed} ms after the resume`,
	});
	expect(elapsed).toBeLessThan(5000);
	expect(sandbox.admin.sessions().filter((s) => s.connected)).toHaveLength(1);
});

test('with the camera switched off, no video call is offered, and tray or incoming video calls are audio only', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(120_000);
	const { alice, bob } = await onboardedPair(sandbox, launch);
	const page = alice.app.page;
	const phase = (p: Page) => p.getByTestId('call-phase');
	await expect(page.getByRole('button', { name: 'Video call Bob desktop' })).toBeVisible();

	// Alice switches the camera off in Settings → Devices; main keeps it.
	await page.getByRole('button', { name: 'Settings' }).click();
	const camera = page.getByRole('checkbox', { name: 'Use the camera for video calls' });
	await expect(camera).toBeChecked();
	await camera.uncheck();
	await expect.poll(() => alice.app.services.settings.get().ui.cameraEnabled).toBe(false);
	await page.getByRole('button', { name: 'Phone' }).click();
	await expect(page.getByRole('button', { name: 'Call Bob desktop', exact: true })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Video call Bob desktop' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Video call', exact: true })).toHaveCount(0);

	// A video call asked for through main (the tray's compact dialer) is placed as an audio call.
	alice.app.services.desktop.dial({ destination: 'Bob desktop', video: true, now: true });
	const incoming = bob.app.page.getByRole('alertdialog');
	await expect(incoming).toBeVisible();
	// Bob would take video; Alice's offer has none to take.
	await incoming
		.getByRole('button', { name: /^Answer/ })
		.last()
		.click();
	await expect(phase(page)).toHaveText('In call');
	expect(offersVideo(lastSdp(sandbox, 'telnyx_rtc.invite'))).toBe(false);
	expect(lastSdp(sandbox, 'telnyx_rtc.invite')).toMatch(/^m=audio [1-9]/m);
	expect(sandbox.admin.calls().at(-1)?.video).toBe(false);
	await expect(page.getByTestId('audio-only')).toHaveText(
		'Audio only: the camera is switched off in Settings → Devices.',
	);
	await expect(page.getByTestId('remote-audio')).toBeAttached();
	await expect(page.getByTestId('local-video')).toHaveCount(0);
	await page.getByRole('button', { name: 'Hang up' }).click();
	await expect(phase(bob.app.page)).toHaveText('The other side hung up.');

	// Bob's video call can only be answered with audio.
	await bob.app.page.getByRole('button', { name: 'Close' }).click();
	// Bob went first, so his directory learns of Alice when his window gets the focus back once its page is
	// due for a refresh (on an account this small, a minute after the last one and up to half a minute of
	// jitter).
	bob.later(2 * MIN_REFRESH_MS);
	await bob.app.page.evaluate(() => window.dispatchEvent(new Event('focus')));
	await bob.app.page.getByRole('button', { name: 'Video call Alice laptop' }).click();
	const ringing = page.getByRole('alertdialog');
	await expect(ringing).toContainText('Incoming video call');
	await expect(ringing).toContainText('you answer with audio only');
	await expect(ringing.getByRole('button', { name: 'Answer with video' })).toHaveCount(0);
	await ringing.getByRole('button', { name: 'Answer', exact: true }).click();
	await expect(phase(bob.app.page)).toHaveText('In call');
	expect(sendsVideo(lastSdp(sandbox, 'telnyx_rtc.invite'))).toBe(true);
	// Alice's answer may take Bob's picture, but sends none of her own.
	const answer = lastSdp(sandbox, 'telnyx_rtc.answer');
	expect(answer).toMatch(/^m=audio [1-9]/m);
	expect(sendsVideo(answer)).toBe(false);

	// Alice's page never asked for the camera; Bob's did (his switch is on).
	const asked = await mediaRequests(page);
	expect(asked.length).toBeGreaterThanOrEqual(2);
	expect(asked.filter((request) => request.video)).toEqual([]);
	expect((await mediaRequests(bob.app.page)).some((request) => request.video)).toBe(true);
});
