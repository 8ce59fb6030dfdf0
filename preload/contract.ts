/**
 * The typed IPC contract between the renderer and the main process.
 *
 * Each method is declared once in `InvokeApi`; `argumentSchemas()` gives its runtime argument schema, made exact
 * by `satisfies` (a missing method, an extra one or a schema that does not match the parameters is a compile
 * error). Main validates every call against these schemas (`main/ipc/register-ipc.ts`), the preload builds one
 * renderer method per entry (`preload/renderer-api.ts`), and the renderer imports types only.
 *
 * Never across this bridge: the API key, keychain access, file paths, raw `ipcRenderer`.
 */
import { z } from 'zod';

/** An expected failure the UI must show. Exceptions are for bugs. */
export type Result<T, E> =
	{ readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** Which installation profile is running: each has its own user-data folder and keychain service name. */
export type Profile = 'production' | 'dev' | 'demo';

export interface AppInfo {
	readonly name: string;
	readonly version: string;
	readonly platform: string;
	readonly profile: Profile;
}

/** Where the app talks to Telnyx. Defaults: Telnyx production. */
export interface Endpoints {
	/** REST API v2 base URL, e.g. `https://api.telnyx.com/v2`. Used by main only. */
	readonly restBaseUrl: string;
	/** WebRTC signalling WebSocket URL, e.g. `wss://rtc.telnyx.com`. Used by the renderer's SDK. */
	readonly signallingUrl: string;
}

/** The caller ID the app presents: a CNAM name and one of the account's own numbers (E.164). */
export interface CallerId {
	readonly name: string;
	readonly number: string | null;
}

/** Preferred media devices (`MediaDeviceInfo.deviceId`), or null for the system default. */
export interface Devices {
	readonly microphoneId: string | null;
	readonly cameraId: string | null;
	readonly speakerId: string | null;
	readonly ringerId: string | null;
}

/** Global keyboard shortcuts (Electron accelerators), or null for none. */
export interface Shortcuts {
	readonly answer: string | null;
	readonly hangup: string | null;
	readonly mute: string | null;
}

export interface UiPreferences {
	readonly startMinimised: boolean;
	/** Dial a `tel:`/`sip:` link at once instead of prefilling the dialer. */
	readonly dialLinksImmediately: boolean;
	/** Reject incoming calls (the caller hears busy) and log them as missed. */
	readonly doNotDisturb: boolean;
	/** The "still running in the tray" notice was shown once already. */
	readonly trayNoticeShown: boolean;
	readonly shortcuts: Shortcuts;
}

/** What this installation uses on the Telnyx account (ids only, never a secret). */
export interface Provisioned {
	readonly connectionId: string;
	readonly profileId: string;
	readonly credentialId: string;
	/** This installation's SIP address is `sip:<sipUsername>@sip.telnyx.com`. */
	readonly sipUsername: string;
	readonly deviceName: string;
}

export interface Settings {
	/** A random id of this installation (names its telephony credential uniquely). */
	readonly installId: string;
	readonly endpoints: Endpoints;
	readonly callerId: CallerId;
	readonly devices: Devices;
	readonly ui: UiPreferences;
	/** Null until provisioning has run against the current REST endpoint. */
	readonly provisioned: Provisioned | null;
}

/** Optional fields that may also be given as `undefined` (what a schema-validated object carries). */
export type Patch<T> = { readonly [K in keyof T]?: T[K] | undefined };

/** What the renderer may change directly (caller ID goes through `account.setCallerId`, which checks it). */
export interface SettingsPatch {
	readonly endpoints?: Patch<Endpoints> | undefined;
	readonly devices?: Patch<Devices> | undefined;
	readonly ui?: Patch<Omit<UiPreferences, 'shortcuts' | 'trayNoticeShown'>> | undefined;
	readonly shortcuts?: Patch<Shortcuts> | undefined;
}

/** The keychain's state (see main/secrets/secret-store.ts). */
export type KeychainState = 'ok' | 'locked' | 'unavailable' | 'timeout';

/** What the renderer may know about the API key: whether there is one, and where it is kept. */
export interface KeyStatus {
	readonly hasApiKey: boolean;
	readonly keychain: KeychainState;
	/** False when the keychain could not take the key: it is kept in memory for this run only. */
	readonly persisted: boolean;
	/** Why the key is not saved, and how to fix it; null when all is well. */
	readonly warning: string | null;
}

/** A Telnyx REST failure, as a sentence saying what happened and what to do. */
export interface TelnyxFailure {
	readonly code:
		| 'NO_API_KEY'
		| 'KEY_REJECTED'
		| 'FORBIDDEN'
		| 'RATE_LIMITED'
		| 'TIMEOUT'
		| 'UNREACHABLE'
		| 'SERVER_ERROR'
		| 'INVALID'
		| 'NOT_FOUND'
		| 'NEEDS_CONSENT'
		| 'UNEXPECTED'
		| 'KEYCHAIN';
	readonly message: string;
	readonly field?: string;
}

export interface KeyError {
	readonly code: 'INVALID_KEY' | TelnyxFailure['code'];
	readonly message: string;
}

export type ProvisioningStep = 'verify' | 'connection' | 'profile' | 'credential' | 'token';

export interface ProvisioningProgress {
	readonly step: ProvisioningStep;
	readonly status: 'running' | 'done' | 'waiting' | 'failed';
	/** What happened, in words ("Created the connection “Telnyx Softphone”", "Rate limited; retrying in 2 s"). */
	readonly detail: string;
}

export interface ProvisionOptions {
	/** Use this existing connection instead of the app's own (the manual path). */
	readonly connectionId?: string | undefined;
	/** Use this existing outbound voice profile instead of the app's own. */
	readonly profileId?: string | undefined;
	/** Destination countries (ISO alpha-2) for the app's outbound voice profile. */
	readonly allowedCountries?: readonly string[] | undefined;
	/** The user agreed that a connection they chose may be updated for video and app-to-app calls. */
	readonly allowConnectionUpdate?: boolean | undefined;
}

/** A connection or profile on the account, for the manual path. */
export interface AccountResource {
	readonly id: string;
	readonly name: string;
	/** Whether it carries the app's tag (the app created it). */
	readonly ownedByApp: boolean;
}

export interface AccountResources {
	readonly connections: readonly AccountResource[];
	readonly profiles: readonly AccountResource[];
}

export interface LoginToken {
	readonly token: string;
	/** ISO-8601. */
	readonly expiresAt: string;
}

export interface PhoneNumber {
	readonly number: string;
	readonly country: string;
}

/** Another installation of the app on the account (never its password). */
export interface Installation {
	readonly name: string;
	readonly sipUsername: string;
	readonly self: boolean;
}

/** What the renderer tells main about the phone, for the tray, notifications and shortcuts. */
export interface PhoneReport {
	readonly connection:
		'setup' | 'connecting' | 'registered' | 'reconnecting' | 'offline' | 'failed';
	/** The call in the foreground (an inbound call that rings comes first). */
	readonly call: {
		readonly remote: string;
		readonly phase: 'ringing' | 'calling' | 'active' | 'held';
		readonly direction: 'inbound' | 'outbound';
		readonly muted: boolean;
		readonly held: boolean;
		readonly video: boolean;
	} | null;
	readonly installations: readonly { readonly name: string }[];
	readonly recent: readonly { readonly label: string; readonly destination: string }[];
}

/** The tray's view of the app: the renderer's report plus what main knows. */
export interface DesktopState extends PhoneReport {
	readonly doNotDisturb: boolean;
	readonly missedCalls: number;
}

/** A request to dial, from a link, the tray or the compact dialer. */
export interface DialRequest {
	readonly destination: string;
	readonly video: boolean;
	/** Dial at once (tray, compact dialer, or links when the user chose so); else prefill the dialer. */
	readonly now: boolean;
}

export type PhoneCommand = 'answer' | 'decline' | 'hangup' | 'toggleMute' | 'toggleHold';

export type MediaAccessState = 'granted' | 'denied' | 'restricted' | 'not-determined' | 'unknown';

/** The operating system's permission for the microphone and camera, and what to do when it is off. */
export interface MediaAccess {
	readonly microphone: MediaAccessState;
	readonly camera: MediaAccessState;
	readonly message: string | null;
}

/**
 * Why a call ended, as the call history records it. One list, because the IPC schema, the history file and
 * the renderer must agree: a kind missing from one of them loses the history on the next start.
 */
export const endReasonKinds = [
	'hangup-local',
	'hangup-remote',
	'busy',
	'declined',
	'not-found',
	'no-answer',
	'unavailable',
	'rejected',
	'cancelled',
	'network',
	'token',
	'media',
	'dnd',
	'failed',
] as const;
export type EndReasonKind = (typeof endReasonKinds)[number];

/** One call in the history (kept by main in the user-data folder, newest first, bounded). */
export interface CallHistoryEntry {
	readonly id: string;
	readonly direction: 'inbound' | 'outbound';
	/** What to dial to call back: a number, a SIP address or user name. */
	readonly remote: string;
	readonly remoteName: string;
	readonly video: boolean;
	/** ISO-8601. */
	readonly startedAt: string;
	readonly durationSeconds: number;
	readonly answered: boolean;
	readonly endReason: EndReasonKind;
	readonly endMessage: string;
}

export interface CleanupItem {
	readonly kind: 'credential' | 'connection' | 'profile';
	readonly id: string;
	readonly name: string;
}

/** A setting the user entered that main refused, with the field and a sentence saying what to do. */
export interface SettingsError {
	readonly code: 'INVALID_SETTING' | 'SAVE_FAILED';
	readonly field?: string;
	readonly message: string;
}

/** Renderer → main requests. Channel names are `namespace:method`. */
export interface InvokeApi {
	app: {
		getInfo(): AppInfo;
	};
	settings: {
		get(): Settings;
		update(patch: SettingsPatch): Result<Settings, SettingsError>;
	};
	credentials: {
		getStatus(): KeyStatus;
		/** Checks the key's shape, verifies it with Telnyx, then keeps it (keychain, else memory). */
		setApiKey(key: string): Result<KeyStatus, KeyError>;
		clearApiKey(): KeyStatus;
	};
	provisioning: {
		/** Finds or creates the connection, profile and credential; progress arrives as events. */
		run(options: ProvisionOptions): Result<Provisioned, TelnyxFailure>;
		/** The account's connections and profiles, for choosing existing ones. */
		listResources(): Result<AccountResources, TelnyxFailure>;
	};
	telnyx: {
		/** A login JWT for this installation: reused while valid, minted when needed. */
		getLoginToken(): Result<LoginToken, TelnyxFailure>;
	};
	desktop: {
		/** The phone's state, for the tray, notifications and shortcuts. */
		report(report: PhoneReport): void;
		/** The compact dialer asks the main window to dial. */
		dial(request: DialRequest): void;
		/** The user has seen the missed calls (the tray stops showing them). */
		markMissedSeen(): void;
	};
	media: {
		/** Checks (and on macOS asks for) microphone and, if asked, camera access before a call. */
		requestAccess(options: { readonly camera: boolean }): MediaAccess;
	};
	history: {
		list(): readonly CallHistoryEntry[];
		/** Records a finished call (an entry with the same id replaces the earlier one). */
		add(entry: CallHistoryEntry): readonly CallHistoryEntry[];
		clear(): readonly CallHistoryEntry[];
	};
	account: {
		listPhoneNumbers(): Result<readonly PhoneNumber[], TelnyxFailure>;
		setCallerId(callerId: CallerId): Result<Settings, SettingsError | TelnyxFailure>;
		/** Other installations of the app on the account. */
		listInstallations(): Result<readonly Installation[], TelnyxFailure>;
		/** Deletes this installation's credential and forgets its token (and the key, if asked). */
		signOut(options: { readonly forgetApiKey: boolean }): Result<KeyStatus, TelnyxFailure>;
		/** Everything carrying the app's tag, to show before removing it. */
		previewCleanup(): Result<readonly CleanupItem[], TelnyxFailure>;
		/** Deletes the listed items (each must still carry the app's tag). */
		cleanup(items: readonly CleanupItem[]): Result<readonly CleanupItem[], TelnyxFailure>;
	};
}

/** Main → renderer events and their payloads. */
export interface EventMap {
	'settings:changed': [settings: Settings];
	'credentials:changed': [status: KeyStatus];
	'provisioning:progress': [progress: ProvisioningProgress];
	/** A renewed login token; the renderer re-logs in on the live socket. */
	'telnyx:loginToken': [token: LoginToken];
	/** Renewal keeps failing and the token expires soon. */
	'telnyx:tokenWarning': [warning: { readonly expiresAt: string; readonly message: string }];
	/** Something the app did on the account by itself that the user should know (e.g. a re-created credential). */
	'account:notice': [message: string];
	'history:changed': [history: readonly CallHistoryEntry[]];
	/** Dial (or prefill) a destination from a link, the tray or the compact dialer. */
	'app:dial': [request: DialRequest];
	/** A command from the tray, a notification or a global shortcut. */
	'app:command': [command: PhoneCommand];
	/** The computer woke up or the network changed: check the registration at once. */
	'app:checkConnection': [];
}

type Namespace = keyof InvokeApi;
type Method<N extends Namespace> = keyof InvokeApi[N] & string;
type Fn<N extends Namespace, M extends Method<N>> = InvokeApi[N][M] extends (
	...a: infer A
) => infer R
	? (...a: A) => R
	: never;
export type Args<N extends Namespace, M extends Method<N>> = Parameters<Fn<N, M>>;
export type Returns<N extends Namespace, M extends Method<N>> = ReturnType<Fn<N, M>>;

/** A call history entry as main accepts it from the renderer and reads it back from its file. */
export function callHistoryEntrySchema() {
	return z.strictObject({
		id: z.string().min(1).max(128),
		direction: z.enum(['inbound', 'outbound']),
		remote: z.string().max(256),
		remoteName: z.string().max(128),
		video: z.boolean(),
		startedAt: z.iso.datetime(),
		durationSeconds: z
			.number()
			.int()
			.min(0)
			.max(7 * 24 * 3600),
		answered: z.boolean(),
		endReason: z.enum(endReasonKinds),
		endMessage: z.string().max(300),
	});
}

/**
 * Runtime argument schemas, one tuple per method; strict objects, so unknown keys are rejected. Built on
 * demand by main: the preload only needs `invokeManifest`, and this keeps the schema library out of it.
 */
export function argumentSchemas() {
	const none = z.tuple([]);
	const url = z.string().max(2048);
	const id = z
		.string()
		.min(1)
		.max(64)
		.regex(/^[A-Za-z0-9-]+$/);
	const deviceId = z.string().max(512).nullable();
	const accelerator = z.string().max(64).nullable();
	const settingsPatch = z.strictObject({
		endpoints: z.strictObject({ restBaseUrl: url, signallingUrl: url }).partial().optional(),
		devices: z
			.strictObject({
				microphoneId: deviceId,
				cameraId: deviceId,
				speakerId: deviceId,
				ringerId: deviceId,
			})
			.partial()
			.optional(),
		ui: z
			.strictObject({
				startMinimised: z.boolean(),
				dialLinksImmediately: z.boolean(),
				doNotDisturb: z.boolean(),
			})
			.partial()
			.optional(),
		shortcuts: z
			.strictObject({ answer: accelerator, hangup: accelerator, mute: accelerator })
			.partial()
			.optional(),
	});
	const text = (max: number) => z.string().max(max);
	const phoneReport = z.strictObject({
		connection: z.enum(['setup', 'connecting', 'registered', 'reconnecting', 'offline', 'failed']),
		call: z
			.strictObject({
				remote: text(256),
				phase: z.enum(['ringing', 'calling', 'active', 'held']),
				direction: z.enum(['inbound', 'outbound']),
				muted: z.boolean(),
				held: z.boolean(),
				video: z.boolean(),
			})
			.nullable(),
		installations: z.array(z.strictObject({ name: text(128) })).max(100),
		recent: z.array(z.strictObject({ label: text(256), destination: text(256) })).max(20),
	});
	const provisionOptions = z.strictObject({
		connectionId: id.optional(),
		profileId: id.optional(),
		allowedCountries: z
			.array(z.string().regex(/^[A-Z]{2}$/))
			.min(1)
			.max(250)
			.optional(),
		allowConnectionUpdate: z.boolean().optional(),
	});
	const cleanupItem = z.strictObject({
		kind: z.enum(['credential', 'connection', 'profile']),
		id,
		name: z.string().max(256),
	});
	return {
		app: { getInfo: none },
		settings: {
			get: none,
			update: z.tuple([settingsPatch]),
		},
		credentials: {
			getStatus: none,
			// Bounded before it reaches main's own checks; the key is never echoed in an error.
			setApiKey: z.tuple([z.string().max(4096)]),
			clearApiKey: none,
		},
		provisioning: {
			run: z.tuple([provisionOptions]),
			listResources: none,
		},
		telnyx: { getLoginToken: none },
		desktop: {
			report: z.tuple([phoneReport]),
			dial: z.tuple([
				z.strictObject({ destination: text(512), video: z.boolean(), now: z.boolean() }),
			]),
			markMissedSeen: none,
		},
		media: { requestAccess: z.tuple([z.strictObject({ camera: z.boolean() })]) },
		history: {
			list: none,
			add: z.tuple([callHistoryEntrySchema()]),
			clear: none,
		},
		account: {
			listPhoneNumbers: none,
			setCallerId: z.tuple([
				z.strictObject({ name: z.string().max(64), number: z.string().max(32).nullable() }),
			]),
			listInstallations: none,
			signOut: z.tuple([z.strictObject({ forgetApiKey: z.boolean() })]),
			previewCleanup: none,
			cleanup: z.tuple([z.array(cleanupItem).max(500)]),
		},
	} as const satisfies {
		[N in Namespace]: { [M in Method<N>]: z.ZodType<Args<N, M>> };
	};
}

/**
 * The method names alone, for the preload: it builds one renderer method per entry without pulling the
 * schemas (and their library) into the sandboxed preload bundle.
 */
export const invokeManifest = {
	app: { getInfo: true },
	settings: { get: true, update: true },
	credentials: { getStatus: true, setApiKey: true, clearApiKey: true },
	provisioning: { run: true, listResources: true },
	telnyx: { getLoginToken: true },
	desktop: { report: true, dial: true, markMissedSeen: true },
	media: { requestAccess: true },
	history: { list: true, add: true, clear: true },
	account: {
		listPhoneNumbers: true,
		setCallerId: true,
		listInstallations: true,
		signOut: true,
		previewCleanup: true,
		cleanup: true,
	},
} as const satisfies { [N in Namespace]: { [M in Method<N>]: true } };

/**
 * Every event once, as the keys of an exact object (like `invokeManifest`): an event missing from here, or
 * one `EventMap` does not declare, is a compile error. A plain list could only catch the second.
 */
const eventManifest = {
	'settings:changed': true,
	'credentials:changed': true,
	'provisioning:progress': true,
	'telnyx:loginToken': true,
	'telnyx:tokenWarning': true,
	'account:notice': true,
	'history:changed': true,
	'app:dial': true,
	'app:command': true,
	'app:checkConnection': true,
} as const satisfies { [E in keyof EventMap]: true };

/** The main → renderer events, for the preload to check a subscription against. */
export const eventNames: readonly (keyof EventMap)[] = Object.keys(
	eventManifest,
) as (keyof EventMap)[];

export type InvokeChannel = { [N in Namespace]: `${N}:${Method<N>}` }[Namespace];

export function channelOf<N extends Namespace, M extends Method<N>>(ns: N, method: M): `${N}:${M}` {
	return `${ns}:${method}`;
}

/** Every method of the contract as `[namespace, method, channel]`, in declaration order. */
export function contractMethods(): [
	namespace: Namespace,
	method: string,
	channel: InvokeChannel,
][] {
	// Generic per namespace, so each key is typed as one of its methods (`Object.keys` only says string);
	// TypeScript cannot resolve `${N}:${Method<N>}` for a generic N, hence the widening to InvokeChannel.
	const methodsOf = <N extends Namespace>(ns: N) =>
		(Object.keys(invokeManifest[ns]) as Method<N>[]).map(
			(m): [Namespace, string, InvokeChannel] => [ns, m, channelOf(ns, m) as InvokeChannel],
		);
	return (Object.keys(invokeManifest) as Namespace[]).flatMap(methodsOf);
}

/** Why main refused a call before running its handler. Crosses IPC inside {@link IpcReply}. */
export interface IpcFailure {
	readonly code: 'FORBIDDEN' | 'BAD_INPUT' | 'UNKNOWN_CHANNEL' | 'INTERNAL';
	readonly message: string;
}

/** What every `ipcMain.handle` answers: the handler's value, or why the call was refused. */
export type IpcReply =
	| { readonly ok: true; readonly value: unknown }
	| { readonly ok: false; readonly error: IpcFailure };

/** What `window.softphone` offers the renderer: one async method per contract entry, plus `on`. */
export type RendererApi = {
	readonly [N in Namespace]: {
		readonly [M in Method<N>]: (...a: Args<N, M>) => Promise<Awaited<Returns<N, M>>>;
	};
} & {
	/** Subscribes to a main → renderer event; returns the unsubscribe function. */
	on<E extends keyof EventMap>(event: E, listener: (...payload: EventMap[E]) => void): () => void;
};

/** What main implements: one handler per contract entry, given already-validated arguments. */
export type MainHandlers = {
	[N in Namespace]: {
		[M in Method<N>]: (...a: Args<N, M>) => Returns<N, M> | Promise<Returns<N, M>>;
	};
};
