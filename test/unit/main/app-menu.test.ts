import type { Input, MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildAppMenuTemplate, isBlockedKey, type KeyInput } from '../../../main/app-menu';
import type { Profile } from '../../../preload/contract';

const PLATFORMS = ['darwin', 'win32', 'linux'] as const;
const PROFILES: readonly Profile[] = ['production', 'dev', 'demo'];
const CELLS = PLATFORMS.flatMap((platform) =>
	PROFILES.map((profile) => [platform, profile] as const),
);

/** Every item of a template, submenus included, however deep. */
function walk(items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
	return items.flatMap((item) => {
		const submenu = Array.isArray(item.submenu) ? walk(item.submenu) : [];
		return [item, ...submenu];
	});
}

const roles = (items: readonly MenuItemConstructorOptions[]) =>
	walk(items).flatMap((item) => (item.role === undefined ? [] : [item.role]));

/** A menu's submenu, by label. */
function submenuOf(
	template: readonly MenuItemConstructorOptions[],
	label: string,
): MenuItemConstructorOptions[] | undefined {
	const submenu = template.find((item) => item.label === label)?.submenu;
	return Array.isArray(submenu) ? submenu : undefined;
}

/** Roles that reload the page or open the developer tools, directly or through Electron's defaults. */
const RELOAD_OR_DEVTOOLS = ['reload', 'forceReload', 'toggleDevTools', 'viewMenu'];
/** Menu roles whose submenu Electron fills in itself when the template gives none. */
const MENU_ROLES = ['appMenu', 'fileMenu', 'editMenu', 'viewMenu', 'windowMenu', 'shareMenu'];

describe('buildAppMenuTemplate', () => {
	it.each(CELLS)(
		'%s / %s: every submenu is spelled out (Electron adds no defaults)',
		(platform, profile) => {
			const template = buildAppMenuTemplate({ platform, profile, appName: 'Telnyx Softphone' });
			for (const item of walk(template)) {
				if (item.role !== undefined) expect(MENU_ROLES, item.role).not.toContain(item.role);
				if (item.submenu !== undefined) expect(Array.isArray(item.submenu)).toBe(true);
				expect(
					item.type === 'separator' || item.role !== undefined || item.submenu !== undefined,
				).toBe(true);
			}
		},
	);

	it.each(PLATFORMS)(
		'%s / production: nothing anywhere reloads the page or opens the developer tools',
		(platform) => {
			const template = buildAppMenuTemplate({
				platform,
				profile: 'production',
				appName: 'Telnyx Softphone',
			});
			const found = roles(template);
			for (const role of RELOAD_OR_DEVTOOLS) expect(found).not.toContain(role);
			expect(template.map((item) => item.label)).not.toContain('View');
		},
	);

	it.each(CELLS)(
		'%s / %s: Edit keeps undo, redo, cut, copy, paste and select all',
		(platform, profile) => {
			const template = buildAppMenuTemplate({ platform, profile, appName: 'Telnyx Softphone' });
			expect(roles(submenuOf(template, 'Edit') ?? [])).toStrictEqual([
				'undo',
				'redo',
				'cut',
				'copy',
				'paste',
				'selectAll',
			]);
		},
	);

	it.each(PROFILES)(
		'darwin / %s: the standard app menu first, under the app’s name, and a Window menu',
		(profile) => {
			const template = buildAppMenuTemplate({
				platform: 'darwin',
				profile,
				appName: 'Telnyx Softphone',
			});
			expect(template[0]?.label).toBe('Telnyx Softphone');
			expect(roles(submenuOf(template, 'Telnyx Softphone') ?? [])).toStrictEqual([
				'about',
				'hide',
				'hideOthers',
				'unhide',
				'quit',
			]);
			expect(roles(submenuOf(template, 'Window') ?? [])).toStrictEqual(['minimize', 'close']);
			expect(template.at(-1)?.label).toBe('Window');
		},
	);

	it.each(['win32', 'linux'] as const)(
		'%s / production: File (with Quit) and Edit, no macOS app or Window menu',
		(platform) => {
			const template = buildAppMenuTemplate({
				platform,
				profile: 'production',
				appName: 'Telnyx Softphone',
			});
			expect(template.map((item) => item.label)).toStrictEqual(['File', 'Edit']);
			// Without a tray icon (stock GNOME) closing only minimises: Quit must be reachable from the window.
			expect(roles(submenuOf(template, 'File') ?? [])).toStrictEqual(['quit']);
		},
	);

	it.each(CELLS.filter(([, profile]) => profile !== 'production'))(
		'%s / %s: a View menu keeps reload and the developer tools for development',
		(platform, profile) => {
			const template = buildAppMenuTemplate({ platform, profile, appName: 'Telnyx Softphone' });
			expect(roles(submenuOf(template, 'View') ?? [])).toStrictEqual([
				'reload',
				'forceReload',
				'toggleDevTools',
			]);
		},
	);

	it('hands out a fresh template each time', () => {
		const input = { platform: 'darwin', profile: 'production', appName: 'A' } as const;
		const first = buildAppMenuTemplate(input);
		expect(buildAppMenuTemplate(input)).not.toBe(first);
		expect(buildAppMenuTemplate(input)).toStrictEqual(first);
	});
});

