/**
 * The app's life: one instance (a second launch hands its link to the first and exits), links from the OS,
 * the Dock icon on macOS, staying alive with no window, and asking before a quit would end a call.
 */
import { app, dialog } from 'electron';
import { isCallLink } from '../desktop/links';
import { QUIT_DURING_CALL, QuitGate } from '../desktop/quit-gate';
import { decideActivate } from '../desktop/window-close';
import { LOG_FLUSH_DEADLINE_MS, withDeadline } from '../logging/deadline';
import type { TestHooks } from './test-hooks';

/** False when another instance runs: this one hands over and quits. */
export function claimSingleInstance(): boolean {
	if (app.requestSingleInstanceLock()) return true;
	app.quit();
	return false;
}

export interface LifecycleDeps {
	readonly focusMain: () => void;
	readonly hasMain: () => boolean;
	readonly openMain: () => void;
	readonly handleLink: (url: string) => void;
	readonly callInProgress: () => boolean;
	/** Runs once the quit goes ahead (shortcuts, services). */
	readonly onQuit: () => void;
	/** Writes out what is left of the log; the quit waits for it, up to `LOG_FLUSH_DEADLINE_MS`. */
	readonly flushLog: () => Promise<void>;
	readonly hooks: TestHooks | null;
}

/** Sets the lifecycle handlers; answers whether the app is quitting (so closing the window really closes). */
export function setupLifecycle(deps: LifecycleDeps): () => boolean {
	app.on('second-instance', (_event, argv) => {
		deps.focusMain();
		handleLinkIn(argv, deps.handleLink);
	});
	// macOS hands links over as open-url, including the one that launched the app.
	app.on('open-url', (event, url) => {
		event.preventDefault();
		deps.handleLink(url);
	});
	app.on('activate', () => {
		const action = decideActivate(deps.hasMain());
		deps.hooks?.activated.push(action);
		if (action === 'show') deps.focusMain();
		else deps.openMain();
	});
	// Stays alive in the tray (or minimised) with no window open.
	app.on('window-all-closed', () => {});

	const gate = new QuitGate(deps.callInProgress);
	let quitting = false;
	app.on('before-quit', (event) => {
		const step = gate.request();
		if (step === 'quit') {
			if (!quitting) deps.onQuit();
			quitting = true;
			return;
		}
		event.preventDefault();
		if (step === 'wait') return;
		deps.focusMain();
		void dialog
			.showMessageBox({
				type: 'question',
				message: QUIT_DURING_CALL.message,
				detail: QUIT_DURING_CALL.detail,
				buttons: [...QUIT_DURING_CALL.buttons],
				defaultId: QUIT_DURING_CALL.defaultId,
				cancelId: QUIT_DURING_CALL.cancelId,
			})
			.then(({ response }) => {
				if (gate.answer(response)) app.quit();
			});
	});
	// The log is written asynchronously: its last lines (why the app quit) would be lost with the process.
	let flushed = false;
	app.on('will-quit', (event) => {
		if (flushed) return;
		event.preventDefault();
		void withDeadline(deps.flushLog(), LOG_FLUSH_DEADLINE_MS).finally(() => {
			flushed = true;
			app.quit();
		});
	});
	return () => quitting;
}

/** A call link among a launch's arguments (Windows and Linux pass the clicked link this way). */
export function handleLinkIn(argv: readonly string[], handleLink: (url: string) => void): void {
	const link = argv.find(isCallLink);
	if (link !== undefined) handleLink(link);
}
