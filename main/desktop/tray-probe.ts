/**
 * Whether a tray icon can be seen. macOS and Windows always have one. On Linux, Electron shows its icon
 * as a StatusNotifierItem, which a desktop displays only if something owns `org.kde.StatusNotifierWatcher`
 * on the session bus (KDE, Xfce, Cinnamon… do; stock GNOME does not without the AppIndicator extension).
 * Asked with `dbus-send`, which every desktop with a session bus has; when the question cannot be asked,
 * the answer is "no", so closing the window minimises it rather than hiding it where it cannot be found.
 */
import { execFile } from 'node:child_process';

export const STATUS_NOTIFIER_WATCHER = 'org.kde.StatusNotifierWatcher';

/** Runs a program and resolves its standard output (rejects if it fails or times out). */
export type RunProgram = (file: string, args: readonly string[]) => Promise<string>;

/** `RunProgram` with Node's `execFile` (no shell), given a second and a half (it answers in milliseconds). */
export const execProgram: RunProgram = (file, args) =>
	new Promise((resolve, reject) => {
		execFile(file, [...args], { timeout: 1500 }, (error, stdout) => {
			if (error instanceof Error) reject(error);
			else resolve(stdout);
		});
	});

/** Whether `name` has an owner on the session bus. */
export async function busNameHasOwner(run: RunProgram, name: string): Promise<boolean> {
	try {
		const output = await run('dbus-send', [
			'--session',
			'--print-reply',
			'--reply-timeout=2000',
			'--dest=org.freedesktop.DBus',
			'/org/freedesktop/DBus',
			'org.freedesktop.DBus.NameHasOwner',
			`string:${name}`,
		]);
		return /\bboolean true\b/.test(output);
	} catch {
		return false;
	}
}

/**
 * How often to ask again: a desktop's tray host can start after the app (an autostart at login races it)
 * or come and go with an extension; only Linux needs asking at all.
 */
export function trayProbeInterval(platform: string): number | null {
	return platform === 'linux' ? 60_000 : null;
}

export async function trayAvailable(platform: string, run: RunProgram): Promise<boolean> {
	if (platform !== 'linux') return true;
	return busNameHasOwner(run, STATUS_NOTIFIER_WATCHER);
}

/** A Linux Wayland session, where global shortcuts work only through the desktop's own support. */
export function isWaylandSession(
	platform: string,
	env: Readonly<Record<string, string | undefined>>,
): boolean {
	if (platform !== 'linux') return false;
	return env['XDG_SESSION_TYPE'] === 'wayland' || (env['WAYLAND_DISPLAY'] ?? '') !== '';
}
