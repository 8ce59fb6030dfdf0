/**
 * The app's entry, read top to bottom: what must happen before Electron is ready, then each part of the
 * shell set up in turn. Every part is a thin adapter in `main/electron/` over a pure, tested module; the
 * services and the IPC wiring are the ones the end-to-end harness runs.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app } from 'electron';
import { shortcutFeatures, withFeatures } from './desktop/shortcuts';
import { registerAppScheme, serveAppScheme } from './electron/app-scheme';
import { createDesktopServices } from './electron/desktop';
import { setupIdentity } from './electron/identity';
import { setupIpc } from './electron/ipc';
import { startShell } from './electron/app-shell';
import { claimSingleInstance, listenForLinks, type EarlyLinks } from './electron/lifecycle';
import { setupLogging, type AppLog } from './electron/logging';
import { setupMenu } from './electron/menu';
import { setupContentsLockdown, setupPermissions } from './electron/session-policy';
import { createTestHooks, type TestHooks } from './electron/test-hooks';
import { AppWindows } from './electron/windows';
import { hardenEnvironment } from './environment';
import { resolveProfile, type ProfileConfig } from './profile';

const here = path.dirname(fileURLToPath(import.meta.url));

function main(): void {
	// Before anything else: no variable may redirect the key, change what is logged, or weaken TLS.
	const removed = hardenEnvironment(process.env);
	const profile = resolveProfile(process.argv);
	const hooks = createTestHooks(process.argv, profile.profile);
	setupIdentity(profile);
	// A second launch hands over before it opens (or rotates) the first one's log.
	if (!claimSingleInstance()) return;
	const links = listenForLinks();
	const log = setupLogging(profile);
	if (removed.length > 0) log.logger.warn('environment.removed', { names: removed });
	const features = withFeatures(
		app.commandLine.getSwitchValue('enable-features'),
		shortcutFeatures(process.platform),
	);
	if (features !== '') app.commandLine.appendSwitch('enable-features', features);
	registerAppScheme();
	void app.whenReady().then(() => onReady(profile, log, hooks, links));
}

async function onReady(
	profile: ProfileConfig,
	log: AppLog,
	hooks: TestHooks | null,
	links: EarlyLinks,
): Promise<void> {
	setupMenu(profile.profile);
	const windows = new AppWindows({
		preloadPath: path.join(here, '..', 'preload', 'index.cjs'),
		userDataDir: app.getPath('userData'),
		profile: profile.profile,
		title: app.getName(),
		logger: log.logger,
	});
	const services = await createDesktopServices({
		profile,
		log,
		windows,
		trayIconDir: path.join(here, '..', '..', 'assets', 'tray'),
		hooks,
	});
	serveAppScheme(path.join(here, '..', 'renderer'), profile.endpoints);
	setupPermissions(() => services.settings.get().ui.cameraEnabled);
	setupContentsLockdown(profile.profile);
	setupIpc(services, (webContentsId) => windows.isApp(webContentsId), log.logger);
	await startShell({ profile: profile.profile, services, windows, log, hooks, links });
}

main();
