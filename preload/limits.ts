/**
 * Every bound the contract enforces, in one place, without the schema library: the renderer reads these
 * (input lengths, what it clips before sending) and `contract.ts` builds its schemas from them. With them,
 * the one rule for when typed text may reach Telnyx as a directory search (`directorySearch`), which main's
 * directory and the renderer's dialer both apply.
 */
import { hasControlCharacters, MAX_DIAL_LENGTH, MAX_LINK_LENGTH } from './dial-grammar';

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
	/**
	 * Typed text the dialer asks main to resolve: one character more than the dialer looks at, so a longer
	 * text, clipped to this before it is sent, is still too long and is refused in words, not by the guard.
	 */
	dialText: MAX_DIAL_LENGTH + 1,
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

// ---- Directory search: when typed text may reach Telnyx -----------------------------------------------

/** The exact filter a directory search sends: Telnyx's credentials list offers no other kind of match. */
export type DirectoryFilter = { readonly sip_username: string } | { readonly name: string };

/** What a held installation is matched on: its name (the full credential name in main) and SIP user name. */
export interface DirectoryEntry {
	readonly name: string;
	readonly sipUsername: string;
}

/** The app's own SIP address form, `sip:<user>@sip.telnyx.com` (or without the host): its user part. */
const OWN_SIP_ADDRESS = /^sip:([^@\s]+)(?:@sip\.telnyx\.com)?$/i;
/**
 * A SIP user name as Telnyx generates them (`gencred` and 22 letters and digits), or one like it: a letter,
 * then 7 or more letters and digits, with a digit or the `gencred` prefix (so a plain word is not one).
 */
const SIP_USERNAME = /^[A-Za-z][A-Za-z0-9]{7,}$/;
/** A credential's full name as the app makes it: the device, a space, and 8 hex digits of its id in brackets. */
const CREDENTIAL_NAME = /^\S.* \([0-9a-f]{8}\)$/;

/**
 * The exact filter Telnyx could answer `text` with, or null when no filter could match one of the app's
 * credentials: then only the held directory answers, and no search is spent. A bare SIP user name or the
 * app's own `sip:` address goes by `filter[sip_username]`; a full credential name (`Alice Laptop (1a2b3c4d)`)
 * by `filter[name]`. A part of a name, a contact's name, a number or another host's SIP address can never
 * match an exact filter. Text main's contract refuses (longer than `installationQuery`, control characters)
 * is null too, so the renderer never sends it.
 */
export function directoryFilter(text: string): DirectoryFilter | null {
	const trimmed = text.trim();
	if (trimmed.length > limits.installationQuery || hasControlCharacters(trimmed)) return null;
	const user = OWN_SIP_ADDRESS.exec(trimmed)?.[1] ?? trimmed;
	if (SIP_USERNAME.test(user) && (/\d/.test(user) || /^gencred/i.test(user)))
		return { sip_username: user };
	if (CREDENTIAL_NAME.test(trimmed)) return { name: trimmed };
	return null;
}

/**
 * Whether a held installation answers to `text`: its name contains it (any case), or the text is its SIP user
 * name, bare or as a `sip:` address.
 */
export function answersTo(entry: DirectoryEntry, text: string): boolean {
	const lower = text.trim().toLowerCase();
	if (lower === '') return false;
	const user = /^sip:([^@\s]+)/.exec(lower)?.[1] ?? lower;
	return entry.name.toLowerCase().includes(lower) || entry.sipUsername.toLowerCase() === user;
}

/**
 * What to ask Telnyx for `text`, given the installations already held: its exact filter when it has one and
 * no held installation answers to it; otherwise null (the held directory is the answer).
 */
export function directorySearch(
	text: string,
	held: Iterable<DirectoryEntry>,
): DirectoryFilter | null {
	const filter = directoryFilter(text);
	if (filter === null) return null;
	for (const entry of held) if (answersTo(entry, text)) return null;
	return filter;
}
