/**
 * The benchmark's arithmetic and its table, apart from the measuring (bench.ts): figures with their runs,
 * each compared with the floor measured in the same run and group, and the goals judged on them.
 * Pure, so the judging is tested in Node (test/unit/bench/report.test.ts).
 */

/** Where a call's ICE candidates come from: loopback host candidates only, or STUN/TURN as well. */
export type Group = 'loopback' | 'with servers';

export const GROUP_TITLES: Record<Group | 'other', string> = {
	loopback: 'Loopback, no ICE servers',
	'with servers': 'With ICE servers on the path (coturn on loopback: STUN and TURN over UDP)',
	other: 'Registration and footprint',
};

export interface Figure {
	readonly name: string;
	readonly unit: 'ms' | 'bytes' | 'requests';
	readonly runs: readonly number[];
	readonly group: Group | null;
	/** The name of the floor figure (same group) this one is compared with. */
	readonly floor?: string;
}

export interface Goal {
	/** As the issue names it. */
	readonly name: string;
	readonly figure: string;
	readonly group: Group | null;
	/** Met when the figure's median / the floor's median is at most this. */
	readonly maxRatio?: { readonly floor: string; readonly ratio: number };
	/** Met when the figure's median is at most this (in the figure's unit). */
	readonly maxValue?: number;
}

export interface Row {
	readonly name: string;
	readonly group: Group | null;
	readonly unit: Figure['unit'];
	readonly runs: number;
	readonly min: number;
	readonly median: number;
	readonly max: number;
	readonly ratioToFloor: number | null;
	readonly floor: string | null;
}

export interface GoalResult {
	readonly name: string;
	readonly group: Group | null;
	readonly figure: string;
	readonly median: number | null;
	readonly unit: Figure['unit'] | null;
	readonly ratio: number | null;
	readonly target: string;
	/** null when the figure (or its floor) was not measured in this run. */
	readonly met: boolean | null;
}

export function median(values: readonly number[]): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const key = (group: Group | null, name: string) => `${group ?? 'other'}|${name}`;

export function rows(figures: readonly Figure[]): Row[] {
	const byKey = new Map(figures.map((f) => [key(f.group, f.name), f]));
	return figures.map((f) => {
		const floor = f.floor === undefined ? undefined : byKey.get(key(f.group, f.floor));
		return {
			name: f.name,
			group: f.group,
			unit: f.unit,
			runs: f.runs.length,
			min: Math.min(...f.runs),
			median: median(f.runs),
			max: Math.max(...f.runs),
			ratioToFloor: floor === undefined ? null : round2(median(f.runs) / median(floor.runs)),
			floor: f.floor ?? null,
		};
	});
}

export function judge(goals: readonly Goal[], figures: readonly Figure[]): GoalResult[] {
	const byKey = new Map(figures.map((f) => [key(f.group, f.name), f]));
	return goals.map((goal) => {
		const figure = byKey.get(key(goal.group, goal.figure));
		const value = figure === undefined || figure.runs.length === 0 ? null : median(figure.runs);
		const base = {
			name: goal.name,
			group: goal.group,
			figure: goal.figure,
			median: value,
			unit: figure?.unit ?? null,
		};
		if (goal.maxRatio !== undefined) {
			const floor = byKey.get(key(goal.group, goal.maxRatio.floor));
			const ratio =
				value === null || floor === undefined || floor.runs.length === 0
					? null
					: round2(value / median(floor.runs));
			return {
				...base,
				ratio,
				target: `≤ ${goal.maxRatio.ratio.toFixed(2)}× floor`,
				met: ratio === null ? null : ratio <= goal.maxRatio.ratio,
			};
		}
		const max = goal.maxValue ?? Number.NaN;
		return {
			...base,
			ratio: null,
			target: `≤ ${figure === undefined ? String(max) : format(max, figure.unit)}`,
			met: value === null ? null : value <= max,
		};
	});
}

export function format(value: number, unit: Figure['unit']): string {
	if (unit === 'bytes')
		return Math.abs(value) >= 1024 * 1024
			? `${(value / 1024 / 1024).toFixed(2)} MiB`
			: `${(value / 1024).toFixed(1)} KiB`;
	if (unit === 'ms') return `${Math.round(value)} ms`;
	return Number.isInteger(value) ? `${value}` : value.toFixed(2);
}

/** The printed table: figures grouped (loopback, with servers, the rest), then the goals. */
export function table(allRows: readonly Row[], goals: readonly GoalResult[]): string {
	const lines: string[] = [];
	const width = Math.max(...allRows.map((r) => r.name.length), ...goals.map((g) => g.name.length));
	for (const group of ['loopback', 'with servers', null] as const) {
		const inGroup = allRows.filter((r) => r.group === group);
		if (inGroup.length === 0) continue;
		lines.push('', `== ${GROUP_TITLES[group ?? 'other']}`);
		lines.push(`${'figure'.padEnd(width)}  runs        min     median        max  × floor`);
		for (const r of inGroup) {
			const cells = [r.min, r.median, r.max].map((v) => format(v, r.unit).padStart(10)).join(' ');
			const ratio = r.ratioToFloor === null ? '' : `${r.ratioToFloor.toFixed(2)}×`;
			lines.push(`${r.name.padEnd(width)}  ${String(r.runs).padStart(4)} ${cells}  ${ratio}`);
		}
	}
	lines.push('', '== Goals (issue 17), each on the median of its figure');
	lines.push(
		`${'goal'.padEnd(width)}  ${'group'.padEnd(12)}     median   ratio  target           met`,
	);
	for (const g of goals) {
		const value = g.median === null || g.unit === null ? '—' : format(g.median, g.unit);
		const ratio = g.ratio === null ? '' : `${g.ratio.toFixed(2)}×`;
		const met = g.met === null ? 'not measured' : g.met ? 'yes' : 'NO';
		lines.push(
			`${g.name.padEnd(width)}  ${(g.group ?? '').padEnd(12)} ${value.padStart(10)} ${ratio.padStart(7)}  ${g.target.padEnd(16)} ${met}`,
		);
	}
	return lines.join('\n');
}
