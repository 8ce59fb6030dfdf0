/**
 * The telephony port: what the UI needs from a WebRTC softphone, in plain data. The Telnyx adapter
 * (`telnyx-softphone.ts`, the only importer of `@telnyx/webrtc`) implements it; everything above it sees
 * only these snapshots and events, so it is tested without the SDK.
 */
import type {
	CallQualitySummary,
	EndReasonKind,
	TelnyxCallIds,
} from '../../../../preload/contract';
import type { QualitySample } from '../quality/call-stats';

export type ConnectionStatus =
	| { readonly kind: 'idle' }
	| { readonly kind: 'connecting' }
	| { readonly kind: 'registered' }
	/** The socket dropped; the SDK retries. `retryAt` (ms since epoch) drives a countdown, when known. */
	| { readonly kind: 'reconnecting'; readonly attempt: number; readonly retryAt: number | null }
	| { readonly kind: 'offline' }
	| { readonly kind: 'failed'; readonly reason: ConnectionFailure; readonly message: string };

/**
 * Why the connection failed. `login-refused`: Telnyx refused the sign-in (an expired or unknown token, or a
 * credential not yet known to every server); `reauth-required`: Telnyx asked for a new sign-in;
 * `invalid-credentials`: the sign-in details are malformed; `reconnect-exhausted`: the link could not be
 * restored after several attempts; `other`: anything else (e.g. no login token from main).
 */
export type ConnectionFailure =
	'login-refused' | 'reauth-required' | 'invalid-credentials' | 'reconnect-exhausted' | 'other';

export type CallDirection = 'outbound' | 'inbound';

/**
 * A call's phase. `dialing`: media and offer being prepared; `trying`: Telnyx took the call; `ringing`:
 * the far end rings (outbound) or this app rings (inbound); `connecting`: answer sent; `active`; `held`
 * (by us); `ended`.
 */
export type CallPhase =
	'dialing' | 'trying' | 'ringing' | 'connecting' | 'early' | 'active' | 'held' | 'ended';

/** Why a call ended, in words a user can act on. */
export interface EndReason {
	readonly kind: EndReasonKind;
	readonly message: string;
	readonly cause: string | null;
	readonly sipCode: number | null;
}

export interface CallQuality {
	readonly mos: number | null;
	readonly rttMs: number | null;
	readonly jitterMs: number | null;
	readonly packetLossPercent: number | null;
	/** Set when a quality warning is in force, in words. */
	readonly warning: string | null;
	/** The last minute's samples (every 2 s), oldest first: the live charts. */
	readonly samples: readonly QualitySample[];
	/** The whole call so far (kept with its history entry). */
	readonly summary: CallQualitySummary | null;
}

export interface CallSnapshot {
	readonly id: string;
	readonly direction: CallDirection;
	/** The other party: a number, a SIP address or a SIP user name. */
	readonly remote: string;
	readonly remoteName: string;
	readonly video: boolean;
	readonly phase: CallPhase;
	readonly muted: boolean;
	readonly cameraOff: boolean;
	/** The other side put the call on hold (app-to-app only). */
	readonly remoteHeld: boolean;
	readonly startedAt: number;
	readonly answeredAt: number | null;
	readonly endedAt: number | null;
	readonly end: EndReason | null;
	readonly quality: CallQuality | null;
	/** The ids Telnyx gave the call (from its frames), for support; null until Telnyx sent them. */
	readonly telnyxIds: TelnyxCallIds;
	/**
	 * The call's peer connection has reached `connected` (ICE and DTLS done: media can flow) at least once.
	 * An answered call is `active` before that (the SDK's state follows the signalling); the store holds work
	 * that is not on the media path until this is true (docs/renderer-performance.md, "Critical path").
	 * Absent: not connected yet.
	 */
	readonly mediaConnected?: boolean;
}

export type SoftphoneEvent =
	| { readonly type: 'connection'; readonly status: ConnectionStatus }
	| { readonly type: 'call'; readonly call: CallSnapshot }
	/**
	 * The SDK says the login token expires within two minutes (34001). Main renews tokens long before that, so
	 * this means its renewal ran late (a sleep) or failed: the app asks main for a token now.
	 */
	| { readonly type: 'tokenExpiring' }
	/** Something the user should read (a media error, a quality warning, a token about to expire). */
	| {
			readonly type: 'notice';
			readonly level: 'info' | 'warning' | 'error';
			readonly message: string;
			readonly code: number | null;
	  };

