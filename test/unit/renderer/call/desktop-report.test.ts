import { describe, expect, it } from 'vitest';
import type { PhoneReport } from '../../../../preload/contract';
import { reduceCalls, type Calls } from '../../../../renderer/src/lib/call/calls';
import { desktopReport, type ReportInput } from '../../../../renderer/src/lib/call/desktop-report';
import type { LineStatus } from '../../../../renderer/src/lib/call/login-retry';
import type { CallPhase, CallSnapshot } from '../../../../renderer/src/lib/telephony/softphone';
import { callSnapshot, endReasonOf } from '../../../fakes/fake-softphone';
import { qualitySample } from '../quality/samples';

const REGISTERED: LineStatus = { kind: 'registered' };
const play = (...updates: CallSnapshot[]): Calls => updates.reduce<Calls>(reduceCalls, []);
const report = (input: Partial<ReportInput> = {}): PhoneReport =>
	desktopReport({ connection: REGISTERED, calls: [], installations: [], recent: [], ...input });

describe('desktopReport: the line', () => {
	it.each<[LineStatus, PhoneReport['connection']]>([
		[{ kind: 'idle' }, 'setup'],
		[{ kind: 'setting-up', attempt: 1, retryAt: 0 }, 'connecting'],
		[{ kind: 'connecting' }, 'connecting'],
		[{ kind: 'registered' }, 'registered'],
		[{ kind: 'reconnecting', attempt: 2, retryAt: null }, 'reconnecting'],
		[{ kind: 'offline' }, 'offline'],
		[{ kind: 'failed', reason: 'login-refused', message: 'refused' }, 'failed'],
	])('reports %j as %s, with no call', (connection, reported) => {
		expect(report({ connection })).toEqual({
			connection: reported,
			call: null,
			installations: [],
			recent: [],
		});
	});
});

describe('desktopReport: the call', () => {
	it('reports a call ringing in before the call in progress', () => {
		const calls = play(
			callSnapshot({ id: 'a', phase: 'active', answeredAt: 1 }),
			callSnapshot({ id: 'b', direction: 'inbound', phase: 'ringing', remoteName: 'Bo' }),
		);
		expect(report({ calls }).call).toEqual({
			id: 'b',
			remote: '+13125550142',
			remoteName: 'Bo',
			phase: 'ringing',
			direction: 'inbound',
			muted: false,
			held: false,
			video: false,
		});
	});

	it.each<[CallPhase, string]>([
		['dialing', 'calling'],
		['trying', 'calling'],
		['ringing', 'calling'],
		['early', 'calling'],
		['connecting', 'calling'],
		['active', 'active'],
		['held', 'held'],
	])('reports an outbound call that is %s as %s', (phase, reported) => {
		const call = report({ calls: play(callSnapshot({ phase })) }).call;
		expect(call?.phase).toBe(reported);
		expect(call?.held).toBe(phase === 'held');
	});

	it('reports no call once the calls have ended', () => {
		const calls = play(callSnapshot({ phase: 'ended', end: endReasonOf('hangup-local') }));
		expect(report({ calls }).call).toBeNull();
	});

	it('cuts a long remote name, the installations and the recent calls to what main accepts', () => {
		const installations = Array.from({ length: 120 }, (_, i) => ({ name: `Desk ${i}` }));
		const recent = Array.from({ length: 30 }, (_, i) => ({
			label: `L${i}`,
			destination: `+1${i}`,
		}));
		const calls = play(callSnapshot({ phase: 'active', remoteName: 'N'.repeat(300) }));
		const projected = report({ calls, installations, recent });
		expect(projected.call?.remoteName).toBe('N'.repeat(128));
		expect(projected.installations).toEqual(installations.slice(0, 100));
		expect(projected.recent).toEqual(recent.slice(0, 20));
	});
});

describe('desktopReport: only what the tray shows', () => {
	it('projects a call whose quality, timers and media changed to an equal report', () => {
		const active = callSnapshot({ phase: 'active', answeredAt: 1 });
		const later = {
			...active,
			mediaConnected: true,
			remoteHeld: true,
			cameraOff: true,
			quality: {
				mos: 3.2,
				rttMs: 180,
				jitterMs: 30,
				packetLossPercent: 4,
				warning: 'Poor connection',
				samples: [qualitySample({ at: 0 }), qualitySample({ at: 2000, mos: 3.2 })],
				summary: null,
			},
		};
		expect(report({ calls: play(later) })).toEqual(report({ calls: play(active) }));
	});

	it('projects a change the tray shows (mute) to a different report', () => {
		const active = callSnapshot({ phase: 'active', answeredAt: 1 });
		expect(report({ calls: play({ ...active, muted: true }) })).not.toEqual(
			report({ calls: play(active) }),
		);
	});

	it('does not change its input', () => {
		const calls = Object.freeze(play(callSnapshot({ phase: 'active' })));
		const input = Object.freeze({ connection: REGISTERED, calls, installations: [], recent: [] });
		expect(() => desktopReport(input)).not.toThrow();
		expect(desktopReport(input)).toEqual(desktopReport(input));
	});
});
