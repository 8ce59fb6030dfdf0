/**
 * Child process for the keychain integration tests: it holds a SecretStore and an ApiKeyVault over the REAL
 * keytar (main/secrets/keytar-store.ts), in whatever environment the test spawned it with (no D-Bus, a
 * private D-Bus session with a locked or unlocked gnome-keyring, a frozen daemon…), so a hostile keychain
 * never disturbs the other tests.
 *
 *   node --import tsx test/integration/keychain/keychain-probe.ts <service>
 *
 * Protocol: one JSON request per line on stdin (`{ "id": 1, "op": "get", "account": "…" }`), one JSON reply
 * per line on stdout. Every reply carries how long the operation took and what the process looked like
 * meanwhile: the gaps of a 10 ms timer (an in-process "IPC ping"), the durations of back-to-back
 * `fs.readFile` calls (libuv threadpool starvation shows up there), and the most native keytar calls ever
 * in flight at once.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, appendFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import keytar from 'keytar';
import type { EventMap } from '../../../preload/contract';
import { ApiKeyVault } from '../../../main/secrets/api-key-vault';
import { keytarBackend } from '../../../main/secrets/keytar-store';
import { SecretStore, type KeychainBackend } from '../../../main/secrets/secret-store';
import type { MainServices } from '../../../main/services';
import type { Sandbox } from '../../sandbox/sandbox';

const VAULT_REST_BASE_URL = 'https://api.telnyx.com/v2';

interface NativeCall {
	readonly method: string;
	readonly account: string;
	readonly startMs: number;
	endMs: number | null;
	outcome: string | null;
}

/** keytarBackend, watched: how many native calls run at once, and which ones ran. */
class CountingBackend implements KeychainBackend {
	inFlight = 0;
	maxInFlight = 0;
	readonly calls: NativeCall[] = [];

	getPassword(service: string, account: string): Promise<string | null> {
		return this.#watch('getPassword', account, () => keytarBackend.getPassword(service, account));
	}

	setPassword(service: string, account: string, password: string): Promise<void> {
		return this.#watch('setPassword', account, () =>
			keytarBackend.setPassword(service, account, password),
		);
	}

	deletePassword(service: string, account: string): Promise<boolean> {
		return this.#watch('deletePassword', account, () =>
			keytarBackend.deletePassword(service, account),
		);
	}

	async #watch<T>(method: string, account: string, call: () => Promise<T>): Promise<T> {
		const record: NativeCall = {
			method,
			account,
			startMs: performance.now(),
			endMs: null,
			outcome: null,
		};
		this.calls.push(record);
		this.inFlight += 1;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		try {
			const value = await call();
			record.outcome = 'resolved';
			return value;
		} catch (error) {
			record.outcome = `rejected: ${error instanceof Error ? error.message : String(error)}`;
			throw error;
		} finally {
			record.endMs = performance.now();
			this.inFlight -= 1;
		}
	}
}

