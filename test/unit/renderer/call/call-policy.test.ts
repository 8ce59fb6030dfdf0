import { describe, expect, it } from 'vitest';
import {
	declinedByDoNotDisturb,
	DND_END,
	extensionDue,
	historyEntry,
} from '../../../../renderer/src/lib/call/call-policy';
import type { CallPhase } from '../../../../renderer/src/lib/telephony/softphone';
import { callSnapshot, endReasonOf, FAKE_STARTED_AT } from '../../../fakes/fake-softphone';
import { qualitySample } from '../quality/samples';
import { summarise } from '../../../../renderer/src/lib/quality/quality-history';

describe('declinedByDoNotDisturb', () => {
	const ringingIn = callSnapshot({ direction: 'inbound', phase: 'ringing' });

	it('declines a call ringing in while do not disturb is on', () => {
		expect(declinedByDoNotDisturb(ringingIn, { doNotDisturb: true, shownRinging: false })).toBe(
			true,
		);
	});

	it('leaves a call already ringing on screen when it was switched on to the user', () => {
		expect(declinedByDoNotDisturb(ringingIn, { doNotDisturb: true, shownRinging: true })).toBe(
			false,
		);
	});

	it('declines nothing while do not disturb is off', () => {
		expect(declinedByDoNotDisturb(ringingIn, { doNotDisturb: false, shownRinging: false })).toBe(
			false,
		);
	});

	it.each<[string, ReturnType<typeof callSnapshot>]>([
		['an outbound call ringing at the far end', callSnapshot({ phase: 'ringing' })],
		['an inbound call being answered', callSnapshot({ direction: 'inbound', phase: 'connecting' })],
		['an active inbound call', callSnapshot({ direction: 'inbound', phase: 'active' })],
	])('never declines %s', (_name, call) => {
		expect(declinedByDoNotDisturb(call, { doNotDisturb: true, shownRinging: false })).toBe(false);
	});
});

describe('extensionDue', () => {
	const active = callSnapshot({ phase: 'active' });

	it('sends the extension on the update that makes the call active', () => {
		expect(extensionDue(active, callSnapshot({ phase: 'ringing' }), '1234#')).toBe('1234#');
		expect(extensionDue(active, undefined, '1234#')).toBe('1234#');
	});

	it('sends nothing for a call already active (a later update), or without an extension', () => {
		expect(extensionDue(active, active, '1234#')).toBeNull();
		expect(extensionDue(active, callSnapshot({ phase: 'ringing' }), undefined)).toBeNull();
	});

	it.each<CallPhase>(['dialing', 'trying', 'ringing', 'early', 'held', 'ended'])(
		'sends nothing while the call is %s',
		(phase) => {
			expect(extensionDue(callSnapshot({ phase }), callSnapshot(), '9')).toBeNull();
		},
	);
});

describe('historyEntry', () => {
	it('records an answered call with its duration from the answer, its end and its quality', () => {
		const summary = summarise([qualitySample({ at: 0 }), qualitySample({ at: 2000, mos: 3.1 })]);
		const entry = historyEntry(
			callSnapshot({
				id: 'c1',
				direction: 'inbound',
				remoteName: 'Ada',
				video: true,
				phase: 'ended',
				answeredAt: FAKE_STARTED_AT + 4000,
				endedAt: FAKE_STARTED_AT + 4000 + 61_600,
				end: endReasonOf('hangup-remote', { cause: 'NORMAL_CLEARING', sipCode: 200 }),
				quality: {
					mos: null,
					rttMs: null,
					jitterMs: null,
					packetLossPercent: null,
					warning: null,
					samples: [],
					summary,
				},
			}),
		);
		expect(entry).toEqual({
			id: 'c1',
			direction: 'inbound',
			remote: '+13125550142',
			remoteName: 'Ada',
			video: true,
			startedAt: new Date(FAKE_STARTED_AT).toISOString(),
			durationSeconds: 62,
			answered: true,
			endReason: 'hangup-remote',
			endMessage: 'Ended: hangup-remote.',
			cause: 'NORMAL_CLEARING',
			sipCode: 200,
			telnyxIds: { callControlId: null, sessionId: null, legId: null },
			quality: summary,
		});
	});

	it('records an unanswered call as 0 s and not answered; no end reason reads as failed', () => {
		const entry = historyEntry(callSnapshot({ phase: 'ended' }));
		expect(entry).toMatchObject({
			durationSeconds: 0,
			answered: false,
			endReason: 'failed',
			endMessage: 'The call ended.',
			cause: null,
			sipCode: null,
			quality: null,
		});
	});

	it.each([
		[0, null],
		[99, null],
		[100, 100],
		[699, 699],
		[700, null],
		[486.5, null],
	])('keeps SIP code %s as %s', (sipCode, kept) => {
		const end = endReasonOf('busy', { sipCode });
		expect(historyEntry(callSnapshot({ phase: 'ended', end })).sipCode).toBe(kept);
	});

	it('cuts a long hangup cause to what the history keeps', () => {
		const end = endReasonOf('failed', { cause: 'X'.repeat(100) });
		expect(historyEntry(callSnapshot({ phase: 'ended', end })).cause).toBe('X'.repeat(64));
	});

	it('a call declined by do not disturb is recorded as such', () => {
		const call = callSnapshot({ direction: 'inbound', phase: 'ended', end: DND_END });
		expect(historyEntry(call)).toMatchObject({
			endReason: 'dnd',
			endMessage: 'Rejected while Do not disturb was on.',
			answered: false,
		});
	});
});
