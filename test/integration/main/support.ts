/**
 * Shared set-up for the main-services integration tests: the REAL main services (`createMainServices`, the
 * composition the app runs) with the REAL keytar backend against the session's gnome-keyring, a throwaway
 * user-data folder and keychain service name per instance, and the sandbox over real HTTP. Each instance
 * logs as the app does: redacted lines into rotated files in a logs folder of its own, outside the user-data
 * folder (as Electron's `logs` path is), besides a recording of every call for assertions.
 *
 * Run inside a D-Bus session with an unlocked keyring (see test/support/in-session.sh):
 *   HOME=$(mktemp -d) dbus-run-session -- bash -c 'printf pw | gnome-keyring-daemon --unlock \
 *     --components=secrets >/dev/null; npx vitest run --project integration test/integration/main'
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import keytar from 'keytar';
import Telnyx from 'telnyx';
import WebSocket from 'ws';
import type { EventMap, Settings } from '../../../preload/contract';
import { NO_SHELL } from '../../../main/desktop/shell-ports';
import { createLogger, type LogFields, type Logger } from '../../../main/logger';
import { createLogFiles, type LogFiles } from '../../../main/logging/log-files';
import type { MainServices } from '../../../main/services';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/sandbox';
import type { RestLogEntry } from '../../sandbox/rest/rest-api';
import { recordingLogger, type RecordingLogger } from '../../support/recording-logger';
import { testServices } from '../../support/test-services';

export { filesUnder } from '../../support/files-under';

export type RecordedEvent = {
	[E in keyof EventMap]: { readonly event: E; readonly payload: EventMap[E] };
}[keyof EventMap];

export interface AppOptions {
	/** Same folder and keychain service as an earlier instance: a restart. */
	readonly userDataDir?: string;
	readonly keychainService?: string;
	readonly deviceName?: string;
	readonly requestTimeoutMs?: number;
	readonly sleep?: (ms: number) => Promise<void>;
	readonly fetch?: typeof fetch;
	readonly restBaseUrl?: string;
	/** The log files of an earlier instance: a restarted app finds its logs folder again. */
	readonly logFiles?: LogFiles;
	/** The services' clock (token expiry, the directory's refresh interval); the real one by default. */
	readonly now?: () => number;
}

/** One running instance of the main services. */
export interface App {
	readonly services: MainServices;
	readonly handlers: MainServices['handlers'];
	/** Every call the services made to their logger, before redaction. */
	readonly logger: RecordingLogger;
	/** The same lines as the app writes them: redacted, in files (flush before reading them). */
	readonly logFiles: LogFiles;
	readonly events: RecordedEvent[];
	readonly userDataDir: string;
	readonly keychainService: string;
	readonly deviceName: string;
	/** Where the "user" saves a support bundle in main's save dialog; null cancels it (the default). */
	savePath: string | null;
	/** Payloads of one event, in order. */
	eventsOf<E extends keyof EventMap>(event: E): EventMap[E][0][];
	/** The settings file as written (null when none was written yet). */
	settingsFile(): Promise<Settings | null>;
}

export const uid = () => randomBytes(6).toString('hex');

/** Every keychain account `service` holds, as keytar sees it. */
export async function keychainItems(service: string): Promise<Map<string, string>> {
	const found = await keytar.findCredentials(service);
	return new Map(found.map((c) => [c.account, c.password]));
}

export const apiKeyAccount = (restBaseUrl: string) => `api-key:${new URL(restBaseUrl).origin}`;
export const tokenAccount = (restBaseUrl: string) => `login-token:${new URL(restBaseUrl).origin}`;

/** A logger that passes every call to both. */
function teeLogger(recording: RecordingLogger, files: Logger): RecordingLogger {
	const both = (level: 'info' | 'warn' | 'error') => (event: string, fields?: LogFields) => {
		recording[level](event, fields);
		files[level](event, fields);
	};
	return { ...recording, info: both('info'), warn: both('warn'), error: both('error') };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(
	check: () => T | undefined,
	timeoutMs: number,
	what: string,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = check();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await sleep(50);
	}
}

/** The claims of a JWT (not verified: see `loginWithToken` for that). */
export function jwtClaims(token: string): { sub: string; exp: number; iat: number } {
	const payload = token.split('.')[1] ?? '';
	return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}

