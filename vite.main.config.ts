import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The main process: one ES module for Electron's Node side. Only Electron and the native keytar stay external. */
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
				...builtinModules,
				...builtinModules.map((m) => `node:${m}`),
			],
			output: { format: 'es', entryFileNames: 'index.js' },
		},
	},
	ssr: { noExternal: true },
});
