/**
 * The typed IPC contract between the renderer and the main process, schema first: every argument, reply,
 * event payload and persisted shape is declared once, as a zod schema, and its TypeScript type is inferred
 * from it. The schemas are the trust boundary — main validates every call against them
 * (`main/ipc/register-ipc.ts`), the settings and history files are read back through them, and the renderer
 * and the test fakes use the same types and limits — so a limit lives in exactly one place: {@link limits}.
 *
 * The method and event names alone are in `manifest.ts`, which the sandboxed preload imports instead of this
 * file (it keeps the schema library out of the preload bundle).
 *
 * Never across this bridge: the API key, keychain access, file paths, raw `ipcRenderer`, and nothing that
 * lets the page choose where main sends the key or the login tokens (the endpoints are main's: see
 * `main/profile.ts`).
 */
import { z } from 'zod';
import { MAX_SIP_URI_LENGTH, hasControlCharacters, parseSipUri } from './dial-grammar';
import { CALLER_ID_NAME, CALLER_ID_NAME_PROBLEM, CONTACT_MESSAGES, E164 } from './form-checks';
import { limits } from './limits';

export * from './manifest';
export { limits } from './limits';
export { addressKey, findContact } from './contact-lookup';

/** The contract's types are read-only all the way down: nothing that crosses the bridge is mutated. */
type DeepReadonly<T> = T extends (infer U)[]
	? readonly DeepReadonly<U>[]
	: T extends object
		? { readonly [K in keyof T]: DeepReadonly<T[K]> }
		: T;
/** The (read-only) type of what a schema accepts. */
export type Infer<S extends z.ZodType> = DeepReadonly<z.output<S>>;

