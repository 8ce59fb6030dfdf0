/**
 * A fleet of installations on one sandbox account, each running the directory logic main runs — the real
 * `Directory` (and its `DirectoryPolicy`) over the real `telnyx` library and `TelnyxApi`, over HTTP to the
 * sandbox — one instance per installation, driven by a simulated clock that the sandbox shares (so its
 * request log and its 600-a-minute rate limit are in simulated time too).
 *
 * Users act at random: each starts the app at a random minute of the first hour (registration asks for the
 * directory), then every 2–10 minutes focuses the window or opens the dialer (an ask), and on one ask in ten
 * types the name of another installation (a search when it is not in the cache). The old policy — every two
 * minutes, on focus and at registration, every page — is simulated the same way for comparison.
 *
 * `bench:directory` (test/bench/directory.ts) and test/integration/main/directory-scale.test.ts use it.
 */
import { Directory, type DirectorySnapshot } from '../../main/telnyx/directory';
import { APP_TAG, TelnyxApi } from '../../main/telnyx/telnyx-api';
import { createTelnyxClient, describeFailure } from '../../main/telnyx/telnyx-client';
import type { Sandbox } from '../sandbox/sandbox';
import type { CredentialRecord } from '../sandbox/store';

export const MINUTE = 60_000;

/** A clock the simulation moves; the sandbox reads it too (`startSandbox({ now })`). */
export class SimulatedClock {
	time = Date.UTC(2026, 11, 7, 8, 0, 0);
	readonly now = (): number => this.time;
	readonly date = (): Date => new Date(this.time);
}

/** A small seeded generator (mulberry32), so a run can be repeated. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

export interface FleetOptions {
	readonly sandbox: Sandbox;
	readonly clock: SimulatedClock;
	readonly apiKey: string;
	/** The account's installations (from `admin.seedInstallations`), newest first. */
	readonly installations: readonly CredentialRecord[];
	/** How many of them run (all for the new policy; a sample for the old one, scaled afterwards). */
	readonly running: number;
	readonly policy: 'new' | 'old';
	/** Simulated minutes: the first `startMinutes` are when users start their apps. */
	readonly minutes: number;
	readonly startMinutes: number;
	readonly seed: number;
	/**
	 * Each installation's kept page (what main keeps in `directory.json`), by its index: pass the map of an
	 * earlier run to start the apps again the next day. Filled as they refresh.
	 */
	readonly snapshots?: Map<number, DirectorySnapshot>;
}

export interface FleetRun {
	/** Directory requests (GET /telephony_credentials) in each simulated minute, from the sandbox's log. */
	readonly perMinute: readonly number[];
	/** How many of those the sandbox refused with 429. */
	readonly limited: number;
	/** Asks, searches wanted (a name not in the cache) and searches that found the installation. */
	readonly asks: number;
	readonly searchesWanted: number;
	readonly searchesFound: number;
	/** Asks that answered an error. */
	readonly failures: number;
}

interface Event {
	readonly at: number;
	readonly who: number;
	readonly kind: 'start' | 'ask' | 'type' | 'timer';
}

/** The old directory: every page of the app's credentials on every ask (the app before this change). */
async function listEveryPage(api: TelnyxApi): Promise<void> {
	await api.listCredentials({ tag: APP_TAG });
}

function memorySnapshots(kept: Map<number, DirectorySnapshot>, index: number) {
	return {
		load: async () => kept.get(index) ?? null,
		save: async (snapshot: DirectorySnapshot | null) => {
			if (snapshot === null) kept.delete(index);
			else kept.set(index, snapshot);
		},
	};
}

export async function runFleet(options: FleetOptions): Promise<FleetRun> {
	const { sandbox, clock, installations, running, policy } = options;
	const random = seededRandom(options.seed);
	const began = clock.time;
	const end = began + options.minutes * MINUTE;
	const apiFor = () =>
		new TelnyxApi({
			client: createTelnyxClient({
				apiKey: options.apiKey,
				baseURL: sandbox.restBaseUrl,
				timeoutMs: 30_000,
			}),
			// The simulated clock does not move while a request waits; a retry goes at once.
			sleep: async () => {},
		});
	const fleet = Array.from({ length: running }, (_, index) => {
		const api = apiFor();
		const self = installations[index]!;
		return {
			api,
			directory: new Directory({
				api: async () => api,
				describe: (error) => describeFailure(error, 30),
				selfId: () => self.id,
				now: clock.now,
				random,
				...(options.snapshots === undefined
					? {}
					: { snapshots: memorySnapshots(options.snapshots, index) }),
			}),
		};
	});

	const events: Event[] = [];
	for (let who = 0; who < running; who += 1) {
		let at = began + random() * options.startMinutes * MINUTE;
		events.push({ at, who, kind: 'start' });
		if (policy === 'old') {
			for (let tick = at + 2 * MINUTE; tick < end; tick += 2 * MINUTE)
				events.push({ at: tick, who, kind: 'timer' });
		}
		for (;;) {
			at += (2 + random() * 8) * MINUTE;
			if (at >= end) break;
			events.push({ at, who, kind: random() < 0.1 ? 'type' : 'ask' });
		}
	}
	events.sort((a, b) => a.at - b.at);

	const mark = sandbox.admin.requests().length;
	let asks = 0;
	let searchesWanted = 0;
	let searchesFound = 0;
	let failures = 0;
	for (const event of events) {
		clock.time = event.at;
		const member = fleet[event.who]!;
		asks += 1;
		if (policy === 'old') {
			try {
				await listEveryPage(member.api);
			} catch {
				failures += 1;
			}
			continue;
		}
		if (event.kind !== 'type') {
			const listed = await member.directory.list();
			if (!listed.ok) failures += 1;
		} else {
			// Another installation, by its SIP user name or its full name (the exact forms Telnyx can find).
			const target = installations[Math.floor(random() * installations.length)]!;
			const query = random() < 0.5 ? target.sip_username : target.name;
			const before = await member.directory.list();
			const known =
				before.ok && before.value.some((entry) => entry.sipUsername === target.sip_username);
			const found = await member.directory.search(query);
			if (!found.ok) failures += 1;
			if (!known) {
				searchesWanted += 1;
				if (found.ok && found.value.some((entry) => entry.sipUsername === target.sip_username))
					searchesFound += 1;
			}
		}
		await member.directory.idle();
	}

	const perMinute = Array.from({ length: options.minutes }, () => 0);
	let limited = 0;
	for (const entry of sandbox.admin.requests().slice(mark)) {
		if (entry.method !== 'GET' || entry.path !== '/telephony_credentials') continue;
		const minute = Math.floor((Date.parse(entry.time) - began) / MINUTE);
		if (minute >= 0 && minute < options.minutes) perMinute[minute]! += 1;
		if (entry.status === 429) limited += 1;
	}
	return { perMinute, limited, asks, searchesWanted, searchesFound, failures };
}

export interface Spread {
	readonly min: number;
	readonly median: number;
	readonly max: number;
	readonly mean: number;
}

export function spread(values: readonly number[]): Spread {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	const median =
		sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
	return {
		min: sorted[0] ?? 0,
		median,
		max: sorted.at(-1) ?? 0,
		mean: sorted.reduce((sum, v) => sum + v, 0) / Math.max(1, sorted.length),
	};
}
