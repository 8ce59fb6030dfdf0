/**
 * Global shortcuts (answer, hang up, mute): which accelerators are valid, which conflict with each other or
 * with shortcuts every desktop reserves, and — after registering — which another app already holds. Pure:
 * `main/electron/shell-ports.ts` registers them with Electron's `globalShortcut`.
 */
import type { Shortcuts } from '../../preload/contract';

export type ShortcutAction = keyof Shortcuts;

export const SHORTCUT_ACTIONS: readonly ShortcutAction[] = ['answer', 'hangup', 'mute'];

export const DEFAULT_SHORTCUTS: Shortcuts = {
	answer: 'CommandOrControl+Shift+A',
	hangup: 'CommandOrControl+Shift+E',
	mute: 'CommandOrControl+Shift+M',
};

const MODIFIERS = new Set([
	'command',
	'cmd',
	'control',
	'ctrl',
	'commandorcontrol',
	'cmdorctrl',
	'alt',
	'option',
	'altgr',
	'shift',
	'super',
	'meta',
]);
const KEY =
	/^([A-Z0-9]|F([1-9]|1[0-9]|2[0-4])|Space|Tab|Backspace|Delete|Insert|Home|End|PageUp|PageDown|Up|Down|Left|Right|Plus|Escape|Esc|[`~!@#$%^&*()\-=[\]{};':",./<>?\\|])$/i;

/** Shortcuts the desktop or every app uses, which a softphone must never take. */
const RESERVED = new Set(
	[
		'CommandOrControl+Q',
		'CommandOrControl+W',
		'CommandOrControl+C',
		'CommandOrControl+V',
		'CommandOrControl+X',
		'CommandOrControl+Z',
		'CommandOrControl+A',
		'Alt+F4',
		'Alt+Tab',
		'CommandOrControl+Tab',
		'CommandOrControl+Shift+Escape',
		'CommandOrControl+Alt+Delete',
	].map((a) => normalise(a)),
);

/** A canonical form for comparing accelerators: modifiers lower-cased and sorted, the key last. */
export function normalise(accelerator: string): string {
	const parts = accelerator.split('+').map((p) => p.trim().toLowerCase());
	const key = parts.pop() ?? '';
	const aliases: Record<string, string> = {
		cmd: 'commandorcontrol',
		cmdorctrl: 'commandorcontrol',
		command: 'commandorcontrol',
		control: 'commandorcontrol',
		ctrl: 'commandorcontrol',
		option: 'alt',
		meta: 'super',
	};
	const modifiers = [...new Set(parts.map((m) => aliases[m] ?? m))].sort();
	return [...modifiers, key === 'esc' ? 'escape' : key].join('+');
}

/** Why an accelerator cannot be used, or null. */
export function checkAccelerator(accelerator: string): string | null {
	const parts = accelerator.split('+').map((p) => p.trim());
	const key = parts.at(-1) ?? '';
	const modifiers = parts.slice(0, -1);
	if (modifiers.length === 0)
		return 'A global shortcut needs at least one modifier (Ctrl, Alt, Shift, Cmd).';
	// Shift alone on a character key would take a capital letter (or a symbol) away from every other app.
	if (key.length === 1 && modifiers.every((m) => m.toLowerCase() === 'shift')) {
		return 'A global shortcut on a letter, digit or symbol needs Ctrl, Alt or Cmd, not just Shift.';
	}
	if (modifiers.some((m) => !MODIFIERS.has(m.toLowerCase())))
		return `“${accelerator}” has an unknown modifier.`;
	if (!KEY.test(key)) return `“${key}” is not a key a shortcut can use.`;
	if (RESERVED.has(normalise(accelerator)))
		return `${accelerator} is reserved by the system or by other apps.`;
	return null;
}

export interface ShortcutProblem {
	readonly action: ShortcutAction;
	readonly message: string;
}

/**
 * Problems with a set of shortcuts: invalid ones and ones that collide with each other. Of two that
 * collide, the one later in `order` is reported.
 */
export function shortcutProblems(
	shortcuts: Shortcuts,
	order: readonly ShortcutAction[] = SHORTCUT_ACTIONS,
): ShortcutProblem[] {
	const problems: ShortcutProblem[] = [];
	const seen = new Map<string, ShortcutAction>();
	for (const action of order) {
		const accelerator = shortcuts[action];
		if (accelerator === null) continue;
		const invalid = checkAccelerator(accelerator);
		if (invalid !== null) {
			problems.push({ action, message: invalid });
			continue;
		}
		const other = seen.get(normalise(accelerator));
		if (other !== undefined)
			problems.push({ action, message: `${accelerator} is already the shortcut to ${other}.` });
		else seen.set(normalise(accelerator), action);
	}
	return problems;
}

/**
 * Chromium features the shortcuts need: on Linux, global shortcuts under Wayland go through the desktop's
 * GlobalShortcuts portal only when Chromium is told to use it (electron#45171; without it, electron#45607:
 * they work only while a Chromium window has focus). GNOME and KDE then ask the user to allow or assign them.
 */
export function shortcutFeatures(platform: string): readonly string[] {
	return platform === 'linux' ? ['GlobalShortcutsPortal'] : [];
}

/**
 * The `--enable-features` value with `features` added to what was given on the command line (a switch
 * appended later replaces an earlier one, so the user's own features are kept by merging).
 */
export function withFeatures(given: string, features: readonly string[]): string {
	const all = given.split(',').filter((name) => name !== '');
	for (const feature of features) if (!all.includes(feature)) all.push(feature);
	return all.join(',');
}

/** The phone command a shortcut gives (Mute toggles). */
export function shortcutCommand(action: ShortcutAction): 'answer' | 'hangup' | 'toggleMute' {
	return action === 'mute' ? 'toggleMute' : action;
}

/** The part of Electron's `globalShortcut` the registration uses. */
export interface GlobalShortcutLike {
	register(accelerator: string, callback: () => void): boolean;
}

/**
 * Registers each valid shortcut and reports the ones refused (another application holds them). A
 * registration that succeeds can still do nothing outside the app on Wayland, where the desktop decides
 * (electron#45607); Electron cannot tell (its `isRegistered` only reads its own table), so Settings says
 * so in words instead.
 */
export function registerShortcuts(
	shortcuts: Shortcuts,
	shortcut: GlobalShortcutLike,
	onPress: (action: ShortcutAction) => void,
): ShortcutProblem[] {
	const problems = shortcutProblems(shortcuts);
	for (const action of SHORTCUT_ACTIONS) {
		const accelerator = shortcuts[action];
		if (accelerator === null || problems.some((p) => p.action === action)) continue;
		if (!shortcut.register(accelerator, () => onPress(action))) {
			problems.push({
				action,
				message: `${accelerator} is already used by another application; choose another shortcut.`,
			});
		}
	}
	return problems;
}
