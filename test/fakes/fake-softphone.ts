/**
 * A scripted `Softphone` for renderer tests: everything above the telephony port (the call store, the
 * components) runs against it without the SDK.
 *
 * - Every method call is recorded, in order (`calls`, `callsTo('dial')`).
 * - The test drives the far side: `connection(...)`, `emitCall(...)`, `update(id, change)`, `notice(...)`,
 *   or any raw `emit(event)`. Nothing is filtered: a late `active` after `ended` is delivered as scripted, so
 *   the code under test has to cope with it.
 * - Like the Telnyx adapter, it reports its status to a new subscriber at once, and (unless `reflect` is
 *   false) publishes what the adapter itself publishes synchronously: `connecting` on connect, `idle` on
 *   disconnect, `muted` / `cameraOff` changes, and `held` / `active` once hold / unhold resolve. Calls are
 *   never ended by it: a test scripts every ending, so it controls the races.
 * - Async methods resolve by default; a test may script any of them (and `dial`) through `script`.
 */
import type {
	CallSnapshot,
	ConnectionStatus,
	EndReason,
	SignallingCheck,
	Softphone,
	SoftphoneEvent,
	TestCallOptions,
	TestCallReport,
} from '../../renderer/src/lib/telephony/softphone';

/** One recorded call: the method's name and its arguments, typed by the port. */
export type RecordedCall = {
	[M in keyof Softphone]: { readonly method: M; readonly args: Parameters<Softphone[M]> };
}[keyof Softphone];

/** Methods whose behaviour a test may replace. */
export type SoftphoneScript = Partial<
	Pick<
		Softphone,
		| 'dial'
		| 'answer'
		| 'renewToken'
		| 'hold'
		| 'unhold'
		| 'setSpeaker'
		| 'switchDevice'
		| 'checkRegistration'
		| 'checkSignalling'
		| 'testCall'
	>
>;

/** What the fake's test call reports unless scripted: a clean echo call on loopback. */
export const HEALTHY_TEST_CALL: TestCallReport = {
	established: true,
	failure: null,
	jitterMs: 2,
	rttMs: 1,
	packetLossPercent: 0,
	audioReturned: true,
	candidates: { host: 1, srflx: 0, relay: 0 },
	firstNonHostMs: null,
	setupMs: 400,
};

export interface FakeSoftphoneOptions {
	/** Publish the updates the adapter publishes by itself (default true). */
	readonly reflect?: boolean;
	/** The clock for `answeredAt` / `endedAt` filled in by `update` (default `Date.now`, so fake timers apply). */
	readonly now?: () => number;
	readonly script?: SoftphoneScript;
}

export const FAKE_STARTED_AT = Date.UTC(2026, 0, 15, 9, 30, 0);

/** A call snapshot with sensible defaults: an outbound audio call being dialled, nothing else known yet. */
export function callSnapshot(overrides: Partial<CallSnapshot> = {}): CallSnapshot {
	return {
		id: 'call-1',
		direction: 'outbound',
		remote: '+13125550142',
		remoteName: '',
		video: false,
		phase: 'dialing',
		muted: false,
		cameraOff: false,
		remoteHeld: false,
		startedAt: FAKE_STARTED_AT,
		answeredAt: null,
		endedAt: null,
		end: null,
		quality: null,
		telnyxIds: { callControlId: null, sessionId: null, legId: null },
		...overrides,
	};
}

/** An end reason as the adapter would build it (the message defaults to one naming the kind). */
export function endReasonOf(
	kind: EndReason['kind'],
	overrides: Partial<Omit<EndReason, 'kind'>> = {},
): EndReason {
	return { kind, message: `Ended: ${kind}.`, cause: null, sipCode: null, ...overrides };
}

