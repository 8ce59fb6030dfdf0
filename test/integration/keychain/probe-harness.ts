/**
 * Starts keychain-probe.ts in a child process with the keychain environment a test asks for, talks to it,
 * and cleans up after it: every child gets its own HOME and XDG_RUNTIME_DIR under one folder per test file,
 * never a DISPLAY (keytar can wait forever on an unlock prompt when it has one), and — for the keyring
 * states — its own `dbus-run-session` with its own gnome-keyring-daemon, which the test may SIGSTOP or
 * SIGKILL without touching the shared one the other tests use.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PROBE = fileURLToPath(new URL('./keychain-probe.ts', import.meta.url));

export const KEYRING_PASSWORD = 'keychain-it-password';

/**
 * - `no-bus`: no D-Bus session bus at all (DBUS_SESSION_BUS_ADDRESS unset, no DISPLAY).
 * - `unlocked`: a private session bus and gnome-keyring unlocked with KEYRING_PASSWORD (a login collection).
 * - `not-unlocked`: a private session bus and gnome-keyring started but never unlocked (no login collection).
 */
export type Keyring = 'no-bus' | 'unlocked' | 'not-unlocked';

export interface Monitor {
	/** Largest gap between two ticks of a 10 ms interval (an in-process "IPC ping") while the op ran. */
	readonly maxGapMs: number;
	readonly p95GapMs: number;
	/** Slowest `fs.readFile` of a loop that ran while the operation did (a pending one counts). */
	readonly maxReadMs: number;
	readonly p50ReadMs: number;
	readonly p95ReadMs: number;
	/** Reads completed. */
	readonly reads: number;
}

export interface Reply<T = unknown> {
	readonly id: number;
	readonly ok: boolean;
	readonly result: T;
	readonly error?: string;
	/** How long the operation took in the child. */
	readonly ms: number;
	readonly monitor: Monitor;
	/** The most native keytar calls ever in flight at once in the child, so far. */
	readonly maxNativeInFlight: number;
}

/** One folder per test file: every child's HOME is inside it, which is how leftovers are recognised. */
const ROOT = mkdtempSync(path.join(tmpdir(), 'softphone-keychain-it-'));

/** PIDs of keyring daemons the tests learnt about (so cleanup can resume and kill them). */
const daemons = new Set<number>();

export function randomService(): string {
	return `telnyx-softphone-it-${randomBytes(6).toString('hex')}`;
}

/** A key the app would accept (KEY + 40 random characters), unique per call. */
export function canaryKey(): string {
	return `KEYcanary${randomBytes(20).toString('hex')}`;
}

const SETUP: Record<Exclude<Keyring, 'no-bus'>, string> = {
	unlocked:
		'printf "%s" "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 97',
	'not-unlocked': 'gnome-keyring-daemon --start --components=secrets >/dev/null || exit 97',
};

export class ProbeChild {
	readonly home: string;
	readonly userData: string;
	readonly service: string;
	/** The keychain account ApiKeyVault uses in the probe. */
	vaultAccount = '';
	readonly #child: ChildProcessWithoutNullStreams;
	readonly #waiting = new Map<number, (reply: Reply) => void>();
	readonly #exited: Promise<number | null>;
	#nextId = 1;
	#stdout = '';
	#stderr = '';
	#exitCode: number | null | undefined = undefined;

