/**
 * The main window's orchestration (`AppSession`) without a component: `start()` runs its effects in an
 * `$effect.root`, over a fake bridge and a fake softphone; `flushSync` runs what changed.
 */
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PhoneReport, Settings } from '../../../preload/contract';
import { AccountModel } from '../../../renderer/src/lib/account-model.svelte';
import { AppModel } from '../../../renderer/src/lib/app-model.svelte';
import { AppSession } from '../../../renderer/src/lib/app-session.svelte';
import { CallStore } from '../../../renderer/src/lib/call/call-store.svelte';
import { summarise } from '../../../renderer/src/lib/quality/quality-history';
import { FAKE_KEY_STATUS, FAKE_SETTINGS, fakeBridge } from '../../fakes/fake-bridge';
import { FakeSoftphone } from '../../fakes/fake-softphone';
import { qualitySample } from './quality/samples';

const PROVISIONED: Settings = {
	...FAKE_SETTINGS,
	callerId: { name: '', number: '+13125550142' },
	devices: { ...FAKE_SETTINGS.devices, ringerId: 'ringer-1', speakerId: 'spk-1' },
	provisioned: {
		connectionId: 'conn-1',
		profileId: 'ovp-1',
		credentialId: 'cred-1',
		sipUsername: 'gencredSelf',
		deviceName: 'Ada Desk',
	},
};

/** Lets pending promise callbacks (the bridge's answers) run, then the effects they woke. */
const settle = async () => {
	await new Promise<void>((resolve) => setTimeout(resolve, 0));
	flushSync();
};

let stops: (() => void)[] = [];
afterEach(() => {
	for (const stop of stops.splice(0)) stop();
});

/** A started session over a set-up account, registered. */
async function started() {
	const reports: PhoneReport[] = [];
	const markMissedSeen = vi.fn(async () => undefined);
	const bridge = fakeBridge({
		settings: { get: async () => PROVISIONED },
		credentials: {
			getStatus: async () => ({ ...FAKE_KEY_STATUS, hasApiKey: true, persisted: true }),
		},
		history: { list: async () => [] },
		telnyx: {
			getLoginToken: async () => ({
				ok: true,
				value: { token: 'jwt', expiresAt: '2026-01-15T10:30:00.000Z' },
			}),
		},
		desktop: {
			report: async (report) => void reports.push(report),
			markMissedSeen,
		},
		media: {
			requestAccess: async () => ({ microphone: 'granted', camera: 'granted', message: null }),
		},
		account: {
			listInstallations: async () => ({ ok: true, value: [] }),
			listPhoneNumbers: async () => ({ ok: true, value: [] }),
		},
		contacts: { list: async () => [] },
	});
	const phone = new FakeSoftphone();
	const model = new AppModel(bridge);
	const account = new AccountModel(bridge);
	const store = new CallStore({
		phone,
		bridge,
		settings: () => model.settings,
		signallingUrl: () => model.info?.endpoints.signallingUrl ?? null,
		directory: () => account.others,
	});
	const tones = { ring: vi.fn(async () => {}), ringback: vi.fn(async () => {}), stop: vi.fn() };
	const session = new AppSession({ bridge, model, account, store, tones });
	const stop = session.start();
	stops.push(stop);
	for (let i = 0; i < 5 && phone.callsTo('connect').length === 0; i += 1) await settle();
	phone.connection({ kind: 'registered' });
	flushSync();
	return { session, bridge, phone, store, model, tones, reports, markMissedSeen, stop };
}

