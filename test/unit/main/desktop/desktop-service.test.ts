import { describe, expect, it } from 'vitest';
import type {
	CallHistoryEntry,
	DesktopState,
	EventMap,
	PhoneReport,
	Settings,
} from '../../../../preload/contract';
import { DesktopService, type DesktopPorts } from '../../../../main/desktop/desktop-service';
import type { NotificationContent } from '../../../../main/desktop/notifications';
import { defaultSettings } from '../../../../main/settings/settings-file';
import { recordingLogger } from '../../../support/recording-logger';
import { type Call, missedEntry, ringingCall, settingsInMemory } from './fixtures';

type Emitted = { [E in keyof EventMap]: [E, ...EventMap[E]] }[keyof EventMap];

const INSTALL_ID = '6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b';
const defaults: Settings = defaultSettings(INSTALL_ID);

const IDLE: PhoneReport = {
	connection: 'registered',
	call: null,
	installations: [{ name: 'Kitchen Laptop' }],
	recent: [{ label: 'Ada', destination: '+13125550142' }],
};
const call = (overrides: Partial<Call> = {}): Call => ringingCall('+442071838750', overrides);
const withCall = (overrides: Partial<Call> = {}): PhoneReport => ({
	...IDLE,
	call: call(overrides),
});

const missed = (overrides: Partial<CallHistoryEntry> = {}): CallHistoryEntry =>
	missedEntry('+442071838750', { id: 'c1', remoteName: 'Grace', ...overrides });

/** Ports that record what the service did to the desktop, in order. */
function recordingPorts() {
	const log: string[] = [];
	const trays: DesktopState[] = [];
	const notifications: {
		content: NotificationContent;
		onAction: (a: number | 'click') => void;
		onClosed: () => void;
		closed: boolean;
	}[] = [];
	const inCall: boolean[] = [];
	const ports: DesktopPorts = {
		updateTray: (state) => {
			log.push('tray');
			trays.push(state);
		},
		notify: (content, events) => {
			log.push(`notify:${content.title}`);
			const shown = { content, ...events, closed: false };
			notifications.push(shown);
			return {
				close: () => {
					shown.closed = true;
					events.onClosed();
				},
			};
		},
		raiseWindow: () => log.push('raise'),
		setInCall: (value) => {
			log.push(`inCall:${String(value)}`);
			inCall.push(value);
		},
	};
	return { ports, log, trays, notifications, inCall };
}

async function setup({
	platform = 'linux',
	ui = {},
}: { platform?: string; ui?: Partial<Settings['ui']> } = {}) {
	const settings = await settingsInMemory({ ...defaults, ui: { ...defaults.ui, ...ui } });
	const emitted: Emitted[] = [];
	const emit = <E extends keyof EventMap>(event: E, ...payload: EventMap[E]) => {
		emitted.push([event, ...payload] as unknown as Emitted);
	};
	const recorded = recordingPorts();
	const logger = recordingLogger();
	const service = new DesktopService({ settings, emit, ports: recorded.ports, platform, logger });
	return { service, settings, emitted, logger, ...recorded };
}

describe('DesktopService: state', () => {
	it('starts as not set up, with do-not-disturb from the settings and no missed calls', async () => {
		const { service } = await setup();
		expect(service.state()).toStrictEqual({
			connection: 'setup',
			call: null,
			installations: [],
			recent: [],
			doNotDisturb: false,
			missedCalls: 0,
		});
		const dnd = await setup({ ui: { doNotDisturb: true } });
		expect(dnd.service.state().doNotDisturb).toBe(true);
	});

	it('keeps what the renderer reports and redraws the tray with it', async () => {
		const { service, trays } = await setup();
		service.report(IDLE);
		expect(service.state()).toStrictEqual({ ...IDLE, doNotDisturb: false, missedCalls: 0 });
		expect(trays).toStrictEqual([service.state()]);
	});
});

