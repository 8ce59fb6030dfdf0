/**
 * How calls end, and how the link survives, with the real `@telnyx/webrtc` SDK against the sandbox: the
 * outcomes a softphone must show correctly (busy, cancel, unknown number, refused by connection settings or
 * by the outbound voice profile, no answer), early media, a dropped socket in the middle of a video call,
 * refused logins and JWT expiry. Everything is read from what the SDK itself
 * reports (call states, causes, events); the sandbox's record is only a second witness.
 */
import type { Page } from '@playwright/test';
import Telnyx from 'telnyx';
import type { CallRecord, SdkEvent } from '../pages/sdk-phone';
import {
	connectSdk as connect,
	expect,
	expectSdkMediaFlowing,
	pair,
	provision,
	test,
} from '../support/fixtures';

const US_PHONE = '+13125550199';
const GB_PHONE = '+442079460999';
/** A number on the default account, presented as alice's caller ID. */
const ALICE_CALLER_ID = '+13125550142';

async function dial(
	page: Page,
	to: string,
	options: { video?: boolean; callerNumber?: string } = {},
): Promise<string> {
	return page.evaluate(
		([destination, video, callerNumber]) =>
			window.sdkPhone.dial(destination, video, callerNumber ?? undefined),
		[to, options.video ?? false, options.callerNumber ?? null] as const,
	);
}

async function state(page: Page, id: string): Promise<string | null> {
	return page.evaluate((callId) => window.sdkPhone.state(callId), id);
}

/** Polls often: state changes are quick, and the default back-off (up to 1 s) would dominate the run time. */
const OFTEN = { intervals: [100] };

async function waitForState(page: Page, id: string, wanted: string): Promise<void> {
	await expect.poll(() => state(page, id), OFTEN).toBe(wanted);
}

/** The inbound call that rang on `page`, once it is ringing. */
async function ringingCall(page: Page): Promise<string> {
	await expect.poll(() => page.evaluate(() => window.sdkPhone.lastInbound()), OFTEN).not.toBeNull();
	const id = (await page.evaluate(() => window.sdkPhone.lastInbound()))!;
	await waitForState(page, id, 'ringing');
	return id;
}

async function record(page: Page, id: string): Promise<CallRecord> {
	const found = await page.evaluate((callId) => window.sdkPhone.record(callId), id);
	if (found === undefined) throw new Error(`no record of call ${id}`);
	return found;
}

const states = (call: CallRecord): string[] => call.states.map((s) => s.state);

async function events(page: Page, type: string): Promise<SdkEvent[]> {
	return page.evaluate((wanted) => window.sdkPhone.events.filter((e) => e.type === wanted), type);
}

/** The SDK error / warning code carried by a recorded `error` or `warning` event. */
function codeOf(event: SdkEvent): number | undefined {
	const detail = event.detail as { error?: { code?: number }; warning?: { code?: number } } | null;
	return detail?.error?.code ?? detail?.warning?.code;
}

/** The page's clock (performance.now) as epoch milliseconds. */
async function pageEpoch(page: Page, at: number): Promise<number> {
	return page.evaluate((t) => performance.timeOrigin + t, at);
}

function expiryOf(jwt: string): number {
	const payload = JSON.parse(
		Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'),
	) as { exp: number };
	return payload.exp * 1000;
}

