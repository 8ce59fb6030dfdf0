import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';
import { TELNYX_SDK_VERSION } from './vite.renderer.config';

/**
 * Three Vitest projects: `unit` (main, preload, sandbox logic in Node), `renderer` (jsdom, Svelte's client
 * build) and `integration` (main services against the sandbox over real HTTP and a real Secret Service).
 */
export default defineConfig({
	test: {
		// Off unless asked (`--coverage.enabled`, as test/support/in-session.sh does): line coverage of the
		// product's code, which test/support/coverage-report.ts merges with the end-to-end tier's.
		coverage: {
			provider: 'v8',
			include: ['main/**/*.ts', 'preload/**/*.ts', 'renderer/src/**/*.{ts,svelte}'],
			reporter: ['json'],
			reportsDirectory: 'coverage/vitest',
			// A figure, not a gate: a failing test must not hide it.
			reportOnFailure: true,
		},
		projects: [
			{
				test: {
					name: 'unit',
					environment: 'node',
					include: [
						'test/unit/main/**/*.test.ts',
						'test/unit/preload/**/*.test.ts',
						'test/unit/sandbox/**/*.test.ts',
						'test/unit/bench/**/*.test.ts',
						'test/unit/support/**/*.test.ts',
						'test/unit/repo/**/*.test.ts',
						'test/unit/security/**/*.test.ts',
					],
				},
			},
			{
				plugins: [
					svelte({ configFile: fileURLToPath(new URL('./svelte.config.js', import.meta.url)) }),
				],
				resolve: { conditions: ['browser'] },
				// As the renderer's build defines it (`renderer/src/lib/versions.ts`).
				define: { __TELNYX_SDK_VERSION__: JSON.stringify(TELNYX_SDK_VERSION) },
				test: {
					name: 'renderer',
					environment: 'jsdom',
					// Unmounts components after each test.
					setupFiles: ['@testing-library/svelte/vitest'],
					include: ['test/unit/renderer/**/*.test.ts'],
				},
			},
			{
				test: {
					name: 'integration',
					environment: 'node',
					include: ['test/integration/**/*.test.ts'],
					testTimeout: 30_000,
					hookTimeout: 30_000,
				},
			},
		],
	},
});
