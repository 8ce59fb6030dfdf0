/**
 * A local TURN server for tests: Debian's coturn (`turnserver`, package `coturn`, 4.6.1 on Debian 12) run as a
 * child process on 127.0.0.1, plain UDP only, with one static long-term-credential user.
 *
 *     const turn = await startTurnServer();
 *     new TelnyxRTC({ …, iceServers: [turn.iceServer], forceRelayCandidate: true });
 *     turn.log();           // coturn's log lines so far (allocations, permissions, usage)
 *     await turn.close();
 *
 * It listens on a free port and relays from a port range of its own (below Linux's ephemeral ports, so it
 * collides neither with the system's coturn service, which Debian's package enables on 3478 with relay ports
 * 49152–65535, nor with the sockets other tests open on port 0). `-n` keeps it from reading
 * /etc/turnserver.conf, and its user database and pid file live in a temporary folder, so it touches
 * nothing of the machine's. Loopback peers are allowed on purpose: the sandbox's media gateway, the TURN
 * server's only peer, listens on 127.0.0.1, and coturn refuses loopback peers by default.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const HOST = '127.0.0.1';

/** An `RTCIceServer` (declared here: this module is also compiled without the DOM typings). */
export interface TurnIceServer {
	readonly urls: string;
	readonly username: string;
	readonly credential: string;
}

export interface TurnServerOptions {
	readonly username?: string;
	readonly password?: string;
	readonly realm?: string;
	/** How many relay ports (one per allocation); 100 unless told. */
	readonly relayPorts?: number;
	/** The `turnserver` binary (default: from PATH). */
	readonly binary?: string;
}

export interface TurnServer {
	readonly host: string;
	readonly port: number;
	readonly username: string;
	readonly password: string;
	readonly realm: string;
	/** The relay ports coturn allocates from (inclusive). */
	readonly relayPortRange: { readonly min: number; readonly max: number };
	/** `turn:127.0.0.1:<port>?transport=udp` with the credentials, for a client's `iceServers`. */
	readonly iceServer: TurnIceServer;
	/** The full command line it was started with. */
	readonly commandLine: readonly string[];
	/** Every line coturn has logged so far (stdout and stderr). */
	log(): readonly string[];
	/** Stops the server (SIGTERM, then SIGKILL after 2 s) and removes its temporary folder. */
	close(): Promise<void>;
}

/** Servers not closed yet: killed if the test process exits without closing them. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.on('exit', () => {
		for (const child of running) child.kill('SIGKILL');
	});
}

/** A UDP port free on 127.0.0.1 right now (the OS's pick, released at once). */
function freeUdpPort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const socket = createSocket('udp4');
		socket.once('error', reject);
		socket.bind(0, HOST, () => {
			const { port } = socket.address();
			socket.close(() => resolve(port));
		});
	});
}

/**
 * Resolves once a STUN Binding request (RFC 5389) sent to the server gets its success response; coturn
 * answers those without authentication. Rejects after `timeoutMs` or as soon as `exited` settles.
 */
function waitForStun(port: number, timeoutMs: number, exited: Promise<string>): Promise<void> {
	return new Promise((resolve, reject) => {
		const socket = createSocket('udp4');
		const transaction = randomBytes(12);
		const request = Buffer.alloc(20);
		request.writeUInt16BE(0x0001, 0); // Binding request
		request.writeUInt16BE(0, 2); // no attributes
		request.writeUInt32BE(0x2112a442, 4); // magic cookie
		transaction.copy(request, 8);
		let done = false;
		const finish = (error?: Error) => {
			if (done) return;
			done = true;
			clearInterval(resend);
			clearTimeout(timer);
			socket.close();
			if (error === undefined) resolve();
			else reject(error);
		};
		const send = () => socket.send(request, port, HOST, () => undefined);
		socket.on('message', (message) => {
			if (
				message.length >= 20 &&
				message.readUInt16BE(0) === 0x0101 && // Binding success response
				message.subarray(8, 20).equals(transaction)
			)
				finish();
		});
		socket.on('error', () => undefined); // ICMP port unreachable while it starts: keep trying
		const resend = setInterval(send, 100);
		const timer = setTimeout(
			() =>
				finish(new Error(`turnserver did not answer STUN on ${HOST}:${port} in ${timeoutMs} ms`)),
			timeoutMs,
		);
		void exited.then((why) => finish(new Error(`turnserver exited while starting (${why})`)));
		socket.bind(0, HOST, send);
	});
}

