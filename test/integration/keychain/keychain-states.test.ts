/**
 * The real keytar against real keychain states (keychain cases K1, K2, K5): no session
 * bus, a gnome-keyring that was never unlocked or got locked after use, and a daemon killed between a save
 * and a load. Each state lives in a child process with its own environment (probe-harness.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyStatus, Result, KeyError } from '../../../preload/contract';
import {
	KEYRING_PASSWORD,
	ProbeChild,
	canaryKey,
	filesContaining,
	killProcess,
	listFiles,
	reapLeftovers,
	removeRoot,
	sleep,
} from './probe-harness';

type ReadResult = { state: string; value?: string | null };

/** A prompt (or any hang) would take far longer; these states answer in well under a second. */
const NO_HANG_MS = 3000;

afterAll(async () => {
	await reapLeftovers();
	removeRoot();
});

describe('K1: no D-Bus session bus', () => {
	let probe: ProbeChild;
	beforeAll(async () => {
		probe = await ProbeChild.start('no-bus');
	});
	afterAll(() => probe.close());

	it('classifies the keychain as unavailable, and a read as unavailable (not "no key")', async () => {
		const read = await probe.call<ReadResult>('get');
		const probed = await probe.call<string>('probe');
		console.log(`K1 get ${read.ms} ms, probe ${probed.ms} ms`);
		expect(read.result).toEqual({ state: 'unavailable' });
		expect(probed.result).toBe('unavailable');
		expect(read.ms).toBeLessThan(NO_HANG_MS);
	});

	it('keeps a saved key in memory only, with a warning naming gnome-keyring and KWallet', async () => {
		const key = canaryKey();
		const saved = await probe.call<KeyStatus>('vaultSave', { key });
		expect(saved.result).toMatchObject({
			hasApiKey: true,
			keychain: 'unavailable',
			persisted: false,
		});
		expect(saved.result.warning).toMatch(/gnome-keyring/i);
		expect(saved.result.warning).toMatch(/KWallet/);
		expect(saved.result.warning).not.toContain(key);
		expect((await probe.call<string | null>('vaultGet')).result).toBe(key);
		expect((await probe.call<KeyStatus>('vaultStatus')).result).toMatchObject({
			hasApiKey: true,
			keychain: 'unavailable',
			persisted: false,
		});
		expect(filesContaining(probe.home, key)).toEqual([]);
		expect(filesContaining(probe.userData, key)).toEqual([]);
	});

	it('through the app (key verified by the sandbox), writes the key to no file and no log', async () => {
		const key = canaryKey();
		await probe.call('startApp', { apiKey: key, userDataDir: probe.userData });
		const set = await probe.call<Result<KeyStatus, KeyError>>('setApiKey', { raw: key });
		expect(set.result).toMatchObject({
			ok: true,
			value: { hasApiKey: true, keychain: 'unavailable', persisted: false },
		});
		expect((await probe.call<KeyStatus>('keyStatus')).result).toMatchObject({
			hasApiKey: true,
			persisted: false,
		});
		// The scan covers what the app did write: its log, which recorded the save.
		const written = listFiles(probe.userData);
		console.log(
			`K1 files in user data: ${written.join(', ')}; in HOME: ${listFiles(probe.home).join(', ') || 'none'}`,
		);
		expect(written).toContain(path.join('logs', 'main.log'));
		expect(readFileSync(path.join(probe.userData, 'logs', 'main.log'), 'utf8')).toContain(
			'apiKey.saved',
		);
		expect(filesContaining(probe.userData, key)).toEqual([]);
		expect(filesContaining(probe.home, key)).toEqual([]);
		expect(probe.stderr).not.toContain(key);
	});
});

describe('K2: gnome-keyring running but never unlocked (no login collection)', () => {
	let probe: ProbeChild;
	beforeAll(async () => {
		probe = await ProbeChild.start('not-unlocked');
	});
	afterAll(() => probe.close());

	it('a first read says locked, not "no key", without prompting or hanging', async () => {
		const read = await probe.call<ReadResult>('get');
		console.log(`K2 first get ${read.ms} ms → ${JSON.stringify(read.result)}`);
		expect(read.result).toEqual({ state: 'locked' });
		expect(read.ms).toBeLessThan(NO_HANG_MS);
		const status = await probe.call<KeyStatus>('vaultStatus');
		expect(status.result).toMatchObject({ hasApiKey: false, keychain: 'locked', persisted: false });
		expect(status.result.warning).toMatch(/locked/);
	});

	it('the probe says locked', async () => {
		const probed = await probe.call<string>('probe');
		console.log(`K2 probe ${probed.ms} ms`);
		expect(probed.result).toBe('locked');
		expect(probed.ms).toBeLessThan(NO_HANG_MS);
	});

	it('a save keeps the key in memory with the "unlock your keyring" warning, and stores nothing', async () => {
		const key = canaryKey();
		const saved = await probe.call<KeyStatus>('vaultSave', { key });
		expect(saved.result).toMatchObject({ hasApiKey: true, keychain: 'locked', persisted: false });
		expect(saved.result.warning).toMatch(/Unlock your login keyring/);
		expect(saved.ms).toBeLessThan(NO_HANG_MS);
		expect((await probe.call<string | null>('vaultGet')).result).toBe(key);
		expect((await probe.call<unknown[]>('find')).result).toEqual([]);
		expect(filesContaining(probe.home, key)).toEqual([]);
	});
});

