/**
 * The shell around the services once they exist: the main window (how it starts and closes), the app's
 * lifecycle (Dock, quitting during a call, the log at quit) and the links that waited for the app.
 */
import { app } from 'electron';
import type { Profile } from '../../preload/contract';
import { APP_HOST } from '../app-protocol';
import { startsHidden } from '../desktop/launch';
import type { NotificationContent } from '../desktop/notifications';
import { decideStartWindow } from '../desktop/window-close';
import type { MainServices } from '../services';
import { setupLifecycle, type EarlyLinks } from './lifecycle';
import type { AppLog } from './logging';
import type { TestHooks } from './test-hooks';
import type { AppWindows, CloseContext } from './windows';

export async function startShell(input: {
	readonly profile: Profile;
	readonly services: MainServices;
	readonly windows: AppWindows;
	readonly log: AppLog;
	readonly hooks: TestHooks | null;
	readonly links: EarlyLinks;
}): Promise<void> {
	const { services, windows, log, hooks, links } = input;
	const gate = setupLifecycle({
		focusMain: () => windows.focusMain(),
		hasMain: () => windows.hasMain(),
		openMain: () => void windows.openMain(close, 'show'),
		callInProgress: () => services.desktop.callInProgress(),
		onQuit: () => services.dispose(),
		flushLog: () => log.flush(),
		hooks,
	});
	links.onSecondInstance(() => windows.focusMain());
	const close: CloseContext = {
		quitting: () => gate.quitting,
		trayAvailable: () => services.desktopSettings.status().trayAvailable,
		noticeShown: () => services.settings.get().ui.trayNoticeShown,
		tell: (notice: NotificationContent) => {
			services.desktop.notify(notice, () => windows.focusMain());
			void services.settings.setTrayNoticeShown();
		},
	};
	const hidden = startsHidden({
		argv: process.argv,
		platform: process.platform,
		wasOpenedAtLogin: () => app.getLoginItemSettings().wasOpenedAtLogin,
		startMinimised: services.settings.get().ui.startMinimised,
	});
	await windows.openMain(
		close,
		decideStartWindow({ startsHidden: hidden, trayAvailable: close.trayAvailable() }),
	);
	// The links that waited (the launching one among them), then every later one as it comes.
	links.inbox.open((url) => {
		const result = services.desktop.handleLink(url);
		hooks?.links.push({ url, ok: result.ok });
	});
	log.logger.info('app.started', { profile: input.profile, host: APP_HOST });
}
