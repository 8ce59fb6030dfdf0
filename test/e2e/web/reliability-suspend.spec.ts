/**
 * The signalling link across a suspended machine and a hidden window, with the real app and SDK (issue 16:
 * W11, W12). Each app under test runs in a Chromium of its own, so the test can do to that browser what a
 * laptop does to it: stop its renderer processes (W11), or hide its page behind another tab (W12). Each test
 * checks what the user sees (the status bar's words, with their times), what the page's own timers did
 * (frozen, throttled), what the SDK's signalling health monitor logged, and what the wire says: the logins
 * and ping exchanges the sandbox saw, and the sockets the fault proxy carried.
 *
 * The SDK's health monitor (`@telnyx/webrtc` 2.27.10, class `Bt` in its bundle) runs from the socket's open:
 * every 3 s it checks the time since the last inbound frame; after 20 s of silence it sends a
 * `telnyx_rtc.ping` probe, and a probe unanswered for 5 s force-closes the socket, which the SDK's
 * "stuck in CLOSING" safety timer reports as closed 5 s later. The sandbox pings every 30 s and answers every
 * ping (`test/sandbox/signalling/verto-server.ts`), but it never drops a client that stops answering, and
 * nothing Telnyx documents (see `test/sandbox/README.md`) says when Telnyx does. So W11 models the server side
 * of a suspend with the fault proxy: the link goes half-open as the renderer stops, as a laptop's TCP
 * connection does when the machine sleeps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, expect, type Browser, type ConsoleMessage, type Page } from '@playwright/test';
import type { Sandbox } from '../../sandbox/sandbox';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { launchApp, type AppInstance } from '../support/app-harness';
import { CHROMIUM_PATH, chromiumLaunchOptions } from '../support/chromium';
import { sandboxTest } from '../support/fixtures';
import {
	logins,
	onboard,
	shownSince,
	STATUS_RECORDER,
	textsSince,
} from '../support/softphone-helpers';

/**
 * A repeating 1 s timer, as the SDK's health check is a repeating 3 s one: when its ticks ran shows when the
 * page's timers could run at all — not while the renderer was stopped (W11), once a minute under Chromium's
 * intensive wake-up throttling (W12).
 */
const TICKER = `(() => {
	const ticks = [];
	Object.defineProperty(window, '__ticks', { value: ticks });
	setInterval(() => ticks.push(Date.now()), 1000);
})();`;

/** When the page's `TICKER` ran, oldest first. */
const ticks = (page: Page) =>
	page.evaluate(() => (window as unknown as { __ticks: number[] }).__ticks.slice());

/** The longest wait between consecutive ticks in [from, to] (the bounds count as ticks). */
function longestGap(all: readonly number[], from: number, to: number): number {
	const points = [from, ...all.filter((t) => t > from && t < to), to];
	return Math.max(...points.slice(1).map((t, i) => t - points[i]!));
}

const READY = 'Ready';

/** The one session the sandbox holds (an app signed in once), by its sessid and SIP user name. */
function onlySession(sandbox: Sandbox): { sessid: string; sipUsername: string } {
	const sessions = sandbox.admin.sessions();
	expect(sessions).toHaveLength(1);
	return { sessid: sessions[0]!.sessid, sipUsername: sessions[0]!.sipUsername };
}

interface PingExchange {
	/** Who pinged: the sandbox (its 30 s keepalive) or the app's SDK (its health probe, or its reply). */
	readonly from: 'server' | 'client';
	readonly sentAt: number;
	/** When the answer crossed the sandbox (null: never answered). */
	readonly answeredAt: number | null;
}

/**
 * Every `telnyx_rtc.ping` between the sandbox and the sockets that logged in as `sessid`, sent in
 * [since, until], with its answer. The sandbox answers a ping with a result of the same id. The SDK (2.27.10,
 * `handleMessage`, case `telnyx_rtc.ping`) answers the sandbox's ping not with a result but with a ping of its
 * own, sent as it handles the frame: that, or any frame from the socket after the ping, is its answer.
 */
