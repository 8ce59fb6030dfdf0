import { describe, expect, it } from 'vitest';
import {
	SPARKLINE_HEIGHT,
	SPARKLINE_WIDTH,
	sparklineGeometry,
	type SparklineScale,
} from '../../../../renderer/src/lib/quality/sparkline';

const fromZero: SparklineScale = { spanMs: 60_000, minRange: 20, fromZero: true };
const centred: SparklineScale = { spanMs: 60_000, minRange: 1, fromZero: false };

/** The points of a `points` attribute as numbers. */
const points = (attribute: string | undefined): number[][] =>
	(attribute ?? '').split(' ').map((pair) => pair.split(',').map(Number));

describe('sparklineGeometry', () => {
	it('draws nothing without values, and counts none', () => {
		expect(sparklineGeometry([], [[]], fromZero)).toEqual({ lines: [], dots: [], count: 0 });
		expect(sparklineGeometry([0, 2000], [[null, null]], fromZero)).toEqual({
			lines: [],
			dots: [],
			count: 0,
		});
	});

	it('puts the newest sample at the right edge and grows from the right while the call is young', () => {
		const { lines } = sparklineGeometry([30_000, 60_000], [[5, 10]], fromZero);
		const [start, end] = points(lines[0]?.points);
		expect(end?.[0]).toBe(SPARKLINE_WIDTH - 2);
		// Half the span back: halfway across.
		expect(start?.[0]).toBe(SPARKLINE_WIDTH / 2);
	});

	it('scales to the values from zero, with a floor on the range', () => {
		// 2–4 ms of jitter on a 20 ms floor: a low, nearly flat line.
		const small = points(sparklineGeometry([0, 2000], [[2, 4]], fromZero).lines[0]?.points);
		expect(small.map(([, y]) => y)).toEqual([23.6, 21.2]);
		// 0–80 ms: the range is the values' own, the highest at the top.
		const large = points(sparklineGeometry([0, 2000], [[0, 80]], fromZero).lines[0]?.points);
		expect(large.map(([, y]) => y)).toEqual([SPARKLINE_HEIGHT - 2, 2]);
	});

	it('centres a steady figure when the range does not start at zero', () => {
		const { lines } = sparklineGeometry([0, 2000, 4000], [[4.3, 4.3, 4.3]], centred);
		expect(points(lines[0]?.points).map(([, y]) => y)).toEqual([14, 14, 14]);
	});

	it('breaks the line where a value is missing and dots a value standing alone', () => {
		const geometry = sparklineGeometry(
			[0, 2000, 4000, 6000, 8000, 10_000],
			[[1, 2, null, 3, null, 4]],
			fromZero,
		);
		expect(geometry.lines).toHaveLength(1);
		expect(points(geometry.lines[0]?.points)).toHaveLength(2);
		expect(geometry.dots).toHaveLength(2);
		expect(geometry.count).toBe(4);
	});

	it('draws each series on one shared scale and counts the times with any value', () => {
		const geometry = sparklineGeometry(
			[0, 2000, 4000],
			[
				[40, 40, null],
				[null, 80, 80],
			],
			fromZero,
		);
		expect(geometry.lines.map((line) => line.series)).toEqual([0, 1]);
		expect(geometry.count).toBe(3);
		const [, outTop] = points(geometry.lines[1]?.points);
		expect(outTop?.[1]).toBe(2);
	});
});