describe('DesktopService: report', () => {
	it('announces a newly ringing inbound call (no buttons on Linux) and raises the window', async () => {
		const { service, log, notifications } = await setup({ platform: 'linux' });
		service.report(IDLE);
		log.length = 0;
		service.report(withCall({ remote: 'Grace Hopper' }));
		expect(log).toStrictEqual(['notify:Incoming call', 'raise', 'inCall:false', 'tray']);
		expect(notifications[0]?.content).toStrictEqual({
			title: 'Incoming call',
			body: 'Grace Hopper',
			actions: [],
			silent: true,
			urgency: 'critical',
		});
	});

	it('on macOS, offers Answer and Decline on the notification instead of raising the window', async () => {
		const { service, log, notifications } = await setup({ platform: 'darwin' });
		service.report(withCall({ video: true }));
		expect(log).toStrictEqual(['notify:Incoming video call', 'inCall:false', 'tray']);
		expect(notifications[0]?.content.actions).toStrictEqual(['Answer', 'Decline']);
	});

	it('announces a ringing call once, however many reports repeat it', async () => {
		const { service, notifications, log } = await setup();
		service.report(withCall());
		service.report(withCall());
		service.report({ ...withCall(), connection: 'reconnecting' });
		expect(notifications).toHaveLength(1);
		expect(log.filter((l) => l === 'raise')).toHaveLength(1);
	});

	it('does not announce outbound calls, answered calls, or nothing at all', async () => {
		const { service, notifications, log } = await setup();
		service.report(IDLE);
		service.report(withCall({ direction: 'outbound', phase: 'calling' }));
		service.report(withCall({ direction: 'outbound', phase: 'ringing' }));
		service.report(withCall({ phase: 'active' }));
		service.report(withCall({ phase: 'held', held: true }));
		service.report(IDLE);
		expect(notifications).toStrictEqual([]);
		expect(log).not.toContain('raise');
	});

	it('announces a call that rings in during another call, and again after a ringing call was answered', async () => {
		const { service, notifications } = await setup();
		service.report(withCall({ direction: 'outbound', phase: 'active', remote: 'Ada' }));
		service.report(withCall({ remote: 'Grace' }));
		expect(notifications.map((n) => n.content.body)).toStrictEqual(['Grace']);
		service.report(withCall({ phase: 'active', remote: 'Grace' }));
		service.report(withCall({ remote: 'Linus' }));
		expect(notifications.map((n) => n.content.body)).toStrictEqual(['Grace', 'Linus']);
	});

	it('turns the notification’s buttons and click into commands or a raised window', async () => {
		const { service, notifications, emitted, log } = await setup({ platform: 'darwin' });
		service.report(withCall());
		const { onAction } = notifications[0]!;
		log.length = 0;
		onAction(0);
		onAction(1);
		expect(emitted).toStrictEqual([
			['app:command', 'answer', 'call-1'],
			['app:command', 'decline', 'call-1'],
		]);
		expect(log).toStrictEqual([]);
		onAction('click');
		expect(log).toStrictEqual(['raise']);
		expect(emitted).toHaveLength(2);
	});

	it('keeps the app from suspending exactly while a call is up (not while it only rings)', async () => {
		const { service, inCall } = await setup();
		service.report(IDLE);
		service.report(withCall());
		service.report(withCall({ phase: 'active' }));
		service.report(withCall({ phase: 'held', held: true }));
		service.report(withCall({ direction: 'outbound', phase: 'calling' }));
		service.report(IDLE);
		expect(inCall).toStrictEqual([false, false, true, true, true, false]);
	});
});

describe('DesktopService: links and dialling', () => {
	it('prefills the dialer with a valid link and raises the window (links do not dial by default)', async () => {
		const { service, emitted, log } = await setup();
		expect(service.handleLink('tel:%2B1-312-555-0199;phone-context=example.com')).toStrictEqual({
			ok: true,
			destination: '+13125550199',
		});
		expect(emitted).toStrictEqual([
			['app:dial', { destination: '+13125550199', video: false, now: false }],
		]);
		expect(log).toStrictEqual(['raise']);
	});

	it('dials a link at once when the user chose so', async () => {
		const { service, emitted } = await setup({ ui: { dialLinksImmediately: true } });
		service.handleLink('sip:bob@example.com');
		expect(emitted).toStrictEqual([
			['app:dial', { destination: 'sip:bob@example.com', video: false, now: true }],
		]);
	});

	it('follows the setting as it changes', async () => {
		const { service, settings, emitted } = await setup();
		await settings.update({ ui: { dialLinksImmediately: true } });
		service.handleLink('callto:+13125550142');
		await settings.update({ ui: { dialLinksImmediately: false } });
		service.handleLink('callto:+13125550142');
		expect(emitted.map((e) => e[0] === 'app:dial' && e[1].now)).toStrictEqual([true, false]);
	});

	it.each([
		'sip:bob@example.com?Call-Info=<http://evil>',
		`tel:${'1'.repeat(600)}`,
		'tel:+1312555%000142',
		'https://evil.example/',
	])('refuses %s: emits nothing, raises nothing, logs why', async (url) => {
		const { service, emitted, log, logger } = await setup({ ui: { dialLinksImmediately: true } });
		const result = service.handleLink(url);
		expect(result.ok).toBe(false);
		expect(emitted).toStrictEqual([]);
		expect(log).toStrictEqual([]);
		expect(logger.entries).toStrictEqual([
			{ level: 'warn', event: 'link.refused', fields: { reason: result.ok ? '' : result.reason } },
		]);
		// The link itself is not logged (it may hold anything).
		expect(logger.dump()).not.toContain('evil');
	});

	it('passes a dial request from the tray or the compact dialer on as it is', async () => {
		const { service, emitted, log } = await setup();
		service.dial({ destination: 'Kitchen Laptop', video: true, now: true });
		expect(emitted).toStrictEqual([
			['app:dial', { destination: 'Kitchen Laptop', video: true, now: true }],
		]);
		expect(log).toStrictEqual(['raise']);
	});

	it('opens a view in the window and raises it (the tray’s Test my setup…)', async () => {
		const { service, emitted, log } = await setup();
		service.open('setup-test');
		expect(emitted).toStrictEqual([['app:open', 'setup-test']]);
		expect(log).toStrictEqual(['raise']);
	});
});

