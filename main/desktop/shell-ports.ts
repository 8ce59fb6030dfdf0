/**
 * What the desktop shell does for the settings a user changes and the buttons a user presses, as ports:
 * Electron's adapters in `main/electron/` in the app, recording ones in tests. The decisions (when to call
 * them, what to tell the user) live in `desktop-settings.ts`, which both the app and the harness run.
 */
import type { Shortcuts } from '../../preload/contract';
import type { ConsentQuestion } from './consent';
import type { ShortcutProblem } from './shortcuts';

/** What became of a request to the OS, with a sentence for the user when it did not go as asked. */
export interface ShellOutcome {
	readonly enabled: boolean;
	readonly problem: string | null;
}

export interface ShellPorts {
	/** Makes the app the computer's handler of the call-link schemes (true) or stops it being one. */
	readonly setLinkHandler: (on: boolean) => ShellOutcome;
	/** Whether the app is still the handler (the user may have chosen another app since). */
	readonly readLinkHandler: () => ShellOutcome;
	/** Asks the user a question main owns (a native dialog); resolves whether they agreed. */
	readonly confirm: (question: ConsentQuestion) => Promise<boolean>;
	/** Adds or removes the app's start-at-login entry; answers what the OS now says. */
	readonly setStartAtLogin: (on: boolean) => Promise<ShellOutcome>;
	/** What the OS says about the start-at-login entry (the user may have changed it outside the app). */
	readonly readStartAtLogin: () => Promise<ShellOutcome>;
	/** Replaces the global shortcuts; answers the ones that could not be registered. */
	readonly registerShortcuts: (shortcuts: Shortcuts) => readonly ShortcutProblem[];
	/** Opens the logs folder in the file manager; answers why not, or null. */
	readonly openLogsFolder: () => Promise<string | null>;
	/**
	 * Asks the user where to save a file (a save dialog main owns, suggesting `defaultName` in the Downloads
	 * folder); answers the chosen path, or null when they cancelled.
	 */
	readonly chooseSavePath: (defaultName: string) => Promise<string | null>;
}

/** Ports that do nothing (unit tests of other services; a run with no desktop). */
export const NO_SHELL: ShellPorts = {
	setLinkHandler: (on) => ({ enabled: on, problem: null }),
	readLinkHandler: () => ({ enabled: false, problem: null }),
	// With no desktop to ask on, nothing that needs the user's say-so is turned on.
	confirm: () => Promise.resolve(false),
	setStartAtLogin: (on) => Promise.resolve({ enabled: on, problem: null }),
	readStartAtLogin: () => Promise.resolve({ enabled: false, problem: null }),
	registerShortcuts: () => [],
	openLogsFolder: () => Promise.resolve(null),
	// With no desktop to ask on, nothing is saved: as if the user cancelled.
	chooseSavePath: () => Promise.resolve(null),
};
