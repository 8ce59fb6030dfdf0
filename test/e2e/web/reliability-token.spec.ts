/**
 * The login token under time and faults, with the real app and SDK (issue 16: W8, W9). Main mints 24-hour
 * JWTs and renews them hours before expiry; the SDK warns (34001) only when less than 120 s are left. So the
 * SDK's warning reaches a user only when main's renewal ran late — after a sleep, when Node's timers, which
 * count only the time the computer was awake, fire hours after the clock said — or failed.
 *
 * The sandbox mints short tokens here (`setTokenLifetime`) and closes a socket when its token expires, as
 * Telnyx's signalling (FreeSWITCH's mod_verto) does. A sleep is modelled on main alone: its renewal timer is
 * stopped (it "has not fired") and its clock moved ahead (`launch(…, { clock })`), while the SDK's and the
 * sandbox's clocks stay true — a real sleep moves every clock, so the clock is put back once main has acted.
 */
import { expect, type Page } from '@playwright/test';
import type { Sandbox } from '../../sandbox/sandbox';
import type { AppInstance } from '../support/app-harness';
import { sandboxTest } from '../support/fixtures';
import { expectAudioArriving, onboard, PEER_CONNECTION_SPY } from '../support/softphone-helpers';

const test = sandboxTest({ initScripts: [PEER_CONNECTION_SPY] });

const status = (page: Page) => page.getByTestId('connection-status');
const phase = (page: Page) => page.getByTestId('call-phase');

const sipUsernameOf = (app: AppInstance) => {
	const provisioned = app.services.settings.get().provisioned;
	if (provisioned === null) throw new Error('not provisioned');
	return provisioned.sipUsername;
};

/** The sandbox's live session for a user (one socket, one login): its socket and its token's expiry. */
function liveSession(sandbox: Sandbox, sipUsername: string) {
	const live = sandbox.admin.sessions().filter((s) => s.sipUsername === sipUsername && s.connected);
	expect(live, `live sessions of ${sipUsername}`).toHaveLength(1);
	return live[0]!;
}

/** `login` frames the sandbox received (from any socket) since `since`. */
const loginsSince = (sandbox: Sandbox, since: number) =>
	sandbox.admin
		.frames()
		.filter((f) => f.direction === 'in' && f.method === 'login' && Date.parse(f.time) >= since);

/** Token requests main sent to Telnyx (`POST /telephony_credentials/{id}/token`). */
const mints = (sandbox: Sandbox) =>
	sandbox.admin.requests().filter((r) => r.method === 'POST' && /\/token$/.test(r.path)).length;

const tokenRequests = (app: AppInstance) =>
	app.ipc.calls.filter((channel) => channel === 'telnyx:getLoginToken').length;

function report(name: string, facts: Record<string, unknown>): void {
	const description = Object.entries(facts)
		.map(([key, value]) => `${key} ${String(value)}`)
		.join('; ');
	test.info().annotations.push({ type: name, description });
	console.log(`[reliability-token] ${name}: ${description}`);
}

test('W8: the SDK warns the token is about to expire (34001) while main’s renewal is late: the app gets a new token from main and signs in again on the same socket', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(90_000);
	sandbox.admin.setSignalling({ credentialPropagationMs: 0 });
	// 150 s tokens: the SDK warns 120 s before expiry, 30 s after sign-in; main would renew at 75 s.
	sandbox.admin.setTokenLifetime(150);
	let ahead = 0;
	const app = await launch('Alice laptop', { clock: () => Date.now() + ahead });
	await onboard(app.page, sandbox.apiKey, { name: 'Alice', number: null });
	const user = sipUsernameOf(app);
	const first = liveSession(sandbox, user);
	const firstExpiry = Date.parse(first.tokenExpiresAt!);

	// As after a sleep: main's renewal timer has not fired, though by main's clock renewal is due.
	app.services.account.tokens.stop();
	ahead = 60_000;
	const mintsBefore = mints(sandbox);
	const requestsBefore = tokenRequests(app);
	const since = Date.now();

	// The SDK warns at expiry − 120 s; the app asks main, main mints, the SDK logs in on its open socket.
	await expect
		.poll(() => liveSession(sandbox, user).tokenExpiresAt, { timeout: 45_000 })
		.not.toBe(first.tokenExpiresAt);
	const renewedAt = Date.now();
	ahead = 0;
	const renewed = liveSession(sandbox, user);
	expect(renewed.sessid, 'the same session').toBe(first.sessid);
	expect(tokenRequests(app)).toBeGreaterThan(requestsBefore);
	expect(mints(sandbox)).toBe(mintsBefore + 1);
	const logins = loginsSince(sandbox, since);
	expect(logins, 'one new login, on the socket already open').toHaveLength(1);
	expect(logins[0]!.client).toBe(
		sandbox.admin
			.frames()
			.find((f) => f.direction === 'in' && f.method === 'login' && Date.parse(f.time) < since)!
			.client,
	);
	// It answered the warning (due at expiry − 120 s), not a timer of main's (stopped).
	const warningDue = firstExpiry - 120_000;
	expect(renewedAt - warningDue).toBeLessThan(10_000);
	expect(Date.parse(renewed.tokenExpiresAt!)).toBeGreaterThan(firstExpiry);
	await expect(status(app.page)).toHaveText('Ready');
	report('W8 warning', {
		'renewed after the warning was due (ms)': renewedAt - warningDue,
		'token requests from the page': tokenRequests(app) - requestsBefore,
	});
});

