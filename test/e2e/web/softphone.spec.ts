/**
 * The softphone end to end: two app instances in Chromium, each with its own main services, settings folder
 * and keychain entry, against the sandbox. Everything is done through the UI; media is checked from the
 * pages' decoded frames and RTP counters.
 */
import { expect, type Page } from '@playwright/test';
import {
	PEER_CONNECTION_SPY,
	audioEnergyPerSecond,
	inboundCounters,
	checkScreen,
	onboard,
} from '../support/softphone-helpers';
import { expectMediaFlowing, sandboxTest } from '../support/fixtures';

const test = sandboxTest({ initScripts: [PEER_CONNECTION_SPY] });

const phase = (page: Page) => page.getByTestId('call-phase');

test('two installations onboard, find each other and hold a video call with mute, hold, DTMF and history', async ({
	sandbox,
	launch,
}, testInfo) => {
	test.setTimeout(150_000);
	const bob = await launch('Bob desktop');
	await checkScreen(bob.page, testInfo, 'onboarding: API key');
	await onboard(bob.page, sandbox.apiKey, { name: 'Bob', number: null }, testInfo);
	const alice = await launch('Alice laptop');
	await onboard(alice.page, sandbox.apiKey, { name: 'Alice', number: '+13125550142' });
	await checkScreen(alice.page, testInfo, 'dialer');

	// Each installation has its own credential, and each finds the other in the directory.
	const credentials = new Set(sandbox.admin.sessions().map((s) => s.sipUsername));
	expect(credentials.size).toBe(2);
	await expect(alice.page.getByRole('button', { name: 'Video call Bob desktop' })).toBeVisible();

	await alice.page.getByRole('button', { name: 'Video call Bob desktop' }).click();
	const incoming = bob.page.getByRole('alertdialog');
	await expect(incoming).toContainText('Alice');
	await checkScreen(bob.page, testInfo, 'incoming call');
	await incoming.getByRole('button', { name: 'Answer with video' }).click();
	await expect(phase(alice.page)).toHaveText('In call');
	await expect(phase(bob.page)).toHaveText('In call');

	await expectMediaFlowing(alice.page);
	await expectMediaFlowing(bob.page);
	await checkScreen(alice.page, testInfo, 'video call');

	// Mute: Bob hears silence (no audio energy arriving), then sound again.
	await expect
		.poll(() => audioEnergyPerSecond(bob.page), { timeout: 10_000 })
		.toBeGreaterThan(0.001);
	await alice.page.getByRole('button', { name: 'Mute' }).click();
	await expect(alice.page.getByRole('button', { name: 'Unmute' })).toHaveAttribute(
		'aria-pressed',
		'true',
	);
	await expect.poll(() => audioEnergyPerSecond(bob.page), { timeout: 10_000 }).toBeLessThan(0.0001);
	await alice.page.getByRole('button', { name: 'Unmute' }).click();
	await expect
		.poll(() => audioEnergyPerSecond(bob.page), { timeout: 10_000 })
		.toBeGreaterThan(0.001);

	// Hold and resume change both sides, and the media itself: the sandbox's gateway (as Telnyx's) stops
	// forwarding while the call is held, so Bob hears nothing and no packets arrive, then both come back.
	await alice.page.getByRole('button', { name: 'Hold' }).click();
	await expect(phase(alice.page)).toHaveText('On hold');
	await expect(phase(bob.page)).toHaveText('On hold by the other side');
	expect(sandbox.admin.calls().at(-1)?.held.caller).toBe(true);
	await expect.poll(() => audioEnergyPerSecond(bob.page), { timeout: 10_000 }).toBe(0);
	const heldBefore = await inboundCounters(bob.page);
	await bob.page.waitForTimeout(1000);
	expect((await inboundCounters(bob.page)).audioPacketsReceived).toBe(
		heldBefore.audioPacketsReceived,
	);
	await alice.page.getByRole('button', { name: 'Resume' }).click();
	await expect(phase(alice.page)).toHaveText('In call');
	await expect(phase(bob.page)).toHaveText('In call');
	await expect
		.poll(() => audioEnergyPerSecond(bob.page), { timeout: 10_000 })
		.toBeGreaterThan(0.001);
	await expectMediaFlowing(bob.page);
	await expectMediaFlowing(alice.page);

	// DTMF typed on the keypad reaches the sandbox.
	await alice.page.getByRole('button', { name: 'Keypad' }).click();
	await alice.page
		.getByRole('group', { name: 'Send tones' })
		.getByRole('button', { name: '1' })
		.click();
	await alice.page.getByLabel('Type tones').fill('2#');
	await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
	await expect.poll(() => sandbox.admin.calls().at(-1)?.dtmf.caller).toBe('12#');
	await alice.page.getByLabel('Type tones').fill('12x');
	await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
	await expect(alice.page.getByText('Only 0-9, *, # and A-D can be sent.')).toBeVisible();
	expect(sandbox.admin.calls().at(-1)?.dtmf.caller).toBe('12#');

	await alice.page.getByRole('button', { name: 'Hang up' }).click();
	await expect(phase(alice.page)).toHaveText('You hung up.');
	await expect(phase(bob.page)).toHaveText('The other side hung up.');

	for (const [app, direction] of [
		[alice, 'outbound'],
		[bob, 'inbound'],
	] as const) {
		await app.page.getByRole('button', { name: 'History' }).click();
		const entry = app.page.getByTestId('history-entry').first();
		await expect(entry).toHaveAttribute('data-direction', direction);
		await expect(entry).toContainText('video call');
		await expect(entry).toContainText(direction === 'outbound' ? 'Bob desktop' : 'Alice');
	}
	await checkScreen(alice.page, testInfo, 'history');
	await alice.page.getByRole('button', { name: 'Settings' }).click();
	await checkScreen(alice.page, testInfo, 'settings');
	await alice.page.getByRole('button', { name: 'About' }).click();
	await expect(alice.page.getByTestId('app-version')).toHaveText('0.0.0-e2e');
	await checkScreen(alice.page, testInfo, 'about');
});

