import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './test/e2e/support/chromium';

/**
 * End-to-end tiers. `web`: the built renderer and plain SDK pages in Debian's Chromium (fake camera and
 * microphone), against the sandbox and main services running in this process. `electron-smoke`: the packaged
 * wiring, only where an Electron binary exists (it reports itself skipped, by name, elsewhere).
 */
export default defineConfig({
	testDir: 'test/e2e',
	// Two cores, and each test runs two Chromium pages with live WebRTC media: one test at a time.
	workers: 1,
	fullyParallel: false,
	timeout: 60_000,
	expect: { timeout: 15_000 },
	forbidOnly: !!process.env['CI'],
	retries: 0,
	reporter: [['list']],
	globalSetup: './test/e2e/support/global-setup.ts',
	use: { launchOptions: chromiumLaunchOptions(), trace: 'retain-on-failure' },
	projects: [
		{ name: 'web', testDir: 'test/e2e/web' },
		{ name: 'electron-smoke', testDir: 'test/e2e/electron' },
	],
});
