/**
 * Settings ▸ Desktop, Global shortcuts and About end to end: the built renderer in Chromium, through the real
 * preload bridge and IPC guard, to the real main services, whose shell ports (link registration, login item,
 * global shortcuts, file manager) are recording stand-ins here. Each switch flipped in the page changes
 * main's settings and reaches its port; what the ports answer is shown in Settings; main's refusal of a
 * shortcut is shown in its words; About shows the versions and opens the logs folder; an error thrown in the
 * page lands in main's log.
 */
import { readFile } from 'node:fs/promises';
import { expect, type Page } from '@playwright/test';
import { recordingShell } from '../../support/recording-shell';
import type { AppInstance } from '../support/app-harness';
import { sandboxTest } from '../support/fixtures';
import { checkScreen, onboard } from '../support/softphone-helpers';

const test = sandboxTest();

/** A sentence as a pattern that finds it inside a longer text (an accessible description). */
const containing = (sentence: string) =>
	new RegExp(sentence.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

async function openSettings(page: Page): Promise<void> {
	await page.getByRole('button', { name: 'Settings' }).click();
	await expect(page.getByRole('heading', { name: 'Desktop' })).toBeVisible();
}

const ui = (app: AppInstance) => app.services.settings.get().ui;
const shortcut = (page: Page, name: string) => page.getByRole('group', { name, exact: true });

test('each Desktop switch is saved by main and reaches the desktop; turning one off does too', async ({
	sandbox,
	launch,
}, testInfo) => {
	const shell = recordingShell();
	const app = await launch('Ada desk', { shell });
	await onboard(app.page, sandbox.apiKey, { name: 'Ada', number: '+13125550142' });
	await openSettings(app.page);
	const box = (name: string) => app.page.getByRole('checkbox', { name, exact: true });
	for (const name of [
		'Start minimised in the tray',
		'Start when I log in',
		'Handle tel: and sip: links',
		'Dial links at once',
	])
		await expect(box(name)).not.toBeChecked();
	// Nothing is taken from the app the user chose for links until they say so.
	expect(shell.calls.filter((call) => call.startsWith('links:'))).toEqual([]);
	await checkScreen(app.page, testInfo, 'settings: desktop');

	await box('Start minimised in the tray').check();
	await expect.poll(() => ui(app).startMinimised).toBe(true);
	await expect(box('Start minimised in the tray')).toBeChecked();

	await box('Start when I log in').check();
	await expect.poll(() => ui(app).startAtLogin).toBe(true);
	await expect.poll(() => shell.calls).toContain('login:true');
	await expect(box('Start when I log in')).toBeChecked();

	await box('Handle tel: and sip: links').check();
	await expect.poll(() => ui(app).handleLinks).toBe(true);
	expect(shell.calls).toContain('links:true');
	await expect(box('Handle tel: and sip: links')).toBeChecked();

	await box('Dial links at once').check();
	await expect.poll(() => ui(app).dialLinksImmediately).toBe(true);
	await expect(box('Dial links at once')).toBeChecked();

	await box('Start when I log in').uncheck();
	await expect.poll(() => ui(app).startAtLogin).toBe(false);
	await expect.poll(() => shell.calls.at(-1)).toBe('login:false');
	await box('Handle tel: and sip: links').uncheck();
	await expect.poll(() => ui(app).handleLinks).toBe(false);
	expect(shell.calls.at(-1)).toBe('links:false');
	await expect(app.page.getByRole('alert')).toHaveCount(0);

	// "Dial links at once" works: a link now places the call instead of filling in the dialer.
	expect(sandbox.admin.calls()).toHaveLength(0);
	expect(app.services.desktop.handleLink('tel:+13125550199')).toMatchObject({ ok: true });
	await expect.poll(() => sandbox.admin.calls().length).toBe(1);
	await expect(app.page.getByTestId('call-phase')).toBeVisible();
});

test('a switch that acts outside the app stays off when the user does not confirm main’s question', async ({
	sandbox,
	launch,
}) => {
	const shell = recordingShell();
	shell.consent = false;
	const app = await launch('Ada desk', { shell });
	await onboard(app.page, sandbox.apiKey, { name: 'Ada', number: null });
	await openSettings(app.page);
	const box = app.page.getByRole('checkbox', { name: 'Handle tel: and sip: links', exact: true });
	// The box cannot stay checked: main refuses without the user's yes.
	await box.click();
	await expect(app.page.getByText('Not turned on: you did not confirm it.')).toBeVisible();
	await expect(box).not.toBeChecked();
	expect(ui(app).handleLinks).toBe(false);
	expect(shell.calls).toContain('confirm:handleLinks');
	expect(shell.calls.filter((call) => call.startsWith('links:'))).toEqual([]);
});

test('what the desktop refuses is shown in Settings: link registration, the login item, no tray', async ({
	sandbox,
	launch,
}) => {
	const shell = recordingShell();
	shell.linkProblem =
		'The desktop did not let this app open sip: links; the app chosen for them stays.';
	shell.loginProblem = 'The login item could not be written: the autostart folder is read-only.';
	const app = await launch('Ada desk', {
		shell,
		desktopFacts: { trayAvailable: false, wayland: false },
	});
	await onboard(app.page, sandbox.apiKey, { name: 'Ada', number: null });
	await openSettings(app.page);
	const page = app.page;
	await expect(page.getByText(/This desktop cannot show a tray icon/)).toBeVisible();
	await expect(page.getByText(/AppIndicator extension/)).toBeVisible();

	await page.getByRole('checkbox', { name: 'Handle tel: and sip: links' }).check();
	await expect(page.getByText(shell.linkProblem)).toBeVisible();
	await expect(
		page.getByRole('checkbox', { name: 'Handle tel: and sip: links' }),
	).toHaveAccessibleDescription(containing(shell.linkProblem));

	await page.getByRole('checkbox', { name: 'Start when I log in' }).check();
	await expect(page.getByText(shell.loginProblem)).toBeVisible();
	expect(shell.calls).toContain('login:true');
	// Without global shortcut trouble or Wayland, nothing is said about them.
	await expect(page.getByText(/On Wayland/)).toHaveCount(0);
});

test('global shortcuts: a recorded combination is saved and registered; a clash and a taken combination are explained', async ({
	sandbox,
	launch,
}, testInfo) => {
	const shell = recordingShell();
	shell.heldElsewhere.add('CommandOrControl+Alt+J');
	const app = await launch('Ada desk', {
		shell,
		desktopFacts: { trayAvailable: true, wayland: true },
	});
	await onboard(app.page, sandbox.apiKey, { name: 'Ada', number: null });
	await openSettings(app.page);
	const page = app.page;
	await expect(
		page.getByText(
			'On Wayland, global shortcuts work only where the desktop supports them, and may not work at all.',
		),
	).toBeVisible();
	await expect(shortcut(page, 'Answer').getByTestId('shortcut-answer')).toHaveText('Ctrl+Shift+A');
	await expect(shortcut(page, 'Mute').getByTestId('shortcut-mute')).toHaveText('Ctrl+Shift+M');

	// Mute: a new combination, pressed as a user would.
	await shortcut(page, 'Mute').getByRole('button', { name: 'Record' }).click();
	await expect(shortcut(page, 'Mute').getByRole('button', { name: 'Record' })).toHaveAttribute(
		'aria-pressed',
		'true',
	);
	await checkScreen(page, testInfo, 'settings: recording a shortcut');
	await page.keyboard.press('Control+Shift+K');
	await expect.poll(() => ui(app).shortcuts.mute).toBe('CommandOrControl+Shift+K');
	await expect(shortcut(page, 'Mute').getByTestId('shortcut-mute')).toHaveText('Ctrl+Shift+K');
	expect(shell.calls.at(-1)).toBe(
		`shortcuts:${JSON.stringify({ answer: 'CommandOrControl+Shift+A', hangup: 'CommandOrControl+Shift+E', mute: 'CommandOrControl+Shift+K' })}`,
	);

	// Hang up on Answer's combination: main refuses, in its words, beside Hang up; nothing changes.
	const before = app.services.settings.get();
	await shortcut(page, 'Hang up').getByRole('button', { name: 'Record' }).click();
	await page.keyboard.press('Control+Shift+A');
	await expect(shortcut(page, 'Hang up').getByRole('alert')).toHaveText(
		'CommandOrControl+Shift+A is already the shortcut to answer.',
	);
	await expect(shortcut(page, 'Hang up').getByTestId('shortcut-hangup')).toHaveText('Ctrl+Shift+E');
	expect(app.services.settings.get()).toBe(before);

	// Escape cancels: nothing is asked of main.
	const calls = shell.calls.length;
	await shortcut(page, 'Hang up').getByRole('button', { name: 'Record' }).click();
	await page.keyboard.press('Escape');
	await expect(shortcut(page, 'Hang up').getByRole('button', { name: 'Record' })).toHaveAttribute(
		'aria-pressed',
		'false',
	);
	expect(shell.calls).toHaveLength(calls);
	expect(app.services.settings.get()).toBe(before);

	// Answer on a combination another application holds: saved, but the desktop said no; shown beside it.
	await shortcut(page, 'Answer').getByRole('button', { name: 'Record' }).click();
	await page.keyboard.press('Control+Alt+J');
	await expect.poll(() => ui(app).shortcuts.answer).toBe('CommandOrControl+Alt+J');
	await expect(
		shortcut(page, 'Answer').getByText(
			'CommandOrControl+Alt+J is already used by another application; choose another shortcut.',
		),
	).toBeVisible();
	await expect(shortcut(page, 'Mute').getByText(/already used/)).toHaveCount(0);

	// None: no shortcut, and the problem goes with it.
	await shortcut(page, 'Answer').getByRole('button', { name: 'None' }).click();
	await expect.poll(() => ui(app).shortcuts.answer).toBeNull();
	await expect(shortcut(page, 'Answer').getByTestId('shortcut-answer')).toHaveText('None');
	await expect(shortcut(page, 'Answer').getByText(/already used/)).toHaveCount(0);
	expect(shell.calls.at(-1)).toContain('"answer":null');
});

test('About shows the versions and opens the logs folder, or says why it could not', async ({
	sandbox,
	launch,
}, testInfo) => {
	const shell = recordingShell();
	const app = await launch('Ada desk', { shell });
	await onboard(app.page, sandbox.apiKey, { name: 'Ada', number: null });
	const page = app.page;
	await page.getByRole('button', { name: 'About' }).click();
	const sdk = JSON.parse(
		await readFile(
			new URL('../../../node_modules/@telnyx/webrtc/package.json', import.meta.url),
			'utf8',
		),
	) as { version: string };
	await expect(page.getByTestId('app-version')).toHaveText('0.0.0-e2e');
	// The harness runs main's services in Node, not in Electron.
	await expect(page.getByTestId('electron-version')).toHaveText('not running in Electron');
	await expect(page.getByTestId('chromium-version')).toHaveText(/unknown/);
	await expect(page.getByTestId('node-version')).toHaveText(process.versions.node);
	await expect(page.getByTestId('sdk-version')).toHaveText(sdk.version);
	await checkScreen(page, testInfo, 'about');

	await page.getByRole('button', { name: 'Open logs folder' }).click();
	await expect.poll(() => shell.calls).toContain('openLogsFolder');
	await expect(page.getByRole('alert')).toHaveCount(0);

	// The port's refusal is shown in main's words.
	shell.logsProblem = 'no file manager is installed.';
	await page.getByRole('button', { name: 'Open logs folder' }).click();
	await expect(page.getByRole('alert')).toHaveText(
		'The logs folder could not be opened: no file manager is installed.',
	);
	// Main opens at most three file-manager windows in ten minutes (a page cannot open them in a loop).
	await page.getByRole('button', { name: 'Open logs folder' }).click();
	await expect.poll(() => shell.calls.filter((call) => call === 'openLogsFolder').length).toBe(3);
	await page.getByRole('button', { name: 'Open logs folder' }).click();
	await expect(page.getByRole('alert')).toHaveText('The logs folder was opened a moment ago.');
	expect(shell.calls.filter((call) => call === 'openLogsFolder')).toHaveLength(3);
});

test('an error thrown in the page, and a rejection nobody handled, are written to main’s log', async ({
	launch,
}) => {
	const app = await launch('Ada desk');
	await expect(app.page.getByLabel('Telnyx API key')).toBeVisible();
	const logged = () =>
		app.log
			.map((line) => JSON.parse(line) as Record<string, unknown>)
			.filter((entry) => entry['event'] === 'renderer.error');

	await app.page.evaluate(() =>
		setTimeout(() => {
			throw new Error('boom');
		}),
	);
	await expect.poll(() => logged().map((entry) => entry['message'])).toEqual(['Error: boom']);
	expect(logged()[0]).toMatchObject({ level: 'error', kind: 'error' });
	expect(String(logged()[0]?.['stack'])).toContain('boom');

	await app.page.evaluate(() => {
		void Promise.reject(new Error('nobody caught this'));
	});
	await expect
		.poll(() => logged().map((entry) => entry['message']))
		.toEqual(['Error: boom', 'Unhandled rejection: Error: nobody caught this']);
	expect(logged()[1]).toMatchObject({ kind: 'unhandledrejection' });
});
