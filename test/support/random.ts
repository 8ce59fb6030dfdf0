/** A small seeded pseudo-random generator (mulberry32), so property-style loops are reproducible. */
export interface Random {
	/** A float in [0, 1). */
	next(): number;
	int(maxExclusive: number): number;
	bool(): boolean;
	pick<T>(items: readonly T[]): T;
	/** A string of `length` characters drawn from `alphabet` (default: printable ASCII, controls and some Unicode). */
	string(length: number, alphabet?: string): string;
}

const DEFAULT_ALPHABET =
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:/@.%?#[]\\-_~!$&'()*+,;= \t\n\0\u202eé漢🙂";

export function seeded(seed: number): Random {
	let state = seed >>> 0;
	const next = (): number => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (maxExclusive: number): number => Math.floor(next() * maxExclusive);
	const pick = <T>(items: readonly T[]): T => {
		if (items.length === 0) throw new Error('pick from an empty list');
		return items[int(items.length)] as T;
	};
	return {
		next,
		int,
		bool: () => next() < 0.5,
		pick,
		string: (length, alphabet = DEFAULT_ALPHABET) => {
			const chars = [...alphabet];
			return Array.from({ length }, () => pick(chars)).join('');
		},
	};
}
