/**
 * Calls to phone numbers need a caller-ID number of the account's own (Telnyx refuses them otherwise with
 * D35/D36), end to end through the built app against the default sandbox, where the caller-ID checks are on.
 * Without a number the dialer refuses in words before anything is sent (the sandbox sees no invite); once one
 * of the account's numbers is chosen in Settings, the same number rings the phone behind it, presenting it.
 */
import { expect, type Page } from '@playwright/test';
import { onboard } from '../support/softphone-helpers';
import { sandboxTest } from '../support/fixtures';

const test = sandboxTest();

/** The phone number dialled: Bob's installation is the phone behind it. */
const PHONE = '+13125550199';
/** Bought by Alice's account during the test. */
const ALICE_NUMBER = '+13125550177';
/** The dialer's words (renderer/src/lib/dial/destination.ts, CALLER_NUMBER_NEEDED). */
const NEEDED =
	/^Calls to phone numbers need a caller ID number, or Telnyx refuses them\. Choose one of your numbers in Settings → Caller ID\.$/;

const phase = (page: Page) => page.getByTestId('call-phase');

test('a phone number is refused before dialling without a caller-ID number, and rings the phone with one', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(120_000);
	const bob = await launch('Bob desktop');
	await onboard(bob.page, sandbox.apiKey, { name: 'Bob', number: null });
	const bobUser = sandbox.admin.sessions()[0]!.sipUsername;
	sandbox.admin.setPhone(PHONE, bobUser);

	// Alice's account has no numbers yet: her caller-ID step can finish without one.
	const other = sandbox.admin.createAccount();
	const alice = await launch('Alice laptop');
	await onboard(alice.page, other.apiKey, { name: 'Alice', number: null });
	const field = alice.page.getByLabel('Number, SIP address or installation');
	const call = alice.page.getByRole('button', { name: 'Call', exact: true });

	const invites = sandbox.admin.calls().length;
	await field.fill('+1 312 555 0199');
	// The dialer says so as soon as it knows (when it is handed the caller-ID number), else when Call is pressed.
	if (await call.isEnabled()) await call.click();
	const notice = alice.page.getByTestId('caller-id-needed');
	await expect(notice.locator('p').first()).toHaveText(NEEDED);
	await expect(phase(alice.page)).toHaveCount(0);
	expect(sandbox.admin.calls().length).toBe(invites);
	await expect(bob.page.getByRole('alertdialog')).toHaveCount(0);

	// The account gets a number; Settings → Caller ID offers it (and only it: no "None" any more).
	sandbox.admin.addPhoneNumber(ALICE_NUMBER, other.apiKey);
	await alice.page.getByRole('button', { name: 'Settings' }).click();
	const number = alice.page.getByLabel('Number', { exact: true });
	await expect(number).toBeEnabled();
	await expect(number).toHaveValue(ALICE_NUMBER);
	await expect(number.locator('option')).toHaveText([ALICE_NUMBER]);
	const save = alice.page.getByRole('button', { name: 'Save', exact: true });
	await save.click();
	await expect(save).toBeEnabled();
	await expect(alice.page.getByRole('alert')).toHaveCount(0);

	await alice.page.getByRole('button', { name: 'Phone' }).click();
	const incoming = bob.page.getByRole('alertdialog');
	// The settings reach the call store through main's event: dial again until the number is in use.
	await expect(async () => {
		await field.fill('+1 312 555 0199');
		await call.click();
		await expect(incoming).toBeVisible({ timeout: 3_000 });
	}).toPass({ timeout: 20_000 });
	await expect(incoming).toContainText(ALICE_NUMBER);
	await incoming.getByRole('button', { name: 'Answer' }).first().click();
	await expect(phase(alice.page)).toHaveText('In call');
	expect(sandbox.admin.calls().at(-1)).toMatchObject({
		from: ALICE_NUMBER,
		to: PHONE,
		destinationKind: 'pstn',
	});
	await alice.page.getByRole('button', { name: 'Hang up' }).click();
	await expect(phase(bob.page)).toHaveText('The other side hung up.');
});
