/**
 * Runs one app instance without Electron: the real main services (own user-data folder) and the real IPC
 * guard in this test process, the built renderer in a Chromium page, served by the app's own file server
 * with its production CSP, and `window.softphone` built by the real preload code over a Playwright binding.
 * Only Electron's transport is replaced: `ipcMain.handle` by `TestIpcMain`, `webContents.send` by
 * `page.evaluate`.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import type { Endpoints, EventMap, IpcReply } from '../../../preload/contract';
import { APP_HOST, APP_SCHEME } from '../../../main/app-protocol';
import type { IpcMainLike, InvokeEventLike } from '../../../main/ipc/register-ipc';
import { createLogger, type Logger } from '../../../main/logger';
import type { ProfileConfig } from '../../../main/profile';
import type { DesktopPorts } from '../../../main/desktop/desktop-service';
import type { DesktopFacts } from '../../../main/desktop/desktop-settings';
import type { ShellPorts } from '../../../main/desktop/shell-ports';
import type { KeychainBackend } from '../../../main/secrets/secret-store';
import type { MainServices } from '../../../main/services';
import { rendererFileServer, wireIpc } from '../../../main/wiring';
import { testServices } from '../../support/test-services';
import { E2E_DIST } from './global-setup';
import { recordPageCoverage } from './page-coverage';
import { serve, type StaticServer } from './static-server';

const RENDERER_ROOT = fileURLToPath(new URL('../../../dist/renderer', import.meta.url));
/** The SDK the renderer was built with, as the app's build passes it to main (see main/electron/desktop.ts). */
const TELNYX_SDK_VERSION = (
	JSON.parse(
		readFileSync(
			fileURLToPath(new URL('../../../node_modules/@telnyx/webrtc/package.json', import.meta.url)),
			'utf8',
		),
	) as { version: string }
).version;

/** `ipcMain` for the harness: records handlers and dispatches binding calls to them. */
export class TestIpcMain implements IpcMainLike {
	readonly #handlers = new Map<
		string,
		(event: InvokeEventLike, ...args: unknown[]) => Promise<IpcReply>
	>();
	/** Every channel the page asked for, handled or not. */
	readonly calls: string[] = [];

	handle(
		channel: string,
		listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<IpcReply>,
	): void {
		this.#handlers.set(channel, listener);
	}

	async invoke(channel: string, event: InvokeEventLike, args: unknown[]): Promise<IpcReply> {
		this.calls.push(channel);
		const handler = this.#handlers.get(channel);
		// Electron rejects an invoke on a channel nobody handles; the harness answers the same refusal as data.
		if (handler === undefined) {
			return {
				ok: false,
				error: { code: 'UNKNOWN_CHANNEL', message: `No handler registered for '${channel}'` },
			};
		}
		// Structured clone, as Electron's IPC does: no functions, prototypes or shared objects cross.
		return handler(event, ...structuredClone(args));
	}
}

export interface AppInstance {
	readonly page: Page;
	readonly context: BrowserContext;
	readonly services: MainServices;
	readonly ipc: TestIpcMain;
	readonly userDataDir: string;
	/** Log lines main wrote, already redacted. */
	readonly log: string[];
	/** The page's own origin, as the sender check sees it. */
	readonly appUrl: string;
	/**
	 * Closes the instance. `keepUserData` keeps its user-data folder and keychain entries, so a
	 * `launchApp` with the same `userDataDir` is the same installation restarted.
	 */
	close(options?: { readonly keepUserData?: boolean }): Promise<void>;
}

export interface LaunchOptions {
	/** Where the instance talks to the sandbox; `iceServers` as a sandbox hands out its STUN/TURN servers. */
	readonly endpoints: Endpoints;
	readonly name?: string;
	/** The computer's name, which names the instance's telephony credential. */
	readonly deviceName?: string;
	/** Test instrumentation injected before the app's own scripts (e.g. collecting peer connections). */
	readonly initScripts?: readonly string[];
	/** Stand-ins for the tray, notifications, window and power (Electron's in the app). */
	readonly desktop?: DesktopPorts;
	/**
	 * Stand-ins for link handling, the login item, global shortcuts, the logs folder and the save dialog (a
	 * `recordingShell()` whose `savePath` a test sets; without one, every save dialog is cancelled).
	 */
	readonly shell?: ShellPorts;
	/** What the desktop offers (tray icons, Wayland). */
	readonly desktopFacts?: DesktopFacts;
	/** The keychain main uses (default: the real one through keytar), e.g. the real one slowed down. */
	readonly keychain?: KeychainBackend;
	/** Reuse this user-data folder (from an instance closed with `keepUserData`): a restart. */
	readonly userDataDir?: string;
	/** Main's wall clock (default: the real one), e.g. moved ahead as a sleep moves it while timers wait. */
	readonly clock?: () => number;
}

