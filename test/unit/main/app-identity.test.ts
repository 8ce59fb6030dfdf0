import { describe, expect, it } from 'vitest';
import { APP_ID, appUserModelId, logsFolder } from '../../../main/app-identity';

describe('appUserModelId', () => {
	it('is the installer’s appId on packaged Windows (fails on e0fc691: never set, toasts read electron.app…)', () => {
		expect(appUserModelId({ platform: 'win32', packaged: true, execPath: 'C:\\a.exe' })).toBe(
			APP_ID,
		);
	});
	it('is Electron’s executable in a development run on Windows, and nothing elsewhere', () => {
		expect(appUserModelId({ platform: 'win32', packaged: false, execPath: 'C:\\e.exe' })).toBe(
			'C:\\e.exe',
		);
		expect(appUserModelId({ platform: 'darwin', packaged: true, execPath: '/x' })).toBeNull();
		expect(appUserModelId({ platform: 'linux', packaged: true, execPath: '/x' })).toBeNull();
	});
});

describe('logsFolder', () => {
	const input = {
		home: '/Users/ada',
		userData: '/data/Telnyx Softphone (demo)',
		appName: 'Telnyx Softphone',
		profileSuffix: ' (demo)',
	};
	it('is ~/Library/Logs/<name> on macOS, with the profile’s suffix', () => {
		expect(logsFolder({ ...input, platform: 'darwin' })).toBe(
			'/Users/ada/Library/Logs/Telnyx Softphone (demo)',
		);
	});
	it('is <userData>/logs elsewhere (the profile’s own user data)', () => {
		expect(logsFolder({ ...input, platform: 'linux' })).toBe('/data/Telnyx Softphone (demo)/logs');
	});
});