export interface DialOptions {
	readonly video: boolean;
	readonly callerName: string;
	readonly callerNumber: string | null;
	readonly microphoneId: string | null;
	readonly cameraId: string | null;
}

export interface AnswerOptions {
	readonly video: boolean;
	/** The chosen devices (null: the system default). */
	readonly microphoneId: string | null;
	readonly cameraId: string | null;
}

export interface MediaElements {
	readonly local: HTMLVideoElement | null;
	readonly remote: HTMLMediaElement | null;
}

/** The signalling side of Test my setup: is the server answering, and how fast. */
export interface SignallingCheck {
	readonly registered: boolean;
	/** A request on the open socket and its answer (the SDK's gateway-state query), now; null if none came. */
	readonly roundTripMs: number | null;
	/** From opening the socket to signed in, at the last connect; null before the first sign-in. */
	readonly loginMs: number | null;
}

/** What Test my setup's short call to Telnyx's echo number measured (plain data; the adapter maps the SDK's). */
export interface TestCallReport {
	/** The call was answered and its media connected. */
	readonly established: boolean;
	/** Why it was not, in words; null when it was. */
	readonly failure: string | null;
	readonly jitterMs: number | null;
	readonly rttMs: number | null;
	readonly packetLossPercent: number | null;
	/** Audio came back from the echo (inbound packets grew while the call lasted). */
	readonly audioReturned: boolean;
	/** ICE candidates the test call's peer connection gathered, by type. */
	readonly candidates: {
		readonly host: number;
		readonly srflx: number;
		readonly relay: number;
	} | null;
	/** From the call's start to its first candidate that is not a host one; null when there was none. */
	readonly firstNonHostMs: number | null;
	/** From Call to media connected. */
	readonly setupMs: number | null;
}

export interface TestCallOptions {
	/** Telnyx's echo test number (the SDK's default pre-call destination). */
	readonly destination: string;
	readonly callerName: string;
	readonly callerNumber: string | null;
	readonly microphoneId: string | null;
	/** How long media is measured once connected. */
	readonly durationMs: number;
}

export interface Softphone {
	connect(options: { readonly loginToken: string; readonly signallingUrl: string }): void;
	/**
	 * Logs in again on the live socket with a fresh token (no call is dropped). While the socket is down the
	 * token is kept for the SDK's next reconnect; the token already in use is not sent again.
	 */
	renewToken(loginToken: string): Promise<void>;
	disconnect(): void;
	/** Starts a call to an already validated destination; resolves its id. */
	dial(destination: string, options: DialOptions): string;
	/**
	 * Opens the chosen microphone for a ringing inbound call so that answering does not wait for it; the
	 * adapter stops it when the call ends unanswered (declined, cancelled, answered elsewhere, missed).
	 */
	prewarm(id: string, devices: { readonly microphoneId: string | null }): void;
	answer(id: string, options: AnswerOptions): Promise<void>;
	/** Rejects a ringing inbound call (the caller hears busy). */
	decline(id: string): void;
	hangup(id: string): void;
	setMuted(id: string, muted: boolean): void;
	setCameraOff(id: string, off: boolean): void;
	hold(id: string): Promise<void>;
	unhold(id: string): Promise<void>;
	/** Digits already validated (0-9, A-D, *, #). */
	sendDtmf(id: string, digits: string): void;
	/** Where a call's media plays; the adapter sets the elements' streams. */
	attachMedia(id: string, elements: MediaElements): void;
	setSpeaker(deviceId: string | null): Promise<void>;
	/**
	 * Whether the SDK sends each call's quality report to Telnyx (its default). Applies to the calls placed
	 * or answered from now on, without reconnecting.
	 */
	setCallReports(on: boolean): void;
	/** Moves a live call to another microphone or camera (null: the default). */
	switchDevice(id: string, kind: 'microphone' | 'camera', deviceId: string | null): Promise<void>;
	/** Asks the server whether this client is still registered (after a wake-up); false when it is not. */
	checkRegistration(): Promise<boolean>;
	/** Times a request on the open socket and reports the last sign-in's duration (Test my setup). */
	checkSignalling(): Promise<SignallingCheck>;
	/** The STUN/TURN servers calls use with the connected server ([] for none). */
	iceServers(): readonly RTCIceServer[];
	/**
	 * Places Test my setup's short call (never shown as a call, never in the history) and measures it. Resolves
	 * a report; a call that could not be placed is a report with its failure, not a rejection.
	 */
	testCall(options: TestCallOptions): Promise<TestCallReport>;
	subscribe(listener: (event: SoftphoneEvent) => void): () => void;
	dispose(): void;
}