/** An expected failure the UI must show. Exceptions are for bugs. */
export type Result<T, E> =
	{ readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

const result = <T extends z.ZodType, E extends z.ZodType>(value: T, error: E) =>
	z.discriminatedUnion('ok', [
		z.strictObject({ ok: z.literal(true), value }),
		z.strictObject({ ok: z.literal(false), error }),
	]);

const text = (max: number) => z.string().max(max);
const resourceId = z
	.string()
	.min(1)
	.max(limits.resourceId)
	.regex(/^[A-Za-z0-9-]+$/);
const isoTime = z.iso.datetime({ offset: true });
const sentence = z.string();

// ---- App, endpoints, settings -------------------------------------------------------------------------

/** Which installation profile is running: each has its own user-data folder and keychain service name. */
export const profileSchema = z.enum(['production', 'dev', 'demo']);
export type Profile = Infer<typeof profileSchema>;

/**
 * Where this installation talks to Telnyx. Decided by main from the installation profile and fixed for the
 * run; the page can read it but never change it.
 */
export const endpointsSchema = z.strictObject({
	/** REST API v2 base URL, e.g. `https://api.telnyx.com/v2`. Used by main only. */
	restBaseUrl: z.string(),
	/** WebRTC signalling WebSocket URL, e.g. `wss://rtc.telnyx.com`. Used by the renderer's SDK. */
	signallingUrl: z.string(),
	/**
	 * STUN/TURN servers for the SDK's calls, as a sandbox hands out its own; left out (production), the SDK
	 * uses Telnyx's. Checked by main (`checkIceServers` in main/endpoints.ts) before it is ever used.
	 */
	iceServers: z
		.array(
			z.strictObject({
				urls: z.union([z.string(), z.array(z.string())]),
				username: z.string().optional(),
				credential: z.string().optional(),
			}),
		)
		.optional(),
});
export type Endpoints = Infer<typeof endpointsSchema>;

/** The runtime under the app, for the About view and support (null where there is none, as in tests). */
export const runtimeVersionsSchema = z.strictObject({
	electron: text(limits.version).nullable(),
	chromium: text(limits.version).nullable(),
	node: text(limits.version),
});
export type RuntimeVersions = Infer<typeof runtimeVersionsSchema>;

export const appInfoSchema = z.strictObject({
	name: z.string(),
	version: z.string(),
	platform: z.string(),
	profile: profileSchema,
	endpoints: endpointsSchema,
	versions: runtimeVersionsSchema,
});
export type AppInfo = Infer<typeof appInfoSchema>;

/** The caller ID the app presents: a CNAM name and one of the account's own numbers (E.164). */
export const callerIdSchema = z.strictObject({
	name: z
		.string()
		// The renderer checks the same rule without the schema library (`./form-checks`).
		.regex(CALLER_ID_NAME, CALLER_ID_NAME_PROBLEM),
	number: z
		.string()
		.regex(E164, 'The caller ID number must be in international format, such as +13125550142.')
		.nullable(),
});
export type CallerId = Infer<typeof callerIdSchema>;

const deviceId = text(limits.deviceId).nullable();
/** Preferred media devices (`MediaDeviceInfo.deviceId`), or null for the system default. */
export const devicesSchema = z.strictObject({
	microphoneId: deviceId,
	cameraId: deviceId,
	speakerId: deviceId,
	ringerId: deviceId,
});
export type Devices = Infer<typeof devicesSchema>;

const accelerator = text(limits.accelerator).nullable();
/** Global keyboard shortcuts (Electron accelerators), or null for none. */
export const shortcutsSchema = z.strictObject({
	answer: accelerator,
	hangup: accelerator,
	mute: accelerator,
});
export type Shortcuts = Infer<typeof shortcutsSchema>;

export const uiPreferencesSchema = z.strictObject({
	/** Start in the tray, without showing the window. */
	startMinimised: z.boolean(),
	/** Start (in the tray) when the user logs in to the computer. */
	startAtLogin: z.boolean(),
	/**
	 * Be the computer's handler for `tel:`, `sip:`, `sips:` and `callto:` links. Off until the user turns it
	 * on: registering would take the links from the app the user chose for them.
	 */
	handleLinks: z.boolean(),
	/** Dial a `tel:`/`sip:` link at once instead of prefilling the dialer. */
	dialLinksImmediately: z.boolean(),
	/** Reject incoming calls (the caller hears busy) and log them as missed. */
	doNotDisturb: z.boolean(),
	/** Video calls may use the camera. Off: main denies the page the camera and calls are audio only. */
	cameraEnabled: z.boolean(),
	/**
	 * Let the Telnyx SDK send each call's quality report (statistics and its own log) to Telnyx, as it does
	 * by default (`enableCallReports`); off, the app tells it not to.
	 */
	callReports: z.boolean(),
	/** The "still running in the tray" notice was shown once already. */
	trayNoticeShown: z.boolean(),
	shortcuts: shortcutsSchema,
});
export type UiPreferences = Infer<typeof uiPreferencesSchema>;

/** What this installation uses on the Telnyx account (ids only, never a secret). */
export const provisionedSchema = z.strictObject({
	connectionId: resourceId,
	profileId: resourceId,
	credentialId: resourceId,
	/** This installation's SIP address is `sip:<sipUsername>@sip.telnyx.com`. */
	sipUsername: z.string().min(1).max(limits.sipUsername),
	deviceName: text(limits.deviceName),
});
export type Provisioned = Infer<typeof provisionedSchema>;

/** The settings main keeps (and the settings file holds, with a version number). */
export const settingsSchema = z.strictObject({
	/** A random id of this installation (names its telephony credential uniquely). */
	installId: z.string().regex(/^[a-f0-9-]{8,64}$/),
	callerId: callerIdSchema,
	devices: devicesSchema,
	ui: uiPreferencesSchema,
	/** Null until provisioning has run. */
	provisioned: provisionedSchema.nullable(),
});
export type Settings = Infer<typeof settingsSchema>;

/**
 * What the renderer may change directly. Not the endpoints (main's), not the caller ID (it goes through
 * `account.setCallerId`, which checks the number is the account's), not what main records for itself.
 */
export const settingsPatchSchema = z.strictObject({
	devices: devicesSchema.partial().optional(),
	ui: uiPreferencesSchema
		.pick({
			startMinimised: true,
			startAtLogin: true,
			handleLinks: true,
			dialLinksImmediately: true,
			doNotDisturb: true,
			cameraEnabled: true,
			callReports: true,
		})
		.partial()
		.optional(),
	shortcuts: shortcutsSchema.partial().optional(),
});
export type SettingsPatch = Infer<typeof settingsPatchSchema>;

/** A setting the user entered that main refused, with the field and a sentence saying what to do. */
export const settingsErrorSchema = z.strictObject({
	/** NOT_CONFIRMED: a setting that acts outside the app was not turned on, the user did not confirm it. */
	code: z.enum(['INVALID_SETTING', 'SAVE_FAILED', 'NOT_CONFIRMED']),
	field: z.string().optional(),
	message: sentence,
});
export type SettingsError = Infer<typeof settingsErrorSchema>;

// ---- The API key and Telnyx failures ------------------------------------------------------------------

/** The keychain's state (see main/secrets/secret-store.ts). */
export const keychainStateSchema = z.enum(['ok', 'locked', 'unavailable', 'timeout']);
export type KeychainState = Infer<typeof keychainStateSchema>;

/** What the renderer may know about the API key: whether there is one, and where it is kept. */
export const keyStatusSchema = z.strictObject({
	hasApiKey: z.boolean(),
	keychain: keychainStateSchema,
	/** False when the keychain could not take the key: it is kept in memory for this run only. */
	persisted: z.boolean(),
	/** Why the key is not saved, and how to fix it; null when all is well. */
	warning: sentence.nullable(),
});
export type KeyStatus = Infer<typeof keyStatusSchema>;

export const telnyxFailureCodes = [
	'NO_API_KEY',
	'KEY_REJECTED',
	'FORBIDDEN',
	'RATE_LIMITED',
	'TIMEOUT',
	'UNREACHABLE',
	'SERVER_ERROR',
	'INVALID',
	'NOT_FOUND',
	'NEEDS_CONSENT',
	'UNEXPECTED',
	'KEYCHAIN',
] as const;

/** A Telnyx REST failure, as a sentence saying what happened and what to do. */
export const telnyxFailureSchema = z.strictObject({
	code: z.enum(telnyxFailureCodes),
	message: sentence,
	field: z.string().optional(),
});
export type TelnyxFailure = Infer<typeof telnyxFailureSchema>;

export const keyErrorSchema = z.strictObject({
	code: z.enum(['INVALID_KEY', ...telnyxFailureCodes]),
	message: sentence,
});
export type KeyError = Infer<typeof keyErrorSchema>;

// ---- Provisioning, tokens, the account ----------------------------------------------------------------

export const provisioningStepSchema = z.enum([
	'verify',
	'connection',
	'profile',
	'credential',
	'token',
]);
export type ProvisioningStep = Infer<typeof provisioningStepSchema>;

export const provisioningProgressSchema = z.strictObject({
	step: provisioningStepSchema,
	status: z.enum(['running', 'done', 'waiting', 'failed']),
	/** What happened, in words ("Created the connection “Telnyx Softphone”", "Rate limited; retrying in 2 s"). */
	detail: sentence,
});
export type ProvisioningProgress = Infer<typeof provisioningProgressSchema>;

export const provisionOptionsSchema = z.strictObject({
	/** Use this existing connection instead of the app's own (the manual path). */
	connectionId: resourceId.optional(),
	/** Use this existing outbound voice profile instead of the app's own. */
	profileId: resourceId.optional(),
	/** Destination countries (ISO alpha-2) for the app's outbound voice profile. */
	allowedCountries: z
		.array(z.string().regex(/^[A-Z]{2}$/))
		.min(1)
		.max(limits.countries)
		.optional(),
	/** The user agreed that a connection they chose may be updated for video and app-to-app calls. */
	allowConnectionUpdate: z.boolean().optional(),
});
export type ProvisionOptions = Infer<typeof provisionOptionsSchema>;

/** A connection or profile on the account, for the manual path. */
export const accountResourceSchema = z.strictObject({
	id: z.string(),
	name: z.string(),
	/** Whether it carries the app's tag (the app created it). */
	ownedByApp: z.boolean(),
});
export type AccountResource = Infer<typeof accountResourceSchema>;

export const accountResourcesSchema = z.strictObject({
	connections: z.array(accountResourceSchema),
	profiles: z.array(accountResourceSchema),
});
export type AccountResources = Infer<typeof accountResourcesSchema>;

export const loginTokenSchema = z.strictObject({
	token: z.string(),
	expiresAt: isoTime,
});
export type LoginToken = Infer<typeof loginTokenSchema>;

export const phoneNumberSchema = z.strictObject({
	number: z.string(),
	country: z.string(),
});
export type PhoneNumber = Infer<typeof phoneNumberSchema>;

/** Another installation of the app on the account (never its password). */
export const installationSchema = z.strictObject({
	name: z.string(),
	sipUsername: z.string(),
	self: z.boolean(),
});
export type Installation = Infer<typeof installationSchema>;

export const cleanupItemSchema = z.strictObject({
	kind: z.enum(['credential', 'connection', 'profile']),
	id: resourceId,
	name: text(256),
});
export type CleanupItem = Infer<typeof cleanupItemSchema>;

// ---- Dialling ---------------------------------------------------------------------------------------

/**
 * What a typed destination means, as main decides it (`main/dial/destination.ts`): exactly one thing to
 * dial. `dial` is what the SDK is handed; `display` is how the app shows it; a phone number's extension is
 * sent as DTMF once the call is answered.
 */
export const dialTargetSchema = z.discriminatedUnion('kind', [
	z.strictObject({
		kind: z.literal('phone'),
		/** E.164. */
		dial: z.string().regex(E164),
		display: text(limits.remote),
		extension: z
			.string()
			.regex(/^[0-9]{1,10}$/)
			.nullable(),
	}),
	z.strictObject({
		kind: z.enum(['sip', 'installation']),
		dial: text(limits.remote).refine((uri) => parseSipUri(uri).ok, 'A SIP URI.'),
		display: text(limits.remote),
		extension: z.null(),
	}),
]);
export type DialTarget = Infer<typeof dialTargetSchema>;

/** A destination to dial, or why not (a sentence the dialer shows as it is). */
export const dialResolutionSchema = result(dialTargetSchema, z.strictObject({ message: sentence }));
export type DialResolution = Infer<typeof dialResolutionSchema>;

// ---- The desktop: tray, notifications, links ----------------------------------------------------------

/** What the renderer tells main about the phone, for the tray, notifications and shortcuts. */
export const phoneReportSchema = z.strictObject({
	connection: z.enum(['setup', 'connecting', 'registered', 'reconnecting', 'offline', 'failed']),
	/** The call in the foreground (an inbound call that rings comes first). */
	call: z
		.strictObject({
			/** The call's id, so a notification's Answer acts on the call it announced and no other. */
			id: z.string().min(1).max(limits.callId),
			/** The address: a number, a SIP address or user name (what a contact is found by). */
			remote: text(limits.remote),
			/** The name the other side sent, if any (shown when the address is not a contact's). */
			remoteName: text(limits.remoteName),
			phase: z.enum(['ringing', 'calling', 'active', 'held']),
			direction: z.enum(['inbound', 'outbound']),
			muted: z.boolean(),
			held: z.boolean(),
			video: z.boolean(),
		})
		.nullable(),
	installations: z
		.array(z.strictObject({ name: text(limits.deviceName) }))
		.max(limits.installations),
	recent: z
		.array(z.strictObject({ label: text(limits.remote), destination: text(limits.remote) }))
		.max(limits.recentCalls),
});
export type PhoneReport = Infer<typeof phoneReportSchema>;

/** The tray's view of the app (main's own, never crosses the bridge): the report plus what main knows. */
export type DesktopState = PhoneReport & {
	/** The caller's name in the address book, when the call is with a contact. */
	readonly callerName?: string;
	readonly doNotDisturb: boolean;
	readonly missedCalls: number;
};

/** A request to dial, from a link, the tray or the compact dialer. */
export const dialRequestSchema = z.strictObject({
	destination: text(limits.destination),
	video: z.boolean(),
	/** Dial at once (tray, compact dialer, or links when the user chose so); else prefill the dialer. */
	now: z.boolean(),
});
export type DialRequest = Infer<typeof dialRequestSchema>;

export const phoneCommandSchema = z.enum([
	'answer',
	'decline',
	'hangup',
	'toggleMute',
	'toggleHold',
]);
export type PhoneCommand = Infer<typeof phoneCommandSchema>;

/**
 * Whatever main knows about this desktop that the Settings view must explain: which global shortcuts could
 * not be registered, whether a tray icon can be shown, whether the session is Wayland, and what became of
 * the link registration and the start-at-login entry.
 */
export const desktopStatusSchema = z.strictObject({
	shortcuts: z.array(
		z.strictObject({ action: z.enum(['answer', 'hangup', 'mute']), message: sentence }),
	),
	/** False where the desktop shows no tray icons (stock GNOME): closing the window minimises it. */
	trayAvailable: z.boolean(),
	/** A Wayland session, where global shortcuts depend on the desktop's support. */
	wayland: z.boolean(),
	links: z.strictObject({
		/** `handleLinks` is on and the app is the computer's handler for the schemes. */
		registered: z.boolean(),
		/** Why the app is not (or only partly) the handler, in words; null when all is as the user chose. */
		problem: sentence.nullable(),
	}),
	startAtLogin: z.strictObject({
		/** Whether the computer will start the app at login, as the OS reports it. */
		enabled: z.boolean(),
		problem: sentence.nullable(),
	}),
});
export type DesktopStatus = Infer<typeof desktopStatusSchema>;

/** An error the page caught (`error`, `unhandledrejection`), forwarded to main's log. */
export const rendererErrorSchema = z.strictObject({
	kind: z.enum(['error', 'unhandledrejection']),
	message: text(limits.errorMessage),
	stack: text(limits.errorStack).nullable(),
});
export type RendererError = Infer<typeof rendererErrorSchema>;

export const mediaAccessStateSchema = z.enum([
	'granted',
	'denied',
	'restricted',
	'not-determined',
	'unknown',
]);
export type MediaAccessState = Infer<typeof mediaAccessStateSchema>;

/** The operating system's permission for the microphone and camera, and what to do when it is off. */
export const mediaAccessSchema = z.strictObject({
	microphone: mediaAccessStateSchema,
	camera: mediaAccessStateSchema,
	message: sentence.nullable(),
});
export type MediaAccess = Infer<typeof mediaAccessSchema>;

// ---- Call history -------------------------------------------------------------------------------------

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

/**
 * A call's quality over its life, kept with its history entry: the estimated MOS (1–5, from round-trip time,
 * jitter and loss, sampled every 2 s while the call was live), and the loss, jitter and round-trip behind it.
 * Null figures: the call never had a sample (it was never answered, or too short).
 */
export const callQualitySummarySchema = z.strictObject({
	samples: z.number().int().min(0).max(limits.callSeconds),
	mosAverage: z.number().min(1).max(5).nullable(),
	mosWorst: z.number().min(1).max(5).nullable(),
	packetLossPercentAverage: z.number().min(0).max(100).nullable(),
	packetLossPercentWorst: z.number().min(0).max(100).nullable(),
	jitterMsAverage: z.number().min(0).max(60_000).nullable(),
	rttMsAverage: z.number().min(0).max(60_000).nullable(),
});
export type CallQualitySummary = Infer<typeof callQualitySummarySchema>;

const telnyxId = z.string().min(1).max(limits.telnyxId).nullable();
/** The ids Telnyx gave a call (the SDK's `call.telnyxIDs`): what Telnyx support asks for about a call. */
export const telnyxCallIdsSchema = z.strictObject({
	callControlId: telnyxId,
	sessionId: telnyxId,
	legId: telnyxId,
});
export type TelnyxCallIds = Infer<typeof telnyxCallIdsSchema>;

/** One call in the history (kept by main in the user-data folder, newest first, bounded). */
export const callHistoryEntrySchema = z.strictObject({
	id: z.string().min(1).max(limits.historyId),
	direction: z.enum(['inbound', 'outbound']),
	/** What to dial to call back: a number, a SIP address or user name. */
	remote: text(limits.remote),
	remoteName: text(limits.remoteName),
	video: z.boolean(),
	startedAt: z.iso.datetime(),
	durationSeconds: z.number().int().min(0).max(limits.callSeconds),
	answered: z.boolean(),
	endReason: z.enum(endReasonKinds),
	endMessage: text(limits.historyEndMessage),
	/* Added with the diagnostics (issue 15); optional, so entries written before them still read back. */
	/** Telnyx's hangup cause and SIP code, when Telnyx sent them. */
	cause: text(limits.hangupCause).nullable().optional(),
	sipCode: z.number().int().min(100).max(699).nullable().optional(),
	telnyxIds: telnyxCallIdsSchema.optional(),
	quality: callQualitySummarySchema.nullable().optional(),
});
export type CallHistoryEntry = Infer<typeof callHistoryEntrySchema>;
const history = z.array(callHistoryEntrySchema);

// ---- Contacts ---------------------------------------------------------------------------------------

const contactFields = {
	name: z
		.string()
		.min(1, CONTACT_MESSAGES.noName)
		.max(limits.contactName, CONTACT_MESSAGES.longName)
		.refine((name) => name.trim() !== '', CONTACT_MESSAGES.noName)
		// Names are shown in notifications and the tray: nothing invisible or reordering (Trojan Source).
		.refine((name) => !hasControlCharacters(name), CONTACT_MESSAGES.invisible),
	phones: z.array(z.string().regex(E164, CONTACT_MESSAGES.phone)).max(limits.contactPhones),
	/** `sip:user@host` addresses, checked by the dial grammar (no headers, no odd parameters). */
	sipAddresses: z
		.array(
			z
				.string()
				.max(MAX_SIP_URI_LENGTH)
				.refine((uri) => parseSipUri(uri).ok, CONTACT_MESSAGES.sip),
		)
		.max(limits.contactSipAddresses),
	note: text(limits.contactNote),
};
const reachable = (contact: { phones: readonly string[]; sipAddresses: readonly string[] }) =>
	contact.phones.length + contact.sipAddresses.length > 0;
const REACHABLE = CONTACT_MESSAGES.unreachable;

/** One person in the address book (kept by main in the user-data folder; it never leaves the computer). */
export const contactSchema = z
	.strictObject({ id: resourceId, ...contactFields })
	.refine(reachable, REACHABLE);
export type Contact = Infer<typeof contactSchema>;
const contactList = z.array(contactSchema).max(limits.contacts);

/** A contact to save: a null id adds a new one (main assigns the id), an existing id replaces that one. */
export const contactDraftSchema = z
	.strictObject({ id: resourceId.nullable(), ...contactFields })
	.refine(reachable, REACHABLE);
export type ContactDraft = Infer<typeof contactDraftSchema>;

export const contactErrorSchema = z.strictObject({
	code: z.enum(['NOT_FOUND', 'FULL', 'NOT_VCARD']),
	message: sentence,
});
export type ContactError = Infer<typeof contactErrorSchema>;

/** What a vCard import did: how many contacts it added, and which cards it skipped and why. */
export const contactImportSchema = z.strictObject({
	imported: z.number().int().min(0).max(limits.contacts),
	/** Every skipped card is counted; the first {@link limits.importSkipped} are named. */
	skippedCount: z.number().int().min(0),
	skipped: z
		.array(z.strictObject({ card: text(limits.contactName + 16), reason: sentence }))
		.max(limits.importSkipped),
	contacts: contactList,
});
export type ContactImport = Infer<typeof contactImportSchema>;

// ---- Diagnostics ------------------------------------------------------------------------------------

export const setupCheckIdSchema = z.enum(['microphone', 'speaker', 'camera', 'network', 'call']);
export type SetupCheckId = Infer<typeof setupCheckIdSchema>;

/** How a check came out: `good`, `fair` (works, with a caveat), `poor`, `failed` (could not run), `skipped`. */
export const setupVerdictSchema = z.enum(['good', 'fair', 'poor', 'failed', 'skipped']);
export type SetupVerdict = Infer<typeof setupVerdictSchema>;

/** One Test my setup check, as it ended: the verdict in words, what to do next, and the figures behind it. */
export const setupCheckSchema = z.strictObject({
	id: setupCheckIdSchema,
	verdict: setupVerdictSchema,
	summary: text(limits.setupSentence),
	advice: text(limits.setupSentence).nullable(),
	figures: z
		.record(
			z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,31}$/),
			z.union([z.number(), text(limits.setupFigureText), z.boolean(), z.null()]),
		)
		.refine(
			(figures) => Object.keys(figures).length <= limits.setupFigures,
			`A check keeps at most ${limits.setupFigures} figures.`,
		),
});
export type SetupCheck = Infer<typeof setupCheckSchema>;

