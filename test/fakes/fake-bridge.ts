/**
 * A `RendererApi` for renderer unit tests, typed by the contract so it stops compiling when the contract
 * grows. Main's behaviour is scripted per test; events are delivered with `emit`. `app`, `settings` and
 * `desktop.getStatus` have defaults (every screen reads them); any other method a test did not script
 * rejects, naming its channel, so a component that calls main unexpectedly fails loudly instead of getting
 * an invented answer. `dial.resolve` answers as main does, with main's own pure resolver
 * (`main/dial/destination.ts`) over the directory and caller ID number the test gives (`MainState`).
 */
import { dialContext, resolveDestination } from '../../main/dial/destination';
import {
	limits,
	settingsPatchSchema,
	settingsSchema,
	type AppInfo,
	type DesktopStatus,
	type EventMap,
	type Installation,
	type KeyStatus,
	type RendererApi,
	type Settings,
} from '../../preload/contract';

export interface FakeBridge extends RendererApi {
	emit<E extends keyof EventMap>(event: E, ...payload: EventMap[E]): void;
	readonly calls: string[];
}

export const FAKE_INFO: AppInfo = {
	name: 'Telnyx Softphone',
	version: '1.2.3',
	platform: 'linux',
	profile: 'demo',
	endpoints: { restBaseUrl: 'https://api.telnyx.com/v2', signallingUrl: 'wss://rtc.telnyx.com' },
	versions: { electron: '45.6.1', chromium: '148.0.7778.56', node: '24.11.1' },
};
/** A desktop where everything works: a tray, X11, nothing refused. */
export const FAKE_DESKTOP_STATUS: DesktopStatus = {
	shortcuts: [],
	trayAvailable: true,
	wayland: false,
	links: { registered: false, problem: null },
	startAtLogin: { enabled: false, problem: null },
};
/** Parsed by the contract's own schema, so the fake can never hold settings main would refuse. */
export const FAKE_SETTINGS: Settings = settingsSchema.parse({
	installId: '0f1e2d3c-4b5a-4987-8654-3210fedcba98',
	callerId: { name: '', number: null },
	devices: {
		microphoneId: null,
		cameraId: null,
		speakerId: null,
		ringerId: null,
	},
	ui: {
		startMinimised: false,
		startAtLogin: false,
		handleLinks: false,
		dialLinksImmediately: false,
		doNotDisturb: false,
		cameraEnabled: true,
		callReports: true,
		trayNoticeShown: false,
		shortcuts: { answer: null, hangup: null, mute: null },
	},
	provisioned: null,
});
/** A key status for tests to script (`credentials: { getStatus: async () => FAKE_KEY_STATUS }`). */
export const FAKE_KEY_STATUS: KeyStatus = {
	hasApiKey: false,
	keychain: 'ok',
	persisted: false,
	warning: null,
};

/** What main resolves a typed destination with; read on every call, so a test may change it. */
export interface MainState {
	/** The directory main holds (default: none). */
	readonly directory?: () => readonly Installation[];
	/** The caller ID number (default: the fake's own settings'). */
	readonly callerNumber?: () => string | null;
}

type Overrides = Partial<{ [N in keyof RendererApi]: Partial<RendererApi[N]> }>;

/** Removes `undefined` entries, so a patch never overwrites a setting with `undefined`. */
function defined<T extends object>(
	patch: { readonly [K in keyof T]?: T[K] | undefined } | undefined,
): Partial<T> {
	return Object.fromEntries(
		Object.entries(patch ?? {}).filter(([, value]) => value !== undefined),
	) as Partial<T>;
}

