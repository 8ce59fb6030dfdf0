/**
 * The SDK's call-quality reports, end to end: the sandbox's REGED carries a `call_report_id` as Telnyx's
 * does, so the real SDK posts each call's report to the signalling host's `/call_report` — unless the user
 * turned "Send call-quality reports to Telnyx" off in Settings ▸ Privacy, which reaches the SDK before the
 * next call without reconnecting.
 */
import { expect, type Page } from '@playwright/test';
import type { Sandbox } from '../../sandbox/sandbox';
import type { AppInstance } from '../support/app-harness';
import { sandboxTest } from '../support/fixtures';
import { onboard } from '../support/softphone-helpers';

const test = sandboxTest();

async function callAndHangUp(
	sandbox: Sandbox,
	alice: AppInstance,
	bob: AppInstance,
): Promise<void> {
	const before = sandbox.admin.calls().length;
	await alice.page.getByRole('button', { name: 'Call Bob desk', exact: true }).click();
	await bob.page.getByRole('button', { name: 'Answer', exact: true }).click();
	await expect(alice.page.getByTestId('call-phase')).toHaveText('In call');
	await alice.page.getByRole('button', { name: 'Hang up' }).click();
	await expect.poll(() => sandbox.admin.calls()[before]?.hangup ?? null).not.toBeNull();
}

async function setReports(page: Page, on: boolean): Promise<void> {
	await page.getByRole('button', { name: 'Settings' }).click();
	const box = page.getByRole('checkbox', { name: 'Send call-quality reports to Telnyx' });
	if (on) await box.check();
	else await box.uncheck();
	await page.getByRole('button', { name: 'Phone' }).click();
}

test('call-quality reports reach Telnyx by default, and none leave once the user turns them off', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(120_000);
	const bob = await launch('Bob desk');
	await onboard(bob.page, sandbox.apiKey, { name: 'Bob', number: null });
	const alice = await launch('Alice desk');
	await onboard(alice.page, sandbox.apiKey, { name: 'Alice', number: null });
	// On, as the SDK has it: both sides post their report of the call.
	expect(alice.services.settings.get().ui.callReports).toBe(true);
	await callAndHangUp(sandbox, alice, bob);
	await expect
		.poll(() => sandbox.admin.callReports().length, { timeout: 15_000 })
		.toBeGreaterThan(0);
	const calls = sandbox.admin.calls();
	expect(sandbox.admin.callReports().every((report) => report.callReportId !== '')).toBe(true);
	expect(calls.length).toBe(1);

	// Off on both: the next call posts nothing, and the phones stayed registered (no reconnect).
	const logins = () =>
		sandbox.admin.frames().filter((f) => f.direction === 'in' && f.method === 'login').length;
	const loginsBefore = logins();
	await setReports(alice.page, false);
	await setReports(bob.page, false);
	await expect.poll(() => alice.services.settings.get().ui.callReports).toBe(false);
	await expect.poll(() => bob.services.settings.get().ui.callReports).toBe(false);
	const before = sandbox.admin.callReports().length;
	await callAndHangUp(sandbox, alice, bob);
	await alice.page.waitForTimeout(3_000);
	expect(sandbox.admin.callReports()).toHaveLength(before);
	expect(logins()).toBe(loginsBefore);
});