/** For "nothing happens for N ms" assertions only: a bounded wait, not a synchronisation. */
function quietFor(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Dials `to` from `page` and expects Telnyx's refusal: CALL_REJECTED, SIP 403, `dCode` in the reason. */
async function expectRefused(
	page: Page,
	to: string,
	dCode: string,
	callerNumber?: string,
): Promise<void> {
	const id = await dial(page, to, callerNumber === undefined ? {} : { callerNumber });
	await waitForState(page, id, 'destroy');
	const call = await record(page, id);
	expect(call).toMatchObject({ cause: 'CALL_REJECTED', sipCode: 403 });
	expect(call.sipReason).toContain(dCode);
	expect(states(call)).not.toContain('active');
}

test('the callee rejecting a ringing call reaches the caller as USER_BUSY (17, SIP 486), never active', async ({
	sandbox,
	twoPhones,
}) => {
	const { bob, alicePage, bobPage } = await twoPhones();

	const callId = await dial(alicePage, bob.sipUsername);
	const bobCallId = await ringingCall(bobPage);
	await bobPage.evaluate((id) => window.sdkPhone.hangup(id), bobCallId);

	await waitForState(alicePage, callId, 'destroy');
	const caller = await record(alicePage, callId);
	expect(caller).toMatchObject({ cause: 'USER_BUSY', causeCode: 17, sipCode: 486 });
	const seen = states(caller);
	expect(seen).toContain('trying');
	expect(seen).not.toContain('active');
	expect(seen).not.toContain('early');
	expect(seen.slice(seen.indexOf('trying') + 1)).toEqual(['hangup', 'destroy']);
	expect(sandbox.admin.calls().at(-1)).toMatchObject({
		answeredAt: null,
		hangup: { cause: 'USER_BUSY', by: 'callee' },
	});
});

test('the caller cancelling before answer reaches the callee as ORIGINATOR_CANCEL (SIP 487)', async ({
	sandbox,
	twoPhones,
}) => {
	const { bob, alicePage, bobPage } = await twoPhones();

	const callId = await dial(alicePage, bob.sipUsername);
	const bobCallId = await ringingCall(bobPage);
	await alicePage.evaluate((id) => window.sdkPhone.hangup(id), callId);

	await waitForState(bobPage, bobCallId, 'destroy');
	const callee = await record(bobPage, bobCallId);
	expect(callee).toMatchObject({ cause: 'ORIGINATOR_CANCEL', sipCode: 487 });
	expect(states(callee)).not.toContain('active');
	expect(sandbox.admin.calls().at(-1)).toMatchObject({
		answeredAt: null,
		hangup: { cause: 'ORIGINATOR_CANCEL', by: 'caller' },
	});
});

test('an unknown destination ends the call UNALLOCATED_NUMBER (1, SIP 404)', async ({
	sandbox,
	phones,
}) => {
	const [alice] = pair((await provision(sandbox)).credentials);
	const [alicePage] = (await phones([alice.token])) as [Page];

	const callId = await dial(alicePage, 'nobody');
	await waitForState(alicePage, callId, 'destroy');
	const caller = await record(alicePage, callId);
	expect(caller).toMatchObject({ cause: 'UNALLOCATED_NUMBER', causeCode: 1, sipCode: 404 });
	expect(states(caller)).not.toContain('active');
});

test('SIP URI calling preference: disabled refuses everyone, internal refuses other accounts (D30) and connects its own', async ({
	sandbox,
	phones,
}) => {
	const [alice, bob] = pair(
		(await provision(sandbox, { sipUriCallingPreference: 'internal' })).credentials,
	);
	const [closed] = (await provision(sandbox, { sipUriCallingPreference: 'disabled', count: 1 }))
		.credentials;
	const other = sandbox.admin.createAccount();
	const [mallory] = (await provision(sandbox, { apiKey: other.apiKey, count: 1 })).credentials;
	const [alicePage, bobPage, closedPage, malloryPage] = (await phones([
		alice.token,
		bob.token,
		closed!.token,
		mallory!.token,
	])) as [Page, Page, Page, Page];

	// 'disabled': even a caller from the same account is refused.
	await expectRefused(alicePage, `sip:${closed!.sipUsername}@sip.telnyx.com`, 'D30');
	// 'internal': a caller from another account is refused...
	await expectRefused(malloryPage, `sip:${bob.sipUsername}@sip.telnyx.com`, 'D30');
	for (const page of [bobPage, closedPage]) {
		expect(await page.evaluate(() => window.sdkPhone.lastInbound())).toBeNull();
	}

	// ...and one from the same account connects.
	await bobPage.evaluate(() => (window.sdkPhone.autoAnswer = true));
	const callId = await dial(alicePage, `sip:${bob.sipUsername}@sip.telnyx.com`);
	await waitForState(alicePage, callId, 'active');
	const bobCallId = await bobPage.evaluate(() => window.sdkPhone.lastInbound());
	await waitForState(bobPage, bobCallId!, 'active');
});

test('PSTN: the outbound voice profile decides (GB not whitelisted D13, no profile D38); a US number reaches its phone with the caller ID presented', async ({
	sandbox,
	phones,
}) => {
	const [alice, bob] = pair((await provision(sandbox)).credentials);
	const [carol] = (await provision(sandbox, { attachProfile: false, count: 1 })).credentials;
	const [alicePage, bobPage, carolPage] = (await phones([
		alice.token,
		bob.token,
		carol!.token,
	])) as [Page, Page, Page];
	sandbox.admin.setPhone(US_PHONE, bob.sipUsername);
	sandbox.admin.setPhone(GB_PHONE, bob.sipUsername);

	// Alice's profile whitelists only US; carol's connection has no outbound voice profile at all.
	await expectRefused(alicePage, GB_PHONE, 'D13', ALICE_CALLER_ID);
	await expectRefused(carolPage, US_PHONE, 'D38');
	expect(await bobPage.evaluate(() => window.sdkPhone.lastInbound())).toBeNull();

	const callId = await dial(alicePage, US_PHONE, { callerNumber: ALICE_CALLER_ID });
	const bobCallId = await ringingCall(bobPage);
	expect((await record(bobPage, bobCallId)).remoteCallerNumber).toBe(ALICE_CALLER_ID);
	await bobPage.evaluate((id) => window.sdkPhone.answer(id), bobCallId);
	await waitForState(alicePage, callId, 'active');
	await waitForState(bobPage, bobCallId, 'active');
	expect(sandbox.admin.calls().at(-1)).toMatchObject({
		destinationKind: 'pstn',
		from: ALICE_CALLER_ID,
		to: US_PHONE,
	});
});

test('in early-media mode the caller goes through early before active, and media flows', async ({
	sandbox,
	twoPhones,
}) => {
	const { bob, alicePage, bobPage } = await twoPhones();
	sandbox.admin.setSignalling({ answer: 'early-media' });
	await bobPage.evaluate(() => (window.sdkPhone.autoAnswer = true));

	const callId = await dial(alicePage, bob.sipUsername, { video: true });
	await waitForState(alicePage, callId, 'active');
	const bobCallId = (await bobPage.evaluate(() => window.sdkPhone.lastInbound()))!;
	await waitForState(bobPage, bobCallId, 'active');
	const seen = states(await record(alicePage, callId));
	expect(seen).toContain('early');
	expect(seen.indexOf('early')).toBeLessThan(seen.indexOf('active'));
	await expectSdkMediaFlowing(alicePage, callId, OFTEN);
	await expectSdkMediaFlowing(bobPage, bobCallId, OFTEN);
});

test('a socket dropped mid-call reconnects by itself: ready again, call still active, media still flowing', async ({
	sandbox,
	twoPhones,
}) => {
	const { alice, bob, alicePage, bobPage } = await twoPhones();
	await bobPage.evaluate(() => (window.sdkPhone.autoAnswer = true));

	const callId = await dial(alicePage, bob.sipUsername, { video: true });
	await waitForState(alicePage, callId, 'active');
	const bobCallId = (await bobPage.evaluate(() => window.sdkPhone.lastInbound()))!;
	await waitForState(bobPage, bobCallId, 'active');
	await expectSdkMediaFlowing(alicePage, callId, OFTEN);

	const droppedAt = await alicePage.evaluate(() => performance.now());
	expect(sandbox.admin.drop(alice.sipUsername)).toBe(1);
	await expect.poll(async () => (await events(alicePage, 'ready')).length, OFTEN).toBe(2);
	const readyAgain = (await events(alicePage, 'ready'))[1]!;
	const reconnectMs = Math.round(readyAgain.at - droppedAt);

	const closes = await events(alicePage, 'socket.close');
	expect(closes).toHaveLength(1);
	const closeMs = Math.round(closes[0]!.at - droppedAt);
	const reconnectLogins = sandbox.admin
		.frames()
		.filter((f) => f.direction === 'in' && f.method === 'login')
		.filter(
			(f) => (f.frame as { params?: { reconnection?: unknown } }).params?.reconnection === true,
		);
	expect(reconnectLogins.length).toBeGreaterThanOrEqual(1);
	// The reconnect took over alice's session (and so her call) rather than starting a new one.
	expect(sandbox.admin.sessions().filter((s) => s.sipUsername === alice.sipUsername)).toHaveLength(
		1,
	);
	expect(await events(alicePage, 'error')).toEqual([]);
	expect(await state(alicePage, callId)).toBe('active');
	expect(await state(bobPage, bobCallId)).toBe('active');
	expect(sandbox.admin.calls().at(-1)?.state).toBe('active');
	await expectSdkMediaFlowing(alicePage, callId, OFTEN);
	await expectSdkMediaFlowing(bobPage, bobCallId, OFTEN);

	const timing = `drop → socket.close ${closeMs} ms; drop → second telnyx.ready ${reconnectMs} ms`;
	test.info().annotations.push({ type: 'reconnect', description: timing });
	console.log(`[sandbox call outcomes] ${timing}`);
});

test('a refused login rejects with LOGIN_FAILED (46001) and the SDK does not retry in a loop', async ({
	sandbox,
	phones,
}) => {
	const [alice] = pair((await provision(sandbox)).credentials);
	const [alicePage] = (await phones([null])) as [Page];
	sandbox.admin.refuseLogins(Infinity);

	// Not awaited directly: a server that made the SDK retry (-32000) would leave the promise pending forever.
	const attempt = connect(alicePage, sandbox.signallingUrl, alice.token).then(
		() => 'ready',
		(error: unknown) => String(error),
	);
	await expect
		.poll(async () => (await events(alicePage, 'error')).map(codeOf), OFTEN)
		.toEqual([46001]);
	expect(await attempt).toMatch(/"code":46001/);
	const [error] = await events(alicePage, 'error');
	expect((error!.detail as { error: { name: string } }).error.name).toBe('LOGIN_FAILED');

	await quietFor(3000);
	const logins = sandbox.admin.frames().filter((f) => f.direction === 'in' && f.method === 'login');
	expect(logins.length).toBeGreaterThanOrEqual(1);
	expect(logins.length).toBeLessThanOrEqual(2);
	expect(sandbox.admin.sessions()).toEqual([]);
});

test('a JWT that expires without renewal: warning at once, socket closed at exp, reconnect login refused', async ({
	sandbox,
	phones,
}) => {
	const { credentials } = await provision(sandbox);
	const [alice] = pair(credentials);
	const rest = new Telnyx({ apiKey: sandbox.apiKey, baseURL: sandbox.restBaseUrl, maxRetries: 0 });
	// The page first: the 3 s token is minted just before it is used.
	const [alicePage] = (await phones([null])) as [Page];
	sandbox.admin.setTokenLifetime(3);
	const shortToken = await rest.telephonyCredentials.createToken(alice.id);
	sandbox.admin.setTokenLifetime(null);
	const expiresAt = expiryOf(shortToken);
	await connect(alicePage, sandbox.signallingUrl, shortToken);

	const [ready] = await events(alicePage, 'ready');
	const warnings = await events(alicePage, 'warning');
	expect(warnings.map(codeOf)).toEqual([34001]);
	expect(Math.abs(warnings[0]!.at - ready!.at)).toBeLessThan(1000);

	await expect
		.poll(async () => (await events(alicePage, 'error')).map(codeOf), { ...OFTEN, timeout: 10_000 })
		.toEqual([46001]);
	const [closed] = await events(alicePage, 'socket.close');
	expect(closed).toBeDefined();
	const closedAt = await pageEpoch(alicePage, closed!.at);
	// The page's clock and Node's may disagree by a few milliseconds.
	expect(closedAt).toBeGreaterThanOrEqual(expiresAt - 100);
	expect(closedAt).toBeLessThan(expiresAt + 1500);

	// The reconnect's login (on a new socket, presenting the expired JWT) was answered -32001.
	const frames = sandbox.admin.frames();
	const logins = frames.filter((f) => f.direction === 'in' && f.method === 'login');
	expect(new Set(logins.map((f) => f.client)).size).toBe(2);
	const retry = logins.at(-1)!;
	const answer = frames.find(
		(f) =>
			f.direction === 'out' &&
			f.client === retry.client &&
			(f.frame as { id?: unknown }).id === (retry.frame as { id?: unknown }).id,
	);
	expect((answer?.frame as { error?: { code?: number } } | undefined)?.error?.code).toBe(-32001);
});

test('renewing the JWT with client.login before exp keeps the socket open past the old expiry', async ({
	sandbox,
	phones,
}) => {
	const [alice] = pair((await provision(sandbox)).credentials);
	const [alicePage] = (await phones([null])) as [Page];
	sandbox.admin.setTokenLifetime(3);
	const shortToken = sandbox.admin.mintToken(alice.id);
	sandbox.admin.setTokenLifetime(null);
	const freshToken = sandbox.admin.mintToken(alice.id);
	const expiresAt = expiryOf(shortToken);
	await connect(alicePage, sandbox.signallingUrl, shortToken);
	expect((await events(alicePage, 'warning')).map(codeOf)).toEqual([34001]);

	await alicePage.evaluate((jwt) => window.sdkPhone.renew(jwt), freshToken);
	expect(Date.now()).toBeLessThan(expiresAt);
	await quietFor(expiresAt + 1500 - Date.now());

	expect(await events(alicePage, 'socket.close')).toEqual([]);
	expect(await events(alicePage, 'error')).toEqual([]);
	const logins = sandbox.admin.frames().filter((f) => f.direction === 'in' && f.method === 'login');
	expect(logins).toHaveLength(2);
	expect(new Set(logins.map((f) => f.client)).size).toBe(1);
	const [session] = sandbox.admin.sessions();
	expect(session?.connected).toBe(true);
	expect(Date.parse(session!.tokenExpiresAt!)).toBe(expiryOf(freshToken));
});

test("an unanswered call ends NO_ANSWER (SIP 480) after the callee connection's timeout_2xx_secs", async ({
	sandbox,
	phones,
}) => {
	const { connectionId, credentials } = await provision(sandbox);
	const [alice, bob] = pair(credentials);
	const rest = new Telnyx({ apiKey: sandbox.apiKey, baseURL: sandbox.restBaseUrl, maxRetries: 0 });
	const updated = await rest.credentialConnections.update(connectionId, {
		inbound: { timeout_2xx_secs: 2 },
	});
	expect(updated.data?.inbound?.timeout_2xx_secs).toBe(2);
	const [alicePage, bobPage] = (await phones([alice.token, bob.token])) as [Page, Page];

	const callId = await dial(alicePage, bob.sipUsername);
	const bobCallId = await ringingCall(bobPage);
	await waitForState(alicePage, callId, 'destroy');
	const caller = await record(alicePage, callId);
	expect(caller).toMatchObject({ cause: 'NO_ANSWER', sipCode: 480 });
	expect(states(caller)).not.toContain('active');
	const trying = caller.states.find((s) => s.state === 'trying')!.at;
	const hungUp = caller.states.find((s) => s.state === 'hangup')!.at;
	expect(hungUp - trying).toBeGreaterThanOrEqual(1900);
	expect(hungUp - trying).toBeLessThan(4000);
	await waitForState(bobPage, bobCallId, 'destroy');
	expect(sandbox.admin.calls().at(-1)).toMatchObject({
		answeredAt: null,
		hangup: { cause: 'NO_ANSWER', by: 'sandbox' },
	});
});
