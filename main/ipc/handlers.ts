/**
 * The main-process side of every contract method, as plain functions over injected services. Arguments
 * arrive already validated by the IPC guard; expected failures are returned as `Result` values.
 */
import type { AppInfo, CallHistoryEntry, MainHandlers, MediaAccess } from '../../preload/contract';
import type { ContactBook } from '../contacts/contact-book';
import { importVCard } from '../contacts/import-vcard';
import { defaultCountryOf, dialContext, resolveDestination } from '../dial/destination';
import type { DesktopService } from '../desktop/desktop-service';
import type { DesktopSettings } from '../desktop/desktop-settings';
import type { ShellPorts } from '../desktop/shell-ports';
import type { SetupReportStore } from '../diagnostics/setup-report-file';
import type { SupportBundles } from '../diagnostics/support-bundles';
import type { Logger } from '../logger';
import { createRateLimit } from './rate-limit';

/**
 * Renderer errors logged per hour; beyond that they are counted. At the contract's bounds that is at most
 * about 150 kB an hour, so an error loop cannot rotate main's own lines out of the capped log.
 */
export const RENDERER_ERRORS_PER_HOUR = 30;
/** File-manager windows a page may open: a few in ten minutes. */
export const LOGS_FOLDER_OPENS = { max: 3, windowMs: 10 * 60_000 } as const;
/** Save dialogs a page may open for support bundles: as many as file-manager windows. */
export const SUPPORT_BUNDLE_SAVES = { max: 3, windowMs: 10 * 60_000 } as const;
import type { CallHistory } from '../history/history-file';
import type { SettingsStore } from '../settings/settings-file';
import type { TelnyxAccount } from '../telnyx/account';

export interface HandlerDeps {
	readonly appInfo: AppInfo;
	readonly settings: SettingsStore;
	readonly account: TelnyxAccount;
	readonly history: CallHistory;
	/** The address book; it tells every window about changes itself (see `main/services.ts`). */
	readonly contacts: ContactBook;
	readonly requestMediaAccess: (options: { camera: boolean }) => Promise<MediaAccess>;
	readonly desktop: DesktopService;
	readonly desktopSettings: DesktopSettings;
	/** Opens the logs folder (the shell's file manager). */
	readonly openLogsFolder: ShellPorts['openLogsFolder'];
	/** The last Test my setup report, kept for the support bundle. */
	readonly setupReports: SetupReportStore;
	/** Builds and saves support bundles (the tray's "Save support bundle…" uses the same). */
	readonly supportBundles: SupportBundles;
	readonly logger: Logger;
	/** The clock the rate limits read (tests pass their own). */
	readonly now?: () => number;
	/** Tells every window the history changed. */
	readonly onHistoryChanged: (history: readonly CallHistoryEntry[]) => void;
}

export function createHandlers({
	appInfo,
	settings,
	account,
	history,
	contacts,
	onHistoryChanged,
	requestMediaAccess,
	desktop,
	desktopSettings,
	openLogsFolder,
	setupReports,
	supportBundles,
	logger,
	now = Date.now,
}: HandlerDeps): MainHandlers {
	const errorAllowed = createRateLimit(RENDERER_ERRORS_PER_HOUR, 3_600_000, now);
	let errorsDropped = 0;
	// A page cannot open file-manager windows in a loop.
	const folderAllowed = createRateLimit(LOGS_FOLDER_OPENS.max, LOGS_FOLDER_OPENS.windowMs, now);
	// Nor save dialogs: each one takes over the user's screen until answered.
	const bundleAllowed = createRateLimit(
		SUPPORT_BUNDLE_SAVES.max,
		SUPPORT_BUNDLE_SAVES.windowMs,
		now,
	);
	const changed = async (update: Promise<readonly CallHistoryEntry[]>) => {
		const entries = await update;
		onHistoryChanged(entries);
		return entries;
	};
	return {
		app: {
			getInfo: () => appInfo,
			// The page's own words, bounded by the contract and redacted by the logger like every line.
			reportError: (error) => {
				if (!errorAllowed()) {
					errorsDropped += 1;
					return;
				}
				const dropped = errorsDropped;
				errorsDropped = 0;
				logger.error('renderer.error', { ...error, ...(dropped > 0 ? { dropped } : {}) });
			},
			openLogsFolder: async () => {
				if (!folderAllowed()) {
					return { ok: false, error: { message: 'The logs folder was opened a moment ago.' } };
				}
				const problem = await openLogsFolder();
				return problem === null
					? { ok: true, value: undefined }
					: { ok: false, error: { message: `The logs folder could not be opened: ${problem}` } };
			},
		},
		settings: {
			get: () => settings.get(),
			// A setting that acts outside the app is turned on only once the user confirms it in main's question.
			update: async (patch) => {
				const refusal = await desktopSettings.confirm(patch);
				return refusal === null ? settings.update(patch) : { ok: false, error: refusal };
			},
		},
		credentials: {
			getStatus: () => account.keyStatus(),
			setApiKey: (key) => account.setApiKey(key),
			clearApiKey: () => account.clearApiKey(),
		},
		provisioning: {
			run: (options) => account.provision(options),
			listResources: () => account.listResources(),
		},
		telnyx: {
			getLoginToken: () => account.loginToken(),
		},
		dial: {
			// Main's own directory (as held, never a request to Telnyx per keystroke) and caller ID: the page
			// sends only the text.
			resolve: (text) =>
				resolveDestination(
					text,
					dialContext(account.heldInstallations(), settings.get().callerId.number),
				),
		},
		desktop: {
			report: (report) => desktop.report(report),
			dial: (request) => desktop.dial(request),
			markMissedSeen: () => desktop.markMissedSeen(),
			getStatus: () => desktopSettings.status(),
		},
		media: {
			requestAccess: (options) => requestMediaAccess(options),
		},
		history: {
			list: () => history.list(),
			add: async (entry) => {
				const entries = await changed(history.add(entry));
				desktop.historyAdded(entry);
				return entries;
			},
			clear: () => changed(history.clear()),
		},
		diagnostics: {
			saveSetupReport: (report) => setupReports.save(report),
			saveSupportBundle: async (options) => {
				if (!bundleAllowed()) {
					return {
						ok: false,
						error: {
							message:
								'A support bundle was asked for several times just now. Wait a few minutes, then try again.',
						},
					};
				}
				const outcome = await supportBundles.save(options);
				if (!outcome.ok) return outcome;
				// Spelled out, so the folder (`file`) can never reach the page.
				const { saved, fileName, bytes } = outcome.value;
				return { ok: true, value: { saved, fileName, bytes } };
			},
		},
		contacts: {
			list: () => contacts.list(),
			save: (draft) => contacts.save(draft),
			remove: (id) => contacts.remove(id),
			// A number written without a country code is read as one of the caller ID's country.
			importVCard: (text) =>
				importVCard(contacts, text, defaultCountryOf(settings.get().callerId.number)),
		},
		account: {
			listPhoneNumbers: () => account.listPhoneNumbers(),
			setCallerId: (callerId) => account.setCallerId(callerId),
			listInstallations: () => account.listInstallations(),
			searchInstallations: (query) => account.searchInstallations(query),
			signOut: ({ forgetApiKey }) => account.signOut(forgetApiKey),
			previewCleanup: () => account.previewCleanup(),
			cleanup: (items) => account.cleanup(items),
		},
	};
}
