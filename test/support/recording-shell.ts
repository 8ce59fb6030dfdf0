/**
 * ShellPorts that record what main asked of the desktop and answer as a test scripts them: the stand-in
 * for Electron's link registration, login item, global shortcuts, file manager and save dialog, which cannot
 * run here.
 * Shortcuts go through main's own `registerShortcuts` over a "desktop" where some combinations are taken.
 */
import type { Shortcuts } from '../../preload/contract';
import type { ConsentQuestion } from '../../main/desktop/consent';
import type { ShellOutcome, ShellPorts } from '../../main/desktop/shell-ports';
import { registerShortcuts } from '../../main/desktop/shortcuts';

export interface RecordingShell extends ShellPorts {
	/** What main asked of the desktop, in order. */
	readonly calls: string[];
	/** The login item as the "OS" holds it. */
	loginItem: boolean;
	/** Scripted answers: null lets a request go as asked. */
	linkProblem: string | null;
	loginProblem: string | null;
	logsProblem: string | null;
	/** What the "user" answers main's questions (consent.ts). */
	consent: boolean;
	/** Runs while a question is open, before it is answered (something else happening meanwhile). */
	whileAsking: ((question: ConsentQuestion) => Promise<void>) | null;
	/** Combinations another application holds: registering them fails, as Electron's does. */
	readonly heldElsewhere: Set<string>;
	/** Whether the app is (still) the links' handler, as the "OS" says. */
	linkHeld: boolean;
	/** Where the "user" saves in the save dialog; null cancels it (the default: nothing is written). */
	savePath: string | null;
}

export function recordingShell(initial: { loginItem?: boolean } = {}): RecordingShell {
	const shell: RecordingShell = {
		calls: [],
		loginItem: initial.loginItem ?? false,
		linkProblem: null,
		loginProblem: null,
		logsProblem: null,
		consent: true,
		whileAsking: null,
		linkHeld: false,
		savePath: null,
		heldElsewhere: new Set(),
		setLinkHandler: (on): ShellOutcome => {
			shell.calls.push(`links:${String(on)}`);
			if (shell.linkProblem !== null) return { enabled: !on, problem: shell.linkProblem };
			shell.linkHeld = on;
			return { enabled: on, problem: null };
		},
		readLinkHandler: () => ({ enabled: shell.linkHeld, problem: null }),
		confirm: async (question) => {
			shell.calls.push(`confirm:${question.setting}`);
			await shell.whileAsking?.(question);
			return shell.consent;
		},
		setStartAtLogin: async (on) => {
			shell.calls.push(`login:${String(on)}`);
			await Promise.resolve();
			if (shell.loginProblem !== null) {
				return { enabled: shell.loginItem, problem: shell.loginProblem };
			}
			shell.loginItem = on;
			return { enabled: on, problem: null };
		},
		readStartAtLogin: () => Promise.resolve({ enabled: shell.loginItem, problem: null }),
		registerShortcuts: (shortcuts: Shortcuts) => {
			shell.calls.push(`shortcuts:${JSON.stringify(shortcuts)}`);
			const desktop = { register: (accelerator: string) => !shell.heldElsewhere.has(accelerator) };
			return registerShortcuts(shortcuts, desktop, () => undefined);
		},
		openLogsFolder: () => {
			shell.calls.push('openLogsFolder');
			return Promise.resolve(shell.logsProblem);
		},
		chooseSavePath: (defaultName) => {
			shell.calls.push(`chooseSavePath:${defaultName}`);
			return Promise.resolve(shell.savePath);
		},
	};
	return shell;
}
