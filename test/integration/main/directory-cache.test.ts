/**
 * main's `Directory` over the real `TelnyxApi` and `telnyx` library against the sandbox, on a clock the test
 * moves (the sandbox reads it too): what the cache answers, when it reaches Telnyx, and what it keeps on disk.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/logger';
import { nodeSettingsFs } from '../../../main/node-fs';
import { Directory, STALE_WAIT_MS, type DirectorySnapshots } from '../../../main/telnyx/directory';
import { directoryFile } from '../../../main/telnyx/directory-file';
import {
	MIN_REFRESH_MS,
	refreshIntervalMs,
	searchIntervalMs,
} from '../../../main/telnyx/directory-policy';
import { TelnyxApi } from '../../../main/telnyx/telnyx-api';
import { createTelnyxClient, describeFailure } from '../../../main/telnyx/telnyx-client';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import type { CredentialRecord } from '../../sandbox/store';
import { SimulatedClock } from '../../bench/directory-fleet';

let clock: SimulatedClock;
let sandbox: Sandbox;
let seeded: CredentialRecord[];
let dir: string;

beforeEach(async () => {
	clock = new SimulatedClock();
	sandbox = await startSandbox({ now: clock.date });
	seeded = sandbox.admin.seedInstallations({ count: 300 });
	dir = await mkdtemp(path.join(tmpdir(), 'directory-cache-'));
});
afterEach(async () => {
	await sandbox.close();
	await rm(dir, { recursive: true, force: true });
});

function directory(options: { random?: number; snapshots?: DirectorySnapshots } = {}) {
	const api = new TelnyxApi({
		client: createTelnyxClient({
			apiKey: sandbox.apiKey,
			baseURL: sandbox.restBaseUrl,
			timeoutMs: 5_000,
		}),
		sleep: async () => {},
	});
	return new Directory({
		api: async () => api,
		describe: (error) => describeFailure(error, 5),
		selfId: () => seeded[0]!.id,
		now: clock.now,
		random: () => options.random ?? 0,
		...(options.snapshots === undefined ? {} : { snapshots: options.snapshots }),
	});
}

const listed = () =>
	sandbox.admin.requests().filter((e) => e.method === 'GET' && e.path === '/telephony_credentials');

describe('Directory', () => {
	it('answers from the cache until stale, then from one refresh that every ask joins', async () => {
		const cache = directory();
		const first = await cache.list();
		expect(first.ok && first.value).toHaveLength(250);
		expect(first.ok && first.value.filter((e) => e.self)).toHaveLength(1);
		expect(listed()).toHaveLength(1);

		// A new installation appears; the cache does not see it until it is stale.
		const [newest] = sandbox.admin.seedInstallations({ count: 1 });
		clock.time += refreshIntervalMs(300) - 1;
		const cached = await cache.list();
		expect(cached.ok && cached.value.some((e) => e.sipUsername === newest!.sip_username)).toBe(
			false,
		);
		expect(listed()).toHaveLength(1);

		// Stale: the three asks start one refresh, wait for it (Telnyx answers well within STALE_WAIT_MS) and
		// show the newcomer — the window that got the focus shows it now, not on its next ask.
		clock.time += 1;
		const stale = await Promise.all([cache.list(), cache.list(), cache.list()]);
		for (const answer of stale)
			expect(answer.ok && answer.value.some((e) => e.sipUsername === newest!.sip_username)).toBe(
				true,
			);
		expect(listed()).toHaveLength(2);
	});

	it('answers what it holds at once for the dialer (dial.resolve): the page and found ones, never a request', async () => {
		const cache = directory({ random: 0 });
		// Nothing held yet: nothing, and no request for it.
		expect(cache.held()).toEqual([]);
		expect(listed()).toHaveLength(0);
		await cache.list();
		const offPage = seeded[270]!;
		await cache.search(`sip:${offPage.sip_username}@sip.telnyx.com`);
		const requests = listed().length;
		const held = cache.held();
		expect(held).toHaveLength(251);
		expect(held.filter((e) => e.self)).toHaveLength(1);
		expect(held.some((e) => e.sipUsername === offPage.sip_username)).toBe(true);
		// Stale, held() still reaches no one (the dialer asks per keystroke); what search found ages out.
		clock.time += 10 * refreshIntervalMs(300);
		const later = cache.held();
		expect(later).toHaveLength(250);
		expect(later.some((e) => e.sipUsername === offPage.sip_username)).toBe(false);
		expect(listed()).toHaveLength(requests);
	});

	it('a stale cache answers what it holds after STALE_WAIT_MS when Telnyx is slow, and the refresh lands behind', async () => {
		const cache = directory();
		await cache.list();
		const [newest] = sandbox.admin.seedInstallations({ count: 1 });
		sandbox.admin.addRestFault({
			method: 'GET',
			path: '/telephony_credentials',
			kind: 'delay',
			delayMs: STALE_WAIT_MS + 1500,
			times: 1,
		});
		clock.time += refreshIntervalMs(300);
		const asked = Date.now();
		const stale = await cache.list();
		const waited = Date.now() - asked;
		expect(waited).toBeGreaterThanOrEqual(STALE_WAIT_MS - 50);
		expect(waited).toBeLessThan(STALE_WAIT_MS + 1000);
		expect(stale.ok && stale.value.some((e) => e.sipUsername === newest!.sip_username)).toBe(false);
		await cache.idle();
		const fresh = await cache.list();
		expect(fresh.ok && fresh.value.some((e) => e.sipUsername === newest!.sip_username)).toBe(true);
		expect(listed()).toHaveLength(2);
	});

	it('a cold cache that fails says why, and does not ask again before the floor', async () => {
		sandbox.admin.addRestFault({
			method: 'GET',
			path: '/telephony_credentials',
			kind: 'status',
			status: 500,
			times: 10,
		});
		const cache = directory();
		const failed = await cache.list();
		expect(failed.ok).toBe(false);
		const attempts = listed().length;
		for (let i = 0; i < 20; i += 1) expect((await cache.list()).ok).toBe(false);
		expect(listed()).toHaveLength(attempts);
		sandbox.admin.clearFaults();
		clock.time += MIN_REFRESH_MS;
		expect((await cache.list()).ok).toBe(true);
		expect(listed()).toHaveLength(attempts + 1);
	});

	it('searches an installation off the page by SIP user name or full name, within its tokens', async () => {
		const cache = directory({ random: 0 });
		await cache.list();
		const [byUser, byName] = seeded.slice(260, 262) as [CredentialRecord, CredentialRecord];
		// Only the searches (the page's own refreshes carry no name filter).
		const searches = () =>
			listed()
				.map((e) => Object.fromEntries(new URLSearchParams(e.query)))
				.filter((q) => 'filter[name]' in q || 'filter[sip_username]' in q);
		// The first token arrives at once (random 0); the next one interval later.
		const one = await cache.search(`sip:${byUser.sip_username}@sip.telnyx.com`);
		expect(one.ok && one.value.some((e) => e.sipUsername === byUser.sip_username)).toBe(true);
		const refused = await cache.search(byName.name);
		expect(refused.ok && refused.value.some((e) => e.sipUsername === byName.sip_username)).toBe(
			false,
		);
		clock.time += searchIntervalMs(300);
		const two = await cache.search(byName.name);
		expect(two.ok && two.value.some((e) => e.sipUsername === byName.sip_username)).toBe(true);
		expect(searches()).toEqual([
			{
				'filter[tag]': 'telnyx-softphone',
				'filter[sip_username]': byUser.sip_username,
				'page[number]': '1',
				'page[size]': '20',
			},
			{
				'filter[tag]': 'telnyx-softphone',
				'filter[name]': byName.name,
				'page[number]': '1',
				'page[size]': '20',
			},
		]);
		// Names the cache already answers to, and short text, never reach Telnyx.
		clock.time += 10 * searchIntervalMs(300);
		await cache.search('Desk');
		await cache.search(seeded[1]!.sip_username);
		await cache.search('ab');
		expect(searches()).toHaveLength(2);
	});

	it('spends no search on text Telnyx cannot match: a part of a name, another name, an outside address', async () => {
		const cache = directory({ random: 0 });
		await cache.list();
		const offPage = seeded[261]!;
		const device = offPage.name.replace(/ \([0-9a-f]{8}\)$/, '');
		// Telnyx's filters are exact: none of these can be one of the app's credentials, so none may take the
		// one token there is (random 0: it is there at once).
		for (const text of [
			device,
			'Alice Smith',
			'sip:alice@example.com',
			`${offPage.name.slice(0, -3)}`,
			`${'x'.repeat(200)} (1a2b3c4d)`,
			`Desk\u200b 0261 (1a2b3c4d)`,
		]) {
			const answer = await cache.search(text);
			expect(answer.ok).toBe(true);
		}
		expect(listed()).toHaveLength(1);
		// The token is still there for the full name, which Telnyx can match.
		const found = await cache.search(offPage.name);
		expect(found.ok && found.value.some((e) => e.sipUsername === offPage.sip_username)).toBe(true);
		expect(listed()).toHaveLength(2);
	});

	it('an installation found by search ages out with the page, and can then be found again', async () => {
		const cache = directory({ random: 0 });
		await cache.list();
		const offPage = seeded[270]!;
		const searched = () => listed().filter((e) => e.query.includes('filter%5Bsip_username%5D'));
		const has = async () => {
			const answer = await cache.list();
			return answer.ok && answer.value.some((e) => e.sipUsername === offPage.sip_username);
		};
		await cache.search(offPage.sip_username);
		expect(searched()).toHaveLength(1);
		expect(await has()).toBe(true);
		clock.time += refreshIntervalMs(300) - 1;
		expect(await has()).toBe(true);
		// The page is stale now: it is refreshed, and what the search found is no longer trusted.
		clock.time += 1;
		await cache.list();
		await cache.idle();
		expect(listed()).toHaveLength(3);
		expect(await has()).toBe(false);
		// The same query is asked again once a token has come, and finds it.
		clock.time += searchIntervalMs(300);
		const again = await cache.search(offPage.sip_username);
		expect(again.ok && again.value.some((e) => e.sipUsername === offPage.sip_username)).toBe(true);
		expect(searched()).toHaveLength(2);
	});

	it('a restart answers from directory.json; a stale page is refreshed at a random point of the next interval', async () => {
		const file = path.join(dir, 'directory.json');
		const first = directory({ snapshots: directoryFile(file, nodeSettingsFs, silentLogger) });
		await first.list();
		await first.idle();
		const kept: unknown = JSON.parse(await readFile(file, 'utf8'));
		expect(kept).toMatchObject({ version: 1, total: 300 });
		expect(JSON.stringify(kept)).not.toMatch(/password/i);

		// The next morning: the page is stale; the restarted app answers from it without asking.
		clock.time += 14 * 3_600_000;
		const restarted = directory({
			random: 0.5,
			snapshots: directoryFile(file, nodeSettingsFs, silentLogger),
		});
		const answer = await restarted.list();
		expect(answer.ok && answer.value).toHaveLength(250);
		expect(listed()).toHaveLength(1);
		clock.time += refreshIntervalMs(300) * 0.5 - 1;
		await restarted.list();
		expect(listed()).toHaveLength(1);
		clock.time += 1;
		await restarted.list();
		await restarted.idle();
		expect(listed()).toHaveLength(2);

		// Another key forgets it, on disk too; a file that is not one is ignored.
		restarted.reset();
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(await directoryFile(file, nodeSettingsFs, silentLogger).load()).toBeNull();
		await writeFile(file, '{"version":1,"fetchedAt":"soon"}');
		expect(await directoryFile(file, nodeSettingsFs, silentLogger).load()).toBeNull();
		await writeFile(file, 'not json');
		expect(await directoryFile(file, nodeSettingsFs, silentLogger).load()).toBeNull();
	});
});
