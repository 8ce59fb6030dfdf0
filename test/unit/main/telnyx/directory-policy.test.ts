import { describe, expect, it } from 'vitest';
import {
	DIRECTORY_BUDGET_PER_MINUTE,
	DirectoryPolicy,
	JITTER,
	MAX_SEARCH_TOKENS,
	MIN_REFRESH_MS,
	REFRESH_SHARE_PER_MINUTE,
	SEARCH_SHARE_PER_MINUTE,
	refreshIntervalMs,
	searchIntervalMs,
} from '../../../../main/telnyx/directory-policy';

const MINUTE = 60_000;

/** A policy over a clock the test moves and a random source it scripts. */
function setup(randoms: number[] = []) {
	let time = 1_000_000;
	const policy = new DirectoryPolicy({
		now: () => time,
		random: () => randoms.shift() ?? 0,
	});
	return {
		policy,
		advance: (ms: number) => {
			time += ms;
		},
		/** Runs one refresh to success if the policy allows one; answers whether it did. */
		refresh: (total: number) => {
			if (!policy.shouldRefresh()) return false;
			policy.refreshStarted();
			policy.refreshSucceeded(total);
			return true;
		},
	};
}

describe('intervals', () => {
	it('scale with the installations so that all of them together keep to the shares', () => {
		for (const total of [1_000, 5_000, 20_000]) {
			expect((total * MINUTE) / refreshIntervalMs(total)).toBeCloseTo(REFRESH_SHARE_PER_MINUTE);
			expect((total * MINUTE) / searchIntervalMs(total)).toBeCloseTo(SEARCH_SHARE_PER_MINUTE);
		}
		expect(REFRESH_SHARE_PER_MINUTE + SEARCH_SHARE_PER_MINUTE).toBeLessThan(
			DIRECTORY_BUDGET_PER_MINUTE,
		);
	});

	it('have a floor for a small account', () => {
		expect(refreshIntervalMs(1)).toBe(MIN_REFRESH_MS);
		expect(refreshIntervalMs(0)).toBe(MIN_REFRESH_MS);
		expect(refreshIntervalMs(1_000)).toBeGreaterThan(MIN_REFRESH_MS);
	});
});

describe('refreshes', () => {
	it('the first ask refreshes at once; then not before the jittered interval', () => {
		const { policy, advance, refresh } = setup([0.5]);
		expect(refresh(1_000)).toBe(true);
		const due = refreshIntervalMs(1_000) * (1 + JITTER * 0.5);
		advance(due - 1);
		expect(policy.shouldRefresh()).toBe(false);
		advance(1);
		expect(policy.shouldRefresh()).toBe(true);
	});

	it('a refresh in flight is joined: a burst of asks starts one', () => {
		const { policy } = setup();
		let started = 0;
		for (let i = 0; i < 1_000; i += 1) {
			if (policy.shouldRefresh()) {
				policy.refreshStarted();
				started += 1;
			}
		}
		expect(started).toBe(1);
	});

	it('a page asking in a loop gets one refresh per interval, however often it asks', () => {
		const { policy, advance, refresh } = setup(Array(100).fill(0.999));
		let refreshes = 0;
		// An ask every second for 10 hours on an account of 1,000.
		for (let second = 0; second < 10 * 3600; second += 1) {
			if (refresh(1_000)) refreshes += 1;
			advance(1_000);
		}
		const fewest = Math.floor((10 * 60 * MINUTE) / (refreshIntervalMs(1_000) * (1 + JITTER)));
		const most = Math.ceil((10 * 60 * MINUTE) / refreshIntervalMs(1_000));
		expect(refreshes).toBeGreaterThanOrEqual(fewest);
		expect(refreshes).toBeLessThanOrEqual(most);
		expect(policy.total).toBe(1_000);
	});

	it('a failure waits out the interval too (the account may be rate-limited)', () => {
		const { policy, advance, refresh } = setup([0, 0]);
		expect(refresh(5_000)).toBe(true);
		advance(refreshIntervalMs(5_000));
		expect(policy.shouldRefresh()).toBe(true);
		policy.refreshStarted();
		policy.refreshFailed();
		expect(policy.shouldRefresh()).toBe(false);
		advance(refreshIntervalMs(5_000) - 1);
		expect(policy.shouldRefresh()).toBe(false);
		advance(1);
		expect(policy.shouldRefresh()).toBe(true);
	});

	it('a cold cache that fails retries no sooner than the floor', () => {
		const { policy, advance } = setup([0]);
		policy.refreshStarted();
		policy.refreshFailed();
		advance(MIN_REFRESH_MS - 1);
		expect(policy.shouldRefresh()).toBe(false);
		advance(1);
		expect(policy.shouldRefresh()).toBe(true);
	});

	it('jitter spreads installations started together over half an interval', () => {
		const dues: number[] = [];
		for (const r of [0, 0.25, 0.5, 0.75, 0.999]) {
			const { policy, advance, refresh } = setup([r]);
			refresh(2_400);
			let waited = 0;
			while (!policy.shouldRefresh()) {
				advance(MINUTE);
				waited += MINUTE;
			}
			dues.push(waited);
		}
		const interval = refreshIntervalMs(2_400);
		expect(Math.min(...dues)).toBe(interval);
		expect(Math.max(...dues)).toBeGreaterThan(interval * 1.4);
		expect(new Set(dues).size).toBe(dues.length);
	});

	it('reset forgets the account', () => {
		const { policy, refresh } = setup();
		refresh(100);
		expect(policy.shouldRefresh()).toBe(false);
		policy.reset();
		expect(policy.total).toBeNull();
		expect(policy.shouldRefresh()).toBe(true);
	});
});