describe('K2: a keyring locked after the app has used it', () => {
	let probe: ProbeChild;
	let key: string;
	beforeAll(async () => {
		probe = await ProbeChild.start('unlocked');
		key = canaryKey();
		const saved = await probe.call<KeyStatus>('vaultSave', { key });
		expect(saved.result).toMatchObject({ keychain: 'ok', persisted: true });
		// What a screen lock does: org.freedesktop.Secret.Service.Lock on the login collection.
		const lock = await probe.run([
			'dbus-send',
			'--session',
			'--print-reply',
			'--dest=org.freedesktop.secrets',
			'/org/freedesktop/secrets',
			'org.freedesktop.Secret.Service.Lock',
			'array:objpath:/org/freedesktop/secrets/collection/login',
		]);
		expect(lock.code).toBe(0);
	});
	afterAll(() => probe.close());

	it('a new SecretStore reads it as locked', async () => {
		const read = await probe.call<ReadResult>('freshGet');
		expect(read.result).toEqual({ state: 'locked' });
	});

	it('the SecretStore that saw it unlocked also reads it as locked, not "no key"', async () => {
		const read = await probe.call<ReadResult>('get');
		const status = await probe.call<KeyStatus>('vaultStatus');
		console.log(
			`K2 after lock: get → ${JSON.stringify(read.result)}, status → ${JSON.stringify(status.result)}`,
		);
		expect(read.result).toEqual({ state: 'locked' });
		expect(status.result).toMatchObject({ hasApiKey: false, keychain: 'locked' });
	});
});

describe('K5: gnome-keyring-daemon killed (SIGKILL) between save and load', () => {
	let probe: ProbeChild;
	beforeAll(async () => {
		probe = await ProbeChild.start('unlocked');
	});
	afterAll(() => probe.close());

	it('load reports locked/unavailable, never "no key", and the stored key survives', async () => {
		const key = canaryKey();
		const saved = await probe.call<KeyStatus>('vaultSave', { key });
		expect(saved.result).toMatchObject({ keychain: 'ok', persisted: true });

		killProcess(await probe.daemonPid());
		while (await probe.hasSecretService()) await sleep(20);

		// The running app: its read fails, and it says so.
		const read = await probe.call<ReadResult>('get');
		const status = await probe.call<KeyStatus>('vaultStatus');
		console.log(`K5 load after kill: ${read.ms} ms → ${JSON.stringify(read.result)}`);
		expect(['locked', 'unavailable']).toContain(read.result.state);
		expect(read.result.value).toBeUndefined();
		expect(read.ms).toBeLessThan(NO_HANG_MS);
		expect(status.result.keychain).toMatch(/^(locked|unavailable)$/);
		expect(status.result.hasApiKey).toBe(false);
		expect(status.result.warning).not.toBeNull();

		// The app started again: the bus re-activates gnome-keyring, whose login keyring is now locked.
		const [, restarted] = await probe.freshProcess([{ op: 'hello' }, { op: 'get' }]);
		console.log(
			`K5 load in a new process (daemon re-activated): ${JSON.stringify(restarted?.result)}`,
		);
		expect(restarted?.result).toEqual({ state: 'locked' });

		// Restart the daemon properly (unlocked) and read the key back: it was never deleted.
		killProcess(await probe.daemonPid());
		while (await probe.hasSecretService()) await sleep(20);
		const unlock = await probe.run(
			['gnome-keyring-daemon', '--unlock', '--components=secrets'],
			KEYRING_PASSWORD,
		);
		expect(unlock.code).toBe(0);
		await probe.daemonPid();
		const [, after, found] = await probe.freshProcess([
			{ op: 'hello' },
			{ op: 'get' },
			{ op: 'find' },
		]);
		expect(after?.result).toEqual({ state: 'ok', value: key });
		expect(found?.result).toEqual([{ account: probe.vaultAccount, password: key }]);
		const inProcess = await probe.call<ReadResult>('get');
		console.log(
			`K5 after restart+unlock: new process reads ok; the original process reads ${JSON.stringify(inProcess.result)}`,
		);
	});
});

it('leaves no gnome-keyring-daemon, dbus-daemon or probe running', async () => {
	const left = await reapLeftovers();
	expect(left).toEqual([]);
});
