/**
 * The app's life: one instance (a second launch hands its link to the first and exits), links from the OS
 * (kept in an inbox until the app can act on them), the Dock icon on macOS, staying alive with no window,
 * asking before a quit would end a call, and writing out the log before the process ends.
 */
import { app, dialog } from 'electron';
import { LinkInbox } from '../desktop/link-inbox';
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

export interface EarlyLinks {
	readonly inbox: LinkInbox;
	/** What a second launch does to the window, once there is one. */
	onSecondInstance(focus: () => void): void;
}

/**
 * Before `ready`: macOS delivers the launching link as `open-url` right after `will-finish-launching`, and
 * a second launch can arrive while the services start. Both go to the inbox, as does a link among this
 * launch's own arguments (Windows, Linux).
 */
export function listenForLinks(): EarlyLinks {
	const inbox = new LinkInbox();
	let focus = () => {};
	app.on('will-finish-launching', () => {
		app.on('open-url', (event, url) => {
			event.preventDefault();
			inbox.push(url);
		});
	});
	app.on('second-instance', (_event, argv) => {
		focus();
		const link = argv.find(isCallLink);
		if (link !== undefined) inbox.push(link);
	});
	const own = process.argv.find(isCallLink);
	if (own !== undefined) inbox.push(own);
	return {
		inbox,
		onSecondInstance: (next) => {
			focus = next;
		},
	};
}

export interface LifecycleDeps {
	readonly focusMain: () => void;
	readonly hasMain: () => boolean;
	readonly openMain: () => void;
	readonly callInProgress: () => boolean;
	/** The shutdown work (services, shortcuts); runs once, when the quit goes ahead. */
	readonly onQuit: () => void;
	/** Writes out what is left of the log; the quit waits for it, up to `LOG_FLUSH_DEADLINE_MS`. */
	readonly flushLog: () => Promise<void>;
	readonly hooks: TestHooks | null;
}

/** Sets the lifecycle handlers; answers the quit gate (whether the app is quitting). */
export function setupLifecycle(deps: LifecycleDeps): QuitGate {
	app.on('activate', () => {
		const action = decideActivate(deps.hasMain());
		deps.hooks?.activated.push(action);
		if (action === 'show') deps.focusMain();
		else deps.openMain();
	});
	// Stays alive in the tray (or minimised) with no window open.
	app.on('window-all-closed', () => {});

	const gate = new QuitGate(deps.callInProgress);
	app.on('before-quit', (event) => {
		const step = gate.request();
		if (step === 'proceed') return;
		if (step === 'shut-down') {
			deps.onQuit();
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
	// The log is written asynchronously: its last lines (why the app quit) would go with the process.
	app.on('will-quit', (event) => {
		if (!gate.takeFlush()) return;
		event.preventDefault();
		void withDeadline(deps.flushLog(), LOG_FLUSH_DEADLINE_MS).finally(() => app.quit());
	});
	return gate;
}
