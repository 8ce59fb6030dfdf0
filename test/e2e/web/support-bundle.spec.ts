/**
 * The support bundle from a real run: a call (to the echo number) and a Test my setup behind it, then
 * Settings ▸ Help ▸ Save support bundle, saved where the (recording) save dialog says. The zip must open,
 * hold every listed part, and carry none of: the API key, the login token, the credential's SIP password,
 * the full caller ID number — unless the user asked for full numbers, which brings the number back and
 * nothing else.
 */
import { readFile } from 'node:fs/promises';
import { expect, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { ECHO_NUMBER } from '../../sandbox/sandbox';
import { recordingShell } from '../../support/recording-shell';
import { sandboxTest } from '../support/fixtures';
import { checkScreen, onboard } from '../support/softphone-helpers';

const test = sandboxTest();
const NUMBER = '+13125550142';

async function saveBundle(page: Page, fullNumbers: boolean): Promise<void> {
	await page.getByRole('button', { name: 'Settings' }).click();
	const box = page.getByRole('checkbox', { name: 'Include full phone numbers' });
	if (fullNumbers) await box.check();
	else await box.uncheck();
	await page.getByRole('button', { name: 'Save support bundle…' }).click();
	await expect(page.getByTestId('bundle-outcome')).toContainText(/^Saved .+\.zip \(\d+ KB\)\.$/);
}

function unzip(bytes: Uint8Array): Map<string, string> {
	return new Map(Object.entries(unzipSync(bytes)).map(([name, data]) => [name, strFromU8(data)]));
}

test('the support bundle holds each part and no secret, and full numbers only when asked', async ({
	sandbox,
	launch,
}, testInfo) => {
	test.setTimeout(90_000);
	const shell = recordingShell();
	const app = await launch('Ada desk', { shell });
	await onboard(app.page, sandbox.apiKey, { name: 'Ada', number: NUMBER });

	// A call to remember, and a Test my setup to report.
	await app.page.getByLabel('Number, SIP address or installation').fill(ECHO_NUMBER);
	await app.page.getByRole('button', { name: 'Call', exact: true }).click();
	await expect(app.page.getByTestId('call-phase')).toHaveText('In call', { timeout: 20_000 });
	await app.page.waitForTimeout(4_500); // two quality samples
	await app.page.getByRole('button', { name: 'Hang up' }).click();
	await app.page.getByRole('button', { name: 'Settings' }).click();
	await app.page.getByRole('button', { name: 'Test my setup' }).click();
	await app.page.getByRole('button', { name: 'Test call quality' }).click();
	await expect(app.page.getByTestId('setup-call')).toHaveAttribute('data-verdict', 'good', {
		timeout: 30_000,
	});

	shell.savePath = testInfo.outputPath('bundle.zip');
	await saveBundle(app.page, false);
	await checkScreen(app.page, testInfo, 'settings: support bundle saved');
	const files = unzip(await readFile(shell.savePath));
	expect([...files.keys()].sort()).toEqual(
		expect.arrayContaining([
			'README.txt',
			'calls.json',
			'logs/main.log',
			'settings.json',
			'setup-test.json',
			'versions.json',
		]),
	);
	const versions = JSON.parse(files.get('versions.json')!) as Record<string, unknown>;
	expect(JSON.stringify(versions)).toMatch(/2\.27\.\d+/); // the SDK's version
	const calls = JSON.parse(files.get('calls.json')!) as unknown;
	expect(JSON.stringify(calls)).toContain('NORMAL_CLEARING');
	expect(JSON.stringify(calls)).toContain(sandbox.admin.calls()[0]!.id); // Telnyx's session id
	expect(JSON.stringify(calls)).toMatch(/"mosAverage":\s*[34]\./);
	expect(files.get('setup-test.json')).toContain('"verdict": "good"');
	expect(files.get('logs/main.log')!.length).toBeGreaterThan(100);

	// No secret anywhere, and the caller ID number only by its last four digits.
	const token = await app.services.handlers.telnyx.getLoginToken();
	if (!token.ok) throw new Error(token.error.message);
	const credentials = (await (
		await fetch(`${sandbox.restBaseUrl}/telephony_credentials`, {
			headers: { authorization: `Bearer ${sandbox.apiKey}` },
		})
	).json()) as { data: { sip_password: string }[] };
	const sipPassword = credentials.data[0]!.sip_password;
	expect(sipPassword.length).toBeGreaterThanOrEqual(8);
	const everything = [...files.values()].join('\n');
	for (const [what, secret] of [
		['API key', sandbox.apiKey],
		['login token', token.value.token],
		['SIP password', sipPassword],
		['full number', NUMBER],
		['number without +', NUMBER.slice(1)],
	] as const)
		expect(everything.includes(secret), what).toBe(false);
	expect(everything).toContain('0142');

	// Asked for full numbers: the number is back; the secrets are still not.
	shell.savePath = testInfo.outputPath('bundle-full.zip');
	await saveBundle(app.page, true);
	const full = [...unzip(await readFile(shell.savePath)).values()].join('\n');
	expect(full).toContain(NUMBER);
	for (const secret of [sandbox.apiKey, token.value.token, sipPassword])
		expect(full.includes(secret)).toBe(false);
});
