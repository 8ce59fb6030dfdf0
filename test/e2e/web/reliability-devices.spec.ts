/**
 * Devices and installations with the real app (issue 16, W14 and W15): instances through the harness, the
 * real `@telnyx/webrtc` SDK in each page, the sandbox as Telnyx.
 *
 * W14, a microphone refused: Bob's page runs in its own Chromium, launched as every other test's but with
 * `--use-fake-ui-for-media-stream=deny`: the browser itself refuses every camera and microphone request
 * (`NotAllowedError`), as it does once a user has blocked the app, with no prompt to wait on. Chromium's
 * permission flow decides it, not a script, and the same flag gives the same answer on every run.
 *
 * W14, no microphone: Chromium has no switch for "no capture device" (its fake devices always include a
 * microphone, and without them the answer depends on the host's sound setup), so an init script stands in
 * for the missing device: `getUserMedia` with audio rejects `NotFoundError` (a real `DOMException`, as
 * Chromium's own) and `enumerateDevices` lists no audio input.
 *
 * W14 (c): `@telnyx/webrtc` 2.27.10 has `mediaPermissionsRecovery` (`IClientOptions`, lib/src/utils/
 * interfaces.d.ts: `{ enabled, timeout, onSuccess?, onError? }`; in lib/bundle.mjs `createPeerConnection`,
 * for an answer only, a failed `getUserMedia` then raises `telnyx.error` with `recoverable: true`,
 * `retryDeadline`, `resume()` and `reject()` and waits up to `timeout` for the app to retry). The app does not
 * pass it (`TelnyxSoftphone.connect`'s client options), so an answer without a microphone fails at once.
 *
 * W15, one credential, two live pages: the desktop app cannot run twice on one installation (main/index.ts
 * calls `claimSingleInstance`, main/electron/lifecycle.ts, `app.requestSingleInstanceLock()`; a second
 * launch hands its link to the first and quits — exercised by the Electron smoke test "a second launch
 * hands over to the first (and its link) and exits", test/e2e/electron/smoke.spec.ts). What the harness can
 * run is the same installation (user-data folder and keychain entries) opened again while its first page is
 * still registered, then closed, then restarted: each incoming call must ring exactly one page.
 */
import { chromium, expect, type Browser, type Page } from '@playwright/test';
import type { CallHistoryEntry } from '../../../preload/contract';
import {
	endReason,
	errorMessage,
	localFailure,
} from '../../../renderer/src/lib/telephony/messages';
import { MIN_REFRESH_MS } from '../../../main/telnyx/directory-policy';
import type { Sandbox } from '../../sandbox/sandbox';
import { launchApp, type AppInstance } from '../support/app-harness';
import { chromiumLaunchOptions } from '../support/chromium';
import { endpointsOf, sandboxTest } from '../support/fixtures';
import {
	MEDIA_STREAM_SPY,
	TONE_SPY,
	liveCaptureTracks,
	onboard,
	openTones,
} from '../support/softphone-helpers';

const test = sandboxTest({ initScripts: [TONE_SPY, MEDIA_STREAM_SPY] });

/**
 * A missing microphone, in the page (test instrumentation only): `getUserMedia` asking for audio rejects
 * as Chromium does when no capture device exists, and no audio input is listed.
 */
const NO_MICROPHONE = `(() => {
	const devices = navigator.mediaDevices;
	const list = devices.enumerateDevices.bind(devices);
	const native = devices.getUserMedia.bind(devices);
	devices.enumerateDevices = async () => (await list()).filter((d) => d.kind !== 'audioinput');
	devices.getUserMedia = async (constraints) => {
		if (constraints && constraints.audio) throw new DOMException('Requested device not found', 'NotFoundError');
		return native(constraints);
	};
})();`;

/** Chromium as the other tests launch it, except that it refuses every camera and microphone request. */
async function launchRefusingBrowser(): Promise<Browser> {
	const options = chromiumLaunchOptions();
	const args = (options.args ?? []).map((arg) =>
		arg === '--use-fake-ui-for-media-stream' ? '--use-fake-ui-for-media-stream=deny' : arg,
	);
	expect(args).toContain('--use-fake-ui-for-media-stream=deny');
	return chromium.launch({ ...options, args });
}

/** What the page's own `getUserMedia({ audio: true })` gets: `granted`, or the error's name. */
const microphoneOutcome = (page: Page) =>
	page.evaluate(() =>
		navigator.mediaDevices.getUserMedia({ audio: true }).then(
			(stream) => {
				for (const track of stream.getTracks()) track.stop();
				return 'granted';
			},
			(error: unknown) => (error instanceof DOMException ? error.name : String(error)),
		),
	);

