import { describe, expect, it } from 'vitest';
import { format, judge, median, rows, table, type Figure, type Goal } from '../../bench/report';

const figures: Figure[] = [
	{ name: 'floor', unit: 'ms', runs: [100, 300, 200], group: 'loopback' },
	{ name: 'floor', unit: 'ms', runs: [400], group: 'with servers' },
	{ name: 'app', unit: 'ms', runs: [95, 80, 85, 500], group: 'loopback', floor: 'floor' },
	{ name: 'app', unit: 'ms', runs: [480], group: 'with servers', floor: 'floor' },
	{ name: 'requests', unit: 'requests', runs: [7, 7, 6], group: null },
	{ name: 'growth', unit: 'bytes', runs: [9000], group: null },
];

describe('the bench report', () => {
	it('takes the median of odd and even runs', () => {
		expect(median([3, 1, 2])).toBe(2);
		expect(median([4, 1, 3, 2])).toBe(2.5);
		expect(median([])).toBeNaN();
	});

	it('prints counts whole or to two decimals, durations in whole ms and sizes in KiB or MiB', () => {
		expect([format(11, 'requests'), format(13 / 12, 'requests')]).toEqual(['11', '1.08']);
		expect([format(128.6, 'ms'), format(9216, 'bytes'), format(7_319_000, 'bytes')]).toEqual([
			'129 ms',
			'9.0 KiB',
			'6.98 MiB',
		]);
	});

	it('compares each figure with the floor of its own group, median to median', () => {
		const [, , app, appWithServers] = rows(figures);
		expect(app).toMatchObject({ runs: 4, min: 80, median: 90, max: 500, ratioToFloor: 0.45 });
		expect(appWithServers).toMatchObject({ median: 480, ratioToFloor: 1.2 });
	});

	it('judges ratio goals against the floor and value goals against their limit', () => {
		const goals: Goal[] = [
			{ name: 'fast', figure: 'app', group: 'loopback', maxRatio: { floor: 'floor', ratio: 0.9 } },
			{
				name: 'fast',
				figure: 'app',
				group: 'with servers',
				maxRatio: { floor: 'floor', ratio: 1.1 },
			},
			{ name: 'few', figure: 'requests', group: null, maxValue: 6 },
			{ name: 'small', figure: 'growth', group: null, maxValue: 8192 },
			{ name: 'absent', figure: 'nothing', group: null, maxValue: 1 },
		];
		const results = judge(goals, figures);
		expect(results.map((r) => [r.ratio, r.met])).toEqual([
			[0.45, true],
			[1.2, false],
			[null, false],
			[null, false],
			[null, null],
		]);
		expect(results[2]).toMatchObject({ median: 7, target: '≤ 6' });
		expect(results[3]).toMatchObject({ target: '≤ 8.0 KiB' });
		const printed = table(rows(figures), results);
		expect(printed).toContain('== Loopback, no ICE servers');
		expect(printed).toContain('== With ICE servers on the path');
		expect(printed).toMatch(/fast\s+loopback\s+90 ms\s+0\.45×\s+≤ 0\.90× floor\s+yes/);
		expect(printed).toMatch(/absent\s+—\s+≤ 1\s+not measured/);
	});
});
