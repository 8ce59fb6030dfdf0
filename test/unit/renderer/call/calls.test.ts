import { describe, expect, it } from 'vitest';
import {
	dismissEnded,
	focusedCall,
	formatDuration,
	heldCalls,
	isLive,
	phaseLabel,
	reduceCalls,
	ringing,
	type Calls,
} from '../../../../renderer/src/lib/call/calls';
import type { CallPhase, CallSnapshot } from '../../../../renderer/src/lib/telephony/softphone';
import { callSnapshot, endReasonOf } from '../../../fakes/fake-softphone';

/** Folds a script of snapshots through the reducer, as the store does. */
function play(...updates: CallSnapshot[]): Calls {
	return updates.reduce<Calls>(reduceCalls, []);
}

const T0 = 1_000_000;
const busy = endReasonOf('busy', {
	message: 'Busy: the other side declined or is on another call.',
	cause: 'USER_BUSY',
	sipCode: 486,
});
const remoteBye = endReasonOf('hangup-remote', {
	message: 'The other side hung up.',
	cause: 'NORMAL_CLEARING',
	sipCode: 200,
});

describe('reduceCalls', () => {
	it('adds a new call at the end and replaces a known one in place, without mutating', () => {
		const a = callSnapshot({ id: 'a' });
		const b = callSnapshot({ id: 'b', direction: 'inbound', phase: 'ringing' });
		const before = play(a, b);
		const frozen = [...before];
		const after = reduceCalls(before, { ...a, phase: 'trying' });
		expect(after.map((c) => [c.id, c.phase])).toEqual([
			['a', 'trying'],
			['b', 'ringing'],
		]);
		expect(after).not.toBe(before);
		expect(before).toEqual(frozen);
	});

	it('follows an outbound call through its phases to one final state', () => {
		const a = callSnapshot({ id: 'a' });
		const calls = play(
			a,
			{ ...a, phase: 'trying' },
			{ ...a, phase: 'ringing' },
			{ ...a, phase: 'active', answeredAt: T0 },
			{ ...a, phase: 'ended', answeredAt: T0, endedAt: T0 + 5000, end: remoteBye },
		);
		expect(calls).toHaveLength(1);
		expect(calls[0]).toMatchObject({ phase: 'ended', end: remoteBye, endedAt: T0 + 5000 });
	});

	it('keeps an ended call ended: a late `active` changes nothing', () => {
		const a = callSnapshot({ id: 'a', phase: 'ringing' });
		const ended = play(a, { ...a, phase: 'ended', endedAt: T0, end: busy });
		const late = reduceCalls(ended, { ...a, phase: 'active', answeredAt: T0 + 10 });
		expect(late).toBe(ended);
		expect(late[0]).toMatchObject({ phase: 'ended', answeredAt: null, end: busy });
	});

	it('keeps the first end reason when a second end arrives', () => {
		const a = callSnapshot({ id: 'a', phase: 'active', answeredAt: T0 });
		const ended = play(a, { ...a, phase: 'ended', endedAt: T0 + 1000, end: remoteBye });
		const again = reduceCalls(ended, {
			...a,
			phase: 'ended',
			endedAt: T0 + 2000,
			end: endReasonOf('network'),
		});
		expect(again).toBe(ended);
		expect(again[0]?.end).toBe(remoteBye);
		expect(again[0]?.endedAt).toBe(T0 + 1000);
	});

	it('race: hangup while answering ends the call (connecting → ended), and it stays ended', () => {
		const a = callSnapshot({ id: 'in', direction: 'inbound', phase: 'ringing' });
		const cancelled = endReasonOf('cancelled', {
			message: 'The caller hung up before you answered.',
			cause: 'ORIGINATOR_CANCEL',
		});
		const calls = play(
			a,
			{ ...a, phase: 'connecting' },
			{ ...a, phase: 'ended', endedAt: T0, end: cancelled },
			// The answer's 200 OK lands after the caller's CANCEL.
			{ ...a, phase: 'active', answeredAt: T0 + 1 },
		);
		expect(calls).toEqual([{ ...a, phase: 'ended', endedAt: T0, end: cancelled }]);
		expect(ringing(calls)).toEqual([]);
		expect(focusedCall(calls)?.end).toBe(cancelled);
	});

	it('race: a remote bye during ICE (dialing → ended) carries the far end’s reason', () => {
		const a = callSnapshot({ id: 'out', phase: 'dialing' });
		const notFound = endReasonOf('not-found', {
			message: 'Not found: nobody is reachable at that number or address.',
			cause: 'UNALLOCATED_NUMBER',
			sipCode: 404,
		});
		const calls = play(
			a,
			{ ...a, phase: 'ended', endedAt: T0, end: notFound },
			// ICE completes after the bye.
			{ ...a, phase: 'trying' },
			{ ...a, phase: 'active', answeredAt: T0 + 5 },
		);
		expect(calls).toHaveLength(1);
		expect(calls[0]).toMatchObject({ phase: 'ended', answeredAt: null, end: notFound });
		expect(calls.filter(isLive)).toEqual([]);
	});

	it('race: two inbound calls ring together, listed oldest first', () => {
		const first = callSnapshot({ id: 'first', direction: 'inbound', phase: 'ringing' });
		const second = callSnapshot({
			id: 'second',
			direction: 'inbound',
			phase: 'ringing',
			startedAt: first.startedAt + 1000,
		});
		const calls = play(first, second, { ...first, remoteName: 'Kitchen' });
		expect(ringing(calls).map((c) => c.id)).toEqual(['first', 'second']);
		// Ringing inbound calls are offered, not focused.
		expect(focusedCall(calls)).toBeNull();
	});

	it('race: answering the second inbound call while the first is active focuses it and holds the first', () => {
		const first = callSnapshot({ id: 'first', direction: 'inbound', phase: 'ringing' });
		const second = callSnapshot({ id: 'second', direction: 'inbound', phase: 'ringing' });
		const talking = play(first, { ...first, phase: 'active', answeredAt: T0 }, second);
		expect(focusedCall(talking)?.id).toBe('first');
		expect(ringing(talking).map((c) => c.id)).toEqual(['second']);

		const switched = play(
			...talking,
			{ ...first, phase: 'held', answeredAt: T0 },
			{ ...second, phase: 'connecting' },
			{ ...second, phase: 'active', answeredAt: T0 + 3000 },
		);
		const focused = focusedCall(switched);
		expect(focused?.id).toBe('second');
		expect(heldCalls(switched, focused).map((c) => c.id)).toEqual(['first']);
		expect(ringing(switched)).toEqual([]);

		// The second call ends: the held first call comes to the front (to be resumed).
		const back = reduceCalls(switched, {
			...second,
			phase: 'ended',
			answeredAt: T0 + 3000,
			endedAt: T0 + 9000,
			end: remoteBye,
		});
		expect(focusedCall(back)?.id).toBe('first');
		expect(heldCalls(back, focusedCall(back))).toEqual([]);
	});
});

