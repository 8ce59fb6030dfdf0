/**
 * Every bound the contract enforces, in one place, without the schema library: the renderer reads these
 * (input lengths, what it clips before sending) and `contract.ts` builds its schemas from them.
 */
import { MAX_LINK_LENGTH } from './dial-grammar';

export const limits = {
	/** Telnyx's CNAM limit: the caller-ID name is at most 15 characters (letters, digits, spaces). */
	callerIdName: 15,
	/** E.164: a `+` and at most 15 digits. */
	phoneNumber: 16,
	/** A pasted API key is bounded before main's own shape check (which allows at most 256). */
	apiKeyInput: 4096,
	/** Telnyx resource ids (UUIDs) and the ids the app makes. */
	resourceId: 64,
	deviceId: 512,
	/** An Electron accelerator such as `CommandOrControl+Shift+A`. */
	accelerator: 64,
	sipUsername: 128,
	deviceName: 128,
	/** What to dial, as the renderer or a link gives it (the dial grammar's own bound). */
	destination: MAX_LINK_LENGTH,
	/** A remote party as the renderer reports it (a number, a SIP address, a name). */
	remote: 256,
	remoteName: 128,
	historyId: 128,
	historyEndMessage: 300,
	installations: 100,
	/** A name or SIP user name looked up in the directory (a credential's name with its short id). */
	installationQuery: 128,
	recentCalls: 20,
	countries: 250,
	cleanupItems: 500,
	/** A week: no call is longer. */
	callSeconds: 7 * 24 * 3600,
	/** The address book (kept by main, on this computer only). */
	contacts: 1000,
	contactName: 128,
	contactPhones: 10,
	contactSipAddresses: 10,
	contactNote: 500,
	/** A vCard file the renderer read and hands to main: 1 MiB of text. */
	vCardText: 1024 * 1024,
	/** How many skipped cards an import reports by name (the count is always exact). */
	importSkipped: 50,
	/** The SDK's call id (a UUID) as the renderer reports it. */
	callId: 128,
	/** A renderer error forwarded to main's log: its message and its stack, each cut to this length. */
	errorMessage: 1000,
	errorStack: 4000,
	/** A version string (app, Electron, Chromium, Node). */
	version: 64,
	/** A hangup cause as Telnyx names it (`NORMAL_CLEARING`, `USER_BUSY`). */
	hangupCause: 64,
	/** A Telnyx id of a call leg, session or call control (a UUID, or the SDK's own id). */
	telnyxId: 128,
	/** One Test my setup check: a sentence saying what was found, and one saying what to do. */
	setupSentence: 300,
	/** The figures one check keeps (`microphonePeak`, `relayCandidates`, …), and each text figure's length. */
	setupFigures: 16,
	setupFigureText: 128,
} as const;
