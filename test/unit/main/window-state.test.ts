import { describe, expect, it } from 'vitest';
import type { Rectangle } from 'electron';
import {
	WINDOW_STATE_LIMITS,
	captureWindowState,
	defaultPlacement,
	isPlausibleBounds,
	restoreWindowState,
	type WindowFacts,
	type WindowState,
} from '../../../main/window-state';
import { MAIN_WINDOW_DEFAULT_SIZE, MAIN_WINDOW_MIN_SIZE } from '../../../main/window-options';

/** A 1920×1080 laptop screen with a 40 px panel at the bottom. */
const laptop: Rectangle = { x: 0, y: 0, width: 1920, height: 1040 };
/** A second display to the left of it (negative coordinates are a real place). */
const leftMonitor: Rectangle = { x: -2560, y: 0, width: 2560, height: 1400 };

const saved = (bounds: Rectangle, maximised = false): WindowState => ({ bounds, maximised });

/** The centred default on the laptop. */
const centred = {
	x: (1920 - MAIN_WINDOW_DEFAULT_SIZE.width) / 2,
	y: (1040 - MAIN_WINDOW_DEFAULT_SIZE.height) / 2,
	...MAIN_WINDOW_DEFAULT_SIZE,
};

describe('restoreWindowState', () => {
	it('opens at the default size, centred on the primary display, when nothing is saved', () => {
		expect(restoreWindowState(null, [laptop], laptop)).toStrictEqual({
			bounds: centred,
			maximised: false,
			source: 'default',
		});
	});

	it('restores a window that lies on a display exactly as it was', () => {
		const bounds = { x: 100, y: 50, width: 1280, height: 900 };
		expect(restoreWindowState(saved(bounds), [laptop], laptop)).toStrictEqual({
			bounds,
			maximised: false,
			source: 'saved',
		});
	});

	it('restores a window on a display left of the primary one (negative x)', () => {
		const bounds = { x: -2000, y: 100, width: 1600, height: 1000 };
		expect(restoreWindowState(saved(bounds), [laptop, leftMonitor], laptop).bounds).toStrictEqual(
			bounds,
		);
	});

	it('keeps a window that spans two side-by-side displays', () => {
		const bounds = { x: -400, y: 100, width: 1200, height: 800 };
		expect(restoreWindowState(saved(bounds), [laptop, leftMonitor], laptop)).toMatchObject({
			bounds,
			source: 'saved',
		});
	});

	it('opens at the centred default when the display it was on is gone', () => {
		const onLeftMonitor = saved({ x: -2000, y: 100, width: 1600, height: 1000 }, true);
		expect(restoreWindowState(onLeftMonitor, [laptop], laptop)).toStrictEqual({
			bounds: centred,
			maximised: false,
			source: 'default',
		});
	});

	it('moves a partially off-screen window back inside the display it overlaps most', () => {
		const halfOff = saved({ x: 1700, y: 900, width: 800, height: 600 });
		expect(restoreWindowState(halfOff, [laptop], laptop)).toStrictEqual({
			bounds: { x: 1920 - 800, y: 1040 - 600, width: 800, height: 600 },
			maximised: false,
			source: 'adjusted',
		});
		const aboveTop = saved({ x: -100, y: -300, width: 800, height: 600 });
		expect(restoreWindowState(aboveTop, [laptop], laptop).bounds).toStrictEqual({
			x: 0,
			y: 0,
			width: 800,
			height: 600,
		});
	});

	it('shrinks a window larger than its display to the work area (a smaller screen now)', () => {
		const huge = saved({ x: 0, y: 0, width: 3000, height: 2000 });
		expect(restoreWindowState(huge, [laptop], laptop)).toStrictEqual({
			bounds: laptop,
			maximised: false,
			source: 'adjusted',
		});
	});

	it('grows a window below the minimum size to it', () => {
		const tiny = saved({ x: 10, y: 10, width: 50, height: 40 });
		expect(restoreWindowState(tiny, [laptop], laptop)).toStrictEqual({
			bounds: { x: 10, y: 10, ...MAIN_WINDOW_MIN_SIZE },
			maximised: false,
			source: 'adjusted',
		});
	});

	it('keeps the minimum on a work area smaller than it, starting at the area’s corner', () => {
		const small = { x: 0, y: 0, width: 320, height: 480 };
		expect(
			restoreWindowState(saved({ x: 10, y: 10, width: 400, height: 600 }), [small], small).bounds,
		).toStrictEqual({ x: 0, y: 0, ...MAIN_WINDOW_MIN_SIZE });
	});

	it.each([
		['NaN x', { x: Number.NaN, y: 0, width: 800, height: 600 }],
		['NaN width', { x: 0, y: 0, width: Number.NaN, height: 600 }],
		['Infinity height', { x: 0, y: 0, width: 800, height: Number.POSITIVE_INFINITY }],
		['negative width', { x: 0, y: 0, width: -800, height: 600 }],
		['negative height', { x: 0, y: 0, width: 800, height: -1 }],
		['zero size', { x: 0, y: 0, width: 0, height: 0 }],
		['fractional', { x: 0.5, y: 0, width: 800, height: 600 }],
		['huge width', { x: 0, y: 0, width: WINDOW_STATE_LIMITS.maxDimension + 1, height: 600 }],
		['far away', { x: -WINDOW_STATE_LIMITS.coordinateLimit - 1, y: 0, width: 800, height: 600 }],
	])('opens at the centred default for implausible bounds: %s', (_name, bounds) => {
		expect(restoreWindowState(saved(bounds, true), [laptop], laptop)).toStrictEqual({
			bounds: centred,
			maximised: false,
			source: 'default',
		});
	});

	it('keeps "maximised" with the normal bounds, so un-maximising returns to them', () => {
		const bounds = { x: 200, y: 100, width: 900, height: 700 };
		expect(restoreWindowState(saved(bounds, true), [laptop], laptop)).toStrictEqual({
			bounds,
			maximised: true,
			source: 'saved',
		});
		// Moved back on screen, still maximised.
		expect(restoreWindowState(saved({ ...bounds, x: 1800 }, true), [laptop], laptop)).toMatchObject(
			{ maximised: true, source: 'adjusted' },
		);
	});

	it('uses the first display when the primary one is not known, and Electron’s centring with none', () => {
		expect(restoreWindowState(null, [laptop], null).bounds).toStrictEqual(centred);
		expect(
			restoreWindowState(saved({ x: 0, y: 0, width: 800, height: 600 }), [], null),
		).toStrictEqual({ bounds: null, maximised: false, source: 'default' });
	});

	it('ignores displays with an unusable work area', () => {
		const broken = { x: Number.NaN, y: 0, width: 0, height: 0 };
		// A broken primary display: the default goes on the first usable one.
		expect(restoreWindowState(null, [broken, laptop], broken).bounds).toStrictEqual(centred);
		expect(restoreWindowState(null, [broken], broken).bounds).toBeNull();
		expect(
			restoreWindowState(saved({ x: 5, y: 5, width: 800, height: 600 }), [broken, laptop], laptop)
				.bounds,
		).toStrictEqual({ x: 5, y: 5, width: 800, height: 600 });
	});

	it('always answers bounds inside a display, at least the minimum size (seeded sweep)', () => {
		let seed = 0x1234;
		const next = (range: number) => {
			seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
			return (seed % (2 * range)) - range;
		};
		let adjusted = 0;
		for (let i = 0; i < 2000; i += 1) {
			const bounds = {
				x: next(4000),
				y: next(3000),
				width: Math.abs(next(5000)) + 1,
				height: Math.abs(next(4000)) + 1,
			};
			const placement = restoreWindowState(saved(bounds), [laptop, leftMonitor], laptop);
			const b = placement.bounds!;
			expect(b.width).toBeGreaterThanOrEqual(MAIN_WINDOW_MIN_SIZE.width);
			expect(b.height).toBeGreaterThanOrEqual(MAIN_WINDOW_MIN_SIZE.height);
			const topLeftVisible = [laptop, leftMonitor].some(
				(a) => b.x >= a.x && b.x < a.x + a.width && b.y >= a.y && b.y < a.y + a.height,
			);
			expect(topLeftVisible, JSON.stringify({ bounds, placement })).toBe(true);
			if (placement.source === 'adjusted') adjusted += 1;
		}
		expect(adjusted).toBeGreaterThan(100);
	});
});