describe('focusedCall', () => {
	it('is null with no calls, and shows the latest ended call when nothing is live', () => {
		expect(focusedCall([])).toBeNull();
		const calls = play(
			callSnapshot({ id: 'old', phase: 'ended', end: busy }),
			callSnapshot({ id: 'new', phase: 'ended', end: remoteBye }),
		);
		expect(focusedCall(calls)?.id).toBe('new');
	});

	it('prefers the call being talked on over a later call on hold', () => {
		// The user answered a second call (the first went on hold), then swapped back to the first.
		const calls = play(
			callSnapshot({ id: 'first', phase: 'active', answeredAt: T0 }),
			callSnapshot({ id: 'second', phase: 'held', answeredAt: T0 + 1000 }),
		);
		expect(focusedCall(calls)?.id).toBe('first');
		expect(heldCalls(calls, focusedCall(calls)).map((c) => c.id)).toEqual(['second']);
	});

	it('shows the latest call on hold when every live call is on hold', () => {
		const calls = play(
			callSnapshot({ id: 'a', phase: 'held', answeredAt: T0 }),
			callSnapshot({ id: 'b', phase: 'held', answeredAt: T0 }),
		);
		expect(focusedCall(calls)?.id).toBe('b');
		expect(heldCalls(calls, focusedCall(calls)).map((c) => c.id)).toEqual(['a']);
	});

	it('prefers a live call over an ended one, and an outbound ringing call counts as live', () => {
		const calls = play(
			callSnapshot({ id: 'out', phase: 'ringing' }),
			callSnapshot({ id: 'gone', phase: 'ended', end: busy }),
		);
		expect(focusedCall(calls)?.id).toBe('out');
	});
});

