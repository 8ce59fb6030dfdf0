/**
 * Settings ▸ Desktop and Global shortcuts: each switch and shortcut is saved by main and shows what main
 * answers; a refusal puts the setting back and says why beside the field main names; what the desktop made
 * of the settings (desktop.getStatus, then desktop:status) is shown beside each.
 */
import { render, screen, waitFor, within } from '@testing-library/svelte';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type {
	DesktopStatus,
	Result,
	Settings,
	SettingsError,
	SettingsPatch,
	UiPreferences,
} from '../../../../../preload/contract';
import { appContext } from '../../../../../renderer/src/lib/app-context';
import DesktopSettings from '../../../../../renderer/src/components/settings/DesktopSettings.svelte';
import { FAKE_DESKTOP_STATUS, FAKE_SETTINGS, fakeBridge } from '../../../../fakes/fake-bridge';

const UI: UiPreferences = {
	...FAKE_SETTINGS.ui,
	shortcuts: {
		answer: 'CommandOrControl+Shift+A',
		hangup: 'CommandOrControl+Shift+E',
		mute: null,
	},
};

type Answer = Result<Settings, SettingsError>;

interface Setup {
	ui?: UiPreferences;
	status?: DesktopStatus;
	platform?: string;
	/** Main's answer to a patch (default: saved as asked). */
	answer?: (patch: SettingsPatch, saved: Settings) => Answer | Promise<Answer>;
}

/** A patch section without its `undefined` fields (they leave a setting as it is). */
function defined<T extends object>(
	section: T | undefined,
): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
	return Object.fromEntries(
		Object.entries(section ?? {}).filter(([, value]) => value !== undefined),
	) as Partial<{ [K in keyof T]: Exclude<T[K], undefined> }>;
}

/** Saved as asked, the way main merges a patch. */
function applied(patch: SettingsPatch, settings: Settings): Settings {
	return {
		...settings,
		ui: {
			...settings.ui,
			...defined(patch.ui),
			shortcuts: { ...settings.ui.shortcuts, ...defined(patch.shortcuts) },
		},
	};
}

function setup({ ui = UI, status = FAKE_DESKTOP_STATUS, platform = 'linux', answer }: Setup = {}) {
	const settings: Settings = { ...FAKE_SETTINGS, ui };
	const update = vi.fn(async (patch: SettingsPatch): Promise<Answer> => {
		if (answer !== undefined) return answer(patch, settings);
		return { ok: true, value: applied(patch, settings) };
	});
	const getStatus = vi.fn(async () => status);
	const bridge = fakeBridge({ settings: { update }, desktop: { getStatus } });
	const view = render(DesktopSettings, {
		props: { ui, platform },
		context: appContext({ bridge }),
	});
	return { bridge, update, getStatus, view, user: userEvent.setup() };
}

const box = (name: string | RegExp) => screen.getByRole<HTMLInputElement>('checkbox', { name });
const shortcut = (name: string) => screen.getByRole('group', { name });
const keysOf = (name: string) =>
	within(shortcut(name))
		.getByTestId(/^shortcut-/)
		.textContent?.trim();
/** The words an element's `aria-describedby` points at. */
const description = (element: HTMLElement) =>
	(element.getAttribute('aria-describedby') ?? '')
		.split(' ')
		.map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
		.join(' ');

const REFUSED = (field: string, message: string): Answer => ({
	ok: false,
	error: { code: 'INVALID_SETTING', field, message },
});