describe('defaultPlacement', () => {
	it('never exceeds a small work area', () => {
		const small = { x: 100, y: 50, width: 400, height: 500 };
		expect(defaultPlacement(small).bounds).toStrictEqual(small);
	});
});

describe('isPlausibleBounds', () => {
	it('accepts the limits themselves', () => {
		const { maxDimension, coordinateLimit } = WINDOW_STATE_LIMITS;
		expect(
			isPlausibleBounds({
				x: -coordinateLimit,
				y: coordinateLimit,
				width: maxDimension,
				height: 1,
			}),
		).toBe(true);
	});
});

describe('captureWindowState', () => {
	const normalBounds = { x: 10, y: 20, width: 1000, height: 800 };
	const facts = (overrides: Partial<WindowFacts> = {}): WindowFacts => ({
		normalBounds,
		maximised: false,
		fullScreen: false,
		minimised: false,
		...overrides,
	});
	const previous = saved({ x: 1, y: 2, width: 500, height: 600 }, true);

	it('remembers the normal bounds and whether the window is maximised', () => {
		expect(captureWindowState(facts(), previous)).toStrictEqual(saved(normalBounds));
		expect(captureWindowState(facts({ maximised: true }), null)).toStrictEqual(
			saved(normalBounds, true),
		);
	});

	it('never remembers full screen: keeps the state from before it', () => {
		expect(captureWindowState(facts({ fullScreen: true, maximised: true }), previous)).toBe(
			previous,
		);
		expect(captureWindowState(facts({ fullScreen: true }), null)).toBeNull();
	});

	it('keeps the previous state while minimised or when the bounds are implausible', () => {
		expect(captureWindowState(facts({ minimised: true }), previous)).toBe(previous);
		expect(
			captureWindowState(facts({ normalBounds: { ...normalBounds, width: Number.NaN } }), previous),
		).toBe(previous);
	});

	it('copies only the four numbers of the bounds', () => {
		const extra = { ...normalBounds, secret: 'KEYshouldneverbehere' } as Rectangle;
		expect(captureWindowState(facts({ normalBounds: extra }), null)).toStrictEqual(
			saved(normalBounds),
		);
	});
});