function pingExchanges(
	sandbox: Sandbox,
	sessid: string,
	since: number,
	until: number,
): PingExchange[] {
	const frames = sandbox.admin.frames();
	const clients = new Set(
		frames
			.filter(
				(f) =>
					f.direction === 'out' &&
					(f.frame as { result?: { sessid?: unknown } }).result?.sessid === sessid,
			)
			.map((f) => f.client),
	);
	const mine = frames.filter((f) => clients.has(f.client));
	const at = (f: (typeof frames)[number]) => Date.parse(f.time);
	const id = (f: (typeof frames)[number]) => (f.frame as { id?: unknown }).id;
	return mine
		.filter((f) => f.method === 'telnyx_rtc.ping' && at(f) >= since && at(f) <= until)
		.map((ping) => {
			const fromServer = ping.direction === 'out';
			const answer = mine.find(
				(f) =>
					f.client === ping.client &&
					f.direction !== ping.direction &&
					at(f) >= at(ping) &&
					(fromServer || (f.method === undefined && id(f) === id(ping))),
			);
			return {
				from: fromServer ? 'server' : 'client',
				sentAt: at(ping),
				answeredAt: answer === undefined ? null : at(answer),
			};
		});
}

interface Logged {
	readonly text: string;
	readonly at: number;
}

/** Keeps the SDK's signalling health monitor's console lines ("Signaling health: …"), with their times. */
function healthLog(page: Page): Logged[] {
	const lines: Logged[] = [];
	page.on('console', (message: ConsoleMessage) => {
		const text = message.text();
		if (text.includes('Signaling health')) lines.push({ text, at: Date.now() });
	});
	return lines;
}

const PROBE_SENT = /sending (health|signaling) probe/;
const PROBE_TIMED_OUT = /probe timed out/;
const FORCE_CLOSE = /force-closing WebSocket/;

/** The state letter of a Linux process (`T`: stopped by a signal), from `/proc/<pid>/stat`. */
async function processState(pid: number): Promise<string> {
	const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
	return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

function note(type: string, description: string): void {
	test.info().annotations.push({ type, description });
	console.log(`[reliability-suspend] ${type}: ${description}`);
}

/** An app in a Chromium of its own, which the test can stop and continue. */
interface Freezable {
	/** Launches the app (signalling through the fault proxy, `STATUS_RECORDER` and `TICKER` in) up to "Ready". */
	phone(deviceName: string, callerName: string): Promise<AppInstance>;
	/** Stops (SIGSTOP) every renderer process of this Chromium; answers their pids. */
	freeze(): Promise<number[]>;
	/** Continues (SIGCONT) every process `freeze` stopped. */
	thaw(): void;
}

/** An app in a Chromium of its own whose page the test can hide behind another tab. */
interface Hideable {
	/** Launches the app (signalling through the fault proxy, `STATUS_RECORDER` and `TICKER` in) up to "Ready". */
	phone(deviceName: string, callerName: string): Promise<AppInstance>;
	/** Opens another tab and brings it to the front: the app's page is hidden, as a window in the tray is. */
	hide(): Promise<Page>;
}

/** Starts Debian's Chromium with a DevTools port and answers the browser's WebSocket URL. */
async function startChromium(
	args: readonly string[],
): Promise<{ child: ChildProcess; url: string }> {
	const child = spawn(CHROMIUM_PATH, [...args], { stdio: ['ignore', 'ignore', 'pipe'] });
	const url = await new Promise<string>((resolve, reject) => {
		let output = '';
		const timer = setTimeout(() => reject(new Error(`Chromium did not start:\n${output}`)), 30_000);
		const read = (chunk: Buffer) => {
			output += chunk.toString();
			const match = /DevTools listening on (ws:\/\/\S+)/.exec(output);
			if (match === null) return;
			clearTimeout(timer);
			// Chromium keeps writing to stderr: drained from now on, so the pipe never fills.
			child.stderr.off('data', read);
			child.stderr.resume();
			resolve(match[1]!);
		};
		child.stderr.on('data', read);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`Chromium exited (${code}) before it listened:\n${output}`));
		});
	});
	return { child, url };
}

async function stopChromium(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
	await exited;
	clearTimeout(timer);
}

