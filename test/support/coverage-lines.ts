/**
 * Line coverage merged across test tiers. Each tier's converter (Vitest's for unit + integration, the same
 * AST-aware one for Chromium's coverage of the built renderer) decides which lines of a source hold code; the
 * tiers run different builds of the same file (per-module transforms vs one minified bundle), so their
 * statement maps differ and cannot be merged statement by statement. Lines can: a line counts as code when any
 * tier says so, and as covered when any tier ran it.
 */

/** Per source file, per line number: how many times the line ran (0: it holds code that never ran). */
export type LineHits = Readonly<Record<string, Readonly<Record<number, number>>>>;

export interface LineTotals {
	readonly covered: number;
	readonly total: number;
}

export function mergeLineHits(...tiers: readonly LineHits[]): LineHits {
	const merged: Record<string, Record<number, number>> = {};
	for (const tier of tiers) {
		for (const [file, lines] of Object.entries(tier)) {
			const into = (merged[file] ??= {});
			for (const [line, hits] of Object.entries(lines)) {
				into[Number(line)] = (into[Number(line)] ?? 0) + hits;
			}
		}
	}
	return merged;
}

/** Covered and total lines of the files `include` keeps. */
export function lineTotals(
	hits: LineHits,
	include: (file: string) => boolean = () => true,
): LineTotals {
	let covered = 0;
	let total = 0;
	for (const [file, lines] of Object.entries(hits)) {
		if (!include(file)) continue;
		for (const count of Object.values(lines)) {
			total += 1;
			if (count > 0) covered += 1;
		}
	}
	return { covered, total };
}

export function percent({ covered, total }: LineTotals): string {
	return total === 0 ? '—' : `${((100 * covered) / total).toFixed(1)} %`;
}
