/**
 * The hostile page's calls: a seeded plan of batches of `window.softphone` calls with valid and invalid
 * arguments, and the function that runs such a plan inside the page.
 *
 * The plan is made in the test process (so a seed reproduces it) from the methods the page actually offers
 * (so a method added to the contract is called without anyone listing it here). Methods this file knows get
 * valid arguments as well as broken ones; others get broken ones and an empty argument list. Interleaved are
 * the moves an attacker would make against the key: pointing the endpoints at decoys, setting the key (the
 * canary, and junk), signing out, clearing the key, removing what the app created, provisioning again.
 */
import { endReasonKinds, setupCheckIdSchema, setupVerdictSchema } from '../../../preload/contract';
import type { Random } from '../../support/random';

/** Marks a value JSON cannot carry; the page builds it (see {@link runPlanInPage}). */
export const SPECIAL = '§special';

export type Spec =
	null | boolean | number | string | readonly Spec[] | { readonly [key: string]: Spec };

export interface PlannedCall {
	/** Position in the plan. */
	readonly i: number;
	readonly ns: string;
	readonly method: string;
	readonly args: readonly Spec[];
	/** Whether the arguments were made to fit the contract (informational: main decides). */
	readonly valid: boolean;
	/** What the call is for, in the figures: `invalid`, `local`, `account`, or a move such as `endpoints`. */
	readonly kind: string;
	/** `account.cleanup` of what `account.previewCleanup` just listed (a destructive move). */
	readonly chain?: 'previewThenCleanup';
}

export interface PlannedBatch {
	readonly calls: readonly PlannedCall[];
}

export interface AttackContext {
	readonly canary: string;
	readonly sandbox: { readonly restBaseUrl: string; readonly signallingUrl: string };
	/** REST base URLs that are not the sandbox: the decoys, and a host nobody here controls. */
	readonly foreignRestUrls: readonly string[];
	/** Signalling URLs that are not the sandbox (the WebSocket decoy). */
	readonly foreignSignallingUrls: readonly string[];
	/** The sandbox account's numbers. */
	readonly numbers: readonly string[];
}

const special = (what: string, extra: Record<string, Spec> = {}): Spec => ({
	[SPECIAL]: what,
	...extra,
});

const HEX = '0123456789abcdef';
const uuid = (r: Random) => [8, 4, 4, 4, 12].map((length) => r.string(length, HEX)).join('-');
const ACCELERATORS = [
	'CommandOrControl+Shift+A',
	'CommandOrControl+Shift+E',
	'CommandOrControl+Shift+M',
	'Alt+F9',
	'Control+Alt+P',
	null,
];
const DESTINATIONS = [
	'+13125550142',
	'+1 (415) 555-0123',
	'alice',
	'sip:bob@sip.telnyx.com',
	'911',
];

function settingsPatch(r: Random): Spec {
	const patch: Record<string, Spec> = {};
	if (r.bool()) {
		patch['devices'] = {
			[r.pick(['microphoneId', 'cameraId', 'speakerId', 'ringerId'])]: r.bool()
				? null
				: r.string(12, HEX),
		};
	}
	if (r.bool()) {
		patch['ui'] = {
			[r.pick([
				'startMinimised',
				'startAtLogin',
				'handleLinks',
				'dialLinksImmediately',
				'doNotDisturb',
			])]: r.bool(),
		};
	}
	if (r.next() < 0.3) {
		patch['shortcuts'] = { [r.pick(['answer', 'hangup', 'mute'])]: r.pick(ACCELERATORS) };
	}
	return patch;
}

function historyEntry(r: Random): Spec {
	return {
		id: uuid(r),
		direction: r.pick(['inbound', 'outbound']),
		remote: r.pick(DESTINATIONS),
		remoteName: r.pick(['', 'Bob', 'Alice laptop']),
		video: r.bool(),
		startedAt: new Date(Date.UTC(2026, 0, 1) + r.int(1e10)).toISOString(),
		durationSeconds: r.int(3600),
		answered: r.bool(),
		endReason: r.pick(endReasonKinds),
		endMessage: r.pick(['Call ended', 'Busy', '']),
	};
}

