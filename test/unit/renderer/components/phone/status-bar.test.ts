import { render, screen } from '@testing-library/svelte';
import { userEvent } from '@testing-library/user-event';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import StatusBar from '../../../../../renderer/src/components/phone/StatusBar.svelte';
import type { LineStatus } from '../../../../../renderer/src/lib/call/login-retry';
import type { ConnectionStatus } from '../../../../../renderer/src/lib/telephony/softphone';

function setup(status: LineStatus, doNotDisturb = false) {
	const onreconnect = vi.fn<() => void>();
	const ondnd = vi.fn<(on: boolean) => void>();
	const result = render(StatusBar, { props: { status, doNotDisturb, onreconnect, ondnd } });
	return { onreconnect, ondnd, ...result };
}

const text = () => screen.getByTestId('connection-status').textContent;

afterEach(() => {
	vi.useRealTimers();
});

describe('StatusBar', () => {
	it.each<[ConnectionStatus, string]>([
		[{ kind: 'idle' }, 'Not connected'],
		[{ kind: 'connecting' }, 'Connecting to Telnyx…'],
		[{ kind: 'registered' }, 'Ready'],
		[{ kind: 'reconnecting', attempt: 3, retryAt: null }, 'Reconnecting (attempt 3)…'],
		[{ kind: 'offline' }, 'Offline: waiting for the network'],
		[
			{
				kind: 'failed',
				reason: 'reconnect-exhausted',
				message: 'Can’t reach Telnyx after several attempts.',
			},
			'Can’t reach Telnyx after several attempts.',
		],
	])('%j reads “%s”', (status, words) => {
		setup(status);
		expect(text()).toBe(words);
		const bar = screen.getByRole('status');
		expect(bar.getAttribute('data-status')).toBe(status.kind);
		expect(bar.getAttribute('aria-live')).toBe('polite');
	});

	it('counts down to the next reconnection attempt', () => {
		vi.useFakeTimers({ now: Date.UTC(2026, 0, 15, 9, 0, 0) });
		setup({ kind: 'reconnecting', attempt: 2, retryAt: Date.now() + 4000 });
		expect(text()).toBe('Connection lost; reconnecting in 4 s (attempt 2)');
		vi.advanceTimersByTime(1000);
		flushSync();
		expect(text()).toBe('Connection lost; reconnecting in 3 s (attempt 2)');
		vi.advanceTimersByTime(2500);
		flushSync();
		expect(text()).toBe('Connection lost; reconnecting in 1 s (attempt 2)');
		vi.advanceTimersByTime(1000);
		flushSync();
		expect(text()).toBe('Reconnecting (attempt 2)…');
	});

	it('counts down to the next sign-in while a new credential reaches Telnyx, with no Reconnect button', () => {
		vi.useFakeTimers({ now: Date.UTC(2026, 0, 15, 9, 0, 0) });
		setup({ kind: 'setting-up', attempt: 2, retryAt: Date.now() + 2000 });
		expect(text()).toBe('Setting up your line… retrying in 2 s');
		expect(screen.getByRole('status').getAttribute('data-status')).toBe('setting-up');
		expect(screen.queryByRole('button', { name: 'Reconnect' })).toBeNull();
		vi.advanceTimersByTime(1000);
		flushSync();
		expect(text()).toBe('Setting up your line… retrying in 1 s');
		vi.advanceTimersByTime(1000);
		flushSync();
		expect(text()).toBe('Setting up your line…');
	});

	it('follows a new status and stops the countdown', async () => {
		vi.useFakeTimers({ now: Date.UTC(2026, 0, 15, 9, 0, 0) });
		const { rerender } = setup({ kind: 'reconnecting', attempt: 1, retryAt: Date.now() + 2000 });
		expect(vi.getTimerCount()).toBe(1);
		await rerender({ status: { kind: 'registered' } });
		expect(text()).toBe('Ready');
		expect(vi.getTimerCount()).toBe(0);
	});

	it.each<ConnectionStatus>([
		{ kind: 'idle' },
		{ kind: 'failed', reason: 'invalid-credentials', message: 'The sign-in details are invalid.' },
	])('offers Reconnect when %j', async (status) => {
		const { onreconnect } = setup(status);
		await userEvent.setup().click(screen.getByRole('button', { name: 'Reconnect' }));
		expect(onreconnect).toHaveBeenCalledOnce();
	});

	it.each<ConnectionStatus>([
		{ kind: 'connecting' },
		{ kind: 'registered' },
		{ kind: 'reconnecting', attempt: 1, retryAt: null },
		{ kind: 'offline' },
	])('offers no Reconnect when %j (the app is already on it)', (status) => {
		setup(status);
		expect(screen.queryByRole('button', { name: 'Reconnect' })).toBeNull();
	});

	it.each([false, true])('toggles Do not disturb (now %s)', async (on) => {
		const { ondnd } = setup({ kind: 'registered' }, on);
		const toggle = screen.getByRole('button', { name: 'Do not disturb' });
		expect(toggle.getAttribute('aria-pressed')).toBe(String(on));
		await userEvent.setup().click(toggle);
		expect(ondnd).toHaveBeenCalledExactlyOnceWith(!on);
	});
});
