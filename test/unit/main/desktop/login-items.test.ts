import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	autostartEntryEnabled,
	removeAutostartEntry,
	writeAutostartEntry,
} from '../../../../main/desktop/autostart-file';
import { HIDDEN_ARG } from '../../../../main/desktop/launch';
import {
	autostartEntry,
	execArgument,
	loginItemOutcome,
	loginItemPlan,
	windowsLoginItems,
} from '../../../../main/desktop/login-items';

const base = {
	appId: 'com.telnyx.softphone.community',
	appName: 'Telnyx Softphone',
	xdgConfigHome: undefined,
	home: '/home/ada',
};
const packaged = { path: '/opt/Telnyx Softphone/telnyx-softphone', args: [] };

describe('loginItemPlan', () => {
	it('Windows: the same path and arguments for setting and reading the item (fails on e0fc691: read without args, so it read false)', () => {
		expect(
			loginItemPlan({ ...base, platform: 'win32', command: { path: 'C:\\T\\T.exe', args: [] } }),
		).toStrictEqual({
			kind: 'electron',
			options: { path: 'C:\\T\\T.exe', args: [HIDDEN_ARG], name: base.appId },
		});
	});

	it('macOS: Electron’s login item without arguments (macOS 13+ ignores them; wasOpenedAtLogin tells instead)', () => {
		expect(loginItemPlan({ ...base, platform: 'darwin', command: packaged })).toStrictEqual({
			kind: 'electron',
			options: {},
		});
	});

	it('Linux: an XDG autostart entry that starts this installation hidden (fails on e0fc691: nothing happened on Linux)', () => {
		const plan = loginItemPlan({ ...base, platform: 'linux', command: packaged });
		expect(plan).toStrictEqual({
			kind: 'xdg-autostart',
			file: '/home/ada/.config/autostart/com.telnyx.softphone.community.desktop',
			entry: autostartEntry('Telnyx Softphone', [packaged.path, HIDDEN_ARG]),
		});
		if (plan.kind !== 'xdg-autostart') throw new Error('unreachable');
		expect(plan.entry).toContain('Exec="/opt/Telnyx Softphone/telnyx-softphone" --hidden\n');
	});

	it('Linux: honours an absolute $XDG_CONFIG_HOME and ignores a relative one (as the XDG spec says)', () => {
		const file = (xdgConfigHome: string) => {
			const plan = loginItemPlan({ ...base, xdgConfigHome, platform: 'linux', command: packaged });
			return plan.kind === 'xdg-autostart' ? plan.file : null;
		};
		expect(file('/cfg')).toBe('/cfg/autostart/com.telnyx.softphone.community.desktop');
		expect(file('cfg')).toBe('/home/ada/.config/autostart/com.telnyx.softphone.community.desktop');
	});

	it('a development run keeps its app path and profile in the entry', () => {
		const plan = loginItemPlan({
			...base,
			platform: 'linux',
			command: {
				path: '/repo/node_modules/electron/dist/electron',
				args: ['/repo', '--profile=dev'],
			},
		});
		expect(plan.kind === 'xdg-autostart' && plan.entry).toContain(
			'Exec=/repo/node_modules/electron/dist/electron /repo --profile=dev --hidden\n',
		);
	});

	it('says why it cannot: no app path, or an unknown system', () => {
		expect(loginItemPlan({ ...base, platform: 'linux', command: null }).kind).toBe('unsupported');
		expect(loginItemPlan({ ...base, platform: 'freebsd', command: packaged })).toStrictEqual({
			kind: 'unsupported',
			problem: 'Starting at login is not available on this system.',
		});
	});
});

describe('execArgument (Desktop Entry Exec quoting)', () => {
	it.each([
		['/usr/bin/app', '/usr/bin/app'],
		['/opt/My App/app', '"/opt/My App/app"'],
		['100%', '100%%'],
		['a"b', '"a\\\\"b"'],
		['$HOME', '"\\\\$HOME"'],
		['', '""'],
	])('%s → %s', (argument, expected) => {
		expect(execArgument(argument)).toBe(expected);
	});
});

describe('the autostart entry on disk', () => {
	let dir: string;
	beforeEach(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'autostart-'));
	});
	afterEach(() => rm(dir, { recursive: true, force: true }));

	it('is written private to the user, read back as on, and removed', async () => {
		const file = path.join(dir, 'autostart', 'app.desktop');
		expect(await autostartEntryEnabled(file)).toBe(false);
		await writeAutostartEntry(file, autostartEntry('Telnyx Softphone', ['/opt/t', HIDDEN_ARG]));
		expect(await autostartEntryEnabled(file)).toBe(true);
		expect((await stat(file)).mode & 0o777).toBe(0o600);
		expect(await readFile(file, 'utf8')).toMatch(/^\[Desktop Entry\]\nType=Application\n/);
		await removeAutostartEntry(file);
		expect(await autostartEntryEnabled(file)).toBe(false);
		await removeAutostartEntry(file);
	});

	it('reads as off when the desktop’s startup-apps tool switched it off without deleting it', async () => {
		const file = path.join(dir, 'app.desktop');
		const entry = autostartEntry('T', ['/opt/t']);
		await writeAutostartEntry(file, `${entry}Hidden=true\n`);
		expect(await autostartEntryEnabled(file)).toBe(false);
		await writeAutostartEntry(
			file,
			entry.replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'),
		);
		expect(await autostartEntryEnabled(file)).toBe(false);
	});
});

describe('loginItemOutcome', () => {
	it('is the OS’s answer when it took the change or already says why not', () => {
		expect(loginItemOutcome(true, { enabled: true, problem: null })).toStrictEqual({
			enabled: true,
			problem: null,
		});
		expect(loginItemOutcome(true, { enabled: false, problem: 'Not here.' })).toStrictEqual({
			enabled: false,
			problem: 'Not here.',
		});
	});
	it('says so when the OS silently kept the old state', () => {
		expect(loginItemOutcome(true, { enabled: false, problem: null })).toStrictEqual({
			enabled: false,
			problem: 'The computer did not accept the change; try again from its own settings.',
		});
	});
});

describe('windowsLoginItems', () => {
	const exe = 'C:\\Users\\ada\\AppData\\Local\\Programs\\Telnyx Softphone\\Telnyx Softphone.exe';
	const item = (name: string, enabled: boolean, path = exe) => ({
		name,
		path,
		scope: 'user' as const,
		enabled,
	});

	it('reads the app’s own entry, and off when the user switched it off in Task Manager', () => {
		expect(windowsLoginItems([item(base.appId, true)], exe, base.appId)).toStrictEqual({
			enabled: true,
			removeLegacy: [],
			writeOwn: false,
		});
		expect(windowsLoginItems([item(base.appId, false)], exe, base.appId).enabled).toBe(false);
	});

	it('moves an entry an earlier version wrote under Electron’s default name to the app’s id (fails on e0fc691: such an entry read as off yet still started the app)', () => {
		expect(
			windowsLoginItems(
				[item('electron.app.Telnyx Softphone', true), item('Other App', true, 'C:\\o.exe')],
				exe.toUpperCase(),
				base.appId,
			),
		).toStrictEqual({
			enabled: true,
			removeLegacy: ['electron.app.Telnyx Softphone'],
			writeOwn: true,
		});
	});
});
