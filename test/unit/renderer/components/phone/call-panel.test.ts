import { render, screen, within } from '@testing-library/svelte';
import { userEvent } from '@testing-library/user-event';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { summarise } from '../../../../../renderer/src/lib/quality/quality-history';
import { qualitySample } from '../.././quality/samples';
import { appContext } from '../../../../../renderer/src/lib/app-context';
import CallPanel from '../../../../../renderer/src/components/phone/CallPanel.svelte';
import { AppModel } from '../../../../../renderer/src/lib/app-model.svelte';
import { CallStore } from '../../../../../renderer/src/lib/call/call-store.svelte';
import type { CallSnapshot } from '../../../../../renderer/src/lib/telephony/softphone';
import { FAKE_SETTINGS, fakeBridge } from '../../../../fakes/fake-bridge';
import { endReasonOf, FakeSoftphone } from '../../../../fakes/fake-softphone';

/**
 * The panel is rendered as the app renders it: its `call` is the store's focused call, so a click goes
 * through the store to the fake softphone and comes back as a new snapshot.
 */
function setup(call: Partial<CallSnapshot> = {}, options: { useFakeTimers?: boolean } = {}) {
	if (options.useFakeTimers === true) vi.useFakeTimers({ now: Date.UTC(2026, 0, 15, 9, 30, 0) });
	const phone = new FakeSoftphone();
	const bridge = fakeBridge({ history: { add: async () => [] } });
	// The app's model holds the settings as reactive state, so a test can flip the camera switch.
	const model = new AppModel(bridge);
	model.settings = FAKE_SETTINGS;
	const store = new CallStore({
		phone,
		bridge,
		settings: () => model.settings,
		signallingUrl: () => 'wss://rtc.telnyx.com',
		directory: () => [],
	});
	phone.emitCall({ id: 'c1', remote: '+14155552671', phase: 'ringing', ...call });
	const ondismiss = vi.fn<() => void>();
	render(CallPanel, {
		props: {
			get call(): CallSnapshot {
				return store.focused!;
			},
			ondismiss,
		},
		context: appContext({ store }),
	});
	const user = userEvent.setup(
		options.useFakeTimers === true ? { advanceTimers: (ms) => vi.advanceTimersByTime(ms) } : {},
	);
	/** Drives the far side, then lets the DOM catch up. */
	const update = (change: Partial<CallSnapshot>) => {
		phone.update('c1', change);
		flushSync();
	};
	/** Main reports the camera switch turned on or off. */
	const cameraSwitch = (cameraEnabled: boolean) => {
		model.settings = { ...FAKE_SETTINGS, ui: { ...FAKE_SETTINGS.ui, cameraEnabled } };
		flushSync();
	};
	return { phone, store, ondismiss, user, update, cameraSwitch };
}

const button = (name: string | RegExp) => screen.getByRole('button', { name });
const phaseText = () => screen.getByTestId('call-phase').textContent;
const duration = () => screen.queryByLabelText('Call duration')?.textContent?.trim() ?? null;

afterEach(() => {
	vi.useRealTimers();
});

