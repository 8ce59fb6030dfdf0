/**
 * Electron smoke tests: the packaged wiring — window, preload, IPC, security flags, single instance — in a
 * real Electron. They run wherever an Electron binary exists and report themselves skipped, by name and
 * with the reason, everywhere else (never a silent pass).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { findElectronBinary, NO_ELECTRON_REASON } from '../support/electron-binary';

const binary = findElectronBinary();
const appDir = fileURLToPath(new URL('../../../', import.meta.url));

interface TestHooks {
	tray: { tooltip: string; labels: string[] };
	links: { url: string; ok: boolean }[];
}

const hooks = (app: ElectronApplication) =>
	app.evaluate(
		() => (globalThis as unknown as { __softphoneTestHooks: TestHooks }).__softphoneTestHooks,
	);

async function launch(extraArgs: string[] = [], home?: string): Promise<ElectronApplication> {
	const userHome = home ?? (await mkdtemp(path.join(tmpdir(), 'softphone-electron-')));
	return electron.launch({
		executablePath: binary!,
		args: [appDir, '--profile=dev', '--expose-test-hooks', ...extraArgs],
		env: { ...process.env, HOME: userHome, XDG_CONFIG_HOME: path.join(userHome, '.config') },
	});
}

test.describe('Electron smoke', () => {
	test.skip(binary === null, NO_ELECTRON_REASON);

	test('Electron smoke: launch opens one sandboxed, context-isolated window on app://softphone', async () => {
		const app = await launch();
		try {
			const window = await app.firstWindow();
			expect(window.url()).toBe('app://softphone/index.html');
			await expect(window.getByRole('heading', { name: 'Telnyx Softphone' })).toBeVisible();
			expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(
				1,
			);
			// Sandboxed and context-isolated: the page's world has neither Node nor Electron's IPC.
			const world = await window.evaluate(() => {
				const g = globalThis as { require?: unknown; process?: unknown; ipcRenderer?: unknown };
				return [typeof g.require, typeof g.process, typeof g.ipcRenderer];
			});
			expect(world).toEqual(['undefined', 'undefined', 'undefined']);
			const csp = await window.evaluate(async () =>
				(await fetch('/index.html')).headers.get('content-security-policy'),
			);
			expect(csp).toContain("default-src 'none'");
		} finally {
			await app.close();
		}
	});

	test('Electron smoke: the preload bridge answers through the IPC guard', async () => {
		const app = await launch();
		try {
			const window = await app.firstWindow();
			const info = await window.evaluate(() =>
				(
					window as unknown as { softphone: { app: { getInfo(): Promise<{ profile: string }> } } }
				).softphone.app.getInfo(),
			);
			expect(info.profile).toBe('dev');
		} finally {
			await app.close();
		}
	});

	test('Electron smoke: a second launch hands over to the first (and its link) and exits', async () => {
		const home = await mkdtemp(path.join(tmpdir(), 'softphone-electron-'));
		const first = await launch([], home);
		try {
			await first.firstWindow();
			const second = await launch(['tel:+13125550142'], home);
			await expect.poll(() => second.process().exitCode, { timeout: 10_000 }).not.toBeNull();
			expect(first.windows()).toHaveLength(1);
			await expect
				.poll(async () => (await hooks(first)).links)
				.toEqual([{ url: 'tel:+13125550142', ok: true }]);
		} finally {
			await first.close();
		}
	});

	test('Electron smoke: the tray shows the state in words and offers its menu', async () => {
		const app = await launch();
		try {
			await app.firstWindow();
			await expect
				.poll(async () => (await hooks(app)).tray.tooltip)
				.toMatch(/^Telnyx Softphone — /);
			const { labels } = (await hooks(app)).tray;
			expect(labels).toEqual(
				expect.arrayContaining([
					'Open dialer…',
					'Do not disturb',
					'Start at login',
					'Show window',
					'Quit',
				]),
			);
		} finally {
			await app.close();
		}
	});

	test('Electron smoke: a link on the command line reaches main and is accepted there', async () => {
		const app = await launch(['sip:alice@sip.telnyx.com']);
		try {
			await app.firstWindow();
			await expect
				.poll(async () => (await hooks(app)).links)
				.toEqual([{ url: 'sip:alice@sip.telnyx.com', ok: true }]);
		} finally {
			await app.close();
		}
	});
});
