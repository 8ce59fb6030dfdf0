/**
 * The main services with Electron's desktop under them: tray, notifications, window raising and the
 * power-save blocker (DesktopPorts), link handling, login item, shortcuts and logs folder (ShellPorts).
 * `createMainServices` is the same call the end-to-end harness makes with recording ports.
 */
import { hostname } from 'node:os';
import { app, systemPreferences } from 'electron';
// The SDK's version for the support bundle, fixed when main is built: the SDK is bundled into the renderer
// and not shipped in node_modules, so it cannot be read at run time (Vite inlines this one string).
import { version as telnyxSdkVersion } from '@telnyx/webrtc/package.json';
import type { PhoneCommand } from '../../preload/contract';
import { relaunchCommand } from '../desktop/launch';
import {
	execProgram,
	isWaylandSession,
	trayAvailable,
	trayProbeInterval,
} from '../desktop/tray-probe';
import { shortcutCommand } from '../desktop/shortcuts';
import { nodeSettingsFs } from '../node-fs';
import type { ProfileConfig } from '../profile';
import { keytarBackend } from '../secrets/keytar-store';
import { createMainServices, type MainServices } from '../services';
import type { AppLog } from './logging';
import { showNotification } from './notifications';
import { setupPower } from './power';
import { electronShellPorts } from './shell-ports';
import type { TestHooks } from './test-hooks';
import { createTrayPort } from './tray';
import type { AppWindows } from './windows';

export interface DesktopServicesDeps {
	readonly profile: ProfileConfig;
	readonly log: AppLog;
	readonly windows: AppWindows;
	readonly trayIconDir: string;
	readonly hooks: TestHooks | null;
}

export async function createDesktopServices({
	profile,
	log,
	windows,
	trayIconDir,
	hooks,
}: DesktopServicesDeps): Promise<MainServices> {
	// The ports act on the services, which need the ports: bound through this once they exist.
	let services: MainServices | null = null;
	const on = (act: (s: MainServices) => void) => () => {
		if (services !== null) act(services);
	};
	let drawTray: ReturnType<typeof createTrayPort> = () => {};
	const created = await createMainServices({
		userDataDir: app.getPath('userData'),
		profile,
		app: { name: app.getName(), version: app.getVersion(), platform: process.platform },
		fs: nodeSettingsFs,
		logger: log.logger,
		keychain: keytarBackend,
		deviceName: hostname(),
		systemPreferences,
		emit: (event, ...payload) => windows.emit(event, ...payload),
		desktop: {
			updateTray: (state) => drawTray(state),
			notify: showNotification,
			raiseWindow: () => windows.focusMain(),
			setInCall: setupPower(on((s) => s.resume())),
		},
		shell: electronShellPorts({
			command: relaunchCommand({
				execPath: process.execPath,
				argv: process.argv,
				defaultApp: process.defaultApp === true,
				appImage: process.env['APPIMAGE'],
				cwd: process.cwd(),
				platform: process.platform,
			}),
			logsDir: log.dir,
			onShortcut: (action) => on((s) => s.desktop.command(shortcutCommand(action)))(),
			hooks,
		}),
		desktopFacts: {
			trayAvailable: await trayAvailable(process.platform, execProgram),
			wayland: isWaylandSession(process.platform, process.env),
		},
		versions: {
			electron: process.versions.electron,
			chromium: process.versions.chrome,
			node: process.versions.node,
		},
		logs: log,
		sdkVersion: telnyxSdkVersion,
	});
	services = created;
	const command = (name: PhoneCommand) => () => created.desktop.command(name);
	drawTray = createTrayPort({
		iconDir: trayIconDir,
		actions: {
			dial: (destination, video) => created.desktop.dial({ destination, video, now: true }),
			openWindow: () => windows.focusMain(),
			toggleMute: command('toggleMute'),
			toggleHold: command('toggleHold'),
			hangup: command('hangup'),
			answer: command('answer'),
			decline: command('decline'),
			setDoNotDisturb: (on) => void created.desktop.setDoNotDisturb(on),
			setStartAtLogin: (on) => void created.settings.update({ ui: { startAtLogin: on } }),
			testSetup: () => created.desktop.open('setup-test'),
			saveSupportBundle: () => void created.saveSupportBundleFromTray(),
			quit: () => app.quit(),
		},
		openDialer: (bounds) => windows.openCompact(bounds),
		startAtLogin: () => created.settings.get().ui.startAtLogin,
		hooks,
	});
	drawTray(created.desktop.state());
	const every = trayProbeInterval(process.platform);
	if (every !== null) {
		const probe = () =>
			void trayAvailable(process.platform, execProgram).then((available) =>
				created.desktopSettings.setTrayAvailable(available),
			);
		setInterval(probe, every).unref();
	}
	log.bindSecrets(() => created.vault.secretsToRedact());
	if (hooks !== null) hooks.notificationsHeld = () => created.desktop.notificationsShown();
	return created;
}
