import { describe, expect, it } from 'vitest';
import { HIDDEN_ARG, relaunchCommand, startsHidden } from '../../../../main/desktop/launch';

describe('relaunchCommand', () => {
	it('a packaged app is its executable, with no app path', () => {
		expect(
			relaunchCommand({
				execPath: '/opt/Telnyx Softphone/telnyx-softphone',
				argv: ['/opt/Telnyx Softphone/telnyx-softphone', 'tel:+13125550142'],
				defaultApp: false,
				cwd: '/home/ada',
				platform: 'linux',
			}),
		).toStrictEqual({ path: '/opt/Telnyx Softphone/telnyx-softphone', args: [] });
	});

	it('an AppImage is the AppImage file, not the executable inside its temporary mount', () => {
		expect(
			relaunchCommand({
				execPath: '/tmp/.mount_TelnyxAbc/telnyx-softphone',
				argv: ['/tmp/.mount_TelnyxAbc/telnyx-softphone'],
				defaultApp: false,
				appImage: '/home/ada/Apps/Telnyx-Softphone.AppImage',
				cwd: '/home/ada',
				platform: 'linux',
			}),
		).toStrictEqual({ path: '/home/ada/Apps/Telnyx-Softphone.AppImage', args: [] });
	});

	it('a development run is Electron plus the app’s folder, made absolute (fails on e0fc691: the bare binary was registered)', () => {
		expect(
			relaunchCommand({
				execPath: '/repo/node_modules/electron/dist/electron',
				argv: ['/repo/node_modules/electron/dist/electron', '.', '--profile=dev'],
				defaultApp: true,
				cwd: '/repo',
				platform: 'linux',
			}),
		).toStrictEqual({
			path: '/repo/node_modules/electron/dist/electron',
			args: ['/repo', '--profile=dev'],
		});
	});

	it('keeps the profile and sandbox arguments, so a link from the demo reaches the demo', () => {
		expect(
			relaunchCommand({
				execPath: '/e/electron',
				argv: [
					'/e/electron',
					'--no-sandbox-flag-of-chromium',
					'/repo',
					'--profile=demo',
					'--sandbox-rest=http://127.0.0.1:14000/v2',
					'--sandbox-signalling=ws://127.0.0.1:14001',
					'--sandbox-ice-servers=[{"urls":"stun:127.0.0.1:3478"}]',
					'--expose-test-hooks',
				],
				defaultApp: true,
				cwd: '/elsewhere',
				platform: 'linux',
			})?.args,
		).toStrictEqual([
			'/repo',
			'--profile=demo',
			'--sandbox-rest=http://127.0.0.1:14000/v2',
			'--sandbox-signalling=ws://127.0.0.1:14001',
			'--sandbox-ice-servers=[{"urls":"stun:127.0.0.1:3478"}]',
		]);
	});

	it('quotes the ICE servers’ JSON on Windows, its double quotes escaped', () => {
		expect(
			relaunchCommand({
				execPath: 'C:\\Softphone\\softphone.exe',
				argv: ['C:\\Softphone\\softphone.exe', '--sandbox-ice-servers=[{"urls":"stun:127.0.0.1"}]'],
				defaultApp: false,
				cwd: 'C:\\',
				platform: 'win32',
			})?.args,
		).toStrictEqual(['"--sandbox-ice-servers=[{\\"urls\\":\\"stun:127.0.0.1\\"}]"']);
	});

	it('cannot say when Electron was started without an app path', () => {
		expect(
			relaunchCommand({
				execPath: '/e/electron',
				argv: ['/e/electron'],
				defaultApp: true,
				cwd: '/',
				platform: 'linux',
			}),
		).toBeNull();
	});

	it('on Windows, quotes an argument with a space (Windows writes them into a command line as they are)', () => {
		expect(
			relaunchCommand({
				execPath: 'C:\\node_modules\\electron\\dist\\electron.exe',
				argv: ['C:\\node_modules\\electron\\dist\\electron.exe', '.', '--profile=dev'],
				defaultApp: true,
				cwd: 'C:\\Users\\Ada Lovelace\\softphone',
				platform: 'win32',
			})?.args,
		).toStrictEqual(['"C:\\Users\\Ada Lovelace\\softphone"', '--profile=dev']);
	});
});

describe('startsHidden', () => {
	const base = {
		argv: ['/app'],
		platform: 'linux',
		wasOpenedAtLogin: () => false,
		startMinimised: false,
	};
	it('shows the window on a normal start', () => {
		expect(startsHidden(base)).toBe(false);
	});
	it('starts in the tray for the login item’s argument, for start minimised, and for macOS’s own login report (fails on e0fc691: macOS 13+ drops --hidden)', () => {
		expect(startsHidden({ ...base, argv: ['/app', HIDDEN_ARG] })).toBe(true);
		expect(startsHidden({ ...base, startMinimised: true })).toBe(true);
		expect(startsHidden({ ...base, platform: 'darwin', wasOpenedAtLogin: () => true })).toBe(true);
		// The question is macOS's alone.
		expect(startsHidden({ ...base, platform: 'win32', wasOpenedAtLogin: () => true })).toBe(false);
	});
});
