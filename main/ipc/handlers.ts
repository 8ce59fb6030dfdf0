/**
 * The main-process side of every contract method, as plain functions over injected services. Arguments
 * arrive already validated by the IPC guard; expected failures are returned as `Result` values.
 */
import type { AppInfo, MainHandlers } from '../../preload/contract';
import type { SettingsStore } from '../settings/settings-file';

export interface HandlerDeps {
	readonly appInfo: AppInfo;
	readonly settings: SettingsStore;
}

export function createHandlers({ appInfo, settings }: HandlerDeps): MainHandlers {
	return {
		app: {
			getInfo: () => appInfo,
		},
		settings: {
			get: () => settings.get(),
			update: (patch) => settings.update(patch),
		},
	};
}
