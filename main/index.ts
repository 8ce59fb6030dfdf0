/**
 * The composition root: the only module that touches Electron at runtime. It wires Electron's objects into
 * the plain services and pure policies beside it, which is where the behaviour lives and is tested.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	BrowserWindow,
	Menu,
	Notification,
	Tray,
	app,
	clipboard,
	globalShortcut,
	ipcMain,
	nativeImage,
	powerMonitor,
	powerSaveBlocker,
	protocol,
	screen,
	session,
	systemPreferences,
	type WebContents,
} from 'electron';
import type { DesktopState, EventMap } from '../preload/contract';
import type { DesktopPorts } from './desktop/desktop-service';
import { isCallLink, parseLink } from './desktop/links';
import { TRAY_NOTICE } from './desktop/notifications';
import { callSuspensionGuard, watchResume } from './desktop/power';
import { registerShortcuts } from './desktop/shortcuts';
import { buildTrayTemplate, trayLook } from './desktop/tray';
import { compactWindowOptions, compactWindowPosition } from './desktop/compact-window';
import { buildAppMenuTemplate, isBlockedKey } from './app-menu';
import { APP_HOST, APP_SCHEME, APP_URL, createAppFileServer } from './app-protocol';
import { buildCsp } from './csp';
import { registerIpc } from './ipc/register-ipc';
import { hardenEnvironment } from './environment';
import { createLogger } from './logger';
import { isAllowedNavigation, windowOpenDecision } from './navigation';
import { nodeSettingsFs } from './node-fs';
import { decidePermission } from './permissions';
import { resolveProfile } from './profile';
import { keytarBackend } from './secrets/keytar-store';
import { createSenderCheck } from './sender-check';
import { createMainServices } from './services';
import { mainWindowOptions } from './window-options';
import { captureWindowState, restoreWindowState, type WindowState } from './window-state';
import { createWindowStateSaver, loadWindowState } from './window-state-file';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererRoot = path.join(here, '..', 'renderer');
const preloadPath = path.join(here, '..', 'preload', 'index.cjs');
const trayIconDir = path.join(here, '..', '..', 'assets', 'tray');
/** The links the app handles; registered with the OS so a click on one opens (or reaches) the app. */
const LINK_SCHEMES = ['tel', 'sip', 'callto'] as const;

// Before anything else: no variable may redirect the key, change what is logged, or weaken TLS.
const removedFromEnvironment = hardenEnvironment(process.env);

const profile = resolveProfile(process.argv);

/**
 * What the Electron smoke tests read through `app.evaluate`: only with `--expose-test-hooks`, and never in
 * the production profile.
 */
const testHooks =
	process.argv.includes('--expose-test-hooks') && profile.profile !== 'production'
		? { tray: { tooltip: '', labels: [] as string[] }, links: [] as { url: string; ok: boolean }[] }
		: null;
if (testHooks !== null) Object.assign(globalThis, { __softphoneTestHooks: testHooks });
app.setPath('userData', `${app.getPath('userData')}${profile.userDataSuffix}`);

const logDir = path.join(app.getPath('userData'), 'logs');
mkdirSync(logDir, { recursive: true, mode: 0o700 });
/** Secrets held during this run, redacted from every log line (bound once the services exist). */
let secretsToRedact: () => string[] = () => [];
const logger = createLogger({
	write: (line) => appendFileSync(path.join(logDir, 'main.log'), `${line}\n`, { mode: 0o600 }),
	secrets: () => secretsToRedact(),
});
if (removedFromEnvironment.length > 0) {
	logger.warn('environment.removed', { names: removedFromEnvironment });
}

