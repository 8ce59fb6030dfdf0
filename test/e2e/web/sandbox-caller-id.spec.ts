/**
 * Telnyx's caller-ID rules, as the sandbox applies them by default, seen by the real `@telnyx/webrtc` SDK: a
 * call to a phone number whose caller-ID number is blank or the SIP username ends CALL_REJECTED (21), SIP 403
 * "Caller Origination Number is Invalid D35"; one whose number is not the caller's account's ends 403 "… D36"
 * (developers.telnyx.com, "Caller ID Policy" and "SIP Response Codes"). The app never sends these (its dialer
 * refuses first), so a plain SDK client does. Calls to SIP usernames are not checked.
 */
import type { Page } from '@playwright/test';
import type { CallRecord } from '../pages/sdk-phone';
import { expect, test } from '../support/fixtures';

/** The phone (bob's client) behind this number. */
const PHONE = '+13125550199';
/** On the sandbox's default account, alice's. */
const OWN_NUMBER = '+13125550142';
/** On another account. */
const FOREIGN_NUMBER = '+12025550163';
const OFTEN = { intervals: [100] };

async function dial(page: Page, to: string, callerNumber?: string): Promise<string> {
	return page.evaluate(
		([destination, number]) => window.sdkPhone.dial(destination, false, number ?? undefined),
		[to, callerNumber ?? null] as const,
	);
}

async function settled(page: Page, id: string, wanted: string): Promise<CallRecord> {
	await expect
		.poll(() => page.evaluate((callId) => window.sdkPhone.state(callId), id), OFTEN)
		.toBe(wanted);
	const found = await page.evaluate((callId) => window.sdkPhone.record(callId), id);
	if (found === undefined) throw new Error(`no record of call ${id}`);
	return found;
}

const lastInbound = (page: Page) => page.evaluate(() => window.sdkPhone.lastInbound());

test('D35: a blank caller-ID number, or the SIP username, is refused with Telnyx’s words; the phone never rings', async ({
	sandbox,
	twoPhones,
}) => {
	const { alice, bob, alicePage, bobPage } = await twoPhones();
	sandbox.admin.setPhone(PHONE, bob.sipUsername);

	for (const callerNumber of [undefined, alice.sipUsername]) {
		const call = await settled(alicePage, await dial(alicePage, PHONE, callerNumber), 'destroy');
		expect(call).toMatchObject({
			cause: 'CALL_REJECTED',
			causeCode: 21,
			sipCode: 403,
			sipReason: 'Caller Origination Number is Invalid D35',
		});
		expect(call.states.map((s) => s.state)).not.toContain('active');
		expect(sandbox.admin.calls().at(-1)).toMatchObject({
			to: PHONE,
			destinationKind: 'pstn',
			calleeSipUsername: null,
			hangup: { cause: 'CALL_REJECTED', sipCode: 403, by: 'sandbox' },
		});
	}
	expect(await lastInbound(bobPage)).toBeNull();
});

test('D36: a number that is not one of the caller’s account’s is refused; its own number rings the phone', async ({
	sandbox,
	twoPhones,
}) => {
	const other = sandbox.admin.createAccount();
	sandbox.admin.addPhoneNumber(FOREIGN_NUMBER, other.apiKey);
	const { bob, alicePage, bobPage } = await twoPhones();
	sandbox.admin.setPhone(PHONE, bob.sipUsername);

	for (const callerNumber of [FOREIGN_NUMBER, '+13125550111']) {
		const call = await settled(alicePage, await dial(alicePage, PHONE, callerNumber), 'destroy');
		expect(call).toMatchObject({ cause: 'CALL_REJECTED', causeCode: 21, sipCode: 403 });
		expect(call.sipReason).toMatch(/^Caller Origination Number .+ D36$/);
	}
	expect(await lastInbound(bobPage)).toBeNull();

	await dial(alicePage, PHONE, OWN_NUMBER);
	await expect.poll(() => lastInbound(bobPage), OFTEN).not.toBeNull();
	const inbound = await settled(bobPage, (await lastInbound(bobPage))!, 'ringing');
	expect(inbound.remoteCallerNumber).toBe(OWN_NUMBER);
});

test('calls to a SIP username are not checked, and the checks can be switched off', async ({
	sandbox,
	twoPhones,
}) => {
	const { bob, alicePage, bobPage } = await twoPhones();
	sandbox.admin.setPhone(PHONE, bob.sipUsername);

	const toUser = await dial(alicePage, bob.sipUsername);
	await expect.poll(() => lastInbound(bobPage), OFTEN).not.toBeNull();
	const first = (await lastInbound(bobPage))!;
	await settled(bobPage, first, 'ringing');
	await alicePage.evaluate((id) => window.sdkPhone.hangup(id), toUser);
	await settled(bobPage, first, 'destroy');

	sandbox.admin.setSignalling({ callerIdChecks: false });
	await dial(alicePage, PHONE);
	await expect.poll(() => lastInbound(bobPage), OFTEN).not.toBe(first);
	await settled(bobPage, (await lastInbound(bobPage))!, 'ringing');
	expect(sandbox.admin.calls().at(-1)).toMatchObject({ to: PHONE, destinationKind: 'pstn' });
});
