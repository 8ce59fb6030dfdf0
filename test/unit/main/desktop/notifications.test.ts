import { describe, expect, it } from 'vitest';
import type { CallHistoryEntry, EndReasonKind } from '../../../../preload/contract';
import {
	TRAY_NOTICE,
	incomingCallNotification,
	isMissed,
	missedCallNotification,
	supportsActions,
} from '../../../../main/desktop/notifications';
import { NOTIFICATION_TEXT_MAX } from '../../../../main/desktop/display-text';
import { missedEntry, ringingCall, type Call } from './fixtures';

const ringing: Call = ringingCall('Ada Lovelace');

const entry = (overrides: Partial<CallHistoryEntry> = {}): CallHistoryEntry =>
	missedEntry('+13125550142', { remoteName: 'Ada Lovelace', ...overrides });

describe('supportsActions', () => {
	it('is true on macOS only (Answer/Decline buttons on the notification)', () => {
		expect(supportsActions('darwin')).toBe(true);
		for (const platform of ['linux', 'win32', 'freebsd', ''])
			expect(supportsActions(platform)).toBe(false);
	});
});

describe('incomingCallNotification', () => {
	it('on macOS: Answer and Decline buttons, in that order (index 0 answers)', () => {
		expect(incomingCallNotification(ringing, 'darwin')).toStrictEqual({
			title: 'Incoming call',
			body: 'Ada Lovelace',
			actions: ['Answer', 'Decline'],
			silent: true,
			urgency: 'critical',
		});
	});

	it.each(['linux', 'win32'])('on %s: no buttons (a click raises the window)', (platform) => {
		expect(incomingCallNotification(ringing, platform)).toStrictEqual({
			title: 'Incoming call',
			body: 'Ada Lovelace',
			actions: [],
			silent: true,
			urgency: 'critical',
		});
	});

	it('says when the call is a video call', () => {
		expect(incomingCallNotification({ ...ringing, video: true }, 'linux').title).toBe(
			'Incoming video call',
		);
	});

	it('names an unknown caller in words rather than leaving the body empty', () => {
		expect(incomingCallNotification({ ...ringing, remote: '' }, 'linux').body).toBe(
			'Unknown caller',
		);
	});

	it('names the caller by their contact name, else the name they sent, else their address', () => {
		const call = { ...ringing, remote: '+13125550142', remoteName: 'ADA L' };
		expect(incomingCallNotification(call, 'linux', 'Ada Lovelace').body).toBe('Ada Lovelace');
		expect(incomingCallNotification(call, 'linux').body).toBe('ADA L');
		expect(incomingCallNotification({ ...call, remoteName: '' }, 'linux').body).toBe(
			'+13125550142',
		);
	});

	it('is silent: the app rings on the chosen ringer device itself', () => {
		expect(incomingCallNotification(ringing, 'darwin').silent).toBe(true);
	});
});

describe('missedCallNotification', () => {
	it('names the caller by name, else number, else in words', () => {
		expect(missedCallNotification(entry(), 'linux')).toStrictEqual({
			title: 'Missed call',
			body: 'Ada Lovelace',
			actions: [],
			silent: false,
			urgency: 'normal',
		});
		expect(missedCallNotification(entry({ remoteName: '' }), 'linux').body).toBe('+13125550142');
		expect(missedCallNotification(entry({ remoteName: '', remote: '' }), 'linux').body).toBe(
			'Unknown caller',
		);
	});

	it('says a call was rejected by do not disturb', () => {
		expect(
			missedCallNotification(entry({ endReason: 'dnd', endMessage: 'Rejected.' }), 'linux'),
		).toMatchObject({ title: 'Call rejected (Do not disturb)', body: 'Ada Lovelace', actions: [] });
	});
});

/**
 * Names a caller controls, and what each platform's notification body must say for them: escaped where
 * the body is markup (Linux: libnotify), literal where it is not (macOS, Windows).
 */
