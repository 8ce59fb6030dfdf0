/**
 * The app's views around a call: the call's media elements outlive every view switch (same element
 * instances), a call bar stands in for the call on the other views, and the in-app keys (digits, Enter,
 * Esc) do what About says.
 */
import { screen, waitFor, within } from '@testing-library/svelte';
import { userEvent } from '@testing-library/user-event';
import { flushSync } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appBridge, mountApp, SilentAudioContext } from './app-harness';

beforeEach(() => vi.stubGlobal('AudioContext', SilentAudioContext));
afterEach(() => vi.unstubAllGlobals());

/** The whole app over a fake bridge (a set-up account, registered) and a fake softphone. */
async function setup() {
	const bridge = appBridge({ history: { add: async () => [] } });
	const { phone, store } = await mountApp(bridge);
	flushSync();
	return { phone, store, bridge, user: userEvent.setup() };
}

const tab = (name: string) =>
	within(screen.getByRole('navigation', { name: 'Sections' })).getByRole('button', { name });
const callBar = () => screen.queryByRole('region', { name: 'Call in progress' });
const media = (testId: string) => document.querySelector(`[data-testid="${testId}"]`);

describe('App: calls outlive views', () => {
	it('keeps an audio call’s element (the same instance, never handed over again) through every view', async () => {
		const { phone, user } = await setup();
		phone.emitCall({ id: 'talk', remoteName: 'Kitchen', phase: 'active', answeredAt: Date.now() });
		flushSync();
		const audio = media('remote-audio');
		expect(audio).toBeInstanceOf(HTMLAudioElement);
		const attached = phone.callsTo('attachMedia').length;
		for (const view of ['History', 'Settings', 'About', 'Phone', 'About', 'Phone']) {
			await user.click(tab(view));
			expect(media('remote-audio'), view).toBe(audio);
			expect(audio?.isConnected, view).toBe(true);
		}
		// Handed to the adapter as the same element each time, if at all.
		for (const [, elements] of phone.callsTo('attachMedia').slice(attached))
			expect(elements.remote).toBe(audio);
	});

	it('keeps a video call’s elements through every view, shown only on the Phone view', async () => {
		const { phone, user } = await setup();
		phone.emitCall({ id: 'v', video: true, phase: 'active', answeredAt: Date.now() });
		flushSync();
		const remote = media('remote-video');
		const local = media('local-video');
		const stage = () => document.querySelector('[data-call-id="v"]');
		expect(remote).toBeInstanceOf(HTMLVideoElement);
		expect(stage()?.classList.contains('shown')).toBe(true);
		expect(screen.getByRole('button', { name: 'Full screen' })).toBeTruthy();
		for (const view of ['Settings', 'History', 'About']) {
			await user.click(tab(view));
			expect(media('remote-video'), view).toBe(remote);
			expect(media('local-video'), view).toBe(local);
			expect(stage()?.classList.contains('shown'), view).toBe(false);
			expect(screen.queryByRole('button', { name: 'Full screen' }), view).toBeNull();
		}
		await user.click(tab('Phone'));
		expect(media('remote-video')).toBe(remote);
		expect(stage()?.classList.contains('shown')).toBe(true);
		expect(phone.callsTo('attachMedia').at(-1)).toEqual(['v', { local, remote }]);
	});

	it('shows a call bar on the other views: who, phase, duration, mute, hang up, back to the call', async () => {
		const { phone, user } = await setup();
		phone.emitCall({ id: 'talk', remoteName: 'Kitchen', phase: 'active', answeredAt: Date.now() });
		flushSync();
		expect(callBar()).toBeNull();
		await user.click(tab('History'));
		const bar = callBar()!;
		expect(bar).toBeTruthy();
		expect(within(bar).getByText('Kitchen')).toBeTruthy();
		expect(within(bar).getByTestId('call-bar-phase').textContent).toBe('In call');
		expect(within(bar).getByLabelText('Call duration').textContent).toMatch(/^0:0\d$/);
		await user.click(within(bar).getByRole('button', { name: 'Mute' }));
		expect(phone.callsTo('setMuted')).toEqual([['talk', true]]);
		expect(within(bar).getByRole('button', { name: 'Unmute' }).getAttribute('aria-pressed')).toBe(
			'true',
		);
		await user.click(within(bar).getByRole('button', { name: 'Back to the call' }));
		expect(tab('Phone').getAttribute('aria-current')).toBe('page');
		expect(screen.getByTestId('call-phase').textContent).toBe('In call');
		expect(callBar()).toBeNull();

		await user.click(tab('Settings'));
		await user.click(within(callBar()!).getByRole('button', { name: 'Hang up' }));
		expect(phone.callsTo('hangup')).toEqual([['talk']]);
		phone.update('talk', { phase: 'ended', endedAt: Date.now() });
		flushSync();
		expect(callBar()).toBeNull();
		expect(media('remote-audio')).toBeNull();
	});
});

