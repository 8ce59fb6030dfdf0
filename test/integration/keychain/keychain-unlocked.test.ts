/**
 * The real keytar against an unlocked gnome-keyring (keychain cases K3, K6, K9): the
 * happy path, concurrent requests, and malformed keys. Each describe has its own child process, D-Bus
 * session and keyring (probe-harness.ts), so what one stores cannot leak into another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyError, KeyStatus, Result } from '../../../preload/contract';
import { ProbeChild, canaryKey, reapLeftovers, removeRoot, type Reply } from './probe-harness';

type ReadResult = { state: string; value?: string | null };
type Credential = { account: string; password: string };
type BatchItem = { op: string; result: unknown; ms: number };

afterAll(async () => {
	await reapLeftovers();
	removeRoot();
});

/**
 * How many keychain items carry these attributes: `secret-tool search --all` (libsecret-tools) when it is
 * installed, else keytar.findCredentials in the probe.
 */
async function itemCount(probe: ProbeChild, account: string): Promise<number> {
	const search = await probe.run([
		'secret-tool',
		'search',
		'--all',
		'service',
		probe.service,
		'account',
		account,
	]);
	if (search.code === 0) {
		return search.stdout.split('\n').filter((line) => /^\[.+\]$/.test(line)).length;
	}
	console.log(
		`secret-tool unavailable (${search.code}: ${search.stderr.trim()}); using findCredentials`,
	);
	const found = await probe.call<Credential[]>('find');
	return found.result.filter((c) => c.account === account).length;
}

describe('K3: unlocked gnome-keyring, the happy path', () => {
	let probe: ProbeChild;
	beforeAll(async () => {
		probe = await ProbeChild.start('unlocked');
	});
	afterAll(() => probe.close());

	it('save then read back equal; exactly one item for the service and account', async () => {
		const probed = await probe.call<string>('probe');
		expect(probed.result).toBe('ok');

		const key = canaryKey();
		const saved = await probe.call<KeyStatus>('vaultSave', { key });
		expect(saved.result).toEqual({
			hasApiKey: true,
			keychain: 'ok',
			persisted: true,
			warning: null,
		});
		const read = await probe.call<ReadResult>('get');
		expect(read.result).toEqual({ state: 'ok', value: key });
		console.log(
			`K3 probe ${probed.ms} ms, save (write + read-back) ${saved.ms} ms, load ${read.ms} ms`,
		);
		expect((await probe.call<string | null>('vaultGet')).result).toBe(key);
		expect((await probe.call<KeyStatus>('vaultStatus')).result).toEqual({
			hasApiKey: true,
			keychain: 'ok',
			persisted: true,
			warning: null,
		});

		// Saving again replaces the item; the probe's own item is gone.
		const next = canaryKey();
		expect((await probe.call<KeyStatus>('vaultSave', { key: next })).result.persisted).toBe(true);
		expect((await probe.call<ReadResult>('get')).result).toEqual({ state: 'ok', value: next });
		expect(await itemCount(probe, probe.vaultAccount)).toBe(1);
		expect((await probe.call<Credential[]>('find')).result).toEqual([
			{ account: probe.vaultAccount, password: next },
		]);
	});

	it('forget removes the item, and a read then says "no key" with state ok', async () => {
		const key = canaryKey();
		await probe.call('vaultSave', { key });
		const forgotten = await probe.call<KeyStatus>('vaultForget');
		expect(forgotten.result).toMatchObject({ hasApiKey: false, keychain: 'ok' });
		expect(await itemCount(probe, probe.vaultAccount)).toBe(0);
		expect((await probe.call<ReadResult>('get')).result).toEqual({ state: 'ok', value: null });
	});
});

describe('K6: ten concurrent save/load requests', () => {
	let probe: ProbeChild;
	let keys: string[];
	let batch: Reply<BatchItem[]>;
	beforeAll(async () => {
		probe = await ProbeChild.start('unlocked');
		expect((await probe.call<string>('probe')).result).toBe('ok');
		keys = Array.from({ length: 5 }, () => canaryKey());
		// save k0, load, save k1, load, … — all sent at once.
		const ops = keys.flatMap((key) => [{ op: 'vaultSave', key }, { op: 'vaultGet' }]);
		batch = await probe.call<BatchItem[]>('batch', { ops });
		console.log(
			`K6 ${ops.length} concurrent ops in ${batch.ms} ms; max native calls in flight ${batch.maxNativeInFlight}; ` +
				`parallel fs.readFile median ${batch.monitor.p50ReadMs} / max ${batch.monitor.maxReadMs} ms ` +
				`(${batch.monitor.reads} reads); 10 ms timer gap max ${batch.monitor.maxGapMs} ms`,
		);
	});
	afterAll(() => probe.close());

	it('runs one native keychain call at a time, and each load sees the save sent just before it', () => {
		expect(batch.result).toHaveLength(10);
		expect(batch.maxNativeInFlight).toBe(1);
		const loads = batch.result.filter((_, i) => i % 2 === 1).map((item) => item.result);
		expect(loads).toEqual(keys);
	});

	it('last write wins: the keychain ends with the last key, in exactly one item', async () => {
		const last = keys[keys.length - 1];
		expect((await probe.call<ReadResult>('get')).result).toEqual({ state: 'ok', value: last });
		expect((await probe.call<string | null>('vaultGet')).result).toBe(last);
		expect(await itemCount(probe, probe.vaultAccount)).toBe(1);
	});

	it('a parallel fs read completes in < 100 ms, and nothing is ever stuck', () => {
		expect(batch.monitor.reads).toBeGreaterThan(0);
		expect(batch.monitor.p50ReadMs).toBeLessThan(100);
		// Scheduling noise on a busy machine stays far below this; a starved threadpool does not.
		expect(batch.monitor.maxReadMs).toBeLessThan(1000);
		expect(batch.monitor.maxGapMs).toBeLessThan(1000);
	});

	it('every save the keychain took is reported as saved, not as a locked keyring', () => {
		const saves = batch.result
			.filter((_, i) => i % 2 === 0)
			.map((item) => item.result as KeyStatus);
		console.log(
			`K6 save results: ${saves.map((s) => `${s.keychain}/${String(s.persisted)}`).join(', ')}`,
		);
		for (const saved of saves) {
			expect(saved).toEqual({ hasApiKey: true, keychain: 'ok', persisted: true, warning: null });
		}
	});
});

