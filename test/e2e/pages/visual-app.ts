/**
 * The real `App.svelte` and `CompactApp.svelte` over the renderer tests' scripted doubles (a fake bridge
 * instead of main, a fake softphone instead of the SDK), so the visual suite can put the screen in any state
 * on demand, with no network and no timing noise: `await window.__visual.show('audio-call')`. Bundled by the
 * end-to-end global setup into `dist/e2e/visual-app.js` (+ `visual-app.css`, the app's own stylesheet).
 *
 * Time is the test's: it freezes `Date.now` (Playwright's clock), so every duration and timestamp below is
 * relative to that instant. Video is a static picture drawn on a canvas, played through the real `<video>`
 * elements, so the layout around it is what a call shows.
 */
import { flushSync, mount } from 'svelte';
import App from '../../../renderer/src/App.svelte';
import CompactApp from '../../../renderer/src/CompactApp.svelte';
import { AccountModel } from '../../../renderer/src/lib/account-model.svelte';
import { AppModel } from '../../../renderer/src/lib/app-model.svelte';
import { CallStore } from '../../../renderer/src/lib/call/call-store.svelte';
import type { CallSnapshot, MediaElements } from '../../../renderer/src/lib/telephony/softphone';
import type {
	CallHistoryEntry,
	Contact,
	DesktopStatus,
	Installation,
	KeyStatus,
	PhoneNumber,
	Settings,
} from '../../../preload/contract';
import {
	FAKE_DESKTOP_STATUS,
	FAKE_KEY_STATUS,
	FAKE_SETTINGS,
	fakeBridge,
	type FakeBridge,
} from '../../fakes/fake-bridge';
import { FakeSoftphone, endReasonOf } from '../../fakes/fake-softphone';
import '../../../renderer/src/app.css';
import { estimateMos, type QualitySample } from '../../../renderer/src/lib/quality/call-stats';
import { summarise } from '../../../renderer/src/lib/quality/quality-history';
import type { Scene } from './visual-scenes';

declare global {
	interface Window {
		__visual: { show(scene: Scene): Promise<void> };
	}
}

// The renderer's build writes the SDK's version in (`renderer/src/lib/versions.ts`); this bundle is built
// without that config, so it says one itself: fixed, so that an SDK upgrade changes no picture.
(globalThis as { __TELNYX_SDK_VERSION__?: string }).__TELNYX_SDK_VERSION__ = '2.27.10';

const STORED: KeyStatus = { ...FAKE_KEY_STATUS, hasApiKey: true, persisted: true };
const PROVISIONED: Settings = {
	...FAKE_SETTINGS,
	callerId: { name: 'Ada Front Desk', number: '+13125550100' },
	// Main's defaults, as a new installation has them.
	ui: {
		...FAKE_SETTINGS.ui,
		shortcuts: {
			answer: 'CommandOrControl+Shift+A',
			hangup: 'CommandOrControl+Shift+E',
			mute: 'CommandOrControl+Shift+M',
		},
	},
	provisioned: {
		connectionId: 'conn-1',
		profileId: 'ovp-1',
		credentialId: 'cred-1',
		sipUsername: 'gencredAda',
		deviceName: 'Ada Desk',
	},
};
const INSTALLATIONS: readonly Installation[] = [
	{ name: 'Ada Desk', sipUsername: 'gencredAda', self: true },
	{ name: 'Grace Laptop', sipUsername: 'gencredGrace', self: false },
	{ name: 'Reception', sipUsername: 'gencredReception', self: false },
];
const NUMBERS: readonly PhoneNumber[] = [
	{ number: '+13125550100', country: 'US' },
	{ number: '+442071838750', country: 'GB' },
];
/** The address book: the first number is one that appears in the history and calls below. */
const CONTACTS: readonly Contact[] = [
	{
		id: 'c1',
		name: 'Ada Lovelace',
		phones: ['+13125550142'],
		sipAddresses: [],
		note: 'Analytical Engines Ltd.',
	},
	{
		id: 'c2',
		name: 'Support desk',
		phones: ['+14155550199', '+442071838750'],
		sipAddresses: ['sip:support@example.com'],
		note: '',
	},
];
const DEVICES = [
	['audioinput', 'mic-1', 'Built-in Microphone'],
	['audioinput', 'mic-2', 'USB Headset Microphone'],
	['videoinput', 'cam-1', 'Integrated Camera'],
	['audiooutput', 'spk-1', 'Built-in Speakers'],
	['audiooutput', 'spk-2', 'USB Headset'],
] as const;

