/**
 * Desktop integration end to end, with main's desktop service in the test process and recording stand-ins
 * for the tray and notifications: a link reaches the renderer as a prefilled dial; do-not-disturb rejects a
 * call (busy at the caller, missed at the callee); a wake-up finds a dropped socket and registers again.
 */
import { test as base, expect } from '@playwright/test';
import type { DesktopState } from '../../../preload/contract';
import type { DesktopPorts } from '../../../main/desktop/desktop-service';
import type { NotificationContent } from '../../../main/desktop/notifications';
import { launchApp, type AppInstance } from '../support/app-harness';
import { onboard } from '../support/softphone-helpers';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';

interface Recorded {
	readonly trays: DesktopState[];
	readonly notifications: NotificationContent[];
	readonly raised: number[];
}

interface Instance {
	readonly app: AppInstance;
	readonly desktop: Recorded;
}

const test = base.extend<{ sandbox: Sandbox; launch: (deviceName: string) => Promise<Instance> }>({
	// eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as a destructured object.
	sandbox: async ({}, use) => {
		const sandbox = await startSandbox();
		await use(sandbox);
		await sandbox.close();
	},
	launch: async ({ browser, sandbox }, use) => {
		const apps: AppInstance[] = [];
		await use(async (deviceName) => {
			const recorded: Recorded = { trays: [], notifications: [], raised: [] };
			const ports: DesktopPorts = {
				updateTray: (state) => recorded.trays.push(state),
				notify: (content) => recorded.notifications.push(content),
				raiseWindow: () => recorded.raised.push(Date.now()),
				setInCall: () => {},
			};
			const app = await launchApp(browser, {
				endpoints: { restBaseUrl: sandbox.restBaseUrl, signallingUrl: sandbox.signallingUrl },
				deviceName,
				desktop: ports,
			});
			apps.push(app);
			return { app, desktop: recorded };
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
	const bob = await launch('Bob desktop');
	await onboard(bob.app.page, sandbox.apiKey, { name: 'Bob', number: null });
	const alice = await launch('Alice laptop');
	await onboard(alice.app.page, sandbox.apiKey, { name: 'Alice', number: null });

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
	const bob = await launch('Bob desktop');
	await onboard(bob.app.page, sandbox.apiKey, { name: 'Bob', number: null });
	const alice = await launch('Alice laptop');
	await onboard(alice.app.page, sandbox.apiKey, { name: 'Alice', number: null });
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
	app.services.desktop.resume();
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
