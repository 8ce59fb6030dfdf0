import { describe, expect, it } from 'vitest';
import { lineTotals, mergeLineHits, percent } from '../../support/coverage-lines';

describe('line coverage merged across tiers', () => {
	it('counts a line as covered when any tier ran it, and as code when any tier holds it', () => {
		const unit = { 'a.ts': { 1: 2, 2: 0, 3: 0 }, 'b.ts': { 1: 0 } };
		const e2e = { 'a.ts': { 2: 1, 4: 0 }, 'c.svelte': { 7: 3 } };
		const merged = mergeLineHits(unit, e2e);
		expect(merged).toStrictEqual({
			'a.ts': { 1: 2, 2: 1, 3: 0, 4: 0 },
			'b.ts': { 1: 0 },
			'c.svelte': { 7: 3 },
		});
		expect(lineTotals(merged)).toStrictEqual({ covered: 3, total: 6 });
		expect(lineTotals(unit)).toStrictEqual({ covered: 1, total: 4 });
	});

	it('keeps only the files asked for, and says so when there is nothing to count', () => {
		const hits = { 'main/a.ts': { 1: 1, 2: 0 }, 'renderer/b.ts': { 1: 0 } };
		expect(lineTotals(hits, (file) => file.startsWith('main/'))).toStrictEqual({
			covered: 1,
			total: 2,
		});
		expect(percent({ covered: 1, total: 2 })).toBe('50.0 %');
		expect(percent({ covered: 0, total: 0 })).toBe('—');
	});
});