/** The `q` quantile (0–1) of `values`, nearest rank; 0 for none. */
function quantile(values: readonly number[], q: number): number {
	if (values.length === 0) return 0;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Watches the event loop and the threadpool while an operation runs. */
class Monitor {
	readonly #gaps: number[] = [];
	readonly #reads: number[] = [];
	#lastTick = performance.now();
	#readStart: number | null = null;
	#running = true;
	readonly #timer: NodeJS.Timeout;

	constructor() {
		this.#timer = setInterval(() => {
			const now = performance.now();
			this.#gaps.push(now - this.#lastTick);
			this.#lastTick = now;
		}, 10);
		void this.#readLoop();
	}

	async #readLoop(): Promise<void> {
		while (this.#running) {
			const start = performance.now();
			this.#readStart = start;
			await readFile(SELF);
			this.#readStart = null;
			if (this.#running) this.#reads.push(performance.now() - start);
			await new Promise((resolve) => setTimeout(resolve, 5));
		}
	}

	/** Stops watching; a read or a tick still pending counts for as long as it has waited so far. */
	stop(): MonitorReport {
		this.#running = false;
		clearInterval(this.#timer);
		const now = performance.now();
		const gaps = [...this.#gaps, now - this.#lastTick];
		const reads = this.#readStart === null ? this.#reads : [...this.#reads, now - this.#readStart];
		return {
			maxGapMs: round(Math.max(...gaps)),
			p95GapMs: round(quantile(gaps, 0.95)),
			maxReadMs: round(reads.length === 0 ? 0 : Math.max(...reads)),
			p50ReadMs: round(quantile(reads, 0.5)),
			p95ReadMs: round(quantile(reads, 0.95)),
			reads: this.#reads.length,
		};
	}
}

interface MonitorReport {
	maxGapMs: number;
	p95GapMs: number;
	maxReadMs: number;
	p50ReadMs: number;
	p95ReadMs: number;
	reads: number;
}

const SELF = fileURLToPath(import.meta.url);
const round = (ms: number) => Math.round(ms * 10) / 10;

const serviceArg = process.argv[2];
if (serviceArg === undefined || serviceArg === '') {
	process.stderr.write('usage: keychain-probe.ts <keychain service>\n');
	process.exit(2);
}
const service: string = serviceArg;

const backend = new CountingBackend();
const secrets = new SecretStore({ backend, service });
const vault = new ApiKeyVault({
	secrets,
	restBaseUrl: VAULT_REST_BASE_URL,
	platform: process.platform,
});

/** Raw keytar calls started by `rawStarve`, settled by `rawSettle`. */
let rawPending: Promise<string>[] = [];

/** The app's main services over the sandbox (started by `startApp`). */
let app: { services: MainServices; sandbox: Sandbox } | null = null;

type Request = Record<string, unknown> & { id: number; op: string };

function text(request: Request, name: string): string {
	const value = request[name];
	if (typeof value !== 'string') throw new Error(`${request.op}: "${name}" must be a string`);
	return value;
}

function run(
	argv: readonly string[],
	input: string | undefined,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		const [command, ...args] = argv;
		const child = execFile(
			command!,
			args,
			{ timeout: 10_000, encoding: 'utf8' },
			(error, stdout, stderr) => {
				const code =
					error === null ? 0 : typeof error.code === 'number' ? error.code : (child.exitCode ?? -1);
				resolve({ code, stdout, stderr });
			},
		);
		// A command that does not read its input may exit before we finish writing: that is not an error.
		child.stdin?.on('error', () => {});
		child.stdin?.end(input ?? '');
	});
}

/** The PID that owns org.freedesktop.secrets on this process's session bus, or null. */
async function secretServicePid(): Promise<number | null> {
	const reply = await run(
		[
			'dbus-send',
			'--session',
			'--print-reply',
			'--dest=org.freedesktop.DBus',
			'/org/freedesktop/DBus',
			'org.freedesktop.DBus.GetConnectionUnixProcessID',
			'string:org.freedesktop.secrets',
		],
		undefined,
	);
	const match = /uint32 (\d+)/.exec(reply.stdout);
	return reply.code === 0 && match !== null ? Number(match[1]) : null;
}

async function startApp(apiKey: string, userDataDir: string): Promise<unknown> {
	// Loaded on demand: only the tests that drive the whole app pay for the Telnyx library.
	const [{ createLogger }, { nodeSettingsFs }, { createMainServices }, { startSandbox }] =
		await Promise.all([
			import('../../../main/logger'),
			import('../../../main/node-fs'),
			import('../../../main/services'),
			import('../../sandbox/sandbox'),
		]);
	const sandbox = await startSandbox({ apiKey });
	const logDir = path.join(userDataDir, 'logs');
	mkdirSync(logDir, { recursive: true, mode: 0o700 });
	let redactions: () => string[] = () => [];
	const logger = createLogger({
		write: (line) => appendFileSync(path.join(logDir, 'main.log'), `${line}\n`, { mode: 0o600 }),
		secrets: () => redactions(),
	});
	const services = await createMainServices({
		userDataDir,
		profile: {
			profile: 'demo',
			userDataSuffix: ' (demo)',
			keychainService: service,
			endpoints: { restBaseUrl: sandbox.restBaseUrl, signallingUrl: sandbox.signallingUrl },
		},
		app: { name: 'Telnyx Softphone', version: '0.0.0-test', platform: process.platform },
		fs: nodeSettingsFs,
		logger,
		keychain: backend,
		deviceName: 'keychain-probe',
		emit: <E extends keyof EventMap>(_event: E, ..._payload: EventMap[E]) => {},
	});
	redactions = () => services.vault.secretsToRedact();
	app = { services, sandbox };
	return { restBaseUrl: sandbox.restBaseUrl, account: services.vault.account };
}

function requireApp(): { services: MainServices; sandbox: Sandbox } {
	if (app === null) throw new Error('startApp first');
	return app;
}

