/**
 * What closing the main window and clicking the Dock icon do. Closing keeps the app running so calls can
 * reach it: the window hides to the tray — or, on a desktop that shows no tray icon, is minimised, since a
 * hidden window could not be reached again. The first time, a notification says where the app went.
 */
import { NO_TRAY_NOTICE, TRAY_NOTICE, type NotificationContent } from './notifications';

export type CloseDecision =
	| { readonly kind: 'close' }
	| {
			readonly kind: 'hide' | 'minimise';
			/** Shown once (then `trayNoticeShown` is set). */
			readonly notice: NotificationContent | null;
	  };

export function decideClose(input: {
	/** The app is quitting: the window really closes. */
	readonly quitting: boolean;
	readonly trayAvailable: boolean;
	readonly noticeShown: boolean;
}): CloseDecision {
	if (input.quitting) return { kind: 'close' };
	const notice = input.noticeShown ? null : input.trayAvailable ? TRAY_NOTICE : NO_TRAY_NOTICE;
	return { kind: input.trayAvailable ? 'hide' : 'minimise', notice };
}

/**
 * macOS `activate` (a click on the Dock icon, or reopening from Finder): show the main window, or open one
 * if there is none. Without it a click on the Dock shows nothing, because closing only hid the window.
 */
export function decideActivate(hasMainWindow: boolean): 'show' | 'open' {
	return hasMainWindow ? 'show' : 'open';
}

/**
 * How the main window starts: shown, or — when the app starts in the tray (login item, "start minimised")
 * — hidden; but where no tray icon can be shown, minimised, so the app can still be found in the taskbar.
 */
export function decideStartWindow(input: {
	readonly startsHidden: boolean;
	readonly trayAvailable: boolean;
}): 'show' | 'hidden' | 'minimised' {
	if (!input.startsHidden) return 'show';
	return input.trayAvailable ? 'hidden' : 'minimised';
}
