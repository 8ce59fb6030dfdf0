/**
 * The main window's orchestration, out of `App.svelte`: which view is shown, and what keeps the app's parts
 * in step while the window is open — connect once the account is set up, refresh the directory, play the
 * ring and ringback, apply the speaker, the call-report and camera switches, report to main, mark missed
 * calls seen, refresh the device list — and the commands main sends (a link, the tray, a shortcut).
 *
 * A runes class: `start()` opens its own effect root (so it runs the same in a component and in a test,
 * test/unit/renderer/app-session.svelte.test.ts) and returns what stops it. `App.svelte` only renders it.
 */
import { untrack } from 'svelte';
import type { AccountModel } from './account-model.svelte';
import type { AppModel } from './app-model.svelte';
import type { Bridge } from './bridge';
import type { CallStore } from './call/call-store.svelte';
import { isLive } from './call/calls';
import { phaseMark } from './call/phase-marks';
import { ContactsModel, prefillFor, type ContactPrefill } from './contacts.svelte';
import { resolverFor } from './dial/destination';
import { DEVICE_NAMES, DeviceList, missingChoices, type DeviceKind } from './devices.svelte';
import { SetupTest } from './setup/setup-test.svelte';
import { TonePlayer } from './sound/tones';

/** `setup`: Test my setup, opened from onboarding, Settings or the tray (not a tab of its own). */
export type View = 'phone' | 'contacts' | 'history' | 'settings' | 'about' | 'setup';

export const VIEWS: readonly { readonly id: View; readonly label: string }[] = [
	{ id: 'phone', label: 'Phone' },
	{ id: 'contacts', label: 'Contacts' },
	{ id: 'history', label: 'History' },
	{ id: 'settings', label: 'Settings' },
	{ id: 'about', label: 'About' },
];

export interface AppSessionDeps {
	readonly bridge: Bridge;
	readonly model: AppModel;
	readonly account: AccountModel;
	readonly store: CallStore;
	/** The ringer (Web Audio); a test passes its own. */
	readonly tones?: Pick<TonePlayer, 'ring' | 'ringback' | 'stop'>;
}

export class AppSession {
	readonly #bridge: Bridge;
	readonly #model: AppModel;
	readonly #account: AccountModel;
	readonly #store: CallStore;
	readonly #tones: Pick<TonePlayer, 'ring' | 'ringback' | 'stop'>;

	view = $state<View>('phone');
	/** A destination handed over by a link or the tray, shown in the dialer. */
	prefill = $state('');
	/** The contact being added or edited in the Contacts view. */
	editingContact = $state<ContactPrefill | null>(null);