describe('a page kept from an earlier run', () => {
	it('still fresh: refreshed when it would have been', () => {
		const { policy, advance } = setup([0, 0]);
		const interval = refreshIntervalMs(1_000);
		policy.restored(1_000, 1_000_000 - interval / 2);
		expect(policy.total).toBe(1_000);
		advance(interval / 2 - 1);
		expect(policy.shouldRefresh()).toBe(false);
		advance(1);
		expect(policy.shouldRefresh()).toBe(true);
	});

	it('stale (closed overnight) or dated in the future: refreshed at a random point of the next interval', () => {
		for (const fetchedAt of [1_000_000 - 14 * 3_600_000, 1_000_000 + 3_600_000]) {
			const { policy, advance } = setup([0.25]);
			const interval = refreshIntervalMs(5_000);
			policy.restored(5_000, fetchedAt);
			expect(policy.shouldRefresh()).toBe(false);
			advance(interval * 0.25 - 1);
			expect(policy.shouldRefresh()).toBe(false);
			advance(1);
			expect(policy.shouldRefresh()).toBe(true);
		}
	});
});

describe('searches', () => {
	it('none before the account’s size is known', () => {
		const { policy } = setup();
		expect(policy.takeSearch()).toBe(false);
	});

	it('the first token arrives at a random point of the first interval', () => {
		const { policy, advance, refresh } = setup([0, 0.5]);
		refresh(1_000);
		const interval = searchIntervalMs(1_000);
		advance(interval * 0.5 - 1);
		expect(policy.takeSearch()).toBe(false);
		advance(1);
		expect(policy.takeSearch()).toBe(true);
		expect(policy.takeSearch()).toBe(false);
	});

	it('one search per interval in a loop, and at most a few saved up', () => {
		const { policy, advance, refresh } = setup([0, 0]);
		refresh(1_000);
		const interval = searchIntervalMs(1_000);
		let allowed = 0;
		for (let step = 0; step < 100; step += 1) {
			for (let attempt = 0; attempt < 50; attempt += 1) if (policy.takeSearch()) allowed += 1;
			advance(interval);
		}
		expect(allowed).toBe(100);
		advance(interval * 10);
		let saved = 0;
		while (policy.takeSearch()) saved += 1;
		expect(saved).toBe(MAX_SEARCH_TOKENS);
	});
});
