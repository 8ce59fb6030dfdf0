/**
 * Builds the main process's services and IPC handlers from plain dependencies. The Electron composition
 * root (`main/electron/desktop.ts`) and the end-to-end harness both call this, so tests exercise the same handlers,
 * behind the same guard, that the app runs.
 */
import { mkdir } from 'node:fs/promises';
import { arch, release } from 'node:os';
import path from 'node:path';
import type { AppInfo, EventMap, MainHandlers, RuntimeVersions } from '../preload/contract';
import { randomUUID } from 'node:crypto';
import { findContact } from '../preload/contract';
import { ContactBook } from './contacts/contact-book';
import { CallHistory } from './history/history-file';
import { DesktopService, type DesktopPorts } from './desktop/desktop-service';
import { DesktopSettings, type DesktopFacts } from './desktop/desktop-settings';
import { NO_SHELL, type ShellPorts } from './desktop/shell-ports';
import type { OsFacts } from './diagnostics/bundle-contents';
import { readLogsForBundle, type LogFolderReader } from './diagnostics/bundle-logs';
import { SetupReportStore } from './diagnostics/setup-report-file';
import { SupportBundles, bundleNotice } from './diagnostics/support-bundles';
import { createHandlers } from './ipc/handlers';
import type { Logger } from './logger';
import { createMediaAccess, type SystemPreferencesLike } from './media-access';
import { checkIceServers } from './endpoints';
import { nodeLogFolder } from './node-fs';
import type { ProfileConfig } from './profile';
import { ApiKeyVault } from './secrets/api-key-vault';
import { SecretStore, type KeychainBackend } from './secrets/secret-store';
import { writeFileAtomic } from './settings/atomic-write';
import { SettingsStore, defaultSettings, type SettingsFileSystem } from './settings/settings-file';
import { TelnyxAccount } from './telnyx/account';
import { directoryFile } from './telnyx/directory-file';
import { createTelnyxClient } from './telnyx/telnyx-client';

export interface MainServicesDeps {
	readonly userDataDir: string;
	readonly profile: ProfileConfig;
	readonly app: { readonly name: string; readonly version: string; readonly platform: string };
	readonly fs: SettingsFileSystem;
	readonly logger: Logger;
	/** The OS keychain (keytar), or a stand-in in unit tests. */
	readonly keychain: KeychainBackend;
	/** Names this installation's telephony credential (the computer's name). */
	readonly deviceName: string;
	/** Delivers a main → renderer event to every app window. */
	readonly emit: <E extends keyof EventMap>(event: E, ...payload: EventMap[E]) => void;
	/** Deadline of one Telnyx request (ms). */
	readonly requestTimeoutMs?: number;
	/** Deadline of one keychain operation (ms). */
	readonly keychainTimeoutMs?: number;
	readonly sleep?: (ms: number) => Promise<void>;
	/** For tests that watch the REST transport. */
	readonly fetch?: typeof fetch;
	/** Electron's `systemPreferences` (macOS/Windows media permissions); null where there is none. */
	readonly systemPreferences?: SystemPreferencesLike | null;
	/** The tray, notifications, window and power ports (Electron's, or recording ones in tests). */
	readonly desktop?: DesktopPorts;
	/** Link handling, login item, global shortcuts, the logs folder (Electron's, or recording ones). */
	readonly shell?: ShellPorts;
	/** What the desktop offers (tray icons, Wayland); default: a tray, no Wayland. */
	readonly desktopFacts?: DesktopFacts;
	/** Electron, Chromium and Node versions for the About view (no Electron in tests: null). */
	readonly versions?: RuntimeVersions;
	/**
	 * The logs folder the support bundle reads (`main.log` and its rotated files), and a way to wait for the
	 * lines still on their way to it. Null or absent: this run keeps no log files, and the bundle says so.
	 */
	readonly logs?: { readonly dir: string; readonly flush: () => Promise<void> } | null;
	/** The Telnyx WebRTC SDK version the renderer was built with, for the support bundle (null: unknown). */
	readonly sdkVersion?: string | null;
	/** The operating system for the support bundle (default: Node's view of this one). */
	readonly os?: OsFacts;
	/** How the support bundle reads the logs folder (default: Node's `fs`). */
	readonly logFolder?: LogFolderReader;
	/** Writes a saved support bundle (default: an atomic write with Node's `fs`). */
	readonly writeBundle?: (file: string, data: Uint8Array) => Promise<void>;
	/** The wall clock (ms since the epoch): the login token's renewal and the support bundle read it. */
	readonly now?: () => number;
}

/** Ports that do nothing, where there is no desktop to touch. */
const NO_DESKTOP: DesktopPorts = {
	updateTray: () => {},
	notify: () => null,
	raiseWindow: () => {},
	setInCall: () => {},
};

export interface MainServices {
	readonly handlers: MainHandlers;
	readonly desktop: DesktopService;
	readonly desktopSettings: DesktopSettings;
	readonly settings: SettingsStore;
	readonly account: TelnyxAccount;
	readonly vault: ApiKeyVault;
	/** The tray's "Save support bundle…": the handler's path, then a notification saying where it went. */
	saveSupportBundleFromTray(): Promise<void>;
	/**
	 * The computer woke up (or the screen was unlocked): the token's renewal is set again from the clock
	 * (timers ran late while it slept), and the renderer checks its registration.
	 */
	resume(): void;
	dispose(): void;
}

