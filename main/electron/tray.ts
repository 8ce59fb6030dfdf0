/** The tray icon and its menu, redrawn from each DesktopState (look and menu decided in desktop/tray.ts). */
import path from 'node:path';
import { Menu, Tray, clipboard, nativeImage, type Rectangle } from 'electron';
import type { DesktopState } from '../../preload/contract';
import { clipboardDestination } from '../desktop/links';
import {
	buildTrayTemplate,
	trayIconFile,
	trayLook,
	type TrayActions,
	type TrayIconName,
} from '../desktop/tray';
import type { TestHooks } from './test-hooks';

export interface TrayDeps {
	readonly iconDir: string;
	/** The tray's actions other than opening the compact dialer. */
	readonly actions: Omit<TrayActions, 'openDialer'>;
	readonly openDialer: (trayBounds: Rectangle | null) => void;
	readonly startAtLogin: () => boolean;
	readonly hooks: TestHooks | null;
}

export function createTrayPort(deps: TrayDeps): (state: DesktopState) => void {
	let tray: Tray | null = null;
	const icon = (name: TrayIconName) => {
		const image = nativeImage.createFromPath(
			path.join(deps.iconDir, trayIconFile(name, process.platform)),
		);
		image.setTemplateImage(process.platform === 'darwin');
		return image;
	};
	const openDialer = () => deps.openDialer(tray?.getBounds() ?? null);
	// The clipboard is read on every redraw (Electron 45 reads it asynchronously); the latest state wins.
	let latest: DesktopState | null = null;
	const redraw = async (state: DesktopState) => {
		const clipboardText = await clipboard.readText();
		if (state !== latest) return;
		const look = trayLook(state);
		if (tray === null) {
			tray = new Tray(icon(look.icon));
			tray.on('click', openDialer);
		} else {
			tray.setImage(icon(look.icon));
		}
		tray.setToolTip(look.tooltip);
		const template = buildTrayTemplate(
			{
				state,
				clipboard: clipboardDestination(clipboardText),
				startAtLogin: deps.startAtLogin(),
			},
			{ ...deps.actions, openDialer },
		);
		tray.setContextMenu(Menu.buildFromTemplate(template));
		if (deps.hooks !== null) {
			deps.hooks.tray = {
				tooltip: look.tooltip,
				labels: template.map((item) => item.label ?? '-'),
			};
		}
	};
	return (state) => {
		latest = state;
		void redraw(state);
	};
}