async function startOnce(options: TurnServerOptions): Promise<TurnServer> {
	const username = options.username ?? 'relayuser';
	const password = options.password ?? 'relay-password';
	const realm = options.realm ?? 'sandbox.test';
	const width = options.relayPorts ?? 100;
	const port = await freeUdpPort();
	// Below 32768, where Linux starts its ephemeral ports, and away from coturn's default range.
	const min = randomInt(20_000, 32_000 - width);
	const max = min + width - 1;
	const dir = await mkdtemp(join(tmpdir(), 'turnserver-'));
	const args = [
		'-n', // no configuration file: /etc/turnserver.conf is not read
		`--listening-ip=${HOST}`,
		`--listening-port=${port}`,
		`--relay-ip=${HOST}`,
		`--min-port=${min}`,
		`--max-port=${max}`,
		'--lt-cred-mech',
		`--user=${username}:${password}`,
		`--realm=${realm}`,
		'--fingerprint',
		// Plain UDP only: no TLS/DTLS (no certificate), no TCP listener or TCP relays, no CLI (port 5766).
		'--no-tls',
		'--no-dtls',
		'--no-tcp',
		'--no-tcp-relay',
		'--no-cli',
		'--no-rfc5780',
		'--no-software-attribute',
		// The gateway is on 127.0.0.1; coturn refuses loopback peers unless told.
		'--allow-loopback-peers',
		'--no-multicast-peers',
		`--userdb=${join(dir, 'turndb')}`,
		`--pidfile=${join(dir, 'turnserver.pid')}`,
		'--log-file=stdout',
		'--simple-log',
		'--verbose',
	];
	const binary = options.binary ?? 'turnserver';
	const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
	running.add(child);
	installExitHook();
	const lines: string[] = [];
	for (const stream of [child.stdout, child.stderr])
		createInterface({ input: stream }).on('line', (line) => lines.push(line));
	const exited = new Promise<string>((resolve) => {
		child.once('error', (error: NodeJS.ErrnoException) =>
			resolve(
				error.code === 'ENOENT'
					? `${binary} not found: install Debian's coturn package (test/run-all.sh does)`
					: error.message,
			),
		);
		child.once('exit', (code, signal) => resolve(`exit code ${code}, signal ${signal}`));
	}).finally(() => running.delete(child));

	let closed: Promise<void> | null = null;
	const close = (): Promise<void> =>
		(closed ??= (async () => {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				const kill = setTimeout(() => child.kill('SIGKILL'), 2000);
				await exited;
				clearTimeout(kill);
			}
			await rm(dir, { recursive: true, force: true });
		})());

	try {
		await waitForStun(port, 10_000, exited);
	} catch (error) {
		await close();
		throw new Error(`${(error as Error).message}\n${lines.slice(-20).join('\n')}`, {
			cause: error,
		});
	}
	return {
		host: HOST,
		port,
		username,
		password,
		realm,
		relayPortRange: { min, max },
		iceServer: { urls: `turn:${HOST}:${port}?transport=udp`, username, credential: password },
		commandLine: [binary, ...args],
		log: () => [...lines],
		close,
	};
}

/**
 * Starts coturn on a free port of 127.0.0.1 and resolves once it answers STUN. The port is picked, released,
 * then given to coturn, so another process may take it in between: a start that fails is tried twice more.
 */
export async function startTurnServer(options: TurnServerOptions = {}): Promise<TurnServer> {
	let lastError: unknown;
	for (let attempt = 0; attempt < 3; attempt += 1) {
		try {
			return await startOnce(options);
		} catch (error) {
			lastError = error;
			if ((error as Error).message.includes('not found')) break;
		}
	}
	throw lastError;
}
