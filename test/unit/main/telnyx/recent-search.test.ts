import { describe, expect, it } from 'vitest';
import { RecentSearch, SEARCH_MAX_AGE_MS } from '../../../../main/telnyx/recent-search';
import type { ConnectionInfo } from '../../../../main/telnyx/telnyx-api';

const KEY = `KEY${'a'.repeat(40)}`;
const URL_A = 'https://api.telnyx.com/v2';
const found: ConnectionInfo[] = [
	{
		id: '1684641123236054244',
		name: 'Telnyx Softphone',
		tags: ['telnyx-softphone'],
		codecs: ['OPUS', 'VP8', 'H.264'],
		sipUriCallingPreference: 'internal',
		outboundVoiceProfileId: null,
		createdAt: '2025-01-01T00:00:00Z',
		inbound: {},
		outbound: {},
	},
];

function clock(start = 1_000_000) {
	let now = start;
	return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('RecentSearch (the key check’s search, reused by the run that follows)', () => {
	it('hands out what was kept for the same key and endpoint while it is fresh', () => {
		const time = clock();
		const recent = new RecentSearch(time.now);
		recent.keep(KEY, URL_A, found);
		time.advance(SEARCH_MAX_AGE_MS - 1);
		expect(recent.take(KEY, URL_A)).toBe(found);
	});

	it('hands it out once: a second run searches again', () => {
		const recent = new RecentSearch(clock().now);
		recent.keep(KEY, URL_A, []);
		expect(recent.take(KEY, URL_A)).toEqual([]);
		expect(recent.take(KEY, URL_A)).toBeUndefined();
	});

	it('is stale from the maximum age on', () => {
		const time = clock();
		const recent = new RecentSearch(time.now);
		recent.keep(KEY, URL_A, found);
		time.advance(SEARCH_MAX_AGE_MS);
		expect(recent.take(KEY, URL_A)).toBeUndefined();
	});

	it('is not used when the clock went backwards', () => {
		const time = clock();
		const recent = new RecentSearch(time.now);
		recent.keep(KEY, URL_A, found);
		time.advance(-1);
		expect(recent.take(KEY, URL_A)).toBeUndefined();
	});

	it.each([
		['another key', `KEY${'b'.repeat(40)}`, URL_A],
		['another endpoint', KEY, 'http://127.0.0.1:14000/v2'],
	])('is not handed out for %s (and is dropped)', (_what, key, url) => {
		const recent = new RecentSearch(clock().now);
		recent.keep(KEY, URL_A, found);
		expect(recent.take(key, url)).toBeUndefined();
		expect(recent.take(KEY, URL_A)).toBeUndefined();
	});

	it('forgets on demand (the key was removed)', () => {
		const recent = new RecentSearch(clock().now);
		recent.keep(KEY, URL_A, found);
		recent.forget();
		expect(recent.take(KEY, URL_A)).toBeUndefined();
	});

	it('keeps the latest search only', () => {
		const recent = new RecentSearch(clock().now);
		recent.keep(KEY, URL_A, found);
		recent.keep(KEY, URL_A, []);
		expect(recent.take(KEY, URL_A)).toEqual([]);
	});
});
