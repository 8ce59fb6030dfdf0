import { afterEach, describe, expect, it, vi } from 'vitest';
import {
	invokeContract,
	type Installation,
	type Result,
	type TelnyxFailure,
} from '../../../preload/contract';
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
						// The same guard main's IPC applies: text main would refuse is refused here too.
						const parsed = invokeContract.account.searchInstallations.args.safeParse([query]);
						if (!parsed.success)
							throw new Error(`[BAD_INPUT] account:searchInstallations: ${parsed.error.message}`);
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

	it('looks up only what Telnyx can match: a full credential name, a SIP user name, the app’s own address', async () => {
		vi.useFakeTimers();
		const { account, calls } = recording();
		await account.refreshDirectory();
		calls.length = 0;
		for (const text of [
			'Far Office',
			'Alice Smith',
			'Far Office (1a2b3c',
			'sip:alice@example.com',
			'sip:gencredFar01@sip.telnyx.com',
			'gencredOther99',
			'Far Office (1a2b3c4d)',
		]) {
			account.lookUp(text);
			await vi.advanceTimersByTimeAsync(LOOKUP_DELAY_MS);
		}
		expect(calls).toEqual([
			'list',
			'list',
			'list',
			'list',
			'search:sip:gencredFar01@sip.telnyx.com',
			'search:gencredOther99',
			'search:Far Office (1a2b3c4d)',
		]);
	});

	it('never sends text main refuses (too long, invisible characters): it asks for the directory instead', async () => {
		vi.useFakeTimers();
		const { account, calls } = recording();
		await account.refreshDirectory();
		calls.length = 0;
		// The dialer takes up to 512 characters; main searches at most 128, without control characters.
		for (const text of [
			`sip:gencred${'a1'.repeat(150)}@sip.telnyx.com`,
			`${'Far Office '.repeat(20)}(1a2b3c4d)`,
			'Far\u200b Office (1a2b3c4d)',
			'gencred\u202eFar01',
		]) {
			account.lookUp(text);
			await vi.advanceTimersByTimeAsync(LOOKUP_DELAY_MS);
		}
		expect(calls).toEqual(['list', 'list', 'list', 'list']);
		expect(account.directoryError).toBeNull();
	});

	it('a lookup the bridge throws on says why, instead of an unhandled rejection', async () => {
		vi.useFakeTimers();
		const account = new AccountModel(
			fakeBridge({
				account: {
					listInstallations: async () => ({ ok: true, value: DIRECTORY }),
					searchInstallations: async () => {
						throw new Error('[INTERNAL] account:searchInstallations: the handler failed');
					},
				},
			}),
		);
		await account.refreshDirectory();
		account.lookUp('Far Office (1a2b3c4d)');
		await vi.advanceTimersByTimeAsync(LOOKUP_DELAY_MS);
		expect(account.directoryError).toMatch(/could not/i);
		expect(account.directory).toEqual(DIRECTORY);
	});
});
