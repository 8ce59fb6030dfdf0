/**
 * The desktop side of the phone, independent of Electron: it keeps what the renderer reports, adds what
 * main knows (do-not-disturb, missed calls), and turns links, tray clicks, notification actions, shortcuts
 * and wake-ups into events for the renderer. `main/index.ts` supplies the ports that touch the desktop (tray,
 * notifications, window, power); the end-to-end harness supplies recording ones.
 */
import type {
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
	incomingCallNotification,
	isMissed,
	missedCallNotification,
	supportsActions,
	type NotificationContent,
} from './notifications';

export interface DesktopPorts {
	/** Redraws the tray for a new state. */
	readonly updateTray: (state: DesktopState) => void;
	/** Shows a notification; `onAction` receives the index of the button pressed, or `click`. */
	readonly notify: (
		content: NotificationContent,
		onAction: (action: number | 'click') => void,
	) => void;
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
		const newlyRinging =
			call !== null &&
			call.phase === 'ringing' &&
			call.direction === 'inbound' &&
			before?.phase !== 'ringing';
		if (newlyRinging) {
			const content = incomingCallNotification(
				call,
				this.#deps.platform,
				this.#nameOf(call.remote),
			);
			this.#deps.ports.notify(content, (action) => {
				if (action === 0) this.command('answer');
				else if (action === 1) this.command('decline');
				else this.#deps.ports.raiseWindow();
			});
			// Without notification actions the window is where the call is answered.
			if (!supportsActions(this.#deps.platform)) this.#deps.ports.raiseWindow();
		}
		this.#deps.ports.setInCall(call !== null && call.phase !== 'ringing');
		this.#redraw();
	}

	/** Dials, or prefills the dialer, in the main window. */
	dial(request: DialRequest): void {
		this.#deps.emit('app:dial', request);
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

	command(command: PhoneCommand): void {
		this.#deps.emit('app:command', command);
	}

	/** The computer woke up (or the screen was unlocked): the renderer checks its registration at once. */
	resume(): void {
		this.#deps.emit('app:checkConnection');
	}

	/** A call was recorded: missed calls are counted and announced. */
	historyAdded(entry: CallHistoryEntry): void {
		if (!isMissed(entry)) return;
		this.#missed += 1;
		const content = missedCallNotification(entry, this.#deps.platform, this.#nameOf(entry.remote));
		this.#deps.ports.notify(content, () => this.#deps.ports.raiseWindow());
		this.#redraw();
	}

	markMissedSeen(): void {
		this.#missed = 0;
		this.#redraw();
	}

	async setDoNotDisturb(on: boolean): Promise<void> {
		await this.#deps.settings.update({ ui: { doNotDisturb: on } });
	}

	#nameOf(address: string): string | null {
		return this.#deps.nameOf?.(address) ?? null;
	}

	#redraw(): void {
		this.#deps.ports.updateTray(this.state());
	}
}