async function perform(request: Request): Promise<unknown> {
	const account = typeof request.account === 'string' ? request.account : vault.account;
	switch (request.op) {
		case 'hello':
			return {
				pid: process.pid,
				service,
				vaultAccount: vault.account,
				hasBus: process.env.DBUS_SESSION_BUS_ADDRESS !== undefined,
				hasDisplay: process.env.DISPLAY !== undefined,
			};
		case 'probe':
			return secrets.probe();
		case 'get':
			return secrets.get(account);
		case 'freshGet':
			// A SecretStore that has learnt nothing yet, as after an app restart.
			return new SecretStore({ backend, service }).get(account);
		case 'set':
			return secrets.set(account, text(request, 'value'));
		case 'delete':
			return secrets.delete(account);
		case 'vaultSave':
			return vault.save(text(request, 'key'));
		case 'vaultGet':
			return vault.get();
		case 'vaultStatus':
			return vault.status();
		case 'vaultForget':
			return vault.forget();
		case 'batch': {
			// Everything at once, as concurrent IPC requests from the renderer would arrive.
			const ops = request.ops as Request[];
			return Promise.all(
				ops.map(async (op) => {
					const start = performance.now();
					const result = await perform(op);
					return { op: op.op, result, ms: round(performance.now() - start) };
				}),
			);
		}
		case 'rawStarve': {
			// The control for K4: keytar calls straight from the threadpool, NOT through SecretStore. Against
			// a frozen daemon each one holds a libuv thread; with four, fs has no thread left.
			const n = Number(request.n);
			for (let i = 0; i < n; i++) {
				rawPending.push(
					keytar.getPassword(service, `raw-${i}`).then(
						() => 'resolved',
						(error: unknown) =>
							`rejected: ${error instanceof Error ? error.message : String(error)}`,
					),
				);
			}
			const start = performance.now();
			const read = readFile(SELF).then(() => round(performance.now() - start));
			const waitMs = Number(request.waitMs);
			const readMs = await Promise.race([
				read,
				new Promise<null>((resolve) => setTimeout(() => resolve(null), waitMs)),
			]);
			return { readMs, waitedMs: waitMs };
		}
		case 'rawSettle': {
			const outcomes = await Promise.all(rawPending);
			rawPending = [];
			return outcomes;
		}
		case 'find':
			// Straight to keytar, bypassing SecretStore: what the keychain really holds for the service.
			return keytar.findCredentials(service);
		case 'native':
			return {
				inFlight: backend.inFlight,
				maxInFlight: backend.maxInFlight,
				calls: backend.calls.length,
				last: backend.calls.slice(-6),
			};
		case 'run':
			return run(request.argv as string[], request.input as string | undefined);
		case 'daemonPid':
			return secretServicePid();
		case 'startApp':
			return startApp(text(request, 'apiKey'), text(request, 'userDataDir'));
		case 'setApiKey':
			return requireApp().services.account.setApiKey(text(request, 'raw'));
		case 'keyStatus':
			return requireApp().services.account.keyStatus();
		case 'restRequests':
			return requireApp().sandbox.admin.requests().length;
		default:
			throw new Error(`unknown op ${request.op}`);
	}
}

function reply(message: unknown): void {
	process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function handle(line: string): Promise<void> {
	let request: Request;
	try {
		request = JSON.parse(line) as Request;
	} catch {
		reply({ id: -1, ok: false, error: 'bad request line' });
		return;
	}
	if (request.op === 'exit') {
		if (app !== null) {
			app.services.dispose();
			await app.sandbox.close();
		}
		reply({ id: request.id, ok: true, result: null, ms: 0 });
		process.exit(0);
	}
	const monitor = new Monitor();
	const start = performance.now();
	const maxBefore = backend.maxInFlight;
	try {
		const result = await perform(request);
		const ms = round(performance.now() - start);
		reply({
			id: request.id,
			ok: true,
			result,
			ms,
			monitor: monitor.stop(),
			maxNativeInFlight: backend.maxInFlight,
			maxNativeInFlightBefore: maxBefore,
		});
	} catch (error) {
		const ms = round(performance.now() - start);
		reply({
			id: request.id,
			ok: false,
			error: error instanceof Error ? error.message : String(error),
			ms,
			monitor: monitor.stop(),
		});
	}
}

// Requests are handled as they arrive (not one after the other), so a test can overlap them. When stdin
// closes, the process exits once the requests already received have been answered.
let pending = 0;
let ended = false;
createInterface({ input: process.stdin })
	.on('line', (line) => {
		pending += 1;
		void handle(line).finally(() => {
			pending -= 1;
			if (ended && pending === 0) process.exit(0);
		});
	})
	.on('close', () => {
		ended = true;
		if (pending === 0) process.exit(0);
	});
