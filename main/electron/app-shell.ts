/**
 * The shell around the services once they exist: the main window (how it starts and closes), the app's
 * lifecycle (links, Dock, quitting during a call) and the link the app was launched with.
 */
import { app } from 'electron';
import { APP_HOST } from '../app-protocol';
import { startsHidden } from '../desktop/launch';
import type { NotificationContent } from '../desktop/notifications';
import { decideStartWindow } from '../desktop/window-close';
import type { Profile } from '../../preload/contract';
import type { MainServices } from '../services';
import { handleLinkIn, setupLifecycle } from './lifecycle';
import type { AppLog } from './logging';
import type { TestHooks } from './test-hooks';
import type { AppWindows, CloseContext } from './windows';

export async function startShell(input: {
	readonly profile: Profile;
	readonly services: MainServices;
	readonly windows: AppWindows;
	readonly log: AppLog;
	readonly hooks: TestHooks | null;
}): Promise<void> {
	const { services, windows, log, hooks } = input;
	const handleLink = (url: string) => {
		const result = services.desktop.handleLink(url);
		hooks?.links.push({ url, ok: result.ok });
	};
	const close: CloseContext = {
		quitting: setupLifecycle({
			focusMain: () => windows.focusMain(),
			hasMain: () => windows.hasMain(),
			openMain: () => void windows.openMain(close, 'show'),
			handleLink,
			callInProgress: () => services.desktop.callInProgress(),
			onQuit: () => services.dispose(),
			flushLog: () => log.flush(),
			hooks,
		}),
		trayAvailable: () => services.desktopSettings.status().trayAvailable,
		noticeShown: () => services.settings.get().ui.trayNoticeShown,
		tell: (notice: NotificationContent) => {
			services.desktop.notify(notice, () => windows.focusMain());
			void services.settings.setTrayNoticeShown();
		},
	};
	const hidden = startsHidden({
		argv: process.argv,
		wasOpenedAtLogin: process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin,
		startMinimised: services.settings.get().ui.startMinimised,
	});
	await windows.openMain(
		close,
		decideStartWindow({ startsHidden: hidden, trayAvailable: close.trayAvailable() }),
	);
	handleLinkIn(process.argv, handleLink);
	log.logger.info('app.started', { profile: input.profile, host: APP_HOST });
}
