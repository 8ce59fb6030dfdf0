/**
 * Contacts end to end: a vCard file imported through the UI is parsed and kept by main, survives a restart
 * of the installation (same user-data folder, same keychain entry), and a call from a contact's number
 * shows the contact's name on the incoming-call screen, in the notification main raises, and in history.
 */
import { expect } from '@playwright/test';
import type { NotificationContent } from '../../../main/desktop/notifications';
import type { DesktopPorts } from '../../../main/desktop/desktop-service';
import { onboard } from '../support/softphone-helpers';
import { sandboxTest } from '../support/fixtures';

const test = sandboxTest();

/** What a phone's export looks like: 3.0 with a folded name and two numbers, 4.0 with tel: URIs, and a
 * card with no number at all (skipped, and said so). */
const VCARD = [
	'BEGIN:VCARD',
	'VERSION:3.0',
	'N:Liddell;Alice;;;',
	'FN:Alice',
	'  Liddell',
	'TEL;TYPE=CELL:+1 (312) 555-0142',
	'TEL;TYPE=HOME:+44 20 7946 0958',
	'END:VCARD',
	'BEGIN:VCARD',
	'VERSION:4.0',
	'FN:Grace Hopper',
	'TEL;VALUE=uri;TYPE=work:tel:+1-415-555-2671',
	'IMPP:sip:grace@example.com',
	'END:VCARD',
	'BEGIN:VCARD',
	'VERSION:3.0',
	'FN:Only Email',
	'EMAIL:only@example.com',
	'END:VCARD',
	'',
].join('\r\n');

function recordingDesktop(): { ports: DesktopPorts; notifications: NotificationContent[] } {
	const notifications: NotificationContent[] = [];
	return {
		notifications,
		ports: {
			updateTray: () => {},
			notify: (content) => {
				notifications.push(content);
				return { close: () => {} };
			},
			raiseWindow: () => {},
			setInCall: () => {},
		},
	};
}

test('a vCard import survives a restart, and a contact’s call shows their name', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(150_000);
	const first = await launch('Bob desktop');
	await onboard(first.page, sandbox.apiKey, { name: 'Bob', number: null });

	// Import through the UI: the page reads the file, main parses it and keeps the contacts.
	await first.page.getByRole('button', { name: 'Contacts', exact: true }).click();
	await first.page.getByLabel('vCard file').setInputFiles({
		name: 'contacts.vcf',
		mimeType: 'text/vcard',
		buffer: Buffer.from(VCARD),
	});
	const result = first.page.getByTestId('import-result');
	await expect(result).toContainText('Imported 2 contacts.');
	await expect(result).toContainText('Only Email — It has no phone number or SIP address.');
	await expect(first.page.getByTestId('contact')).toHaveText([/Alice Liddell/, /Grace Hopper/]);
	await expect(first.page.getByTestId('contact').first()).toContainText('+442079460958');

	// Restart: the same user-data folder and keychain entry; no onboarding, and the contacts are there.
	const userDataDir = first.userDataDir;
	await first.close({ keepUserData: true });
	const desktop = recordingDesktop();
	const bob = await launch('Bob desktop', { userDataDir, desktop: desktop.ports });
	await expect(bob.page.getByTestId('connection-status')).toHaveText('Ready');
	await bob.page.getByRole('button', { name: 'Contacts', exact: true }).click();
	await expect(bob.page.getByTestId('contact')).toHaveText([/Alice Liddell/, /Grace Hopper/]);

	// The dialer finds a contact as the user types.
	await bob.page.getByRole('button', { name: 'Phone', exact: true }).click();
	await bob.page.getByLabel('Number, SIP address or installation').fill('hopp');
	await expect(bob.page.getByTestId('dial-suggestions')).toContainText('Grace Hopper');
	await bob.page.getByLabel('Number, SIP address or installation').fill('');

	// Alice calls from the number in Bob's contacts (her caller ID) to a number that rings Bob.
	const alice = await launch('Alice laptop');
	await onboard(alice.page, sandbox.apiKey, { name: 'Alice', number: '+13125550142' });
	const bobUser = bob.services.settings.get().provisioned?.sipUsername;
	expect(bobUser).toBeDefined();
	sandbox.admin.setPhone('+13125550199', bobUser!);
	await alice.page.getByLabel('Number, SIP address or installation').fill('+1 312 555 0199');
	await alice.page.getByRole('button', { name: 'Call', exact: true }).click();

	const incoming = bob.page.getByRole('alertdialog');
	await expect(incoming.getByRole('heading')).toHaveText('Alice Liddell');
	await expect(incoming).toContainText('from +13125550142');
	await expect(incoming.getByRole('button', { name: 'Add to contacts' })).toHaveCount(0);
	expect(desktop.notifications.map((n) => n.body)).toContain('Alice Liddell');
	await incoming.getByRole('button', { name: 'Answer' }).first().click();
	await expect(alice.page.getByTestId('call-phase')).toHaveText('In call');
	await alice.page.getByRole('button', { name: 'Hang up' }).click();
	await expect(bob.page.getByTestId('call-phase')).toHaveText('The other side hung up.');

	await bob.page.getByRole('button', { name: 'History', exact: true }).click();
	const entry = bob.page.getByTestId('history-entry').first();
	await expect(entry).toContainText('Alice Liddell');
	await expect(entry.getByRole('button', { name: 'Call back Alice Liddell' })).toBeVisible();
});
