/**
 * Seeding an account with many installations at once (`POST /admin/installations`), and the credentials list
 * answering them as the spec defines it: exact filters, `page[size]` up to 250, `meta.total_results`.
 */
import Telnyx from 'telnyx';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';

let sandbox: Sandbox;
beforeEach(async () => {
	sandbox = await startSandbox();
});
afterEach(() => sandbox.close());

const seed = (body: unknown) =>
	fetch(`${sandbox.adminUrl}/installations`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});

describe('POST /admin/installations', () => {
	it('seeds an account in one request; the list pages them and counts them all', async () => {
		const other = sandbox.admin.createAccount();
		const answer = await seed({ count: 1_000, api_key: other.apiKey });
		expect(answer.status).toBe(201);
		const body = (await answer.json()) as {
			count: number;
			data: { id: string; name: string; sip_username: string }[];
		};
		expect(body.count).toBe(1_000);
		expect(new Set(body.data.map((c) => c.sip_username)).size).toBe(1_000);
		expect(body.data[0]!.name).toMatch(/^Desk 1000 \([0-9a-f]{8}\)$/);

		const telnyx = new Telnyx({
			apiKey: other.apiKey,
			baseURL: sandbox.restBaseUrl,
			maxRetries: 0,
		});
		const raw = await telnyx.telephonyCredentials
			.list({ filter: { tag: 'telnyx-softphone' }, 'page[number]': 1, 'page[size]': 250 })
			.asResponse();
		const page = (await raw.json()) as {
			data: { id: string }[];
			meta: { total_results: number; total_pages: number };
		};
		expect(page.data).toHaveLength(250);
		expect(page.meta).toMatchObject({ total_results: 1_000, total_pages: 4 });
		// Newest first, as every sandbox list.
		expect(page.data[0]!.id).toBe(body.data[0]!.id);
		// The default account has none of them.
		const own = await new Telnyx({
			apiKey: sandbox.apiKey,
			baseURL: sandbox.restBaseUrl,
			maxRetries: 0,
		}).telephonyCredentials.list({ filter: { tag: 'telnyx-softphone' } });
		expect(own.data).toEqual([]);
		// Exact filters only: the full name finds one, a part of it none.
		const exact = await telnyx.telephonyCredentials.list({
			filter: { tag: 'telnyx-softphone', name: body.data[500]!.name },
		});
		expect(exact.data.map((c) => c.id)).toEqual([body.data[500]!.id]);
		const partial = await telnyx.telephonyCredentials.list({
			filter: { name: body.data[500]!.name.slice(0, 9) },
		});
		expect(partial.data).toEqual([]);
		expect(sandbox.admin.specReport().mismatches).toEqual([]);
	});

	it('refuses a count that is not a whole number from 1 to 100000, and an unknown key', async () => {
		for (const count of [0, -1, 1.5, 'many', 100_001])
			expect((await seed({ count })).status).toBe(400);
		expect((await seed({ count: 1, api_key: 'KEYNOBODY' })).status).toBe(400);
	});
});