describe('DesktopService: commands and wake-ups', () => {
	it.each(['answer', 'decline', 'hangup', 'toggleMute', 'toggleHold'] as const)(
		'passes the %s command to the renderer',
		async (command) => {
			const { service, emitted } = await setup();
			service.command(command);
			expect(emitted).toStrictEqual([['app:command', command, null]]);
		},
	);

	it('asks the renderer to check its registration on resume', async () => {
		const { service, emitted } = await setup();
		service.resume();
		service.resume();
		expect(emitted).toStrictEqual([['app:checkConnection'], ['app:checkConnection']]);
	});
});

describe('DesktopService: missed calls', () => {
	it('counts a missed call, announces it, and shows it on the tray', async () => {
		const { service, notifications, trays } = await setup();
		service.historyAdded(missed());
		expect(service.state().missedCalls).toBe(1);
		expect(notifications.map((n) => n.content)).toStrictEqual([
			{ title: 'Missed call', body: 'Grace', actions: [], silent: false, urgency: 'normal' },
		]);
		expect(trays.at(-1)?.missedCalls).toBe(1);
		service.historyAdded(missed({ id: 'c2', endReason: 'dnd' }));
		expect(service.state().missedCalls).toBe(2);
		expect(notifications.at(-1)?.content.title).toBe('Call rejected (Do not disturb)');
		expect(trays.at(-1)?.missedCalls).toBe(2);
	});

	it.each([
		['linux', '&lt;b&gt;IT Support&lt;/b&gt; &amp; Co'],
		['darwin', '<b>IT Support</b> & Co'],
		['win32', '<b>IT Support</b> & Co'],
	])(
		'announces a hostile caller name as text on %s (escaped where the body is markup)',
		async (platform, body) => {
			const { service, notifications } = await setup({ platform });
			service.report(withCall({ remote: '\u202E<b>IT Support</b> & Co' }));
			service.report(IDLE);
			service.historyAdded(missed({ remoteName: '<b>IT Support</b>\u0000 & Co' }));
			expect(notifications.map((n) => n.content.body)).toStrictEqual([body, body]);
		},
	);

	it('raises the window when the missed-call notification is clicked', async () => {
		const { service, notifications, log } = await setup();
		service.historyAdded(missed());
		log.length = 0;
		notifications[0]!.onAction('click');
		expect(log).toStrictEqual(['raise']);
	});

	it.each([
		[
			'an answered call',
			missed({ answered: true, durationSeconds: 30, endReason: 'hangup-remote' }),
		],
		['a call the user declined', missed({ endReason: 'declined' })],
		['an outbound call nobody answered', missed({ direction: 'outbound', endReason: 'no-answer' })],
	])('does not count %s', async (_what, entry) => {
		const { service, notifications, trays } = await setup();
		service.historyAdded(entry);
		expect(service.state().missedCalls).toBe(0);
		expect(notifications).toStrictEqual([]);
		expect(trays).toStrictEqual([]);
	});

	it('clears the count when the user has seen them, and redraws the tray', async () => {
		const { service, trays } = await setup();
		service.historyAdded(missed());
		service.historyAdded(missed({ id: 'c2' }));
		service.markMissedSeen();
		expect(service.state().missedCalls).toBe(0);
		expect(trays.at(-1)?.missedCalls).toBe(0);
		service.historyAdded(missed({ id: 'c3' }));
		expect(service.state().missedCalls).toBe(1);
	});
});

