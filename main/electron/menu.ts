/** Replaces Electron's default menu, whose View menu reloads the page and opens the developer tools. */
import { Menu, app } from 'electron';
import type { Profile } from '../../preload/contract';
import { buildAppMenuTemplate } from '../app-menu';

export function setupMenu(profile: Profile): void {
	Menu.setApplicationMenu(
		Menu.buildFromTemplate(
			buildAppMenuTemplate({ platform: process.platform, profile, appName: app.getName() }),
		),
	);
}
