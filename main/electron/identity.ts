/** Who the app is to the OS: the profile's own user-data folder, and Windows' AppUserModelID. */
import { app } from 'electron';
import { appUserModelId } from '../app-identity';
import type { ProfileConfig } from '../profile';

/** Before anything reads `userData` (the single-instance lock, settings, logs). */
export function setupIdentity(profile: ProfileConfig): void {
	app.setPath('userData', `${app.getPath('userData')}${profile.userDataSuffix}`);
	const id = appUserModelId({
		platform: process.platform,
		packaged: app.isPackaged,
		execPath: process.execPath,
	});
	if (id !== null) app.setAppUserModelId(id);
}
