/**
 * Electron's side of the ShellPorts: link handling (`setAsDefaultProtocolClient`), the login item
 * (Electron's API on macOS and Windows, an XDG autostart entry on Linux), global shortcuts and the logs
 * folder. What to ask for and what it means are decided in `desktop/link-handler.ts`,
 * `desktop/login-items.ts` and `desktop/shortcuts.ts`.
 */
import { homedir } from 'node:os';
import { app, globalShortcut, shell } from 'electron';
import { APP_ID } from '../app-identity';
import {
	autostartEntryEnabled,
	removeAutostartEntry,
	writeAutostartEntry,
} from '../desktop/autostart-file';
import type { LaunchCommand } from '../desktop/launch';
import { linkHandlerOutcome, linkHandlerPlan } from '../desktop/link-handler';
import { loginItemOutcome, loginItemPlan } from '../desktop/login-items';
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
	const login = loginItemPlan({
		platform: process.platform,
		command: deps.command,
		appId: APP_ID,
		appName: app.getName(),
		xdgConfigHome: process.env['XDG_CONFIG_HOME'],
		home: homedir(),
	});
	const readLogin = async (): Promise<ShellOutcome> => {
		switch (login.kind) {
			case 'electron':
				return { enabled: app.getLoginItemSettings(login.options).openAtLogin, problem: null };
			case 'xdg-autostart':
				return { enabled: await autostartEntryEnabled(login.file), problem: null };
			case 'unsupported':
				return { enabled: false, problem: login.problem };
		}
	};
	return {
		setLinkHandler: (on) => {
			const plan = linkHandlerPlan({
				on,
				command: deps.command,
				holds: (scheme) =>
					deps.command !== null &&
					app.isDefaultProtocolClient(scheme, deps.command.path, [...deps.command.args]),
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
			return linkHandlerOutcome(plan, (scheme) => accepted.has(scheme));
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
	};
}
