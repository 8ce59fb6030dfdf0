/**
 * OS notifications. The DesktopService holds each handle until `onClosed`, and the handle's `close`
 * closes over the Electron `Notification`, so the object and its handlers live exactly as long as the
 * notification is on screen (electron#16922, #12690: an unreferenced one can be collected, and then a
 * click does nothing).
 */
import { Notification } from 'electron';
import type { NotificationEvents, NotificationHandle } from '../desktop/desktop-service';
import type { NotificationContent } from '../desktop/notifications';

export function showNotification(
	content: NotificationContent,
	events: NotificationEvents,
): NotificationHandle | null {
	if (!Notification.isSupported()) return null;
	const notification = new Notification({
		title: content.title,
		body: content.body,
		silent: content.silent,
		urgency: content.urgency,
		actions: content.actions.map((text) => ({ type: 'button' as const, text })),
	});
	let open = true;
	const closed = () => {
		if (!open) return;
		open = false;
		events.onClosed();
	};
	notification.on('action', (_event, index) => events.onAction(index));
	notification.on('click', () => events.onAction('click'));
	notification.on('close', closed);
	notification.on('failed', closed);
	notification.show();
	return {
		close: () => {
			notification.close();
			closed();
		},
	};
}
