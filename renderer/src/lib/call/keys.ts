/**
 * The in-app keys, as pure decisions over a key event, so each screen that owns a key (the dialer, the call
 * panel, the incoming-call dialog) applies the same rules. The list shown in About is `IN_APP_KEYS`.
 */

/** What a key event carries that the rules read (a `KeyboardEvent` fits). */
export interface KeyPress {
	readonly key: string;
	readonly ctrlKey: boolean;
	readonly metaKey: boolean;
	readonly altKey: boolean;
	readonly defaultPrevented: boolean;
	readonly target: EventTarget | null;
}

const DIAL_KEYS = /^[0-9*#]$/;

/**
 * The key typed into a field or a control that takes keys itself: it is left to that field, so digits typed
 * into a search box or the DTMF field are not also dialled or sent.
 */
export function isTypingTarget(target: EventTarget | null): boolean {
	if (typeof Element === 'undefined' || !(target instanceof Element)) return false;
	if (target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]'))
		return true;
	return false;
}

/**
 * The dial key (0-9, *, #) a key press typed outside any field, or null. Shortcuts with Ctrl, Cmd or Alt
 * are not digits (Ctrl+1 may belong to the system), and a press another handler took is left alone.
 */
export function dialKey(press: KeyPress): string | null {
	if (press.defaultPrevented || press.ctrlKey || press.metaKey || press.altKey) return null;
	if (!DIAL_KEYS.test(press.key)) return null;
	return isTypingTarget(press.target) ? null : press.key;
}

/**
 * Esc meant for the app. Not while something is full screen: there Esc leaves full screen (the browser's
 * own meaning), and must not also cancel or decline a call.
 */
export function isEscape(press: KeyPress, fullscreen: boolean): boolean {
	return press.key === 'Escape' && !press.defaultPrevented && !fullscreen;
}

/**
 * Something is full screen. The API's type says `Element | null`; jsdom and old engines leave the property
 * out (undefined), which means nothing is.
 */
export function isFullscreen(doc: Document): boolean {
	const element = doc.fullscreenElement as Element | null | undefined;
	return element !== null && element !== undefined;
}

/** The keys the app understands, for About. */
export const IN_APP_KEYS: readonly { readonly keys: string; readonly action: string }[] = [
	{ keys: 'Enter', action: 'Places the call typed in the dialer.' },
	{
		keys: '0–9, *, #',
		action: 'On the Phone view: typed into the dialer, or sent as tones (DTMF) during a call.',
	},
	{
		keys: 'Esc',
		action:
			'Closes the call keypad, cancels a call that is still ringing out, or declines an incoming call (when its dialog has the focus). In full screen, leaves full screen.',
	},
	{ keys: 'Tab, Shift+Tab', action: 'Move between controls; the focused one is outlined.' },
	{ keys: 'Space, Enter', action: 'Press the focused button.' },
];
