import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import {
	callSuspensionGuard,
	watchResume,
	type PowerMonitorLike,
	type PowerSaveBlockerLike,
} from '../../../../main/desktop/power';

/** A stand-in for Electron's `powerMonitor`: an event emitter the test fires. */
class FakePowerMonitor extends EventEmitter implements PowerMonitorLike {
	fire(event: 'resume' | 'unlock-screen' | 'suspend' | 'lock-screen'): void {
		this.emit(event);
	}
}

function fakeBlocker() {
	let next = 41;
	const running = new Set<number>();
	const blocker = {
		start: vi.fn((_type: 'prevent-app-suspension') => {
			next += 1;
			running.add(next);
			return next;
		}),
		stop: vi.fn((id: number) => {
			running.delete(id);
		}),
	} satisfies PowerSaveBlockerLike;
	return { blocker, running };
}

describe('watchResume', () => {
	it('calls back on resume and on unlocking the screen, each time', () => {
		const monitor = new FakePowerMonitor();
		const onResume = vi.fn();
		watchResume(monitor, onResume);
		monitor.fire('resume');
		expect(onResume).toHaveBeenCalledTimes(1);
		monitor.fire('unlock-screen');
		expect(onResume).toHaveBeenCalledTimes(2);
		monitor.fire('resume');
		expect(onResume).toHaveBeenCalledTimes(3);
	});

	it('ignores going to sleep and locking the screen', () => {
		const monitor = new FakePowerMonitor();
		const onResume = vi.fn();
		watchResume(monitor, onResume);
		monitor.fire('suspend');
		monitor.fire('lock-screen');
		expect(onResume).not.toHaveBeenCalled();
	});

	it('listens once per event, and stops listening (both events) when unsubscribed', () => {
		const monitor = new FakePowerMonitor();
		const onResume = vi.fn();
		const stop = watchResume(monitor, onResume);
		expect(monitor.listenerCount('resume')).toBe(1);
		expect(monitor.listenerCount('unlock-screen')).toBe(1);
		stop();
		expect(monitor.listenerCount('resume')).toBe(0);
		expect(monitor.listenerCount('unlock-screen')).toBe(0);
		monitor.fire('resume');
		monitor.fire('unlock-screen');
		expect(onResume).not.toHaveBeenCalled();
	});

	it('unsubscribes only its own listeners', () => {
		const monitor = new FakePowerMonitor();
		const other = vi.fn();
		monitor.on('resume', other);
		const stop = watchResume(monitor, vi.fn());
		stop();
		monitor.fire('resume');
		expect(other).toHaveBeenCalledTimes(1);
	});
});

describe('callSuspensionGuard', () => {
	it('starts the blocker once when a call comes up, however often it is told', () => {
		const { blocker, running } = fakeBlocker();
		const setInCall = callSuspensionGuard(blocker);
		setInCall(true);
		setInCall(true);
		setInCall(true);
		expect(blocker.start).toHaveBeenCalledTimes(1);
		expect(blocker.start).toHaveBeenCalledWith('prevent-app-suspension');
		expect(running.size).toBe(1);
	});

	it('stops that same blocker once when the call ends', () => {
		const { blocker, running } = fakeBlocker();
		const setInCall = callSuspensionGuard(blocker);
		setInCall(true);
		const id = blocker.start.mock.results[0]?.value as number;
		setInCall(false);
		setInCall(false);
		expect(blocker.stop).toHaveBeenCalledTimes(1);
		expect(blocker.stop).toHaveBeenCalledWith(id);
		expect(running.size).toBe(0);
	});

	it('never stops a blocker it did not start', () => {
		const { blocker } = fakeBlocker();
		const setInCall = callSuspensionGuard(blocker);
		setInCall(false);
		expect(blocker.stop).not.toHaveBeenCalled();
		expect(blocker.start).not.toHaveBeenCalled();
	});

	it('starts a fresh blocker for the next call', () => {
		const { blocker, running } = fakeBlocker();
		const setInCall = callSuspensionGuard(blocker);
		setInCall(true);
		setInCall(false);
		setInCall(true);
		expect(blocker.start).toHaveBeenCalledTimes(2);
		expect(running.size).toBe(1);
		setInCall(false);
		expect(blocker.stop.mock.calls).toStrictEqual([[42], [43]]);
		expect(running.size).toBe(0);
	});
});
