/**
 * Chromium's JavaScript coverage of an app page, for the line-coverage figure `npm test` prints
 * (`test/support/coverage-report.ts` maps it to the sources through the renderer build's source maps and
 * merges it with Vitest's). On only when `E2E_COVERAGE_DIR` names a folder (test/support/in-session.sh
 * sets it); otherwise the page runs exactly as without it.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';

/** One page's coverage of the app's own scripts: V8's block coverage, keyed by the script's path. */
export interface PageCoverageFile {
	readonly scripts: readonly {
		/** The script's path under the renderer's root, e.g. `/assets/index-abc123.js`. */
		readonly path: string;
		readonly functions: unknown[];
	}[];
}

/** Starts recording; the function it returns stops and writes what was recorded (never throws). */
export async function recordPageCoverage(page: Page, appUrl: string): Promise<() => Promise<void>> {
	const dir = process.env['E2E_COVERAGE_DIR'];
	if (dir === undefined || dir === '') return () => Promise.resolve();
	// Kept across reloads: several tests reload the app (a restart) and the earlier run counts too.
	await page.coverage.startJSCoverage({ resetOnNavigation: false });
	const origin = new URL(appUrl).origin;
	return async () => {
		// A page a test already closed (or crashed) has nothing left to give.
		const entries = await page.coverage.stopJSCoverage().catch(() => []);
		const scripts = entries.flatMap((entry) => {
			const url = new URL(entry.url, origin);
			return url.origin === origin && url.pathname.endsWith('.js')
				? [{ path: url.pathname, functions: entry.functions }]
				: [];
		});
		if (scripts.length === 0) return;
		const file: PageCoverageFile = { scripts };
		await mkdir(dir, { recursive: true });
		await writeFile(path.join(dir, `${randomUUID()}.json`), JSON.stringify(file)).catch(() => {});
	};
}