function phoneReport(r: Random): Spec {
	return {
		connection: r.pick(['setup', 'connecting', 'registered', 'reconnecting', 'offline', 'failed']),
		call: r.bool()
			? null
			: {
					id: uuid(r),
					remote: r.pick(DESTINATIONS),
					remoteName: r.pick(['', 'Alice', 'Office']),
					phase: r.pick(['ringing', 'calling', 'active', 'held']),
					direction: r.pick(['inbound', 'outbound']),
					muted: r.bool(),
					held: r.bool(),
					video: r.bool(),
				},
		installations: Array.from({ length: r.int(3) }, () => ({ name: r.pick(['Bob', 'Desk']) })),
		recent: Array.from({ length: r.int(3) }, () => ({
			label: r.pick(['Alice', 'Office']),
			destination: r.pick(DESTINATIONS),
		})),
	};
}

/** A contact to save: mostly new ones, some replacing an id nobody has (main answers NOT_FOUND). */
function contactDraft(r: Random): Spec {
	return {
		id: r.next() < 0.8 ? null : uuid(r),
		name: r.pick(['Ada Lovelace', 'Bob', 'Zoë Ñandú', 'x'.repeat(128)]),
		phones: r.pick<Spec>([[], ['+13125550142'], ['+442079460958', '+33123456789']]),
		sipAddresses: r.pick<Spec>([['sip:bob@sip.telnyx.com'], [], ['sips:ada@example.com:5061']]),
		note: r.pick(['', 'Met at the conference']),
	};
}

/** A vCard file: 3.0 or 4.0, folded lines, several numbers, sometimes a broken card among good ones. */
function vCardText(r: Random): Spec {
	const card = (name: string, tel: string) =>
		`BEGIN:VCARD\r\nVERSION:${r.pick(['3.0', '4.0'])}\r\nFN:${name}\r\nTEL;TYPE=cell:${tel}\r\nEND:VCARD\r\n`;
	const cards = [
		card('Grace Hopper', '+1 312 555 0142'),
		card('Alan\r\n  Turing', '+44 20 7946 0958'),
		'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\nTEL:',
		card('No number', 'call me maybe'),
	];
	return Array.from({ length: 1 + r.int(4) }, () => r.pick(cards)).join('');
}

/** A Test my setup report: some of the checks, each with a verdict, words and a few figures. */
function setupReport(r: Random): Spec {
	const ids = setupCheckIdSchema.options.filter(() => r.bool());
	return {
		finishedAt: new Date(Date.UTC(2026, 0, 1) + r.int(1e10)).toISOString(),
		checks: ids.map((id) => ({
			id,
			verdict: r.pick(setupVerdictSchema.options),
			summary: r.pick(['Your microphone works.', 'Calls go through a relay.', 'x'.repeat(300)]),
			advice: r.pick([null, 'Allow UDP to Telnyx in your firewall.', '']),
			figures: r.pick<Spec>([
				{},
				{ microphonePeak: r.next(), label: 'Built-in microphone' },
				{ relayCandidates: r.int(5), mos: null, echo: r.bool() },
			]),
		})),
	};
}

type Category = 'local' | 'account';

/** Valid arguments for the methods this file knows, and whether a call stays on this computer. */
const MODELS: Readonly<
	Record<string, { category: Category; valid: (r: Random, ctx: AttackContext) => Spec[] }>