const phase = (page: Page) => page.getByTestId('call-phase');
const status = (page: Page) => page.getByTestId('connection-status');
const incoming = (page: Page) => page.getByRole('alertdialog');
const noticeSaying = (page: Page, text: string) =>
	page.locator('.notices .notice span').filter({ hasText: text });

const sipUsernameOf = (app: AppInstance) => {
	const provisioned = app.services.settings.get().provisioned;
	if (provisioned === null) throw new Error('not provisioned');
	return provisioned.sipUsername;
};
const logins = (sandbox: Sandbox) =>
	sandbox.admin.frames().filter((f) => f.direction === 'in' && f.method === 'login').length;
const connectedSessions = (sandbox: Sandbox, sipUsername: string) =>
	sandbox.admin.sessions().filter((s) => s.sipUsername === sipUsername && s.connected);
const history = async (app: AppInstance): Promise<readonly CallHistoryEntry[]> =>
	app.services.handlers.history.list();

/** Uncaught errors and unhandled rejections in the page. */
function pageErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
	return errors;
}

function report(name: string, facts: Record<string, unknown>): void {
	const description = Object.entries(facts)
		.map(([key, value]) => `${key} ${String(value)}`)
		.join('; ');
	test.info().annotations.push({ type: name, description });
	console.log(`[reliability-devices] ${name}: ${description}`);
}

test('W14: a microphone the browser refuses — Answer says so in words, the call ends with a device reason at Bob and a stated reason at Alice, nothing keeps ringing', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(120_000);
	sandbox.admin.setSignalling({ credentialPropagationMs: 0 });
	const refusing = await launchRefusingBrowser();
	let bob: AppInstance | null = null;
	try {
		const bobApp = await launchApp(refusing, {
			endpoints: endpointsOf(sandbox),
			deviceName: 'Bob desktop',
			initScripts: [TONE_SPY, MEDIA_STREAM_SPY],
		});
		bob = bobApp;
		const bobPage = bobApp.page;
		const bobErrors = pageErrors(bobPage);
		await onboard(bobPage, sandbox.apiKey, { name: 'Bob', number: null });
		// The refusal is the browser's own: Bob's page gets NotAllowedError, Alice's page a microphone.
		expect(await microphoneOutcome(bobPage)).toBe('NotAllowedError');
		const alice = await launch('Alice laptop');
		const alicePage = alice.page;
		const aliceErrors = pageErrors(alicePage);
		await onboard(alicePage, sandbox.apiKey, { name: 'Alice', number: null });
		expect(await microphoneOutcome(alicePage)).toBe('granted');

		await alicePage.getByRole('button', { name: 'Call Bob desktop', exact: true }).click();
		await expect(incoming(bobPage)).toBeVisible();
		await expect(phase(alicePage)).toHaveText('Ringing…');
		// Ringing: Bob's ringtone and Alice's ringback are playing.
		await expect.poll(() => openTones(bobPage)).toBeGreaterThan(0);
		await expect.poll(() => openTones(alicePage)).toBeGreaterThan(0);

		await bobPage.getByRole('button', { name: 'Answer', exact: true }).click();

		// Bob: told in words what to do, and the call ends with the device reason.
		const blocked = localFailure(42001);
		expect(blocked.kind).toBe('media');
		await expect(noticeSaying(bobPage, errorMessage(42001)).first()).toBeVisible();
		await expect(phase(bobPage)).toHaveText(blocked.message);
		await expect(incoming(bobPage)).toHaveCount(0);

		// The sandbox: never answered, ended by Bob's side.
		await expect.poll(() => sandbox.admin.calls().at(-1)?.state).toBe('ended');
		const record = sandbox.admin.calls().at(-1)!;
		expect(record.answeredAt).toBeNull();
		expect(record.hangup).toMatchObject({ by: 'callee' });
		const byeFromBob = record.events.find((e) => e.by === 'callee' && e.type === 'bye');

		// Alice: the call ends with a stated reason, the one her app gives Telnyx's cause.
		const aliceReason = endReason({
			cause: record.hangup!.cause,
			sipCode: record.hangup!.sipCode,
			sipReason: record.hangup!.sipReason,
			direction: 'outbound',
			wasAnswered: false,
			hungUpLocally: false,
		});
		await expect(phase(alicePage)).toHaveText(aliceReason.message);

		// Nothing keeps ringing: no incoming dialog, no ringtone, no ringback, no microphone held.
		await expect.poll(() => openTones(bobPage)).toBe(0);
		await expect.poll(() => openTones(alicePage)).toBe(0);
		await expect(incoming(alicePage)).toHaveCount(0);
		await expect.poll(async () => (await liveCaptureTracks(alicePage)).live).toBe(0);
		await bobPage.waitForTimeout(3000);
		expect(await openTones(bobPage)).toBe(0);
		await expect(incoming(bobPage)).toHaveCount(0);

		// Both still registered; one history entry each, Bob's with the device reason.
		await expect(status(bobPage)).toHaveText('Ready');
		await expect(status(alicePage)).toHaveText('Ready');
		await expect.poll(() => history(bobApp).then((h) => h.length)).toBe(1);
		expect((await history(bobApp))[0]).toMatchObject({
			direction: 'inbound',
			endReason: 'media',
			endMessage: blocked.message,
		});
		await expect.poll(() => history(alice).then((h) => h.length)).toBe(1);
		expect((await history(alice))[0]).toMatchObject({ endMessage: aliceReason.message });
		expect([...bobErrors, ...aliceErrors]).toEqual([]);
		report('W14 refused microphone', {
			'Bob sent bye with': byeFromBob === undefined ? 'none' : JSON.stringify(byeFromBob),
			'Alice heard': `${record.hangup!.cause} ${record.hangup!.sipCode}`,
			'Alice reads': aliceReason.message,
			'Bob reads': blocked.message,
		});
	} finally {
		await bob?.close().catch(() => undefined);
		await refusing.close();
	}
});

