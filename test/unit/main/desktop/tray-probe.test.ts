/**
 * The tray probe asks the real session bus (the test session runs dbus and gnome-keyring, which owns
 * org.freedesktop.secrets; nothing there owns the StatusNotifierWatcher, as on stock GNOME).
 */
import { describe, expect, it } from 'vitest';
import {
	STATUS_NOTIFIER_WATCHER,
	busNameHasOwner,
	execProgram,
	isWaylandSession,
	trayAvailable,
	trayProbeInterval,
} from '../../../../main/desktop/tray-probe';

const onBus = (process.env['DBUS_SESSION_BUS_ADDRESS'] ?? '') !== '';

describe.skipIf(!onBus)('busNameHasOwner on the real session bus', () => {
	it('sees a name that is owned (the keyring’s Secret Service)', async () => {
		expect(await busNameHasOwner(execProgram, 'org.freedesktop.secrets')).toBe(true);
	});

	it('finds no StatusNotifierWatcher on a desktop without one: no tray (fails on e0fc691: close hid the window regardless)', async () => {
		expect(await busNameHasOwner(execProgram, STATUS_NOTIFIER_WATCHER)).toBe(false);
		expect(await trayAvailable('linux', execProgram)).toBe(false);
	});
});

describe('trayAvailable', () => {
	it('macOS and Windows always have a tray; nothing is asked', async () => {
		const never = () => Promise.reject(new Error('not asked'));
		expect(await trayAvailable('darwin', never)).toBe(true);
		expect(await trayAvailable('win32', never)).toBe(true);
	});

	it('reads dbus-send’s answer', async () => {
		const answer = (value: string) => () =>
			Promise.resolve(`method return time=1 sender=org.freedesktop.DBus\n   boolean ${value}\n`);
		expect(await trayAvailable('linux', answer('true'))).toBe(true);
		expect(await trayAvailable('linux', answer('false'))).toBe(false);
	});

	it('when the bus cannot be asked, answers no tray, so the window is minimised rather than lost', async () => {
		expect(await trayAvailable('linux', () => Promise.reject(new Error('ENOENT')))).toBe(false);
	});
});

describe('trayProbeInterval', () => {
	it('asks again every minute on Linux (a tray host can start after the app), never elsewhere', () => {
		expect(trayProbeInterval('linux')).toBe(60_000);
		expect(trayProbeInterval('darwin')).toBeNull();
		expect(trayProbeInterval('win32')).toBeNull();
	});
});

describe('isWaylandSession', () => {
	it('reads XDG_SESSION_TYPE or WAYLAND_DISPLAY, on Linux only', () => {
		expect(isWaylandSession('linux', { XDG_SESSION_TYPE: 'wayland' })).toBe(true);
		expect(isWaylandSession('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBe(true);
		expect(isWaylandSession('linux', { XDG_SESSION_TYPE: 'x11', DISPLAY: ':0' })).toBe(false);
		expect(isWaylandSession('linux', {})).toBe(false);
		expect(isWaylandSession('darwin', { WAYLAND_DISPLAY: 'wayland-0' })).toBe(false);
	});
});
