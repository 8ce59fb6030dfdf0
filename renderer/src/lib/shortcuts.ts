/**
 * Global shortcuts as Settings records them: a key press turned into an Electron accelerator
 * (`CommandOrControl+Shift+A`), and an accelerator shown the way this computer's keyboard names its keys.
 * Pure, so the recording rules are tested without a page. Whether a combination may be used (reserved,
 * taken by another action, needs a modifier) is main's call: it refuses with a sentence Settings shows.
 */
import type { Shortcuts } from '../../../preload/contract';

export type ShortcutAction = keyof Shortcuts;

/** The actions in the order Settings lists them, with the names it shows. */
export const SHORTCUT_ACTIONS: readonly {
	readonly action: ShortcutAction;
	readonly label: string;
}[] = [
	{ action: 'answer', label: 'Answer' },
	{ action: 'hangup', label: 'Hang up' },
	{ action: 'mute', label: 'Mute' },
];

/** What a key event carries that recording reads (a `KeyboardEvent` fits). */
export interface KeyCombination {
	readonly key: string;
	readonly code: string;
	readonly ctrlKey: boolean;
	readonly altKey: boolean;
	readonly shiftKey: boolean;
	readonly metaKey: boolean;
}

export type Recorded =
	/** Escape on its own: the user changed their mind. */
	| { readonly kind: 'cancel' }
	/** Tab or Shift+Tab on its own: the user is moving on, and the focus must be free to move. */
	| { readonly kind: 'leave' }
	/** Only modifiers so far (held down on the way to a key): keep listening. */
	| { readonly kind: 'pending'; readonly modifiers: string }
	| { readonly kind: 'combination'; readonly accelerator: string }
	| { readonly kind: 'unsupported'; readonly message: string };

const MODIFIER_KEYS = new Set([
	'Shift',
	'Control',
	'Alt',
	'AltGraph',
	'Meta',
	'OS',
	'Super',
	'Hyper',
]);

/** Keys named by `KeyboardEvent.code`, as Electron's accelerators name them. */
const NAMED: Readonly<Record<string, string>> = {
	ArrowUp: 'Up',
	ArrowDown: 'Down',
	ArrowLeft: 'Left',
	ArrowRight: 'Right',
	Space: 'Space',
	Tab: 'Tab',
	Enter: 'Enter',
	NumpadEnter: 'Enter',
	Backspace: 'Backspace',
	Delete: 'Delete',
	Insert: 'Insert',
	Home: 'Home',
	End: 'End',
	PageUp: 'PageUp',
	PageDown: 'PageDown',
	Escape: 'Escape',
	PrintScreen: 'PrintScreen',
	// Punctuation by its place on the keyboard: with Shift held, `key` would be the shifted symbol.
	Minus: '-',
	Equal: '=',
	BracketLeft: '[',
	BracketRight: ']',
	Backslash: '\\',
	Semicolon: ';',
	Quote: "'",
	Comma: ',',
	Period: '.',
	Slash: '/',
	Backquote: '`',
	NumpadAdd: 'numadd',
	NumpadSubtract: 'numsub',
	NumpadMultiply: 'nummult',
	NumpadDivide: 'numdiv',
	NumpadDecimal: 'numdec',
	MediaPlayPause: 'MediaPlayPause',
	MediaStop: 'MediaStop',
	MediaTrackNext: 'MediaNextTrack',
	MediaTrackPrevious: 'MediaPreviousTrack',
	AudioVolumeUp: 'VolumeUp',
	AudioVolumeDown: 'VolumeDown',
	AudioVolumeMute: 'VolumeMute',
};

/**
 * The modifiers held, in Electron's names. The key that is Ctrl on Linux and Windows and Cmd on macOS is
 * `CommandOrControl`, so a shortcut recorded on one means the same on the others; the remaining one of the
 * pair is `Super` (the Windows or Super key) off macOS and `Control` on it.
 */
function modifiersOf(press: KeyCombination, mac: boolean): string[] {
	const modifiers: string[] = [];
	if (mac ? press.metaKey : press.ctrlKey) modifiers.push('CommandOrControl');
	if (mac && press.ctrlKey) modifiers.push('Control');
	if (!mac && press.metaKey) modifiers.push('Super');
	if (press.altKey) modifiers.push('Alt');
	if (press.shiftKey) modifiers.push('Shift');
	return modifiers;
}

/** The accelerator's key for the pressed key, or null when a shortcut cannot use it. */
function keyOf(press: KeyCombination): string | null {
	const letter = /^Key([A-Z])$/.exec(press.code)?.[1];
	// The letter printed on the key (`key`), which is what Electron registers: on an AZERTY keyboard the key
	// in QWERTY's Q place is A. Alt on macOS turns letters into other characters; then the place decides.
	if (letter !== undefined) return /^[a-z]$/i.test(press.key) ? press.key.toUpperCase() : letter;
	const digit = /^(?:Digit|Numpad)(\d)$/.exec(press.code);
	if (digit !== null)
		return press.code.startsWith('Numpad') ? `num${digit[1]}` : (digit[1] ?? null);
	if (/^F([1-9]|1\d|2[0-4])$/.test(press.code)) return press.code;
	const named = NAMED[press.code];
	if (named !== undefined) return named;
	// No code (some virtual keyboards and remote desktops): a plain letter or digit is still clear.
	if (/^[a-z0-9]$/i.test(press.key)) return press.key.toUpperCase();
	return null;
}

/** What a key press means while a shortcut is being recorded. */
export function recordKey(press: KeyCombination, mac: boolean): Recorded {
	const modifiers = modifiersOf(press, mac);
	if (MODIFIER_KEYS.has(press.key) || /^(Shift|Control|Alt|Meta|OS)(Left|Right)$/.test(press.code))
		return { kind: 'pending', modifiers: modifiers.join('+') };
	const plain = !press.ctrlKey && !press.altKey && !press.metaKey;
	if (press.key === 'Escape' && plain && !press.shiftKey) return { kind: 'cancel' };
	if (press.key === 'Tab' && plain) return { kind: 'leave' };
	const key = keyOf(press);
	if (key === null) {
		return {
			kind: 'unsupported',
			message: `A shortcut cannot use ${press.key === '' || press.key === 'Unidentified' ? 'that key' : `the ${press.key} key`}; try a letter, a digit or a function key with Ctrl, Alt or Shift.`,
		};
	}
	return { kind: 'combination', accelerator: [...modifiers, key].join('+') };
}

/**
 * An accelerator in the words of this computer's keyboard: `CommandOrControl+Shift+A` is `Ctrl+Shift+A`
 * on Linux and Windows and `Cmd+Shift+A` on macOS. `platform` is Node's (`AppInfo.platform`).
 */
export function describeAccelerator(accelerator: string, platform: string): string {
	const mac = platform === 'darwin';
	const names: Readonly<Record<string, string>> = {
		commandorcontrol: mac ? 'Cmd' : 'Ctrl',
		cmdorctrl: mac ? 'Cmd' : 'Ctrl',
		command: 'Cmd',
		cmd: 'Cmd',
		control: 'Ctrl',
		ctrl: 'Ctrl',
		alt: mac ? 'Option' : 'Alt',
		option: 'Option',
		super: mac ? 'Cmd' : platform === 'win32' ? 'Win' : 'Super',
		meta: mac ? 'Cmd' : platform === 'win32' ? 'Win' : 'Super',
		shift: 'Shift',
	};
	return accelerator
		.split('+')
		.map((part) => names[part.toLowerCase()] ?? part)
		.join('+');
}