test('W14: no microphone at all — Alice’s call fails with a message naming the missing device, and the app stays registered', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(120_000);
	sandbox.admin.setSignalling({ credentialPropagationMs: 0 });
	// Bob's main clock can be moved past his directory's refresh interval.
	let bobAhead = 0;
	const bob = await launch('Bob desktop', { clock: () => Date.now() + bobAhead });
	await onboard(bob.page, sandbox.apiKey, { name: 'Bob', number: null });
	const alice = await launch('Alice laptop', {
		initScripts: [TONE_SPY, MEDIA_STREAM_SPY, NO_MICROPHONE],
	});
	const page = alice.page;
	const errors = pageErrors(page);
	await onboard(page, sandbox.apiKey, { name: 'Alice', number: null });
	expect(await microphoneOutcome(page)).toBe('NotFoundError');
	const user = sipUsernameOf(alice);
	const loginsBefore = logins(sandbox);

	await page.getByRole('button', { name: 'Call Bob desktop', exact: true }).click();

	// The SDK's own code for a missing device is 42002; its words name the microphone and what to do.
	const missing = localFailure(42002);
	await expect(noticeSaying(page, errorMessage(42002)).first()).toBeVisible();
	// The call panel moves on to why the call ended (every end reason is a sentence).
	await expect(phase(page)).toHaveText(/^(?!Calling…|Connecting…|Ringing…|In call).+\.$/);
	const shown = (await phase(page).textContent())?.trim() ?? '';
	const notices = await page.locator('.notices .notice span').allTextContents();
	report('W14 no microphone', { 'call panel': shown, notices: JSON.stringify(notices) });
	expect
		.soft(shown, 'the call panel names the missing device (42002), not a blocked one (42001)')
		.toBe(missing.message);
	expect
		.soft(notices, 'no notice says the microphone is blocked when there is none')
		.not.toContain(errorMessage(42001));

	// Nothing reached Telnyx: the invite needs the microphone first. Bob never rang.
	expect(sandbox.admin.calls()).toEqual([]);
	await expect(incoming(bob.page)).toHaveCount(0);
	await expect.poll(() => openTones(page)).toBe(0);

	// Still registered: Ready, the same login, one live session — and a call to Alice rings her.
	await expect(status(page)).toHaveText('Ready');
	expect(logins(sandbox)).toBe(loginsBefore);
	expect(connectedSessions(sandbox, user)).toHaveLength(1);
	// Bob went first: his directory learns of Alice when his window gets the focus once his page is due
	// for a refresh (a minute after the last, and up to half a minute of jitter, on an account this small).
	bobAhead = 2 * MIN_REFRESH_MS;
	await bob.page.evaluate(() => window.dispatchEvent(new Event('focus')));
	await bob.page.getByRole('button', { name: 'Call Alice laptop', exact: true }).click();
	await expect(incoming(page)).toBeVisible();
	await expect(phase(bob.page)).toHaveText('Ringing…');
	await bob.page.getByRole('button', { name: 'Hang up' }).click();
	await expect(incoming(page)).toHaveCount(0);
	await expect.poll(() => openTones(page)).toBe(0);

	await expect.poll(() => history(alice).then((h) => h.length)).toBe(2);
	const outgoing = (await history(alice)).find((h) => h.direction === 'outbound');
	expect(outgoing).toMatchObject({ endReason: 'media' });
	expect
		.soft(outgoing?.endMessage, 'history keeps the missing-device reason')
		.toBe(missing.message);
	expect(errors).toEqual([]);
});