/** The app in `browser`, its signalling through the fault proxy, with `STATUS_RECORDER` and `TICKER` in. */
function launchThroughProxy(
	browser: Browser,
	sandbox: Sandbox,
	faults: FaultProxy,
	deviceName: string,
): Promise<AppInstance> {
	return launchApp(browser, {
		endpoints: { restBaseUrl: sandbox.restBaseUrl, signallingUrl: faults.url },
		deviceName,
		initScripts: [STATUS_RECORDER, TICKER],
	});
}

// `faults`, not `proxy`: `proxy` is Playwright's own option (the browser's HTTP proxy).
const test = sandboxTest().extend<{
	faults: FaultProxy;
	freezable: Freezable;
	hideable: Hideable;
}>({
	faults: async ({ sandbox }, use) => {
		const faults = await startFaultProxy(sandbox.signallingUrl);
		await use(faults);
		await faults.close();
	},
	freezable: async ({ sandbox, faults }, use) => {
		const browser = await chromium.launch(chromiumLaunchOptions());
		const apps: AppInstance[] = [];
		const stopped: number[] = [];
		const thaw = () => {
			for (const pid of stopped.splice(0)) process.kill(pid, 'SIGCONT');
		};
		try {
			await use({
				async phone(deviceName, callerName) {
					const app = await launchThroughProxy(browser, sandbox, faults, deviceName);
					apps.push(app);
					await onboard(app.page, sandbox.apiKey, { name: callerName, number: null });
					return app;
				},
				async freeze() {
					// Chromium's own list of its renderers (they are the zygote's children, not the browser's).
					const cdp = await browser.newBrowserCDPSession();
					const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
					await cdp.detach();
					const pids = processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
					for (const pid of pids) {
						process.kill(pid, 'SIGSTOP');
						stopped.push(pid);
					}
					return pids;
				},
				thaw,
			});
		} finally {
			// A test that failed while frozen must not leave Chromium stopped: it could not close.
			thaw();
			for (const app of apps) await app.close().catch(() => undefined);
			await browser.close();
		}
	},
	hideable: async ({ sandbox, faults }, use) => {
		/*
		 * Not `chromium.launch`: Playwright starts Chromium with `--disable-background-timer-throttling`,
		 * `--disable-renderer-backgrounding` and `--disable-backgrounding-occluded-windows`, and turns on focus
		 * emulation in every page it opens, which keeps the page visible (measured: behind a tab brought to the
		 * front it still says `visibilityState === 'visible'`). So the test starts Chromium itself, with the
		 * suite's flags only, and attaches over CDP with `noDefaults`: pages of the browser's default context
		 * get no focus emulation, and behind another tab they are hidden and throttled as in a user's browser.
		 */
		const userDataDir = await mkdtemp(path.join(tmpdir(), 'softphone-e2e-chromium-'));
		const { child, url } = await startChromium([
			...(chromiumLaunchOptions().args ?? []),
			'--headless',
			'--mute-audio',
			'--password-store=basic',
			'--disable-extensions',
			'--remote-debugging-port=0',
			`--user-data-dir=${userDataDir}`,
			'about:blank',
		]);
		const browser = await chromium.connectOverCDP(url, { noDefaults: true });
		const context = browser.contexts()[0]!;
		// `launchApp` opens its page in `browser.newContext()`; this hands it the default context instead.
		// (Its window keeps Chromium's size rather than the app's 420 × 720, which nothing here depends on.)
		const inDefaultContext = {
			newContext: () => Promise.resolve(context),
		} as Partial<Browser> as Browser;
		const apps: AppInstance[] = [];
		try {
			await use({
				async phone(deviceName, callerName) {
					const app = await launchThroughProxy(inDefaultContext, sandbox, faults, deviceName);
					apps.push(app);
					await onboard(app.page, sandbox.apiKey, { name: callerName, number: null });
					return app;
				},
				async hide() {
					const cover = await context.newPage();
					await cover.bringToFront();
					return cover;
				},
			});
		} finally {
			// Closing the default context disconnects from the browser, which is then stopped here.
			for (const app of apps) await app.close().catch(() => undefined);
			await browser.close().catch(() => undefined);
			await stopChromium(child);
			await rm(userDataDir, { recursive: true, force: true });
		}
	},
});

