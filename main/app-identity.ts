/**
 * Who the app is to the OS. The id is electron-builder's `appId` (a test keeps the two equal): Windows
 * files toasts, the taskbar and the per-app notification switch under the AppUserModelID, and the installer's
 * Start-menu shortcut carries `appId`. Without it toasts read "electron.app.Telnyx Softphone" and ignore the
 * user's notification setting for the app.
 */
import path from 'node:path';

export const APP_ID = 'com.telnyx.softphone.community';

/**
 * The AppUserModelID to set on Windows (null elsewhere). A development run has no Start-menu shortcut with
 * the app's id, so it uses Electron's executable path, as Electron's notification guide suggests.
 */
export function appUserModelId(input: {
	readonly platform: string;
	readonly packaged: boolean;
	readonly execPath: string;
}): string | null {
	if (input.platform !== 'win32') return null;
	return input.packaged ? APP_ID : input.execPath;
}

/**
 * Where the logs go: Electron's own logs folder (`~/Library/Logs/<name>` on macOS, `<userData>/logs`
 * elsewhere), with the profile's suffix on macOS too, so a demo run never writes into production's logs.
 */
export function logsFolder(input: {
	readonly platform: string;
	readonly home: string;
	readonly userData: string;
	readonly appName: string;
	readonly profileSuffix: string;
}): string {
	if (input.platform === 'darwin') {
		return path.join(input.home, 'Library', 'Logs', `${input.appName}${input.profileSuffix}`);
	}
	return path.join(input.userData, 'logs');
}
