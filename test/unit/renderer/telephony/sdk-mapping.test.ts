/**
 * The SDK mapping, fed with event sequences recorded from the real `@telnyx/webrtc` (2.27.10) against the
 * sandbox (how each was recorded: ./fixtures/README.md), and table-driven for the codes.
 *
 * `replay` applies each recorded event in the order the adapter handles them and with the same pure functions
 * (`telnyx-softphone.ts` adds only the SDK wiring and side effects: media, timers, devices). What the app did
 * itself (hang up, decline) is not an SDK event: the test says when it happened.
 */
import { describe, expect, it } from 'vitest';
import {
	connectionFailure,
	errorEffect,
	frameFact,
	initialSnapshot,
	isDestroyed,
	nextSnapshot,
	sdkPhase,
	statusAfterClose,
	warningEffect,
	type CallFacts,
	type SdkCall,
} from '../../../../renderer/src/lib/telephony/sdk-mapping';
import { errorMessage, warningMessage } from '../../../../renderer/src/lib/telephony/messages';
import type {
	CallSnapshot,
	ConnectionStatus,
} from '../../../../renderer/src/lib/telephony/softphone';
import placedCaller from './fixtures/placed-answered-caller.json';
import placedCallee from './fixtures/placed-answered-callee.json';
import declinedCaller from './fixtures/declined-caller.json';
import declinedCallee from './fixtures/declined-callee.json';
import loginRefused from './fixtures/login-refused.json';

type Recorded =
	| { event: 'telnyx.notification'; type: 'callUpdate'; call: SdkCall }
	| {
			event: 'telnyx.socket.message';
			method: string | null;
			params: { callID: string | null } | null;
	  }
	| { event: string; payload?: unknown };

interface Replayed {
	/** Every call snapshot published, in order. */
	readonly snapshots: CallSnapshot[];
	readonly statuses: ConnectionStatus[];
	readonly notices: string[];
	readonly tokenExpiring: number;
}

/**
 * Replays a recording through the mapping. `localHangup`: the app hung up (or declined) the call just before
 * the recorded event with this index (the adapter sets `hungUpLocally` in `hangup()`).
 */
function replay(events: readonly unknown[], { localHangupBefore = -1 } = {}): Replayed {
	const snapshots: CallSnapshot[] = [];
	const statuses: ConnectionStatus[] = [];
	const notices: string[] = [];
	let tokenExpiring = 0;
	let status: ConnectionStatus = { kind: 'connecting' };
	let attempt = 0;
	const calls = new Map<string, { call: SdkCall; facts: CallFacts; snapshot: CallSnapshot }>();
	const finished = new Set<string>();
	let now = 1_000;
	const publish = (id: string) => {
		const entry = calls.get(id);
		if (entry === undefined || entry.snapshot.phase === 'ended') return;
		entry.snapshot = nextSnapshot(entry.snapshot, entry.call, entry.facts, now);
		snapshots.push(entry.snapshot);
	};
	const setStatus = (next: ConnectionStatus) => {
		status = next;
		statuses.push(next);
	};
	(events as Recorded[]).forEach((recorded, index) => {
		now += 100;
		if (index === localHangupBefore) {
			for (const entry of calls.values()) entry.facts = { ...entry.facts, hungUpLocally: true };
		}
		if ('type' in recorded && recorded.event === 'telnyx.notification') {
			const { call } = recorded;
			if (finished.has(call.id)) return;
			const entry = calls.get(call.id) ?? {
				call,
				facts: {
					remoteRinging: false,
					remoteAnswered: false,
					hungUpLocally: false,
					failure: null,
					qualityWarning: null,
				},
				snapshot: initialSnapshot(call, now),
			};
			entry.call = call;
			calls.set(call.id, entry);
			if (!call.direction) return;
			publish(call.id);
			if (isDestroyed(call)) {
				calls.delete(call.id);
				finished.add(call.id);
			}
			return;
		}
		if ('method' in recorded) {
			const said = frameFact(recorded);
			const entry = said === null ? undefined : calls.get(said.callId);
			if (said === null || entry === undefined || entry.call.direction === 'inbound') return;
			entry.facts = { ...entry.facts, [said.fact]: true };
			publish(said.callId);
			return;
		}
		const payload = (recorded as { payload?: Record<string, unknown> }).payload ?? {};
		switch (recorded.event) {
			case 'telnyx.socket.open':
				if (status.kind !== 'registered') setStatus({ kind: 'connecting' });
				return;
			case 'telnyx.ready':
				attempt = 0;
				setStatus({ kind: 'registered' });
				return;
			case 'telnyx.socket.close': {
				const next = statusAfterClose(status, attempt + 1, now);
				if (next === null) return;
				attempt += 1;
				setStatus(next);
				return;
			}
			case 'telnyx.error': {
				const effect = errorEffect((payload['error'] as { code?: number }).code ?? 49001);
				if (effect.kind === 'status') setStatus(effect.status);
				if (effect.kind === 'notice') notices.push(effect.message);
				return;
			}
			case 'telnyx.warning': {
				const callId = payload['callId'];
				const entry = typeof callId === 'string' ? calls.get(callId) : undefined;
				const code = (payload['warning'] as { code?: number }).code ?? 0;
				const effect = warningEffect(code, entry !== undefined);
				if (effect.kind === 'quality' && entry !== undefined) {
					entry.facts = { ...entry.facts, qualityWarning: effect.message };
					publish(entry.call.id);
				}
				if (effect.kind === 'tokenExpiring') tokenExpiring += 1;
				if (effect.kind === 'notice') notices.push(effect.message);
				return;
			}
		}
	});
	return { snapshots, statuses, notices, tokenExpiring };
}

