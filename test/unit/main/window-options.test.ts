import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from '../../../main/window-options';

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