describe('dismissEnded', () => {
	const calls = play(
		callSnapshot({ id: 'live', phase: 'active', answeredAt: T0 }),
		callSnapshot({ id: 'e1', phase: 'ended', end: busy }),
		callSnapshot({ id: 'e2', phase: 'ended', end: remoteBye }),
	);

	it('drops every ended call and keeps live ones', () => {
		expect(dismissEnded(calls).map((c) => c.id)).toEqual(['live']);
	});

	it('drops only the named ended call when given an id', () => {
		expect(dismissEnded(calls, 'e1').map((c) => c.id)).toEqual(['live', 'e2']);
	});

	it('never drops a live call, even by id', () => {
		expect(dismissEnded(calls, 'live').map((c) => c.id)).toEqual(['live', 'e1', 'e2']);
	});
});

describe('formatDuration', () => {
	it.each([
		[0, '0:00'],
		[999, '0:00'],
		[1000, '0:01'],
		[59_999, '0:59'],
		[60_000, '1:00'],
		[65_000, '1:05'],
		[599_000, '9:59'],
		[3_599_000, '59:59'],
		[3_600_000, '1:00:00'],
		[3_661_000, '1:01:01'],
		[36_005_000, '10:00:05'],
	])('%i ms → %s', (ms, text) => {
		expect(formatDuration(T0, T0 + ms)).toBe(text);
	});

	it('never goes negative when the clock is behind the start', () => {
		expect(formatDuration(T0, T0 - 5000)).toBe('0:00');
	});
});

describe('phaseLabel', () => {
	const label = (phase: CallPhase, more: Partial<CallSnapshot> = {}) =>
		phaseLabel(callSnapshot({ phase, ...more }));

	it.each<[CallPhase, Partial<CallSnapshot>, string]>([
		['dialing', {}, 'Calling…'],
		['trying', {}, 'Connecting…'],
		['ringing', { direction: 'outbound' }, 'Ringing…'],
		['ringing', { direction: 'inbound' }, 'Incoming call'],
		['connecting', {}, 'Answering…'],
		['early', {}, 'Connecting…'],
		['active', {}, 'In call'],
		['active', { remoteHeld: true }, 'On hold by the other side'],
		['held', {}, 'On hold'],
		['ended', { end: busy }, busy.message],
		['ended', {}, 'Call ended'],
	])('%s %j → %s', (phase, more, text) => {
		expect(label(phase, more)).toBe(text);
	});

	it('has words for every phase', () => {
		const phases: Record<CallPhase, true> = {
			dialing: true,
			trying: true,
			ringing: true,
			connecting: true,
			early: true,
			active: true,
			held: true,
			ended: true,
		};
		for (const phase of Object.keys(phases) as CallPhase[]) {
			expect(label(phase).length, phase).toBeGreaterThan(0);
		}
	});
});

describe('isLive', () => {
	it('is false only for ended calls', () => {
		const phases: CallPhase[] = [
			'dialing',
			'trying',
			'ringing',
			'connecting',
			'early',
			'active',
			'held',
		];
		for (const phase of phases) expect(isLive(callSnapshot({ phase })), phase).toBe(true);
		expect(isLive(callSnapshot({ phase: 'ended' }))).toBe(false);
	});
});