describe('K6: concurrent first reads on a fresh SecretStore (nothing stored yet)', () => {
	let probe: ProbeChild;
	beforeAll(async () => {
		probe = await ProbeChild.start('unlocked');
	});
	afterAll(() => probe.close());

	it('all answer "no key" with state ok; none calls a healthy keyring locked', async () => {
		// As at startup: the key status and the login-token read arrive together.
		const batch = await probe.call<BatchItem[]>('batch', {
			ops: [
				{ op: 'get', account: 'login-token:https://api.telnyx.com' },
				{ op: 'vaultStatus' },
				{ op: 'get' },
			],
		});
		console.log(
			`K6 concurrent first reads: ${JSON.stringify(batch.result.map((item) => item.result))}`,
		);
		expect(batch.maxNativeInFlight).toBe(1);
		expect(batch.result.map((item) => item.result)).toEqual([
			{ state: 'ok', value: null },
			{ hasApiKey: false, keychain: 'ok', persisted: false, warning: null },
			{ state: 'ok', value: null },
		]);
	});
});

describe('K9: malformed keys are refused before storage', () => {
	let probe: ProbeChild;
	let key: string;
	let account: string;
	beforeAll(async () => {
		probe = await ProbeChild.start('unlocked');
		key = canaryKey();
		const app = await probe.call<{ account: string }>('startApp', {
			apiKey: key,
			userDataDir: probe.userData,
		});
		account = app.result.account;
	});
	afterAll(() => probe.close());

	const nativeCalls = async () => (await probe.call<{ calls: number }>('native')).result.calls;
	const restRequests = async () => (await probe.call<number>('restRequests')).result;

	const malformed: [string, () => string][] = [
		['a space inside', () => `${key.slice(0, 12)} ${key.slice(12)}`],
		['a newline inside', () => `${key.slice(0, 12)}\n${key.slice(12)}`],
		['a tab inside', () => `${key.slice(0, 12)}\t${key.slice(12)}`],
		['an empty key', () => ''],
		['only whitespace and newlines', () => ' \n\t\r\n '],
		['a 10 kB string', () => 'x'.repeat(10 * 1024)],
		['a 10 kB string shaped like a key', () => `KEY${'a'.repeat(10 * 1024 - 3)}`],
	];

	it.each(malformed)(
		'%s: INVALID_KEY, no keychain call, no request to Telnyx, nothing stored',
		async (_name, make) => {
			const raw = make();
			const [callsBefore, requestsBefore] = [await nativeCalls(), await restRequests()];
			const set = await probe.call<Result<KeyStatus, KeyError>>('setApiKey', { raw });
			expect(set.result).toMatchObject({ ok: false, error: { code: 'INVALID_KEY' } });
			if (!set.result.ok && raw.trim() !== '')
				expect(set.result.error.message).not.toContain(raw.trim());
			expect(await nativeCalls()).toBe(callsBefore);
			expect(await restRequests()).toBe(requestsBefore);
			expect(await itemCount(probe, account)).toBe(0);
			expect((await probe.call<Credential[]>('find')).result).toEqual([]);
		},
	);

	it('a key pasted with surrounding whitespace and a newline is trimmed, verified and stored trimmed', async () => {
		const set = await probe.call<Result<KeyStatus, KeyError>>('setApiKey', { raw: `  ${key}\n` });
		expect(set.result).toEqual({
			ok: true,
			value: { hasApiKey: true, keychain: 'ok', persisted: true, warning: null },
		});
		expect(await restRequests()).toBeGreaterThan(0);
		expect(await itemCount(probe, account)).toBe(1);
		expect((await probe.call<Credential[]>('find')).result).toEqual([{ account, password: key }]);
	});
});

it('leaves no gnome-keyring-daemon, dbus-daemon or probe running', async () => {
	expect(await reapLeftovers()).toEqual([]);
});