describe('isBlockedKey', () => {
	const key = (over: Partial<KeyInput> & Pick<KeyInput, 'key' | 'code'>): KeyInput => ({
		control: false,
		meta: false,
		shift: false,
		alt: false,
		...over,
	});

	const BLOCKED: readonly [string, KeyInput][] = [
		['Ctrl+R', key({ key: 'r', code: 'KeyR', control: true })],
		['Cmd+R', key({ key: 'r', code: 'KeyR', meta: true })],
		['Ctrl+Shift+R', key({ key: 'R', code: 'KeyR', control: true, shift: true })],
		['Cmd+Shift+R', key({ key: 'R', code: 'KeyR', meta: true, shift: true })],
		['F5', key({ key: 'F5', code: 'F5' })],
		['Ctrl+F5', key({ key: 'F5', code: 'F5', control: true })],
		['Shift+F5', key({ key: 'F5', code: 'F5', shift: true })],
		['Ctrl+Shift+I', key({ key: 'I', code: 'KeyI', control: true, shift: true })],
		['Cmd+Shift+I', key({ key: 'I', code: 'KeyI', meta: true, shift: true })],
		// macOS: Option turns I into a dead key; the physical key still says I.
		['Cmd+Alt+I (mac, dead key)', key({ key: 'Dead', code: 'KeyI', meta: true, alt: true })],
		['Cmd+Alt+I', key({ key: 'i', code: 'KeyI', meta: true, alt: true })],
		['F12', key({ key: 'F12', code: 'F12' })],
		['Ctrl+F12', key({ key: 'F12', code: 'F12', control: true })],
		// Dvorak: the character R sits on the physical O key.
		['Ctrl+R on Dvorak', key({ key: 'r', code: 'KeyO', control: true })],
	];

	const ALLOWED: readonly [string, KeyInput][] = [
		['R alone (typing)', key({ key: 'r', code: 'KeyR' })],
		['Shift+R (typing)', key({ key: 'R', code: 'KeyR', shift: true })],
		['I alone (typing)', key({ key: 'i', code: 'KeyI' })],
		['Ctrl+I (no Shift)', key({ key: 'i', code: 'KeyI', control: true })],
		['Alt+I without Cmd (mac: typing ˆ)', key({ key: 'Dead', code: 'KeyI', alt: true })],
		['Ctrl+C', key({ key: 'c', code: 'KeyC', control: true })],
		['Cmd+V', key({ key: 'v', code: 'KeyV', meta: true })],
		['Ctrl+A', key({ key: 'a', code: 'KeyA', control: true })],
		['Ctrl+Shift+A (answer shortcut)', key({ key: 'A', code: 'KeyA', control: true, shift: true })],
		['Ctrl+Shift+M (mute shortcut)', key({ key: 'M', code: 'KeyM', control: true, shift: true })],
		['Enter', key({ key: 'Enter', code: 'Enter' })],
		['Escape', key({ key: 'Escape', code: 'Escape' })],
		['digit 5', key({ key: '5', code: 'Digit5' })],
		['F4', key({ key: 'F4', code: 'F4' })],
		['F1', key({ key: 'F1', code: 'F1' })],
	];

	it.each(BLOCKED)('production: %s does nothing', (_name, input) => {
		expect(isBlockedKey(input, 'production')).toBe(true);
	});

	it.each(ALLOWED)('production: %s still reaches the page', (_name, input) => {
		expect(isBlockedKey(input, 'production')).toBe(false);
	});

	it.each(['dev', 'demo'] as const)(
		'%s: nothing is blocked (reload and DevTools work)',
		(profile) => {
			for (const [name, input] of [...BLOCKED, ...ALLOWED]) {
				expect(isBlockedKey(input, profile), name).toBe(false);
			}
		},
	);

	it('takes Electron’s own Input as it comes', () => {
		const input: Input = {
			type: 'keyDown',
			key: 'r',
			code: 'KeyR',
			isAutoRepeat: false,
			isComposing: false,
			shift: false,
			control: true,
			alt: false,
			meta: false,
			location: 0,
			modifiers: ['control'],
		};
		expect(isBlockedKey(input, 'production')).toBe(true);
	});
});