// A second launch hands over to the first (which focuses its window and takes its link) and exits.
if (!app.requestSingleInstanceLock()) {
	app.quit();
} else {
	// Must run before `ready`: the app's own scheme is standard and secure, so the page is a secure context.
	protocol.registerSchemesAsPrivileged([
		{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
	]);
	void app.whenReady().then(start);
}

const windows = new Set<BrowserWindow>();

function emit<E extends keyof EventMap>(event: E, ...payload: EventMap[E]): void {
	for (const win of windows) win.webContents.send(event, ...payload);
}

/** Navigation, window-opening and webview policy for every web contents the app ever creates. */
function lockDown(contents: WebContents): void {
	contents.on('will-navigate', (event, url) => {
		if (!isAllowedNavigation(url, APP_URL)) event.preventDefault();
	});
	contents.on('will-frame-navigate', (event) => {
		if (!isAllowedNavigation(event.url, APP_URL)) event.preventDefault();
	});
	contents.on('will-redirect', (event, url) => {
		if (!isAllowedNavigation(url, APP_URL)) event.preventDefault();
	});
	contents.on('will-attach-webview', (event) => event.preventDefault());
	contents.setWindowOpenHandler(windowOpenDecision);
	// Production: reload (drops live calls) and developer-tools keys do nothing, whatever binds them.
	contents.on('before-input-event', (event, input) => {
		if (isBlockedKey(input, profile.profile)) event.preventDefault();
	});
}

async function start(): Promise<void> {
	// Replaces Electron's default menu, whose View menu reloads the page and opens the developer tools.
	Menu.setApplicationMenu(
		Menu.buildFromTemplate(
			buildAppMenuTemplate({
				platform: process.platform,
				profile: profile.profile,
				appName: app.getName(),
			}),
		),
	);
	const services = await createMainServices({
		userDataDir: app.getPath('userData'),
		profile,
		app: { name: app.getName(), version: app.getVersion(), platform: process.platform },
		fs: nodeSettingsFs,
		logger,
		keychain: keytarBackend,
		deviceName: hostname(),
		systemPreferences,
		emit,
		desktop: {
			updateTray: (state) => ports.updateTray(state),
			notify: (content, onAction) => ports.notify(content, onAction),
			raiseWindow: () => ports.raiseWindow(),
			setInCall: (inCall) => ports.setInCall(inCall),
		},
	});
	secretsToRedact = () => services.vault.secretsToRedact();
	ports = desktopPorts({
		dial: (destination, video) => services.desktop.dial({ destination, video, now: true }),
		command: (command) => services.desktop.command(command),
		setDoNotDisturb: (on) => void services.desktop.setDoNotDisturb(on),
		validClipboard: (text) => {
			const link = parseLink(`tel:${text.trim()}`);
			return link.ok ? link.destination : null;
		},
	});

	protocol.handle(
		APP_SCHEME,
		createAppFileServer({
			root: rendererRoot,
			csp: () => buildCsp({ signallingUrl: profile.endpoints.signallingUrl }),
			readFile,
			realpath,
		}),
	);

	// Read on every request, so switching the camera off in Settings denies it from then on.
	const policy = () => ({
		appUrl: APP_URL,
		allowCamera: services.settings.get().ui.cameraEnabled,
	});
	session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => {
		const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
		callback(
			decidePermission(
				{
					permission,
					requestingUrl: details.requestingUrl,
					isMainFrame: details.isMainFrame,
					mediaTypes,
				},
				policy(),
			),
		);
	});
	session.defaultSession.setPermissionCheckHandler(
		(_contents, permission, requestingOrigin, details) =>
			decidePermission(
				{
					permission,
					requestingUrl: details.requestingUrl ?? requestingOrigin,
					isMainFrame: details.isMainFrame,
					mediaTypes: details.mediaType === undefined ? [] : [details.mediaType],
				},
				policy(),
			),
	);

	registerIpc({
		ipc: ipcMain,
		handlers: services.handlers,
		isTrustedSender: createSenderCheck({
			appUrl: APP_URL,
			isAppWebContents: (id) => [...windows].some((win) => win.webContents.id === id),
		}),
		logger,
	});

	app.on('web-contents-created', (_event, contents) => lockDown(contents));

	// Links: the OS hands them to a second launch (Windows, Linux) or as open-url (macOS).
	for (const scheme of LINK_SCHEMES) app.setAsDefaultProtocolClient(scheme);
	const handleLink = (url: string) => {
		const result = services.desktop.handleLink(url);
		testHooks?.links.push({ url, ok: result.ok });
	};
	const handleArgs = (argv: readonly string[]) => {
		const link = argv.find(isCallLink);
		if (link !== undefined) handleLink(link);
	};
	app.on('second-instance', (_event, argv) => {
		focusMainWindow();
		handleArgs(argv);
	});
	app.on('open-url', (event, url) => {
		event.preventDefault();
		handleLink(url);
	});

	// Closing the window keeps the app in the tray; only Quit ends it.
	let quitting = false;
	app.on('before-quit', () => {
		quitting = true;
		services.dispose();
		globalShortcut.unregisterAll();
	});
	app.on('window-all-closed', () => {
		// Stays alive in the tray.
	});

	const shortcuts = () => {
		globalShortcut.unregisterAll();
		const problems = registerShortcuts(
			services.settings.get().ui.shortcuts,
			(accelerator, action) =>
				globalShortcut.register(accelerator, () =>
					services.desktop.command(action === 'mute' ? 'toggleMute' : action),
				),
		);
		for (const problem of problems)
			logger.warn('shortcut.unavailable', { action: problem.action, message: problem.message });
	};
	shortcuts();
	let lastShortcuts = JSON.stringify(services.settings.get().ui.shortcuts);
	services.settings.onChange((next) => {
		if (JSON.stringify(next.ui.shortcuts) === lastShortcuts) return;
		lastShortcuts = JSON.stringify(next.ui.shortcuts);
		shortcuts();
	});
	watchResume(powerMonitor, () => services.desktop.resume());

	const main = await openMainWindow();
	main.on('close', (event) => {
		if (quitting) return;
		event.preventDefault();
		main.hide();
		if (!services.settings.get().ui.trayNoticeShown) {
			ports.notify(TRAY_NOTICE, () => focusMainWindow());
			void services.settings.setTrayNoticeShown();
		}
	});
	// Started at login (--hidden) or set to start minimised: straight to the tray.
	if (!services.settings.get().ui.startMinimised && !process.argv.includes('--hidden')) {
		main.once('ready-to-show', () => main.show());
	}
	handleArgs(process.argv);
	logger.info('app.started', { profile: profile.profile, host: APP_HOST });
}

