/**
 * The desktop side of the phone, independent of Electron: it keeps what the renderer reports, adds what
 * main knows (do-not-disturb, missed calls), and turns links, tray clicks, notification actions, shortcuts
 * and wake-ups into events for the renderer. `main/electron/desktop.ts` supplies the ports that touch the desktop (tray,
 * notifications, window, power); the end-to-end harness supplies recording ones.
 */
import type {
	AppView,
	CallHistoryEntry,
	DesktopState,
	DialRequest,
	EventMap,
	PhoneCommand,
	PhoneReport,
} from '../../preload/contract';
import type { Logger } from '../logger';
import type { SettingsStore } from '../settings/settings-file';
import { parseLink, type LinkResult } from './links';
import {
	STALE_CALL_NOTICE,
	incomingCallNotification,
	isMissed,
	missedCallNotification,
	supportsActions,
	type NotificationContent,
} from './notifications';

/** What a shown notification reports back: a button pressed (by index) or a click, and its closing. */
export interface NotificationEvents {
	readonly onAction: (action: number | 'click') => void;
	/** Dismissed, clicked, acted on or closed by the app: the notification is gone. */
	readonly onClosed: () => void;
}

/** A notification on screen. Holding it keeps it (and its handlers) alive until it is closed. */
export interface NotificationHandle {
	close(): void;
}

export interface DesktopPorts {
	/** Redraws the tray for a new state. */
	readonly updateTray: (state: DesktopState) => void;
	/** Shows a notification; null when the desktop cannot show one. */
	readonly notify: (
		content: NotificationContent,
		events: NotificationEvents,
	) => NotificationHandle | null;
	/** Brings the main window to the front. */
	readonly raiseWindow: () => void;
	/** Keeps the system from suspending the app while a call is up. */
	readonly setInCall: (inCall: boolean) => void;
}

export interface DesktopServiceDeps {
	readonly settings: SettingsStore;
	/** The address book's name for a number or SIP address (null: not a contact). */
	readonly nameOf?: (address: string) => string | null;
	readonly emit: <E extends keyof EventMap>(event: E, ...payload: EventMap[E]) => void;
	readonly ports: DesktopPorts;
	readonly platform: string;
	readonly logger: Logger;
}

const INITIAL: PhoneReport = { connection: 'setup', call: null, installations: [], recent: [] };

export class DesktopService {
	#report: PhoneReport = INITIAL;
	#missed = 0;
	/**
	 * Every notification on screen, held until it closes: a notification nothing references can be
	 * garbage-collected with its click and action handlers, and then a click does nothing (electron#16922).
	 * Keyed by the call an incoming-call notification announced, so it is closed when that call stops ringing.
	 */
	readonly #shown = new Map<NotificationHandle, string | null>();
	readonly #deps: DesktopServiceDeps;