/** The phases in order, each once (a repeated update of the same phase is one step). */
const phases = (snapshots: readonly CallSnapshot[]) =>
	snapshots.map((s) => s.phase).filter((phase, i, all) => i === 0 || all[i - 1] !== phase);

const indexOf = (events: readonly unknown[], state: string) =>
	(events as Recorded[]).findIndex((e) => 'type' in e && e.call.state === state);

describe('recorded: a placed call that is answered, then hung up here', () => {
	it('caller: dialing → trying → ringing (frame) → active at the answer frame, before the SDK leaves trying (#754)', () => {
		const { snapshots } = replay(placedCaller, {
			localHangupBefore: indexOf(placedCaller, 'hangup'),
		});
		expect(phases(snapshots)).toEqual(['dialing', 'trying', 'ringing', 'active', 'ended']);
		// The SDK's own state was still `trying` when the answer frame made the call active.
		const firstActive = snapshots.findIndex((s) => s.phase === 'active');
		const sdkStates = (placedCaller as Recorded[]).filter((e) => 'type' in e);
		expect(sdkStates.map((e) => ('type' in e ? e.call.state : null))).toContain('early');
		expect(firstActive).toBeGreaterThan(0);
		const last = snapshots.at(-1)!;
		expect(last).toMatchObject({
			direction: 'outbound',
			video: false,
			end: { kind: 'hangup-local', cause: 'NORMAL_CLEARING' },
		});
		expect(last.answeredAt).toBe(snapshots[firstActive]!.answeredAt);
		expect(last.endedAt).toBeGreaterThan(last.answeredAt!);
		// Telnyx's ids came with the frames and stay on the snapshot.
		expect(last.telnyxIds.callControlId).toMatch(/^v3:/);
	});

	it('callee: ringing → connecting (answer sent) → active → ended by the other side', () => {
		const { snapshots } = replay(placedCallee);
		expect(phases(snapshots)).toEqual(['ringing', 'connecting', 'active', 'ended']);
		const last = snapshots.at(-1)!;
		expect(last).toMatchObject({
			direction: 'inbound',
			remoteName: 'Alice',
			end: { kind: 'hangup-remote', cause: 'NORMAL_CLEARING' },
		});
		expect(last.answeredAt).not.toBeNull();
		// Nothing published while the SDK had not set the direction (its first update).
		expect(snapshots.every((s) => s.direction === 'inbound')).toBe(true);
	});
});

