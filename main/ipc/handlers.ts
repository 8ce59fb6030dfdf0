/**
 * The main-process side of every contract method, as plain functions over injected services. Arguments
 * arrive already validated by the IPC guard; expected failures are returned as `Result` values.
 */
import type { AppInfo, MainHandlers } from '../../preload/contract';
import type { SettingsStore } from '../settings/settings-file';
import type { TelnyxAccount } from '../telnyx/account';

export interface HandlerDeps {
	readonly appInfo: AppInfo;
	readonly settings: SettingsStore;
	readonly account: TelnyxAccount;
}

export function createHandlers({ appInfo, settings, account }: HandlerDeps): MainHandlers {
	return {
		app: {
			getInfo: () => appInfo,
		},
		settings: {
			get: () => settings.get(),
			update: (patch) => settings.update(patch),
		},
		credentials: {
			getStatus: () => account.keyStatus(),
			setApiKey: (key) => account.setApiKey(key),
			clearApiKey: () => account.clearApiKey(),
		},
		provisioning: {
			run: (options) => account.provision(options),
			listResources: () => account.listResources(),
		},
		telnyx: {
			getLoginToken: () => account.loginToken(),
		},
		account: {
			listPhoneNumbers: () => account.listPhoneNumbers(),
			setCallerId: (callerId) => account.setCallerId(callerId),
			listInstallations: () => account.listInstallations(),
			signOut: ({ forgetApiKey }) => account.signOut(forgetApiKey),
			previewCleanup: () => account.previewCleanup(),
			cleanup: (items) => account.cleanup(items),
		},
	};
}