/** The last Test my setup run (kept by main for the support bundle). */
export const setupReportSchema = z.strictObject({
	finishedAt: isoTime,
	checks: z.array(setupCheckSchema).max(setupCheckIdSchema.options.length),
});
export type SetupReport = Infer<typeof setupReportSchema>;

export const supportBundleOptionsSchema = z.strictObject({
	/** Keep phone numbers whole; by default only their last four digits are kept. */
	includeFullNumbers: z.boolean(),
});
export type SupportBundleOptions = Infer<typeof supportBundleOptionsSchema>;

/** Where the bundle went: its file name only (never the folder), or `saved: false` if the user cancelled. */
export const supportBundleSavedSchema = z.strictObject({
	saved: z.boolean(),
	fileName: text(256),
	bytes: z.number().int().min(0),
});
export type SupportBundleSaved = Infer<typeof supportBundleSavedSchema>;

/** A view main can ask the window to show (the tray's "Test my setup…"). */
export const appViewSchema = z.enum(['setup-test']);
export type AppView = Infer<typeof appViewSchema>;

// ---- The methods --------------------------------------------------------------------------------------

/** One method: its argument tuple (strict objects, so unknown keys are refused) and its reply. */
const method = <A extends z.ZodTuple, R extends z.ZodType>(args: A, reply: R) => ({ args, reply });
const none = z.tuple([]);

