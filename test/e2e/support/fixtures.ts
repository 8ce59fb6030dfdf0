/**
 * The end-to-end fixtures every spec imports: a sandbox per test (`sandbox`), app instances pointed at it
 * (`launch`, `sandboxTest`), plain SDK pages (`sdkServer`, `phones`, `openSdkPage`), accounts provisioned
 * through its REST API with the official `telnyx` library (`provision`), and the media checks
 * (`expectMediaFlowing` for the app, `expectSdkMediaFlowing` for an SDK page).
 */
import { readFile } from 'node:fs/promises';
import {
	test as base,
	expect,
	type Browser,
	type BrowserContext,
	type Page,
	type PlaywrightTestArgs,
	type PlaywrightWorkerArgs,
	type TestFixture,
} from '@playwright/test';
import Telnyx from 'telnyx';
import { launchApp, type AppInstance, type LaunchOptions } from './app-harness';
import { E2E_DIST } from './global-setup';
import { inboundCounters, renderedFrames } from './softphone-helpers';
import { serve, type StaticServer } from './static-server';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/sandbox';

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>SDK phone</title></head><body>
<video id="local" muted playsinline autoplay width="160"></video>
<video id="remote" playsinline autoplay width="320"></video>
<script src="/sdk-phone.js"></script></body></html>`;

export interface ProvisionedCredential {
	readonly id: string;
	readonly sipUsername: string;
	readonly token: string;
}

export interface Provisioned {
	readonly connectionId: string;
	readonly profileId: string;
	readonly credentials: ProvisionedCredential[];
}

export interface ProvisionOptions {
	readonly count?: number;
	readonly apiKey?: string;
	readonly sipUriCallingPreference?: 'disabled' | 'internal' | 'unrestricted';
	readonly whitelisted?: string[];
	readonly attachProfile?: boolean;
}

/** One credential connection (video codecs, SIP URI calling), a profile, and `count` credentials with tokens. */
export async function provision(
	sandbox: Sandbox,
	options: ProvisionOptions = {},
): Promise<Provisioned> {
	const client = new Telnyx({
		apiKey: options.apiKey ?? sandbox.apiKey,
		baseURL: sandbox.restBaseUrl,
		maxRetries: 0,
	});
	const suffix = Math.random().toString(36).slice(2, 10);
	const profile = (
		await client.outboundVoiceProfiles.create({
			name: `Sandbox test ${suffix}`,
			whitelisted_destinations: options.whitelisted ?? ['US'],
		})
	).data!;
	const connection = (
		await client.credentialConnections.create({
			connection_name: `Sandbox test ${suffix}`,
			user_name: `sandbox${suffix}`,
			password: 'sandbox-password',
			sip_uri_calling_preference: options.sipUriCallingPreference ?? 'internal',
			inbound: { codecs: ['OPUS', 'G722', 'VP8', 'H.264'] },
			...(options.attachProfile === false
				? {}
				: { outbound: { outbound_voice_profile_id: profile.id! } }),
		})
	).data!;
	const credentials: ProvisionedCredential[] = [];
	for (let i = 0; i < (options.count ?? 2); i += 1) {
		const credential = (
			await client.telephonyCredentials.create({
				connection_id: connection.id!,
				name: `device ${i}`,
			})
		).data!;
		const token = await client.telephonyCredentials.createToken(credential.id!);
		credentials.push({ id: credential.id!, sipUsername: credential.sip_username!, token });
	}
	// Telnyx refuses a credential's logins for a few seconds after it is created (the sandbox's
	// `credentialPropagationMs`); these tests are about calls, so they wait it out as a client must.
	await new Promise((resolve) =>
		setTimeout(resolve, sandbox.admin.signalling().credentialPropagationMs),
	);
	return { connectionId: connection.id!, profileId: profile.id!, credentials };
}

export async function serveSdkPages(): Promise<StaticServer> {
	const script = await readFile(`${E2E_DIST}/sdk-phone.js`);
	return serve((request) =>
		request.url === '/sdk-phone.js'
			? new Response(script, { headers: { 'content-type': 'text/javascript' } })
			: new Response(PAGE, { headers: { 'content-type': 'text/html' } }),
	);
}

/**
 * Contexts `openSdkPage` opened and nobody closed yet. Playwright closes only the contexts it made itself;
 * one left open keeps its fake camera capturing and its SDK reconnecting to a sandbox that is gone, and the
 * load piles up test after test in the same browser (a later test's video stalled).
 */
const openContexts = new Set<BrowserContext>();

/** Closes every page `openSdkPage` opened (the fixtures call it when a test ends). */
export async function closeSdkPages(): Promise<void> {
	await Promise.all([...openContexts].map((context) => context.close().catch(() => undefined)));
}

export async function openSdkPage(browser: Browser, server: StaticServer): Promise<Page> {
	// A context per phone: separate storage, as two installations have.
	const context = await browser.newContext();
	openContexts.add(context);
	context.on('close', () => openContexts.delete(context));
	const page = await context.newPage();
	await page.goto(server.url);
	await page.waitForFunction(() => typeof window.sdkPhone === 'object');
	return page;
}

/**
 * The one definition of the per-test sandbox: started for the test, closed after it, and after any SDK page
 * still connected to it. A spec that needs other sandbox options (a canary key, no rate limit) passes them.
 */
export function sandboxFixture(
	options: SandboxOptions = {},
): TestFixture<Sandbox, PlaywrightTestArgs & PlaywrightWorkerArgs> {
	// eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as a destructured object.
	return async ({}, use) => {
		const sandbox = await startSandbox(options);
		await use(sandbox);
		await closeSdkPages();
		await sandbox.close();
	};
}

/** The sandbox's endpoints, as an app instance takes them. */
export const endpointsOf = (sandbox: Sandbox) => ({
	restBaseUrl: sandbox.restBaseUrl,
	signallingUrl: sandbox.signallingUrl,
});

export type Launch = (deviceName: string, options?: Partial<LaunchOptions>) => Promise<AppInstance>;

export interface SdkFixtures {
	sandbox: Sandbox;
	sdkServer: StaticServer;
	/**
	 * Opens a page per token, each in its own browser context (separate storage, as two installations have),
	 * and connects it with that token (`null`: left unconnected); pages open and connect in parallel. They are
	 * closed when the test ends, with every other page `openSdkPage` opened.
	 */
	phones: (tokens: readonly (string | null)[]) => Promise<Page[]>;
	/** Two credentials provisioned on the sandbox's account, each with a connected page (alice calls bob). */
	twoPhones: () => Promise<{
		alice: ProvisionedCredential;
		bob: ProvisionedCredential;
		alicePage: Page;
		bobPage: Page;
	}>;
	/** Options every instance `launch` starts takes (`sandboxTest(defaults)` sets them). */
	launchDefaults: Partial<LaunchOptions>;
	/**
	 * Starts an app instance pointed at the sandbox; all are closed (keychain entries and user-data folders
	 * removed) when the test ends. A call can add its own options to the defaults.
	 */
	launch: Launch;
}

export const test = base.extend<SdkFixtures>({
	sandbox: sandboxFixture(),
	// eslint-disable-next-line no-empty-pattern -- as above
	sdkServer: async ({}, use) => {
		const server = await serveSdkPages();
		await use(server);
		await closeSdkPages();
		await server.close();
	},
	phones: async ({ browser, sdkServer, sandbox }, use) => {
		await use(async (tokens) => {
			const opened = await Promise.all(tokens.map(() => openSdkPage(browser, sdkServer)));
			await Promise.all(
				opened.map(async (page, i) => {
					const token = tokens[i];
					if (typeof token !== 'string') return;
					await connectSdk(page, sandbox.signallingUrl, token);
				}),
			);
			return opened;
		});
	},
	// eslint-disable-next-line no-empty-pattern -- as above
	launchDefaults: async ({}, use) => use({}),
	twoPhones: async ({ sandbox, phones }, use) => {
		await use(async () => {
			const [alice, bob] = pair((await provision(sandbox)).credentials);
			const [alicePage, bobPage] = (await phones([alice.token, bob.token])) as [Page, Page];
			return { alice, bob, alicePage, bobPage };
		});
	},
	launch: async ({ browser, sandbox, launchDefaults }, use) => {
		const apps: AppInstance[] = [];
		await use(async (deviceName, options = {}) => {
			const app = await launchApp(browser, {
				endpoints: endpointsOf(sandbox),
				deviceName,
				...launchDefaults,
				...options,
			});
			apps.push(app);
			return app;
		});
		// An instance a test closed itself (to restart it) is closed already.
		for (const app of apps) await app.close().catch(() => undefined);
	},
});

/** `test` whose `launch` starts every instance with `defaults` (a call can still add its own options). */
export function sandboxTest(defaults: Partial<LaunchOptions> = {}) {
	return test.extend<Pick<SdkFixtures, 'launchDefaults'>>({
		// eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as a destructured object.
		launchDefaults: async ({}, use) => use(defaults),
	});
}

/** Connects an SDK page with a token; resolves to the milliseconds it took to be ready. */
export async function connectSdk(
	page: Page,
	signallingUrl: string,
	token: string,
): Promise<number> {
	return page.evaluate(([host, jwt]) => window.sdkPhone.connect(host, jwt), [
		signallingUrl,
		token,
	] as const);
}

/** The first two of `provision`'s credentials, as caller and callee. */
export function pair(
	credentials: ProvisionedCredential[],
): [ProvisionedCredential, ProvisionedCredential] {
	const [first, second] = credentials;
	if (first === undefined || second === undefined) throw new Error('two credentials expected');
	return [first, second];
}

/**
 * In the app: video decoded and shown, and audio arriving, measured over a second. A failure shows the last
 * sample: the frames shown and decoded and the audio packets that arrived in it.
 */
export async function expectMediaFlowing(page: Page): Promise<void> {
	let last: Record<string, number> = {};
	try {
		await expect
			.poll(
				async () => {
					const before = await inboundCounters(page);
					const shown = await renderedFrames(page, 800);
					const after = await inboundCounters(page);
					last = {
						width: shown.width,
						shown: shown.frames,
						decoded: after.videoFramesDecoded - before.videoFramesDecoded,
						audioPackets: after.audioPacketsReceived - before.audioPacketsReceived,
					};
					return (
						shown.width > 0 &&
						shown.frames >= 5 &&
						last['decoded']! > 0 &&
						last['audioPackets']! > 0
					);
				},
				{ timeout: 20_000 },
			)
			.toBe(true);
	} catch (error) {
		throw new Error(`Media is not flowing; the last second saw ${JSON.stringify(last)}`, {
			cause: error,
		});
	}
}

/**
 * On an SDK page, call `id`: frames are decoded and rendered, and audio packets keep arriving (`poll`: the
 * polling intervals and timeout, Playwright's defaults unless given).
 */
export async function expectSdkMediaFlowing(
	page: Page,
	id: string,
	poll: { intervals?: number[]; timeout?: number } = {},
): Promise<void> {
	const first = await page.evaluate((callId) => window.sdkPhone.media(callId), id);
	await expect
		.poll(async () => {
			const now = await page.evaluate((callId) => window.sdkPhone.media(callId), id);
			return (
				now.videoWidth > 0 &&
				now.videoHeight > 0 &&
				now.audioTrackLive &&
				now.renderedFrames > first.renderedFrames + 5 &&
				now.videoFramesDecoded > first.videoFramesDecoded + 5 &&
				now.audioPacketsReceived > first.audioPacketsReceived + 10
			);
		}, poll)
		.toBe(true);
}

export { expect };