describe('DesktopService: settings', () => {
	it('turns do not disturb on and off through the settings, and the tray follows', async () => {
		const { service, settings, trays } = await setup();
		await service.setDoNotDisturb(true);
		expect(settings.get().ui.doNotDisturb).toBe(true);
		expect(trays.at(-1)?.doNotDisturb).toBe(true);
		expect(service.state().doNotDisturb).toBe(true);
		await service.setDoNotDisturb(false);
		expect(trays.at(-1)?.doNotDisturb).toBe(false);
	});

	it('redraws the tray on any settings change, keeping the last report', async () => {
		const { service, settings, trays } = await setup();
		service.report(withCall({ phase: 'active' }));
		const before = trays.length;
		await settings.update({ ui: { doNotDisturb: true } });
		expect(trays).toHaveLength(before + 1);
		expect(trays.at(-1)).toStrictEqual({
			...withCall({ phase: 'active' }),
			doNotDisturb: true,
			missedCalls: 0,
		});
	});

	it('does not redraw for a refused settings change', async () => {
		const { settings, trays } = await setup();
		await settings.update({ shortcuts: { answer: 'A' } });
		expect(trays).toStrictEqual([]);
	});
});

describe('DesktopService: notifications are held and bound to their call', () => {
	it('holds every notification until it closes (fails on e0fc691: nothing held them)', async () => {
		const { service, notifications } = await setup({ platform: 'darwin' });
		service.historyAdded(missed());
		service.report(withCall());
		expect(service.notificationsShown()).toBe(2);
		notifications[0]!.onClosed();
		expect(service.notificationsShown()).toBe(1);
		notifications[1]!.onAction('click');
		expect(service.notificationsShown()).toBe(0);
	});

	it('closes an incoming-call notification when its call stops ringing', async () => {
		const { service, notifications } = await setup({ platform: 'darwin' });
		service.report(withCall());
		service.report(withCall({ phase: 'ringing' }));
		expect(notifications[0]!.closed).toBe(false);
		service.report(IDLE);
		expect(notifications[0]!.closed).toBe(true);
		expect(service.notificationsShown()).toBe(0);
	});

	it('a stale Answer answers no other call and says so (fails on e0fc691: it answered the call ringing now)', async () => {
		const { service, notifications, emitted, logger } = await setup({ platform: 'darwin' });
		service.report(withCall({ id: 'first' }));
		const stale = notifications[0]!;
		service.report(IDLE);
		service.report(withCall({ id: 'second', remote: '+13125550199' }));
		emitted.length = 0;
		stale.onAction(0);
		stale.onAction(1);
		expect(emitted).toStrictEqual([]);
		expect(notifications.map((n) => n.content.title)).toStrictEqual([
			'Incoming call',
			'Incoming call',
			'That call is no longer ringing',
			'That call is no longer ringing',
		]);
		expect(logger.entries.filter((entry) => entry.event === 'notification.stale')).toHaveLength(2);
		// The notification of the call ringing now still answers it.
		notifications[1]!.onAction(0);
		expect(emitted).toStrictEqual([['app:command', 'answer', 'second']]);
	});

	it('an answered call’s notification no longer answers or declines it', async () => {
		const { service, notifications, emitted } = await setup({ platform: 'darwin' });
		service.report(withCall());
		service.report(withCall({ phase: 'active' }));
		emitted.length = 0;
		notifications[0]!.onAction(1);
		expect(emitted).toStrictEqual([]);
	});

	it('announces a second call that rings straight after the first (fails on e0fc691: same phase, no notification)', async () => {
		const { service, notifications } = await setup({ platform: 'darwin' });
		service.report(withCall({ id: 'first' }));
		service.report(withCall({ id: 'second', remote: '+13125550199' }));
		expect(notifications.map((n) => n.content.body)).toStrictEqual([
			'+442071838750',
			'+13125550199',
		]);
		expect(notifications[0]!.closed).toBe(true);
		expect(notifications[1]!.closed).toBe(false);
	});

	it('knows whether a call is in progress (quitting asks first)', async () => {
		const { service } = await setup();
		expect(service.callInProgress()).toBe(false);
		service.report(withCall({ phase: 'calling', direction: 'outbound' }));
		expect(service.callInProgress()).toBe(true);
		service.report(IDLE);
		expect(service.callInProgress()).toBe(false);
	});
});