/**
 * Renderer → main requests. Channel names are `namespace:method`. Main validates the arguments before a
 * handler runs; the replies are declared too, so tests (and the hostile-page suite) check what main answers.
 */
export const invokeContract = {
	app: {
		getInfo: method(none, appInfoSchema),
		/** Writes an error the page caught to main's log (redacted like every line). */
		reportError: method(z.tuple([rendererErrorSchema]), z.void()),
		/** Opens the folder that holds the app's logs in the file manager. */
		openLogsFolder: method(none, result(z.void(), z.strictObject({ message: sentence }))),
	},
	settings: {
		get: method(none, settingsSchema),
		update: method(z.tuple([settingsPatchSchema]), result(settingsSchema, settingsErrorSchema)),
	},
	credentials: {
		getStatus: method(none, keyStatusSchema),
		/** Checks the key's shape, verifies it with Telnyx, then keeps it (keychain, else memory). */
		setApiKey: method(
			// Bounded before it reaches main's own checks; the key is never echoed in an error.
			z.tuple([text(limits.apiKeyInput)]),
			result(keyStatusSchema, keyErrorSchema),
		),
		clearApiKey: method(none, keyStatusSchema),
	},
	provisioning: {
		/** Finds or creates the connection, profile and credential; progress arrives as events. */
		run: method(z.tuple([provisionOptionsSchema]), result(provisionedSchema, telnyxFailureSchema)),
		/** The account's connections and profiles, for choosing existing ones. */
		listResources: method(none, result(accountResourcesSchema, telnyxFailureSchema)),
	},
	telnyx: {
		/** A login JWT for this installation: reused while valid, minted when needed. */
		getLoginToken: method(none, result(loginTokenSchema, telnyxFailureSchema)),
	},
	dial: {
		/**
		 * What the typed text means, with main's directory and the caller ID number's country: the dialer
		 * asks as the user types (only when it must know whether a phone number is typed) and the call store
		 * before every call. The text arrives clipped to `limits.dialText`; longer is refused in words.
		 */
		resolve: method(z.tuple([text(limits.dialText)]), dialResolutionSchema),
	},
	desktop: {
		/** The phone's state, for the tray, notifications and shortcuts. */
		report: method(z.tuple([phoneReportSchema]), z.void()),
		/** The compact dialer asks the main window to dial. */
		dial: method(z.tuple([dialRequestSchema]), z.void()),
		/** The user has seen the missed calls (the tray stops showing them). */
		markMissedSeen: method(none, z.void()),
		/** What main knows about this desktop (shortcut failures, tray, links, start at login). */
		getStatus: method(none, desktopStatusSchema),
	},
	media: {
		/** Checks (and on macOS asks for) microphone and, if asked, camera access before a call. */
		requestAccess: method(z.tuple([z.strictObject({ camera: z.boolean() })]), mediaAccessSchema),
	},
	history: {
		list: method(none, history),
		/** Records a finished call (an entry with the same id replaces the earlier one). */
		add: method(z.tuple([callHistoryEntrySchema]), history),
		clear: method(none, history),
	},
	diagnostics: {
		/** Keeps the last Test my setup report (for the support bundle; it replaces the one before). */
		saveSetupReport: method(z.tuple([setupReportSchema]), z.void()),
		/** Builds the redacted support bundle and asks the user where to save it. */
		saveSupportBundle: method(
			z.tuple([supportBundleOptionsSchema]),
			result(supportBundleSavedSchema, z.strictObject({ message: sentence })),
		),
	},
	contacts: {
		list: method(none, contactList),
		/** Adds (null id) or replaces a contact; answers the whole book. */
		save: method(z.tuple([contactDraftSchema]), result(contactList, contactErrorSchema)),
		remove: method(z.tuple([resourceId]), contactList),
		/** Adds the contacts of a vCard file (3.0 or 4.0) the renderer read; main parses it. */
		importVCard: method(
			z.tuple([text(limits.vCardText)]),
			result(contactImportSchema, contactErrorSchema),
		),
	},
	account: {
		listPhoneNumbers: method(none, result(z.array(phoneNumberSchema), telnyxFailureSchema)),
		setCallerId: method(
			z.tuple([callerIdSchema]),
			result(settingsSchema, z.union([settingsErrorSchema, telnyxFailureSchema])),
		),
		/**
		 * Other installations of the app on the account, from main's cache; main decides when that reaches
		 * Telnyx, so asking often (focus, the dialer) costs nothing.
		 */
		listInstallations: method(none, result(z.array(installationSchema), telnyxFailureSchema)),
		/** The directory after main looks for a name or SIP user name it does not hold (rate-limited). */
		searchInstallations: method(
			z.tuple([
				z
					.string()
					.min(1)
					.max(limits.installationQuery)
					.refine((q) => !hasControlCharacters(q), 'No control characters.'),
			]),
			result(z.array(installationSchema), telnyxFailureSchema),
		),
		/** Deletes this installation's credential and forgets its token (and the key, if asked). */
		signOut: method(
			z.tuple([z.strictObject({ forgetApiKey: z.boolean() })]),
			result(keyStatusSchema, telnyxFailureSchema),
		),
		/** Everything carrying the app's tag, to show before removing it. */
		previewCleanup: method(none, result(z.array(cleanupItemSchema), telnyxFailureSchema)),
		/** Deletes the listed items (each must still carry the app's tag). */
		cleanup: method(
			z.tuple([z.array(cleanupItemSchema).max(limits.cleanupItems)]),
			result(z.array(cleanupItemSchema), telnyxFailureSchema),
		),
	},
};
export type InvokeContract = typeof invokeContract;