describe('CallPanel', () => {
	it('shows who is called and what the call is doing', () => {
		setup({ remoteName: 'Kitchen Laptop', remote: 'sip:gencredKitchen@sip.telnyx.com' });
		expect(screen.getByRole('heading', { name: 'Kitchen Laptop' })).toBeTruthy();
		expect(screen.getByText('sip:gencredKitchen@sip.telnyx.com')).toBeTruthy();
		expect(phaseText()).toBe('Ringing…');
	});

	it('keeps the in-call controls disabled until the call is active, but always allows hanging up', () => {
		const { update } = setup({ phase: 'dialing' });
		for (const phase of ['dialing', 'trying', 'ringing', 'early'] as const) {
			update({ phase });
			for (const name of ['Mute', 'Hold', 'Keypad']) {
				expect(button(name), `${name} while ${phase}`).toHaveProperty('disabled', true);
			}
			expect(button('Hang up')).toHaveProperty('disabled', false);
		}
		update({ phase: 'active' });
		for (const name of ['Mute', 'Hold', 'Keypad', 'Hang up']) {
			expect(button(name)).toHaveProperty('disabled', false);
		}
		expect(phaseText()).toBe('In call');
	});

	it('mutes and unmutes through the store, the button following the call’s state', async () => {
		const { phone, user } = setup({ phase: 'active', answeredAt: Date.now() });
		expect(button('Mute').getAttribute('aria-pressed')).toBe('false');
		await user.click(button('Mute'));
		expect(phone.callsTo('setMuted')).toEqual([['c1', true]]);
		expect(button('Unmute').getAttribute('aria-pressed')).toBe('true');
		await user.click(button('Unmute'));
		expect(phone.callsTo('setMuted')).toEqual([
			['c1', true],
			['c1', false],
		]);
		expect(button('Mute').getAttribute('aria-pressed')).toBe('false');
	});

	it('holds and resumes', async () => {
		const { phone, user } = setup({ phase: 'active', answeredAt: Date.now() });
		await user.click(button('Hold'));
		expect(phone.callsTo('hold')).toEqual([['c1']]);
		expect(button('Resume').getAttribute('aria-pressed')).toBe('true');
		expect(phaseText()).toBe('On hold');
		// On hold, the controls stay usable (to resume, mute or hang up).
		expect(button('Mute')).toHaveProperty('disabled', false);
		await user.click(button('Resume'));
		expect(phone.callsTo('unhold')).toEqual([['c1']]);
		expect(button('Hold').getAttribute('aria-pressed')).toBe('false');
	});

	it('says when the other side holds the call', () => {
		const { update } = setup({ phase: 'active', answeredAt: Date.now() });
		update({ remoteHeld: true });
		expect(phaseText()).toBe('On hold by the other side');
	});

	it('turns the camera off and on in a video call only', async () => {
		const { phone, user } = setup({ phase: 'active', answeredAt: Date.now(), video: true });
		await user.click(button('Camera off'));
		expect(phone.callsTo('setCameraOff')).toEqual([['c1', true]]);
		expect(button('Camera on').getAttribute('aria-pressed')).toBe('true');
		await user.click(button('Camera on'));
		expect(phone.callsTo('setCameraOff')).toEqual([
			['c1', true],
			['c1', false],
		]);
	});

	it('cannot turn the camera back on while it is switched off in Settings, and says why', async () => {
		const { phone, store, user, cameraSwitch } = setup({
			phase: 'active',
			answeredAt: Date.now(),
			video: true,
		});
		cameraSwitch(false);
		// Turning it off is always allowed.
		expect(button('Camera off')).toHaveProperty('disabled', false);
		expect(button('Camera off').hasAttribute('aria-describedby')).toBe(false);
		await user.click(button('Camera off'));
		expect(button('Camera on')).toHaveProperty('disabled', true);
		expect(button('Camera on').getAttribute('aria-describedby')).toBe('camera-locked');
		expect(document.getElementById('camera-locked')?.textContent?.trim()).toBe(
			'The camera is switched off in Settings → Devices; turn it on there to send video.',
		);
		// Not through the store either (a shortcut, a stale click).
		store.setCameraOff('c1', false);
		expect(phone.callsTo('setCameraOff')).toEqual([['c1', true]]);
		cameraSwitch(true);
		expect(button('Camera on')).toHaveProperty('disabled', false);
		expect(document.getElementById('camera-locked')).toBeNull();
		await user.click(button('Camera on'));
		expect(phone.callsTo('setCameraOff')).toEqual([
			['c1', true],
			['c1', false],
		]);
	});

	it('says an audio call is audio only while the camera is switched off, and only then', () => {
		const { cameraSwitch } = setup({ phase: 'active', answeredAt: Date.now() });
		expect(screen.queryByTestId('audio-only')).toBeNull();
		cameraSwitch(false);
		expect(screen.getByTestId('audio-only').textContent?.trim()).toBe(
			'Audio only: the camera is switched off in Settings → Devices.',
		);
		cameraSwitch(true);
		expect(screen.queryByTestId('audio-only')).toBeNull();
	});

	it('has no camera button in an audio call, and no media elements of its own (the host has them)', () => {
		setup({ phase: 'active', answeredAt: Date.now() });
		expect(screen.queryByRole('button', { name: /Camera/ })).toBeNull();
		expect(document.querySelector('audio, video')).toBeNull();
	});

	it('hangs up', async () => {
		const { phone, user } = setup({ phase: 'ringing' });
		await user.click(button('Hang up'));
		expect(phone.callsTo('hangup')).toEqual([['c1']]);
	});

	it('sends keypad digits as DTMF', async () => {
		const { phone, user } = setup({ phase: 'active', answeredAt: Date.now() });
		expect(screen.queryByRole('group', { name: 'Send tones' })).toBeNull();
		await user.click(button('Keypad'));
		expect(button('Keypad').getAttribute('aria-expanded')).toBe('true');
		const pad = screen.getByRole('group', { name: 'Send tones' });
		for (const key of ['1', '#', '0', '*']) {
			await user.click(within(pad).getByRole('button', { name: key }));
		}
		expect(phone.callsTo('sendDtmf')).toEqual([
			['c1', '1'],
			['c1', '#'],
			['c1', '0'],
			['c1', '*'],
		]);
	});

	it('refuses typed tones outside 0-9, *, # and A-D, in words, without sending anything', async () => {
		const { phone, user } = setup({ phase: 'active', answeredAt: Date.now() });
		await user.click(button('Keypad'));
		const field = screen.getByLabelText<HTMLInputElement>('Type tones');
		await user.type(field, '12#x');
		await user.click(button('Send'));
		expect(screen.getByRole('alert').textContent).toBe('Only 0-9, *, # and A-D can be sent.');
		expect(field.getAttribute('aria-describedby')).toBe('dtmf-error');
		expect(field.value).toBe('12#x');
		expect(phone.callsTo('sendDtmf')).toEqual([]);

		await user.clear(field);
		await user.type(field, '12#a{Enter}');
		expect(phone.callsTo('sendDtmf')).toEqual([['c1', '12#A']]);
		expect(screen.queryByRole('alert')).toBeNull();
		expect(field.value).toBe('');
	});

	it('hides the keypad while the call recovers from a network change, and at the end', async () => {
		const { user, update } = setup({ phase: 'active', answeredAt: Date.now() });
		await user.click(button('Keypad'));
		update({ phase: 'connecting' }); // the SDK's `recovering`
		expect(screen.queryByRole('group', { name: 'Send tones' })).toBeNull();
		expect(button('Keypad')).toHaveProperty('disabled', true);
		update({ phase: 'active' });
		expect(screen.getByRole('group', { name: 'Send tones' })).toBeTruthy();
		update({ phase: 'ended', end: endReasonOf('hangup-remote') });
		expect(screen.queryByRole('group', { name: 'Send tones' })).toBeNull();
	});

	it('shows an ended call’s end message and a Close button instead of the controls', async () => {
		const { ondismiss, user, update } = setup({ phase: 'ringing' });
		update({
			phase: 'ended',
			end: endReasonOf('busy', { message: 'Busy: the other side declined or is on another call.' }),
		});
		expect(phaseText()).toBe('Busy: the other side declined or is on another call.');
		expect(screen.queryByRole('group', { name: 'Call controls' })).toBeNull();
		expect(screen.queryByRole('button', { name: 'Hang up' })).toBeNull();
		await user.click(button('Close'));
		expect(ondismiss).toHaveBeenCalledOnce();
	});

	it('shows no duration before the answer, then a running one, frozen at the end', () => {
		const { update } = setup({ phase: 'ringing' }, { useFakeTimers: true });
		expect(duration()).toBeNull();
		vi.advanceTimersByTime(10_000);
		update({ phase: 'active' }); // answered now
		expect(duration()).toBe('0:00');
		vi.advanceTimersByTime(65_000);
		flushSync();
		expect(duration()).toBe('1:05');
		vi.advanceTimersByTime(1_000);
		// The call ended a little before the snapshot arrived: its own end time counts.
		const answeredAt = Date.now() - 66_000;
		update({
			phase: 'ended',
			endedAt: answeredAt + 65_400,
			end: endReasonOf('hangup-local', { message: 'You hung up.' }),
		});
		expect(duration()).toBe('1:05');
		vi.advanceTimersByTime(30_000);
		flushSync();
		expect(duration()).toBe('1:05');
		expect(vi.getTimerCount()).toBe(0);
	});

	it('shows call quality while talking, with a poor-quality warning as an alert', () => {
		const { update } = setup({ phase: 'active', answeredAt: Date.now() });
		expect(screen.queryByTestId('call-quality')).toBeNull();
		const sample = qualitySample({
			at: Date.now(),
			mos: 2.61,
			rttMs: 412.4,
			jitterMs: 31.6,
			packetLossPercent: 4.5,
		});
		update({
			quality: {
				mos: 2.61,
				rttMs: 412.4,
				jitterMs: 31.6,
				packetLossPercent: 4.5,
				warning: 'Poor connection: packets are being lost.',
				samples: [sample],
				summary: summarise([sample]),
			},
		});
		const quality = screen.getByTestId('call-quality');
		// The live view (its own tests: quality/quality-view.test.ts) under the warning.
		expect(within(quality).getByTestId('quality-mos').textContent).toMatch(/2\.6/);
		expect(within(quality).getByTestId('quality-loss').textContent).toMatch(/4\.5/);
		expect(within(quality).getByRole('alert').textContent).toBe(
			'Poor connection: packets are being lost.',
		);
	});
});