export class FakeSoftphone implements Softphone {
	readonly calls: RecordedCall[] = [];
	readonly script: SoftphoneScript;
	status: ConnectionStatus = { kind: 'idle' };
	disposed = false;
	readonly #listeners = new Set<(event: SoftphoneEvent) => void>();
	/** The last snapshot emitted per call id, and what each dial asked for. */
	readonly #snapshots = new Map<string, CallSnapshot>();
	readonly #dialled = new Map<string, Partial<CallSnapshot>>();
	readonly #reflect: boolean;
	readonly #now: () => number;
	#nextId = 1;

	constructor(options: FakeSoftphoneOptions = {}) {
		this.#reflect = options.reflect ?? true;
		this.#now = options.now ?? (() => Date.now());
		this.script = { ...options.script };
	}

	// -- what the test reads -------------------------------------------------------------------------------

	/** The arguments of every call to `method`, oldest first. */
	callsTo<M extends keyof Softphone>(method: M): Parameters<Softphone[M]>[] {
		return this.calls
			.filter((call): call is Extract<RecordedCall, { method: M }> => call.method === method)
			.map((call) => call.args as Parameters<Softphone[M]>);
	}

	/** The recorded method names, in order (handy for ordering assertions). */
	methods(): (keyof Softphone)[] {
		return this.calls.map((call) => call.method);
	}

	get listenerCount(): number {
		return this.#listeners.size;
	}

	/** The last snapshot emitted for a call. */
	snapshot(id: string): CallSnapshot | undefined {
		return this.#snapshots.get(id);
	}

	// -- what the test drives ------------------------------------------------------------------------------

