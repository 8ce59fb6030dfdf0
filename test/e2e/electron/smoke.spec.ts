/**
 * Electron smoke tests: the packaged wiring — window, preload, IPC, security flags, single instance — in a
 * real Electron. They run wherever an Electron binary exists and report themselves skipped, by name and
 * with the reason, everywhere else (never a silent pass).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { selfSignedCertificate } from '../../support/self-signed';
import { findElectronBinary, NO_ELECTRON_REASON } from '../support/electron-binary';

const binary = findElectronBinary();
const appDir = fileURLToPath(new URL('../../../', import.meta.url));

/** What main/electron/test-hooks.ts exposes, as it crosses `app.evaluate` (functions called there). */
interface TestHooks {
	tray: { tooltip: string; labels: string[] };
	links: { url: string; ok: boolean }[];
	linkRegistrations: { scheme: string; path: string; args: string[] }[];
	notificationsHeld: number;
	activated: string[];
}

const hooks = (app: ElectronApplication) =>
	app.evaluate((): TestHooks => {
		const raw = (
			globalThis as unknown as {
				__softphoneTestHooks: Omit<TestHooks, 'notificationsHeld'> & {
					notificationsHeld: () => number;
				};
			}
		).__softphoneTestHooks;
		return { ...raw, notificationsHeld: raw.notificationsHeld() };
	});

/** Calls a contract method through the page's own bridge (`window.softphone`). */
function bridge<T>(
	page: Awaited<ReturnType<ElectronApplication['firstWindow']>>,
	call: string,
	arg: unknown,
): Promise<T> {
	return page.evaluate(
		async ([path, value]) => {
			const [ns, method] = path.split('.') as [string, string];
			const api = (
				globalThis as unknown as {
					softphone: Record<string, Record<string, (a: unknown) => Promise<unknown>>>;
				}
			).softphone;
			return (await api[ns]![method]!(value)) as never;
		},
		[call, arg] as const,
	);
}

const RINGING = {
	connection: 'registered',
	call: {
		id: 'smoke-call-1',
		remote: '+13125550142',
		remoteName: 'Ada',
		phase: 'ringing',
		direction: 'inbound',
		muted: false,
		held: false,
		video: false,
	},
	installations: [],
	recent: [],
};

interface LaunchOptions {
	readonly profile?: 'dev' | 'production';
	/** Added to the app's environment. */
	readonly env?: Readonly<Record<string, string>>;
}

async function launch(
	extraArgs: string[] = [],
	home?: string,
	{ profile = 'dev', env = {} }: LaunchOptions = {},
): Promise<ElectronApplication> {
	const userHome = home ?? (await mkdtemp(path.join(tmpdir(), 'softphone-electron-')));
	return electron.launch({
		executablePath: binary!,
		args: [appDir, `--profile=${profile}`, '--expose-test-hooks', ...extraArgs],
		env: {
			...process.env,
			HOME: userHome,
			XDG_CONFIG_HOME: path.join(userHome, '.config'),
			...env,
		},
	});
}

/**
 * An HTTPS server on 127.0.0.1 with a self-signed certificate (made with the openssl CLI), counting the
 * connections and HTTP requests it gets.
 */
