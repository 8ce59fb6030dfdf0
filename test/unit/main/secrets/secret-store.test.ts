import { afterEach, describe, expect, it, vi } from 'vitest';
import {
	SecretStore,
	classifyKeychainError,
	type KeychainBackend,
} from '../../../../main/secrets/secret-store';

/** An in-memory keychain whose behaviour a test can switch: working, locked, absent, or frozen. */
function backend() {
	const items = new Map<string, string>();
	let mode: 'ok' | 'locked' | 'unavailable' | 'frozen' = 'ok';
	const frozen: (() => void)[] = [];
	let calls = 0;
	let inFlight = 0;
	let maxInFlight = 0;
	const act = async <T>(fn: () => T): Promise<T> => {
		calls += 1;
		inFlight += 1;
		maxInFlight = Math.max(maxInFlight, inFlight);
		try {
			if (mode === 'frozen') await new Promise<void>((resolve) => frozen.push(resolve));
			if (mode === 'unavailable')
				throw new Error('The name org.freedesktop.secrets was not provided by any .service files');
			return fn();
		} finally {
			inFlight -= 1;
		}
	};
	const api: KeychainBackend = {
		getPassword: (s, a) => act(() => (mode === 'locked' ? null : (items.get(`${s}/${a}`) ?? null))),
		setPassword: (s, a, p) =>
			act(() => {
				if (mode === 'locked') throw new Error('Cannot create an item in a locked collection');
				items.set(`${s}/${a}`, p);
			}),
		deletePassword: (s, a) =>
			act(() => {
				if (mode === 'locked') throw new Error('Cannot create an item in a locked collection');
				return items.delete(`${s}/${a}`);
			}),
	};
	return {
		api,
		items,
		set mode(m: typeof mode) {
			mode = m;
		},
		thaw() {
			mode = 'ok';
			for (const resolve of frozen.splice(0)) resolve();
		},
		get calls() {
			return calls;
		},
		get maxInFlight() {
			return maxInFlight;
		},
	};
}

describe('classifyKeychainError', () => {
	it.each([
		['Cannot autolaunch D-Bus without X11 $DISPLAY', 'unavailable'],
		['The name org.freedesktop.secrets was not provided by any .service files', 'unavailable'],
		['Cannot create an item in a locked collection', 'locked'],
		['Object does not exist at path “/org/freedesktop/secrets/collection/login”', 'locked'],
		['Timeout was reached', 'timeout'],
	])('%s → %s', (message, state) => {
		expect(classifyKeychainError(new Error(message))).toBe(state);
	});
});

describe('SecretStore', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('stores, reads back and deletes; a missing item reads as null with state ok', async () => {
		const b = backend();
		const store = new SecretStore({ backend: b.api, service: 'svc' });
		expect(await store.set('api-key', 'KEY123')).toBe('ok');
		expect(await store.get('api-key')).toEqual({ state: 'ok', value: 'KEY123' });
		expect(await store.delete('api-key')).toBe('ok');
		expect(await store.get('api-key')).toEqual({ state: 'ok', value: null });
		expect([...b.items.keys()]).toEqual([]);
	});

	it('never reports "nothing stored" from a locked keychain, whose reads answer null', async () => {
		const b = backend();
		const store = new SecretStore({ backend: b.api, service: 'svc' });
		await store.set('api-key', 'KEY123');
		b.mode = 'locked';
		const fresh = new SecretStore({ backend: b.api, service: 'svc' });
		expect(await fresh.get('api-key')).toEqual({ state: 'locked' });
		expect(b.items.get('svc/api-key')).toBe('KEY123');
	});

	it('reports a save the keychain refused as locked or unavailable', async () => {
		const b = backend();
		const store = new SecretStore({ backend: b.api, service: 'svc' });
		b.mode = 'locked';
		expect(await store.set('api-key', 'KEY123')).toBe('locked');
		b.mode = 'unavailable';
		expect(await store.set('api-key', 'KEY123')).toBe('unavailable');
		expect(await store.probe()).toBe('unavailable');
	});

	it('reports a write the keychain accepted but did not read back as not saved', async () => {
		const b = backend();
		const forgetful: KeychainBackend = { ...b.api, getPassword: async () => null };
		const store = new SecretStore({ backend: forgetful, service: 'svc' });
		expect(await store.set('api-key', 'KEY123')).toBe('locked');
		expect(b.items.get('svc/api-key')).toBe('KEY123');

		const changed: KeychainBackend = { ...b.api, getPassword: async () => 'KEY-other' };
		expect(
			await new SecretStore({ backend: changed, service: 'svc' }).set('api-key', 'KEY123'),
		).toBe('locked');
	});

	it('leaves no timer behind once a call that waited for a stuck one has settled', async () => {
		vi.useFakeTimers();
		const b = backend();
		const store = new SecretStore({ backend: b.api, service: 'svc', timeoutMs: 1000 });
		await store.set('api-key', 'KEY123');
		b.mode = 'frozen';
		const stuck = store.get('api-key');
		await vi.advanceTimersByTimeAsync(1000);
		expect(await stuck).toEqual({ state: 'timeout' });

		// This call waits for the stuck one (racing it against its deadline), which then answers.
		const waiting = store.get('api-key');
		await vi.advanceTimersByTimeAsync(100);
		b.thaw();
		expect(await waiting).toEqual({ state: 'ok', value: 'KEY123' });
		expect(vi.getTimerCount()).toBe(0);
	});

	it('answers timeout within the deadline when the daemon freezes, starts no second native call meanwhile, and recovers', async () => {
		const b = backend();
		const store = new SecretStore({ backend: b.api, service: 'svc', timeoutMs: 200 });
		await store.set('api-key', 'KEY123');
		b.mode = 'frozen';
		const started = Date.now();
		const results = await Promise.all([
			store.get('api-key'),
			store.get('api-key'),
			store.set('x', 'y'),
		]);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(results).toEqual([{ state: 'timeout' }, { state: 'timeout' }, 'timeout']);
		// Only the first call reached the frozen daemon: the others never started.
		expect(b.maxInFlight).toBe(1);
		b.thaw();
		expect(await store.get('api-key')).toEqual({ state: 'ok', value: 'KEY123' });
	});

	it('runs concurrent calls one at a time, in order (last write wins)', async () => {
		const b = backend();
		const store = new SecretStore({ backend: b.api, service: 'svc' });
		await Promise.all(Array.from({ length: 10 }, (_, i) => store.set('api-key', `KEY${i}`)));
		expect(b.maxInFlight).toBe(1);
		expect(await store.get('api-key')).toEqual({ state: 'ok', value: 'KEY9' });
	});
});
