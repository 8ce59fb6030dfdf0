import { describe, expect, it } from 'vitest';
import {
	MAIN_WINDOW_DEFAULT_SIZE,
	MAIN_WINDOW_MIN_SIZE,
	mainWindowOptions,
} from '../../../main/window-options';

const preloadPath = '/opt/Telnyx Softphone/resources/app.asar/dist/preload/index.cjs';
const options = mainWindowOptions({
	preloadPath,
	title: 'Telnyx Softphone',
	profile: 'production',
});
const prefs = options.webPreferences ?? {};

describe('mainWindowOptions (E2–E4, E6, E11)', () => {
	it('passes the preload path and title through unchanged', () => {
		expect(prefs.preload).toBe(preloadPath);
		expect(options.title).toBe('Telnyx Softphone');
	});

	it('isolates and sandboxes the renderer explicitly', () => {
		expect(prefs.sandbox).toBe(true);
		expect(prefs.contextIsolation).toBe(true);
	});

	it('turns Node.js off everywhere: page, workers and subframes', () => {
		expect(prefs.nodeIntegration).toBe(false);
		expect(prefs.nodeIntegrationInWorker).toBe(false);
		expect(prefs.nodeIntegrationInSubFrames).toBe(false);
	});

	it('keeps web security on and insecure or experimental content off', () => {
		expect(prefs.webSecurity).toBe(true);
		expect(prefs.allowRunningInsecureContent).toBe(false);
		expect(prefs.experimentalFeatures).toBe(false);
		expect(prefs.webviewTag).toBe(false);
	});

	it('keeps timers running while the window hides in the tray', () => {
		expect(prefs.backgroundThrottling).toBe(false);
	});

	it('gives production windows no developer tools (no console for a "paste this" attack)', () => {
		expect(prefs.devTools).toBe(false);
	});

	it.each(['dev', 'demo'] as const)(
		'keeps the developer tools in the %s profile, and changes nothing else',
		(profile) => {
			const other = mainWindowOptions({ preloadPath, title: 'Telnyx Softphone', profile });
			expect(other.webPreferences?.devTools).toBe(true);
			expect({ ...other.webPreferences, devTools: false }).toStrictEqual(prefs);
			expect({ ...other, webPreferences: undefined }).toStrictEqual({
				...options,
				webPreferences: undefined,
			});
		},
	);

	it('sets no web preference beyond the reviewed ones (strict schema)', () => {
		expect(Object.keys(prefs).sort()).toStrictEqual(
			[
				'allowRunningInsecureContent',
				'autoplayPolicy',
				'backgroundThrottling',
				'contextIsolation',
				'devTools',
				'experimentalFeatures',
				'nodeIntegration',
				'nodeIntegrationInSubFrames',
				'nodeIntegrationInWorker',
				'preload',
				'sandbox',
				'spellcheck',
				'webSecurity',
				'webviewTag',
			].sort(),
		);
		for (const [key, value] of Object.entries(prefs)) {
			if (/node/i.test(key)) expect(value, key).toBe(false);
		}
	});

	it('opens as the phone-sized column, centred by Electron, when no remembered place is given', () => {
		expect(MAIN_WINDOW_DEFAULT_SIZE).toStrictEqual({ width: 420, height: 720 });
		expect(options).toMatchObject({ width: 420, height: 720 });
		expect(options).not.toHaveProperty('x');
		expect(options).not.toHaveProperty('y');
	});

	it('grows with the video: resizable and maximisable without a maximum, full screen allowed', () => {
		expect(options).toMatchObject({ resizable: true, maximizable: true, fullscreenable: true });
		// Full screen is something the user asks for (the video's button), never how the window opens.
		expect(options.fullscreen).toBeUndefined();
		expect(options.maxWidth).toBeUndefined();
		expect(options.maxHeight).toBeUndefined();
		expect(options.kiosk).toBeUndefined();
	});

	it('keeps a minimum size at which the dialer and the call controls still fit', () => {
		expect(MAIN_WINDOW_MIN_SIZE).toStrictEqual({ width: 360, height: 560 });
		expect(options).toMatchObject({ minWidth: 360, minHeight: 560 });
		expect(MAIN_WINDOW_MIN_SIZE.width).toBeLessThanOrEqual(MAIN_WINDOW_DEFAULT_SIZE.width);
		expect(MAIN_WINDOW_MIN_SIZE.height).toBeLessThanOrEqual(MAIN_WINDOW_DEFAULT_SIZE.height);
	});

	it('opens at the remembered bounds when given, changing nothing else', () => {
		const bounds = { x: -1200, y: 40, width: 1280, height: 900 };
		const placed = mainWindowOptions({
			preloadPath,
			title: 'Telnyx Softphone',
			profile: 'production',
			bounds,
		});
		expect(placed).toMatchObject(bounds);
		const { x, y, width, height, ...rest } = placed;
		expect({ x, y, width, height }).toStrictEqual(bounds);
		const { width: _w, height: _h, ...base } = options;
		expect(rest).toStrictEqual(base);
	});

	it('opens hidden (shown on ready-to-show) and does not hand out shared objects', () => {
		expect(options.show).toBe(false);
		const again = mainWindowOptions({
			preloadPath: '/other.cjs',
			title: 'x',
			profile: 'production',
		});
		expect(again.webPreferences).not.toBe(options.webPreferences);
		expect(again.webPreferences?.preload).toBe('/other.cjs');
		expect(prefs.preload).toBe(preloadPath);
	});
});
