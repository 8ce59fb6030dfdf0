/**
 * Where the main window opens: the size and place it had when last used, if that still makes sense on the
 * displays attached now, else the default size centred on the primary display. Pure: the displays' work
 * areas are passed in (from Electron's `screen` in main/electron/windows.ts), so every case is a unit test.
 */
import type { Rectangle } from 'electron';
import { MAIN_WINDOW_DEFAULT_SIZE, MAIN_WINDOW_MIN_SIZE } from './window-options';

/** What is remembered of the main window: its normal (not maximised) bounds, and whether it was maximised. */
export interface WindowState {
	readonly bounds: Rectangle;
	readonly maximised: boolean;
}

/**
 * Limits of a remembered state. No display is wider than this, and a coordinate beyond ±COORDINATE_LIMIT
 * is on no desktop: either means a damaged file, never a window to restore.
 */
export const WINDOW_STATE_LIMITS = {
	maxDimension: 16_384,
	coordinateLimit: 100_000,
} as const;

/** The window's own facts when it is saved (from `getNormalBounds`, `isMaximized`, …). */
export interface WindowFacts {
	readonly normalBounds: Rectangle;
	readonly maximised: boolean;
	readonly fullScreen: boolean;
	readonly minimised: boolean;
}

/** Where to open. */
export interface WindowPlacement {
	/** Null only when no display is known: the default size, centred by Electron. */
	readonly bounds: Rectangle | null;
	readonly maximised: boolean;
	/** Why: the saved state as it was, moved or resized to fit, or the default (nothing usable saved). */
	readonly source: 'saved' | 'adjusted' | 'default';
}

const isInteger = (value: unknown): value is number =>
	typeof value === 'number' && Number.isFinite(value) && Number.isInteger(value);

/** Bounds a person could have left the window at: whole numbers within the limits, a positive size. */
export function isPlausibleBounds(bounds: Rectangle): boolean {
	const { maxDimension, coordinateLimit } = WINDOW_STATE_LIMITS;
	return (
		isInteger(bounds.x) &&
		isInteger(bounds.y) &&
		isInteger(bounds.width) &&
		isInteger(bounds.height) &&
		Math.abs(bounds.x) <= coordinateLimit &&
		Math.abs(bounds.y) <= coordinateLimit &&
		bounds.width > 0 &&
		bounds.height > 0 &&
		bounds.width <= maxDimension &&
		bounds.height <= maxDimension
	);
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max);

const contains = (area: Rectangle, x: number, y: number) =>
	x >= area.x && x < area.x + area.width && y >= area.y && y < area.y + area.height;

const overlap = (a: Rectangle, b: Rectangle) =>
	Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) *
	Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

const usable = (area: Rectangle) =>
	isInteger(area.x) && isInteger(area.y) && area.width > 0 && area.height > 0;

/** The default size (never larger than the work area), centred in it. */
export function defaultPlacement(primary: Rectangle | null): WindowPlacement {
	if (primary === null || !usable(primary)) {
		return { bounds: null, maximised: false, source: 'default' };
	}
	const width = Math.min(MAIN_WINDOW_DEFAULT_SIZE.width, primary.width);
	const height = Math.min(MAIN_WINDOW_DEFAULT_SIZE.height, primary.height);
	return {
		bounds: {
			x: primary.x + Math.round((primary.width - width) / 2),
			y: primary.y + Math.round((primary.height - height) / 2),
			width,
			height,
		},
		maximised: false,
		source: 'default',
	};
}

/**
 * Decides where the main window opens.
 *
 * - Nothing saved, or saved bounds that are not plausible (NaN, negative or zero size, absurd numbers):
 *   the default.
 * - Smaller than the minimum: grown to it (Electron would enforce the minimum anyway, but the position
 *   checks below must see the size the window will have).
 * - All four corners on some display (also across two side-by-side displays): kept as it was.
 * - Otherwise, on the display it overlaps most: shrunk to that display's work area if larger, and moved
 *   inside it — a window half off-screen after a display change comes back whole.
 * - Overlapping no display at all (the display it was on is gone): the default, on the primary display.
 *
 * `maximised` is kept in every case where the saved state is used, so un-maximising returns to the
 * remembered normal bounds. Full screen is never restored (see {@link captureWindowState}).
 */
export function restoreWindowState(
	saved: WindowState | null,
	workAreas: readonly Rectangle[],
	primary: Rectangle | null,
): WindowPlacement {
	const displays = workAreas.filter(usable);
	const home = primary !== null && usable(primary) ? primary : (displays[0] ?? null);
	if (saved === null || !isPlausibleBounds(saved.bounds) || displays.length === 0) {
		return defaultPlacement(home);
	}
	const maximised = saved.maximised === true;
	const { maxDimension } = WINDOW_STATE_LIMITS;
	const width = clamp(saved.bounds.width, MAIN_WINDOW_MIN_SIZE.width, maxDimension);
	const height = clamp(saved.bounds.height, MAIN_WINDOW_MIN_SIZE.height, maxDimension);
	const wanted: Rectangle = { x: saved.bounds.x, y: saved.bounds.y, width, height };
	const grown = width !== saved.bounds.width || height !== saved.bounds.height;

	const right = wanted.x + wanted.width - 1;
	const bottom = wanted.y + wanted.height - 1;
	const corners: readonly (readonly [number, number])[] = [
		[wanted.x, wanted.y],
		[right, wanted.y],
		[wanted.x, bottom],
		[right, bottom],
	];
	if (corners.every(([x, y]) => displays.some((area) => contains(area, x, y)))) {
		return { bounds: wanted, maximised, source: grown ? 'adjusted' : 'saved' };
	}

	let best: Rectangle | null = null;
	let bestOverlap = 0;
	for (const area of displays) {
		const shared = overlap(wanted, area);
		if (shared > bestOverlap) {
			best = area;
			bestOverlap = shared;
		}
	}
	if (best === null) return defaultPlacement(home);

	// The minimum wins over a work area smaller than it (the window then starts at the area's corner).
	const fitWidth = Math.max(Math.min(width, best.width), MAIN_WINDOW_MIN_SIZE.width);
	const fitHeight = Math.max(Math.min(height, best.height), MAIN_WINDOW_MIN_SIZE.height);
	return {
		bounds: {
			x: clamp(wanted.x, best.x, Math.max(best.x, best.x + best.width - fitWidth)),
			y: clamp(wanted.y, best.y, Math.max(best.y, best.y + best.height - fitHeight)),
			width: fitWidth,
			height: fitHeight,
		},
		maximised,
		source: 'adjusted',
	};
}

/**
 * The state to remember for the window as it is now, or `previous` when now is not a state to come back
 * to: in full screen (the next start opens as the window was before full screen, never in full screen —
 * a video call that is over should not open the dialer over the whole screen), or minimised (some systems
 * report parked, off-screen bounds for a minimised window). Null when nothing usable is known.
 */
export function captureWindowState(
	facts: WindowFacts,
	previous: WindowState | null,
): WindowState | null {
	if (facts.fullScreen || facts.minimised) return previous;
	if (!isPlausibleBounds(facts.normalBounds)) return previous;
	const { x, y, width, height } = facts.normalBounds;
	return { bounds: { x, y, width, height }, maximised: facts.maximised };
}
