/**
 * How this installation is started again by someone else: the OS, for a link click or at login. A packaged
 * app is its executable (the AppImage file, not the executable inside its temporary mount); a development
 * run is Electron plus the app's folder (Electron's `process.defaultApp` case), and either keeps the
 * profile and sandbox arguments, so a link opened from `npm run demo` reaches the demo, not production.
 */
import path from 'node:path';

/** Passed by the login item (where the OS passes arguments): start in the tray. */
export const HIDDEN_ARG = '--hidden';

/** The arguments that choose the installation profile and its endpoints (see `main/profile.ts`). */
const PROFILE_ARGS = [
	'--profile=',
	'--sandbox-rest=',
	'--sandbox-signalling=',
	'--sandbox-ice-servers=',
];

export interface LaunchFacts {
	/** `process.execPath`. */
	readonly execPath: string;
	/** `process.argv`. */
	readonly argv: readonly string[];
	/** `process.defaultApp`: Electron was started with the app's folder as an argument. */
	readonly defaultApp: boolean;
	/** `process.env.APPIMAGE`: the AppImage file this run was started from, if any. */
	readonly appImage?: string | undefined;
	/** The working directory the app path in `argv` is relative to. */
	readonly cwd: string;
	readonly platform: string;
}

export interface LaunchCommand {
	readonly path: string;
	readonly args: readonly string[];
}

/** The command that starts this installation, or null when this run cannot say (no app path given). */
export function relaunchCommand(facts: LaunchFacts): LaunchCommand | null {
	const profileArgs = facts.argv
		.slice(1)
		.filter((arg) => PROFILE_ARGS.some((prefix) => arg.startsWith(prefix)));
	// Windows writes the arguments into a command line as they are: one with a space or a double quote (the
	// ICE servers' JSON) must come quoted, its quotes escaped.
	const quote = (arg: string) =>
		facts.platform === 'win32' && /[\s"]/.test(arg) ? `"${arg.replaceAll('"', '\\"')}"` : arg;
	if (!facts.defaultApp) {
		return { path: facts.appImage ?? facts.execPath, args: profileArgs.map(quote) };
	}
	const appPath = facts.argv.slice(1).find((arg) => !arg.startsWith('-'));
	if (appPath === undefined) return null;
	const paths = facts.platform === 'win32' ? path.win32 : path.posix;
	return {
		path: facts.execPath,
		args: [paths.resolve(facts.cwd, appPath), ...profileArgs].map(quote),
	};
}

/**
 * Whether this run should start in the tray: the login item's argument (Windows, Linux), macOS's own
 * report that it opened the app at login (macOS 13 and later ignore a login item's arguments), or the
 * user's "start minimised".
 */
export function startsHidden(input: {
	readonly argv: readonly string[];
	readonly platform: string;
	/** macOS's `getLoginItemSettings().wasOpenedAtLogin` (asked on macOS only). */
	readonly wasOpenedAtLogin: () => boolean;
	readonly startMinimised: boolean;
}): boolean {
	if (input.startMinimised || input.argv.includes(HIDDEN_ARG)) return true;
	return input.platform === 'darwin' && input.wasOpenedAtLogin();
}
