/**
 * Every screen, compared pixel by pixel with its committed baseline (`baselines/`), in light and dark and at
 * the default window (420×720) and a large one (1280×800). The page is the real App.svelte over the renderer
 * tests' scripted doubles (`pages/visual-app.ts`), with time frozen, so nothing but the UI's own code and CSS
 * can change a picture. Update the baselines after an intended change: `npm run test:visual:update`. At the
 * default size every screen is also checked with axe, in both schemes.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { SCENES } from '../pages/visual-scenes';
import { serve, type StaticServer } from '../support/static-server';

const DIST = fileURLToPath(new URL('../../../dist/e2e/', import.meta.url));

/** The instant the page lives in: durations and "5 minutes ago" are measured from it. */
const FROZEN = Date.UTC(2026, 0, 15, 14, 30, 0);

const PAGE = `<!doctype html>
<html lang="en">
	<head>
		<meta charset="utf-8" />
		<meta name="viewport" content="width=device-width, initial-scale=1" />
		<meta name="color-scheme" content="light dark" />
		<title>Telnyx Softphone</title>
		<link rel="stylesheet" href="/visual-app.css" />
		<script src="/visual-app.js" defer></script>
	</head>
	<body>
		<div id="app"></div>
	</body>
</html>`;

const FILES: Readonly<Record<string, string>> = {
	'/visual-app.js': 'text/javascript',
	'/visual-app.css': 'text/css',
};

let server: StaticServer;

test.beforeAll(async () => {
	server = await serve(async (request) => {
		const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
		if (path === '/') return new Response(PAGE, { headers: { 'content-type': 'text/html' } });
		const type = FILES[path];
		if (type === undefined) return new Response('not found', { status: 404 });
		return new Response(await readFile(`${DIST}${path.slice(1)}`), {
			headers: { 'content-type': type },
		});
	});
});

test.afterAll(async () => {
	await server.close();
});

const SIZES = {
	default: { width: 420, height: 720 },
	large: { width: 1280, height: 800 },
} as const;

for (const scheme of ['light', 'dark'] as const) {
	for (const [size, viewport] of Object.entries(SIZES)) {
		test.describe(`${scheme}, ${size} window`, () => {
			// One page per scheme and size, navigated afresh for each screen: a new context per test costs
			// more than the picture itself on two cores.
			let context: BrowserContext;
			let page: Page;
			const errors: string[] = [];

			test.beforeAll(async ({ browser }) => {
				context = await browser.newContext({
					colorScheme: scheme,
					viewport,
					locale: 'en-US',
					timezoneId: 'UTC',
					deviceScaleFactor: 1,
				});
				await context.clock.setFixedTime(FROZEN);
				page = await context.newPage();
				page.on('pageerror', (error) => errors.push(error.message));
			});

			test.afterAll(async () => {
				await context.close();
			});

			for (const scene of SCENES) {
				test(scene, async () => {
					errors.length = 0;
					await page.goto(server.url);
					await page.waitForFunction(() => typeof window.__visual === 'object');
					await page.evaluate((name) => window.__visual.show(name), scene);
					expect(errors, 'errors thrown in the page').toEqual([]);
					await expect(page).toHaveScreenshot(`${scene}-${scheme}-${size}.png`, {
						fullPage: true,
					});
					// Every screen and state is also checked for accessibility, in both schemes (contrast differs).
					if (size === 'default') {
						const { violations } = await new AxeBuilder({ page }).analyze();
						expect(
							violations
								.filter((v) => v.impact === 'serious' || v.impact === 'critical')
								.map(
									(v) =>
										`${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
								),
							`axe on ${scene}, ${scheme}`,
						).toEqual([]);
					}
				});
			}
		});
	}
}