/** Now, as the test froze it. */
const now = (): number => Date.now();
const iso = (msAgo: number): string => new Date(now() - msAgo).toISOString();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function history(): CallHistoryEntry[] {
	const entry = (
		id: string,
		change: Partial<CallHistoryEntry> & Pick<CallHistoryEntry, 'startedAt'>,
	): CallHistoryEntry => ({
		id,
		direction: 'outbound',
		remote: '+13125550142',
		remoteName: '',
		video: false,
		durationSeconds: 0,
		answered: true,
		endReason: 'hangup-local',
		endMessage: 'You hung up.',
		...change,
	});
	return [
		entry('h1', {
			startedAt: iso(5 * MINUTE),
			durationSeconds: 312,
			quality: summarise(minuteOfSamples(0)),
		}),
		entry('h2', {
			startedAt: iso(2 * HOUR),
			direction: 'inbound',
			remote: 'gencredGrace',
			remoteName: 'Grace Laptop',
			video: true,
			durationSeconds: 1_845,
			endReason: 'hangup-remote',
			endMessage: 'The other side hung up.',
			quality: summarise(minuteOfSamples(6)),
		}),
		entry('h3', {
			startedAt: iso(5 * HOUR),
			direction: 'inbound',
			remote: '+442071838750',
			answered: false,
			endReason: 'cancelled',
			endMessage: 'The caller hung up before you answered.',
		}),
		entry('h4', {
			startedAt: iso(26 * HOUR),
			remote: '+14155550199',
			answered: false,
			endReason: 'busy',
			endMessage: 'The line was busy.',
		}),
		entry('h5', {
			startedAt: iso(50 * HOUR),
			direction: 'inbound',
			remote: 'gencredReception',
			remoteName: 'Reception',
			answered: false,
			endReason: 'declined',
			endMessage: 'You declined the call.',
		}),
		entry('h6', {
			startedAt: iso(75 * HOUR),
			remote: 'sip:support@example.com',
			durationSeconds: 47,
		}),
	];
}

/** A picture that stands still: what a camera shows, without a camera. */
function stillStream(label: string, background: string): MediaStream {
	const canvas = document.createElement('canvas');
	canvas.width = 640;
	canvas.height = 360;
	const context = canvas.getContext('2d');
	if (context === null) throw new Error('No 2D canvas');
	context.fillStyle = background;
	context.fillRect(0, 0, canvas.width, canvas.height);
	context.fillStyle = '#ffffff';
	context.fillRect(260, 90, 120, 120);
	context.fillRect(200, 230, 240, 130);
	context.font = 'bold 28px sans-serif';
	context.fillText(label, 24, 48);
	return canvas.captureStream(5);
}

/** The fake softphone, plus the one thing the SDK does to the page: playing media into the elements. */
class VisualPhone extends FakeSoftphone {
	override attachMedia(id: string, elements: MediaElements): void {
		super.attachMedia(id, elements);
		if (elements.remote instanceof HTMLVideoElement && elements.remote.srcObject === null) {
			elements.remote.srcObject = stillStream('Far side', '#2f5d8a');
		}
		if (elements.local instanceof HTMLVideoElement && elements.local.srcObject === null) {
			elements.local.srcObject = stillStream('You', '#8a4f2f');
		}
	}
}

// The device list Settings shows: fixed, whatever the machine has.
Object.defineProperty(navigator, 'mediaDevices', {
	configurable: true,
	value: Object.assign(new EventTarget(), {
		enumerateDevices: () =>
			Promise.resolve(
				DEVICES.map(([kind, deviceId, label]) => ({
					kind,
					deviceId,
					label,
					groupId: 'group',
					toJSON: () => ({}),
				})),
			),
	}),
});