> = {
	'app.getInfo': { category: 'local', valid: () => [] },
	'app.reportError': {
		category: 'local',
		valid: (r) => [
			{
				kind: r.pick(['error', 'unhandledrejection']),
				message: r.pick(['boom', 'x'.repeat(1000), 'KEY_not_a_key']),
				stack: r.pick([null, 'at f (app://softphone/x.js:1:1)']),
			},
		],
	},
	'app.openLogsFolder': { category: 'local', valid: () => [] },
	'settings.get': { category: 'local', valid: () => [] },
	'settings.update': { category: 'local', valid: (r) => [settingsPatch(r)] },
	'credentials.getStatus': { category: 'account', valid: () => [] },
	'credentials.setApiKey': {
		category: 'account',
		valid: (r) => [`KEYJUNK_${r.string(32, HEX)}`],
	},
	'credentials.clearApiKey': { category: 'account', valid: () => [] },
	'provisioning.run': {
		category: 'account',
		valid: (r) => [
			r.pick<Spec>([
				{},
				{ allowedCountries: ['US', 'GB'] },
				{ connectionId: uuid(r) },
				{ profileId: uuid(r), allowConnectionUpdate: true },
			]),
		],
	},
	'provisioning.listResources': { category: 'account', valid: () => [] },
	'telnyx.getLoginToken': { category: 'account', valid: () => [] },
	// Main resolves with its own directory and caller ID: the page can only ask what its text means.
	'dial.resolve': {
		category: 'local',
		valid: (r) => [
			r.pick([
				...DESTINATIONS,
				'Alice laptop',
				'(312) 555-0142 ext 12',
				`sip:${'a'.repeat(300)}@example.com`.slice(0, 257),
				'sip:a@b?Route=<sip:evil>',
				'\u202e+13125550142',
			]),
		],
	},
	'desktop.report': { category: 'local', valid: (r) => [phoneReport(r)] },
	'desktop.dial': {
		category: 'local',
		// Mostly "prefill the dialer": dialling at once makes the page start a call, which costs real media.
		valid: (r) => [{ destination: r.pick(DESTINATIONS), video: r.bool(), now: r.next() < 0.05 }],
	},
	'desktop.markMissedSeen': { category: 'local', valid: () => [] },
	'desktop.getStatus': { category: 'local', valid: () => [] },
	'media.requestAccess': { category: 'local', valid: (r) => [{ camera: r.bool() }] },
	'history.list': { category: 'local', valid: () => [] },
	'history.add': { category: 'local', valid: (r) => [historyEntry(r)] },
	'history.clear': { category: 'local', valid: () => [] },
	'diagnostics.saveSetupReport': { category: 'local', valid: (r) => [setupReport(r)] },
	// Main asks the user where to save (a dialog the page cannot answer) and limits how often it asks.
	'diagnostics.saveSupportBundle': {
		category: 'local',
		valid: (r) => [{ includeFullNumbers: r.bool() }],
	},
	'contacts.list': { category: 'local', valid: () => [] },
	'contacts.save': { category: 'local', valid: (r) => [contactDraft(r)] },
	'contacts.remove': { category: 'local', valid: (r) => [uuid(r)] },
	'contacts.importVCard': { category: 'local', valid: (r) => [vCardText(r)] },
	'account.listPhoneNumbers': { category: 'account', valid: () => [] },
	'account.setCallerId': {
		category: 'account',
		valid: (r, ctx) => [
			{
				name: r.pick(['Alice', 'Bob Desk', 'ABCDEFGHIJKLMNO']),
				number: r.pick([...ctx.numbers, null, '+19995550100']),
			},
		],
	},
	'account.listInstallations': { category: 'account', valid: () => [] },
	'account.searchInstallations': {
		category: 'account',
		valid: (r) => [r.pick(['Alice', 'gencred1234abcd', 'sip:nobody1@sip.telnyx.com'])],
	},
	'account.signOut': { category: 'account', valid: () => [{ forgetApiKey: false }] },
	'account.previewCleanup': { category: 'account', valid: () => [] },
	'account.cleanup': {
		category: 'account',
		// Ids nobody has: nothing is removed (the destructive cleanup is a move of its own).
		valid: (r) => [
			Array.from({ length: 1 + r.int(3) }, () => ({
				kind: r.pick(['credential', 'connection', 'profile']),
				id: uuid(r),
				name: 'Telnyx Softphone',
			})),
		],
	},
};

/** A random value of any shape, including ones JSON cannot carry. */
function junk(r: Random, depth = 0): Spec {
	const pick = r.int(depth > 2 ? 9 : 12);
	switch (pick) {
		case 0:
			return null;
		case 1:
			return r.bool();
		case 2:
			return r.pick([0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308]);
		case 3:
			return special(r.pick(['undefined', 'NaN', 'Infinity', '-Infinity', '-0']));
		case 4:
			return special('bigint', { digits: String(r.int(1e9)) });
		case 5:
			return special('date', { ms: r.int(2e12) });
		case 6:
		case 7:
			return r.string(r.int(40));
		case 8:
			return special('repeat', {
				text: r.pick(['A', '\u202e', '🙂', '\0']),
				times: r.pick([257, 4097, 70_000]),
			});
		case 9:
			return Array.from({ length: r.int(4) }, () => junk(r, depth + 1));
		case 10: {
			const object: Record<string, Spec> = {};
			for (let k = r.int(4); k > 0; k -= 1) object[r.string(1 + r.int(8))] = junk(r, depth + 1);
			return object;
		}
		default:
			return special('json', {
				text: '{"__proto__":{"hostilePolluted":true},"constructor":{"prototype":{"hostilePolluted":true}}}',
			});
	}
}