describe('Settings ▸ Desktop: the switches', () => {
	it('shows each setting as main holds it, as a labelled checkbox', () => {
		setup({ ui: { ...UI, startMinimised: true, dialLinksImmediately: true } });
		expect(box('Start minimised in the tray').checked).toBe(true);
		expect(box('Start when I log in').checked).toBe(false);
		expect(box('Handle tel: and sip: links').checked).toBe(false);
		expect(box('Dial links at once').checked).toBe(true);
		expect(screen.getByRole('region', { name: 'Desktop' })).toBeTruthy();
	});

	it('says that handling links takes them from the app chosen for them today', () => {
		setup();
		expect(description(box('Handle tel: and sip: links'))).toBe(
			'Turning this on makes this app open phone and SIP links (tel:, sip:, sips:, callto:) instead of the app chosen for them today.',
		);
		expect(description(box('Dial links at once'))).toMatch(/instead of filling in the dialer/);
	});

	it.each([
		['Start minimised in the tray', 'startMinimised'],
		['Start when I log in', 'startAtLogin'],
		['Handle tel: and sip: links', 'handleLinks'],
		['Dial links at once', 'dialLinksImmediately'],
	] as const)(
		'“%s” saves %s through settings.update and shows main’s answer',
		async (label, key) => {
			const { user, update } = setup();
			await user.click(box(label));
			expect(update.mock.calls).toEqual([[{ ui: { [key]: true } }]]);
			await waitFor(() => expect(box(label).checked).toBe(true));
			expect(screen.queryByRole('alert')).toBeNull();
		},
	);

	it('shows the value main answers, even when it is not the one asked for', async () => {
		const { user } = setup({
			answer: (_patch, settings) => ({ ok: true, value: settings }),
		});
		await user.click(box('Start when I log in'));
		await waitFor(() => expect(box('Start when I log in').checked).toBe(false));
	});

	it('a refused save puts the box back and says why beside it', async () => {
		const { user } = setup({
			answer: () => ({
				ok: false,
				error: { code: 'SAVE_FAILED', message: 'The settings file could not be written.' },
			}),
		});
		await user.click(box('Handle tel: and sip: links'));
		const alert = await screen.findByRole('alert');
		expect(alert.textContent).toBe('The settings file could not be written.');
		expect(box('Handle tel: and sip: links').checked).toBe(false);
		expect(box('Handle tel: and sip: links').getAttribute('aria-invalid')).toBe('true');
		expect(description(box('Handle tel: and sip: links'))).toContain(
			'The settings file could not be written.',
		);
	});

	it('a save that fails on the way (the bridge throws) also puts the box back, in words', async () => {
		const { user } = setup({
			answer: () => Promise.reject(new Error('[INTERNAL] settings:update failed')),
		});
		await user.click(box('Start minimised in the tray'));
		expect((await screen.findByRole('alert')).textContent).toBe(
			'The setting could not be saved: [INTERNAL] settings:update failed',
		);
		expect(box('Start minimised in the tray').checked).toBe(false);
	});

	it('turning a setting off saves false', async () => {
		const { user, update } = setup({ ui: { ...UI, startAtLogin: true } });
		await user.click(box('Start when I log in'));
		expect(update.mock.calls).toEqual([[{ ui: { startAtLogin: false } }]]);
		await waitFor(() => expect(box('Start when I log in').checked).toBe(false));
	});
});

describe('Settings ▸ Desktop: what the desktop made of it', () => {
	it('shows the link and start-at-login problems beside their switches', async () => {
		setup({
			status: {
				...FAKE_DESKTOP_STATUS,
				links: {
					registered: false,
					problem: 'This desktop did not let the app handle sip: links.',
				},
				startAtLogin: {
					enabled: false,
					problem: 'The login item could not be written: permission denied.',
				},
			},
		});
		await screen.findByText('This desktop did not let the app handle sip: links.');
		expect(description(box('Handle tel: and sip: links'))).toContain(
			'This desktop did not let the app handle sip: links.',
		);
		expect(description(box('Start when I log in'))).toContain(
			'The login item could not be written: permission denied.',
		);
	});

	it('says plainly when the desktop has no tray, and nothing when it has one', async () => {
		const { getStatus } = setup();
		await waitFor(() => expect(getStatus).toHaveBeenCalled());
		expect(screen.queryByText(/cannot show a tray icon/)).toBeNull();
	});

	it('explains a desktop without a tray (closing minimises; the GNOME extension)', async () => {
		setup({ status: { ...FAKE_DESKTOP_STATUS, trayAvailable: false } });
		expect((await screen.findByTestId('no-tray')).textContent?.replace(/\s+/g, ' ').trim()).toBe(
			'This desktop cannot show a tray icon, so closing the window minimises the app instead of hiding it in the tray. On GNOME, the AppIndicator extension adds a tray.',
		);
	});

	it('follows desktop:status as main announces changes', async () => {
		const { bridge } = setup();
		await screen.findByRole('checkbox', { name: 'Handle tel: and sip: links' });
		bridge.emit('desktop:status', {
			...FAKE_DESKTOP_STATUS,
			links: { registered: false, problem: 'Another app took the tel: links back.' },
		});
		await screen.findByText('Another app took the tel: links back.');
		bridge.emit('desktop:status', FAKE_DESKTOP_STATUS);
		await waitFor(() =>
			expect(screen.queryByText('Another app took the tel: links back.')).toBeNull(),
		);
	});

	it('an announcement that arrives before main answers getStatus is not overwritten by the older answer', async () => {
		let answer: (status: DesktopStatus) => void = () => undefined;
		const getStatus = vi.fn(() => new Promise<DesktopStatus>((resolve) => (answer = resolve)));
		const bridge = fakeBridge({ desktop: { getStatus } });
		render(DesktopSettings, {
			props: { ui: UI, platform: 'linux' },
			context: appContext({ bridge }),
		});
		bridge.emit('desktop:status', { ...FAKE_DESKTOP_STATUS, wayland: true });
		answer(FAKE_DESKTOP_STATUS);
		await new Promise((resolve) => setTimeout(resolve, 0));
		expect(screen.getByTestId('wayland-note')).toBeTruthy();
	});
});