	constructor(deps: DesktopServiceDeps) {
		this.#deps = deps;
		deps.settings.onChange(() => this.#redraw());
	}

	state(): DesktopState {
		const call = this.#report.call;
		const callerName = call === null ? null : this.#nameOf(call.remote);
		return {
			...this.#report,
			// Recent calls to a contact are listed under the contact's name.
			recent: this.#report.recent.map((entry) => ({
				...entry,
				label: this.#nameOf(entry.destination) ?? entry.label,
			})),
			...(callerName === null ? {} : { callerName }),
			doNotDisturb: this.#deps.settings.get().ui.doNotDisturb,
			missedCalls: this.#missed,
		};
	}

	/** What the renderer says about the phone; a call that starts ringing raises a notification. */
	report(report: PhoneReport): void {
		const before = this.#report.call;
		this.#report = report;
		const call = report.call;
		// A call is new when it was not ringing before — or another call was (one rang off, the next rang in).
		const newlyRinging =
			call !== null &&
			call.phase === 'ringing' &&
			call.direction === 'inbound' &&
			(before?.phase !== 'ringing' || before.id !== call.id);
		if (newlyRinging) {
			const content = incomingCallNotification(
				call,
				this.#deps.platform,
				this.#nameOf(call.remote),
			);
			const announced = call.id;
			this.#notify(content, announced, (action) => {
				if (action === 'click') this.#deps.ports.raiseWindow();
				else this.#callAction(announced, action === 0 ? 'answer' : 'decline');
			});
			// Without notification actions the window is where the call is answered.
			if (!supportsActions(this.#deps.platform)) this.#deps.ports.raiseWindow();
		}
		// A call that no longer rings takes its notification with it.
		const ringingId = call !== null && call.phase === 'ringing' ? call.id : null;
		for (const [handle, callId] of this.#shown) {
			if (callId !== null && callId !== ringingId) handle.close();
		}
		this.#deps.ports.setInCall(call !== null && call.phase !== 'ringing');
		this.#redraw();
	}

	/** Whether a call is ringing, being placed or up (quitting would end it). */
	callInProgress(): boolean {
		return this.#report.call !== null;
	}

	/** How many notifications are held on screen (the retention the shell relies on). */
	notificationsShown(): number {
		return this.#shown.size;
	}

	/** Dials, or prefills the dialer, in the main window. */
	dial(request: DialRequest): void {
		this.#deps.emit('app:dial', request);
		this.#deps.ports.raiseWindow();
	}

	/** Shows a view in the main window (the tray's "Test my setup…"). */
	open(view: AppView): void {
		this.#deps.emit('app:open', view);
		this.#deps.ports.raiseWindow();
	}

	/** A `tel:`/`sip:`/`callto:` link from the OS: checked here, then prefilled (or dialled, if chosen). */
	handleLink(url: string): LinkResult {
		const result = parseLink(url);
		if (!result.ok) {
			this.#deps.logger.warn('link.refused', { reason: result.reason });
			return result;
		}
		this.dial({
			destination: result.destination,
			video: false,
			now: this.#deps.settings.get().ui.dialLinksImmediately,
		});
		return result;
	}

	/** A command for the call in front (tray, shortcuts), or for the call a notification announced. */
	command(command: PhoneCommand, callId: string | null = null): void {
		this.#deps.emit('app:command', command, callId);
	}

	/** After a wake-up (through `MainServices.resume`): the renderer checks its registration at once. */
	resume(): void {
		this.#deps.emit('app:checkConnection');
	}

	/** A call was recorded: missed calls are counted and announced. */
	historyAdded(entry: CallHistoryEntry): void {
		if (!isMissed(entry)) return;
		this.#missed += 1;
		const content = missedCallNotification(entry, this.#deps.platform, this.#nameOf(entry.remote));
		this.#notify(content, null, () => this.#deps.ports.raiseWindow());
		this.#redraw();
	}

	/** Shows a notification that stays held until it closes; `callId` ties it to a ringing call. */
	notify(content: NotificationContent, onAction: (action: number | 'click') => void): void {
		this.#notify(content, null, onAction);
	}

	markMissedSeen(): void {
		this.#missed = 0;
		this.#redraw();
	}

	async setDoNotDisturb(on: boolean): Promise<void> {
		await this.#deps.settings.update({ ui: { doNotDisturb: on } });
	}

	#notify(
		content: NotificationContent,
		callId: string | null,
		onAction: (action: number | 'click') => void,
	): void {
		let handle: NotificationHandle | null = null;
		const release = () => {
			if (handle !== null) this.#shown.delete(handle);
		};
		handle = this.#deps.ports.notify(content, {
			onAction: (action) => {
				release();
				onAction(action);
			},
			onClosed: release,
		});
		if (handle !== null) this.#shown.set(handle, callId);
	}

	/**
	 * Answer or Decline on an incoming-call notification: only for the call it announced, and only while
	 * that call still rings. A stale notification (its call ended, or another call rings now) does nothing
	 * to any call and says so.
	 */
	#callAction(callId: string, command: 'answer' | 'decline'): void {
		const call = this.#report.call;
		if (call?.id === callId && call.phase === 'ringing') {
			this.command(command, callId);
			return;
		}
		this.#deps.logger.info('notification.stale', { command });
		this.#notify(STALE_CALL_NOTICE, null, () => this.#deps.ports.raiseWindow());
	}

	#nameOf(address: string): string | null {
		return this.#deps.nameOf?.(address) ?? null;
	}

	#redraw(): void {
		this.#deps.ports.updateTray(this.state());
	}
}