const isPlainObject = (spec: Spec): spec is { readonly [key: string]: Spec } =>
	typeof spec === 'object' && spec !== null && !Array.isArray(spec) && !(SPECIAL in spec);

/** A valid value with one thing wrong with it: a wrong type, a missing or unknown field, a bound exceeded. */
function mutate(r: Random, spec: Spec): Spec {
	if (isPlainObject(spec)) {
		const keys = Object.keys(spec);
		const copy: Record<string, Spec> = { ...spec };
		const key = keys.length > 0 && r.next() < 0.8 ? r.pick(keys) : r.string(1 + r.int(6));
		switch (r.int(4)) {
			case 0:
				delete copy[key];
				break;
			case 1:
				copy[key] = junk(r);
				break;
			case 2:
				copy[key] = mutate(r, copy[key] ?? null);
				break;
			default:
				copy[`${key}Extra`] = r.bool();
		}
		return copy;
	}
	if (Array.isArray(spec)) {
		return r.bool()
			? [...(spec as Spec[]), junk(r)]
			: special('repeat-array', { item: spec[0] ?? null, times: r.pick([501, 5000]) });
	}
	if (typeof spec === 'string') {
		return r.bool()
			? special('repeat', { text: spec === '' ? 'x' : spec, times: r.pick([100, 5000]) })
			: junk(r);
	}
	return junk(r);
}

function invalidArgs(r: Random, valid: readonly Spec[]): Spec[] {
	switch (r.int(8)) {
		case 0:
			return valid.length === 0 ? [junk(r)] : [];
		case 1:
			return [...valid, junk(r)];
		case 2:
		case 3:
			return valid.length === 0 ? [junk(r), junk(r)] : valid.map((spec) => mutate(r, spec));
		case 4: {
			// Own `__proto__` and `constructor` keys beside the valid ones (JSON.parse makes such keys).
			const base = valid[0];
			const fields = isPlainObject(base ?? null) ? JSON.stringify(base).slice(1, -1) : '';
			const text = `{"__proto__":{"hostilePolluted":true}${fields === '' ? '' : `,${fields}`}}`;
			return [special('json', { text })];
		}
		case 5:
			return [special('nest', { depth: r.pick([50, 1000]) })];
		default:
			return Array.from({ length: 1 + r.int(3) }, () => junk(r));
	}
}

/** The moves against the key, each a function of the plan's random source. */
function move(r: Random, ctx: AttackContext): Omit<PlannedCall, 'i'> {
	const roll = r.next();
	const call = (ns: string, method: string, args: Spec[], kind: string) => ({
		ns,
		method,
		args,
		valid: true,
		kind,
	});
	if (roll < 0.3) {
		const endpoints: Record<string, Spec> = {};
		if (r.next() < 0.8) endpoints['restBaseUrl'] = r.pick(ctx.foreignRestUrls);
		if (r.next() < 0.4 || endpoints['restBaseUrl'] === undefined)
			endpoints['signallingUrl'] = r.pick(ctx.foreignSignallingUrls);
		return call('settings', 'update', [{ endpoints }], 'endpoints');
	}
	if (roll < 0.5) return call('settings', 'update', [{ endpoints: { ...ctx.sandbox } }], 'restore');
	if (roll < 0.68)
		return call(
			'credentials',
			'setApiKey',
			[r.pick([ctx.canary, ` ${ctx.canary}\n`, `\t${ctx.canary}`])],
			'setKey',
		);
	if (roll < 0.78) {
		const junkKey = r.pick([
			`KEYJUNK_${r.string(32, HEX)}`,
			`${ctx.canary}X`,
			ctx.canary.toLowerCase(),
			'short',
			'',
			'KEY with spaces in it that is long enough',
		]);
		return call('credentials', 'setApiKey', [junkKey], 'setJunkKey');
	}
	if (roll < 0.85) return call('account', 'signOut', [{ forgetApiKey: r.bool() }], 'signOut');
	if (roll < 0.89) return call('credentials', 'clearApiKey', [], 'clearKey');
	if (roll < 0.92)
		return {
			...call('account', 'cleanup', [], 'cleanupAll'),
			chain: 'previewThenCleanup' as const,
		};
	return call('provisioning', 'run', [{}], 'provision');
}