export function fakeBridge(overrides: Overrides = {}, main: MainState = {}): FakeBridge {
	const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
	const calls: string[] = [];
	let settings = FAKE_SETTINGS;
	/** A method with no default: records the call, then rejects with what to do. */
	const unscripted =
		(channel: string) =>
		(..._args: unknown[]): Promise<never> => {
			calls.push(channel);
			return Promise.reject(
				new Error(`fakeBridge: ${channel} was called but the test did not script it`),
			);
		};
	const bridge: FakeBridge = {
		calls,
		app: {
			getInfo: async () => (calls.push('app:getInfo'), FAKE_INFO),
			reportError: async () => void calls.push('app:reportError'),
			openLogsFolder: async () => {
				calls.push('app:openLogsFolder');
				return { ok: true, value: undefined };
			},
			...overrides.app,
		},
		settings: {
			get: async () => (calls.push('settings:get'), settings),
			update: async (raw) => {
				calls.push('settings:update');
				// The same schema main's IPC guard applies: a patch main would refuse is refused here too.
				const parsed = settingsPatchSchema.safeParse(raw);
				if (!parsed.success)
					throw new Error(`[BAD_INPUT] settings:update: ${parsed.error.message}`);
				const patch = parsed.data;
				settings = {
					...settings,
					devices: { ...settings.devices, ...defined(patch.devices) },
					ui: {
						...settings.ui,
						...defined(patch.ui),
						shortcuts: { ...settings.ui.shortcuts, ...defined(patch.shortcuts) },
					},
				};
				return { ok: true, value: settings };
			},
			...overrides.settings,
		},
		credentials: {
			getStatus: unscripted('credentials:getStatus'),
			setApiKey: unscripted('credentials:setApiKey'),
			clearApiKey: unscripted('credentials:clearApiKey'),
			...overrides.credentials,
		},
		provisioning: {
			run: unscripted('provisioning:run'),
			listResources: unscripted('provisioning:listResources'),
			...overrides.provisioning,
		},
		telnyx: {
			getLoginToken: unscripted('telnyx:getLoginToken'),
			...overrides.telnyx,
		},
		dial: {
			resolve: async (text) => {
				calls.push('dial:resolve');
				// The bound main's IPC guard applies, then main's own resolver.
				if (text.length > limits.dialText) throw new Error('[BAD_INPUT] dial:resolve: too long');
				const directory = main.directory?.() ?? [];
				const callerNumber = main.callerNumber?.() ?? settings.callerId.number;
				return resolveDestination(text, dialContext(directory, callerNumber));
			},
			...overrides.dial,
		},
		desktop: {
			report: unscripted('desktop:report'),
			dial: unscripted('desktop:dial'),
			markMissedSeen: unscripted('desktop:markMissedSeen'),
			getStatus: async () => (calls.push('desktop:getStatus'), FAKE_DESKTOP_STATUS),
			...overrides.desktop,
		},
		media: {
			requestAccess: unscripted('media:requestAccess'),
			...overrides.media,
		},
		history: {
			list: unscripted('history:list'),
			add: unscripted('history:add'),
			clear: unscripted('history:clear'),
			...overrides.history,
		},
		diagnostics: {
			// Main keeps the last report and answers nothing: recorded, so tests can read what was sent.
			saveSetupReport: async () => void calls.push('diagnostics:saveSetupReport'),
			saveSupportBundle: unscripted('diagnostics:saveSupportBundle'),
			...overrides.diagnostics,
		},
		contacts: {
			list: unscripted('contacts:list'),
			save: unscripted('contacts:save'),
			remove: unscripted('contacts:remove'),
			importVCard: unscripted('contacts:importVCard'),
			...overrides.contacts,
		},
		account: {
			listPhoneNumbers: unscripted('account:listPhoneNumbers'),
			setCallerId: unscripted('account:setCallerId'),
			listInstallations: unscripted('account:listInstallations'),
			searchInstallations: unscripted('account:searchInstallations'),
			signOut: unscripted('account:signOut'),
			previewCleanup: unscripted('account:previewCleanup'),
			cleanup: unscripted('account:cleanup'),
			...overrides.account,
		},
		on(event, listener) {
			const set = listeners.get(event) ?? new Set();
			set.add(listener as (...args: unknown[]) => void);
			listeners.set(event, set);
			return () => set.delete(listener as (...args: unknown[]) => void);
		},
		emit(event, ...payload) {
			for (const listener of listeners.get(event) ?? []) listener(...payload);
		},
	};
	return bridge;
}
