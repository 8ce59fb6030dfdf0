/**
 * One quality sample from a peer connection's statistics (`RTCPeerConnection.getStats()`), as plain data:
 * no timers, no SDK, no DOM, so it is tested with the dictionaries Chrome produces. The adapter calls
 * {@link computeSample} on each reading and hands the previous {@link StatsReading} back the next time, since
 * loss and bitrate are counted over the interval between two readings, not since the call started.
 */

/** One statistics dictionary (`RTCStats` and its subtypes), read defensively: any field may be missing. */
export type StatsEntry = Readonly<Record<string, unknown>>;

/**
 * A statistics report: an `RTCStatsReport` (a read-only Map of id → stats, so `forEach` gives the values),
 * any list of dictionaries (tests pass plain arrays), or a Map's `[id, stats]` pairs.
 */
export type StatsReportLike =
	| { forEach(callback: (value: StatsEntry) => void): void }
	| Iterable<StatsEntry>
	| Iterable<readonly [string, StatsEntry]>;

/** How ICE reached the far end: `host` (same network), `srflx`/`prflx` (through NAT), `relay` (TURN). */
export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

export interface QualitySample {
	/** When the sample was taken (ms; the caller's clock if given, else the report's timestamp). */
	readonly at: number;
	/** Estimated MOS (1–4.5, see {@link estimateMos}); null while no audio is flowing in. */
	readonly mos: number | null;
	/** Round-trip time to the far end's media, ms. */
	readonly rttMs: number | null;
	/** Inbound audio jitter, ms (the worst of the inbound audio streams). */
	readonly jitterMs: number | null;
	/** Inbound audio packets lost in the interval, percent of those expected; null if none were expected. */
	readonly packetLossPercent: number | null;
	/** Payload bitrate over the interval, audio and video together (kbit/s); null on the first reading. */
	readonly bitrateKbps: { readonly in: number | null; readonly out: number | null };
	/** The audio codec(s) in use, as the SDP names them (`opus`, `PCMU`); received first, then sent. */
	readonly audioCodec: string | null;
	/** The video codec(s) in use (`VP8`, `H264`); null on an audio call. */
	readonly videoCodec: string | null;
	/** Media goes through a TURN server (either side's selected candidate is a relay); null before ICE. */
	readonly relayed: boolean | null;
	/** This side's selected candidate type (null before ICE has a pair). */
	readonly candidateType: CandidateType | null;
	/** The far side's selected candidate type. */
	readonly remoteCandidateType: CandidateType | null;
	/** How this side reaches its TURN server (`udp`, `tcp`, `tls`) when relayed; TCP/TLS adds delay. */
	readonly relayProtocol: string | null;
}

/** One RTP stream's cumulative counters, as last read. */
export interface StreamCounters {
	readonly kind: 'audio' | 'video';
	readonly direction: 'in' | 'out';
	readonly packetsReceived: number;
	readonly packetsLost: number;
	/** `bytesReceived` (inbound) or `bytesSent` (outbound): payload only, headers excluded. */
	readonly bytes: number;
}

/** What the next sample needs from this one: the counters, by stats id, and the report's time. */
export interface StatsReading {
	/** The report's own time (its entries' `timestamp`, ms); null if it carried none. */
	readonly timestamp: number | null;
	readonly streams: ReadonlyMap<string, StreamCounters>;
}

/**
 * A rough MOS from a simplified E-model (ITU-T G.107), as commonly used for VoIP monitoring:
 *
 * - effective one-way delay = RTT / 2 + 2 × jitter (a jitter buffer holds about twice the jitter) + 10 ms
 *   of codec delay;
 * - delay impairment = delay / 40 below 160 ms, and (delay − 120) / 10 above it (conversation suffers
 *   quickly beyond ~150 ms one way, G.114);
 * - R = 93.2 (G.107's default with no impairment) − delay impairment − 2.5 × loss percent (Opus conceals
 *   loss better than G.711, so loss weighs less than in G.113's tables);
 * - MOS = 1 + 0.035 R + 7 × 10⁻⁶ R (R − 60)(100 − R), G.107 Annex B's mapping from R to MOS.
 *
 * Clamped to 1–4.5 (4.5 is the ceiling of narrowband listening tests) and rounded to two decimals. It ranks
 * one call against another; it is not a listening test.
 */
