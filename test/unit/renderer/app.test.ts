import { screen, waitFor, within } from '@testing-library/svelte';
import { userEvent } from '@testing-library/user-event';
import { flushSync } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppInfo, Settings, SettingsPatch } from '../../../preload/contract';
import { FAKE_INFO } from '../../fakes/fake-bridge';
import { appBridge, mountApp, PROVISIONED, SilentAudioContext } from './app-harness';

const CAMERA_OFF: Settings = { ...PROVISIONED, ui: { ...PROVISIONED.ui, cameraEnabled: false } };

/** Lets pending promise callbacks (the bridge's answers) run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A patch section without its `undefined` fields (they leave a setting as it is). */
function defined<T extends object>(
	section: T | undefined,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
	return Object.fromEntries(
		Object.entries(section ?? {}).filter(([, value]) => value !== undefined),
	) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

interface SetupOptions {
	justProvisioned?: boolean;
	/** What main reports from `app.getInfo` (default the fake's, signalling at wss://rtc.telnyx.com). */
	info?: AppInfo;
	/** Start with an active audio call on screen (default true). */
	inCall?: boolean;
	/** Main's answer to `settings.update` (default: saved, and announced with `settings:changed`). */
	saveFails?: boolean;
}

/** The whole app over a fake bridge (a set-up account) and a fake softphone. */
async function setup(options: SetupOptions = {}) {
	let current = PROVISIONED;
	// Main's `settings.update` for the sections the page may patch: saves, then announces the new settings.
	const update = vi.fn(async (patch: SettingsPatch) => {
		if (options.saveFails === true) {
			return {
				ok: false as const,
				error: { code: 'SAVE_FAILED' as const, message: 'The disk is full.' },
			};
		}
		current = {
			...current,
			devices: { ...current.devices, ...defined(patch.devices) },
			ui: { ...current.ui, ...defined(patch.ui) },
		};
		bridge.emit('settings:changed', current);
		return { ok: true as const, value: current };
	});
	const bridge = appBridge({
		app: { getInfo: async () => options.info ?? FAKE_INFO },
		settings: { get: async () => current, update },
	});
	const { phone, account, store } = await mountApp(bridge, {
		justProvisioned: options.justProvisioned ?? false,
	});
	if (options.inCall ?? true) phone.emitCall({ id: 'talk', phase: 'active', answeredAt: 1 });
	flushSync();
	/** Main announces new settings, then the app catches up. */
	const change = async (settings: Settings) => {
		bridge.emit('settings:changed', settings);
		flushSync();
		await settle();
	};
	return { bridge, phone, account, store, change, update, user: userEvent.setup() };
}

describe('App: the connection', () => {
	it('stays connected, with the call, when other settings change', async () => {
		const { phone, change } = await setup();
		const dnd = { ...PROVISIONED, ui: { ...PROVISIONED.ui, doNotDisturb: true } };
		await change(dnd);
		await change({ ...dnd, devices: { ...dnd.devices, speakerId: 'spk-2' } });
		await change({ ...dnd, callerId: { name: 'Front', number: null } });
		expect(phone.callsTo('disconnect')).toEqual([]);
		expect(phone.callsTo('connect')).toHaveLength(1);
		expect(screen.getByRole('heading', { name: '+13125550142' })).toBeTruthy();
	});

	it('connects to the signalling server main chose for this installation (app.getInfo)', async () => {
		const endpoints = {
			restBaseUrl: 'http://127.0.0.1:14000/v2',
			signallingUrl: 'ws://127.0.0.1:14001',
		};
		const { phone } = await setup({ info: { ...FAKE_INFO, endpoints } });
		expect(phone.callsTo('connect')).toEqual([
			[{ loginToken: 'jwt', signallingUrl: 'ws://127.0.0.1:14001' }],
		]);
	});

	it('stays connected when the caller ID step after provisioning is done', async () => {
		const { phone, account } = await setup({ justProvisioned: true });
		expect(screen.getByRole('heading', { name: 'Caller ID' })).toBeTruthy();
		account.justProvisioned = false;
		flushSync();
		await settle();
		expect(screen.getByRole('navigation', { name: 'Sections' })).toBeTruthy();
		expect(phone.callsTo('disconnect')).toEqual([]);
		expect(phone.callsTo('connect')).toHaveLength(1);
	});
});

describe('App: calls', () => {
	beforeEach(() => vi.stubGlobal('AudioContext', SilentAudioContext));
	afterEach(() => vi.unstubAllGlobals());

	it('gives each call its own media elements, so they are not reused across calls', async () => {
		const { phone, store } = await setup();
		const mediaOf = (id: string) =>
			document.querySelector(`[data-call-id="${id}"] [data-testid="remote-audio"]`);
		const first = mediaOf('talk');
		expect(first).not.toBeNull();
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing', remote: '+442071838750' });
		await store.answer('in', false);
		phone.update('in', { phase: 'active', answeredAt: 2 });
		flushSync();
		expect(screen.getByRole('heading', { name: '+442071838750' })).toBeTruthy();
		// The held call keeps its own element; the new call has another.
		expect(mediaOf('talk')).toBe(first);
		expect(mediaOf('in')).not.toBe(first);
		expect(phone.callsTo('attachMedia').at(-1)).toEqual([
			'in',
			{ local: null, remote: mediaOf('in') },
		]);
	});
});

describe('App: settings', () => {
	it('offers the caller ID without a Skip button', async () => {
		const { user } = await setup();
		await user.click(screen.getByRole('button', { name: 'Settings' }));
		const callerId = screen.getByRole('region', { name: 'Caller ID' });
		expect(within(callerId).getByRole('button', { name: 'Save' })).toBeTruthy();
		expect(within(callerId).queryByRole('button', { name: 'Skip' })).toBeNull();
	});
});

describe('App: the camera switch', () => {
	beforeEach(() => vi.stubGlobal('AudioContext', SilentAudioContext));
	afterEach(() => vi.unstubAllGlobals());

	const cameraBox = () =>
		screen.getByRole<HTMLInputElement>('checkbox', { name: 'Use the camera for video calls' });

	it('is a labelled checkbox in Settings → Devices, on by default, saved through settings.update', async () => {
		const { update, user } = await setup({ inCall: false });
		expect(screen.getByRole('button', { name: 'Video call' })).toBeTruthy();
		await user.click(screen.getByRole('button', { name: 'Settings' }));
		const devices = screen.getByRole('region', { name: 'Devices' });
		expect(within(devices).getByRole('checkbox', { name: 'Use the camera for video calls' })).toBe(
			cameraBox(),
		);
		expect(cameraBox().checked).toBe(true);
		const hint = document.getElementById(cameraBox().getAttribute('aria-describedby') ?? '');
		expect(hint?.textContent).toMatch(/calls are audio only/);

		await user.click(cameraBox());
		expect(update.mock.calls).toEqual([[{ ui: { cameraEnabled: false } }]]);
		expect(cameraBox().checked).toBe(false);
		await user.click(screen.getByRole('button', { name: 'Phone' }));
		expect(screen.queryByRole('button', { name: 'Video call' })).toBeNull();
		expect(screen.getByTestId('video-off')).toBeTruthy();

		await user.click(screen.getByRole('button', { name: 'Settings' }));
		await user.click(cameraBox());
		expect(update.mock.calls.at(-1)).toEqual([{ ui: { cameraEnabled: true } }]);
		await user.click(screen.getByRole('button', { name: 'Phone' }));
		expect(screen.getByRole('button', { name: 'Video call' })).toBeTruthy();
	});

	it('shows the setting main reports', async () => {
		const { change, user } = await setup({ inCall: false });
		await change(CAMERA_OFF);
		await user.click(screen.getByRole('button', { name: 'Settings' }));
		expect(cameraBox().checked).toBe(false);
	});

	it('says so when main could not save it', async () => {
		const { user } = await setup({ inCall: false, saveFails: true });
		await user.click(screen.getByRole('button', { name: 'Settings' }));
		await user.click(cameraBox());
		expect(
			await screen.findByText('Could not save the camera setting. The disk is full.'),
		).toBeTruthy();
		// Nothing was saved, so the box shows the setting as it still is.
		await waitFor(() => expect(cameraBox().checked).toBe(true));
	});

	it('off: a link or tray request for a video call places an audio call, and says why', async () => {
		const { bridge, phone, change } = await setup({ inCall: false });
		await change(CAMERA_OFF);
		bridge.emit('app:dial', { destination: '+14155552671', video: true, now: true });
		await waitFor(() => expect(phone.callsTo('dial')).toHaveLength(1));
		expect(phone.callsTo('dial')[0]?.[1].video).toBe(false);
		phone.update('call-1', { phase: 'trying' });
		flushSync();
		expect(screen.getByTestId('audio-only').textContent?.trim()).toBe(
			'Audio only: the camera is switched off in Settings → Devices.',
		);
		expect(screen.queryByTestId('local-video')).toBeNull();
	});

	it('on: a link or tray request for a video call places a video call', async () => {
		const { bridge, phone } = await setup({ inCall: false });
		bridge.emit('app:dial', { destination: '+14155552671', video: true, now: true });
		await waitFor(() => expect(phone.callsTo('dial')).toHaveLength(1));
		expect(phone.callsTo('dial')[0]?.[1].video).toBe(true);
	});

	it('off: an incoming video call is answered with audio only', async () => {
		const { phone, change, user } = await setup({ inCall: false });
		await change(CAMERA_OFF);
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing', video: true });
		flushSync();
		const dialog = screen.getByRole('alertdialog');
		expect(within(dialog).queryByRole('button', { name: 'Answer with video' })).toBeNull();
		await user.click(within(dialog).getByRole('button', { name: 'Answer' }));
		await waitFor(() =>
			expect(phone.callsTo('answer')).toEqual([
				['in', { video: false, microphoneId: null, cameraId: null }],
			]),
		);
	});

	it('switched off during a video call: turns its camera off, which cannot be turned back on', async () => {
		const { phone, change } = await setup({ inCall: false });
		phone.emitCall({ id: 'v', phase: 'active', video: true, answeredAt: 1 });
		flushSync();
		expect(screen.getByRole('button', { name: 'Camera off' })).toBeTruthy();
		await change(CAMERA_OFF);
		expect(phone.callsTo('setCameraOff')).toEqual([['v', true]]);
		expect(screen.getByRole('button', { name: 'Camera on' })).toHaveProperty('disabled', true);
		// Other settings changes do not touch the camera again.
		await change({ ...CAMERA_OFF, ui: { ...CAMERA_OFF.ui, doNotDisturb: true } });
		expect(phone.callsTo('setCameraOff')).toEqual([['v', true]]);
	});
});

describe('App: desktop settings, About and commands from notifications', () => {
	beforeEach(() => vi.stubGlobal('AudioContext', SilentAudioContext));
	afterEach(() => vi.unstubAllGlobals());

	it('Settings has Desktop and Global shortcuts; a switch is saved and shown as main announces it', async () => {
		const { update, user } = await setup({ inCall: false });
		await user.click(screen.getByRole('button', { name: 'Settings' }));
		const desktop = screen.getByRole('region', { name: 'Desktop' });
		expect(screen.getByRole('region', { name: 'Global shortcuts' })).toBeTruthy();
		const login = within(desktop).getByRole<HTMLInputElement>('checkbox', {
			name: 'Start when I log in',
		});
		await user.click(login);
		expect(update.mock.calls).toEqual([[{ ui: { startAtLogin: true } }]]);
		await waitFor(() => expect(login.checked).toBe(true));
	});

	it('About’s Open logs folder asks main', async () => {
		const { bridge, user } = await setup({ inCall: false });
		await user.click(screen.getByRole('button', { name: 'About' }));
		await user.click(screen.getByRole('button', { name: 'Open logs folder' }));
		expect(bridge.calls).toContain('app:openLogsFolder');
	});

	it('a notification’s Answer answers the call it announced, not the first one ringing', async () => {
		const { bridge, phone } = await setup({ inCall: false });
		phone.emitCall({
			id: 'first',
			direction: 'inbound',
			phase: 'ringing',
			remote: '+442071838750',
		});
		phone.emitCall({
			id: 'second',
			direction: 'inbound',
			phase: 'ringing',
			remote: '+14155550199',
		});
		flushSync();
		bridge.emit('app:command', 'answer', 'second');
		await waitFor(() =>
			expect(phone.callsTo('answer')).toEqual([
				['second', { video: false, microphoneId: null, cameraId: null }],
			]),
		);
	});

	it('a notification’s Decline for a call that stopped ringing declines nothing, and says so', async () => {
		const { bridge, phone } = await setup({ inCall: false });
		phone.emitCall({ id: 'gone', direction: 'inbound', phase: 'ringing' });
		phone.update('gone', { phase: 'ended', endedAt: 2 });
		phone.emitCall({ id: 'now', direction: 'inbound', phase: 'ringing' });
		flushSync();
		bridge.emit('app:command', 'decline', 'gone');
		expect(await screen.findByText('That call is no longer ringing.')).toBeTruthy();
		expect(phone.callsTo('decline')).toEqual([]);
	});

	it('the tray and shortcuts (no call id) act on the call in front, as before', async () => {
		const { bridge, phone } = await setup();
		bridge.emit('app:command', 'toggleMute', null);
		await waitFor(() => expect(phone.callsTo('setMuted')).toEqual([['talk', true]]));
	});
});
