/**
 * What the app does with a call, decided from plain data (the store applies it): whether do not disturb
 * declines an incoming call, when a dialled extension is sent as DTMF, and the history entry for an ended
 * call. No runes, no SDK, no bridge — tested in Node (test/unit/renderer/call/call-policy.test.ts).
 */
import type { CallHistoryEntry } from '../../../../preload/contract';
import { limits } from '../../../../preload/limits';
import type { CallSnapshot, EndReason } from '../telephony/softphone';

/** Milliseconds after answer before a dialled extension is sent as DTMF (IVRs need a moment to listen). */
export const EXTENSION_DELAY_MS = 2000;

/** Why a call declined by do not disturb ended, as its history entry says. */
export const DND_END: EndReason = {
	kind: 'dnd',
	message: 'Rejected while Do not disturb was on.',
	cause: null,
	sipCode: null,
};

/**
 * Do not disturb: an incoming call is declined at once (the caller hears busy) and logged as missed; it
 * never rings or shows. A call already ringing on screen when it was switched on (`shownRinging`) is left
 * to the user.
 */
export function declinedByDoNotDisturb(
	call: CallSnapshot,
	{
		doNotDisturb,
		shownRinging,
	}: { readonly doNotDisturb: boolean; readonly shownRinging: boolean },
): boolean {
	return call.direction === 'inbound' && call.phase === 'ringing' && doNotDisturb && !shownRinging;
}

/**
 * The extension to send now that the call was answered: only on the update that makes it active (the
 * store sends it `EXTENSION_DELAY_MS` later, if the call is still active then), otherwise null.
 */
export function extensionDue(
	call: CallSnapshot,
	previous: CallSnapshot | undefined,
	extension: string | undefined,
): string | null {
	if (extension === undefined) return null;
	return call.phase === 'active' && previous?.phase !== 'active' ? extension : null;
}

/** The entry main's history keeps for an ended call. */
export function historyEntry(call: CallSnapshot): CallHistoryEntry {
	return {
		id: call.id,
		direction: call.direction,
		remote: call.remote,
		remoteName: call.remoteName,
		video: call.video,
		startedAt: new Date(call.startedAt).toISOString(),
		durationSeconds:
			call.answeredAt === null
				? 0
				: Math.round(((call.endedAt ?? call.answeredAt) - call.answeredAt) / 1000),
		answered: call.answeredAt !== null,
		endReason: call.end?.kind ?? 'failed',
		endMessage: call.end?.message ?? 'The call ended.',
		cause: call.end?.cause?.slice(0, limits.hangupCause) ?? null,
		sipCode: validSipCode(call.end?.sipCode ?? null),
		telnyxIds: call.telnyxIds,
		quality: call.quality?.summary ?? null,
	};
}

/** A SIP status code as the history keeps it (100–699), or null: the SDK reports 0 for "none". */
function validSipCode(code: number | null): number | null {
	return code !== null && Number.isInteger(code) && code >= 100 && code <= 699 ? code : null;
}