export function estimateMos(rttMs: number, jitterMs: number, lossPercent: number): number {
	const delay = rttMs / 2 + jitterMs * 2 + 10;
	const delayImpairment = delay < 160 ? delay / 40 : (delay - 120) / 10;
	const r = Math.max(0, 93.2 - delayImpairment - lossPercent * 2.5);
	const mos = 1 + 0.035 * r + 0.000007 * r * (r - 60) * (100 - r);
	return Math.round(Math.min(4.5, Math.max(1, mos)) * 100) / 100;
}

/**
 * Reads one report into a sample. `previous` is the reading returned for the report before (null for the
 * first one). The first sample counts loss since each stream started (there is no earlier reading), and has
 * no bitrate (no interval to divide by). A stream whose counters went down, or that is new (a new SSRC after
 * renegotiation), is counted from zero, so a reset never shows as negative traffic.
 */
export function computeSample(
	report: StatsReportLike,
	previous: StatsReading | null,
	options: { readonly at?: number } = {},
): { readonly sample: QualitySample; readonly reading: StatsReading } {
	const entries = collect(report);
	const byId = new Map<string, StatsEntry>();
	for (const entry of entries) {
		const id = text(entry['id']);
		if (id !== null) byId.set(id, entry);
	}

	let timestamp: number | null = null;
	const streams = new Map<string, StreamCounters>();
	let jitterSeconds: number | null = null;
	let audioIn = false;
	const audioCodecs: string[] = [];
	const videoCodecs: string[] = [];
	let remoteRttSeconds: number | null = null;

	// Inbound streams first, so the codecs read "received first, then sent".
	const ordered = [
		...entries.filter((entry) => entry['type'] === 'inbound-rtp'),
		...entries.filter((entry) => entry['type'] !== 'inbound-rtp'),
	];
	for (const entry of ordered) {
		const at = finite(entry['timestamp']);
		if (at !== null && (timestamp === null || at > timestamp)) timestamp = at;
		const type = entry['type'];
		if (type === 'remote-inbound-rtp' && kindOf(entry) === 'audio') {
			const rtt = finite(entry['roundTripTime']);
			if (rtt !== null) remoteRttSeconds = Math.max(remoteRttSeconds ?? 0, rtt);
			continue;
		}
		if (type !== 'inbound-rtp' && type !== 'outbound-rtp') continue;
		const kind = kindOf(entry);
		const id = text(entry['id']);
		if (kind === null || id === null) continue;
		const direction = type === 'inbound-rtp' ? 'in' : 'out';
		streams.set(id, {
			kind,
			direction,
			packetsReceived: finite(entry['packetsReceived']) ?? 0,
			packetsLost: finite(entry['packetsLost']) ?? 0,
			bytes: finite(entry[direction === 'in' ? 'bytesReceived' : 'bytesSent']) ?? 0,
		});
		const codec = codecName(byId.get(text(entry['codecId']) ?? ''));
		if (codec !== null) {
			const list = kind === 'audio' ? audioCodecs : videoCodecs;
			if (!list.includes(codec)) list.push(codec);
		}
		if (direction === 'in' && kind === 'audio') {
			audioIn = true;
			// Chrome reports jitter 0 before the first packet: not a measurement yet.
			const jitter = finite(entry['jitter']);
			if (jitter !== null && (finite(entry['packetsReceived']) ?? 0) > 0)
				jitterSeconds = Math.max(jitterSeconds ?? 0, jitter);
		}
	}

	// Loss and bitrate over the interval, stream by stream.
	let received = 0;
	let lost = 0;
	let bytesIn = 0;
	let bytesOut = 0;
	for (const [id, now] of streams) {
		const before = previous?.streams.get(id);
		const reset =
			before === undefined ||
			before.kind !== now.kind ||
			before.direction !== now.direction ||
			now.packetsReceived < before.packetsReceived ||
			now.bytes < before.bytes;
		const bytes = reset ? now.bytes : now.bytes - before.bytes;
		if (now.direction === 'out') {
			bytesOut += bytes;
			continue;
		}
		bytesIn += bytes;
		if (now.kind !== 'audio') continue;
		received += reset ? now.packetsReceived : now.packetsReceived - before.packetsReceived;
		// `packetsLost` may go down (late packets arrive after all); only a reset restarts it.
		lost += reset ? now.packetsLost : now.packetsLost - before.packetsLost;
	}
	lost = Math.max(0, lost);
	const packetLossPercent =
		received + lost > 0 ? round(Math.min(100, (100 * lost) / (received + lost)), 1) : null;

	const since = previous?.timestamp ?? null;
	const seconds = since !== null && timestamp !== null ? (timestamp - since) / 1000 : 0;
	const kbps = (bytes: number): number | null =>
		seconds > 0 ? round((bytes * 8) / 1000 / seconds, 1) : null;

	const pair = selectedPair(entries, byId);
	const local = candidate(byId.get(text(pair?.['localCandidateId']) ?? ''));
	const remote = candidate(byId.get(text(pair?.['remoteCandidateId']) ?? ''));
	const pairRtt = finite(pair?.['currentRoundTripTime']);
	// The pair's STUN round trip is measured every few seconds; RTCP's only when reports arrive.
	const rttSeconds = pairRtt ?? remoteRttSeconds;
	const rttMs = rttSeconds === null ? null : round(rttSeconds * 1000, 1);
	const jitterMs = jitterSeconds === null ? null : round(jitterSeconds * 1000, 1);

	// MOS rates what the user hears: with no inbound audio packets in the interval (none yet, or on hold)
	// there is nothing to rate.
	const mos =
		audioIn && packetLossPercent !== null
			? estimateMos(rttMs ?? 0, jitterMs ?? 0, packetLossPercent)
			: null;

	const relayed =
		local.type === null && remote.type === null
			? null
			: local.type === 'relay' || remote.type === 'relay';

	return {
		sample: {
			at: options.at ?? timestamp ?? previous?.timestamp ?? 0,
			mos,
			rttMs,
			jitterMs,
			packetLossPercent,
			bitrateKbps: { in: kbps(bytesIn), out: kbps(bytesOut) },
			audioCodec: audioCodecs.length === 0 ? null : audioCodecs.join(' / '),
			videoCodec: videoCodecs.length === 0 ? null : videoCodecs.join(' / '),
			relayed,
			candidateType: local.type,
			remoteCandidateType: remote.type,
			relayProtocol: local.type === 'relay' ? local.relayProtocol : null,
		},
		reading: { timestamp, streams },
	};
}

