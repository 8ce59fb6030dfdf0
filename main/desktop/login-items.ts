/**
 * Starting at login, per OS. Electron's login-item API covers macOS and Windows only; on Linux the
 * freedesktop way is an autostart entry (`$XDG_CONFIG_HOME/autostart/<id>.desktop`, XDG Autostart spec),
 * which GNOME, KDE, Xfce and the rest read.
 *
 * - Windows: the item is a registry value with a path and arguments, and `getLoginItemSettings()` reads
 *   false unless it is given the same path and arguments — so both calls get the same ones.
 * - macOS: arguments are ignored from macOS 13, so `--hidden` never arrives; the app asks
 *   `wasOpenedAtLogin` instead (see `startsHidden`).
 * - Linux: the entry's `Exec` is this installation's command with `--hidden`.
 */
import path from 'node:path';
import { HIDDEN_ARG, type LaunchCommand } from './launch';
import type { ShellOutcome } from './shell-ports';

export type LoginItemPlan =
	| {
			readonly kind: 'electron';
			/** For `app.setLoginItemSettings` (plus `openAtLogin`) and, identical, `getLoginItemSettings`. */
			readonly options: {
				readonly path?: string;
				readonly args?: string[];
				readonly name?: string;
			};
	  }
	| { readonly kind: 'xdg-autostart'; readonly file: string; readonly entry: string }
	| { readonly kind: 'unsupported'; readonly problem: string };

export interface LoginItemInput {
	readonly platform: string;
	readonly command: LaunchCommand | null;
	readonly appId: string;
	readonly appName: string;
	/** `$XDG_CONFIG_HOME` (or undefined) and the home folder, for Linux. */
	readonly xdgConfigHome: string | undefined;
	readonly home: string;
}

export function loginItemPlan(input: LoginItemInput): LoginItemPlan {
	if (input.command === null) {
		return {
			kind: 'unsupported',
			problem:
				'This development run was started without the app’s folder, so it cannot be started at login.',
		};
	}
	const args = [...input.command.args, HIDDEN_ARG];
	if (input.platform === 'darwin') return { kind: 'electron', options: {} };
	if (input.platform === 'win32') {
		return { kind: 'electron', options: { path: input.command.path, args, name: input.appId } };
	}
	if (input.platform === 'linux') {
		const config =
			input.xdgConfigHome !== undefined && path.isAbsolute(input.xdgConfigHome)
				? input.xdgConfigHome
				: path.join(input.home, '.config');
		return {
			kind: 'xdg-autostart',
			file: path.join(config, 'autostart', `${input.appId}.desktop`),
			entry: autostartEntry(input.appName, [input.command.path, ...args]),
		};
	}
	return { kind: 'unsupported', problem: 'Starting at login is not available on this system.' };
}

/**
 * What Settings shows after asking for `asked`: the OS's own answer, and when it did not take the change
 * (a policy, a sandbox, a read-only folder), a sentence saying so.
 */
export function loginItemOutcome(asked: boolean, now: ShellOutcome): ShellOutcome {
	if (now.enabled === asked || now.problem !== null) return now;
	return {
		...now,
		problem: 'The computer did not accept the change; try again from its own settings.',
	};
}

/** An XDG autostart entry (Desktop Entry Specification 1.5) that runs `command`. */
export function autostartEntry(name: string, command: readonly string[]): string {
	return [
		'[Desktop Entry]',
		'Type=Application',
		'Version=1.5',
		`Name=${oneLine(name)}`,
		'Comment=Starts in the tray so calls can reach you',
		`Exec=${command.map(execArgument).join(' ')}`,
		'Terminal=false',
		'X-GNOME-Autostart-enabled=true',
		'',
	].join('\n');
}

/**
 * One `Exec` argument: quoted when it holds a reserved character, with `"`, `` ` ``, `$` and `\` escaped
 * inside the quotes, and `%` doubled (a bare `%` starts a field code). The value is then escaped again as
 * a string value: each backslash written twice.
 */
export function execArgument(argument: string): string {
	const percent = argument.replaceAll('%', '%%');
	const quoted =
		/[\s"'\\><~|&;$*?#()`]/.test(percent) || percent === ''
			? `"${percent.replace(/(["`$\\])/g, '\\$1')}"`
			: percent;
	return quoted.replaceAll('\\', '\\\\');
}

function oneLine(text: string): string {
	return text.replace(/[\r\n]+/g, ' ');
}

/** A Windows Run entry, as Electron's `getLoginItemSettings().launchItems` lists them. */
export interface WindowsLaunchItem {
	readonly name: string;
	readonly path: string;
	readonly scope: 'user' | 'machine';
	/** Startup-approved: on in Task Manager's Startup tab (the user can turn it off there). */
	readonly enabled: boolean;
}

/**
 * The app's Run entries on Windows. Electron names an entry after the AppUserModelID, which versions before
 * this one never set: their entry is "electron.app.<name>", which would now read as off yet still start the
 * app at every login. Such entries (same executable, another name) are moved to the app's id: removed, and
 * the app's own written if one of them was on. An entry the user switched off in Task Manager reads off.
 */
export function windowsLoginItems(
	items: readonly WindowsLaunchItem[],
	execPath: string,
	appId: string,
): {
	readonly enabled: boolean;
	readonly removeLegacy: readonly string[];
	readonly writeOwn: boolean;
} {
	const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
	const ours = items.filter((item) => item.scope === 'user' && same(item.path, execPath));
	const own = ours.filter((item) => item.name === appId);
	const legacy = ours.filter((item) => item.name !== appId);
	const legacyOn = legacy.some((item) => item.enabled);
	return {
		enabled: own.some((item) => item.enabled) || legacyOn,
		removeLegacy: legacy.map((item) => item.name),
		writeOwn: legacyOn && !own.some((item) => item.enabled),
	};
}
