/**
 * The app's windows: the main window (placed where it was left, closed to the tray or minimised per
 * `decideClose`) and the compact dialer beside the tray icon. Every decision is in a pure module:
 * window options, placement, closing, the compact dialer's position.
 */
import path from 'node:path';
import { BrowserWindow, screen, type Rectangle } from 'electron';
import type { EventMap, Profile } from '../../preload/contract';
import { APP_URL } from '../app-protocol';
import { compactWindowOptions, compactWindowPosition } from '../desktop/compact-window';
import type { NotificationContent } from '../desktop/notifications';
import { decideClose } from '../desktop/window-close';
import type { Logger } from '../logger';
import { nodeSettingsFs } from '../node-fs';
import { mainWindowOptions } from '../window-options';
import { captureWindowState, restoreWindowState, type WindowState } from '../window-state';
import { createWindowStateSaver, loadWindowState } from '../window-state-file';

export interface WindowsDeps {
	readonly preloadPath: string;
	readonly userDataDir: string;
	readonly profile: Profile;
	readonly title: string;
	readonly logger: Logger;
}

/** What closing the main window needs to know and do, bound once the services exist. */
export interface CloseContext {
	readonly quitting: () => boolean;
	readonly trayAvailable: () => boolean;
	readonly noticeShown: () => boolean;
	readonly tell: (notice: NotificationContent) => void;
}

export class AppWindows {
	readonly #all = new Set<BrowserWindow>();
	#main: BrowserWindow | null = null;
	/** Set while the main window is being made, so an `activate` meanwhile does not make a second one. */
	#opening = false;
	#compact: BrowserWindow | null = null;
	readonly #deps: WindowsDeps;

	constructor(deps: WindowsDeps) {
		this.#deps = deps;
	}

	/** Delivers a main → renderer event to every app window. */
	emit<E extends keyof EventMap>(event: E, ...payload: EventMap[E]): void {
		for (const win of this.#all) win.webContents.send(event, ...payload);
	}

	/** Whether a web contents is one of the app's own windows (the IPC sender check). */
	isApp(webContentsId: number): boolean {
		return [...this.#all].some((win) => win.webContents.id === webContentsId);
	}

	hasMain(): boolean {
		return this.#opening || (this.#main !== null && !this.#main.isDestroyed());
	}

	async openMain(close: CloseContext, start: 'show' | 'hidden' | 'minimised'): Promise<void> {
		if (this.hasMain()) return;
		this.#opening = true;
		const { userDataDir, logger } = this.#deps;
		// Where the window was last left, if that is still on a display attached now (main/window-state.ts).
		const stateFile = path.join(userDataDir, 'window-state.json');
		const saved = await loadWindowState({ file: stateFile, fs: nodeSettingsFs, logger });
		const placement = restoreWindowState(
			saved,
			screen.getAllDisplays().map((display) => display.workArea),
			screen.getPrimaryDisplay().workArea,
		);
		const win = new BrowserWindow(
			mainWindowOptions({
				preloadPath: this.#deps.preloadPath,
				title: this.#deps.title,
				profile: this.#deps.profile,
				...(placement.bounds === null ? {} : { bounds: placement.bounds }),
			}),
		);
		this.#main = win;
		this.#opening = false;
		this.#track(win);
		rememberWindowState(win, stateFile, saved, placement.maximised, logger);
		win.on('close', (event) => {
			const decision = decideClose({
				quitting: close.quitting(),
				trayAvailable: close.trayAvailable(),
				noticeShown: close.noticeShown(),
			});
			if (decision.kind === 'close') return;
			event.preventDefault();
			if (decision.kind === 'hide') win.hide();
			else win.minimize();
			if (decision.notice !== null) close.tell(decision.notice);
		});
		win.on('closed', () => {
			if (this.#main === win) this.#main = null;
		});
		if (start === 'show') win.once('ready-to-show', () => win.show());
		else if (start === 'minimised') win.once('ready-to-show', () => win.minimize());
		await win.loadURL(APP_URL);
	}

	focusMain(): void {
		const win = this.#main;
		if (win === null || win.isDestroyed()) return;
		if (win.isMinimized()) win.restore();
		win.show();
		win.focus();
	}

	/** A small dialer beside the tray icon (or the cursor): a call can be made without the main window. */
	openCompact(trayBounds: Rectangle | null): void {
		if (this.#compact === null || this.#compact.isDestroyed()) {
			const win = new BrowserWindow(
				compactWindowOptions({
					preloadPath: this.#deps.preloadPath,
					title: 'Dial',
					profile: this.#deps.profile,
				}),
			);
			this.#compact = win;
			this.#track(win);
			win.on('blur', () => win.hide());
			void win.loadURL(`${APP_URL}#compact`);
		}
		const compact = this.#compact;
		const display = screen.getDisplayNearestPoint(
			trayBounds === null ? screen.getCursorScreenPoint() : { x: trayBounds.x, y: trayBounds.y },
		);
		compact.setPosition(
			...compactWindowPosition(trayBounds, compact.getBounds(), display.workArea),
		);
		compact.show();
		compact.focus();
	}

	#track(win: BrowserWindow): void {
		this.#all.add(win);
		win.on('closed', () => this.#all.delete(win));
	}
}

/**
 * Saves the main window's normal bounds and maximised state as they change (debounced) and as it closes.
 * A window restored maximised is maximised when first shown: `maximize()` on a hidden window would show
 * it, and a start in the tray must stay there.
 */
function rememberWindowState(
	win: BrowserWindow,
	file: string,
	saved: WindowState | null,
	maximised: boolean,
	logger: Logger,
): void {
	const saver = createWindowStateSaver({ file, fs: nodeSettingsFs, logger, initial: saved });
	let last = saved;
	const capture = () => {
		if (!win.isDestroyed()) {
			last = captureWindowState(
				{
					normalBounds: win.getNormalBounds(),
					maximised: win.isMaximized(),
					fullScreen: win.isFullScreen(),
					minimised: win.isMinimized(),
				},
				last,
			);
		}
		return last;
	};
	const save = () => saver.save(capture());
	for (const event of ['resize', 'move', 'maximize', 'unmaximize', 'leave-full-screen'] as const) {
		win.on(event as 'resize', save);
	}
	win.on('close', () => {
		save();
		void saver.flush();
	});
	if (maximised) win.once('show', () => win.maximize());
}
