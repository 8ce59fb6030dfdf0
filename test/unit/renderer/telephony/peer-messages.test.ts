/** The hold messages two installations exchange during a call, as the SDK delivers them (`event`). */
import { describe, expect, it } from 'vitest';
import { holdMessage, readPeerMessage } from '../../../../renderer/src/lib/telephony/peer-messages';

/** A `telnyx.notification` of type `event`, as the SDK hands an in-call message to the receiver. */
const event = (body: unknown, callID: unknown = 'call-1') => ({
	type: 'event',
	callID,
	msg: { body },
});

describe('peer messages', () => {
	it.each([true, false])(
		'a hold message (held: %s) sent by one side reads the same on the other',
		(held) => {
			expect(readPeerMessage(event(holdMessage(held)))).toEqual({
				callId: 'call-1',
				remoteHeld: held,
			});
		},
	);

	it.each([
		['another application’s message', event(JSON.stringify({ type: 'chat', held: true }))],
		['a body that is not JSON', event('hold please')],
		['a JSON body that is not an object', event('true')],
		['no body', { type: 'event', callID: 'call-1', msg: {} }],
		['no call id', { type: 'event', msg: { body: holdMessage(true) } }],
		['not an object', null],
	])('ignores %s', (_name, notification) => {
		expect(readPeerMessage(notification)).toBeNull();
	});
});
