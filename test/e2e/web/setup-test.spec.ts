/**
 * Test my setup, end to end: the real renderer with Chromium's fake devices, the real SDK's pre-call
 * diagnostic calling the sandbox's echo number through its media gateway, and main keeping the report.
 * - healthy: every check good with the fake microphone (it beeps), the fake camera, a loopback network and
 *   the echo call; the test call never shows as a call or in the history;
 * - the same test call is poor once the sandbox drops a third of the packets it sends;
 * - a silent microphone (Chromium fed a file of silence) gets "No sound from …".
 */
import { writeFile } from 'node:fs/promises';
import { chromium, expect, type Page } from '@playwright/test';
import { ECHO_NUMBER } from '../../sandbox/sandbox';
import { chromiumLaunchOptions } from '../support/chromium';
import { launchApp } from '../support/app-harness';
import { endpointsOf, sandboxTest } from '../support/fixtures';
import { checkScreen, onboard } from '../support/softphone-helpers';

const test = sandboxTest();
const CALLER_ID = { name: 'Ada', number: '+13125550142' };

async function openSetupTest(page: Page): Promise<void> {
	await page.getByRole('button', { name: 'Settings' }).click();
	await page.getByRole('button', { name: 'Test my setup' }).click();
	await expect(page.getByRole('heading', { name: 'Test my setup' })).toBeVisible();
}

const check = (page: Page, id: string) => page.getByTestId(`setup-${id}`);

test('Test my setup finds a healthy setup, and its test call is never a call', async ({
	sandbox,
	launch,
}, testInfo) => {
	test.setTimeout(90_000);
	const app = await launch('Ada desk');
	await onboard(app.page, sandbox.apiKey, CALLER_ID);
	await openSetupTest(app.page);
	await checkScreen(app.page, testInfo, 'test my setup: before');
	await app.page.getByRole('button', { name: 'Run all checks' }).click();
	await expect(check(app.page, 'call')).toHaveAttribute('data-verdict', /good|fair|poor/, {
		timeout: 40_000,
	});
	await app.page.getByRole('button', { name: 'I heard it' }).click();
	for (const id of ['microphone', 'speaker', 'camera', 'network', 'call'])
		await expect(check(app.page, id), id).toHaveAttribute('data-verdict', 'good');
	await expect(check(app.page, 'microphone')).toContainText('We hear you on');
	await expect(check(app.page, 'camera')).toContainText(/The camera works: .+, \d+×\d+\./);
	await expect(check(app.page, 'network')).toContainText(/Telnyx answered in \d+ ms/);
	await expect(check(app.page, 'call')).toContainText(/The test call sounded good \(MOS 4\.\d/);
	await checkScreen(app.page, testInfo, 'test my setup: healthy');

	// The echo really answered, through the gateway; nothing of it reached the call list or the history.
	const calls = sandbox.admin.calls();
	expect(calls).toHaveLength(1);
	expect(calls[0]?.to.replace(/\D/g, '')).toBe(ECHO_NUMBER.replace(/\D/g, ''));
	expect(calls[0]?.answeredAt).not.toBeNull();
	await app.page.getByRole('button', { name: 'History' }).click();
	await expect(app.page.getByText('No calls yet')).toBeVisible();
	expect(app.ipc.calls).not.toContain('history:add');
	// Main kept the report (for the support bundle), once per finished check.
	expect(
		app.ipc.calls.filter((c) => c === 'diagnostics:saveSetupReport').length,
	).toBeGreaterThanOrEqual(5);
});

test('the test call is poor when the network loses a third of the packets', async ({
	sandbox,
	launch,
}) => {
	test.setTimeout(60_000);
	const app = await launch('Ada desk');
	await onboard(app.page, sandbox.apiKey, CALLER_ID);
	sandbox.admin.setMediaImpairment({ lossPercent: 33, delayMs: 0, jitterMs: 0 });
	await openSetupTest(app.page);
	await app.page.getByRole('button', { name: 'Test call quality' }).click();
	await expect(check(app.page, 'call')).toHaveAttribute('data-verdict', 'poor', {
		timeout: 30_000,
	});
	await expect(check(app.page, 'call')).toContainText(/sounded poor .*loss [1-9]\d?\.\d %/);
	await expect(check(app.page, 'call')).toContainText('Use a cable');
});

test('a silent microphone gets "No sound from" it', async ({ sandbox }, testInfo) => {
	test.setTimeout(60_000);
	// Chromium's fake microphone plays this file instead of its beep: one second of 16-bit PCM zeros.
	const silence = testInfo.outputPath('silence.wav');
	await writeFile(silence, silentWav(1));
	const options = chromiumLaunchOptions();
	const browser = await chromium.launch({
		...options,
		args: [...(options.args ?? []), `--use-file-for-fake-audio-capture=${silence}`],
	});
	try {
		const app = await launchApp(browser, {
			endpoints: endpointsOf(sandbox),
			deviceName: 'Quiet desk',
		});
		try {
			await onboard(app.page, sandbox.apiKey, CALLER_ID);
			await openSetupTest(app.page);
			await app.page.getByRole('button', { name: 'Test microphone' }).click();
			await expect(check(app.page, 'microphone')).toHaveAttribute('data-verdict', 'poor', {
				timeout: 15_000,
			});
			await expect(check(app.page, 'microphone')).toContainText(/No sound from .+\./);
			await expect(check(app.page, 'microphone')).toContainText('not muted');
		} finally {
			await app.close();
		}
	} finally {
		await browser.close();
	}
});

/** A WAV file of `seconds` of silence: 48 kHz, mono, 16-bit. */
function silentWav(seconds: number): Buffer {
	const rate = 48_000;
	const data = rate * 2 * seconds;
	const header = Buffer.alloc(44);
	header.write('RIFF', 0);
	header.writeUInt32LE(36 + data, 4);
	header.write('WAVE', 8);
	header.write('fmt ', 12);
	header.writeUInt32LE(16, 16);
	header.writeUInt16LE(1, 20); // PCM
	header.writeUInt16LE(1, 22); // mono
	header.writeUInt32LE(rate, 24);
	header.writeUInt32LE(rate * 2, 28);
	header.writeUInt16LE(2, 32);
	header.writeUInt16LE(16, 34);
	header.write('data', 36);
	header.writeUInt32LE(data, 40);
	return Buffer.concat([header, Buffer.alloc(data)]);
}