/** Opens Alice's app (the shared Chromium, signalling straight to the sandbox), which can call `callee`. */
async function caller(
	sandbox: Sandbox,
	launch: (deviceName: string) => Promise<AppInstance>,
	callee: string,
) {
	const alice = await launch('Alice desk');
	await onboard(alice.page, sandbox.apiKey, { name: 'Alice', number: null });
	const call = alice.page.getByRole('button', { name: `Call ${callee}`, exact: true });
	await expect(call).toBeVisible();
	return { alice, call };
}

/** Alice hangs up a call that is still ringing, and both sides let it go. */
async function hangUpRinging(sandbox: Sandbox, alice: AppInstance, bob: AppInstance) {
	await alice.page.getByRole('button', { name: 'Hang up' }).click();
	await expect.poll(() => sandbox.admin.calls().at(-1)?.state).toBe('ended');
	await expect(bob.page.getByRole('alertdialog')).toHaveCount(0);
}

/*
 * The catalogued case freezes the machine for 90 s; here the renderer is stopped for 40 s. What matters is
 * that the freeze outlasts the SDK's 20 s silence threshold and the sandbox's 30 s ping, so the socket comes
 * back stale; what follows resuming does not depend on how long the freeze was.
 *
 * Modelled suspend: the link goes half-open as the renderer stops (nothing crosses it either way, no close,
 * no answer to pings) and stays so after resuming — the old TCP connection died with the sleep — until the
 * SDK dials again; that new connection goes through (the network is back), and only then is the proxy
 * healed, which also lets the old socket's close through to the sandbox.
 */
const FREEZE_MS = 40_000;

test(`W11: renderer frozen ${FREEZE_MS / 1000} s (catalogue case: 90 s), its link dead: stale socket noticed within 35 s of resuming, Ready again, one session, and a call rings`, async ({
	sandbox,
	faults,
	freezable,
	launch,
}) => {
	test.setTimeout(150_000);
	const bob = await freezable.phone('Bob laptop', 'Bob');
	const health = healthLog(bob.page);
	const { sessid, sipUsername } = onlySession(sandbox);
	const { alice, call } = await caller(sandbox, launch, 'Bob laptop');
	const loginsBefore = logins(sandbox).length;
	const opened = faults.connections().opened;

	// The machine sleeps: its network goes, and its processes stop.
	faults.halfOpen(true);
	const frozenAt = Date.now();
	const pids = await freezable.freeze();
	expect(pids.length).toBeGreaterThan(0);
	// SIGSTOP lands asynchronously: a renderer busy on a core reads 'R' for a moment before it stops.
	for (const pid of pids)
		await expect
			.poll(() => processState(pid), { message: `renderer ${pid}`, timeout: 2000 })
			.toBe('T');
	await sleep(FREEZE_MS);
	const resumedAt = Date.now();
	freezable.thaw();

	// The old link stays dead; the SDK must notice by itself, give up on it and dial again.
	await expect
		.poll(() => faults.attempts().some((a) => a.at >= resumedAt && a.outcome === 'held'), {
			timeout: 35_000,
			intervals: [50],
		})
		.toBe(true);
	const dialMs = faults.attempts().find((a) => a.at >= resumedAt)!.at - resumedAt;
	faults.halfOpen(false);
	await expect.poll(() => textsSince(bob.page, resumedAt), { timeout: 10_000 }).toContain(READY);

	const shown = await shownSince(bob.page, resumedAt);
	const leftReadyMs = shown[0]!.at - resumedAt;
	const readyMs = shown.find((s) => s.text === READY)!.at - resumedAt;
	const since = (pattern: RegExp) => {
		const line = health.find((l) => l.at >= resumedAt && pattern.test(l.text));
		return line === undefined ? 'never' : `${line.at - resumedAt} ms`;
	};
	const frozenFor = longestGap(await ticks(bob.page), frozenAt, resumedAt + 2000);
	note(
		'W11',
		`renderers ${pids.join(', ')} stopped ${resumedAt - frozenAt} ms (the page's 1 s timer paused ${frozenFor} ms); after SIGCONT: probe sent ${since(PROBE_SENT)}, probe timed out ${since(PROBE_TIMED_OUT)}, socket force-closed ${since(FORCE_CLOSE)}, left Ready ${leftReadyMs} ms, new connection ${dialMs} ms, Ready ${readyMs} ms; status bar: ${shown.map((s) => s.text).join(' → ')}`,
	);
	// The renderer really was frozen: its timers did not run for the whole freeze.
	expect(frozenFor).toBeGreaterThanOrEqual(FREEZE_MS - 1000);
	// Noticed within one keepalive of resuming, by the health monitor's unanswered probe…
	expect(leftReadyMs).toBeLessThanOrEqual(35_000);
	expect(since(PROBE_TIMED_OUT)).not.toBe('never');
	expect(shown[0]!.text).toMatch(/^Connection lost; reconnecting in \d s \(attempt 1\)$/);
	// …and Ready again after the SDK's first reconnect wait (1 s ± 25 %) and a login.
	expect(readyMs - leftReadyMs).toBeLessThan(5000);
	expect(shown.at(-1)!.text).toBe(READY);

	// One login, a reconnection presenting the session; the sandbox still holds one session for Bob.
	expect(logins(sandbox).slice(loginsBefore)).toEqual([{ reconnection: true, sessid }]);
	const bobs = sandbox.admin.sessions().filter((s) => s.sipUsername === sipUsername);
	expect(bobs).toHaveLength(1);
	expect(bobs[0]).toMatchObject({ sessid, connected: true, silent: false });
	// The stale socket is gone at the proxy too: one link, one new socket.
	await expect.poll(() => faults.connections().open).toBe(1);
	expect(faults.connections().opened).toBe(opened + 1);

	// A call placed now reaches the reconnected app and rings there.
	const callAt = Date.now();
	await call.click();
	await expect(bob.page.getByRole('alertdialog')).toHaveCount(1);
	await expect.poll(() => sandbox.admin.calls().at(-1)?.state).toBe('ringing');
	expect(sandbox.admin.calls().at(-1)?.calleeSipUsername).toBe(sipUsername);
	note('W11', `call placed after the reconnect: ringing at Bob after ${Date.now() - callAt} ms`);
	await hangUpRinging(sandbox, alice, bob);
});

