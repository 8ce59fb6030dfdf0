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
	app,
	ipcMain,
	protocol,
	session,
	systemPreferences,
	type WebContents,
} from 'electron';
import type { EventMap } from '../preload/contract';
import { APP_HOST, APP_SCHEME, APP_URL, createAppFileServer } from './app-protocol';
import { buildCsp } from './csp';
import { registerIpc } from './ipc/register-ipc';
import { createLogger } from './logger';
import { isAllowedNavigation, windowOpenDecision } from './navigation';
import { nodeSettingsFs } from './node-fs';
import { decidePermission } from './permissions';
import { resolveProfile } from './profile';
import { keytarBackend } from './secrets/keytar-store';
import { createSenderCheck } from './sender-check';
import { createMainServices } from './services';
import { scrubTelnyxEnvironment } from './telnyx/telnyx-client';
import { mainWindowOptions } from './window-options';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererRoot = path.join(here, '..', 'renderer');
const preloadPath = path.join(here, '..', 'preload', 'index.cjs');

// The Telnyx library reads these; none of them may redirect the key or change what is logged.
scrubTelnyxEnvironment(process.env);

const profile = resolveProfile(process.argv);
app.setPath('userData', `${app.getPath('userData')}${profile.userDataSuffix}`);

const logDir = path.join(app.getPath('userData'), 'logs');
mkdirSync(logDir, { recursive: true, mode: 0o700 });
/** Secrets held during this run, redacted from every log line (bound once the services exist). */
let secretsToRedact: () => string[] = () => [];
const logger = createLogger({
	write: (line) => appendFileSync(path.join(logDir, 'main.log'), `${line}\n`, { mode: 0o600 }),
	secrets: () => secretsToRedact(),
});

// A second launch hands over to the first (which focuses its window) and exits.
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
}

async function start(): Promise<void> {
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
	});
	secretsToRedact = () => services.vault.secretsToRedact();

	protocol.handle(
		APP_SCHEME,
		createAppFileServer({
			root: rendererRoot,
			csp: () => buildCsp({ signallingUrl: services.settings.get().endpoints.signallingUrl }),
			readFile,
			realpath,
		}),
	);

	const policy = { appUrl: APP_URL, allowCamera: true };
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
				policy,
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
				policy,
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
	app.on('second-instance', () => focusMainWindow());
	app.on('window-all-closed', () => app.quit());
	app.on('before-quit', () => services.dispose());

	await openMainWindow();
	logger.info('app.started', { profile: profile.profile, host: APP_HOST });
}

async function openMainWindow(): Promise<void> {
	const win = new BrowserWindow(mainWindowOptions({ preloadPath, title: app.getName() }));
	windows.add(win);
	win.on('closed', () => windows.delete(win));
	win.once('ready-to-show', () => win.show());
	await win.loadURL(APP_URL);
}

function focusMainWindow(): void {
	const [win] = windows;
	if (win === undefined) return;
	if (win.isMinimized()) win.restore();
	win.show();
	win.focus();
}
