import { describe, expect, it } from 'vitest';
import type { CallHistoryEntry, EndReasonKind, PhoneReport } from '../../../../preload/contract';
import {
	TRAY_NOTICE,
	incomingCallNotification,
	isMissed,
	missedCallNotification,
	supportsActions,
} from '../../../../main/desktop/notifications';

type Call = NonNullable<PhoneReport['call']>;

const ringing: Call = {
	remote: 'Ada Lovelace',
	phase: 'ringing',
	direction: 'inbound',
	muted: false,
	held: false,
	video: false,
};

const entry = (overrides: Partial<CallHistoryEntry> = {}): CallHistoryEntry => ({
	id: 'call-1',
	direction: 'inbound',
	remote: '+13125550142',
	remoteName: 'Ada Lovelace',
	video: false,
	startedAt: '2026-01-15T09:30:00.000Z',
	durationSeconds: 0,
	answered: false,
	endReason: 'cancelled',
	endMessage: 'The caller hung up before you answered.',
	...overrides,
});

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

	it('is silent: the app rings on the chosen ringer device itself', () => {
		expect(incomingCallNotification(ringing, 'darwin').silent).toBe(true);
	});
});

describe('missedCallNotification', () => {
	it('names the caller by name, else number, else in words', () => {
		expect(missedCallNotification(entry())).toStrictEqual({
			title: 'Missed call',
			body: 'Ada Lovelace',
			actions: [],
			silent: false,
			urgency: 'normal',
		});
		expect(missedCallNotification(entry({ remoteName: '' })).body).toBe('+13125550142');
		expect(missedCallNotification(entry({ remoteName: '', remote: '' })).body).toBe(
			'Unknown caller',
		);
	});

	it('says a call was rejected by do not disturb', () => {
		expect(
			missedCallNotification(entry({ endReason: 'dnd', endMessage: 'Rejected.' })),
		).toMatchObject({ title: 'Call rejected (Do not disturb)', body: 'Ada Lovelace', actions: [] });
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
