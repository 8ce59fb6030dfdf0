import { describe, expect, it } from 'vitest';
import { contractMethods } from '../../../preload/contract';
import {
	FAKE_DESKTOP_STATUS,
	FAKE_INFO,
	FAKE_KEY_STATUS,
	FAKE_SETTINGS,
	fakeBridge,
	type FakeBridge,
} from '../../fakes/fake-bridge';

type Callable = Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>;

describe('fakeBridge', () => {
	it('has every contract method', () => {
		const bridge = fakeBridge() as unknown as Callable;
		for (const [ns, method] of contractMethods()) {
			expect(typeof bridge[ns]?.[method], `${ns}.${method}`).toBe('function');
		}
	});

	// Every screen reads these, so they have defaults (see the fake's header).
	const DEFAULTED = (ns: string, method: string) =>
		ns === 'app' ||
		ns === 'settings' ||
		(ns === 'desktop' && method === 'getStatus') ||
		(ns === 'diagnostics' && method === 'saveSetupReport') ||
		(ns === 'dial' && method === 'resolve');

	it('answers the defaulted methods: the fake app, its settings, a desktop where all works', async () => {
		const bridge = fakeBridge();
		await expect(bridge.app.getInfo()).resolves.toBe(FAKE_INFO);
		await expect(bridge.desktop.getStatus()).resolves.toBe(FAKE_DESKTOP_STATUS);
		await expect(bridge.app.openLogsFolder()).resolves.toStrictEqual({
			ok: true,
			value: undefined,
		});
		await expect(
			bridge.app.reportError({ kind: 'error', message: 'boom', stack: null }),
		).resolves.toBeUndefined();
		expect(bridge.calls).toStrictEqual([
			'app:getInfo',
			'desktop:getStatus',
			'app:openLogsFolder',
			'app:reportError',
		]);
	});

	it.each(contractMethods().filter(([ns, method]) => !DEFAULTED(ns, method)))(
		'rejects %s.%s when the test did not script it, naming the channel',
		async (ns, method, channel) => {
			const bridge = fakeBridge();
			const call = (bridge as unknown as Callable)[ns]?.[method];
			await expect(call?.({})).rejects.toThrow(`fakeBridge: ${channel} was called`);
			expect(bridge.calls).toStrictEqual([channel]);
		},
	);

	it('resolves a destination as main does, with the directory and caller ID number it is given', async () => {
		let callerNumber: string | null = null;
		const bridge = fakeBridge(
			{},
			{
				directory: () => [{ name: 'Kitchen', sipUsername: 'gencredK', self: false }],
				callerNumber: () => callerNumber,
			},
		);
		await expect(bridge.dial.resolve('kitchen')).resolves.toMatchObject({
			ok: true,
			value: { kind: 'installation', dial: 'sip:gencredK@sip.telnyx.com' },
		});
		await expect(bridge.dial.resolve('(312) 555-0142')).resolves.toMatchObject({ ok: false });
		callerNumber = '+13125550100';
		await expect(bridge.dial.resolve('(312) 555-0142')).resolves.toMatchObject({
			ok: true,
			value: { kind: 'phone', dial: '+13125550142' },
		});
		// Longer than main's guard takes: refused as main's guard would.
		await expect(bridge.dial.resolve('1'.repeat(258))).rejects.toThrow('[BAD_INPUT]');
		expect(bridge.calls).toStrictEqual(Array(4).fill('dial:resolve'));
	});

	it('answers what a test scripted', async () => {
		const bridge = fakeBridge({ credentials: { getStatus: async () => FAKE_KEY_STATUS } });
		await expect(bridge.credentials.getStatus()).resolves.toBe(FAKE_KEY_STATUS);
	});

	it('merges settings patches section by section, ignoring undefined fields', async () => {
		const bridge = fakeBridge();
		const result = await bridge.settings.update({
			devices: { cameraId: 'cam-2', microphoneId: undefined },
			ui: { startMinimised: true, cameraEnabled: false },
			shortcuts: { mute: 'CommandOrControl+Shift+M' },
		});
		expect(result).toStrictEqual({
			ok: true,
			value: {
				...FAKE_SETTINGS,
				devices: { ...FAKE_SETTINGS.devices, cameraId: 'cam-2' },
				ui: {
					...FAKE_SETTINGS.ui,
					startMinimised: true,
					cameraEnabled: false,
					shortcuts: { ...FAKE_SETTINGS.ui.shortcuts, mute: 'CommandOrControl+Shift+M' },
				},
			},
		});
		expect(await bridge.settings.get()).toStrictEqual(result.ok ? result.value : undefined);
	});

	// Like main's IPC guard: the contract's patch schema is strict, so the page cannot set the endpoints
	// (main's), the caller ID (checked against the account) or anything it invents.
	it.each([
		['endpoints', { endpoints: { signallingUrl: 'wss://evil.example' } }],
		['callerId', { callerId: { name: 'Mallory', number: '+14155552671' } }],
		['provisioned', { provisioned: null }],
		['an unknown ui key', { ui: { trayNoticeShown: true } }],
		['a wrong type', { ui: { cameraEnabled: 'no' } }],
	])('refuses a patch with %s as [BAD_INPUT], changing nothing', async (_what, patch) => {
		const bridge = fakeBridge();
		await expect(
			bridge.settings.update(patch as unknown as Parameters<FakeBridge['settings']['update']>[0]),
		).rejects.toThrow(/^\[BAD_INPUT\] settings:update: /);
		expect(await bridge.settings.get()).toStrictEqual(FAKE_SETTINGS);
	});
});
