import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions, visualLaunchOptions } from './test/e2e/support/chromium';

/**
 * End-to-end tiers. `web`: the built renderer and plain SDK pages in Debian's Chromium (fake camera and
 * microphone), against the sandbox and main services running in this process. `electron-smoke`: the packaged
 * wiring, only where an Electron binary exists (it reports itself skipped, by name, elsewhere). `visual`:
 * every screen of the real UI over scripted doubles, compared with committed baselines
 * (`npm run test:visual:update` rewrites them after an intended change).
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
		{
			name: 'visual',
			testDir: 'test/e2e/visual',
			// Committed next to the spec, one flat folder, named `<scene>-<scheme>-<size>.png`.
			snapshotPathTemplate: '{testDir}/baselines/{arg}{ext}',
			expect: {
				toHaveScreenshot: {
					// 0.1 % of the pixels (about 300 of a 420×720 window): enough for a stray antialiased
					// pixel, far too few for a changed colour, padding or line of text.
					maxDiffPixelRatio: 0.001,
					// How far a pixel's colour may move before it counts as different (YIQ distance, 0–1). The
					// default 0.2 lets the accent go from green to blue unnoticed; the pictures are made by one
					// pinned renderer, so a tight bound costs no flakiness.
					threshold: 0.05,
					animations: 'disabled',
					caret: 'hide',
					scale: 'css',
				},
			},
			use: {
				launchOptions: visualLaunchOptions(),
				locale: 'en-US',
				timezoneId: 'UTC',
				deviceScaleFactor: 1,
			},
		},
	],
});
