/**
 * Prints the line coverage of the product's code (main/, preload/, renderer/src/) by tier — unit +
 * integration (Vitest's V8 coverage) and end to end (Chromium's coverage of the built renderer, recorded by
 * test/e2e/support/page-coverage.ts and mapped to the sources through the build's source maps) — and merged.
 * A figure, not a gate: it exits 0 whatever the figure. Main's code also runs in the end-to-end tier (the
 * harness runs main's services in Playwright's process), but only the page's coverage is recorded there.
 *
 *   tsx test/support/coverage-report.ts <reports folder>   (after test/support/in-session.sh)
 */
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mergeScriptCovs, type ScriptCov } from '@bcoe/v8-coverage';
import { convert } from 'ast-v8-to-istanbul';
import libCoverage, { type CoverageMapData } from 'istanbul-lib-coverage';
import { parseAstAsync } from 'vite';
import type { PageCoverageFile } from '../e2e/support/page-coverage';
import { lineTotals, mergeLineHits, percent, type LineHits } from './coverage-lines';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RENDERER_ROOT = path.join(ROOT, 'dist/renderer');
const AREAS = ['main/', 'preload/', 'renderer/src/'] as const;

/** Line hits per product source file (paths relative to the repository), from istanbul data. */
function productLines(data: CoverageMapData): LineHits {
	const lines: Record<string, Record<number, number>> = {};
	const map = libCoverage.createCoverageMap(data);
	for (const file of map.files()) {
		const relative = path.relative(ROOT, file).split(path.sep).join('/');
		if (relative.includes('node_modules') || !AREAS.some((area) => relative.startsWith(area)))
			continue;
		lines[relative] = map.fileCoverageFor(file).getLineCoverage();
	}
	return lines;
}

async function vitestLines(reports: string): Promise<LineHits | null> {
	const file = path.join(reports, 'coverage/vitest/coverage-final.json');
	if (!existsSync(file)) return null;
	return productLines(JSON.parse(await readFile(file, 'utf8')) as CoverageMapData);
}

async function endToEndLines(reports: string): Promise<LineHits | null> {
	const dir = path.join(reports, 'coverage/e2e');
	if (!existsSync(dir)) return null;
	// Every page's coverage of one script, merged into one before the (slow) mapping to the sources.
	const byScript = new Map<string, ScriptCov[]>();
	for (const name of await readdir(dir)) {
		const page = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as PageCoverageFile;
		for (const script of page.scripts) {
			const covs = byScript.get(script.path) ?? [];
			covs.push({ scriptId: '0', url: script.path, functions: script.functions } as ScriptCov);
			byScript.set(script.path, covs);
		}
	}
	let hits: LineHits = {};
	for (const [scriptPath, covs] of byScript) {
		const file = path.join(RENDERER_ROOT, scriptPath);
		if (!existsSync(file) || !existsSync(`${file}.map`)) {
			console.log(`coverage: ${scriptPath} is not in dist/renderer (rebuilt since?); left out`);
			continue;
		}
		const merged = mergeScriptCovs(covs);
		if (merged === undefined) continue;
		const code = await readFile(file, 'utf8');
		const data = await convert({
			code,
			ast: parseAstAsync(code),
			coverage: { url: pathToFileURL(file).href, functions: merged.functions },
			sourceMap: JSON.parse(await readFile(`${file}.map`, 'utf8')) as NonNullable<
				Parameters<typeof convert>[0]['sourceMap']
			>,
		});
		hits = mergeLineHits(hits, productLines(data));
	}
	return hits;
}

async function main(): Promise<void> {
	const reports = path.resolve(process.argv[2] ?? '.ci/reports');
	const tiers: [string, LineHits | null][] = [
		['unit+integration', await vitestLines(reports)],
		['end to end', await endToEndLines(reports)],
	];
	const present = tiers.flatMap(([, hits]) => (hits === null ? [] : [hits]));
	const merged = mergeLineHits(...present);
	const rows = [...AREAS, 'all'].map((area) => {
		const include = (file: string) => area === 'all' || file.startsWith(area);
		return {
			area: area.replace(/\/$/, ''),
			tiers: Object.fromEntries(
				tiers.map(([name, hits]) => [name, hits === null ? null : lineTotals(hits, include)]),
			),
			merged: lineTotals(merged, include),
		};
	});
	console.log('== coverage: lines of product code (a figure, not a gate)');
	const pad = (text: string, width: number) => text.padEnd(width);
	console.log(pad('', 14) + tiers.map(([name]) => pad(name, 20)).join('') + 'merged');
	for (const row of rows) {
		const cells = tiers.map(([name]) => {
			const totals = row.tiers[name];
			return pad(totals ? percent(totals) : 'not run', 20);
		});
		const { covered, total } = row.merged;
		console.log(
			`${pad(row.area, 14)}${cells.join('')}${percent(row.merged)} (${covered} of ${total} lines)`,
		);
	}
	await writeFile(path.join(reports, 'coverage/summary.json'), JSON.stringify(rows, null, '\t'));
}

main().catch((error: unknown) => {
	console.log(`coverage: no figure (${error instanceof Error ? error.message : String(error)})`);
});
