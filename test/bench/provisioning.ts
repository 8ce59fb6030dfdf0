/**
 * Benchmark: the user's first minute. Starts a sandbox, then 5 times on fresh state — a new sandbox account
 * (empty), a new keychain service name and a new user-data folder — runs the real main services from
 * pasting the API key to a login JWT (credentials.setApiKey → provisioning.run → telnyx.getLoginToken), and
 * finally restarts the last one (new services on the same folder and keychain) and asks for the token again.
 *
 * Prints the REST requests per first run (and by method + path), the wall time (min / median / max) and
 * the requests the restart made (0 expected: the token kept in the keychain is reused).
 *
 * It uses the real OS keychain (keytar), so run it the way the integration tests run, inside a D-Bus session
 * with an unlocked gnome-keyring and a throwaway HOME:
 *
 *   HOME=$(mktemp -d) dbus-run-session -- bash -c \
 *     'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npm run bench:provisioning'
 *
 * (`npm run bench:provisioning` is `tsx test/bench/provisioning.ts`.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import keytar from 'keytar';
import { silentLogger } from '../../main/logger';
import { nodeSettingsFs } from '../../main/node-fs';
import type { ProfileConfig } from '../../main/profile';
import { keytarBackend } from '../../main/secrets/keytar-store';
import { createMainServices, type MainServices } from '../../main/services';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import type { RestLogEntry } from '../sandbox/rest/rest-api';
import { countByRoute, uid } from '../integration/main/support';

const RUNS = 5;

interface Instance {
	readonly services: MainServices;
	readonly userDataDir: string;
	readonly keychainService: string;
}

async function start(
	sandbox: Sandbox,
	userDataDir: string,
	keychainService: string,
): Promise<Instance> {
	const profile: ProfileConfig = {
		profile: 'dev',
		userDataSuffix: '',
		keychainService,
		endpoints: { restBaseUrl: sandbox.restBaseUrl, signallingUrl: sandbox.signallingUrl },
	};
	const services = await createMainServices({
		userDataDir,
		profile,
		app: { name: 'Telnyx Softphone', version: '0.0.0-bench', platform: process.platform },
		fs: nodeSettingsFs,
		logger: silentLogger,
		keychain: keytarBackend,
		deviceName: `Bench PC ${path.basename(userDataDir)}`,
		emit: () => {},
	});
	return { services, userDataDir, keychainService };
}

const median = (values: readonly number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const ms = (value: number) => `${value.toFixed(0)} ms`;

async function main(): Promise<void> {
	const sandbox = await startSandbox();
	const instances: Instance[] = [];
	const log = () => sandbox.admin.requests();
	try {
		const perRun: RestLogEntry[][] = [];
		const times: number[] = [];
		for (let run = 1; run <= RUNS; run += 1) {
			// An empty account of its own, so every run is a first run (nothing to find, everything to create).
			const apiKey = sandbox.admin.createAccount().apiKey;
			const dir = await mkdtemp(path.join(tmpdir(), 'softphone-bench-'));
			const instance = await start(sandbox, dir, `telnyx-softphone-bench-${uid()}`);
			instances.push(instance);
			const { handlers } = instance.services;
			const mark = log().length;
			const began = performance.now();
			const key = await handlers.credentials.setApiKey(apiKey);
			if (!key.ok) throw new Error(`setApiKey: ${key.error.message}`);
			if (!key.value.persisted)
				throw new Error(`The keychain is not usable: ${key.value.warning ?? ''}`);
			const provisioned = await handlers.provisioning.run({});
			if (!provisioned.ok) throw new Error(`provisioning: ${provisioned.error.message}`);
			const token = await handlers.telnyx.getLoginToken();
			if (!token.ok) throw new Error(`token: ${token.error.message}`);
			times.push(performance.now() - began);
			perRun.push(log().slice(mark));
		}

		// A restart of the last installation: its token is still valid.
		const last = instances.at(-1)!;
		last.services.dispose();
		const mark = log().length;
		const began = performance.now();
		const restarted = await start(sandbox, last.userDataDir, last.keychainService);
		instances.push(restarted);
		const token = await restarted.services.handlers.telnyx.getLoginToken();
		const restartTime = performance.now() - began;
		if (!token.ok) throw new Error(`token after restart: ${token.error.message}`);
		const restartRequests = log().slice(mark);

		const lines = [
			`First-run provisioning to a JWT: ${RUNS} runs on fresh state (sandbox REST ${sandbox.restBaseUrl})`,
			'',
			`REST requests per first run: ${perRun.map((r) => r.length).join(', ')}`,
			'  by method + path (every run):',
			...Object.entries(countByRoute(perRun[0] ?? [])).map(([route, count]) => {
				const all = perRun.map((r) => countByRoute(r)[route] ?? 0);
				const same = all.every((n) => n === count);
				return `    ${String(count).padStart(2)}  ${route}${same ? '' : `  (per run: ${all.join(', ')})`}`;
			}),
			'',
			`Wall time, setApiKey → JWT: min ${ms(Math.min(...times))}, median ${ms(median(times))}, max ${ms(Math.max(...times))}`,
			`  per run: ${times.map(ms).join(', ')}`,
			'',
			`Restart with a valid token (new services + getLoginToken): ${restartRequests.length} REST requests, ${ms(restartTime)}`,
		];
		console.log(lines.join('\n'));
		if (restartRequests.length !== 0) process.exitCode = 1;
	} finally {
		for (const instance of instances) instance.services.dispose();
		for (const service of new Set(instances.map((i) => i.keychainService))) {
			for (const { account } of await keytar.findCredentials(service)) {
				await keytar.deletePassword(service, account);
			}
		}
		for (const dir of new Set(instances.map((i) => i.userDataDir))) {
			await rm(dir, { recursive: true, force: true });
		}
		await sandbox.close();
	}
}

await main();
