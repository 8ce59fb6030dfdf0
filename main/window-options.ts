/**
 * Options of the app's windows, kept pure so a test can assert every security-relevant flag
 * (Electron security checklist items 2–4, 6, 11).
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import type { Profile } from '../preload/contract';

export interface WindowOptionsInput {
	readonly preloadPath: string;
	readonly title: string;
	/** The installation profile: only development and demo runs may open the developer tools. */
	readonly profile: Profile;
}

export function mainWindowOptions({
	preloadPath,
	title,
	profile,
}: WindowOptionsInput): BrowserWindowConstructorOptions {
	return {
		title,
		width: 420,
		height: 720,
		minWidth: 360,
		minHeight: 560,
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
