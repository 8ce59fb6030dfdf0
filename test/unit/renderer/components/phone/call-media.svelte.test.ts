import { render, screen } from '@testing-library/svelte';
import { userEvent } from '@testing-library/user-event';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appContext } from '../../../../../renderer/src/lib/app-context';
import CallMediaHost from '../../../../../renderer/src/components/phone/CallMediaHost.svelte';
import { CallStore } from '../../../../../renderer/src/lib/call/call-store.svelte';
import { FAKE_SETTINGS, fakeBridge } from '../../../../fakes/fake-bridge';
import { FakeSoftphone } from '../../../../fakes/fake-softphone';

/** The host as the app renders it: over the store's calls, with the Phone view shown or not. */
function setup(initial: { expanded: boolean }) {
	const phone = new FakeSoftphone();
	const bridge = fakeBridge({ history: { add: async () => [] } });
	const store = new CallStore({
		phone,
		bridge,
		settings: () => FAKE_SETTINGS,
		signallingUrl: () => 'wss://rtc.telnyx.com',
		directory: () => [],
	});
	let expanded = $state(initial.expanded);
	render(CallMediaHost, {
		props: {
			get calls() {
				return store.calls;
			},
			get focusedId() {
				return store.focused?.id ?? null;
			},
			get expanded() {
				return expanded;
			},
		},
		context: appContext({ store }),
	});
	const show = (on: boolean) => {
		expanded = on;
		flushSync();
	};
	return { phone, store, show, user: userEvent.setup() };
}

/** jsdom has no Fullscreen API: the test plays the browser (entering, and leaving as on Esc). */
function fakeFullscreen() {
	let current: Element | null = null;
	Object.defineProperty(document, 'fullscreenElement', { configurable: true, get: () => current });
	const enter = vi.fn((element: Element) => {
		current = element;
		document.dispatchEvent(new Event('fullscreenchange'));
		return Promise.resolve();
	});
	const exit = vi.fn(() => {
		current = null;
		document.dispatchEvent(new Event('fullscreenchange'));
		return Promise.resolve();
	});
	Object.defineProperty(HTMLElement.prototype, 'requestFullscreen', {
		configurable: true,
		value(this: Element) {
			return enter(this);
		},
	});
	Object.defineProperty(document, 'exitFullscreen', { configurable: true, value: exit });
	return { enter, exit, leaveByEsc: () => void exit() };
}

afterEach(() => {
	Reflect.deleteProperty(document, 'fullscreenElement');
	Reflect.deleteProperty(document, 'exitFullscreen');
	Reflect.deleteProperty(HTMLElement.prototype, 'requestFullscreen');
});

const stage = (id: string) => document.querySelector<HTMLElement>(`[data-call-id="${id}"]`);

describe('CallMediaHost', () => {
	it('gives every call with media its own elements, and none to a call still ringing in', () => {
		const { phone } = setup({ expanded: true });
		phone.emitCall({ id: 'a', phase: 'active', answeredAt: 1 });
		phone.emitCall({ id: 'b', direction: 'inbound', phase: 'ringing' });
		flushSync();
		expect(stage('a')?.querySelector('audio')).toBeTruthy();
		expect(stage('b')).toBeNull();
		expect(phone.callsTo('attachMedia').at(-1)).toEqual([
			'a',
			{ local: null, remote: stage('a')?.querySelector('audio') },
		]);
		phone.update('b', { phase: 'connecting' });
		flushSync();
		const audioA = stage('a')?.querySelector('audio');
		expect(stage('b')?.querySelector('audio')).toBeTruthy();
		expect(stage('b')?.querySelector('audio')).not.toBe(audioA);
		// Ended: the elements go with the call.
		phone.update('a', { phase: 'ended' });
		flushSync();
		expect(stage('a')).toBeNull();
	});

	it('shows only the focused call, and only while the Phone view is shown, never destroying it', () => {
		const { phone, show } = setup({ expanded: true });
		phone.emitCall({ id: 'v', video: true, phase: 'active', answeredAt: 1 });
		flushSync();
		const remote = screen.getByTestId('remote-video');
		expect(stage('v')?.classList.contains('shown')).toBe(true);
		show(false);
		expect(stage('v')?.classList.contains('shown')).toBe(false);
		expect(screen.getByTestId('remote-video')).toBe(remote);
		show(true);
		expect(screen.getByTestId('remote-video')).toBe(remote);
		expect(phone.callsTo('attachMedia').at(-1)).toEqual([
			'v',
			{ local: screen.getByTestId('local-video'), remote },
		]);
	});

	it('puts the video call full screen, the button following the document (Esc leaves it)', async () => {
		const fullscreen = fakeFullscreen();
		const { phone, user } = setup({ expanded: true });
		phone.emitCall({ id: 'v', video: true, phase: 'active', answeredAt: 1 });
		flushSync();
		const button = () => screen.getByRole('button', { name: /full screen/i });
		expect(button().textContent?.trim()).toBe('Full screen');
		expect(button().getAttribute('aria-pressed')).toBe('false');
		await user.click(button());
		expect(fullscreen.enter.mock.calls).toEqual([[stage('v')]]);
		flushSync();
		expect(button().textContent?.trim()).toBe('Exit full screen');
		expect(button().getAttribute('aria-pressed')).toBe('true');
		// The browser leaves full screen on Esc by itself: the button follows.
		fullscreen.leaveByEsc();
		flushSync();
		expect(button().textContent?.trim()).toBe('Full screen');
		expect(button().getAttribute('aria-pressed')).toBe('false');
		await user.click(button());
		await user.click(button());
		expect(fullscreen.exit).toHaveBeenCalledTimes(2);
	});

	it('leaves full screen when the Phone view is left', async () => {
		const fullscreen = fakeFullscreen();
		const { phone, show, user } = setup({ expanded: true });
		phone.emitCall({ id: 'v', video: true, phase: 'active', answeredAt: 1 });
		flushSync();
		await user.click(screen.getByRole('button', { name: 'Full screen' }));
		show(false);
		expect(fullscreen.exit).toHaveBeenCalledTimes(1);
		expect(screen.queryByRole('button', { name: /full screen/i })).toBeNull();
	});

	it('has no full-screen button in an audio call', () => {
		const { phone } = setup({ expanded: true });
		phone.emitCall({ id: 'a', phase: 'active', answeredAt: 1 });
		flushSync();
		expect(screen.queryByRole('button', { name: /full screen/i })).toBeNull();
	});
});
