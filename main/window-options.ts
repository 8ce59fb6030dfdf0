/**
 * Options of the app's windows, kept pure so a test can assert every security-relevant flag
 * (Electron security checklist items 2–4, 6, 11).
 */
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';
import type { Profile } from '../preload/contract';

/** The phone-sized column a first start opens with (and the e2e viewport, test/e2e/support/app-harness.ts). */
export const MAIN_WINDOW_DEFAULT_SIZE = { width: 420, height: 720 } as const;
/** Below this the dialer and the call controls no longer fit; every layout is designed from here up. */
export const MAIN_WINDOW_MIN_SIZE = { width: 360, height: 560 } as const;

export interface WindowOptionsInput {
	readonly preloadPath: string;
	readonly title: string;
	/** The installation profile: only development and demo runs may open the developer tools. */
	readonly profile: Profile;
	/**
	 * Where the window goes (main/window-state.ts, already checked against the displays); without it, the
	 * default size, centred by Electron.
	 */
	readonly bounds?: Rectangle;
}

export function mainWindowOptions({
	preloadPath,
	title,
	profile,
	bounds,
}: WindowOptionsInput): BrowserWindowConstructorOptions {
	return {
		title,
		...(bounds === undefined
			? { ...MAIN_WINDOW_DEFAULT_SIZE }
			: { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height }),
		minWidth: MAIN_WINDOW_MIN_SIZE.width,
		minHeight: MAIN_WINDOW_MIN_SIZE.height,
		// A video call grows with the window, up to the whole screen: no maximum size. Electron's defaults,
		// stated so the test pins them. Element full screen (the video area, Fullscreen API) also needs the
		// 'fullscreen' permission, granted to the app's own page in main/permissions.ts.
		resizable: true,
		maximizable: true,
		fullscreenable: true,
		show: false,
		webPreferences: {
			preload: preloadPath,
			contextIsolation: true,
			sandbox: true,
			nodeIntegration: false,
			nodeIntegrationInWorker: false,
			nodeIntegrationInSubFrames: false,
			webSecurity: true,
			allowRunningInsecureContent: false,
			experimentalFeatures: false,
			webviewTag: false,
			spellcheck: false,
			// A console in the app's own window is where a "paste this" attack would run; production has none.
			devTools: profile !== 'production',
			// The SDK's keepalive and health timers must run while the window is hidden in the tray.
			backgroundThrottling: false,
			// Remote audio and the ringtone must play without a click (the user answered in the app already).
			autoplayPolicy: 'no-user-gesture-required',
		},
	};
}