const REQUEST_TIMEOUT_MS = 15_000;

export async function createMainServices(deps: MainServicesDeps): Promise<MainServices> {
	const { userDataDir, profile, fs, logger, emit } = deps;
	// The page hands these to the SDK for every call: whoever built the profile, they are checked here.
	const iceProblem =
		profile.endpoints.iceServers === undefined
			? null
			: checkIceServers(profile.endpoints.iceServers);
	if (iceProblem !== null) throw new Error(iceProblem);
	await mkdir(userDataDir, { recursive: true, mode: 0o700 });
	const settings = await SettingsStore.load({
		file: path.join(userDataDir, 'settings.json'),
		fs,
		defaults: defaultSettings(),
		migration: { restBaseUrl: profile.endpoints.restBaseUrl },
		logger,
	});
	const secrets = new SecretStore({
		backend: deps.keychain,
		service: profile.keychainService,
		...(deps.keychainTimeoutMs === undefined ? {} : { timeoutMs: deps.keychainTimeoutMs }),
	});
	const vault = new ApiKeyVault({
		secrets,
		restBaseUrl: profile.endpoints.restBaseUrl,
		platform: deps.app.platform,
	});
	const timeoutMs = deps.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
	const account = new TelnyxAccount({
		settings,
		vault,
		secrets,
		deviceName: deps.deviceName,
		clientFor: (apiKey, baseURL) =>
			createTelnyxClient({
				apiKey,
				baseURL,
				timeoutMs,
				...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
			}),
		// One decimal for sub-minute deadlines, so a 1.5 s deadline is not reported as "2 s".
		timeoutSeconds: Math.round(timeoutMs / 100) / 10,
		sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
		emit,
		logger,
		...(deps.now === undefined ? {} : { now: deps.now }),
		directorySnapshots: directoryFile(path.join(userDataDir, 'directory.json'), fs, logger),
	});
	const history = await CallHistory.load({
		file: path.join(userDataDir, 'history.json'),
		fs,
		logger,
	});
	// The address book stays in this folder: nothing in main sends it anywhere.
	const contacts = await ContactBook.load({
		file: path.join(userDataDir, 'contacts.json'),
		fs,
		logger,
		newId: randomUUID,
	});
	const desktop = new DesktopService({
		settings,
		nameOf: (address) => findContact(contacts.list(), address)?.name ?? null,
		emit,
		ports: deps.desktop ?? NO_DESKTOP,
		platform: deps.app.platform,
		logger,
	});
	const shell = deps.shell ?? NO_SHELL;
	const desktopSettings = new DesktopSettings({
		settings,
		shell,
		facts: deps.desktopFacts ?? { trayAvailable: true, wayland: false },
		emit,
		logger,
	});
	await desktopSettings.start();
	const appInfo: AppInfo = {
		...deps.app,
		profile: profile.profile,
		endpoints: profile.endpoints,
		versions: deps.versions ?? { electron: null, chromium: null, node: process.versions.node },
	};
	const setupReports = await SetupReportStore.load({
		file: path.join(userDataDir, 'setup-report.json'),
		fs,
		logger,
	});
	const now = () => new Date(deps.now?.() ?? Date.now());
	const os: OsFacts = deps.os ?? { platform: deps.app.platform, release: release(), arch: arch() };
	const supportBundles = new SupportBundles({
		collect: async () => {
			// Lines still being written belong in the bundle too (the bundle's own start among them).
			await deps.logs?.flush();
			return {
				createdAt: now(),
				app: appInfo,
				sdkVersion: deps.sdkVersion ?? null,
				os,
				settings: settings.get(),
				history: history.list(),
				setupReport: setupReports.last(),
				logs: await readLogsForBundle(deps.logs?.dir ?? null, deps.logFolder ?? nodeLogFolder),
			};
		},
		// The keychain's key now (a key saved by an earlier run, not read yet in this one), and every key held.
		secrets: async () => {
			await vault.get();
			return vault.secretsToRedact();
		},
		chooseSavePath: (defaultName) => shell.chooseSavePath(defaultName),
		writeFile: deps.writeBundle ?? ((file, data) => writeFileAtomic(file, data)),
		logger,
		now,
	});
	const stopForwarding = settings.onChange((next) => emit('settings:changed', next));
	const stopContacts = contacts.onChange((next) => emit('contacts:changed', next));
	return {
		handlers: createHandlers({
			appInfo,
			settings,
			account,
			history,
			contacts,
			onHistoryChanged: (entries) => emit('history:changed', entries),
			requestMediaAccess: createMediaAccess(deps.app.platform, deps.systemPreferences ?? null),
			desktop,
			desktopSettings,
			openLogsFolder: shell.openLogsFolder,
			setupReports,
			supportBundles,
			logger,
		}),
		desktop,
		desktopSettings,
		settings,
		account,
		vault,
		async saveSupportBundleFromTray() {
			const notice = bundleNotice(
				await supportBundles.save({ includeFullNumbers: false }),
				deps.app.platform,
			);
			if (notice !== null) desktop.notify(notice, () => {});
		},
		resume() {
			account.tokens.resume();
			desktop.resume();
		},
		dispose() {
			stopForwarding();
			stopContacts();
			desktopSettings.dispose();
			account.dispose();
		},
	};
}