// ---- helpers ------------------------------------------------------------------------------------------

function collect(report: StatsReportLike): StatsEntry[] {
	const entries: StatsEntry[] = [];
	const add = (value: unknown): void => {
		// A Map's iterator (an RTCStatsReport's too) yields [id, stats] pairs.
		const entry = Array.isArray(value) ? (value as unknown[])[1] : value;
		if (typeof entry === 'object' && entry !== null) entries.push(entry as StatsEntry);
	};
	// `forEach` first: on a Map it gives the values, and arrays have it too.
	if ('forEach' in report && typeof report.forEach === 'function') report.forEach(add);
	else for (const value of report as Iterable<unknown>) add(value);
	return entries;
}

/**
 * The candidate pair in use: the transport's `selectedCandidatePairId` (Chrome), else the pair flagged
 * `selected` (Firefox), else a nominated pair that succeeded.
 */
function selectedPair(
	entries: readonly StatsEntry[],
	byId: ReadonlyMap<string, StatsEntry>,
): StatsEntry | null {
	for (const entry of entries) {
		if (entry['type'] !== 'transport') continue;
		const pair = byId.get(text(entry['selectedCandidatePairId']) ?? '');
		if (pair !== undefined) return pair;
	}
	const pairs = entries.filter((entry) => entry['type'] === 'candidate-pair');
	return (
		pairs.find((pair) => pair['selected'] === true) ??
		pairs.find((pair) => pair['nominated'] === true && pair['state'] === 'succeeded') ??
		null
	);
}

const candidateTypes: readonly string[] = ['host', 'srflx', 'prflx', 'relay'];

function candidate(entry: StatsEntry | undefined): {
	type: CandidateType | null;
	relayProtocol: string | null;
} {
	const type = text(entry?.['candidateType']);
	return {
		type: type !== null && candidateTypes.includes(type) ? (type as CandidateType) : null,
		relayProtocol: text(entry?.['relayProtocol']),
	};
}

/** `audio/opus` → `opus`, `video/H264` → `H264`. */
function codecName(entry: StatsEntry | undefined): string | null {
	const mime = text(entry?.['mimeType']);
	if (mime === null) return null;
	const name = mime.slice(mime.indexOf('/') + 1);
	return name === '' ? null : name;
}

/** `kind` (current) or `mediaType` (older Chrome). */
function kindOf(entry: StatsEntry): 'audio' | 'video' | null {
	const kind = entry['kind'] ?? entry['mediaType'];
	return kind === 'audio' || kind === 'video' ? kind : null;
}

function finite(value: unknown): number | null {
	return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function text(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

function round(value: number, decimals: number): number {
	const factor = 10 ** decimals;
	return Math.round(value * factor) / factor;
}
