/**
 * ShellPorts that record what main asked of the desktop and answer as a test scripts them: the stand-in
 * for Electron's link registration, login item, global shortcuts and file manager, which cannot run here.
 */
import type { Shortcuts } from '../../preload/contract';
import type { ShellOutcome, ShellPorts } from '../../main/desktop/shell-ports';
import type { ShortcutProblem } from '../../main/desktop/shortcuts';

export interface RecordingShell extends ShellPorts {
	readonly calls: string[];
	/** The login item as the "OS" holds it. */
	loginItem: boolean;
	/** Scripted answers (null: the request goes as asked). */
	linkProblem: string | null;
	loginProblem: string | null;
	shortcutProblems: (shortcuts: Shortcuts) => ShortcutProblem[];
	logsFolderProblem: string | null;
}

export function recordingShell(initial: { loginItem?: boolean } = {}): RecordingShell {
	const shell: RecordingShell = {
		calls: [],
		loginItem: initial.loginItem ?? false,
		linkProblem: null,
		loginProblem: null,
		shortcutProblems: () => [],
		logsFolderProblem: null,
		setLinkHandler: (on): ShellOutcome => {
			shell.calls.push(`links:${String(on)}`);
			return shell.linkProblem === null
				? { enabled: on, problem: null }
				: { enabled: !on, problem: shell.linkProblem };
		},
		setStartAtLogin: async (on) => {
			shell.calls.push(`login:${String(on)}`);
			await Promise.resolve();
			if (shell.loginProblem !== null)
				return { enabled: shell.loginItem, problem: shell.loginProblem };
			shell.loginItem = on;
			return { enabled: on, problem: null };
		},
		readStartAtLogin: () => Promise.resolve({ enabled: shell.loginItem, problem: null }),
		registerShortcuts: (shortcuts) => {
			shell.calls.push(`shortcuts:${JSON.stringify(shortcuts)}`);
			return shell.shortcutProblems(shortcuts);
		},
		openLogsFolder: () => {
			shell.calls.push('openLogsFolder');
			return Promise.resolve(shell.logsFolderProblem);
		},
	};
	return shell;
}