async function until(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
	const deadline = performance.now() + timeoutMs;
	while (!condition()) {
		if (performance.now() > deadline) throw new Error(`visual-app: timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	flushSync();
}

/** Clicks the button whose text is `name` (the way a user would reach a view or a control). */
function click(name: string, within: ParentNode = document): void {
	const button = [...within.querySelectorAll('button')].find(
		(candidate) => candidate.textContent?.trim() === name,
	);
	if (button === undefined) throw new Error(`visual-app: no button named “${name}”`);
	button.click();
	flushSync();
}

function clickView(name: string): void {
	click(name, document.querySelector('nav') ?? document);
}

interface Setup {
	readonly keyStatus?: KeyStatus;
	readonly settings?: Settings;
	readonly history?: readonly CallHistoryEntry[];
	/** The address book main keeps (default: none). */
	readonly contacts?: readonly Contact[];
	readonly infoFails?: boolean;
	readonly justProvisioned?: boolean;
	/** What main says about the desktop (default: everything works). */
	readonly desktopStatus?: DesktopStatus;
}

function bridgeFor(setup: Setup): FakeBridge {
	const settings = setup.settings ?? PROVISIONED;
	return fakeBridge({
		app: setup.infoFails
			? { getInfo: () => Promise.reject(new Error('The settings file could not be read.')) }
			: {},
		settings: { get: async () => settings },
		credentials: { getStatus: async () => setup.keyStatus ?? STORED },
		history: { list: async () => setup.history ?? [], clear: async () => [] },
		contacts: { list: async () => [...(setup.contacts ?? [])] },
		telnyx: {
			getLoginToken: async () => ({
				ok: true,
				value: { token: 'jwt', expiresAt: new Date(now() + HOUR).toISOString() },
			}),
		},
		desktop: {
			report: async () => undefined,
			markMissedSeen: async () => undefined,
			dial: async () => undefined,
			getStatus: async () => setup.desktopStatus ?? FAKE_DESKTOP_STATUS,
		},
		media: {
			requestAccess: async () => ({ microphone: 'granted', camera: 'granted', message: null }),
		},
		account: {
			listInstallations: async () => ({ ok: true, value: [...INSTALLATIONS] }),
			listPhoneNumbers: async () => ({ ok: true, value: [...NUMBERS] }),
		},
		provisioning: {
			listResources: async () => ({ ok: true, value: { connections: [], profiles: [] } }),
		},
	});
}

function target(): HTMLElement {
	const element = document.getElementById('app');
	if (element === null) throw new Error('The page has no #app element');
	return element;
}

/** The main window, mounted as main.ts mounts it; resolves once it has finished loading. */
async function mountApp(setup: Setup = {}) {
	const bridge = bridgeFor(setup);
	const phone = new VisualPhone();
	const model = new AppModel(bridge);
	const account = new AccountModel(bridge);
	const store = new CallStore({
		phone,
		bridge,
		settings: () => model.settings,
		signallingUrl: () => model.info?.endpoints.signallingUrl ?? null,
		directory: () => account.others,
	});
	mount(App, { target: target(), props: { bridge, model, account, store } });
	if (setup.justProvisioned === true) {
		await until('the key status', () => account.keyStatus !== null);
		account.justProvisioned = true;
	}
	await until(
		'the app to load',
		() => model.loadError !== null || (model.settings !== null && account.keyStatus !== null),
	);
	return { bridge, phone, model, account, store };
}

/** The main window with a set-up account, connected and registered, showing the directory. */
async function ready(setup: Setup = {}) {
	const app = await mountApp(setup);
	await until('the phone to connect', () => app.phone.callsTo('connect').length > 0);
	app.phone.connection({ kind: 'registered' });
	await until('the directory', () => app.account.others.length > 0);
	return app;
}

/** Emits a call and waits until its panel has its media (and video, if any, shows a frame). */
async function inCall(phone: FakeSoftphone, call: Partial<CallSnapshot>): Promise<void> {
	phone.emitCall({ id: 'call-1', remote: '+13125550142', ...call });
	flushSync();
	await until('the video frames', () =>
		[...document.querySelectorAll('video')].every((video) => video.readyState >= 2),
	);
}

/**
 * A minute of quality samples every 2 s, ending at `end`: a steady line with a dip, deterministic (the
 * pictures must not change between runs); `loss` sets the dip's packet loss.
 */
function minuteOfSamples(loss: number, end = 0): QualitySample[] {
	return Array.from({ length: 30 }, (_, i) => {
		const dip = i >= 18 && i < 22;
		const packetLossPercent = dip ? loss : 0;
		const jitterMs = 4 + (i % 5) + (dip ? 14 : 0);
		const rttMs = 38 + (i % 3) * 4;
		return {
			at: end - (29 - i) * 2000,
			mos: estimateMos(rttMs, jitterMs, packetLossPercent),
			rttMs,
			jitterMs,
			packetLossPercent,
			bitrateKbps: { in: 38 + (i % 4), out: 41 - (i % 3) },
			audioCodec: 'opus',
			videoCodec: null,
			relayed: false,
			candidateType: 'host',
			remoteCandidateType: 'host',
			relayProtocol: null,
		};
	});
}

const ANSWERED = { phase: 'active', answeredAt: 0 } as const;
const answered = () => ({ ...ANSWERED, answeredAt: now() - 83_000 });

const SCENE_SETUP: Record<Scene, () => Promise<void>> = {
	'loading-error': async () => void (await mountApp({ infoFails: true })),
	'onboarding-key': async () => void (await mountApp({ keyStatus: FAKE_KEY_STATUS })),
	'onboarding-key-error': async () => {
		const { account } = await mountApp({
			keyStatus: {
				...FAKE_KEY_STATUS,
				warning: 'The keychain is locked: the key will not be kept.',
			},
		});
		account.keyError = 'Telnyx refused this API key (401). Check it in the Mission Control Portal.';
	},
	'onboarding-provision': async () => {
		await mountApp({ settings: FAKE_SETTINGS });
	},
	'onboarding-provision-failed': async () => {
		const { bridge, account } = await mountApp({ settings: FAKE_SETTINGS });
		bridge.emit('provisioning:progress', {
			step: 'verify',
			status: 'done',
			detail: 'The API key works.',
		});
		bridge.emit('provisioning:progress', {
			step: 'connection',
			status: 'done',
			detail: 'Created the connection “Telnyx Softphone”.',
		});
		bridge.emit('provisioning:progress', {
			step: 'profile',
			status: 'failed',
			detail: 'Telnyx answered 422.',
		});
		account.provisionError = {
			code: 'INVALID',
			message: 'Telnyx could not create the outbound voice profile (422).',
		};
	},
	'onboarding-caller-id': async () => {
		const { account } = await mountApp({ justProvisioned: true });
		await until('the phone numbers', () => account.phoneNumbers !== null);
	},
	dialer: async () => void (await ready({ history: history(), contacts: CONTACTS })),
	'dialer-offline': async () => {
		const { phone } = await ready();
		phone.connection({ kind: 'failed', reason: 'other', message: 'Authentication failed.' });
	},
	'dialer-error': async () => {
		await ready();
		const input = document.querySelector<HTMLInputElement>('#destination');
		if (input === null) throw new Error('visual-app: no dialer input');
		input.value = '12ab';
		input.dispatchEvent(new Event('input', { bubbles: true }));
		flushSync();
		click('Call');
		flushSync();
	},
	'incoming-call': async () => {
		const { phone } = await ready({ contacts: CONTACTS });
		// A number in the address book: the screen names the contact.
		await inCall(phone, { direction: 'inbound', phase: 'ringing', remote: '+13125550142' });
	},
	'incoming-video-call': async () => {
		const { phone } = await ready();
		await inCall(phone, { direction: 'inbound', phase: 'ringing', video: true });
	},
	'outgoing-ringing': async () => {
		const { phone } = await ready();
		await inCall(phone, { phase: 'ringing' });
	},
	'audio-call': async () => {
		const { phone } = await ready();
		const samples = minuteOfSamples(1, now());
		const latest = samples.at(-1)!;
		await inCall(phone, {
			...answered(),
			remote: 'gencredGrace',
			remoteName: 'Grace Laptop',
			// What the adapter publishes: the latest sample's figures, the last minute, the call so far.
			quality: {
				mos: latest.mos,
				rttMs: latest.rttMs,
				jitterMs: latest.jitterMs,
				packetLossPercent: latest.packetLossPercent,
				warning: null,
				samples,
				summary: summarise(samples),
			},
		});
	},
	'video-call': async () => {
		const { phone } = await ready();
		await inCall(phone, {
			...answered(),
			video: true,
			remote: 'gencredGrace',
			remoteName: 'Grace Laptop',
		});
	},
	'on-hold': async () => {
		const { phone } = await ready();
		await inCall(phone, { ...answered(), phase: 'held', muted: true });
	},
	keypad: async () => {
		const { phone } = await ready();
		await inCall(phone, answered());
		click('Keypad');
	},
	'call-ended': async () => {
		const { phone } = await ready();
		await inCall(phone, {
			...answered(),
			phase: 'ended',
			endedAt: now() - 2_000,
			end: endReasonOf('hangup-remote', { message: 'The other side hung up.' }),
		});
	},
	'history-empty': async () => {
		await ready();
		clickView('History');
	},
	'history-full': async () => {
		await ready({ history: history(), contacts: CONTACTS });
		clickView('History');
	},
	contacts: async () => {
		await ready({ contacts: CONTACTS });
		clickView('Contacts');
	},
	settings: async () => {
		const { account } = await ready();
		clickView('Settings');
		await until('the phone numbers', () => account.phoneNumbers !== null);
		await until('the devices', () => document.querySelectorAll('select option').length > 4);
	},
	'setup-test': async () => {
		await ready();
		clickView('Settings');
		click('Test my setup');
		await until('Test my setup', () => document.querySelector('#setup-heading') !== null);
		// The fake phone's test call (a clean echo); the device checks need real devices, so they stay untested.
		document.querySelector<HTMLButtonElement>('[data-testid="setup-call"] button')?.click();
		await until(
			'the test call verdict',
			() => document.querySelector('[data-testid="setup-call"][data-verdict="good"]') !== null,
		);
	},
	'settings-desktop-problems': async () => {
		const { account } = await ready({
			settings: {
				...PROVISIONED,
				ui: { ...PROVISIONED.ui, startAtLogin: true, handleLinks: true },
			},
			desktopStatus: {
				shortcuts: [
					{
						action: 'hangup',
						message:
							'CommandOrControl+Shift+E is already used by another application; choose another shortcut.',
					},
				],
				trayAvailable: false,
				wayland: true,
				links: {
					registered: false,
					problem:
						'The desktop did not let this app open sip: links; the app chosen for them stays.',
				},
				startAtLogin: {
					enabled: false,
					problem: 'The login item could not be written: the autostart folder is read-only.',
				},
			},
		});
		clickView('Settings');
		await until('the phone numbers', () => account.phoneNumbers !== null);
		await until(
			'the desktop status',
			() => document.querySelector('[data-testid="no-tray"]') !== null,
		);
		// The last shortcut's recording, as it looks while the user presses the keys.
		const mute = document.querySelector('[role="group"][aria-labelledby="shortcut-mute-label"]');
		if (mute === null) throw new Error('visual-app: no Mute shortcut');
		click('Record', mute);
	},
	about: async () => {
		await ready();
		clickView('About');
	},
	'compact-dialer': async () => {
		const bridge = bridgeFor({});
		const account = new AccountModel(bridge);
		const model = new AppModel(bridge);
		mount(CompactApp, { target: target(), props: { bridge, account, model } });
		await until('the directory', () => account.others.length > 0 && model.settings !== null);
	},
	notices: async () => {
		const { phone, store } = await ready();
		phone.notice('error', 'The microphone could not be opened: it is in use by another app.');
		store.notify('warning', 'The chosen speaker is no longer available; using the system default.');
		phone.notice('info', 'Reconnected to Telnyx.');
	},
};

window.__visual = {
	async show(scene) {
		await SCENE_SETUP[scene]();
		// Let the last answers from the fakes land before the test takes its picture.
		await new Promise((resolve) => setTimeout(resolve, 50));
		flushSync();
	},
};
