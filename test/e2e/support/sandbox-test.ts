/**
 * Playwright's `test` with a fresh sandbox per test and a launcher of app instances pointed at it (closed,
 * keychain entries and user-data folders removed, when the test ends). `defaults` apply to every instance the
 * test launches; a call can add its own options.
 */
import { test as base } from '@playwright/test';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { launchApp, type AppInstance, type LaunchOptions } from './app-harness';

export type Launch = (deviceName: string, options?: Partial<LaunchOptions>) => Promise<AppInstance>;

export function sandboxTest(defaults: Partial<LaunchOptions> = {}) {
	return base.extend<{ sandbox: Sandbox; launch: Launch }>({
		// eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as a destructured object.
		sandbox: async ({}, use) => {
			const sandbox = await startSandbox();
			await use(sandbox);
			await sandbox.close();
		},
		launch: async ({ browser, sandbox }, use) => {
			const apps: AppInstance[] = [];
			await use(async (deviceName, options = {}) => {
				const app = await launchApp(browser, {
					endpoints: { restBaseUrl: sandbox.restBaseUrl, signallingUrl: sandbox.signallingUrl },
					deviceName,
					...defaults,
					...options,
				});
				apps.push(app);
				return app;
			});
			// An instance a test closed itself (to restart it) is closed already.
			for (const app of apps) await app.close().catch(() => undefined);
		},
	});
}
