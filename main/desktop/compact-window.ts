/**
 * The compact dialer window opened from the tray: the same hardened web preferences as the main window
 * (it shows the same app, in its compact view, and never runs a phone of its own), placed beside the tray
 * icon and kept on screen.
 */
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';
import { mainWindowOptions, type WindowOptionsInput } from '../window-options';

export const COMPACT_SIZE = { width: 320, height: 420 };

export function compactWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
	const base = mainWindowOptions(input);
	return {
		...base,
		...COMPACT_SIZE,
		minWidth: COMPACT_SIZE.width,
		minHeight: COMPACT_SIZE.height,
		resizable: false,
		// The main window may grow and go full screen (video); the tray's dialer never does.
		maximizable: false,
		fullscreenable: false,
		frame: false,
		skipTaskbar: true,
		alwaysOnTop: true,
		show: false,
	};
}

/**
 * Where the compact dialer goes: centred under a tray icon at the top of the screen, above one at the
 * bottom, and always inside the work area. Without tray bounds (some Linux desktops), near the cursor's
 * display's bottom-right corner.
 */
export function compactWindowPosition(
	tray: Rectangle | null,
	size: { width: number; height: number },
	workArea: Rectangle,
): [number, number] {
	const clamp = (value: number, min: number, max: number) =>
		Math.round(Math.min(Math.max(value, min), max));
	const maxX = workArea.x + workArea.width - size.width;
	const maxY = workArea.y + workArea.height - size.height;
	if (tray === null || (tray.width === 0 && tray.height === 0)) {
		return [clamp(maxX - 8, workArea.x, maxX), clamp(maxY - 8, workArea.y, maxY)];
	}
	const x = tray.x + tray.width / 2 - size.width / 2;
	const trayAtTop = tray.y < workArea.y + workArea.height / 2;
	const y = trayAtTop ? tray.y + tray.height + 4 : tray.y - size.height - 4;
	return [clamp(x, workArea.x, maxX), clamp(y, workArea.y, maxY)];
}
