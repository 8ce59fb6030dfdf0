/**
 * Electron's side of the ShellPorts: link handling (`setAsDefaultProtocolClient`), the login item
 * (Electron's API on macOS and Windows, an XDG autostart entry on Linux), global shortcuts, the user's
 * confirmation, the logs folder and the save dialog. What to ask for and what it means are decided in
 * `desktop/link-handler.ts`, `desktop/login-items.ts`, `desktop/consent.ts` and `desktop/shortcuts.ts`.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import { BrowserWindow, app, dialog, globalShortcut, shell } from 'electron';
import { APP_ID } from '../app-identity';
import {
	autostartEntryEnabled,
	removeAutostartEntry,
	writeAutostartEntry,
} from '../desktop/autostart-file';
import type { LaunchCommand } from '../desktop/launch';
import {
	linkHandlerOutcome,
	linkHandlerPlan,
	linkHandlerStatus,
	type LinkScheme,
} from '../desktop/link-handler';
import { loginItemOutcome, loginItemPlan, windowsLoginItems } from '../desktop/login-items';
import type { ShellOutcome, ShellPorts } from '../desktop/shell-ports';
import { registerShortcuts, type ShortcutAction } from '../desktop/shortcuts';
import type { TestHooks } from './test-hooks';

export interface ElectronShellDeps {
	/** How the OS starts this installation (null: a development run that cannot say). */
	readonly command: LaunchCommand | null;
	readonly logsDir: string;
	readonly onShortcut: (action: ShortcutAction) => void;
	readonly hooks: TestHooks | null;
}

export function electronShellPorts(deps: ElectronShellDeps): ShellPorts {
	const platform = process.platform;
	const login = loginItemPlan({
		platform,
		command: deps.command,
		appId: APP_ID,
		appName: app.getName(),
		xdgConfigHome: process.env['XDG_CONFIG_HOME'],
		home: homedir(),
	});
	const readLogin = async (): Promise<ShellOutcome> => {
		switch (login.kind) {
			case 'electron': {
				const settings = app.getLoginItemSettings(login.options);
				if (platform !== 'win32') return { enabled: settings.openAtLogin, problem: null };
				const items = windowsLoginItems(settings.launchItems, login.options.path ?? '', APP_ID);
				for (const name of items.removeLegacy) {
					app.setLoginItemSettings({ ...login.options, name, openAtLogin: false });
				}
				if (items.writeOwn) app.setLoginItemSettings({ ...login.options, openAtLogin: true });
				return { enabled: items.enabled, problem: null };
			}
			case 'xdg-autostart':
				return { enabled: await autostartEntryEnabled(login.file), problem: null };
			case 'unsupported':
				return { enabled: false, problem: login.problem };
		}
	};
	const holds = (scheme: LinkScheme) =>
		deps.command !== null &&
		app.isDefaultProtocolClient(scheme, deps.command.path, [...deps.command.args]);
	return {
		setLinkHandler: (on) => {
			const plan = linkHandlerPlan({
				on,
				command: deps.command,
				holds,
				platform,
				defaultApp: process.defaultApp === true,
			});
			const accepted = new Set<string>();
			if (plan.kind !== 'impossible') {
				const { path, args } = plan.command;
				for (const scheme of plan.schemes) {
					const ok =
						plan.kind === 'register'
							? app.setAsDefaultProtocolClient(scheme, path, [...args])
							: app.removeAsDefaultProtocolClient(scheme, path, [...args]);
					if (ok) accepted.add(scheme);
					if (plan.kind === 'register') deps.hooks?.linkRegistrations.push({ scheme, path, args });
				}
			}
			return linkHandlerOutcome(plan, (scheme) => accepted.has(scheme), platform);
		},
		readLinkHandler: () => linkHandlerStatus(holds, platform),
		confirm: async (question) => {
			const options = {
				type: 'question' as const,
				message: question.message,
				detail: question.detail,
				buttons: ['Cancel', question.confirm],
				defaultId: 0,
				cancelId: 0,
			};
			const parent = BrowserWindow.getFocusedWindow();
			const { response } = await (parent === null
				? dialog.showMessageBox(options)
				: dialog.showMessageBox(parent, options));
			return response === 1;
		},
		setStartAtLogin: async (on) => {
			if (login.kind === 'electron')
				app.setLoginItemSettings({ ...login.options, openAtLogin: on });
			else if (login.kind === 'xdg-autostart') {
				if (on) await writeAutostartEntry(login.file, login.entry);
				else await removeAutostartEntry(login.file);
			}
			return loginItemOutcome(on, await readLogin());
		},
		readStartAtLogin: readLogin,
		registerShortcuts: (shortcuts) => {
			globalShortcut.unregisterAll();
			return registerShortcuts(shortcuts, globalShortcut, deps.onShortcut);
		},
		openLogsFolder: async () => {
			// Resolves an error message, or '' when the folder opened.
			const error = await shell.openPath(deps.logsDir);
			return error === '' ? null : error;
		},
		chooseSavePath: async (defaultName) => {
			const options = {
				defaultPath: path.join(downloadsFolder(), defaultName),
				filters: [{ name: 'Zip archive', extensions: ['zip'] }],
				properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const],
			};
			const parent = BrowserWindow.getFocusedWindow();
			const { canceled, filePath } = await (parent === null
				? dialog.showSaveDialog(options)
				: dialog.showSaveDialog(parent, options));
			return canceled || filePath === undefined || filePath === '' ? null : filePath;
		},
	};
}

/** The Downloads folder, or the home folder where the OS names none (Electron throws then). */
function downloadsFolder(): string {
	try {
		return app.getPath('downloads');
	} catch {
		return homedir();
	}
}