/** Main → renderer events and their payloads. */
export const eventContract = {
	'settings:changed': z.tuple([settingsSchema]),
	'credentials:changed': z.tuple([keyStatusSchema]),
	'provisioning:progress': z.tuple([provisioningProgressSchema]),
	/** A renewed login token; the renderer re-logs in on the live socket. */
	'telnyx:loginToken': z.tuple([loginTokenSchema]),
	/** Renewal keeps failing and the token expires soon. */
	'telnyx:tokenWarning': z.tuple([z.strictObject({ expiresAt: isoTime, message: sentence })]),
	/** Something the app did on the account by itself that the user should know (a re-created credential). */
	'account:notice': z.tuple([sentence]),
	'history:changed': z.tuple([history]),
	'contacts:changed': z.tuple([contactList]),
	/** Dial (or prefill) a destination from a link, the tray or the compact dialer. */
	'app:dial': z.tuple([dialRequestSchema]),
	/**
	 * A command from the tray, a notification or a global shortcut. A notification names the call it
	 * announced (its id); the tray and shortcuts act on the call in front (null).
	 */
	'app:command': z.tuple([phoneCommandSchema, z.string().max(limits.callId).nullable()]),
	/** What main knows about this desktop changed (see `desktop.getStatus`). */
	'desktop:status': z.tuple([desktopStatusSchema]),
	/** Show a view (the tray's "Test my setup…"). */
	'app:open': z.tuple([appViewSchema]),
	/** The computer woke up or the network changed: check the registration at once. */
	'app:checkConnection': z.tuple([]),
};

/** A tuple's elements made read-only, the tuple itself kept as it is (so it can type a rest parameter). */
type ReadonlyElements<T extends readonly unknown[]> = { [K in keyof T]: DeepReadonly<T[K]> };

export type EventMap = {
	[E in keyof typeof eventContract]: ReadonlyElements<z.output<(typeof eventContract)[E]>>;
};

type Namespace = keyof InvokeContract;
type Method<N extends Namespace> = keyof InvokeContract[N] & string;
type Entry<N extends Namespace, M extends Method<N>> = InvokeContract[N][M] extends {
	args: infer A extends z.ZodType;
	reply: infer R extends z.ZodType;
}
	? { args: A; reply: R }
	: never;

export type Args<N extends Namespace, M extends Method<N>> = ReadonlyElements<
	z.output<Entry<N, M>['args']> & unknown[]
>;
export type Returns<N extends Namespace, M extends Method<N>> = Infer<Entry<N, M>['reply']>;
