/**
 * The dialer's side of a destination. What typed text means — an installation, a SIP address, a phone
 * number with its extension — is decided in main (`main/dial/destination.ts`, through `dial.resolve`), where
 * libphonenumber's metadata, the directory and the caller ID number already are; the page keeps only what
 * it decides about a resolved target itself: whether the caller ID allows calling it.
 */
import type { DialResolution, DialTarget, RendererApi } from '../../../../preload/contract';
import { limits } from '../../../../preload/limits';

/** Asks main what a typed text means: one IPC round trip. */
export type Resolve = (text: string) => Promise<DialResolution>;

/**
 * `dial.resolve` over this bridge. Text longer than main looks at is clipped to one character more, which is
 * still too long, so the dialer gets main's sentence for it rather than a refused call.
 */
export function resolverFor(bridge: Pick<RendererApi, 'dial'>): Resolve {
	return (text) => bridge.dial.resolve(text.slice(0, limits.dialText));
}

/**
 * Telnyx refuses a call to a phone number without a caller-ID number of the account's own (SIP 403 D35, or
 * D36 for a number that is not the account's: developers.telnyx.com, "Caller ID Policy"), so the dialer says
 * so before dialling rather than after. Installations and SIP addresses need none.
 */
export const CALLER_NUMBER_NEEDED =
	'Calls to phone numbers need a caller ID number, or Telnyx refuses them. Choose one of your numbers in Settings → Caller ID.';

/** Why `target` cannot be dialled with this caller-ID number (null: it can). */
export function callerIdProblem(target: DialTarget, callerNumber: string | null): string | null {
	return target.kind === 'phone' && (callerNumber === null || callerNumber.trim() === '')
		? CALLER_NUMBER_NEEDED
		: null;
}
