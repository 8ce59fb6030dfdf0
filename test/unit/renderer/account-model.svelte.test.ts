import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Installation, Result, TelnyxFailure } from '../../../preload/contract';
import { AccountModel, LOOKUP_DELAY_MS } from '../../../renderer/src/lib/account-model.svelte';
import { fakeBridge } from '../../fakes/fake-bridge';

const DIRECTORY: Installation[] = [
	{ name: 'This Desk', sipUsername: 'gencredSelf', self: true },
	{ name: 'Kitchen Laptop', sipUsername: 'gencredKitchen', self: false },
];

describe('AccountModel: the directory', () => {
	it('keeps the installations, and offers every one but this computer’s', async () => {
		const account = new AccountModel(
			fakeBridge({ account: { listInstallations: async () => ({ ok: true, value: DIRECTORY }) } }),
		);
		await account.refreshDirectory();
		expect(account.directory).toEqual(DIRECTORY);
		expect(account.others.map((entry) => entry.name)).toEqual(['Kitchen Laptop']);
	});

	it('keeps the last list when a refresh fails, says why, and forgets why once one succeeds', async () => {
		const answers: Result<readonly Installation[], TelnyxFailure>[] = [
			{ ok: true, value: DIRECTORY },
			{ ok: false, error: { code: 'TIMEOUT', message: 'Can’t reach Telnyx.' } },
			{ ok: true, value: [] },
		];
		const account = new AccountModel(
			fakeBridge({ account: { listInstallations: async () => answers.shift()! } }),
		);
		await account.refreshDirectory();
		await account.refreshDirectory();
		expect(account.others.map((entry) => entry.name)).toEqual(['Kitchen Laptop']);
		expect(account.directoryError).toBe('Can’t reach Telnyx.');
		await account.refreshDirectory();
		expect(account.others).toEqual([]);
		expect(account.directoryError).toBeNull();
	});
});

describe('AccountModel: looking up what the dialer holds', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	/** A model whose bridge records which directory method each lookup used. */
	function recording() {
		const calls: string[] = [];
		const found: Installation = { name: 'Far Office', sipUsername: 'gencredFar01', self: false };
		const account = new AccountModel(
			fakeBridge({
				account: {
					listInstallations: async () => {
						calls.push('list');
						return { ok: true, value: DIRECTORY };
					},
					searchInstallations: async (query) => {
						calls.push(`search:${query}`);
						return { ok: true, value: [...DIRECTORY, found] };
					},
				},
			}),
		);
		return { account, calls };
	}

	it('waits for a pause in typing, then searches once for a name no installation answers to', async () => {
		vi.useFakeTimers();
		const { account, calls } = recording();
		await account.refreshDirectory();
		calls.length = 0;
		for (const text of ['F', 'Fa', 'Far', 'Far O', 'Far Office (1a2b3c4d)']) account.lookUp(text);
		await vi.advanceTimersByTimeAsync(LOOKUP_DELAY_MS - 1);
		expect(calls).toEqual([]);
		await vi.advanceTimersByTimeAsync(1);
		expect(calls).toEqual(['search:Far Office (1a2b3c4d)']);
		expect(account.others.map((entry) => entry.name)).toEqual(['Kitchen Laptop', 'Far Office']);
	});

	it('only asks for the directory when the text is short, a number or an installation it has', async () => {
		vi.useFakeTimers();
		const { account, calls } = recording();
		await account.refreshDirectory();
		calls.length = 0;
		for (const text of [
			'',
			'Ki',
			'+1 312 555 0142',
			'kitchen',
			'sip:gencredKitchen@sip.telnyx.com',
		]) {
			account.lookUp(text);
			await vi.advanceTimersByTimeAsync(LOOKUP_DELAY_MS);
		}
		expect(calls).toEqual(['list', 'list', 'list', 'list', 'list']);
	});
});
