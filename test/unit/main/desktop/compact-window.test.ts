import type { Rectangle } from 'electron';
import { describe, expect, it } from 'vitest';
import {
	COMPACT_SIZE,
	compactWindowOptions,
	compactWindowPosition,
} from '../../../../main/desktop/compact-window';
import { mainWindowOptions } from '../../../../main/window-options';

const size = { width: 320, height: 420 };
/** A 1920×1080 screen with a 25 px menu bar at the top (macOS, GNOME). */
const topBarArea: Rectangle = { x: 0, y: 25, width: 1920, height: 1055 };
/** A 1920×1080 screen with a 40 px taskbar at the bottom (Windows, KDE). */
const bottomBarArea: Rectangle = { x: 0, y: 0, width: 1920, height: 1040 };

const inside = ([x, y]: [number, number], area: Rectangle) => {
	expect(x).toBeGreaterThanOrEqual(area.x);
	expect(y).toBeGreaterThanOrEqual(area.y);
	expect(x + size.width).toBeLessThanOrEqual(area.x + area.width);
	expect(y + size.height).toBeLessThanOrEqual(area.y + area.height);
};

describe('compactWindowPosition', () => {
	it('puts the dialer just under a tray icon at the top, centred on it', () => {
		const tray = { x: 1000, y: 0, width: 24, height: 24 };
		const position = compactWindowPosition(tray, size, topBarArea);
		expect(position).toStrictEqual([1012 - 160, 28]);
		inside(position, topBarArea);
	});

	it('puts the dialer just above a tray icon at the bottom, centred on it', () => {
		const tray = { x: 1000, y: 1044, width: 32, height: 32 };
		const position = compactWindowPosition(tray, size, bottomBarArea);
		expect(position).toStrictEqual([1016 - 160, 1044 - 420 - 4]);
		inside(position, bottomBarArea);
	});

	it('keeps it inside the work area for an icon in the top-right corner', () => {
		const tray = { x: 1890, y: 0, width: 24, height: 24 };
		const position = compactWindowPosition(tray, size, topBarArea);
		expect(position).toStrictEqual([1920 - 320, 28]);
		inside(position, topBarArea);
	});

	it('keeps it inside the work area for an icon in the bottom-left corner', () => {
		const tray = { x: 4, y: 1044, width: 32, height: 32 };
		const position = compactWindowPosition(tray, size, bottomBarArea);
		expect(position).toStrictEqual([0, 620]);
		inside(position, bottomBarArea);
	});

	it('clamps into a second display’s work area (offset coordinates)', () => {
		const area: Rectangle = { x: 1920, y: -200, width: 1280, height: 984 };
		const tray = { x: 3190, y: 744, width: 24, height: 40 };
		const position = compactWindowPosition(tray, size, area);
		expect(position).toStrictEqual([3200 - 320, 744 - 424]);
		inside(position, area);
	});

	it('returns whole pixels', () => {
		const tray = { x: 1000.5, y: 0, width: 23, height: 22.5 };
		const [x, y] = compactWindowPosition(tray, size, topBarArea);
		expect(Number.isInteger(x)).toBe(true);
		expect(Number.isInteger(y)).toBe(true);
	});

	it('without tray bounds (some Linux desktops), goes to the bottom-right corner of the work area', () => {
		expect(compactWindowPosition(null, size, bottomBarArea)).toStrictEqual([
			1920 - 320 - 8,
			1040 - 420 - 8,
		]);
		expect(
			compactWindowPosition({ x: 0, y: 0, width: 0, height: 0 }, size, topBarArea),
		).toStrictEqual([1920 - 320 - 8, 25 + 1055 - 420 - 8]);
		inside(compactWindowPosition(null, size, topBarArea), topBarArea);
	});
});

describe('compactWindowOptions', () => {
	const input = {
		preloadPath: '/app/resources/app.asar/dist/preload/index.cjs',
		title: 'Dial',
		profile: 'production',
	} as const;
	const options = compactWindowOptions(input);

	it('keeps the main window’s hardened web preferences exactly (sandbox, isolation, no Node)', () => {
		expect(options.webPreferences).toStrictEqual(mainWindowOptions(input).webPreferences);
		expect(options.webPreferences).toMatchObject({
			preload: input.preloadPath,
			sandbox: true,
			contextIsolation: true,
			nodeIntegration: false,
			nodeIntegrationInWorker: false,
			nodeIntegrationInSubFrames: false,
			webSecurity: true,
			webviewTag: false,
			backgroundThrottling: false,
			devTools: false,
		});
	});

	it.each(['production', 'dev', 'demo'] as const)(
		'follows the profile for the developer tools (%s), as the main window does',
		(profile) => {
			const compact = compactWindowOptions({ ...input, profile });
			expect(compact.webPreferences?.devTools).toBe(profile !== 'production');
			expect(compact.webPreferences).toStrictEqual(
				mainWindowOptions({ ...input, profile }).webPreferences,
			);
		},
	);

	it('is a small, fixed-size, frameless, hidden-until-placed panel off the taskbar', () => {
		expect(COMPACT_SIZE).toStrictEqual(size);
		expect(options).toMatchObject({
			title: 'Dial',
			width: 320,
			height: 420,
			minWidth: 320,
			minHeight: 420,
			resizable: false,
			maximizable: false,
			fullscreenable: false,
			frame: false,
			skipTaskbar: true,
			alwaysOnTop: true,
			show: false,
		});
	});
});