test('phone numbers, unknown installations, declined calls and bad dial strings end in words', async ({
	sandbox,
	launch,
}, testInfo) => {
	test.setTimeout(120_000);
	const bob = await launch('Bob desktop');
	await onboard(bob.page, sandbox.apiKey, { name: 'Bob', number: null });
	const alice = await launch('Alice laptop');
	await onboard(alice.page, sandbox.apiKey, { name: 'Alice', number: '+13125550142' });
	const bobUser = sandbox.admin.sessions().find(
		(s) =>
			s.loggedInAt ===
			sandbox.admin
				.sessions()
				.map((x) => x.loggedInAt)
				.sort()[0],
	)!.sipUsername;
	sandbox.admin.setPhone('+13125550199', bobUser);
	sandbox.admin.setPhone('+33123456789', bobUser);
	const dial = async (text: string) => {
		await alice.page.getByLabel('Number, SIP address or installation').fill(text);
		await alice.page.getByRole('button', { name: 'Call', exact: true }).click();
	};
	const close = async () => alice.page.getByRole('button', { name: 'Close' }).click();

	// A bad dial string is explained and never reaches the SDK (no invite at the sandbox).
	const invites = () => sandbox.admin.calls().length;
	const before = invites();
	await dial('+1 (312) 555-01$2');
	await expect(alice.page.getByRole('alert')).toHaveText(/digits, spaces and \+ - \. \( \) only/);
	await dial('sip:bob@example.com?Call-Info=<http://evil>');
	await expect(alice.page.getByRole('alert')).toHaveText(/headers/);
	expect(invites()).toBe(before);
	await checkScreen(alice.page, testInfo, 'dial error');

	// A US number (allowed by the profile) rings the phone behind it, with Alice's caller ID.
	await dial('(312) 555-0199');
	const incoming = bob.page.getByRole('alertdialog');
	await expect(incoming).toContainText('+13125550142');
	await incoming.getByRole('button', { name: 'Answer' }).first().click();
	await expect(phase(alice.page)).toHaveText('In call');
	expect(sandbox.admin.calls().at(-1)).toMatchObject({
		to: '+13125550199',
		destinationKind: 'pstn',
	});
	await alice.page.getByRole('button', { name: 'Hang up' }).click();
	await expect(phase(bob.page)).toHaveText('The other side hung up.');
	await close();

	// A French number is not allowed by the profile (it allows the account's numbers' countries: US, GB).
	await dial('+33 1 23 45 67 89');
	await expect(phase(alice.page)).toHaveText(/Calls to that country are not allowed/);
	await close();

	// An installation that does not exist.
	await dial('sip:gencrednobodyhere@sip.telnyx.com');
	await expect(phase(alice.page)).toHaveText(/^Not found/);
	await close();

	// Bob declines: Alice hears busy.
	await alice.page.getByRole('button', { name: 'Call Bob desktop', exact: true }).click();
	await bob.page.getByRole('alertdialog').getByRole('button', { name: 'Decline' }).click();
	await expect(phase(alice.page)).toHaveText(/^Busy/);
	await checkScreen(alice.page, testInfo, 'call ended');
});

test('a token renewed during a call keeps the call up and the client registered', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(120_000);
	// Short tokens: main renews at half their life; the first one expires during the call.
	sandbox.admin.setTokenLifetime(24);
	const bob = await launch('Bob desktop');
	await onboard(bob.page, sandbox.apiKey, { name: 'Bob', number: null });
	const alice = await launch('Alice laptop');
	await onboard(alice.page, sandbox.apiKey, { name: 'Alice', number: null });
	const expiries = () => sandbox.admin.sessions().map((s) => s.tokenExpiresAt);
	const firstExpiries = expiries();

	await alice.page.getByRole('button', { name: 'Call Bob desktop', exact: true }).click();
	await bob.page.getByRole('alertdialog').getByRole('button', { name: 'Answer' }).first().click();
	await expect(phase(alice.page)).toHaveText('In call');

	// Both sessions log in again on their live sockets with new tokens…
	await expect
		.poll(() => expiries().every((expiry, i) => expiry !== null && expiry !== firstExpiries[i]), {
			timeout: 30_000,
		})
		.toBe(true);
	// …and the call outlives the first tokens, with both still registered.
	const firstExpiry = Math.max(...firstExpiries.map((e) => Date.parse(e ?? '')));
	await alice.page.waitForTimeout(Math.max(0, firstExpiry + 2000 - Date.now()));
	await expect(phase(alice.page)).toHaveText('In call');
	await expect(phase(bob.page)).toHaveText('In call');
	await expect(alice.page.getByTestId('connection-status')).toHaveText('Ready');
	expect(sandbox.admin.sessions().every((s) => s.connected)).toBe(true);
	expect(sandbox.admin.calls().at(-1)?.state).toBe('active');
	await alice.page.getByRole('button', { name: 'Hang up' }).click();
});