test('W15: one installation opened twice, then closed, then restarted: every incoming call rings exactly one page, and the caller hears it ring', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(180_000);
	sandbox.admin.setSignalling({ credentialPropagationMs: 0 });
	const first = await launch('Bob desktop');
	await onboard(first.page, sandbox.apiKey, { name: 'Bob', number: null });
	const alice = await launch('Alice laptop');
	await onboard(alice.page, sandbox.apiKey, { name: 'Alice', number: null });
	const user = sipUsernameOf(first);
	const callBob = () =>
		alice.page.getByRole('button', { name: 'Call Bob desktop', exact: true }).click();
	const closeEnded = async () => {
		const close = alice.page.getByRole('button', { name: 'Close', exact: true });
		if (await close.isVisible()) await close.click();
	};

	/** Alice calls Bob: exactly `ringing` rings, the other pages stay quiet, and Alice hears ringback. */
	const callRingsOnly = async (ringing: Page, quiet: readonly Page[], label: string) => {
		const callsBefore = sandbox.admin.calls().length;
		await callBob();
		await expect(incoming(ringing), `${label}: the page that rings`).toBeVisible();
		await expect(phase(alice.page)).toHaveText('Ringing…');
		await expect.poll(() => openTones(alice.page)).toBeGreaterThan(0);
		await expect.poll(() => openTones(ringing)).toBeGreaterThan(0);
		// Long enough for a second invite to reach another page.
		await alice.page.waitForTimeout(2000);
		for (const page of quiet) {
			await expect(incoming(page), `${label}: a page that must not ring`).toHaveCount(0);
			expect(await openTones(page)).toBe(0);
		}
		const calls = sandbox.admin.calls().slice(callsBefore);
		expect(calls).toHaveLength(1);
		// One callee leg: the sandbox offered the call to one registration.
		const invitesToBob = sandbox.admin
			.frames()
			.filter(
				(f) =>
					f.direction === 'out' &&
					f.method === 'telnyx_rtc.invite' &&
					(f.frame as { params?: { callID?: string } }).params?.callID === calls[0]!.calleeCallId,
			);
		expect(invitesToBob).toHaveLength(1);
	};

	// 1. The same installation opened again while the first page is registered (same folder, same keychain).
	const second = await launch('Bob desktop', { userDataDir: first.userDataDir });
	await expect(status(second.page)).toHaveText('Ready');
	expect(sipUsernameOf(second)).toBe(user);
	const live = connectedSessions(sandbox, user);
	const firstStatus = (await status(first.page).textContent())?.trim();
	report('W15 two pages, one credential', {
		'live sessions': live.length,
		'first page says': firstStatus,
		'second page says': 'Ready',
	});
	// The sandbox keeps both sockets logged in, and routes to the newest login.
	expect(live).toHaveLength(2);
	await callRingsOnly(second.page, [first.page], 'both pages open');
	await second.page.getByRole('button', { name: 'Answer', exact: true }).click();
	await expect(phase(alice.page)).toHaveText('In call');
	await expect(phase(second.page)).toHaveText('In call');
	await alice.page.getByRole('button', { name: 'Hang up' }).click();
	await expect(phase(second.page)).toHaveText('The other side hung up.');
	await closeEnded();

	// 2. The newer page closes: the first page is the one registration left, and the call reaches it.
	await second.close({ keepUserData: true });
	await expect.poll(() => connectedSessions(sandbox, user).length).toBe(1);
	await expect(status(first.page)).toHaveText('Ready');
	await callRingsOnly(first.page, [], 'after the second page closed');
	await alice.page.getByRole('button', { name: 'Hang up' }).click();
	await expect(incoming(first.page)).toHaveCount(0);
	await expect.poll(() => openTones(first.page)).toBe(0);
	await closeEnded();

	// 3. The installation restarts: its old session is gone from the wire (in the sandbox's grace period),
	// the restarted page is the one live registration, and the call rings it.
	const userDataDir = first.userDataDir;
	await first.close({ keepUserData: true });
	await expect.poll(() => connectedSessions(sandbox, user).length).toBe(0);
	const restarted = await launch('Bob desktop', { userDataDir });
	await expect(status(restarted.page)).toHaveText('Ready');
	expect(sipUsernameOf(restarted)).toBe(user);
	expect(connectedSessions(sandbox, user)).toHaveLength(1);
	await callRingsOnly(restarted.page, [], 'after a restart');
	await restarted.page.getByRole('button', { name: 'Answer', exact: true }).click();
	await expect(phase(alice.page)).toHaveText('In call');
	await expect(phase(restarted.page)).toHaveText('In call');
	await alice.page.getByRole('button', { name: 'Hang up' }).click();

	// Every call reached Bob once and ended with a reason at Alice.
	const calls = sandbox.admin.calls();
	expect(calls).toHaveLength(3);
	expect(calls.every((c) => c.calleeSipUsername === user && c.hangup !== null)).toBe(true);
	expect(calls.map((c) => c.answeredAt !== null)).toEqual([true, false, true]);
});
