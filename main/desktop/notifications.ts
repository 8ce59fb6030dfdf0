/**
 * What the app's OS notifications say. Pure: `main/electron/notifications.ts` shows them with Electron's `Notification`.
 * Answer/Decline buttons exist only where the platform supports notification actions (macOS); elsewhere a
 * click on the notification raises the window, where the call can be answered.
 *
 * Caller text (a display name any SIP caller chooses, or their number) goes only into the body, through
 * `notificationText` (escaped where the body is markup, see `display-text.ts`); titles are fixed words,
 * because a title is shown literally and cannot be escaped the same way on every platform.
 */
import type { CallHistoryEntry, PhoneReport } from '../../preload/contract';
import { UNKNOWN_CALLER, firstVisible, notificationText } from './display-text';

export interface NotificationContent {
	readonly title: string;
	readonly body: string;
	/** Button labels, in order; empty where the platform has no actions. */
	readonly actions: readonly string[];
	/** The app rings itself on the chosen ringer device; the notification stays silent. */
	readonly silent: boolean;
	readonly urgency: 'normal' | 'critical';
}

export function supportsActions(platform: string): boolean {
	return platform === 'darwin';
}

export function incomingCallNotification(
	call: NonNullable<PhoneReport['call']>,
	platform: string,
	/** The caller's name in the address book, if they are a contact (sanitised like any caller text). */
	contactName: string | null = null,
): NotificationContent {
	return {
		title: call.video ? 'Incoming video call' : 'Incoming call',
		body: notificationText(
			firstVisible([contactName ?? '', call.remoteName, call.remote], UNKNOWN_CALLER),
			platform,
		),
		actions: supportsActions(platform) ? ['Answer', 'Decline'] : [],
		silent: true,
		urgency: 'critical',
	};
}

export function missedCallNotification(
	entry: CallHistoryEntry,
	platform: string,
	contactName: string | null = null,
): NotificationContent {
	// A name with nothing visible in it (only control characters, say) counts as no name. The address
	// book's name comes first: the user chose it, the caller chose the other.
	const who = firstVisible([contactName ?? '', entry.remoteName, entry.remote], UNKNOWN_CALLER);
	return {
		title: entry.endReason === 'dnd' ? 'Call rejected (Do not disturb)' : 'Missed call',
		body: notificationText(who, platform),
		actions: [],
		silent: false,
		urgency: 'normal',
	};
}

export const TRAY_NOTICE: NotificationContent = {
	title: 'Telnyx Softphone is still running',
	body: 'It stays in the tray so you can receive calls. Choose Quit in the tray menu to exit.',
	actions: [],
	silent: true,
	urgency: 'normal',
};

/** Shown when Answer or Decline is pressed on the notification of a call that no longer rings. */
export const STALE_CALL_NOTICE: NotificationContent = {
	title: 'That call is no longer ringing',
	body: 'Nothing was answered or declined. Open the app to see your calls.',
	actions: [],
	silent: true,
	urgency: 'normal',
};

/**
 * Shown once, the first time the window is closed on a desktop that shows no tray icon: the window was
 * minimised rather than hidden, since a hidden window could not be reached again.
 */
export const NO_TRAY_NOTICE: NotificationContent = {
	title: 'Telnyx Softphone is still running',
	body: 'This desktop shows no tray icon, so the window was minimised instead. Choose Quit in the app menu to exit.',
	actions: [],
	silent: true,
	urgency: 'normal',
};

/** Whether a finished inbound call counts as missed (not answered, not declined by the user). */
export function isMissed(entry: CallHistoryEntry): boolean {
	return entry.direction === 'inbound' && !entry.answered && entry.endReason !== 'declined';
}
