/** Every contract method on Electron's `ipcMain`, through the shared wiring (one guard for every channel). */
import { ipcMain } from 'electron';
import type { Logger } from '../logger';
import type { MainServices } from '../services';
import { wireIpc } from '../wiring';
import { APP_URL } from '../app-protocol';

export function setupIpc(
	services: MainServices,
	isAppWebContents: (id: number) => boolean,
	logger: Logger,
): void {
	wireIpc({ ipc: ipcMain, services, appUrl: APP_URL, isAppWebContents, logger });
}