	private constructor(keyring: Keyring, service: string) {
		this.service = service;
		const dir = mkdtempSync(path.join(ROOT, `${keyring}-`));
		this.home = path.join(dir, 'home');
		this.userData = path.join(dir, 'user-data');
		const runtimeDir = path.join(dir, 'runtime');
		for (const d of [this.home, this.userData, runtimeDir]) mkdirSync(d, { mode: 0o700 });
		// A clean environment: no DISPLAY, no WAYLAND_DISPLAY, no inherited bus or keyring control socket.
		const env: NodeJS.ProcessEnv = {
			PATH: process.env.PATH,
			HOME: this.home,
			XDG_RUNTIME_DIR: runtimeDir,
			LANG: 'C.UTF-8',
			UV_THREADPOOL_SIZE: '4',
			...(process.env.TMPDIR === undefined ? {} : { TMPDIR: process.env.TMPDIR }),
		};
		const node = [process.execPath, '--import', 'tsx', PROBE, service];
		this.#child =
			keyring === 'no-bus'
				? spawn(node[0]!, node.slice(1), { cwd: PROJECT_ROOT, env, detached: true })
				: spawn(
						'dbus-run-session',
						[
							'--',
							'bash',
							'-c',
							`${SETUP[keyring]}; unset KEYRING_PASSWORD; exec "$@"`,
							'keyring-setup',
							...node,
						],
						{ cwd: PROJECT_ROOT, env: { ...env, KEYRING_PASSWORD }, detached: true },
					);
		this.#child.stdout.setEncoding('utf8').on('data', (chunk: string) => this.#onStdout(chunk));
		this.#child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			this.#stderr += chunk;
		});
		this.#exited = new Promise((resolve) => {
			this.#child.on('exit', (code) => {
				this.#exitCode = code;
				// A daemon that inherited our pipes may hold them open: stop listening.
				this.#child.stdout.destroy();
				this.#child.stderr.destroy();
				for (const waiter of this.#waiting.values()) {
					waiter({
						id: -1,
						ok: false,
						result: undefined,
						error: `probe exited (${code}) before answering; stderr:\n${this.#stderr}`,
						ms: 0,
						monitor: {
							maxGapMs: 0,
							p95GapMs: 0,
							maxReadMs: 0,
							p50ReadMs: 0,
							p95ReadMs: 0,
							reads: 0,
						},
						maxNativeInFlight: 0,
					});
				}
				this.#waiting.clear();
				resolve(code);
			});
		});
	}

	/** Starts a probe and waits until it answers. */
	static async start(keyring: Keyring, service = randomService()): Promise<ProbeChild> {
		const probe = new ProbeChild(keyring, service);
		const hello = await probe.request<{
			hasBus: boolean;
			hasDisplay: boolean;
			vaultAccount: string;
		}>('hello');
		if (!hello.ok) throw new Error(`probe did not start: ${hello.error}`);
		probe.vaultAccount = hello.result.vaultAccount;
		if (hello.result.hasDisplay) throw new Error('probe must never see a DISPLAY');
		if (hello.result.hasBus !== (keyring !== 'no-bus')) throw new Error('probe has the wrong bus');
		return probe;
	}

	#onStdout(chunk: string): void {
		this.#stdout += chunk;
		let newline: number;
		while ((newline = this.#stdout.indexOf('\n')) >= 0) {
			const line = this.#stdout.slice(0, newline).trim();
			this.#stdout = this.#stdout.slice(newline + 1);
			if (!line.startsWith('{')) continue;
			const reply = JSON.parse(line) as Reply;
			const waiter = this.#waiting.get(reply.id);
			if (waiter !== undefined) {
				this.#waiting.delete(reply.id);
				waiter(reply);
			}
		}
	}

	get stderr(): string {
		return this.#stderr;
	}

	/** Sends one request; rejects if no answer comes within `timeoutMs`. */
	request<T = unknown>(
		op: string,
		args: Record<string, unknown> = {},
		timeoutMs = 20_000,
	): Promise<Reply<T>> {
		if (this.#exitCode !== undefined) {
			return Promise.reject(new Error(`probe already exited; stderr:\n${this.#stderr}`));
		}
		const id = this.#nextId++;
		return new Promise<Reply<T>>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.#waiting.delete(id);
				reject(new Error(`no answer to ${op} within ${timeoutMs} ms; stderr:\n${this.#stderr}`));
			}, timeoutMs);
			this.#waiting.set(id, (reply) => {
				clearTimeout(timer);
				resolve(reply as Reply<T>);
			});
			this.#child.stdin.write(`${JSON.stringify({ ...args, id, op })}\n`);
		});
	}

	/** Like `request`, but fails unless the child answered without throwing. */
	async call<T = unknown>(
		op: string,
		args: Record<string, unknown> = {},
		timeoutMs?: number,
	): Promise<Reply<T>> {
		const reply = await this.request<T>(op, args, timeoutMs);
		if (!reply.ok) throw new Error(`${op} failed in the probe: ${reply.error}`);
		return reply;
	}

	/**
	 * The PID of the gnome-keyring-daemon serving this child's bus (remembered for cleanup). A daemon that
	 * was just started claims its bus name a moment after it forks, hence the wait.
	 */
	async daemonPid(timeoutMs = 5000): Promise<number> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const { result } = await this.call<number | null>('daemonPid');
			if (result !== null) {
				daemons.add(result);
				return result;
			}
			if (Date.now() > deadline) throw new Error('no process owns org.freedesktop.secrets');
			await sleep(50);
		}
	}

	/** Whether any process owns org.freedesktop.secrets on this child's bus right now. */
	async hasSecretService(): Promise<boolean> {
		return (await this.call<number | null>('daemonPid')).result !== null;
	}

	/**
	 * Runs a second, brand-new probe in this child's environment (same bus, same HOME) — the app started
	 * again — sends it `requests` and returns its replies (hello first).
	 */
	async freshProcess(requests: readonly Record<string, unknown>[]): Promise<Reply[]> {
		const input = requests.map((r, i) => JSON.stringify({ ...r, id: i + 1 })).join('\n');
		const out = await this.run(
			[process.execPath, '--import', 'tsx', PROBE, this.service],
			`${input}\n`,
		);
		if (out.code !== 0) throw new Error(`fresh probe failed (${out.code}): ${out.stderr}`);
		return out.stdout
			.split('\n')
			.filter((line) => line.startsWith('{'))
			.map((line) => JSON.parse(line) as Reply)
			.sort((a, b) => a.id - b.id);
	}

	/** Runs a command in the child's environment (its bus, HOME and runtime dir). */
	async run(
		argv: readonly string[],
		input?: string,
	): Promise<{ code: number | null; stdout: string; stderr: string }> {
		return (
			await this.call<{ code: number | null; stdout: string; stderr: string }>('run', {
				argv,
				input,
			})
		).result;
	}

	/** Asks the child to exit, kills its process group if it does not, and resumes/kills known daemons. */
	async close(): Promise<void> {
		for (const pid of daemons) signal(pid, 'SIGCONT');
		if (this.#exitCode === undefined) {
			this.#child.stdin.end(`${JSON.stringify({ id: 0, op: 'exit' })}\n`);
			const exited = await Promise.race([
				this.#exited.then(() => true),
				new Promise<false>((resolve) => setTimeout(() => resolve(false), 5000)),
			]);
			if (!exited && this.#child.pid !== undefined) signal(-this.#child.pid, 'SIGKILL');
			await this.#exited;
		}
	}
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The `q` quantile (0–1) of `values`, nearest rank; 0 for none. */
export function quantile(values: readonly number[], q: number): number {
	if (values.length === 0) return 0;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * Pings the child (a `hello` round trip, as another IPC request would be) every 20 ms until `work` settles;
 * returns the round trips (an unanswered ping counts for as long as it waited).
 */
export async function pingWhile<T>(
	probe: ProbeChild,
	work: Promise<T>,
): Promise<{ value: T; maxPingMs: number; p95PingMs: number; pings: number }> {
	let settled = false;
	const done = work.finally(() => {
		settled = true;
	});
	const rtts: number[] = [];
	while (!settled) {
		const start = performance.now();
		await Promise.race([probe.call('hello'), done.catch(() => undefined)]);
		rtts.push(performance.now() - start);
		await sleep(20);
	}
	const round = (ms: number) => Math.round(ms * 10) / 10;
	return {
		value: await done,
		maxPingMs: round(Math.max(0, ...rtts)),
		p95PingMs: round(quantile(rtts, 0.95)),
		pings: rtts.length,
	};
}

function signal(pid: number, name: NodeJS.Signals): boolean {
	try {
		process.kill(pid, name);
		return true;
	} catch {
		return false;
	}
}

export function stopProcess(pid: number): void {
	daemons.add(pid);
	process.kill(pid, 'SIGSTOP');
}

/** SIGCONT; quietly does nothing if the process is gone. */
export function resumeProcess(pid: number): void {
	signal(pid, 'SIGCONT');
}

export function killProcess(pid: number): void {
	daemons.add(pid);
	process.kill(pid, 'SIGKILL');
}

/** Live (non-zombie) processes started for this file's probes: their environment has a HOME under ROOT. */
export function ourProcesses(): { pid: number; name: string }[] {
	const found: { pid: number; name: string }[] = [];
	let pids: string[];
	try {
		// All candidates by name (a daemon renames itself; pgrep matches the 15-character comm).
		pids = execFileSync('pgrep', ['-x', 'gnome-keyring-d|dbus-daemon|dbus-run-session|node|bash'], {
			encoding: 'utf8',
		})
			.split('\n')
			.filter((line) => line !== '');
	} catch {
		return found; // pgrep exits 1 when nothing matches
	}
	for (const pid of pids) {
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
			if (state === 'Z') continue;
			const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
			if (!environ.some((entry) => entry.startsWith(`HOME=${ROOT}${path.sep}`))) continue;
			const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
			found.push({ pid: Number(pid), name });
		} catch {
			// Gone meanwhile, or not ours to read.
		}
	}
	return found;
}

/**
 * Waits for every process this file started to be gone (daemons notice their bus closing within a moment);
 * kills whatever is left and returns it, so the caller can fail the run.
 */
export async function reapLeftovers(timeoutMs = 5000): Promise<{ pid: number; name: string }[]> {
	const deadline = Date.now() + timeoutMs;
	let left = ourProcesses();
	while (left.length > 0 && Date.now() < deadline) {
		for (const { pid } of left) signal(pid, 'SIGCONT');
		await new Promise((resolve) => setTimeout(resolve, 100));
		left = ourProcesses();
	}
	for (const { pid } of left) {
		signal(pid, 'SIGCONT');
		signal(pid, 'SIGKILL');
	}
	return left;
}

/** Removes this file's folder (call after reapLeftovers). */
export function removeRoot(): void {
	rmSync(ROOT, { recursive: true, force: true });
}

/** Every file under `dir` whose bytes contain `needle` (for "nothing written to disk" checks). */
export function filesContaining(dir: string, needle: string): string[] {
	const hits: string[] = [];
	const walk = (current: string): void => {
		for (const entry of readdirSync(current, { withFileTypes: true })) {
			const full = path.join(current, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.isFile() && readFileSync(full).includes(needle)) hits.push(full);
		}
	};
	walk(dir);
	return hits;
}

/** Every regular file under `dir` (relative paths), to show what a scan looked at. */
export function listFiles(dir: string): string[] {
	const files: string[] = [];
	const walk = (current: string): void => {
		for (const entry of readdirSync(current, { withFileTypes: true })) {
			const full = path.join(current, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.isFile()) files.push(path.relative(dir, full));
		}
	};
	walk(dir);
	return files;
}