describe('App: keys', () => {
	it('types digits pressed anywhere on the Phone view into the dialer, and Enter places the call', async () => {
		const { phone, user } = await setup();
		const field = screen.getByLabelText<HTMLInputElement>('Number, SIP address or installation');
		(document.activeElement as HTMLElement | null)?.blur();
		await user.keyboard('12#*');
		expect(field.value).toBe('12#*');
		expect(document.activeElement).toBe(field);
		// Shortcuts are not digits.
		field.blur();
		await user.keyboard('{Control>}3{/Control}');
		expect(field.value).toBe('12#*');
		// Typed into the field, a digit is typed once.
		await user.type(field, '{Backspace}{Backspace}{Backspace}{Backspace}+14155552671');
		expect(field.value).toBe('+14155552671');
		await user.keyboard('{Enter}');
		await waitFor(() => expect(phone.callsTo('dial')).toHaveLength(1));
		expect(phone.callsTo('dial')[0]?.[0]).toBe('+14155552671');
	});

	it('ignores digits on the other views', async () => {
		const { user } = await setup();
		await user.click(tab('About'));
		await user.keyboard('55');
		await user.click(tab('Phone'));
		expect(
			screen.getByLabelText<HTMLInputElement>('Number, SIP address or installation').value,
		).toBe('');
	});

	it('sends digits as tones in a connected call, and Esc closes the keypad', async () => {
		const { phone, user } = await setup();
		phone.emitCall({ id: 'talk', phase: 'active', answeredAt: Date.now() });
		flushSync();
		(document.activeElement as HTMLElement | null)?.blur();
		await user.keyboard('1#');
		expect(phone.callsTo('sendDtmf')).toEqual([
			['talk', '1'],
			['talk', '#'],
		]);
		await user.click(screen.getByRole('button', { name: 'Keypad' }));
		expect(screen.getByLabelText('Type tones')).toBeTruthy();
		// Typed into the tones field, digits are not sent one by one.
		await user.type(screen.getByLabelText('Type tones'), '9');
		expect(phone.callsTo('sendDtmf')).toHaveLength(2);
		await user.keyboard('{Escape}');
		expect(screen.queryByLabelText('Type tones')).toBeNull();
		expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Keypad' }));
		// Esc in a connected call with the keypad closed does nothing to the call.
		await user.keyboard('{Escape}');
		expect(phone.callsTo('hangup')).toEqual([]);
	});

	it('cancels a call ringing out with Esc', async () => {
		const { phone, user } = await setup();
		phone.emitCall({ id: 'out', direction: 'outbound', phase: 'ringing' });
		flushSync();
		await user.keyboard('5');
		expect(phone.callsTo('sendDtmf')).toEqual([]);
		await user.keyboard('{Escape}');
		expect(phone.callsTo('hangup')).toEqual([['out']]);
	});

	it('declines a ringing incoming call with Esc in its dialog, and not during full screen', async () => {
		const { phone, user } = await setup();
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing', remote: '+442071838750' });
		flushSync();
		const dialog = screen.getByRole('alertdialog');
		expect(dialog.contains(document.activeElement)).toBe(true);
		// jsdom has no Fullscreen API: the document says something is full screen, then nothing is.
		Object.defineProperty(document, 'fullscreenElement', {
			configurable: true,
			get: () => document.body,
		});
		await user.keyboard('{Escape}');
		expect(phone.callsTo('decline')).toEqual([]);
		Reflect.deleteProperty(document, 'fullscreenElement');
		await user.keyboard('{Escape}');
		expect(phone.callsTo('decline')).toEqual([['in']]);
	});

	it('lists the in-app keys in About', async () => {
		const { user } = await setup();
		await user.click(tab('About'));
		const keys = within(screen.getByRole('region', { name: 'Keyboard' }));
		for (const key of ['Enter', '0–9, *, #', 'Esc']) expect(keys.getByText(key)).toBeTruthy();
	});
});

describe('App: Test my setup', () => {
	it('opens from the tray (main’s app:open) and from Settings ▸ Help, and Done goes back to Settings', async () => {
		const { bridge, user } = await setup();
		bridge.emit('app:open', 'setup-test');
		flushSync();
		expect(await screen.findByRole('heading', { name: 'Test my setup' })).toBeTruthy();
		await user.click(screen.getByRole('button', { name: 'Done' }));
		expect(screen.getByRole('heading', { name: 'Help' })).toBeTruthy();
		await user.click(screen.getByRole('button', { name: 'Test my setup' }));
		expect(screen.getByRole('heading', { name: 'Test my setup' })).toBeTruthy();
		// The test call reaches the phone: its verdict is shown in words.
		await user.click(screen.getByRole('button', { name: 'Test call quality' }));
		await waitFor(() =>
			expect(screen.getByTestId('setup-call').getAttribute('data-verdict')).toBe('good'),
		);
	});
});