/** The desktop ports of the desktop service: tray, notifications, window, power. */
function desktopPorts(actions: {
	readonly dial: (destination: string, video: boolean) => void;
	readonly command: (
		command: 'answer' | 'decline' | 'hangup' | 'toggleMute' | 'toggleHold',
	) => void;
	readonly setDoNotDisturb: (on: boolean) => void;
	readonly validClipboard: (text: string) => string | null;
}): DesktopPorts {
	let tray: Tray | null = null;
	let state: DesktopState | null = null;
	const guard = callSuspensionGuard(powerSaveBlocker);
	const icon = (name: string) => {
		const image = nativeImage.createFromPath(
			path.join(trayIconDir, `${name}${process.platform === 'darwin' ? 'Template' : ''}.png`),
		);
		if (process.platform === 'darwin') image.setTemplateImage(true);
		return image;
	};
	const redraw = async () => {
		if (state === null) return;
		const look = trayLook(state);
		if (tray === null) {
			tray = new Tray(icon(look.icon));
			tray.on('click', () => openCompactDialer(tray));
		} else {
			tray.setImage(icon(look.icon));
		}
		tray.setToolTip(look.tooltip);
		const clipboardText = await clipboard.readText();
		const startAtLogin = app.getLoginItemSettings().openAtLogin;
		const template = buildTrayTemplate(
			{ state, clipboard: actions.validClipboard(clipboardText), startAtLogin },
			{
				dial: actions.dial,
				openDialer: () => openCompactDialer(tray),
				openWindow: focusMainWindow,
				toggleMute: () => actions.command('toggleMute'),
				toggleHold: () => actions.command('toggleHold'),
				hangup: () => actions.command('hangup'),
				answer: () => actions.command('answer'),
				decline: () => actions.command('decline'),
				setDoNotDisturb: actions.setDoNotDisturb,
				setStartAtLogin: (on) => app.setLoginItemSettings({ openAtLogin: on, args: ['--hidden'] }),
				quit: () => app.quit(),
			},
		);
		tray.setContextMenu(Menu.buildFromTemplate(template));
		if (testHooks !== null) {
			testHooks.tray = { tooltip: look.tooltip, labels: template.map((item) => item.label ?? '-') };
		}
	};
	return {
		updateTray: (next) => {
			state = next;
			void redraw();
		},
		notify: (content, onAction) => {
			if (!Notification.isSupported()) return;
			const notification = new Notification({
				title: content.title,
				body: content.body,
				silent: content.silent,
				urgency: content.urgency,
				actions: content.actions.map((text) => ({ type: 'button' as const, text })),
			});
			notification.on('action', (_event, index) => onAction(index));
			notification.on('click', () => onAction('click'));
			notification.show();
		},
		raiseWindow: focusMainWindow,
		setInCall: guard,
	};
}

