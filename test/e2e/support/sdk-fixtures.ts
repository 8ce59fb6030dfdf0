/**
 * Fixtures for tests that drive the plain SDK against the sandbox: a sandbox per test, accounts provisioned
 * through its REST API with the official `telnyx` library, and pages running `window.sdkPhone`.
 */
import { readFile } from 'node:fs/promises';
import { test as base, type Browser, type BrowserContext, type Page } from '@playwright/test';
import Telnyx from 'telnyx';
import { E2E_DIST } from './global-setup';
import { serve, type StaticServer } from './static-server';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';

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

export interface SdkFixtures {
	sandbox: Sandbox;
	sdkServer: StaticServer;
	/**
	 * Opens a page per token, each in its own browser context (separate storage, as two installations have),
	 * and connects it with that token (`null`: left unconnected); pages open and connect in parallel. They are
	 * closed when the test ends, with every other page `openSdkPage` opened.
	 */
	phones: (tokens: readonly (string | null)[]) => Promise<Page[]>;
}

export const test = base.extend<SdkFixtures>({
	// eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as a destructured object.
	sandbox: async ({}, use) => {
		const sandbox = await startSandbox();
		await use(sandbox);
		await closeSdkPages();
		await sandbox.close();
	},
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
					await page.evaluate(([host, jwt]) => window.sdkPhone.connect(host, jwt), [
						sandbox.signallingUrl,
						token,
					] as const);
				}),
			);
			return opened;
		});
	},
});

export { expect } from '@playwright/test';