/**
 * Logs in as the app does after provisioning: a credential is refused (-32001) until it has propagated
 * (Telnyx asks for a few seconds; the sandbox's `credentialPropagationMs`), so a refusal is retried every
 * half second for up to `withinMs`. Resolves the last reply frame.
 */
export async function loginOncePropagated(
	signallingUrl: string,
	token: string,
	withinMs = 10_000,
): ReturnType<typeof loginWithToken> {
	const deadline = Date.now() + withinMs;
	for (;;) {
		const reply = await loginWithToken(signallingUrl, token);
		if (reply.error?.code !== -32001 || Date.now() > deadline) return reply;
		await sleep(500);
	}
}

/**
 * Logs in to the sandbox's signalling server with the JWT, as the SDK does: the server checks the
 * signature with its own secret, the expiry and that the credential exists. Resolves the reply frame.
 */
export async function loginWithToken(
	signallingUrl: string,
	token: string,
): Promise<{ result?: { message?: string }; error?: { code: number } }> {
	const ws = new WebSocket(`${signallingUrl}/?voice_sdk_id=integration`);
	try {
		await new Promise((resolve, reject) => {
			ws.once('open', resolve);
			ws.once('error', reject);
		});
		const reply = new Promise<{ result?: { message?: string }; error?: { code: number } }>(
			(resolve) => {
				ws.on('message', (data: WebSocket.RawData) => {
					const text = (
						Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Uint8Array)
					).toString('utf8');
					const frame = JSON.parse(text);
					if (frame.id === 'login-1') resolve(frame);
				});
			},
		);
		ws.send(
			JSON.stringify({
				jsonrpc: '2.0',
				id: 'login-1',
				method: 'login',
				params: { login_token: token },
			}),
		);
		return await reply;
	} finally {
		ws.close();
	}
}

/**
 * A sandbox plus the app instances a test starts, all cleaned up by `close()`: services disposed, their
 * keychain items deleted, their folders removed.
 */
export class TestEnv {
	readonly #apps: App[] = [];
	readonly #services = new Set<string>();
	readonly #dirs = new Set<string>();
	readonly #logFiles = new Set<LogFiles>();

	private constructor(
		readonly sandbox: Sandbox,
		/** The official library on the sandbox account, to look at (and change) the account from outside. */
		readonly telnyx: Telnyx,
	) {}

	static async start(options: SandboxOptions = {}): Promise<TestEnv> {
		const sandbox = await startSandbox(options);
		const telnyx = new Telnyx({
			apiKey: sandbox.apiKey,
			baseURL: sandbox.restBaseUrl,
			maxRetries: 0,
			timeout: 5000,
			logLevel: 'off',
		});
		return new TestEnv(sandbox, telnyx);
	}

	/** Starts the main services as the app does; a `userDataDir` + `keychainService` of an earlier app restarts it. */
	async app(options: AppOptions = {}): Promise<App> {
		const userDataDir =
			options.userDataDir ?? (await mkdtemp(path.join(tmpdir(), 'softphone-int-')));
		const keychainService = options.keychainService ?? `telnyx-softphone-int-${uid()}`;
		this.#dirs.add(userDataDir);
		this.#services.add(keychainService);
		const deviceName = options.deviceName ?? `Test PC ${uid()}`;
		const logFiles = options.logFiles ?? (await this.#newLogFiles());
		this.#logFiles.add(logFiles);
		// Bound as the app binds it: to the secrets the services hold, once they exist.
		let secretsToRedact: () => readonly string[] = () => [];
		const logger = teeLogger(
			recordingLogger(),
			createLogger({ write: (line) => logFiles.write(line), secrets: () => secretsToRedact() }),
		);
		const events: RecordedEvent[] = [];
		// Bound to the app below: a test sets where the save dialog "chooses" (the desktop does nothing else).
		let savePath: () => string | null = () => null;
		const services = await testServices({
			userDataDir,
			keychainService,
			endpoints: {
				restBaseUrl: options.restBaseUrl ?? this.sandbox.restBaseUrl,
				signallingUrl: this.sandbox.signallingUrl,
			},
			tier: 'integration',
			logger,
			deviceName,
			emit: (event, ...payload) => {
				// Structured clone, as IPC does: what the renderer would receive.
				events.push(structuredClone({ event, payload }) as RecordedEvent);
			},
			// The app's logs folder, as the support bundle reads it.
			logs: logFiles,
			shell: { ...NO_SHELL, chooseSavePath: () => Promise.resolve(savePath()) },
			...(options.requestTimeoutMs === undefined
				? {}
				: { requestTimeoutMs: options.requestTimeoutMs }),
			...(options.sleep === undefined ? {} : { sleep: options.sleep }),
			...(options.fetch === undefined ? {} : { fetch: options.fetch }),
			...(options.now === undefined ? {} : { now: options.now }),
		});
		secretsToRedact = () => services.vault.secretsToRedact();
		const app: App = {
			services,
			handlers: services.handlers,
			logger,
			logFiles,
			events,
			userDataDir,
			keychainService,
			deviceName,
			savePath: null,
			eventsOf: <E extends keyof EventMap>(event: E) =>
				events.filter((e) => e.event === event).map((e) => e.payload[0] as EventMap[E][0]),
			async settingsFile() {
				try {
					return JSON.parse(
						await readFile(path.join(userDataDir, 'settings.json'), 'utf8'),
					) as Settings;
				} catch (error) {
					if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
					throw error;
				}
			},
		};
		savePath = () => app.savePath;
		this.#apps.push(app);
		return app;
	}

	/** Log files in a folder of their own, removed by `close()`. */
	async #newLogFiles(): Promise<LogFiles> {
		const dir = await mkdtemp(path.join(tmpdir(), 'softphone-int-logs-'));
		this.#dirs.add(dir);
		return createLogFiles({ dir });
	}

