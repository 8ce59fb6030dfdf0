/**
 * The directory at scale, against the sandbox over HTTP: the page cannot make main burn the account's rate
 * limit, and a seeded account's installations together stay within the directory's budget.
 */
import { describe, expect, it } from 'vitest';
import {
	DIRECTORY_BUDGET_PER_MINUTE,
	MAX_SEARCH_TOKENS,
} from '../../../main/telnyx/directory-policy';
import { DIRECTORY_PAGE_SIZE } from '../../../main/telnyx/directory';
import { startSandbox } from '../../sandbox/sandbox';
import type { RestLogEntry } from '../../sandbox/rest/rest-api';
import type { CredentialRecord } from '../../sandbox/store';
import { SimulatedClock, runFleet } from '../../bench/directory-fleet';
import { route } from './support';
import { testEnvPerTest } from './per-test-env';

const directoryRequests = (entries: readonly RestLogEntry[]) =>
	entries.filter((e) => route(e) === 'GET /telephony_credentials');

describe('a page asking in a loop', () => {
	const env = testEnvPerTest();

	it('reaches Telnyx once for a burst of listInstallations, and searches only as the budget allows', async () => {
		const app = await env.app({ deviceName: 'Burst Desk' });
		expect((await app.handlers.credentials.setApiKey(env.sandbox.apiKey)).ok).toBe(true);
		expect((await app.handlers.provisioning.run({})).ok).toBe(true);
		const seeded = env.sandbox.admin.seedInstallations({ count: 1_000 });

		const mark = env.mark();
		const burst = await Promise.all(
			Array.from({ length: 100 }, async () => app.handlers.account.listInstallations()),
		);
		for (let i = 0; i < 100; i += 1) await app.handlers.account.listInstallations();
		expect(directoryRequests(env.requests(mark))).toHaveLength(1);
		for (const answer of burst) {
			expect(answer.ok && answer.value).toHaveLength(DIRECTORY_PAGE_SIZE);
		}
		// The one request asked for one page of the app's credentials, Telnyx's largest.
		const query = new URLSearchParams(env.requests(mark)[0]!.query);
		expect(Object.fromEntries(query)).toEqual({
			'filter[tag]': 'telnyx-softphone',
			'page[number]': '1',
			'page[size]': String(DIRECTORY_PAGE_SIZE),
		});

		// A search loop over names the page does not hold: a few requests at most, and each an exact filter.
		const offPage = seeded.slice(DIRECTORY_PAGE_SIZE);
		const searchMark = env.mark();
		for (const credential of offPage.slice(0, 200)) {
			const answer = await app.handlers.account.searchInstallations(credential.sip_username);
			expect(answer.ok).toBe(true);
		}
		const searches = directoryRequests(env.requests(searchMark));
		expect(searches.length).toBeLessThanOrEqual(MAX_SEARCH_TOKENS);
		for (const search of searches) expect(search.query).toMatch(/filter%5Bsip_username%5D=/);
	});
});

describe('a seeded account, every installation running', () => {
	it('stays within the budget every minute at 1,000 installations', async () => {
		const clock = new SimulatedClock();
		const sandbox = await startSandbox({ now: clock.date });
		try {
			const account = sandbox.admin.createAccount();
			const installations: CredentialRecord[] = sandbox.admin.seedInstallations({
				count: 1_000,
				apiKey: account.apiKey,
			});
			const run = await runFleet({
				sandbox,
				clock,
				apiKey: account.apiKey,
				installations,
				running: installations.length,
				policy: 'new',
				minutes: 90,
				startMinutes: 60,
				seed: 17,
			});
			// The fleet did make requests (the count is measured, not assumed) …
			expect(run.perMinute.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(1_000);
			// … and no minute went over the budget, and Telnyx's limit was never hit.
			expect(Math.max(...run.perMinute)).toBeLessThanOrEqual(DIRECTORY_BUDGET_PER_MINUTE);
			expect(run.limited).toBe(0);
			expect(run.failures).toBe(0);
		} finally {
			await sandbox.close();
		}
	}, 120_000);
});