describe('Settings ▸ Global shortcuts', () => {
	it('shows each shortcut’s combination in this keyboard’s words, or None', () => {
		setup();
		expect(keysOf('Answer')).toBe('Ctrl+Shift+A');
		expect(keysOf('Hang up')).toBe('Ctrl+Shift+E');
		expect(keysOf('Mute')).toBe('None');
		expect(
			within(shortcut('Mute')).getByRole<HTMLButtonElement>('button', { name: 'None' }).disabled,
		).toBe(true);
	});

	it('names Cmd on macOS', () => {
		setup({ platform: 'darwin' });
		expect(keysOf('Answer')).toBe('Cmd+Shift+A');
	});

	it('Record captures the next combination, sends it as an accelerator and shows main’s answer', async () => {
		const { user, update } = setup();
		const record = within(shortcut('Mute')).getByRole('button', { name: 'Record' });
		await user.click(record);
		expect(record.getAttribute('aria-pressed')).toBe('true');
		expect(keysOf('Mute')).toBe('Press the keys…');
		await user.keyboard('{Control>}{Shift>}');
		// A modifier alone is not a combination: still listening, showing what is held.
		expect(update).not.toHaveBeenCalled();
		expect(keysOf('Mute')).toBe('Ctrl+Shift+…');
		await user.keyboard('[KeyK]{/Shift}{/Control}');
		expect(update.mock.calls).toEqual([[{ shortcuts: { mute: 'CommandOrControl+Shift+K' } }]]);
		await waitFor(() => expect(keysOf('Mute')).toBe('Ctrl+Shift+K'));
		expect(record.getAttribute('aria-pressed')).toBe('false');
	});

	it('records Cmd on macOS as CommandOrControl', async () => {
		const { user, update } = setup({ platform: 'darwin' });
		await user.click(within(shortcut('Answer')).getByRole('button', { name: 'Record' }));
		await user.keyboard('{Meta>}{Alt>}[KeyP]{/Alt}{/Meta}');
		expect(update.mock.calls).toEqual([[{ shortcuts: { answer: 'CommandOrControl+Alt+P' } }]]);
		await waitFor(() => expect(keysOf('Answer')).toBe('Cmd+Option+P'));
	});

	it('shows main’s refusal beside the shortcut it names, and keeps the combination main holds', async () => {
		const { user } = setup({
			answer: () =>
				REFUSED('shortcuts.hangup', 'CommandOrControl+Shift+A is already the shortcut to answer.'),
		});
		await user.click(within(shortcut('Hang up')).getByRole('button', { name: 'Record' }));
		await user.keyboard('{Control>}{Shift>}[KeyA]{/Shift}{/Control}');
		const alert = await within(shortcut('Hang up')).findByRole('alert');
		expect(alert.textContent).toBe('CommandOrControl+Shift+A is already the shortcut to answer.');
		expect(keysOf('Hang up')).toBe('Ctrl+Shift+E');
		expect(within(shortcut('Answer')).queryByRole('alert')).toBeNull();
	});

	it('a refusal naming another shortcut is shown beside that one', async () => {
		const { user } = setup({
			answer: () => REFUSED('shortcuts.answer', 'Choose another shortcut to answer first.'),
		});
		await user.click(within(shortcut('Mute')).getByRole('button', { name: 'Record' }));
		await user.keyboard('{Control>}{Shift>}[KeyA]{/Shift}{/Control}');
		await within(shortcut('Answer')).findByRole('alert');
		expect(within(shortcut('Mute')).queryByRole('alert')).toBeNull();
	});

	it('a reserved combination is refused by main in its own words', async () => {
		const { user, update } = setup({
			answer: (patch, settings) =>
				typeof patch.shortcuts?.mute === 'string'
					? REFUSED(
							'shortcuts.mute',
							`${patch.shortcuts.mute} is reserved by the system or by other apps.`,
						)
					: { ok: true, value: applied(patch, settings) },
		});
		await user.click(within(shortcut('Mute')).getByRole('button', { name: 'Record' }));
		await user.keyboard('{Control>}[KeyQ]{/Control}');
		expect(update.mock.calls).toEqual([[{ shortcuts: { mute: 'CommandOrControl+Q' } }]]);
		expect((await within(shortcut('Mute')).findByRole('alert')).textContent).toBe(
			'CommandOrControl+Q is reserved by the system or by other apps.',
		);
		// The next recording clears it; so does any other change.
		await user.click(within(shortcut('Mute')).getByRole('button', { name: 'Record' }));
		expect(within(shortcut('Mute')).queryByRole('alert')).toBeNull();
		await user.keyboard('{Control>}[KeyQ]{/Control}');
		await within(shortcut('Mute')).findByRole('alert');
		await user.click(within(shortcut('Hang up')).getByRole('button', { name: 'None' }));
		await waitFor(() => expect(within(shortcut('Mute')).queryByRole('alert')).toBeNull());
	});

	it('Escape cancels the recording: nothing is saved, and no other key handler sees it', async () => {
		const { user, update } = setup();
		const elsewhere = vi.fn();
		window.addEventListener('keydown', elsewhere);
		try {
			const record = within(shortcut('Answer')).getByRole('button', { name: 'Record' });
			await user.click(record);
			await user.keyboard('{Escape}');
			expect(record.getAttribute('aria-pressed')).toBe('false');
			expect(keysOf('Answer')).toBe('Ctrl+Shift+A');
			expect(update).not.toHaveBeenCalled();
			expect(elsewhere).not.toHaveBeenCalled();
			// Not recording any more: keys reach the page again.
			await user.keyboard('5');
			expect(elsewhere).toHaveBeenCalledTimes(1);
		} finally {
			window.removeEventListener('keydown', elsewhere);
		}
	});

	it('Tab moves on (the focus is never trapped) and ends the recording', async () => {
		const { user, update } = setup();
		const record = within(shortcut('Answer')).getByRole('button', { name: 'Record' });
		await user.click(record);
		await user.tab();
		expect(record.getAttribute('aria-pressed')).toBe('false');
		expect(document.activeElement).not.toBe(record);
		expect(update).not.toHaveBeenCalled();
	});

	it('a key a shortcut cannot use is refused at once, in words, without asking main', async () => {
		const { user, update } = setup();
		await user.click(within(shortcut('Answer')).getByRole('button', { name: 'Record' }));
		await user.keyboard('{Control>}{CapsLock}{/Control}');
		expect((await within(shortcut('Answer')).findByRole('alert')).textContent).toMatch(
			/^A shortcut cannot use the CapsLock key/,
		);
		expect(update).not.toHaveBeenCalled();
	});

	it('None removes the shortcut', async () => {
		const { user, update } = setup();
		await user.click(within(shortcut('Hang up')).getByRole('button', { name: 'None' }));
		expect(update.mock.calls).toEqual([[{ shortcuts: { hangup: null } }]]);
		await waitFor(() => expect(keysOf('Hang up')).toBe('None'));
	});

	it('shows each registration problem beside its shortcut', async () => {
		setup({
			status: {
				...FAKE_DESKTOP_STATUS,
				shortcuts: [
					{
						action: 'hangup',
						message:
							'CommandOrControl+Shift+E is already used by another application; choose another shortcut.',
					},
				],
			},
		});
		await within(shortcut('Hang up')).findByText(
			'CommandOrControl+Shift+E is already used by another application; choose another shortcut.',
		);
		expect(within(shortcut('Answer')).queryByText(/already used/)).toBeNull();
	});

	it('says once, on Wayland, that global shortcuts may not work there', async () => {
		setup({ status: { ...FAKE_DESKTOP_STATUS, wayland: true } });
		expect(
			(await screen.findByTestId('wayland-note')).textContent?.replace(/\s+/g, ' ').trim(),
		).toBe(
			'On Wayland, global shortcuts work only where the desktop supports them, and may not work at all.',
		);
	});

	it('says nothing about Wayland elsewhere', async () => {
		const { getStatus } = setup();
		await waitFor(() => expect(getStatus).toHaveBeenCalled());
		expect(screen.queryByTestId('wayland-note')).toBeNull();
	});
});