test('W8: a wake-up after a sleep past the renewal time renews the token at once, on the live socket, and the call stays up', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(120_000);
	sandbox.admin.setSignalling({ credentialPropagationMs: 0 });
	// 10-minute tokens: main renews at half life (5 min), the SDK warns at 8 min.
	sandbox.admin.setTokenLifetime(600);
	const bob = await launch('Bob desktop');
	await onboard(bob.page, sandbox.apiKey, { name: 'Bob', number: null });
	let ahead = 0;
	const alice = await launch('Alice laptop', { clock: () => Date.now() + ahead });
	await onboard(alice.page, sandbox.apiKey, { name: 'Alice', number: null });
	const user = sipUsernameOf(alice);
	const first = liveSession(sandbox, user);

	await alice.page.getByRole('button', { name: 'Call Bob desktop', exact: true }).click();
	await bob.page.getByRole('button', { name: 'Answer', exact: true }).click();
	await expect(phase(alice.page)).toHaveText('In call');
	await expect(phase(bob.page)).toHaveText('In call');
	await expectAudioArriving(alice.page, 'Alice');

	// 5 min 20 s asleep, by main's clock: renewal was due 20 s ago, and its timer has 5 min still to wait.
	ahead = 320_000;
	const since = Date.now();
	alice.services.resume();
	ahead = 0;
	await expect
		.poll(() => liveSession(sandbox, user).tokenExpiresAt, { timeout: 5_000 })
		.not.toBe(first.tokenExpiresAt);
	const renewedMs = Date.now() - since;
	expect(liveSession(sandbox, user).sessid, 'the same session').toBe(first.sessid);
	expect(loginsSince(sandbox, since), 'one login, on the open socket').toHaveLength(1);

	// The call never noticed.
	await expect(phase(alice.page)).toHaveText('In call');
	await expect(phase(bob.page)).toHaveText('In call');
	await expectAudioArriving(alice.page, 'Alice');
	await expectAudioArriving(bob.page, 'Bob');
	await expect(status(alice.page)).toHaveText('Ready');
	report('W8 wake-up', { 'renewed after the wake-up (ms)': renewedMs });
});

test('W9: renewal keeps failing: the user is warned with time left, the token expires, the sign-in fails once in words without looping, and Reconnect works once Telnyx answers again', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(150_000);
	sandbox.admin.setSignalling({ credentialPropagationMs: 0 });
	// 75 s tokens: main renews at half life (37.5 s), retries 15 s later, then gives up at expiry.
	sandbox.admin.setTokenLifetime(75);
	const app = await launch('Alice laptop');
	await onboard(app.page, sandbox.apiKey, { name: 'Alice', number: null });
	const page = app.page;
	const user = sipUsernameOf(app);
	const expiry = Date.parse(liveSession(sandbox, user).tokenExpiresAt!);
	// Telnyx's token endpoint answers 500 from now on.
	sandbox.admin.addRestFault({
		method: 'POST',
		path: '/telephony_credentials/*/token',
		kind: 'status',
		status: 500,
		times: 1000,
	});
	const mintsBefore = mints(sandbox);

	// The SDK warned at once (less than 120 s left) and the page asked main, but renewal was not due: the
	// page cannot make main mint.
	await expect.poll(() => tokenRequests(app)).toBeGreaterThan(1);
	expect(mints(sandbox)).toBe(mintsBefore);

	// Main's renewal fails: the user is told, in words, with the minutes left.
	const warning = page
		.locator('.notices .notice span')
		.filter({ hasText: /could not renew its Telnyx sign-in .* Calls stop working in about 1 min/ });
	await expect(warning.first()).toBeVisible({ timeout: 45_000 });
	await expect(status(page)).toHaveText('Ready');

	// Expiry: Telnyx closes the socket; the SDK's sign-in with the expired token is refused; the app asks main
	// once more for a token, which main cannot get, and says why in Telnyx's terms, and stops.
	await expect(status(page)).not.toHaveText('Ready', { timeout: expiry - Date.now() + 10_000 });
	await expect(status(page)).toHaveText(/Telnyx had a problem \(HTTP 500\)/, { timeout: 20_000 });
	await expect(page.getByRole('button', { name: 'Reconnect' })).toBeVisible();
	const failedWith = (await status(page).textContent()) ?? '';
	const settledAt = Date.now();
	await page.waitForTimeout(10_000);
	const loginsWhileFailed = loginsSince(sandbox, settledAt).length;
	expect(loginsWhileFailed, 'no sign-in loop').toBe(0);
	const attempts = mints(sandbox) - mintsBefore;
	await expect(status(page)).toHaveText(failedWith);
	// The key never reached the page.
	expect(await page.content()).not.toContain(sandbox.apiKey);

	// Telnyx answers again: Reconnect gets a new token and the line is Ready.
	sandbox.admin.clearFaults();
	sandbox.admin.setTokenLifetime(null);
	await page.getByRole('button', { name: 'Reconnect' }).click();
	await expect(status(page)).toHaveText('Ready', { timeout: 15_000 });
	report('W9 renewal failing', {
		'status after expiry': JSON.stringify(failedWith),
		'mint attempts while failing': attempts,
		'logins in 10 s after failing': loginsWhileFailed,
	});
});
