/**
 * What one installation of this app tells another during a call: that it put the call on hold or resumed it,
 * so the far end can say "On hold by the other side". Sent as an SDK in-call message (`call.message`, a
 * `telnyx_rtc.message` frame); it reaches the other side as a `telnyx.notification` of type `event`. A far end
 * that is not this app (a phone, a SIP device) simply ignores it, and messages that are not ours are ignored
 * here.
 */

/** The body's `type` that marks a hold message as this app's. */
export const HOLD_MESSAGE = 'telnyx-softphone:hold';

/** The body of the message sent when this side holds (`true`) or resumes (`false`) the call. */
export function holdMessage(held: boolean): string {
	return JSON.stringify({ type: HOLD_MESSAGE, held });
}

/** What a peer message says about a call: the other side holds it, or no longer does. */
export interface PeerHold {
	readonly callId: string;
	readonly remoteHeld: boolean;
}

/**
 * Reads an SDK `event` notification (`{ callID, msg: { body } }`); null when it is not one of this app's
 * hold messages (another kind of event, a body that is not JSON, another application's message).
 */
export function readPeerMessage(notification: unknown): PeerHold | null {
	if (typeof notification !== 'object' || notification === null) return null;
	const { callID, msg } = notification as { callID?: unknown; msg?: { body?: unknown } };
	if (typeof callID !== 'string' || typeof msg?.body !== 'string') return null;
	let body: unknown;
	try {
		body = JSON.parse(msg.body);
	} catch {
		return null;
	}
	if (typeof body !== 'object' || body === null) return null;
	const { type, held } = body as { type?: unknown; held?: unknown };
	return type === HOLD_MESSAGE ? { callId: callID, remoteHeld: held === true } : null;
}
