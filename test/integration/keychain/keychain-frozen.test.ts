/**
 * K4: the gnome-keyring-daemon frozen with SIGSTOP during a save and
 * during a load. keytar has no deadline of its own — each call blocks a libuv thread for ~50 s — so
 * SecretStore must answer `timeout` within its deadline, never start a second native call while one is
 * stuck (four stuck calls starve fs, dns and crypto), and work again once the daemon resumes.
 *
 * The daemon is the probe's own (its private dbus-run-session), never the shared one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyStatus } from '../../../preload/contract';
import {
	ProbeChild,
	canaryKey,
	pingWhile,
	reapLeftovers,
	removeRoot,
	resumeProcess,
	stopProcess,
	type Reply,
} from './probe-harness';

type ReadResult = { state: string; value?: string | null };
type BatchItem = { op: string; result: unknown; ms: number };

/** SecretStore's default deadline is ≤ 5 s; allow scheduling slack on top. */
const DEADLINE_MS = 5500;
/** Other IPC and file reads must not notice the stuck keychain call: typically (p95) within 100 ms… */
const RESPONSIVE_MS = 100;
/**
 * …and never stuck. A starved threadpool holds a read for as long as the stuck calls last (≥ the 4 s
 * deadline; 50 s measured), while a busy machine running the other test files can deschedule the probe
 * for ~100 ms now and then (seen as the timer, the reads and the pings all late at the same moment).
 */
const NEVER_STUCK_MS = 1000;

type Pings = { maxPingMs: number; p95PingMs: number; pings: number };

let probe: ProbeChild;
let daemon: number;
let key: string;

beforeAll(async () => {
	probe = await ProbeChild.start('unlocked');
	expect((await probe.call<string>('probe')).result).toBe('ok');
	daemon = await probe.daemonPid();
	key = canaryKey();
});
afterAll(async () => {
	resumeProcess(daemon);
	await probe.close();
	await reapLeftovers();
	removeRoot();
});

function report(label: string, reply: Reply, pings: Pings): void {
	const m = reply.monitor;
	console.log(
		`K4 ${label}: answered in ${reply.ms} ms; ` +
			`IPC ping p95 ${pings.p95PingMs} / max ${pings.maxPingMs} ms over ${pings.pings} pings; ` +
			`10 ms timer gap p95 ${m.p95GapMs} / max ${m.maxGapMs} ms; ` +
			`fs.readFile p95 ${m.p95ReadMs} / max ${m.maxReadMs} ms over ${m.reads} reads; ` +
			`native keytar calls in flight max ${reply.maxNativeInFlight}`,
	);
}

function expectResponsive(reply: Reply, pings: Pings): void {
	expect(reply.maxNativeInFlight).toBe(1);
	expect(pings.pings).toBeGreaterThan(10);
	expect(pings.p95PingMs).toBeLessThan(RESPONSIVE_MS);
	expect(pings.maxPingMs).toBeLessThan(NEVER_STUCK_MS);
	expect(reply.monitor.reads).toBeGreaterThan(10);
	expect(reply.monitor.p95ReadMs).toBeLessThan(RESPONSIVE_MS);
	expect(reply.monitor.maxReadMs).toBeLessThan(NEVER_STUCK_MS);
	expect(reply.monitor.p95GapMs).toBeLessThan(RESPONSIVE_MS);
	expect(reply.monitor.maxGapMs).toBeLessThan(NEVER_STUCK_MS);
}

describe('K4: gnome-keyring-daemon frozen (SIGSTOP)', () => {
	it('a save answers timeout within the deadline, the process stays responsive, and a retry after SIGCONT saves', async () => {
		stopProcess(daemon);
		let resumed = false;
		try {
			const { value: saved, ...pings } = await pingWhile(
				probe,
				probe.call<KeyStatus>('vaultSave', { key }),
			);
			report('save while frozen', saved, pings);
			expect(saved.result).toMatchObject({
				hasApiKey: true,
				keychain: 'timeout',
				persisted: false,
			});
			expect(saved.result.warning).toMatch(/did not answer/);
			expect(saved.ms).toBeLessThanOrEqual(DEADLINE_MS);
			expectResponsive(saved, pings);

			resumeProcess(daemon);
			resumed = true;
			const retry = await probe.call<KeyStatus>('vaultSave', { key });
			console.log(`K4 save retry after SIGCONT: ${retry.ms} ms`);
			expect(retry.result).toEqual({
				hasApiKey: true,
				keychain: 'ok',
				persisted: true,
				warning: null,
			});
			expect((await probe.call<ReadResult>('get')).result).toEqual({ state: 'ok', value: key });
		} finally {
			if (!resumed) resumeProcess(daemon);
		}
	});

	it('a load answers timeout within the deadline — so do four more requests piled up behind it — and a retry after SIGCONT reads the key', async () => {
		stopProcess(daemon);
		let resumed = false;
		try {
			const { value: batch, ...pings } = await pingWhile(
				probe,
				probe.call<BatchItem[]>('batch', {
					ops: [
						{ op: 'get' },
						{ op: 'vaultStatus' },
						{ op: 'get', account: 'login-token:https://api.telnyx.com' },
						{ op: 'vaultSave', key: canaryKey() },
						{ op: 'probe' },
					],
				}),
			);
			report('load (+4 piled-up requests) while frozen', batch, pings);
			console.log(
				`K4 per request: ${batch.result.map((item) => `${item.op} ${item.ms} ms`).join(', ')}`,
			);
			const [read, status, token, save, probed] = batch.result.map((item) => item.result);
			expect(read).toEqual({ state: 'timeout' });
			expect(status).toMatchObject({ hasApiKey: false, keychain: 'timeout' });
			expect(token).toEqual({ state: 'timeout' });
			expect(save).toMatchObject({ keychain: 'timeout', persisted: false });
			expect(probed).toBe('timeout');
			for (const item of batch.result) expect(item.ms).toBeLessThanOrEqual(DEADLINE_MS);
			expectResponsive(batch, pings);

			resumeProcess(daemon);
			resumed = true;
			const retry = await probe.call<ReadResult>('get');
			console.log(`K4 load retry after SIGCONT: ${retry.ms} ms`);
			expect(retry.result).toEqual({ state: 'ok', value: key });
		} finally {
			if (!resumed) resumeProcess(daemon);
		}
	});

	it('control: four keytar calls NOT serialised by SecretStore starve fs.readFile while the daemon is frozen', async () => {
		stopProcess(daemon);
		let starved: Reply<{ readMs: number | null; waitedMs: number }>;
		try {
			starved = await probe.call('rawStarve', { n: 4, waitMs: 1000 });
		} finally {
			resumeProcess(daemon);
		}
		const settled = await probe.call<string[]>('rawSettle');
		console.log(
			`K4 control: fs.readFile with 4 raw keytar calls in flight: ${
				starved.result.readMs === null
					? `not done after ${starved.result.waitedMs} ms`
					: `${starved.result.readMs} ms`
			}; after SIGCONT the raw calls ${settled.result.join(', ')}`,
		);
		expect(starved.result.readMs).toBeNull();
		expect(settled.result).toEqual(['resolved', 'resolved', 'resolved', 'resolved']);
		// And the store still works afterwards.
		expect((await probe.call<ReadResult>('get')).result).toEqual({ state: 'ok', value: key });
	});
});

it('leaves no gnome-keyring-daemon, dbus-daemon or probe running', async () => {
	await probe.close();
	expect(await reapLeftovers()).toEqual([]);
});
