/**
 * How the sandbox tells the CALLER's leg that the callee answered, per answer mode, as a pure schedule.
 *
 * - `early-media` (Telnyx's usual outbound sequence): `telnyx_rtc.media` carrying the SDP, then a bare
 *   `telnyx_rtc.answer` right after it (the SDK's `early` → `active`).
 * - `sdp-answer` (the kind variant): one `telnyx_rtc.answer` carrying the SDP.
 * - `stuck-early` reproduces team-telnyx/webrtc #754 ("Outbound call often never reaches active even after
 *   callee answers and media is flowing"): the call hears the far end but never becomes `active`.
 *
 * Why `stuck-early` looks as it does. In SDK 2.27.10 (`BaseCall.handleMessage`, see the root-cause
 * comment on the "narrow Answer guard") a `telnyx_rtc.answer` moves the call to `active` only when the call
 * is already in `early` or later; otherwise it only records that an answer came. `_onRemoteSdp` rechecks that
 * record when the media SDP has been applied, so a plain media/answer pair arriving back to back still ends
 * active. What drops the answer is a state that goes BACKWARDS: the invite's JSON-RPC result always sets the
 * call to `trying` (`BaseCall._onIceSdp`), even after `early`. So in this mode the caller's invite result is
 * withheld until after the early media has been applied; the bare answer then arrives while the SDK is in
 * `trying` and is dropped, while media flows. The frames are Telnyx's own; only the invite result is late, as
 * when the acknowledgement of the invite loses the race with the callee's answer.
 */
import type { AnswerMode } from './verto-server';

export type AnswerMethod = 'telnyx_rtc.media' | 'telnyx_rtc.answer';

export type AnswerStep =
	/** A request to the caller's leg. `atMs`: when, counted from the callee's answer. */
	| {
			readonly kind: 'frame';
			readonly atMs: number;
			readonly method: AnswerMethod;
			readonly params: Readonly<Record<string, unknown>>;
	  }
	/** Send the caller's withheld invite result (`CALL CREATED`) now (only where the mode withheld it). */
	| { readonly kind: 'invite-result'; readonly atMs: number };

export interface AnswerFrameInput {
	/** The caller leg's callID. */
	readonly callID: string;
	/** The SDP the caller must apply (the callee's, or the media gateway's for this leg). */
	readonly sdp: string;
	/** `telnyx_session_id`, `telnyx_leg_id`, `telnyx_call_control_id` of the caller's leg. */
	readonly ids: Readonly<Record<string, string>>;
}

export interface AnswerTiming {
	/**
	 * Time the SDK needs to apply a remote SDP (`setRemoteDescription`, a few ms on one computer). Frames that
	 * must arrive after that wait this long; generous so that a loaded test machine still orders them.
	 */
	readonly settleMs: number;
}

export const defaultAnswerTiming: AnswerTiming = { settleMs: 300 };

/**
 * Whether the caller's invite result (`CALL CREATED`) is sent as soon as the call is created. Every mode but
 * `stuck-early` does (it withholds it: `answerFrames` then includes an `invite-result` step).
 */
export function inviteResultAtOnce(mode: AnswerMode): boolean {
	return mode !== 'stuck-early';
}

/** The steps, in order, that tell the caller the call was answered. */
export function answerFrames(
	mode: AnswerMode,
	{ callID, sdp, ids }: AnswerFrameInput,
	{ settleMs }: AnswerTiming = defaultAnswerTiming,
): AnswerStep[] {
	const media = { callID, sdp, ...ids };
	const bareAnswer = { callID, ...ids };
	switch (mode) {
		case 'sdp-answer':
			return [{ kind: 'frame', atMs: 0, method: 'telnyx_rtc.answer', params: media }];
		case 'early-media':
			return [
				// Back to back, as Telnyx sends them: the SDK records the answer and applies it once the media
				// SDP is set (`early` → `active`).
				{ kind: 'frame', atMs: 0, method: 'telnyx_rtc.media', params: media },
				{ kind: 'frame', atMs: 0, method: 'telnyx_rtc.answer', params: bareAnswer },
			];
		case 'stuck-early':
			return [
				// → SDK `early` once applied; audio and video start flowing.
				{ kind: 'frame', atMs: 0, method: 'telnyx_rtc.media', params: media },
				// → SDK back to `trying` (the invite's result always sets it).
				{ kind: 'invite-result', atMs: settleMs },
				// → dropped by the SDK (not in `early`): the call never becomes `active`.
				{ kind: 'frame', atMs: 2 * settleMs, method: 'telnyx_rtc.answer', params: bareAnswer },
			];
		default: {
			const unknown: never = mode;
			throw new Error(`Unknown answer mode ${String(unknown)}`);
		}
	}
}