describe('recorded: a call declined by the callee', () => {
	it('caller: ringing, then ended busy (USER_BUSY, SIP 486), never answered', () => {
		const { snapshots } = replay(declinedCaller);
		expect(phases(snapshots)).toEqual(['dialing', 'trying', 'ringing', 'ended']);
		expect(snapshots.at(-1)).toMatchObject({
			answeredAt: null,
			end: { kind: 'busy', cause: 'USER_BUSY', sipCode: 486 },
		});
	});

	it('callee: ringing, then ended by this app (declined here), never answered', () => {
		const { snapshots } = replay(declinedCallee, {
			localHangupBefore: indexOf(declinedCallee, 'hangup'),
		});
		expect(phases(snapshots)).toEqual(['ringing', 'ended']);
		expect(snapshots.at(-1)).toMatchObject({ answeredAt: null, end: { cause: 'USER_BUSY' } });
		// Without the app's own decline, the same SDK sequence reads as the caller giving up or busy.
		const unmarked = replay(declinedCallee).snapshots.at(-1)!;
		expect(unmarked.end?.kind).not.toBe(snapshots.at(-1)!.end?.kind);
	});

	it('nothing about a destroyed call is published again', () => {
		const { snapshots } = replay([...declinedCallee, ...declinedCallee]);
		expect(snapshots.filter((s) => s.phase === 'ended')).toHaveLength(1);
	});
});

describe('recorded: a refused sign-in', () => {
	it('is a failed status with the port’s reason, in words, not the SDK’s code', () => {
		const { statuses, notices } = replay(loginRefused);
		expect(statuses).toEqual([
			{ kind: 'connecting' },
			{ kind: 'failed', reason: 'login-refused', message: errorMessage(46001) },
			{ kind: 'connecting' },
			{ kind: 'failed', reason: 'login-refused', message: errorMessage(46001) },
		]);
		expect(notices).toEqual([]);
	});
});

describe('sdkPhase', () => {
	const call = (state: string, direction?: string): SdkCall => ({
		id: 'c',
		state,
		direction,
		options: {},
	});
	const none = { remoteRinging: false, remoteAnswered: false };

	it.each([
		['new', 'inbound', none, 'ringing'],
		['new', 'outbound', none, 'dialing'],
		['requesting', 'outbound', none, 'dialing'],
		['trying', 'outbound', none, 'trying'],
		['trying', 'outbound', { ...none, remoteRinging: true }, 'ringing'],
		['trying', 'outbound', { ...none, remoteAnswered: true }, 'active'],
		['early', 'outbound', { ...none, remoteAnswered: true }, 'active'],
		['early', 'outbound', none, 'early'],
		['recovering', 'outbound', none, 'connecting'],
		['answering', 'inbound', none, 'connecting'],
		['held', 'outbound', { ...none, remoteAnswered: true }, 'held'],
		['hangup', 'outbound', { ...none, remoteAnswered: true }, 'ended'],
		['purge', 'inbound', none, 'ended'],
	] as const)('%s (%s, %j) is %s', (state, direction, facts, phase) => {
		expect(sdkPhase(call(state, direction), facts)).toBe(phase);
	});
});