describe('AppSession: the line', () => {
	it('connects once the account is set up and main has said where, and disconnects when stopped', async () => {
		const { phone, bridge, stop } = await started();
		expect(phone.callsTo('connect')).toEqual([
			[{ loginToken: 'jwt', signallingUrl: 'wss://rtc.telnyx.com' }],
		]);
		// A settings change (do not disturb, a device) must not reconnect: that would end every call.
		bridge.emit('settings:changed', {
			...PROVISIONED,
			ui: { ...PROVISIONED.ui, doNotDisturb: true },
		});
		await settle();
		expect(phone.callsTo('connect')).toHaveLength(1);
		expect(phone.callsTo('disconnect')).toEqual([]);
		stops = [];
		stop();
		expect(phone.callsTo('disconnect')).toHaveLength(1);
		expect(phone.disposed).toBe(true);
	});

	it('checks the connection when main asks (a wake-up)', async () => {
		const { phone, bridge } = await started();
		bridge.emit('app:checkConnection');
		await settle();
		expect(phone.callsTo('checkRegistration')).toHaveLength(1);
	});
});

describe('AppSession: reports to main (the tray)', () => {
	it('reports a call as it rings and is answered, and not for its quality samples every 2 s', async () => {
		const { phone, reports } = await started();
		await settle();
		expect(reports.at(-1)).toMatchObject({ connection: 'registered', call: null });
		const before = reports.length;

		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing' });
		flushSync();
		phone.update('in', { phase: 'active', answeredAt: 1, mediaConnected: true });
		flushSync();
		expect(reports.slice(before).map((r) => r.call?.phase)).toEqual(['ringing', 'active']);
		const inCall = reports.length;

		// A minute of a call: a quality sample every 2 s, each a new snapshot of the call.
		const samples = [];
		for (let at = 0; at <= 60_000; at += 2000) {
			samples.push(qualitySample({ at, mos: 4.4 - at / 100_000 }));
			phone.update('in', {
				quality: {
					mos: samples.at(-1)!.mos,
					rttMs: 48,
					jitterMs: 4,
					packetLossPercent: 0,
					warning: null,
					samples: [...samples],
					summary: summarise(samples),
				},
			});
			flushSync();
		}
		expect(reports.length).toBe(inCall);

		// A change the tray shows is reported at once.
		phone.update('in', { muted: true });
		flushSync();
		expect(reports.length).toBe(inCall + 1);
		expect(reports.at(-1)?.call?.muted).toBe(true);
	});
});

describe('AppSession: what main asks for', () => {
	it('puts a link to confirm in the dialer, and opens Test my setup', async () => {
		const { session, bridge } = await started();
		session.view = 'history';
		bridge.emit('app:dial', { destination: '+442071838750', video: false, now: false });
		expect(session.view).toBe('phone');
		expect(session.prefill).toBe('+442071838750');
		bridge.emit('app:open', 'setup-test');
		expect(session.view).toBe('setup');
	});

	it('applies a tray command to the call in front', async () => {
		const { bridge, phone } = await started();
		phone.emitCall({ id: 'c1', phase: 'active', answeredAt: 1 });
		bridge.emit('app:command', 'hangup', null);
		await settle();
		expect(phone.callsTo('hangup')).toEqual([['c1']]);
	});

	it('marks missed calls seen when the History view is shown', async () => {
		const { session, markMissedSeen } = await started();
		session.view = 'contacts';
		flushSync();
		expect(markMissedSeen).not.toHaveBeenCalled();
		session.view = 'history';
		flushSync();
		expect(markMissedSeen).toHaveBeenCalledTimes(1);
	});
});

describe('AppSession: tones', () => {
	it('rings on the ringer while a call rings in, and stops once it is answered', async () => {
		const { phone, tones } = await started();
		phone.emitCall({ id: 'in', direction: 'inbound', phase: 'ringing' });
		flushSync();
		expect(tones.ring).toHaveBeenLastCalledWith('ringer-1');
		const stopped = tones.stop.mock.calls.length;
		phone.update('in', { phase: 'connecting' });
		flushSync();
		expect(tones.stop.mock.calls.length).toBe(stopped + 1);
	});

	it('plays the ringback on the speaker while the far end rings', async () => {
		const { phone, tones } = await started();
		phone.emitCall({ id: 'out', phase: 'ringing' });
		flushSync();
		expect(tones.ringback).toHaveBeenLastCalledWith('spk-1');
	});
});
