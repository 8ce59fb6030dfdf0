/**
 * Trickle ICE as `@telnyx/webrtc` 2.27 speaks it (docs/telnyx-protocol.md, "Trickle ICE"): pure helpers the
 * call router uses to read the SDK's frames and to write its own.
 *
 * - A leg asks for trickle with `"trickle": true` beside the `sdp` of its `telnyx_rtc.invite` (caller) or
 *   `telnyx_rtc.answer` (callee); its SDP then carries few or no candidates.
 * - The SDK sends `telnyx_rtc.candidate {sessid, candidate, sdpMid, sdpMLineIndex, dialogParams}` per
 *   candidate and `telnyx_rtc.endOfCandidates {sessid, endOfCandidates: true, dialogParams}` once, each
 *   waiting for a result.
 * - The server sends `telnyx_rtc.candidate {callID, candidate, sdpMid, sdpMLineIndex}`, which the SDK passes
 *   whole to `addIceCandidate` — but only on outbound calls (the quirk, see the protocol notes). The SDK has
 *   no handler for a server `endOfCandidates`, so the sandbox never sends one.
 */

/** One ICE candidate as the SDK sends and reads it (`RTCIceCandidateInit`'s fields). */
export interface TrickleCandidate {
	readonly candidate: string;
	readonly sdpMid: string | null;
	readonly sdpMLineIndex: number | null;
}

/** Whether an invite's or answer's params ask for trickle (the SDK's `"trickle": true`). */
export function wantsTrickle(params: Record<string, unknown>): boolean {
	return params['trickle'] === true;
}

/**
 * The candidate of a `telnyx_rtc.candidate` request, or null when it carries none (an empty `candidate`
 * string is the W3C end-of-candidates form; the SDK never sends it, as it skips such events).
 */
export function readCandidate(params: Record<string, unknown>): TrickleCandidate | null {
	const candidate = params['candidate'];
	if (typeof candidate !== 'string' || candidate.trim() === '') return null;
	const mid = params['sdpMid'];
	const index = params['sdpMLineIndex'];
	return {
		candidate,
		sdpMid: typeof mid === 'string' ? mid : null,
		sdpMLineIndex: typeof index === 'number' && Number.isInteger(index) ? index : null,
	};
}

const lines = (sdp: string) => sdp.split(/\r?\n/);
const isCandidateLine = (line: string) =>
	line.startsWith('a=candidate:') || line === 'a=end-of-candidates';

/** How many `a=candidate` lines an SDP carries (a trickle SDP carries none, or those gathered so far). */
export function countCandidates(sdp: string): number {
	return lines(sdp).filter((line) => line.startsWith('a=candidate:')).length;
}

/**
 * Takes the candidates out of an SDP, for a leg that asked for trickle: the SDP without them (and without
 * `a=end-of-candidates`), and each candidate with its media section's mid and index, in SDP order.
 */
export function splitCandidates(sdp: string): { sdp: string; candidates: TrickleCandidate[] } {
	const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
	const kept: string[] = [];
	const found: Array<{ candidate: string; index: number }> = [];
	const mids: Array<string | null> = [];
	let index = -1;
	for (const line of lines(sdp)) {
		if (line.startsWith('m=')) {
			index += 1;
			mids.push(null);
		} else if (line.startsWith('a=mid:') && index >= 0) {
			mids[index] = line.slice('a=mid:'.length).trim();
		}
		if (line.startsWith('a=candidate:') && index >= 0)
			found.push({ candidate: line.slice('a='.length), index });
		if (!isCandidateLine(line)) kept.push(line);
	}
	return {
		sdp: kept.join(eol),
		candidates: found.map(({ candidate, index: i }) => ({
			candidate,
			sdpMid: mids[i] ?? null,
			sdpMLineIndex: i,
		})),
	};
}

/** The params of the server's `telnyx_rtc.candidate` for one leg. */
export function candidateParams(
	callID: string,
	candidate: TrickleCandidate,
): Record<string, unknown> {
	return {
		callID,
		candidate: candidate.candidate,
		sdpMid: candidate.sdpMid,
		sdpMLineIndex: candidate.sdpMLineIndex,
	};
}