describe('nextSnapshot', () => {
	const facts: CallFacts = {
		remoteRinging: false,
		remoteAnswered: false,
		hungUpLocally: false,
		failure: null,
		qualityWarning: null,
	};
	const call = (state: string): SdkCall => ({
		id: 'c',
		state,
		direction: 'outbound',
		cause: 'NORMAL_CLEARING',
		options: { destinationNumber: '+14155552671' },
	});

	it('keeps an error’s reason over the cause the SDK hangs up with, and an ended snapshot is final', () => {
		const failure = {
			kind: 'media',
			message: 'No microphone.',
			cause: null,
			sipCode: null,
		} as const;
		const active = nextSnapshot(initialSnapshot(call('active'), 0), call('active'), facts, 10);
		const ended = nextSnapshot(active, call('hangup'), { ...facts, failure }, 20);
		expect(ended).toMatchObject({ phase: 'ended', answeredAt: 10, endedAt: 20, end: failure });
		expect(nextSnapshot(ended, call('active'), facts, 30)).toBe(ended);
	});

	it('applies a change of ours and the quality warning in force', () => {
		const first = initialSnapshot(call('trying'), 0);
		expect(first.quality).toBeNull();
		const next = nextSnapshot(first, call('active'), { ...facts, qualityWarning: 'Poor.' }, 5, {
			muted: true,
		});
		expect(next).toMatchObject({ muted: true, quality: { warning: 'Poor.', samples: [] } });
	});
});

describe('SDK codes stay here', () => {
	it.each([
		[46001, 'login-refused'],
		[46003, 'reauth-required'],
		[46002, 'invalid-credentials'],
		[45003, 'reconnect-exhausted'],
		[45001, null],
		[48001, null],
	] as const)('connectionFailure(%i) is %s', (code, reason) => {
		expect(connectionFailure(code)).toBe(reason);
	});

	it.each([
		[44005, { kind: 'none' }],
		[45001, { kind: 'none' }],
		[45002, { kind: 'none' }],
		[48001, { kind: 'status', status: { kind: 'offline' } }],
		[
			46003,
			{
				kind: 'status',
				status: { kind: 'failed', reason: 'reauth-required', message: errorMessage(46003) },
			},
		],
		[40004, { kind: 'notice', message: errorMessage(40004) }],
	] as const)('errorEffect(%i)', (code, effect) => {
		expect(errorEffect(code)).toEqual(effect);
	});

	it('warnings: quality on a call, token expiring for 34001, a notice otherwise, none without words', () => {
		const poor = warningMessage(31001)!;
		expect(warningEffect(31001, true)).toEqual({ kind: 'quality', message: poor });
		expect(warningEffect(31001, false)).toEqual({ kind: 'notice', message: poor });
		expect(warningEffect(34001, false)).toEqual({ kind: 'tokenExpiring' });
		expect(warningEffect(36003, true)).toEqual({ kind: 'notice', message: warningMessage(36003) });
		// ONLY_HOST_ICE_CANDIDATES, which every recorded sandbox call has: nothing for the user.
		expect(warningEffect(33005, true)).toEqual({ kind: 'none' });
	});

	it('a closed socket counts down 1, 2, 4 … 30 s; never after the SDK gave up', () => {
		const reconnecting = { kind: 'reconnecting', attempt: 1, retryAt: null } as const;
		expect([1, 2, 3, 6, 7].map((n) => statusAfterClose(reconnecting, n, 0))).toEqual(
			[1000, 2000, 4000, 30_000, 30_000].map((retryAt, i) => ({
				kind: 'reconnecting',
				attempt: [1, 2, 3, 6, 7][i],
				retryAt,
			})),
		);
		const gaveUp = errorEffect(45003);
		expect(gaveUp.kind === 'status' && statusAfterClose(gaveUp.status, 1, 0)).toBeNull();
	});

	it('frames: ringing and answer for a call; nothing else', () => {
		expect(frameFact({ method: 'telnyx_rtc.ringing', params: { callID: 'a' } })).toEqual({
			callId: 'a',
			fact: 'remoteRinging',
		});
		expect(frameFact({ method: 'telnyx_rtc.answer', params: { callID: 'a' } })).toEqual({
			callId: 'a',
			fact: 'remoteAnswered',
		});
		expect(frameFact({ method: 'telnyx_rtc.media', params: { callID: 'a' } })).toBeNull();
		expect(frameFact({ method: 'telnyx_rtc.answer' })).toBeNull();
	});
});
