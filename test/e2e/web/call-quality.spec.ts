/**
 * Live call quality and its summary in History, end to end: a video call to the sandbox's echo number (its
 * media goes through the gateway and comes back), sampled from the real peer connection every 2 s. The
 * charts must grow and the figures move; after hangup, the history entry says how the call sounded and
 * keeps Telnyx's ids of it.
 */
import { expect, type Page } from '@playwright/test';
import { ECHO_NUMBER } from '../../sandbox/sandbox';
import { sandboxTest } from '../support/fixtures';
import { checkScreen, onboard } from '../support/softphone-helpers';

const test = sandboxTest();

const points = async (page: Page, chart: string) =>
	Number(await page.getByTestId(`quality-chart-${chart}`).getAttribute('data-points'));
const text = async (page: Page, id: string) =>
	((await page.getByTestId(id).textContent()) ?? '').replace(/\s+/g, ' ').trim();

test('a video call shows live quality that moves, and History keeps its summary', async ({
	sandbox,
	launch,
}, testInfo) => {
	test.setTimeout(90_000);
	const app = await launch('Ada desk');
	await onboard(app.page, sandbox.apiKey, { name: 'Ada', number: '+13125550142' });
	await app.page.getByLabel('Number, SIP address or installation').fill(ECHO_NUMBER);
	await app.page.getByRole('button', { name: 'Video call', exact: true }).click();
	await expect(app.page.getByTestId('call-phase')).toHaveText('In call', { timeout: 20_000 });
	// In a video call the view is folded under its headline (the picture needs the room): unfold it.
	await app.page.locator('summary', { hasText: 'Call quality' }).click();

	// The first samples, then more: every chart grows, and the bitrate (sent and received) changes.
	await expect.poll(() => points(app.page, 'mos'), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
	const first = {
		bitrate: await text(app.page, 'quality-bitrate'),
		mos: await points(app.page, 'mos'),
	};
	await expect
		.poll(async () => (await points(app.page, 'bitrate')) >= first.mos + 2, { timeout: 15_000 })
		.toBe(true);
	await expect
		.poll(() => text(app.page, 'quality-bitrate'), { timeout: 10_000 })
		.not.toBe(first.bitrate);
	for (const chart of ['jitter', 'loss', 'rtt', 'bitrate'])
		expect(await points(app.page, chart), chart).toBeGreaterThanOrEqual(first.mos + 2);
	expect(await text(app.page, 'quality-mos')).toMatch(/[1-4]\.\d/);
	expect(await text(app.page, 'quality-codec')).toMatch(/opus/i);
	expect(await text(app.page, 'quality-codec')).toMatch(/VP8|H\.?264/i);
	expect(await app.page.getByTestId('quality-relay').getAttribute('data-relayed')).toBe('false');
	await checkScreen(app.page, testInfo, 'call quality: live');

	await app.page.getByRole('button', { name: 'Hang up' }).click();
	await app.page.getByRole('button', { name: 'History' }).click();
	const entry = app.page.getByTestId('history-entry').first();
	await expect(entry.getByTestId('history-quality')).toContainText(/Quality: (good|fair)/);
	await checkScreen(app.page, testInfo, 'call quality: history');

	// Main kept the summary and Telnyx's ids with the entry (what the support bundle reports).
	const [recorded] = await app.services.handlers.history.list();
	expect(recorded?.quality?.samples).toBeGreaterThanOrEqual(3);
	expect(recorded?.quality?.mosAverage).toBeGreaterThan(3.5);
	expect(recorded?.telnyxIds?.sessionId).toBe(sandbox.admin.calls()[0]?.id);
	expect(recorded?.cause).toBe('NORMAL_CLEARING');
});
