import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

/** The installed Telnyx WebRTC SDK's version, which About shows (the SDK's API does not tell it). */
export const TELNYX_SDK_VERSION = (
	JSON.parse(
		readFileSync(
			fileURLToPath(new URL('./node_modules/@telnyx/webrtc/package.json', import.meta.url)),
			'utf8',
		),
	) as { version: string }
).version;

/** The renderer: a static bundle served from `app://softphone/` in Electron and from 127.0.0.1 in tests. */
export default defineConfig({
	root: fileURLToPath(new URL('./renderer', import.meta.url)),
	base: '/',
	plugins: [svelte({ configFile: fileURLToPath(new URL('./svelte.config.js', import.meta.url)) })],
	// Read by `renderer/src/lib/versions.ts`.
	define: { __TELNYX_SDK_VERSION__: JSON.stringify(TELNYX_SDK_VERSION) },
	build: {
		outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
		emptyOutDir: true,
		target: 'chrome140',
		// Maps beside the bundle, not linked from it ('hidden'): the coverage figure maps Chromium's coverage
		// of the bundle back to the sources with them; the package leaves every *.map out (electron-builder.yml).
		sourcemap: 'hidden',
		// The CSP forbids inline scripts and data: scripts; keep every asset a file.
		assetsInlineLimit: 0,
		modulePreload: { polyfill: false },
	},
});