	emit(event: SoftphoneEvent): void {
		if (event.type === 'connection') this.status = event.status;
		if (event.type === 'call') this.#snapshots.set(event.call.id, event.call);
		for (const listener of [...this.#listeners]) listener(event);
	}

	connection(status: ConnectionStatus): void {
		this.emit({ type: 'connection', status });
	}

	/** Emits a call snapshot built from the defaults and `overrides`; returns it. */
	emitCall(overrides: Partial<CallSnapshot> = {}): CallSnapshot {
		const call = callSnapshot(overrides);
		this.emit({ type: 'call', call });
		return call;
	}

	/**
	 * Emits the next snapshot of a call: the last one emitted (or, for a call only dialled so far, one built
	 * from the dial) with `change` applied. Like the adapter, it stamps `answeredAt` on the first `active` and
	 * `endedAt` on `ended` unless the change sets them.
	 */
	update(id: string, change: Partial<CallSnapshot>): CallSnapshot {
		const previous = this.#snapshots.get(id) ?? callSnapshot({ ...this.#dialled.get(id), id });
		const now = this.#now();
		const call: CallSnapshot = {
			...previous,
			answeredAt: previous.answeredAt ?? (change.phase === 'active' ? now : null),
			endedAt: previous.endedAt ?? (change.phase === 'ended' ? now : null),
			...change,
		};
		this.emit({ type: 'call', call });
		return call;
	}

	/** Ends a call with `end` (the far end's reason, or ours). */
	end(id: string, end: EndReason, change: Partial<CallSnapshot> = {}): CallSnapshot {
		return this.update(id, { ...change, phase: 'ended', end });
	}

	notice(level: 'info' | 'warning' | 'error', message: string, code: number | null = null): void {
		this.emit({ type: 'notice', level, message, code });
	}

	// -- the port ------------------------------------------------------------------------------------------

	subscribe(listener: (event: SoftphoneEvent) => void): () => void {
		this.calls.push({ method: 'subscribe', args: [listener] });
		this.#listeners.add(listener);
		listener({ type: 'connection', status: this.status });
		return () => {
			this.#listeners.delete(listener);
		};
	}

	connect(options: { readonly loginToken: string; readonly signallingUrl: string }): void {
		this.calls.push({ method: 'connect', args: [options] });
		if (this.#reflect) this.connection({ kind: 'connecting' });
	}

	renewToken(loginToken: string): Promise<void> {
		this.calls.push({ method: 'renewToken', args: [loginToken] });
		return this.script.renewToken?.(loginToken) ?? Promise.resolve();
	}

	disconnect(): void {
		this.calls.push({ method: 'disconnect', args: [] });
		if (this.#reflect && this.status.kind !== 'idle') this.connection({ kind: 'idle' });
	}

	dial(...args: Parameters<Softphone['dial']>): string {
		this.calls.push({ method: 'dial', args });
		const [destination, options] = args;
		const id = this.script.dial?.(...args) ?? `call-${this.#nextId++}`;
		this.#dialled.set(id, {
			direction: 'outbound',
			remote: destination,
			video: options.video,
			startedAt: this.#now(),
		});
		return id;
	}

	prewarm(id: string, devices: { readonly microphoneId: string | null }): void {
		this.calls.push({ method: 'prewarm', args: [id, devices] });
	}

	answer(...args: Parameters<Softphone['answer']>): Promise<void> {
		this.calls.push({ method: 'answer', args });
		return this.script.answer?.(...args) ?? Promise.resolve();
	}

	decline(id: string): void {
		this.calls.push({ method: 'decline', args: [id] });
	}

	hangup(id: string): void {
		this.calls.push({ method: 'hangup', args: [id] });
	}

	setMuted(id: string, muted: boolean): void {
		this.calls.push({ method: 'setMuted', args: [id, muted] });
		if (this.#reflect && this.#snapshots.has(id)) this.update(id, { muted });
	}

	setCameraOff(id: string, off: boolean): void {
		this.calls.push({ method: 'setCameraOff', args: [id, off] });
		if (this.#reflect && this.#snapshots.has(id)) this.update(id, { cameraOff: off });
	}

	async hold(id: string): Promise<void> {
		this.calls.push({ method: 'hold', args: [id] });
		await (this.script.hold?.(id) ?? Promise.resolve());
		if (this.#reflect && this.#snapshots.has(id)) this.update(id, { phase: 'held' });
	}

	async unhold(id: string): Promise<void> {
		this.calls.push({ method: 'unhold', args: [id] });
		await (this.script.unhold?.(id) ?? Promise.resolve());
		if (this.#reflect && this.#snapshots.has(id)) this.update(id, { phase: 'active' });
	}

	sendDtmf(id: string, digits: string): void {
		this.calls.push({ method: 'sendDtmf', args: [id, digits] });
	}

	attachMedia(...args: Parameters<Softphone['attachMedia']>): void {
		this.calls.push({ method: 'attachMedia', args });
	}

	setCallReports(on: boolean): void {
		this.calls.push({ method: 'setCallReports', args: [on] });
	}

	setSpeaker(deviceId: string | null): Promise<void> {
		this.calls.push({ method: 'setSpeaker', args: [deviceId] });
		return this.script.setSpeaker?.(deviceId) ?? Promise.resolve();
	}

	switchDevice(...args: Parameters<Softphone['switchDevice']>): Promise<void> {
		this.calls.push({ method: 'switchDevice', args });
		return this.script.switchDevice?.(...args) ?? Promise.resolve();
	}

	/** By default: registered exactly when the last status said so. */
	checkRegistration(): Promise<boolean> {
		this.calls.push({ method: 'checkRegistration', args: [] });
		return this.script.checkRegistration?.() ?? Promise.resolve(this.status.kind === 'registered');
	}

	checkSignalling(): Promise<SignallingCheck> {
		this.calls.push({ method: 'checkSignalling', args: [] });
		const registered = this.status.kind === 'registered';
		return (
			this.script.checkSignalling?.() ??
			Promise.resolve({
				registered,
				roundTripMs: registered ? 5 : null,
				loginMs: registered ? 120 : null,
			})
		);
	}

	iceServers(): readonly RTCIceServer[] {
		this.calls.push({ method: 'iceServers', args: [] });
		return [];
	}

	testCall(options: TestCallOptions): Promise<TestCallReport> {
		this.calls.push({ method: 'testCall', args: [options] });
		return this.script.testCall?.(options) ?? Promise.resolve(HEALTHY_TEST_CALL);
	}

	dispose(): void {
		this.calls.push({ method: 'dispose', args: [] });
		this.disposed = true;
		this.#listeners.clear();
	}
}
