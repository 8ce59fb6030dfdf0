import { describe, expect, it } from 'vitest';
import { contractMethods } from '../../../preload/contract';
import { FAKE_KEY_STATUS, FAKE_SETTINGS, fakeBridge } from '../../fakes/fake-bridge';

type Callable = Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>;

describe('fakeBridge', () => {
	it('has every contract method', () => {
		const bridge = fakeBridge() as unknown as Callable;
		for (const [ns, method] of contractMethods()) {
			expect(typeof bridge[ns]?.[method], `${ns}.${method}`).toBe('function');
		}
	});

	it.each(contractMethods().filter(([ns]) => ns !== 'app' && ns !== 'settings'))(
		'rejects %s.%s when the test did not script it, naming the channel',
		async (ns, method, channel) => {
			const bridge = fakeBridge();
			const call = (bridge as unknown as Callable)[ns]?.[method];
			await expect(call?.({})).rejects.toThrow(`fakeBridge: ${channel} was called`);
			expect(bridge.calls).toStrictEqual([channel]);
		},
	);

	it('answers what a test scripted', async () => {
		const bridge = fakeBridge({ credentials: { getStatus: async () => FAKE_KEY_STATUS } });
		await expect(bridge.credentials.getStatus()).resolves.toBe(FAKE_KEY_STATUS);
	});

	it('merges settings patches section by section, ignoring undefined fields', async () => {
		const bridge = fakeBridge();
		const result = await bridge.settings.update({
			endpoints: { signallingUrl: 'wss://rtcdev.telnyx.com', restBaseUrl: undefined },
			ui: { startMinimised: true },
		});
		expect(result).toStrictEqual({
			ok: true,
			value: {
				...FAKE_SETTINGS,
				endpoints: { ...FAKE_SETTINGS.endpoints, signallingUrl: 'wss://rtcdev.telnyx.com' },
				ui: { ...FAKE_SETTINGS.ui, startMinimised: true },
			},
		});
		expect(await bridge.settings.get()).toStrictEqual(result.ok ? result.value : undefined);
	});
});
