/**
 * Renderer heap growth per call, and what grows (issue 17, part 6). Not part of `npm test`; run it as the
 * bench runs (a keyring and a loopback namespace):
 *
 *   npm run build:renderer && bash test/bench/run-probe.sh [calls]
 *
 * Alice's call history starts full (main keeps at most HISTORY_LIMIT entries), so what grows is what a
 * long-running app would keep growing. Alice calls Bob `calls` times (Bob answers at once, Alice hangs up);
 * after a warm-up, then after half and all of the calls, the heap is measured after a full GC
 * (`Runtime.getHeapUsage`) and a heap snapshot is summed by constructor. It prints the growth per call over
 * the second half, and the constructors whose retained count and self size grew most between the two
 * snapshots — the evidence of where the growth comes from.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { HISTORY_LIMIT } from '../../main/history/history-file';
import type { CallHistoryEntry } from '../../preload/contract';
import { launchApp, type AppInstance } from '../e2e/support/app-harness';
import { chromiumLaunchOptions } from '../e2e/support/chromium';
import globalSetup from '../e2e/support/global-setup';
import { answerEveryCall, heapAfterGc, onboard } from '../e2e/support/softphone-helpers';
import { startSandbox } from '../sandbox/sandbox';

const CALLS = Number(process.argv[2] ?? 100);
const WARM_UP = 5;

/** Constructors whose retainers are printed (a peer connection is one per call: none should survive it). */
const TRACE = (process.env['HEAP_PROBE_TRACE'] ?? 'RTCPeerConnection').split(',');

interface Snapshot {
	snapshot: {
		meta: {
			node_fields: string[];
			node_types: [string[]];
			edge_fields: string[];
			edge_types: [string[]];
		};
	};
	nodes: number[];
	edges: number[];
	strings: string[];
}

/**
 * For the first few nodes named `name`, the shortest chain of references from a GC root that keeps each
 * alive (skipping weak edges), as DevTools' Retainers panel would show it.
 */
function retainerPaths(snap: Snapshot, name: string, limit = 2): string[] {
	const nf = snap.snapshot.meta.node_fields;
	const ef = snap.snapshot.meta.edge_fields;
	const edgeTypes = snap.snapshot.meta.edge_types[0];
	const n = nf.length;
	const e = ef.length;
	const nodeCount = snap.nodes.length / n;
	const at = (f: string) => nf.indexOf(f);
	const [nameAt, edgeCountAt] = [at('name'), at('edge_count')];
	const [etype, ename, eto] = [
		ef.indexOf('type'),
		ef.indexOf('name_or_index'),
		ef.indexOf('to_node'),
	] as const;
	const label = (node: number) => snap.strings[snap.nodes[node * n + nameAt] ?? 0] ?? '?';
	// Reverse edges: who points at whom.
	const parents: { from: number; edge: string }[][] = Array.from({ length: nodeCount }, () => []);
	let edgeIndex = 0;
	for (let node = 0; node < nodeCount; node += 1) {
		const count = snap.nodes[node * n + edgeCountAt] ?? 0;
		for (let k = 0; k < count; k += 1, edgeIndex += e) {
			const type = edgeTypes[snap.edges[edgeIndex + etype] ?? 0] ?? '';
			if (type === 'weak' || type === 'shortcut') continue;
			const to = (snap.edges[edgeIndex + eto] ?? 0) / n;
			const raw = snap.edges[edgeIndex + ename] ?? 0;
			const edge =
				type === 'element' || type === 'hidden' ? `[${raw}]` : (snap.strings[raw] ?? '?');
			parents[to]?.push({ from: node, edge: `${type}:${edge}` });
		}
	}
	const paths: string[] = [];
	for (let target = 0; target < nodeCount && paths.length < limit; target += 1) {
		if (label(target) !== name) continue;
		// Breadth-first towards the root (node 0).
		const via = new Map<number, { next: number; edge: string }>([[target, { next: -1, edge: '' }]]);
		const queue = [target];
		let found = -1;
		while (queue.length > 0 && found === -1) {
			const node = queue.shift() ?? 0;
			for (const p of parents[node] ?? []) {
				if (via.has(p.from)) continue;
				via.set(p.from, { next: node, edge: p.edge });
				if (p.from === 0) {
					found = 0;
					break;
				}
				queue.push(p.from);
			}
		}
		if (found === -1) continue;
		// Walk from the root down to the target.
		const chain: string[] = [];
		for (let node = 0; node !== target;) {
			const step = via.get(node);
			if (step === undefined) break;
			chain.push(`${label(node).slice(0, 40)} -${step.edge.slice(0, 40)}->`);
			node = step.next;
		}
		chain.push(name);
		paths.push(chain.join(' '));
	}
	return paths;
}

interface Totals {
	readonly count: number;
	readonly size: number;
}