const HOSTILE_NAMES: readonly {
	readonly name: string;
	readonly linux: string;
	readonly literal: string;
}[] = [
	{
		name: '<a href="https://evil.example">Bank</a>',
		linux: '&lt;a href="https://evil.example"&gt;Bank&lt;/a&gt;',
		literal: '<a href="https://evil.example">Bank</a>',
	},
	{
		name: '<b>IT Support</b>',
		linux: '&lt;b&gt;IT Support&lt;/b&gt;',
		literal: '<b>IT Support</b>',
	},
	{ name: 'Tom & Jerry', linux: 'Tom &amp; Jerry', literal: 'Tom & Jerry' },
	{ name: '\u202Emoc.live', linux: 'moc.live', literal: 'moc.live' },
	{ name: 'A\u0000B', linux: 'AB', literal: 'AB' },
	{ name: 'line\nbreak', linux: 'line break', literal: 'line break' },
];
const PLATFORMS = ['linux', 'darwin', 'win32'] as const;
const expected = (platform: string, name: (typeof HOSTILE_NAMES)[number]) =>
	platform === 'linux' ? name.linux : name.literal;
const TITLES = [
	'Incoming call',
	'Incoming video call',
	'Missed call',
	'Call rejected (Do not disturb)',
];
const ONLY_CONTROLS = '\u0000\u202E\u200B\n\t\u0007\uFEFF';

describe('notifications with a hostile caller name', () => {
	describe.each(PLATFORMS)('on %s', (platform) => {
		it.each(HOSTILE_NAMES)('an incoming call from $name', (hostile) => {
			const content = incomingCallNotification({ ...ringing, remote: hostile.name }, platform);
			expect(content.body).toBe(expected(platform, hostile));
			expect(TITLES).toContain(content.title);
		});

		it.each(HOSTILE_NAMES)('a missed call from $name', (hostile) => {
			const named = missedCallNotification(entry({ remoteName: hostile.name }), platform);
			expect(named.body).toBe(expected(platform, hostile));
			// No name: the number (any text) is the caller's too.
			const numbered = missedCallNotification(
				entry({ remoteName: '', remote: hostile.name }),
				platform,
			);
			expect(numbered.body).toBe(expected(platform, hostile));
			for (const endReason of ['cancelled', 'dnd'] as const)
				expect(TITLES).toContain(
					missedCallNotification(entry({ remoteName: hostile.name, endReason }), platform).title,
				);
		});

		it('bounds a 10 000-character name', () => {
			const huge = 'A'.repeat(10_000);
			const incoming = incomingCallNotification({ ...ringing, remote: huge }, platform).body;
			const missed = missedCallNotification(entry({ remoteName: huge }), platform).body;
			for (const body of [incoming, missed]) {
				expect(body).toHaveLength(NOTIFICATION_TEXT_MAX);
				expect(body.endsWith('…')).toBe(true);
			}
		});

		it('calls a name made only of control characters an unknown caller', () => {
			expect(incomingCallNotification({ ...ringing, remote: ONLY_CONTROLS }, platform).body).toBe(
				'Unknown caller',
			);
			expect(
				missedCallNotification(
					entry({ remoteName: ONLY_CONTROLS, remote: ONLY_CONTROLS }),
					platform,
				).body,
			).toBe('Unknown caller');
		});

		it('falls back to the number when the name has nothing visible in it', () => {
			expect(missedCallNotification(entry({ remoteName: ONLY_CONTROLS }), platform).body).toBe(
				'+13125550142',
			);
		});
	});
});

describe('isMissed', () => {
	const notMissedInbound: EndReasonKind[] = ['declined'];
	const missedInbound: EndReasonKind[] = [
		'cancelled',
		'no-answer',
		'dnd',
		'network',
		'failed',
		'hangup-remote',
		'unavailable',
	];

	it.each(missedInbound)('counts an unanswered inbound call that ended %s', (endReason) => {
		expect(isMissed(entry({ endReason }))).toBe(true);
	});

	it.each(notMissedInbound)('does not count an inbound call the user %s', (endReason) => {
		expect(isMissed(entry({ endReason }))).toBe(false);
	});

	it('does not count an answered call, or any outbound call', () => {
		expect(
			isMissed(entry({ answered: true, durationSeconds: 42, endReason: 'hangup-remote' })),
		).toBe(false);
		expect(isMissed(entry({ direction: 'outbound', endReason: 'no-answer' }))).toBe(false);
		expect(isMissed(entry({ direction: 'outbound', endReason: 'busy' }))).toBe(false);
	});
});

describe('TRAY_NOTICE', () => {
	it('says the app is still running in the tray and how to quit', () => {
		expect(TRAY_NOTICE.title).toBe('Telnyx Softphone is still running');
		expect(TRAY_NOTICE.body).toMatch(/tray/);
		expect(TRAY_NOTICE.body).toMatch(/Quit/);
		expect(TRAY_NOTICE.actions).toStrictEqual([]);
		expect(TRAY_NOTICE.silent).toBe(true);
	});
});