	onboarding = $derived.by(() => {
		const settings = this.#model.settings;
		const keyStatus = this.#account.keyStatus;
		if (settings === null || keyStatus === null) return 'loading';
		if (!keyStatus.hasApiKey) return 'key';
		if (settings.provisioned === null) return 'provision';
		// The caller ID is asked once, right after provisioning in this run.
		if (this.#account.justProvisioned) return 'caller-id';
		return 'done';
	});
	/** A call in progress: shown in full on the Phone view, as a call bar on the others. */
	liveCall = $derived.by(() => {
		const focused = this.#store.focused;
		return focused !== null && isLive(focused) ? focused : null;
	});
	recent = $derived.by(() => this.#account.history.slice(0, 5));
	/** The account is set up (the caller ID step may still show): the phone may connect. */
	#ready = $derived(this.onboarding === 'done' || this.onboarding === 'caller-id');
	#signallingUrl = $derived.by(() => this.#model.info?.endpoints.signallingUrl);

	readonly contacts: ContactsModel;
	readonly devices: DeviceList;
	/** Test my setup (its results stay while the window is open, so Settings can show the last run). */
	readonly setupTest: SetupTest;
	readonly resolve: ReturnType<typeof resolverFor>;

	constructor({ bridge, model, account, store, tones }: AppSessionDeps) {
		this.#bridge = bridge;
		this.#model = model;
		this.#account = account;
		this.#store = store;
		this.#tones = tones ?? new TonePlayer();
		this.contacts = new ContactsModel(bridge);
		this.resolve = resolverFor(bridge);
		this.devices = new DeviceList((present) => {
			// A chosen device that went away falls back to the system default, and the user is told.
			const chosen = model.settings?.devices;
			if (chosen === undefined) return;
			for (const kind of missingChoices(chosen, present)) {
				void bridge.settings.update({ devices: { [kind]: null } });
				store.notify(
					'warning',
					`The chosen ${DEVICE_NAMES[kind]} is no longer available; using the system default.`,
				);
			}
		});
		this.setupTest = new SetupTest({
			bridge,
			settings: () => model.settings,
			phone: store.diagnostics,
			cameraEnabled: () => store.cameraEnabled,
			callInProgress: () => store.busy,
			deviceName: (kind, id) => {
				const list =
					kind === 'microphone'
						? this.devices.microphones
						: kind === 'camera'
							? this.devices.cameras
							: this.devices.speakers;
				return list.find((device) => device.id === id)?.label ?? `the default ${kind}`;
			},
		});
	}

	/** Loads what the window shows, listens to main and runs the app's effects; returns what stops it all. */
	start(): () => void {
		const bridge = this.#bridge;
		const store = this.#store;
		void this.contacts.load();
		void this.#model.load();
		void this.#account.load();
		const stop = [
			bridge.on('app:dial', (request) => {
				this.view = 'phone';
				if (request.now) void this.dial(request.destination, request.video);
				else this.prefill = request.destination;
			}),
			// A notification names the call it announced; the tray and shortcuts act on the call in front (null).
			bridge.on('app:command', (command, callId) => void store.command(command, callId)),
			bridge.on('app:checkConnection', () => void store.checkConnection()),
			bridge.on('app:open', (target) => {
				if (target === 'setup-test') this.view = 'setup';
			}),
		];
		const online = () => void store.checkConnection();
		window.addEventListener('online', online);
		const stopEffects = $effect.root(() => this.#effects());
		return () => {
			stopEffects();
			for (const unsubscribe of stop) unsubscribe();
			window.removeEventListener('online', online);
			this.#tones.stop();
			this.devices.dispose();
			store.dispose();
			this.#account.dispose();
			this.contacts.dispose();
			this.#model.dispose();
		};
	}

	#effects(): void {
		const store = this.#store;
		const settings = () => this.#model.settings;

		// Connect once the account is set up and main has said where (the signalling URL is main's, fixed for
		// the run). Nothing else may re-run this (a reconnect ends every call): `settings` is a new object on
		// each change (Do not disturb, a device, the caller ID), so only these two values are read, and
		// `connect` reads the settings untracked. `ready` rather than `onboarding === 'done'`, so finishing the
		// caller ID step does not reconnect either.
		$effect(() => {
			if (!this.#ready || this.#signallingUrl === undefined) return;
			untrack(() => void store.connect());
			return () => store.disconnect();
		});

		// The directory is asked for when registered, when the window comes back into focus and as the dialer
		// is used; no timer. Main answers from its cache and decides when that reaches Telnyx, within the
		// account's budget (main/telnyx/directory-policy.ts).
		$effect(() => {
			if (store.connection.kind !== 'registered') return;
			const refresh = () => void this.#account.refreshDirectory();
			refresh();
			window.addEventListener('focus', refresh);
			return () => window.removeEventListener('focus', refresh);
		});

		// Ring on the ringer device for inbound calls; ringback while the far end rings (the store decides).
		$effect(() => {
			const tone = store.tone;
			if (tone === 'ring') {
				phaseMark('tones-ring');
				void this.#tones.ring(settings()?.devices.ringerId ?? null);
			} else if (tone === 'ringback')
				void this.#tones.ringback(settings()?.devices.speakerId ?? null);
			else {
				phaseMark('tones-stop');
				this.#tones.stop();
			}
		});

		$effect(() => {
			void store.setSpeaker(settings()?.devices.speakerId ?? null);
		});

		// The call-report switch (Settings ▸ Privacy) reaches the SDK before the next call.
		$effect(() => {
			store.setCallReports(settings()?.ui.callReports ?? true);
		});

		// Switching the camera off in Settings turns it off in calls in progress too (the store decides what
		// the switch allows; see `call/camera.ts`). Only the switch re-runs this, not every call update.
		$effect(() => {
			if (!store.cameraEnabled) untrack(() => store.stopCameras());
		});

		// Main keeps the tray and notifications in step with the phone. The projection leaves out what changes
		// during a call without changing the tray (quality samples), and the store sends only reports that
		// differ, none while an answered call's media is connecting.
		$effect(() => {
			const report = store.report(
				this.#account.others.map((entry) => ({ name: entry.name })),
				// Main names contacts itself (it has the address book); the report carries the address.
				this.recent.map((entry) => ({
					label: entry.remoteName || entry.remote,
					destination: entry.remote,
				})),
			);
			store.reportToMain(report);
		});

		// Seeing the history is seeing the missed calls.
		$effect(() => {
			if (this.view === 'history') void this.#bridge.desktop.markMissedSeen();
		});

		$effect(() => {
			if (this.view === 'settings' || this.view === 'setup' || this.onboarding === 'done')
				void this.devices.refresh();
		});
	}

	/** Dials, and shows the Phone view once the call is placed. */
	dial = async (destination: string, video: boolean): Promise<void> => {
		if ((await this.#store.dial(destination, video)) !== null) this.view = 'phone';
	};

	/** Opens the Contacts view on a new contact for `remote`. */
	addContact = (remote: string, name: string): void => {
		this.editingContact = prefillFor(remote, name);
		this.view = 'contacts';
	};

	/** Resolves whether main saved it (it then answers with `settings:changed`, which the screen shows). */
	setCameraEnabled = async (cameraEnabled: boolean): Promise<boolean> => {
		const result = await this.#bridge.settings
			.update({ ui: { cameraEnabled } })
			.catch((error: unknown) => ({ ok: false as const, error: { message: String(error) } }));
		if (!result.ok)
			this.#store.notify('error', `Could not save the camera setting. ${result.error.message}`);
		return result.ok;
	};

	changeDevice = async (kind: DeviceKind, deviceId: string | null): Promise<void> => {
		await this.#bridge.settings.update({ devices: { [kind]: deviceId } });
		if (kind === 'microphoneId') await this.#store.switchDevice('microphone', deviceId);
		if (kind === 'cameraId') await this.#store.switchDevice('camera', deviceId);
	};
}
