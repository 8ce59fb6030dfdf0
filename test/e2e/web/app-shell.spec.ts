/**
 * The app shell end to end: the built renderer in Chromium, its `window.softphone` built by the real preload
 * code, talking through the real IPC guard to real main services with their own user-data folder, under the
 * production CSP.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { invokeManifest } from '../../../preload/contract';
import { SETTINGS_VERSION } from '../../../main/settings/settings-file';
import { launchApp, type AppInstance } from '../support/app-harness';
import { onboard } from '../support/softphone-helpers';
import { serve } from '../support/static-server';
import type { Sandbox } from '../../sandbox/sandbox';
import { endpointsOf, sandboxFixture } from '../support/fixtures';

const test = base.extend<{ sandbox: Sandbox; app: AppInstance }>({
	sandbox: sandboxFixture(),
	app: async ({ browser, sandbox }, use) => {
		const app = await launchApp(browser, {
			endpoints: endpointsOf(sandbox),
		});
		await use(app);
		await app.close();
	},
});

/** The settings file as main wrote it, or null when it has not written one yet. */
async function settingsOnDisk(userDataDir: string): Promise<string | null> {
	return readFile(path.join(userDataDir, 'settings.json'), 'utf8').catch(() => null);
}

/** Records CSP violations the page reports. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
	await page.evaluate(() => {
		const seen: string[] = [];
		(window as unknown as { __csp: string[] }).__csp = seen;
		document.addEventListener('securitypolicyviolation', (e) =>
			seen.push(`${e.violatedDirective} ${e.blockedURI}`),
		);
	});
	return () => page.evaluate(() => [...(window as unknown as { __csp: string[] }).__csp]);
}

test('shows the app frame with what main reports, under the production CSP', async ({
	app,
	sandbox,
}) => {
	const { page } = app;
	const response = await page.reload();
	const csp = response?.headers()['content-security-policy'] ?? '';
	expect(csp).toContain("script-src 'self'");
	expect(csp).toContain(
		`connect-src 'self' ${sandbox.signallingUrl} ${sandbox.signallingUrl.replace('ws:', 'http:')}`,
	);
	await expect(page.getByRole('heading', { name: 'Telnyx Softphone' })).toBeVisible();
	await expect(page.getByTestId('profile-badge')).toHaveText('Development');
	// A new installation starts by asking for the API key, and nothing on screen edits the endpoints.
	await expect(page.getByLabel('Telnyx API key')).toHaveAttribute('type', 'password');
	await expect(page.getByText(/endpoints/i)).toHaveCount(0);
	await expect(page.getByLabel(/REST API URL|Signalling URL/)).toHaveCount(0);
});

test('About shows, read-only, the endpoints main chose for this installation', async ({
	app,
	sandbox,
}) => {
	const { page } = app;
	await onboard(page, sandbox.apiKey, { name: 'Ada', number: null });
	await page.getByRole('button', { name: 'About' }).click();
	await expect(page.getByTestId('rest-endpoint')).toHaveText(sandbox.restBaseUrl);
	await expect(page.getByTestId('signalling-endpoint')).toHaveText(sandbox.signallingUrl);
	// Shown, not editable: About has no field at all.
	await expect(page.getByRole('main').getByRole('textbox')).toHaveCount(0);
	// Settings has no endpoint form either.
	await page.getByRole('button', { name: 'Settings' }).click();
	await expect(page.getByRole('heading', { name: 'Devices' })).toBeVisible();
	await expect(page.getByLabel(/REST API URL|Signalling URL/)).toHaveCount(0);
});

test('the page cannot change the endpoints: settings.update({ endpoints }) is refused and nothing changes', async ({
	app,
	sandbox,
}) => {
	const { page, userDataDir } = app;
	const before = app.services.settings.get();
	const fileBefore = await settingsOnDisk(userDataDir);
	const error = await page.evaluate(() =>
		window
			.softphone!.settings.update({
				endpoints: { restBaseUrl: 'https://evil.example/v2', signallingUrl: 'wss://evil.example' },
			} as never)
			.then(
				() => 'resolved',
				(e: Error) => e.message,
			),
	);
	expect(error).toMatch(/^\[BAD_INPUT\] settings:update: /);
	expect(error).not.toContain('evil.example');
	// Not even the valid part of a patch that also names the endpoints is applied.
	const mixed = await page.evaluate(() =>
		window
			.softphone!.settings.update({
				ui: { doNotDisturb: true },
				endpoints: { signallingUrl: 'wss://evil.example' },
			} as never)
			.then(
				() => 'resolved',
				(e: Error) => e.message,
			),
	);
	expect(mixed).toMatch(/^\[BAD_INPUT\] settings:update: /);
	expect(app.services.settings.get()).toBe(before);
	expect(await settingsOnDisk(userDataDir)).toBe(fileBefore);
	const info = await page.evaluate(() => window.softphone!.app.getInfo());
	expect(info.endpoints).toEqual({
		restBaseUrl: sandbox.restBaseUrl,
		signallingUrl: sandbox.signallingUrl,
	});
	// The CSP still names the signalling host main chose, and no other.
	const response = await page.reload();
	const csp = response?.headers()['content-security-policy'] ?? '';
	expect(csp).toContain(`connect-src 'self' ${sandbox.signallingUrl} `);
	expect(csp).not.toContain('evil.example');
});

test('saves settings from the page through the guard to main, keeps them across a reload', async ({
	app,
}) => {
	const { page, userDataDir } = app;
	const saved = await page.evaluate(() =>
		window.softphone!.settings.update({ ui: { cameraEnabled: false } }),
	);
	expect(saved).toMatchObject({ ok: true, value: { ui: { cameraEnabled: false } } });
	const onDisk = JSON.parse((await settingsOnDisk(userDataDir)) ?? '{}') as unknown;
	expect(onDisk).toMatchObject({ version: SETTINGS_VERSION, ui: { cameraEnabled: false } });
	expect(onDisk).not.toHaveProperty('endpoints');

	await page.reload();
	const reread = await page.evaluate(() => window.softphone!.settings.get());
	expect(reread.ui.cameraEnabled).toBe(false);
});

test('follows settings changed in main (main → renderer event)', async ({ app }) => {
	await app.page.evaluate(() => {
		const seen: boolean[] = [];
		(window as unknown as { __camera: boolean[] }).__camera = seen;
		window.softphone!.on('settings:changed', (settings) => seen.push(settings.ui.cameraEnabled));
	});
	const result = await app.services.settings.update({ ui: { cameraEnabled: false } });
	expect(result.ok).toBe(true);
	await expect
		.poll(() => app.page.evaluate(() => (window as unknown as { __camera: boolean[] }).__camera))
		.toEqual([false]);
});

test.describe('the IPC guard, reached from the page', () => {
	test('a wrong argument type is refused before the handler runs', async ({ app }) => {
		const before = app.services.settings.get();
		const error = await app.page.evaluate(() =>
			window.softphone!.settings.update({ ui: { cameraEnabled: 'no' } } as never).then(
				() => 'resolved',
				(e: Error) => e.message,
			),
		);
		expect(error).toMatch(/^\[BAD_INPUT\] settings:update: argument 0\.ui\.cameraEnabled/);
		expect(app.services.settings.get()).toBe(before);
	});

	test('an unknown channel is refused, and the page has no way to name one through the bridge', async ({
		app,
	}) => {
		const reply = await app.page.evaluate(() =>
			window.__softphoneInvoke('keychain:readApiKey', []),
		);
		expect(reply).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
		const exposed = await app.page.evaluate(() => Object.keys(window.softphone!).sort());
		// Exactly the contract's namespaces, and `on`: nothing that could name an arbitrary channel.
		expect(exposed).toEqual([...Object.keys(invokeManifest), 'on'].sort());
		const unknownEvent = await app.page.evaluate(() => {
			try {
				window.softphone!.on('keychain:changed' as never, () => {});
				return 'subscribed';
			} catch (e) {
				return (e as Error).message;
			}
		});
		expect(unknownEvent).toBe('Unknown event "keychain:changed"');
	});

	test('calls from a foreign page, and from a sub-frame on the app origin, are refused', async ({
		app,
	}) => {
		const appOrigin = new URL(app.appUrl).origin;
		// A sub-frame on the app's own origin (a 404 page carries no CSP), and the app's page itself, which its
		// CSP (frame-ancestors 'none') refuses to show inside another page.
		const foreign = await serve(
			() =>
				new Response(
					`<!doctype html><iframe id="sub" src="${appOrigin}/missing.html"></iframe><iframe id="app" src="${app.appUrl}"></iframe>`,
					{ headers: { 'content-type': 'text/html' } },
				),
		);
		try {
			const page = app.page;
			await page.goto(foreign.url);
			const fromForeignTop = await page.evaluate(() =>
				window.__softphoneInvoke('settings:get', []),
			);
			expect(fromForeignTop).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

			const sub = page.frame({ url: `${appOrigin}/missing.html` });
			expect(sub).not.toBeNull();
			await sub!.waitForFunction(() => window.softphone !== undefined);
			const fromSubFrame = await sub!.evaluate(() =>
				window.softphone!.settings.get().then(
					() => 'answered',
					(e: Error) => e.message,
				),
			);
			expect(fromSubFrame).toMatch(/^\[FORBIDDEN\]/);
			expect(app.log.filter((line) => line.includes('untrusted sender'))).toHaveLength(2);

			const framedApp = page.frames().find((f) => f.url() === app.appUrl);
			const framedHeading =
				framedApp === undefined ? 0 : await framedApp.getByRole('heading').count();
			expect(framedHeading).toBe(0);
		} finally {
			await foreign.close();
		}
	});
});

test('the CSP blocks inline script, eval and foreign hosts, and allows the signalling host', async ({
	app,
	sandbox,
}) => {
	const violations = await watchCsp(app.page);
	const outcome = await app.page.evaluate(async (signallingUrl) => {
		const results: Record<string, string> = {};
		// Code Playwright evaluates directly is exempt from the page's CSP; code it schedules is not.
		results['eval'] = await new Promise<string>((resolve) =>
			setTimeout(() => {
				try {
					// eslint-disable-next-line no-eval -- the point is to prove the CSP forbids it
					eval('1');
					resolve('ran');
				} catch {
					resolve('blocked');
				}
			}, 0),
		);
		const script = document.createElement('script');
		script.textContent = 'window.__inline = true';
		document.body.append(script);
		results['inline'] = (window as unknown as { __inline?: boolean }).__inline ? 'ran' : 'blocked';
		results['fetch'] = await fetch('https://evil.example/').then(
			() => 'ran',
			() => 'blocked',
		);
		results['socket'] = await new Promise<string>((resolve) => {
			try {
				const ws = new WebSocket('ws://127.0.0.1:9/');
				ws.onerror = () => resolve('blocked');
				ws.onopen = () => resolve('ran');
			} catch {
				resolve('blocked');
			}
		});
		results['signalling'] = await new Promise<string>((resolve) => {
			const ws = new WebSocket(signallingUrl);
			ws.onopen = () => {
				ws.close();
				resolve('open');
			};
			ws.onerror = () => resolve('blocked');
		});
		const img = document.createElement('img');
		img.src = 'https://evil.example/pixel.png';
		document.body.append(img);
		await new Promise((resolve) => setTimeout(resolve, 200));
		return results;
	}, sandbox.signallingUrl);
	expect(outcome).toEqual({
		eval: 'blocked',
		inline: 'blocked',
		fetch: 'blocked',
		socket: 'blocked',
		signalling: 'open',
	});
	const seen = (await violations()).join('\n');
	for (const violation of [
		'script-src eval',
		'script-src-elem inline',
		'connect-src https://evil.example/',
		'connect-src ws://127.0.0.1:9/',
		'img-src https://evil.example/pixel.png',
	]) {
		expect(seen).toContain(violation);
	}
	expect(seen).not.toContain(new URL(sandbox.signallingUrl).host);
});
