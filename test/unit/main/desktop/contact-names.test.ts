/**
 * Names from the address book in what main shows on the desktop: notifications and the tray. The names go
 * through the same display-text sanitising as any caller text (a contact may come from an imported file).
 */
import { describe, expect, it } from 'vitest';
import { DesktopService } from '../../../../main/desktop/desktop-service';
import type { NotificationContent } from '../../../../main/desktop/notifications';
import { buildTrayTemplate } from '../../../../main/desktop/tray';
import { defaultSettings } from '../../../../main/settings/settings-file';
import {
	findContact,
	type CallHistoryEntry,
	type Contact,
	type DesktopState,
	type PhoneReport,
} from '../../../../preload/contract';
import { recordingLogger } from '../../../support/recording-logger';
import { missedEntry, ringingCall, settingsInMemory } from './fixtures';

const BOOK: Contact[] = [
	{ id: 'a', name: 'Alice <b>Liddell</b>', phones: ['+13125550142'], sipAddresses: [], note: '' },
	{ id: 'b', name: 'Bob', phones: [], sipAddresses: ['sip:bob@sip.telnyx.com'], note: '' },
];

async function setup() {
	const settings = await settingsInMemory(defaultSettings('6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b'));
	const notifications: NotificationContent[] = [];
	const trays: DesktopState[] = [];
	const service = new DesktopService({
		settings,
		nameOf: (address) => findContact(BOOK, address)?.name ?? null,
		emit: () => {},
		ports: {
			updateTray: (state) => trays.push(state),
			notify: (content) => {
				notifications.push(content);
				return { close: () => {} };
			},
			raiseWindow: () => {},
			setInCall: () => {},
		},
		platform: 'linux',
		logger: recordingLogger(),
	});
	return { service, notifications, trays };
}

const ringing = (remote: string): PhoneReport => ({
	connection: 'registered',
	call: ringingCall(remote),
	installations: [],
	recent: [
		{ label: '+1 312 555 0142', destination: '+13125550142' },
		{ label: 'Stranger', destination: '+13125550199' },
	],
});

const missed = (remote: string, remoteName = ''): CallHistoryEntry =>
	missedEntry(remote, { id: 'h1', remoteName, endMessage: '' });

describe('contact names on the desktop', () => {
	it('names a known caller in the incoming-call notification, escaped for the markup body', async () => {
		const { service, notifications } = await setup();
		service.report(ringing('+1 (312) 555-0142'));
		expect(notifications[0]?.body).toBe('Alice &lt;b&gt;Liddell&lt;/b&gt;');
	});

	it('names a known caller in the missed-call notification, before the name they sent', async () => {
		const { service, notifications } = await setup();
		service.historyAdded(missed('bob', 'Spoofed Name'));
		service.historyAdded(missed('+13125550199', 'Sent Name'));
		expect(notifications.map((n) => n.body)).toStrictEqual(['Bob', 'Sent Name']);
	});

	it('names the caller and recent calls in the tray', async () => {
		const { service, trays } = await setup();
		service.report(ringing('+13125550142'));
		const state = trays.at(-1)!;
		expect(state.callerName).toBe('Alice <b>Liddell</b>');
		expect(state.recent.map((r) => r.label)).toStrictEqual(['Alice <b>Liddell</b>', 'Stranger']);
		const noop = () => {};
		const items = buildTrayTemplate(
			{ state, clipboard: null, startAtLogin: false },
			{
				answer: noop,
				decline: noop,
				hangup: noop,
				toggleMute: noop,
				toggleHold: noop,
				openDialer: noop,
				openWindow: noop,
				dial: noop,
				setDoNotDisturb: noop,
				setStartAtLogin: noop,
				testSetup: noop,
				saveSupportBundle: noop,
				quit: noop,
			},
		);
		expect(items[1]?.label).toBe('Alice <b>Liddell</b>');
	});

	it('leaves an unknown caller as the number', async () => {
		const { service, notifications, trays } = await setup();
		service.report(ringing('+13125550100'));
		expect(notifications[0]?.body).toBe('+13125550100');
		expect(trays.at(-1)?.callerName).toBeUndefined();
	});
});