	/** Disposes `app` and starts the services again on its folder and keychain service. */
	async restart(app: App, options: AppOptions = {}): Promise<App> {
		app.services.dispose();
		return this.app({
			userDataDir: app.userDataDir,
			keychainService: app.keychainService,
			deviceName: app.deviceName,
			logFiles: app.logFiles,
			...options,
		});
	}

	/** The sandbox's REST log from `mark` on (a mark is `requests().length` at some point). */
	requests(mark = 0): RestLogEntry[] {
		return this.sandbox.admin.requests().slice(mark);
	}

	mark(): number {
		return this.sandbox.admin.requests().length;
	}

	/** The account's resources as the sandbox holds them (through the REST API, from outside the app). */
	async resources() {
		const [connections, profiles, credentials, tagged] = await Promise.all([
			this.telnyx.credentialConnections.list({ 'page[size]': 250 }),
			this.telnyx.outboundVoiceProfiles.list({ 'page[size]': 250 }),
			this.telnyx.telephonyCredentials.list({ 'page[size]': 250 }),
			this.telnyx.telephonyCredentials.list({
				'page[size]': 250,
				filter: { tag: 'telnyx-softphone' },
			}),
		]);
		return {
			connections: connections.data,
			profiles: profiles.data,
			credentials: credentials.data,
			taggedCredentialIds: tagged.data.map((c) => c.id),
		};
	}

	/** How many connections, profiles and credentials the account holds, in that order. */
	async resourceCounts(): Promise<[number, number, number]> {
		const { connections, profiles, credentials } = await this.resources();
		return [connections.length, profiles.length, credentials.length];
	}

	async close(): Promise<void> {
		for (const app of this.#apps) app.services.dispose();
		for (const service of this.#services) {
			for (const account of (await keychainItems(service)).keys()) {
				await keytar.deletePassword(service, account);
			}
		}
		// Before the folders go: a line still on its way would fail to find its file.
		for (const logFiles of this.#logFiles) await logFiles.flush();
		for (const dir of this.#dirs) await rm(dir, { recursive: true, force: true });
		await this.sandbox.close();
	}
}

/** `method path` of a log entry, with ids replaced by `{id}`. */
export const route = (entry: RestLogEntry) =>
	`${entry.method} ${entry.path.replace(/\/(\d{19}|[0-9a-f]{8}-[0-9a-f-]{27})(?=\/|$)/g, '/{id}')}`;

/** `method path?query` of a log entry, ids replaced by `{id}` and the query decoded (for reading). */
export const withQuery = (entry: RestLogEntry) =>
	entry.query === ''
		? route(entry)
		: `${route(entry)}?${decodeURIComponent(entry.query.replace(/\+/g, ' '))}`;

/** How many requests of each `method path`. */
export function countByRoute(entries: readonly RestLogEntry[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const entry of entries) counts[route(entry)] = (counts[route(entry)] ?? 0) + 1;
	return counts;
}

/** The creates of a first run, in the order it makes them. */
export const CREATE_ROUTES = [
	'POST /outbound_voice_profiles',
	'POST /credential_connections',
	'POST /telephony_credentials',
];