/**
 * After damaging moves, an attacker (or the user) puts things back, so the key is in use again: the
 * endpoints back on the sandbox, the key entered again, and sometimes provisioning run again (not always:
 * it is the slowest operation there is, and a run should spend its time on many calls, not a few long ones).
 */
function repair(
	r: Random,
	ctx: AttackContext,
	damage: ReadonlySet<string>,
): Omit<PlannedCall, 'i'>[] {
	const calls: Omit<PlannedCall, 'i'>[] = [];
	const call = (ns: string, method: string, args: Spec[], kind: string) =>
		calls.push({ ns, method, args, valid: true, kind });
	if (damage.has('endpoints'))
		call('settings', 'update', [{ endpoints: { ...ctx.sandbox } }], 'restore');
	if (damage.has('signOut') || damage.has('clearKey'))
		call('credentials', 'setApiKey', [ctx.canary], 'setKey');
	if (r.next() < 0.3) call('provisioning', 'run', [{}], 'provision');
	return calls;
}

const DAMAGING = new Set(['endpoints', 'signOut', 'clearKey', 'cleanupAll']);

export interface PlanOptions {
	readonly batches: number;
	/** Largest batch of concurrent calls. */
	readonly maxBatch: number;
	/** Calls of every method at least, valid and invalid, whatever the dice said. */
	readonly minPerMethod: number;
}

/** A reproducible attack on the methods the page offers (`[namespace, method]` pairs). */
export function planAttack(
	r: Random,
	methods: readonly (readonly [string, string])[],
	ctx: AttackContext,
	options: PlanOptions,
): PlannedBatch[] {
	let i = 0;
	const numbered = (call: Omit<PlannedCall, 'i'>): PlannedCall => ({ ...call, i: i++ });
	const byCategory = (category: Category) =>
		methods.filter(([ns, method]) => (MODELS[`${ns}.${method}`]?.category ?? 'local') === category);
	const local = byCategory('local');
	const account = byCategory('account');
	const validCall = ([ns, method]: readonly [string, string], kind: string) => ({
		ns,
		method,
		args: MODELS[`${ns}.${method}`]?.valid(r, ctx) ?? [],
		valid: MODELS[`${ns}.${method}`] !== undefined,
		kind,
	});
	const invalidCall = ([ns, method]: readonly [string, string]) => ({
		ns,
		method,
		args: invalidArgs(r, MODELS[`${ns}.${method}`]?.valid(r, ctx) ?? []),
		valid: false,
		kind: 'invalid',
	});
	const batches: PlannedBatch[] = [];
	const damage = new Set<string>();
	for (let b = 0; b < options.batches; b += 1) {
		const calls: PlannedCall[] = [];
		if (damage.size > 0 && r.next() < 0.8) {
			calls.push(...repair(r, ctx, damage).map(numbered));
			damage.clear();
		}
		for (let size = 1 + r.int(options.maxBatch); size > 0; size -= 1) {
			const roll = r.next();
			let call: Omit<PlannedCall, 'i'>;
			// Calls that touch the keychain are a minority: each costs 20–40 ms of a keychain that does one
			// thing at a time, and with them the run would take minutes.
			if (roll < 0.5) call = invalidCall(r.pick(methods));
			else if (roll < 0.86 && local.length > 0) call = validCall(r.pick(local), 'local');
			else if (roll < 0.94 && account.length > 0) call = validCall(r.pick(account), 'account');
			else call = move(r, ctx);
			if (DAMAGING.has(call.kind)) damage.add(call.kind);
			calls.push(numbered(call));
		}
		batches.push({ calls: shuffle(r, calls) });
	}
	// Every method, valid and invalid, a few times at least: a new method gets its share too.
	const seen = new Map<string, number>();
	for (const call of batches.flatMap((batch) => batch.calls))
		seen.set(
			`${call.ns}.${call.method}.${call.valid}`,
			(seen.get(`${call.ns}.${call.method}.${call.valid}`) ?? 0) + 1,
		);
	const missing: PlannedCall[] = [];
	for (const pair of methods) {
		const [ns, method] = pair;
		for (let n = seen.get(`${ns}.${method}.false`) ?? 0; n < options.minPerMethod; n += 1)
			missing.push(numbered(invalidCall(pair)));
		const model = MODELS[`${ns}.${method}`];
		if (model === undefined) continue;
		for (let n = seen.get(`${ns}.${method}.true`) ?? 0; n < options.minPerMethod; n += 1)
			missing.push(numbered(validCall(pair, model.category)));
	}
	for (let start = 0; start < missing.length; start += options.maxBatch)
		batches.push({ calls: shuffle(r, missing.slice(start, start + options.maxBatch)) });
	return batches;
}