let nextWebContentsId = 1;

/** Serves the built renderer through the app's own file server (same path rules, same CSP header). */
async function serveRenderer(endpoints: ProfileConfig['endpoints']): Promise<StaticServer> {
	const files = rendererFileServer(RENDERER_ROOT, endpoints);
	return serve((request) => {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		return files({
			url: `${APP_SCHEME}://${APP_HOST}${url.pathname}`,
			method: request.method ?? 'GET',
		});
	});
}

export async function launchApp(browser: Browser, options: LaunchOptions): Promise<AppInstance> {
	const userDataDir = options.userDataDir ?? (await mkdtemp(path.join(tmpdir(), 'softphone-e2e-')));
	const log: string[] = [];
	const logger: Logger = createLogger({ write: (line) => log.push(line) });
	// The size of the app's window (main/window-options.ts).
	const context = await browser.newContext({ viewport: { width: 420, height: 720 } });
	const page = await context.newPage();
	const emit = <E extends keyof EventMap>(event: E, ...payload: EventMap[E]) => {
		void page
			.evaluate(([channel, args]) => window.__softphoneEmit(channel, args), [
				event,
				payload as unknown[],
			] as const)
			.catch(() => undefined);
	};
	const services = await testServices({
		userDataDir,
		keychainService: `telnyx-softphone-e2e-${path.basename(userDataDir)}`,
		endpoints: options.endpoints,
		tier: 'e2e',
		...(options.name === undefined ? {} : { name: options.name }),
		logger,
		// By default the real OS keychain (gnome-keyring in the test session), under this instance's own name.
		...(options.keychain === undefined ? {} : { keychain: options.keychain }),
		deviceName: options.deviceName ?? `e2e-${path.basename(userDataDir)}`,
		emit,
		...(options.desktop === undefined ? {} : { desktop: options.desktop }),
		...(options.shell === undefined ? {} : { shell: options.shell }),
		...(options.desktopFacts === undefined ? {} : { desktopFacts: options.desktopFacts }),
		sdkVersion: TELNYX_SDK_VERSION,
		...(options.clock === undefined ? {} : { now: options.clock }),
		// The harness logs to memory, not to files: the support bundle reads those lines as its `main.log`.
		logs: { dir: 'memory', flush: () => Promise.resolve() },
		logFolder: {
			list: () => Promise.resolve(['main.log']),
			read: () => Promise.resolve(log.join('\n')),
		},
	});
	const server = await serveRenderer(options.endpoints);
	const appUrl = `${server.url}index.html`;
	const webContentsId = nextWebContentsId++;
	const ipc = new TestIpcMain();
	wireIpc({ ipc, services, appUrl, isAppWebContents: (id) => id === webContentsId, logger });
	await page.exposeBinding(
		'__softphoneInvoke',
		async (source, channel: string, args: unknown[]) => {
			const frame = source.frame;
			const event: InvokeEventLike = {
				senderFrame: { url: frame.url(), parent: frame.parentFrame() },
				sender: { id: webContentsId },
			};
			return ipc.invoke(channel, event, Array.isArray(args) ? args : [args]);
		},
	);
	// The bridge is injected before any page script, as a preload is.
	await page.addInitScript({
		content: (await readFile(path.join(E2E_DIST, 'page-bridge.js'))).toString(),
	});
	for (const content of options.initScripts ?? []) await page.addInitScript({ content });
	const writeCoverage = await recordPageCoverage(page, appUrl);
	await page.goto(appUrl);
	return {
		page,
		context,
		services,
		ipc,
		userDataDir,
		log,
		appUrl,
		async close({ keepUserData = false } = {}) {
			await writeCoverage();
			await context.close();
			services.dispose();
			if (!keepUserData) {
				await services.vault.forget();
				await services.account.tokens.forget();
			}
			await server.close();
			if (!keepUserData) await rm(userDataDir, { recursive: true, force: true });
		},
	};
}
