import { describe, expect, it } from 'vitest';
import type { Installation, Result, TelnyxFailure } from '../../../preload/contract';
import { AccountModel } from '../../../renderer/src/lib/account-model.svelte';
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