function shuffle<T>(r: Random, items: T[]): T[] {
	for (let k = items.length - 1; k > 0; k -= 1) {
		const j = r.int(k + 1);
		[items[k], items[j]] = [items[j] as T, items[k] as T];
	}
	return items;
}

/** What one call came to, as the page saw it. */
export interface CallOutcome {
	readonly i: number;
	readonly fulfilled: boolean;
	/** For a rejection: whether it was an `Error`, and its message (cut short). */
	readonly isError?: boolean;
	readonly message?: string;
	/** Extra calls the page made for it (the listing before a destructive cleanup). */
	readonly extraCalls: number;
	/** How long the call took, as the page measured it. */
	readonly ms: number;
}

/** A planned call as the page receives it (its arguments' type kept shallow for Playwright's typings). */
type PageCall = Omit<PlannedCall, 'args'> & { readonly args: readonly unknown[] };
export interface PageBatch {
	readonly calls: readonly PageCall[];
}

/**
 * Runs a plan in the page: each batch's calls at once, up to `inFlight` batches overlapping. Passed to
 * `page.evaluate`, so it is self-contained: it may use nothing from this module.
 */
export async function runPlanInPage({
	batches,
	inFlight,
	special,
}: {
	batches: readonly PageBatch[];
	inFlight: number;
	special: string;
}): Promise<CallOutcome[]> {
	type Fn = (...args: unknown[]) => Promise<unknown>;
	const api = window.softphone as unknown as Record<string, Record<string, Fn>>;
	const build = (spec: unknown): unknown => {
		if (Array.isArray(spec)) return spec.map(build);
		if (typeof spec !== 'object' || spec === null) return spec;
		const record = spec as Record<string, unknown>;
		switch (record[special]) {
			case undefined: {
				const out: Record<string, unknown> = {};
				for (const [key, value] of Object.entries(record)) out[key] = build(value);
				return out;
			}
			case 'undefined':
				return undefined;
			case 'NaN':
				return NaN;
			case 'Infinity':
				return Infinity;
			case '-Infinity':
				return -Infinity;
			case '-0':
				return -0;
			case 'bigint':
				return BigInt(String(record['digits']));
			case 'date':
				return new Date(Number(record['ms']));
			case 'json':
				return JSON.parse(String(record['text'])) as unknown;
			case 'repeat':
				return String(record['text']).repeat(Number(record['times']));
			case 'repeat-array':
				return Array.from({ length: Number(record['times']) }, () => build(record['item']));
			case 'nest': {
				let value: unknown = [];
				for (let d = Number(record['depth']); d > 0; d -= 1) value = [value];
				return value;
			}
			default:
				throw new Error(`unknown special value ${String(record[special])}`);
		}
	};
	const outcomes: CallOutcome[] = [];
	const run = async (call: PageCall): Promise<void> => {
		let extraCalls = 0;
		const start = performance.now();
		const ms = () => Math.round(performance.now() - start);
		try {
			let args = call.args.map(build);
			if (call.chain === 'previewThenCleanup') {
				extraCalls = 1;
				const listed = (await api['account']?.['previewCleanup']?.()) as
					{ ok: boolean; value?: unknown[] } | undefined;
				args = [listed?.ok === true ? (listed.value ?? []) : []];
			}
			const fn = api[call.ns]?.[call.method];
			if (fn === undefined) throw new Error(`window.softphone.${call.ns}.${call.method} is gone`);
			await fn(...args);
			// What main answered is judged in the test process (see ipc-tap.ts), before it reaches the page.
			outcomes.push({ i: call.i, fulfilled: true, extraCalls, ms: ms() });
		} catch (error) {
			outcomes.push({
				i: call.i,
				fulfilled: false,
				extraCalls,
				ms: ms(),
				isError: error instanceof Error,
				message: (error instanceof Error ? error.message : String(error)).slice(0, 300),
			});
		}
	};
	const running = new Set<Promise<void>>();
	for (const batch of batches) {
		while (running.size >= inFlight) await Promise.race(running);
		const done: Promise<void> = Promise.all(batch.calls.map(run)).then(() => {
			running.delete(done);
		});
		running.add(done);
	}
	await Promise.all(running);
	return outcomes;
}
