/**
 * The geometry of a sparkline, kept out of the component so it is tested as numbers: a fixed viewBox, time
 * across (the last `spanMs` up to the newest sample, so a young call's line grows from the right instead of
 * stretching), the window's values up (scaled to their own range, with a floor on that range so noise on a
 * steady figure does not fill the chart).
 */

export const SPARKLINE_WIDTH = 120;
export const SPARKLINE_HEIGHT = 28;
/** Keeps the stroke inside the box at the extremes. */
const PAD = 2;

export interface SparklineScale {
	/** How much time the chart spans, ms. */
	readonly spanMs: number;
	/** The smallest value range drawn top to bottom (a steady 4.3 MOS is a flat line, not a jagged one). */
	readonly minRange: number;
	/** The range starts at zero (jitter, loss, round trip, bitrate); else it centres on the values. */
	readonly fromZero: boolean;
}

export interface SparklineGeometry {
	/** One `points` attribute per unbroken run of two or more values, with the series it belongs to. */
	readonly lines: readonly { readonly series: number; readonly points: string }[];
	/** Values standing alone (a gap on either side): drawn as dots, since a one-point line is invisible. */
	readonly dots: readonly { readonly series: number; readonly x: number; readonly y: number }[];
	/** How many sample times have at least one value. */
	readonly count: number;
}

/**
 * `times`: the samples' times, oldest first; `series`: one list of values per line, aligned with `times`
 * (null: no value then, which breaks the line).
 */
export function sparklineGeometry(
	times: readonly number[],
	series: readonly (readonly (number | null)[])[],
	scale: SparklineScale,
): SparklineGeometry {
	const values = series.flatMap((line) => line.filter((value): value is number => value !== null));
	const count = times.filter((_, index) =>
		series.some((line) => (line[index] ?? null) !== null),
	).length;
	const end = times.at(-1);
	if (values.length === 0 || end === undefined) return { lines: [], dots: [], count };

	let low = Math.min(...values);
	let high = Math.max(...values);
	if (scale.fromZero) low = Math.min(0, low);
	if (high - low < scale.minRange) {
		if (scale.fromZero && low === 0) high = scale.minRange;
		else {
			const middle = (low + high) / 2;
			low = middle - scale.minRange / 2;
			high = middle + scale.minRange / 2;
		}
	}
	const range = high - low || 1;
	const start = end - scale.spanMs;
	const x = (at: number): number =>
		round(PAD + ((Math.max(start, at) - start) / scale.spanMs) * (SPARKLINE_WIDTH - 2 * PAD));
	const y = (value: number): number =>
		round(SPARKLINE_HEIGHT - PAD - ((value - low) / range) * (SPARKLINE_HEIGHT - 2 * PAD));

	const lines: { series: number; points: string }[] = [];
	const dots: { series: number; x: number; y: number }[] = [];
	series.forEach((line, index) => {
		let run: { x: number; y: number }[] = [];
		const close = (): void => {
			if (run.length === 1) dots.push({ series: index, ...run[0]! });
			else if (run.length > 1)
				lines.push({ series: index, points: run.map((p) => `${p.x},${p.y}`).join(' ') });
			run = [];
		};
		times.forEach((at, position) => {
			const value = line[position] ?? null;
			if (value === null) close();
			else run.push({ x: x(at), y: y(value) });
		});
		close();
	});
	return { lines, dots, count };
}

function round(value: number): number {
	return Math.round(value * 10) / 10;
}