async function startDecoy() {
	const counts = { connections: 0, requests: 0 };
	const server = createServer(selfSignedCertificate(), (_request, response) => {
		counts.requests++;
		response.end('{}');
	});
	server.on('connection', () => counts.connections++);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/v2/balance`,
		counts,
		close: () => {
			server.closeAllConnections();
			server.close();
		},
	};
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
			// The preload itself ran sandboxed (it records `process.sandboxed` in its own world, 999).
			const preload: unknown = await app.evaluate(({ BrowserWindow }) =>
				BrowserWindow.getAllWindows()[0]?.webContents.executeJavaScriptInIsolatedWorld(999, [
					{ code: 'globalThis.__softphonePreload' },
				]),
			);
			expect(preload).toEqual({ sandboxed: true });
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

	test('Electron smoke: production has no reload and no developer tools (menu, window, keys)', async () => {
		const app = await launch([], undefined, { profile: 'production' });
		try {
			const window = await app.firstWindow();
			await expect(window.getByRole('heading', { name: 'Telnyx Softphone' })).toBeVisible();
			const shell = await app.evaluate(async ({ BrowserWindow, Menu }) => {
				const roles: string[] = [];
				const walk = (menu: ReturnType<typeof Menu.getApplicationMenu> | undefined): void => {
					for (const item of menu?.items ?? []) {
						if (item.role !== undefined) roles.push(item.role.toLowerCase());
						walk(item.submenu);
					}
				};
				walk(Menu.getApplicationMenu());
				// With `devTools: false` this is a no-op; with the tools allowed it opens them.
				const contents = BrowserWindow.getAllWindows()[0]?.webContents;
				contents?.openDevTools({ mode: 'detach' });
				await new Promise((resolve) => setTimeout(resolve, 500));
				return { roles, devToolsOpened: contents?.isDevToolsOpened() };
			});
			expect(shell.roles).toEqual(expect.arrayContaining(['copy', 'paste', 'selectall']));
			for (const role of ['reload', 'forcereload', 'toggledevtools', 'viewmenu']) {
				expect(shell.roles).not.toContain(role);
			}
			expect(shell.devToolsOpened).toBe(false);

			// Electron's default menu reloaded on these (dropping live calls) and opened the DevTools.
			await window.evaluate(() => Object.assign(globalThis, { __notReloaded: true }));
			for (const key of [
				'F5',
				'ControlOrMeta+R',
				'ControlOrMeta+Shift+R',
				'Control+Shift+I',
				'F12',
			]) {
				await window.keyboard.press(key);
			}
			await window.waitForTimeout(500);
			expect(await window.evaluate(() => '__notReloaded' in globalThis)).toBe(true);
			expect(
				await app.evaluate(({ BrowserWindow }) =>
					BrowserWindow.getAllWindows().some((win) => win.webContents.isDevToolsOpened()),
				),
			).toBe(false);
		} finally {
			await app.close();
		}
	});

	test('Electron smoke: off Mac, the menu has File ▸ Quit (the way out when there is no tray)', async () => {
		test.skip(process.platform === 'darwin', 'macOS has the app menu’s Quit');
		const app = await launch();
		try {
			await app.firstWindow();
			const file = await app.evaluate(({ Menu }) =>
				Menu.getApplicationMenu()
					?.items.find((item) => item.label === 'File')
					?.submenu?.items.map((item) => item.role?.toLowerCase()),
			);
			expect(file).toEqual(['quit']);
		} finally {
			await app.close();
		}
	});

	test('Electron smoke: activate (a Dock click) shows the hidden main window again', async () => {
		const app = await launch();
		try {
			await app.firstWindow();
			await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.hide());
			await app.evaluate(({ app: electronApp }) => electronApp.emit('activate'));
			await expect
				.poll(() =>
					app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isVisible()),
				)
				.toBe(true);
			expect((await hooks(app)).activated).toEqual(['show']);
		} finally {
			await app.close();
		}
	});

	test('Electron smoke: an incoming-call notification is held until its call stops ringing', async () => {
		const app = await launch();
		try {
			const window = await app.firstWindow();
			const supported = await app.evaluate(({ Notification }) => Notification.isSupported());
			test.skip(!supported, 'this desktop shows no notifications');
			await bridge(window, 'desktop.report', RINGING);
			await expect.poll(async () => (await hooks(app)).notificationsHeld).toBe(1);
			await bridge(window, 'desktop.report', { ...RINGING, call: null });
			await expect.poll(async () => (await hooks(app)).notificationsHeld).toBe(0);
		} finally {
			await app.close();
		}
	});

	test('Electron smoke: links are registered only once the user turns them on and confirms, with the app’s folder in development', async () => {
		test.skip(
			process.platform === 'darwin',
			'a development run on macOS cannot take links, by design',
		);
		const app = await launch();
		try {
			const window = await app.firstWindow();
			await window.waitForTimeout(500);
			expect((await hooks(app)).linkRegistrations).toEqual([]);
			// Main asks the user first (a native dialog): its answer is scripted here, as "yes".
			await app.evaluate(({ dialog }) => {
				Object.assign(dialog, {
					showMessageBox: () => Promise.resolve({ response: 1, checkboxChecked: false }),
				});
			});
			await bridge(window, 'settings.update', { ui: { handleLinks: true } });
			await expect
				.poll(async () => (await hooks(app)).linkRegistrations.map((r) => r.scheme))
				.toEqual(['tel', 'sip', 'sips', 'callto']);
			const [first] = (await hooks(app)).linkRegistrations;
			expect(first?.path).toBe(binary);
			expect(first?.args).toEqual([path.resolve(appDir), '--profile=dev']);
		} finally {
			await app.close();
		}
	});

	test('Electron smoke: quitting during a call asks first, and keeps the call when told to', async () => {
		const app = await launch();
		try {
			const window = await app.firstWindow();
			await bridge(window, 'desktop.report', {
				...RINGING,
				call: { ...RINGING.call, phase: 'active' },
			});
			// The native question cannot be clicked from here: its answer is scripted in main.
			await app.evaluate(({ dialog, app: electronApp }) => {
				Object.assign(dialog, {
					showMessageBox: () => Promise.resolve({ response: 0, checkboxChecked: false }),
				});
				electronApp.quit();
			});
			await window.waitForTimeout(500);
			expect(app.process().exitCode).toBeNull();
			await expect(window.getByRole('heading', { name: 'Telnyx Softphone' })).toBeVisible();
		} finally {
			await bridge(await app.firstWindow(), 'desktop.report', { ...RINGING, call: null });
			await app.close();
		}
	});

	test('Electron smoke: the log is written at app.getPath("logs")', async () => {
		const app = await launch();
		try {
			await app.firstWindow();
			const logs = await app.evaluate(({ app: electronApp }) => electronApp.getPath('logs'));
			await expect
				.poll(() =>
					existsSync(path.join(logs, 'main.log'))
						? readFileSync(path.join(logs, 'main.log'), 'utf8')
						: '',
				)
				.toContain('"event":"app.started"');
		} finally {
			await app.close();
		}
	});

	test('Electron smoke: a resized main window reopens at that size after a relaunch', async () => {
		const home = await mkdtemp(path.join(tmpdir(), 'softphone-electron-'));
		const size = { width: 900, height: 700 };
		const first = await launch([], home);
		try {
			await first.firstWindow();
			const userData = await first.evaluate(({ app }) => app.getPath('userData'));
			await first.evaluate(({ BrowserWindow }, bounds) => {
				BrowserWindow.getAllWindows()[0]?.setSize(bounds.width, bounds.height);
			}, size);
			// Saved debounced (main/window-state-file.ts): wait for the file, not for a fixed time.
			const saved = () => {
				try {
					return JSON.parse(
						readFileSync(path.join(userData, 'window-state.json'), 'utf8'),
					) as unknown;
				} catch {
					return null;
				}
			};
			await expect.poll(saved).toMatchObject({ version: 1, bounds: size, maximised: false });
			// Geometry only: nothing else is written to the file.
			expect(Object.keys(saved() as object).sort()).toEqual(['bounds', 'maximised', 'version']);
		} finally {
			await first.close();
		}
		const second = await launch([], home);
		try {
			await second.firstWindow();
			const bounds = await second.evaluate(({ BrowserWindow }) =>
				BrowserWindow.getAllWindows()[0]?.getBounds(),
			);
			expect(bounds).toMatchObject(size);
		} finally {
			await second.close();
		}
	});

	test('Electron smoke: launched with NODE_TLS_REJECT_UNAUTHORIZED=0 and SSLKEYLOGFILE, a self-signed decoy gets nothing and no TLS keys are written', async () => {
		const dir = await mkdtemp(path.join(tmpdir(), 'softphone-tls-'));
		const keyLog = path.join(dir, 'tls-keys.log');
		const decoy = await startDecoy();
		const app = await launch([], undefined, {
			env: { NODE_TLS_REJECT_UNAUTHORIZED: '0', SSLKEYLOGFILE: keyLog },
		});
		try {
			await app.firstWindow();
			// Main's Node `fetch` (the REST client's transport) and Chromium's network stack (the page's).
			const outcome = await app.evaluate(async ({ net }, url) => {
				const refusedOrAnswered = (request: Promise<unknown>) =>
					request.then(
						() => 'answered',
						() => 'refused',
					);
				return {
					node: await refusedOrAnswered(fetch(url)),
					chromium: await refusedOrAnswered(net.fetch(url)),
				};
			}, decoy.url);
			expect(outcome).toEqual({ node: 'refused', chromium: 'refused' });
			expect(decoy.counts.requests).toBe(0);
			// Both reached the decoy: the handshake is where they stopped.
			expect(decoy.counts.connections).toBeGreaterThanOrEqual(2);
			// Chromium writes its key log from a background thread: give it time to show up if it would.
			await new Promise((resolve) => setTimeout(resolve, 1000));
			expect(existsSync(keyLog) ? readFileSync(keyLog, 'utf8') : '').toBe('');
		} finally {
			await app.close();
			decoy.close();
		}
	});
});
