import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The main process: one ES module for Electron's Node side. Electron stays external, and so do the two
 * production dependencies, which electron-builder packs into the asar anyway: the native keytar, and
 * electron-log, so the packaged app loads the very files the Node tests ran (not a second, bundled copy).
 */
export default defineConfig({
	build: {
		ssr: fileURLToPath(new URL('./main/index.ts', import.meta.url)),
		outDir: fileURLToPath(new URL('./dist/main', import.meta.url)),
		emptyOutDir: true,
		target: 'node22',
		sourcemap: false,
		rollupOptions: {
			external: [
				'electron',
				'keytar',
				'electron-log/node',
				...builtinModules,
				...builtinModules.map((m) => `node:${m}`),
			],
			output: { format: 'es', entryFileNames: 'index.js' },
		},
	},
	ssr: { noExternal: true },
});