/*
 * The catalogued case leaves the window in the tray for 6+ min, because Chromium's intensive wake-up
 * throttling (chained timers woken once a minute) used to start after 5 min hidden. In this Chromium (156)
 * it starts after 60 s for a page that has finished loading (`QuickIntensiveWakeUpThrottlingAfterLoading`,
 * on by default, `grace_period_seconds_loaded` = 60), so 105 s hidden gives 45 s of it — measured below
 * with the page's own 1 s timer. Shortening the grace further with
 * `--enable-features=IntensiveWakeUpThrottling:grace_period_seconds/10` (or
 * `QuickIntensiveWakeUpThrottlingAfterLoading:grace_period_seconds_loaded/10`) was tried: chrome://version
 * lists the parameter, but the 1 s timer was throttled no sooner than without it, so the test uses the
 * default.
 *
 * The shipped Electron app sets `backgroundThrottling: false`, so its hidden window is not throttled at all;
 * plain Chromium is the worse case, and the SDK in it must still keep its socket.
 */
const HIDDEN_MS = 105_000;
const THROTTLE_GRACE_MS = 60_000;

test(`W12: window hidden ${HIDDEN_MS / 1000} s (catalogue case: 6+ min) under intensive timer throttling: no reconnect, pings answered, a call while hidden rings`, async ({
	sandbox,
	faults,
	hideable,
	launch,
}) => {
	test.setTimeout(200_000);
	const bob = await hideable.phone('Bob laptop', 'Bob');
	const health = healthLog(bob.page);
	const { sessid, sipUsername } = onlySession(sandbox);
	const { alice, call } = await caller(sandbox, launch, 'Bob laptop');
	const loginsBefore = logins(sandbox).length;
	const opened = faults.connections().opened;
	const visibility = () => bob.page.evaluate(() => document.visibilityState);
	expect(await visibility()).toBe('visible');

	await hideable.hide();
	const hiddenAt = Date.now();
	expect(await visibility()).toBe('hidden');
	await sleep(HIDDEN_MS);
	expect(await visibility()).toBe('hidden');

	// Alice calls while Bob's window is still hidden: the sandbox hears it ring once Bob's SDK takes the invite.
	const callAt = Date.now();
	await call.click();
	await expect.poll(() => sandbox.admin.calls().at(-1)?.state, { timeout: 10_000 }).toBe('ringing');
	const ringing = sandbox.admin.calls().at(-1)!;
	const ringMs = Date.parse(ringing.events.find((e) => e.type === 'ringing')!.time) - callAt;
	expect(ringing.calleeSipUsername).toBe(sipUsername);
	await expect(bob.page.getByRole('alertdialog')).toHaveCount(1);
	expect(await visibility()).toBe('hidden');

	// The user opens the window: the call is on screen, and the line never stopped being Ready.
	await bob.page.bringToFront();
	expect(await visibility()).toBe('visible');
	const incoming = bob.page.getByRole('alertdialog');
	await expect(incoming).toBeVisible();
	await expect(incoming).toContainText('Alice');
	await expect(bob.page.getByTestId('connection-status')).toHaveText(READY);

	// Chromium's throttling was in force: after the grace period the 1 s timer ran at most once a minute.
	const seconds = (t: number) => ((t - hiddenAt) / 1000).toFixed(1);
	const tick = (await ticks(bob.page)).filter((t) => t >= hiddenAt);
	const graceTicks = tick.filter((t) => t < hiddenAt + THROTTLE_GRACE_MS - 3000);
	const throttledFrom = hiddenAt + THROTTLE_GRACE_MS + 3000;
	const throttledTicks = tick.filter((t) => t >= throttledFrom && t < callAt);
	note(
		'W12',
		`hidden ${callAt - hiddenAt} ms; the page's 1 s timer ran ${graceTicks.length}× in the first ${(THROTTLE_GRACE_MS - 3000) / 1000} s, ${throttledTicks.length}× in the ${(callAt - throttledFrom) / 1000} s before the call (ticks, s after the hide: ${tick.map(seconds).join(' ')})`,
	);
	expect(graceTicks.length).toBeGreaterThanOrEqual(50);
	expect(callAt - throttledFrom).toBeGreaterThanOrEqual(40_000);
	expect(throttledTicks.length).toBeLessThanOrEqual(2);

	// The keepalive kept going both ways, throttled or not: every sandbox ping answered by the SDK, every ping
	// of the SDK's (its replies and its health probes) answered by the sandbox, each promptly.
	const pings = pingExchanges(sandbox, sessid, hiddenAt, callAt);
	const probes = health.filter((l) => l.at >= hiddenAt && l.at < callAt && PROBE_SENT.test(l.text));
	note(
		'W12',
		`pings while hidden (s after the hide, who, answered after): ${pings.map((p) => `${seconds(p.sentAt)} ${p.from} ${p.answeredAt === null ? 'never' : `${p.answeredAt - p.sentAt} ms`}`).join(', ')}; health probes sent at ${probes.map((l) => seconds(l.at)).join(', ')} s; call placed while hidden: ringing after ${ringMs} ms`,
	);
	expect(pings.filter((p) => p.from === 'server').length).toBeGreaterThanOrEqual(3);
	expect(probes.length).toBeGreaterThanOrEqual(1);
	expect(pings.filter((p) => p.from === 'client').length).toBeGreaterThanOrEqual(probes.length);
	for (const p of pings) {
		expect(p.answeredAt, `${p.from} ping at ${seconds(p.sentAt)} s`).not.toBeNull();
		expect(p.answeredAt! - p.sentAt, `${p.from} ping at ${seconds(p.sentAt)} s`).toBeLessThan(5000);
	}
	expect(health.filter((l) => PROBE_TIMED_OUT.test(l.text) || FORCE_CLOSE.test(l.text))).toEqual(
		[],
	);

	// No false reconnect: the bar never changed, no login, the same socket and session throughout.
	expect(await textsSince(bob.page, hiddenAt)).toEqual([]);
	expect(logins(sandbox)).toHaveLength(loginsBefore);
	expect(faults.connections()).toMatchObject({ open: 1, opened });
	const bobs = sandbox.admin.sessions().filter((s) => s.sipUsername === sipUsername);
	expect(bobs).toHaveLength(1);
	expect(bobs[0]).toMatchObject({ sessid, connected: true });
	// And the call rang promptly, though the page's timers were throttled.
	expect(ringMs).toBeLessThan(5000);

	await hangUpRinging(sandbox, alice, bob);
});
