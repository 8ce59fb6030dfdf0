/**
 * Builds the main process's services and IPC handlers from plain dependencies. The Electron composition
 * root (`main/index.ts`) and the end-to-end harness both call this, so tests exercise the same handlers,
 * behind the same guard, that the app runs.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { AppInfo, EventMap, MainHandlers } from '../preload/contract';
import { createHandlers } from './ipc/handlers';
import type { Logger } from './logger';
import type { ProfileConfig } from './profile';
import { SettingsStore, type SettingsFileSystem } from './settings/settings-file';

export interface MainServicesDeps {
	readonly userDataDir: string;
	readonly profile: ProfileConfig;
	readonly app: { readonly name: string; readonly version: string; readonly platform: string };
	readonly fs: SettingsFileSystem;
	readonly logger: Logger;
	/** Delivers a main → renderer event to every app window. */
	readonly emit: <E extends keyof EventMap>(event: E, ...payload: EventMap[E]) => void;
}

export interface MainServices {
	readonly handlers: MainHandlers;
	readonly settings: SettingsStore;
	dispose(): void;
}

export async function createMainServices(deps: MainServicesDeps): Promise<MainServices> {
	const { userDataDir, profile, fs, logger, emit } = deps;
	await mkdir(userDataDir, { recursive: true, mode: 0o700 });
	const settings = await SettingsStore.load({
		file: path.join(userDataDir, 'settings.json'),
		fs,
		defaults: { endpoints: profile.defaultEndpoints },
		logger,
	});
	const appInfo: AppInfo = { ...deps.app, profile: profile.profile };
	const stopForwarding = settings.onChange((next) => emit('settings:changed', next));
	return {
		handlers: createHandlers({ appInfo, settings }),
		settings,
		dispose: stopForwarding,
	};
}