let ports!: DesktopPorts;

async function openMainWindow(): Promise<BrowserWindow> {
	// Where the window was last left, if that is still on a display attached now (main/window-state.ts).
	const stateFile = path.join(app.getPath('userData'), 'window-state.json');
	const saved = await loadWindowState({ file: stateFile, fs: nodeSettingsFs, logger });
	const placement = restoreWindowState(
		saved,
		screen.getAllDisplays().map((display) => display.workArea),
		screen.getPrimaryDisplay().workArea,
	);
	const win = new BrowserWindow(
		mainWindowOptions({
			preloadPath,
			title: app.getName(),
			profile: profile.profile,
			...(placement.bounds === null ? {} : { bounds: placement.bounds }),
		}),
	);
	rememberWindowState(win, stateFile, saved, placement.maximised);
	windows.add(win);
	win.on('closed', () => windows.delete(win));
	await win.loadURL(APP_URL);
	return win;
}

/**
 * Saves the main window's normal bounds and maximised state as they change (debounced) and as it closes.
 * A window restored maximised is maximised when first shown: `maximize()` on a hidden window would show
 * it, and a start in the tray must stay there.
 */
function rememberWindowState(
	win: BrowserWindow,
	file: string,
	saved: WindowState | null,
	maximised: boolean,
): void {
	const saver = createWindowStateSaver({ file, fs: nodeSettingsFs, logger, initial: saved });
	let last = saved;
	const capture = () => {
		if (!win.isDestroyed()) {
			last = captureWindowState(
				{
					normalBounds: win.getNormalBounds(),
					maximised: win.isMaximized(),
					fullScreen: win.isFullScreen(),
					minimised: win.isMinimized(),
				},
				last,
			);
		}
		return last;
	};
	const save = () => saver.save(capture());
	win.on('resize', save);
	win.on('move', save);
	win.on('maximize', save);
	win.on('unmaximize', save);
	win.on('leave-full-screen', save);
	win.on('close', () => {
		save();
		void saver.flush();
	});
	if (maximised) win.once('show', () => win.maximize());
}

/** A small dialer beside the tray icon: a call can be made without the main window. */
let compact: BrowserWindow | null = null;
function openCompactDialer(tray: Tray | null): void {
	if (compact === null || compact.isDestroyed()) {
		compact = new BrowserWindow(
			compactWindowOptions({ preloadPath, title: 'Dial', profile: profile.profile }),
		);
		const win = compact;
		windows.add(win);
		win.on('closed', () => windows.delete(win));
		win.on('blur', () => win.hide());
		void win.loadURL(`${APP_URL}#compact`);
	}
	const bounds = tray?.getBounds() ?? null;
	const display = screen.getDisplayNearestPoint(
		bounds === null ? screen.getCursorScreenPoint() : { x: bounds.x, y: bounds.y },
	);
	const size = compact.getBounds();
	compact.setPosition(...compactWindowPosition(bounds, size, display.workArea));
	compact.show();
	compact.focus();
}

function focusMainWindow(): void {
	const win = [...windows].find((w) => w !== compact);
	if (win === undefined) return;
	if (win.isMinimized()) win.restore();
	win.show();
	win.focus();
}
