import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The preload: a single CommonJS file, because a sandboxed preload can neither `require` local chunks nor
 * load ES modules. Only `electron` stays external (the sandbox provides it).
 */
export default defineConfig({
	build: {
		lib: {
			entry: fileURLToPath(new URL('./preload/index.ts', import.meta.url)),
			formats: ['cjs'],
			fileName: () => 'index.cjs',
		},
		outDir: fileURLToPath(new URL('./dist/preload', import.meta.url)),
		emptyOutDir: true,
		target: 'chrome140',
		minify: false,
		sourcemap: false,
		rollupOptions: { external: ['electron'] },
	},
});