/** A heap snapshot summed by node type and name (constructor, or "(string)" etc. as DevTools shows). */
async function snapshotByConstructor(
	page: Page,
): Promise<{ totals: Map<string, Totals>; snapshot: Snapshot }> {
	const session = await page.context().newCDPSession(page);
	const chunks: string[] = [];
	session.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }: { chunk: string }) =>
		chunks.push(chunk),
	);
	await session.send('HeapProfiler.collectGarbage');
	await session.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
	await session.detach();
	const snapshot = JSON.parse(chunks.join('')) as Snapshot;
	const fields = snapshot.snapshot.meta.node_fields;
	const types = snapshot.snapshot.meta.node_types[0];
	const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
	const totals = new Map<string, Totals>();
	for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
		const type = types[snapshot.nodes[i + (typeAt ?? 0)] ?? 0] ?? '?';
		const name =
			type === 'object' || type === 'closure' || type === 'native'
				? (snapshot.strings[snapshot.nodes[i + (nameAt ?? 1)] ?? 0] ?? '?')
				: `(${type})`;
		const key = type === 'object' ? name : `${type} ${name}`;
		const was = totals.get(key) ?? { count: 0, size: 0 };
		totals.set(key, {
			count: was.count + 1,
			size: was.size + (snapshot.nodes[i + (sizeAt ?? 3)] ?? 0),
		});
	}
	return { totals, snapshot };
}

function fullHistory(): CallHistoryEntry[] {
	return Array.from({ length: HISTORY_LIMIT }, (_, i) => ({
		id: `seed-${i}`,
		direction: 'outbound',
		remote: 'sip:bob@sip.telnyx.com',
		remoteName: 'Bob desktop',
		video: false,
		startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
		durationSeconds: 1,
		answered: true,
		endReason: 'hangup-local',
		endMessage: 'You hung up.',
		cause: 'NORMAL_CLEARING',
		sipCode: null,
		telnyxIds: { callControlId: null, sessionId: null, legId: null },
		quality: null,
	}));
}

async function call(alice: AppInstance, bob: AppInstance): Promise<void> {
	await alice.page.getByRole('button', { name: 'Call Bob desktop', exact: true }).click();
	await alice.page.getByTestId('call-phase').filter({ hasText: 'In call' }).waitFor();
	await alice.page.getByRole('button', { name: 'Hang up' }).click();
	for (const page of [alice.page, bob.page]) {
		await page.getByRole('button', { name: 'Close' }).click();
		await page.getByLabel('Number, SIP address or installation').waitFor();
	}
}

async function main(): Promise<void> {
	await globalSetup();
	const browser = await chromium.launch(chromiumLaunchOptions());
	const sandbox = await startSandbox();
	try {
		const endpoints = { restBaseUrl: sandbox.restBaseUrl, signallingUrl: sandbox.signallingUrl };
		const bob = await launchApp(browser, { endpoints, deviceName: 'Bob desktop' });
		await onboard(bob.page, sandbox.apiKey, { name: 'Bob', number: null });
		const aliceDir = await mkdtemp(path.join(tmpdir(), 'softphone-heap-'));
		await writeFile(
			path.join(aliceDir, 'history.json'),
			`${JSON.stringify({ version: 1, entries: fullHistory() })}\n`,
		);
		const alice = await launchApp(browser, {
			endpoints,
			deviceName: 'Alice laptop',
			userDataDir: aliceDir,
		});
		await onboard(alice.page, sandbox.apiKey, { name: 'Alice', number: null });
		await answerEveryCall(bob.page, 'Answer');
		for (let i = 0; i < WARM_UP; i += 1) await call(alice, bob);
		const half = Math.floor(CALLS / 2);
		for (let i = 0; i < half; i += 1) await call(alice, bob);
		const heapHalf = await heapAfterGc(alice.page);
		const { totals: snapHalf } = await snapshotByConstructor(alice.page);
		for (let i = half; i < CALLS; i += 1) await call(alice, bob);
		const heapAll = await heapAfterGc(alice.page);
		const { totals: snapAll, snapshot } = await snapshotByConstructor(alice.page);
		const calls = CALLS - half;
		console.log(
			`heap after ${WARM_UP + half} calls: ${(heapHalf / 1024).toFixed(1)} KiB; after ${WARM_UP + CALLS}: ${(heapAll / 1024).toFixed(1)} KiB`,
		);
		console.log(
			`growth per call over the last ${calls}: ${((heapAll - heapHalf) / calls / 1024).toFixed(2)} KiB`,
		);
		const rows = [...snapAll]
			.map(([name, all]) => {
				const was = snapHalf.get(name) ?? { count: 0, size: 0 };
				return { name, count: all.count - was.count, size: all.size - was.size };
			})
			.filter((r) => r.size !== 0 || r.count !== 0)
			.sort((a, b) => b.size - a.size)
			.slice(0, 25);
		console.log(`\nretained growth by constructor over the last ${calls} calls (per call):`);
		for (const r of rows)
			console.log(
				`${(r.size / calls).toFixed(0).padStart(8)} B ${(r.count / calls).toFixed(2).padStart(8)} objects  ${r.name.slice(0, 80)}`,
			);
		for (const name of TRACE) {
			console.log(`\nwhat keeps ${name} alive (shortest paths from the GC roots):`);
			for (const line of retainerPaths(snapshot, name)) console.log(`  ${line}`);
		}
		await alice.close();
		await bob.close();
	} finally {
		await browser.close();
		await sandbox.close();
	}
}

await main();
