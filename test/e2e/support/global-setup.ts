/**
 * Before the end-to-end tests: bundle the test pages' scripts (the plain SDK phone, the preload bridge, and
 * the visual suite's app over scripted doubles), and check that the renderer has been built.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build } from 'vite';

const root = fileURLToPath(new URL('../../../', import.meta.url));

export const E2E_DIST = `${root}dist/e2e`;

async function bundle(entry: string, name: string): Promise<void> {
	await build({
		configFile: false,
		logLevel: 'warn',
		build: {
			lib: {
				entry: `${root}test/e2e/pages/${entry}`,
				formats: ['iife'],
				name,
				fileName: () => `${entry.replace(/\.ts$/, '')}.js`,
			},
			outDir: E2E_DIST,
			emptyOutDir: false,
			minify: false,
			target: 'chrome140',
		},
	});
}

/**
 * The real App.svelte and CompactApp.svelte over the renderer tests' fakes (`visual-app.js` and its
 * stylesheet `visual-app.css`), compiled like the renderer: Svelte's plugin, and the `browser` condition so
 * Svelte resolves to its client build.
 */
async function bundleVisualApp(): Promise<void> {
	await build({
		configFile: false,
		logLevel: 'warn',
		plugins: [svelte({ configFile: `${root}svelte.config.js` })],
		resolve: { conditions: ['browser'] },
		build: {
			lib: {
				entry: `${root}test/e2e/pages/visual-app.ts`,
				formats: ['iife'],
				name: 'visualAppBundle',
				fileName: () => 'visual-app.js',
				cssFileName: 'visual-app',
			},
			outDir: E2E_DIST,
			emptyOutDir: false,
			minify: false,
			target: 'chrome140',
		},
	});
}

export default async function globalSetup(): Promise<void> {
	if (!existsSync(`${root}dist/renderer/index.html`)) {
		throw new Error(
			'The renderer is not built: run `npm run build:renderer` (or `npm test`) first.',
		);
	}
	await bundle('sdk-phone.ts', 'sdkPhoneBundle');
	await bundle('page-bridge.ts', 'pageBridgeBundle');
	await bundleVisualApp();
}
