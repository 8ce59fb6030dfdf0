/**
 * The application menu and the keys the window ignores, per platform and profile.
 *
 * Without a menu of its own, Electron installs its default one, whose View menu reloads the page
 * (Ctrl/Cmd+R, F5) — the page holds the calling SDK, so a reload drops every live call — and opens the
 * developer tools, a ready console for a "paste this into the console" attack on someone's account. So the
 * production menu has neither: only Edit (without it macOS has no copy and paste shortcuts in text fields)
 * and, on macOS, the app and Window menus users expect there. Development and demo runs keep a View menu
 * with reload and the developer tools.
 *
 * Every menu here spells out its submenu: a bare menu role (`viewMenu`, `windowMenu`…) would make Electron
 * fill in its own defaults, which this module could then not vouch for.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { Profile } from '../preload/contract';

export interface AppMenuInput {
	readonly platform: NodeJS.Platform;
	readonly profile: Profile;
	readonly appName: string;
}

export function buildAppMenuTemplate({
	platform,
	profile,
	appName,
}: AppMenuInput): MenuItemConstructorOptions[] {
	const mac = platform === 'darwin';
	const template: MenuItemConstructorOptions[] = [];
	if (mac) {
		template.push({
			label: appName,
			submenu: [
				{ role: 'about' },
				{ type: 'separator' },
				{ role: 'hide' },
				{ role: 'hideOthers' },
				{ role: 'unhide' },
				{ type: 'separator' },
				{ role: 'quit' },
			],
		});
	} else {
		// Where there is no app menu, Quit lives in File: on a desktop without a tray icon (stock GNOME)
		// closing the window only minimises it, and this is the way out besides Ctrl+Q.
		template.push({ label: 'File', submenu: [{ role: 'quit' }] });
	}
	template.push({
		label: 'Edit',
		submenu: [
			{ role: 'undo' },
			{ role: 'redo' },
			{ type: 'separator' },
			{ role: 'cut' },
			{ role: 'copy' },
			{ role: 'paste' },
			{ type: 'separator' },
			{ role: 'selectAll' },
		],
	});
	if (profile !== 'production') {
		template.push({
			label: 'View',
			submenu: [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }],
		});
	}
	if (mac) {
		template.push({ label: 'Window', submenu: [{ role: 'minimize' }, { role: 'close' }] });
	}
	return template;
}

/** The parts of Electron's `Input` (from `before-input-event`) that decide whether a key is blocked. */
export interface KeyInput {
	readonly key: string;
	readonly code: string;
	readonly control: boolean;
	readonly meta: boolean;
	readonly shift: boolean;
	readonly alt: boolean;
}

/**
 * Whether the window must swallow this key: in production, the reload keys (Ctrl/Cmd+R, Ctrl/Cmd+Shift+R,
 * F5 with any modifier) and the developer-tools keys (Ctrl/Cmd+Shift+I, Cmd+Alt+I, F12). The menu no longer
 * binds them and production windows have no developer tools; this holds even so, whatever binds them.
 *
 * Ctrl and Cmd count alike on every platform (neither combination means anything else in the app), and the
 * letter is matched both by the character (`key`, so a Dvorak or AZERTY user's R is an R) and by the
 * physical key (`code`, because with Alt held macOS turns I into a dead key, `ˆ`).
 */
export function isBlockedKey(input: KeyInput, profile: Profile): boolean {
	if (profile !== 'production') return false;
	if (input.key === 'F5' || input.code === 'F5') return true;
	if (input.key === 'F12' || input.code === 'F12') return true;
	const letter = (name: string) =>
		input.key.toLowerCase() === name || input.code === `Key${name.toUpperCase()}`;
	const command = input.control || input.meta;
	if (command && letter('r')) return true;
	if (letter('i') && ((command && input.shift) || (input.meta && input.alt))) return true;
	return false;
}
