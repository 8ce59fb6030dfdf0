import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

/** The renderer: a static bundle served from `app://softphone/` in Electron and from 127.0.0.1 in tests. */
export default defineConfig({
	root: fileURLToPath(new URL('./renderer', import.meta.url)),
	base: '/',
	plugins: [svelte({ configFile: fileURLToPath(new URL('./svelte.config.js', import.meta.url)) })],
	build: {
		outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
		emptyOutDir: true,
		target: 'chrome140',
		sourcemap: false,
		// The CSP forbids inline scripts and data: scripts; keep every asset a file.
		assetsInlineLimit: 0,
		modulePreload: { polyfill: false },
	},
});
