import { afterEach, describe, expect, it, vi } from 'vitest';
import { MediaGate } from '../../../../renderer/src/lib/call/media-gate.svelte';
import { callSnapshot } from '../../../fakes/fake-softphone';

afterEach(() => {
	vi.useRealTimers();
});

function gate() {
	const log: string[] = [];
	const media = new MediaGate(3000, () => log.push('settled'));
	return { media, log };
}

describe('MediaGate', () => {
	it('holds work from an answer until the media connects, then runs it in order and says so', () => {
		const { media, log } = gate();
		media.track(callSnapshot({ id: 'a', phase: 'active' }), false);
		expect(media.pending).toBe(true);
		media.whenSettled(() => log.push('one'));
		media.whenSettled(() => log.push('two'));
		media.flush();
		expect(log).toEqual([]);
		media.track(callSnapshot({ id: 'a', phase: 'active', mediaConnected: true }), false);
		media.flush();
		expect(media.pending).toBe(false);
		expect(log).toEqual(['one', 'two', 'settled']);
	});

	it('runs work at once while no answered call is connecting (ringing is not on the path)', () => {
		const { media, log } = gate();
		media.track(callSnapshot({ id: 'a', phase: 'ringing' }), false);
		media.whenSettled(() => log.push('now'));
		expect(media.pending).toBe(false);
		expect(log).toEqual(['now']);
	});

	it('stops waiting after the wait, and does not wait again for that call', () => {
		vi.useFakeTimers();
		const { media, log } = gate();
		media.track(callSnapshot({ id: 'a', phase: 'connecting' }), false);
		media.whenSettled(() => log.push('held'));
		vi.advanceTimersByTime(2999);
		expect(log).toEqual([]);
		vi.advanceTimersByTime(1);
		expect(log).toEqual(['held', 'settled']);
		media.track(callSnapshot({ id: 'a', phase: 'active' }), false);
		expect(media.pending).toBe(false);
	});

	it('does not wait for a call that has ended (a late active after the end)', () => {
		const { media } = gate();
		media.track(callSnapshot({ id: 'a', phase: 'active' }), true);
		expect(media.pending).toBe(false);
	});

	it('an ending call stops the wait for it', () => {
		const { media, log } = gate();
		media.track(callSnapshot({ id: 'a', phase: 'active' }), false);
		media.whenSettled(() => log.push('held'));
		media.track(callSnapshot({ id: 'a', phase: 'ended' }), true);
		media.flush();
		expect(log).toEqual(['held', 'settled']);
	});
});
