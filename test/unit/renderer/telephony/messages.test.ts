import { describe, expect, it } from 'vitest';
import {
	endReason,
	errorMessage,
	isQualityWarning,
	localFailure,
	warningMessage,
} from '../../../../renderer/src/lib/telephony/messages';
import type { EndReason } from '../../../../renderer/src/lib/telephony/softphone';
import type { Call } from '@telnyx/webrtc';
import { estimateMos } from '../../../../renderer/src/lib/quality/call-stats';
import {
	defaultIceServers,
	iceServersFor,
	describeCall,
} from '../../../../renderer/src/lib/telephony/telnyx-softphone';

/** A sentence: starts with a capital, ends with a full stop, and is more than a word or two. */
const SENTENCE = /^[A-Z][^]{12,}[.!]$/u;

/** `@telnyx/webrtc` error codes a user can meet. */
const SDK_ERRORS = [
	40001, 40002, 40003, 40004, 40005, 42001, 42002, 42003, 44001, 44002, 44003, 45001, 45002, 45003,
	45004, 46001, 46002, 46003, 47001, 48001, 48501, 49001,
];
const SDK_WARNINGS = [
	31001, 31002, 31003, 31004, 31005, 31006, 33001, 33004, 33007, 34001, 36003, 36004,
];

describe('errorMessage', () => {
	it.each(SDK_ERRORS)('has its own sentence for SDK error %i', (code) => {
		const message = errorMessage(code);
		expect(message).toMatch(SENTENCE);
		expect(message).not.toContain(String(code));
	});

	it('gives every code a different sentence', () => {
		expect(new Set(SDK_ERRORS.map(errorMessage)).size).toBe(SDK_ERRORS.length);
	});

	it('says what to do about the errors a user can fix', () => {
		expect(errorMessage(42001)).toMatch(/system settings/);
		expect(errorMessage(42002)).toMatch(/Settings → Devices/);
		expect(errorMessage(45003)).toMatch(/Reconnect/);
	});

	it('names an unknown code in a generic sentence', () => {
		expect(errorMessage(12345)).toBe('Something went wrong (code 12345). Try again.');
	});
});

describe('warningMessage', () => {
	it.each(SDK_WARNINGS)('has a sentence for SDK warning %i', (code) => {
		expect(warningMessage(code)).toMatch(SENTENCE);
	});

	it('stays silent about warnings the user cannot act on', () => {
		expect(warningMessage(32001)).toBeNull();
		expect(warningMessage(0)).toBeNull();
	});

	it('marks only the four call-quality warnings as quality warnings', () => {
		expect(SDK_WARNINGS.filter(isQualityWarning)).toEqual([31001, 31002, 31003, 31004]);
	});
});

describe('endReason', () => {
	type Input = Parameters<typeof endReason>[0];
	const base: Input = {
		cause: null,
		sipCode: null,
		sipReason: null,
		direction: 'outbound',
		wasAnswered: false,
		hungUpLocally: false,
	};
	const end = (input: Partial<Input>): EndReason => endReason({ ...base, ...input });
	const rejected = (sipReason: string): EndReason =>
		end({ cause: 'CALL_REJECTED', sipCode: 403, sipReason });

	it('carries the cause and SIP code through', () => {
		expect(end({ cause: 'USER_BUSY', sipCode: 486, sipReason: 'Busy Here' })).toEqual({
			kind: 'busy',
			message: 'Busy: the other side declined or is on another call.',
			cause: 'USER_BUSY',
			sipCode: 486,
		});
	});

	describe('local hangups', () => {
		it.each<[Partial<Input>, EndReason['kind'], string]>([
			[{ wasAnswered: true, direction: 'outbound' }, 'hangup-local', 'You hung up.'],
			[{ wasAnswered: true, direction: 'inbound' }, 'hangup-local', 'You hung up.'],
			[{ wasAnswered: false, direction: 'inbound' }, 'declined', 'You declined the call.'],
			[{ wasAnswered: false, direction: 'outbound' }, 'cancelled', 'You cancelled the call.'],
		])('%j → %s', (input, kind, message) => {
			// Whatever the far end's bye said afterwards, the user ended it.
			expect(
				end({ ...input, hungUpLocally: true, cause: 'USER_BUSY', sipCode: 486 }),
			).toMatchObject({ kind, message });
		});
	});

	it('NORMAL_CLEARING: the other side hung up, or the call ended before an answer', () => {
		const clearing = { cause: 'NORMAL_CLEARING', sipCode: 200, sipReason: 'OK' } as const;
		expect(end({ ...clearing, wasAnswered: true })).toMatchObject({
			kind: 'hangup-remote',
			message: 'The other side hung up.',
		});
		expect(end({ ...clearing, wasAnswered: false })).toMatchObject({
			kind: 'failed',
			message: 'The call ended before it was answered.',
		});
	});

	it('USER_BUSY: busy for the caller, the caller gave up for the callee', () => {
		const busy = { cause: 'USER_BUSY', sipCode: 486, sipReason: 'Busy Here' } as const;
		expect(end({ ...busy, direction: 'outbound' })).toMatchObject({ kind: 'busy' });
		expect(end({ ...busy, direction: 'outbound' }).message).toMatch(/^Busy/);
		expect(end({ ...busy, direction: 'inbound' })).toMatchObject({
			kind: 'cancelled',
			message: 'The caller hung up.',
		});
	});

	it('CALL_REJECTED 603 is a decline; 403 is a refusal by Telnyx', () => {
		expect(end({ cause: 'CALL_REJECTED', sipCode: 603, sipReason: 'Decline' })).toMatchObject({
			kind: 'declined',
			message: 'The other side declined the call.',
		});
		expect(end({ cause: 'CALL_REJECTED', sipCode: 403, sipReason: 'Forbidden' })).toMatchObject({
			kind: 'rejected',
			message: 'Telnyx refused the call.',
		});
		// Only 603 is the other side's decline.
		expect(end({ cause: 'CALL_REJECTED', sipCode: null })).toMatchObject({ kind: 'rejected' });
		expect(end({ cause: 'CALL_REJECTED', sipCode: 488 })).toMatchObject({ kind: 'rejected' });
	});

	it('CALL_REJECTED 403 D13: the country is not allowed by the outbound voice profile', () => {
		const reason = rejected(
			'Dialed number +4930901820 (pertinent countries: DE) is not included in whitelisted countries: US,CA D13',
		);
		expect(reason.kind).toBe('rejected');
		expect(reason.message).toMatch(/^Calls to that country are not allowed/);
		expect(reason.message).toMatch(/Settings → Account/);
	});

	it('CALL_REJECTED 403 D30/D31: the installation does not take calls from this account', () => {
		for (const reason of [
			rejected('Invalid SIP URI calling preference D30'),
			rejected('Something D31'),
		]) {
			expect(reason).toMatchObject({
				kind: 'rejected',
				message: 'That installation does not accept calls from this account.',
			});
		}
	});

	it('CALL_REJECTED 403 D38/D7: no outbound voice profile', () => {
		for (const reason of [
			rejected('Connection has no Outbound Profile assigned D38'),
			rejected('No profile D7'),
		]) {
			expect(reason.kind).toBe('rejected');
			expect(reason.message).toMatch(/no outbound voice profile/);
		}
	});

	it('CALL_REJECTED 403 D15: the outbound voice profile is disabled', () => {
		expect(rejected('Outbound Profile is disabled D15')).toMatchObject({
			kind: 'rejected',
			message: 'Your outbound voice profile is disabled. Enable it in the Telnyx portal.',
		});
	});

	it('does not mistake longer or undocumented D-codes for the known ones', () => {
		expect(rejected('Code D130').message).toBe('Telnyx refused the call.');
		expect(rejected('Code D150').message).toBe('Telnyx refused the call.');
		expect(rejected('Code D99').message).toBe('Telnyx refused the call.');
		// Only the code that ends the phrase counts.
		expect(rejected('D35 is mentioned but not last').message).toBe('Telnyx refused the call.');
	});

	it('CALL_REJECTED 403 D35: no usable caller ID number, with where to choose one', () => {
		const reason = rejected('Caller Origination Number is Invalid D35');
		expect(reason.kind).toBe('rejected');
		expect(reason.message).toMatch(/caller ID number/);
		expect(reason.message).toMatch(/Choose one of your numbers in Settings → Caller ID\.$/);
	});

	it('CALL_REJECTED 403 D36: a caller ID number that is not the account’s', () => {
		const reason = rejected('Caller Origination Number is not on this account D36');
		expect(reason.kind).toBe('rejected');
		expect(reason.message).toMatch(/not one of your account’s numbers/);
		expect(reason.message).toMatch(/Settings → Caller ID/);
		expect(reason.message).not.toBe(rejected('Caller Origination Number is Invalid D35').message);
	});

	/** Every D-code developers.telnyx.com "SIP Response Codes" lists, with what the user can do. */
	it.each<[string, number, EndReason['kind'], RegExp]>([
		['D1', 403, 'rejected', /simultaneous outbound calls.*Telnyx support/],
		['D2', 403, 'rejected', /outbound voice profile’s limit of simultaneous calls/],
		['D3', 403, 'rejected', /connection’s limit of simultaneous calls/],
		['D10', 403, 'rejected', /Contact Telnyx support/],
		['D11', 403, 'rejected', /Check the number/],
		['D12', 403, 'rejected', /service plan/],
		['D14', 403, 'rejected', /Check them in the Telnyx portal/],
		['D16', 403, 'rejected', /connection is disabled\. Enable it/],
		['D17', 403, 'rejected', /account cannot make calls/],
		['D18', 404, 'not-found', /disabled, so it cannot take calls/],
		['D19', 404, 'rejected', /blocked for billing.*payment method/],
		['D21', 480, 'unavailable', /no destination set/],
		['D22', 403, 'rejected', /channel limit/],
		['D24', 403, 'rejected', /costs more per minute/],
		['D25', 403, 'rejected', /Set up the account again/],
		['D29', 403, 'rejected', /Set up the account again/],
		['D35', 403, 'rejected', /caller ID number/],
		['D36', 403, 'rejected', /caller ID number/],
		['D40', 404, 'not-found', /no route to that number/],
		['RG1', 480, 'unavailable', /offline/],
	])('%s (SIP %i) has a sentence of its own → %s', (code, sipCode, kind, message) => {
		const reason = end({ cause: 'CALL_REJECTED', sipCode, sipReason: `Telnyx says no ${code}` });
		expect(reason.kind).toBe(kind);
		expect(reason.message).toMatch(message);
		expect(reason.message).toMatch(SENTENCE);
		expect(reason.message).not.toBe('Telnyx refused the call.');
	});

	it.each<[string, number, string, EndReason['kind'], RegExp]>([
		['ORIGINATOR_CANCEL', 487, 'Request Terminated', 'cancelled', /^The caller hung up before/],
		['UNALLOCATED_NUMBER', 404, 'Not Found', 'not-found', /^Not found/],
		['NO_ROUTE_DESTINATION', 404, 'Not Found', 'not-found', /^Not found/],
		['USER_NOT_REGISTERED', 480, 'User not registered RG1', 'unavailable', /offline/],
		['NO_ANSWER', 480, 'Temporarily Unavailable', 'no-answer', /^No answer\.$/],
		['NO_USER_RESPONSE', 408, 'Request Timeout', 'no-answer', /^No answer\.$/],
		['ALLOTTED_TIMEOUT', 408, 'Request Timeout', 'no-answer', /^No answer\.$/],
		['NORMAL_TEMPORARY_FAILURE', 503, 'Service Unavailable', 'network', /network went away/],
		['NETWORK_OUT_OF_ORDER', 503, 'Service Unavailable', 'network', /network went away/],
		['DESTINATION_OUT_OF_ORDER', 502, 'Bad Gateway', 'network', /network went away/],
		['PURGE', 500, 'Internal', 'network', /connection to Telnyx went away/],
		['LOSE_RACE', 500, 'Internal', 'network', /connection to Telnyx went away/],
		['NO_ROUTE_TRANSIT_NET', 404, 'Not Found', 'not-found', /no route/],
		['INVALID_NUMBER_FORMAT', 484, 'Address Incomplete', 'not-found', /country code/],
		['NUMBER_CHANGED', 410, 'Gone', 'not-found', /no longer in service/],
		['REDIRECTION_TO_NEW_DESTINATION', 410, 'Gone', 'not-found', /no longer in service/],
		['SUBSCRIBER_ABSENT', 480, 'Temporarily Unavailable', 'unavailable', /switched off/],
		['NORMAL_CIRCUIT_CONGESTION', 503, 'Service Unavailable', 'failed', /Try again in a few/],
		['SWITCH_CONGESTION', 503, 'Service Unavailable', 'failed', /Try again in a few/],
		['CHANNEL_UNACCEPTABLE', 480, 'Temporarily Unavailable', 'failed', /congested/],
		['EXCHANGE_ROUTING_ERROR', 483, 'Too Many Hops', 'failed', /congested/],
		['INCOMPATIBLE_DESTINATION', 488, 'Not Acceptable Here', 'failed', /audio call/],
		['BEARERCAPABILITY_NOTAUTH', 488, 'Not Acceptable Here', 'failed', /audio call/],
		['OUTGOING_CALL_BARRED', 403, 'Forbidden', 'rejected', /outbound voice profile/],
		['INCOMING_CALL_BARRED', 403, 'Forbidden', 'rejected', /does not accept calls/],
		['MEDIA_TIMEOUT', 408, 'Request Timeout', 'network', /internet connection/],
		['RECOVERY_ON_TIMER_EXPIRE', 408, 'Request Timeout', 'no-answer', /did not respond/],
		['MANAGER_REQUEST', 200, 'OK', 'failed', /Telnyx ended the call/],
		['SYSTEM_SHUTDOWN', 503, 'Service Unavailable', 'failed', /Telnyx ended the call/],
		['FACILITY_REJECTED', 501, 'Not Implemented', 'failed', /could not complete/],
		['SERVICE_UNAVAILABLE', 503, 'Service Unavailable', 'failed', /could not complete/],
		['NORMAL_UNSPECIFIED', 480, 'Temporarily Unavailable', 'failed', /could not complete/],
	])('%s (SIP %i %s) → %s', (cause, sipCode, sipReason, kind, message) => {
		const reason = end({ cause, sipCode, sipReason });
		expect(reason.kind).toBe(kind);
		expect(reason.message).toMatch(message);
		expect(reason.message).toMatch(/^[A-Z].+\.$/u);
	});

	it.each<[number | null, EndReason['kind'], string]>([
		[486, 'busy', 'Busy.'],
		[404, 'not-found', 'Not found.'],
		[480, 'unavailable', 'Not reachable right now.'],
		[403, 'rejected', 'Telnyx refused the call.'],
		[600, 'busy', 'Busy.'],
		[604, 'not-found', 'Not found.'],
		[410, 'not-found', 'That number is no longer in service.'],
		[484, 'not-found', 'That number is incomplete. Check it and try again.'],
		[408, 'no-answer', 'No answer.'],
		[603, 'declined', 'The other side declined the call.'],
		[
			401,
			'rejected',
			'Telnyx did not accept this computer’s sign-in for the call. If it keeps happening, set up the account again.',
		],
		[
			407,
			'rejected',
			'Telnyx did not accept this computer’s sign-in for the call. If it keeps happening, set up the account again.',
		],
		[402, 'rejected', 'Your Telnyx balance is too low to call. Add funds in the Telnyx portal.'],
		[
			488,
			'failed',
			'The other side cannot take this kind of call. Try an audio call instead of video.',
		],
		[
			606,
			'failed',
			'The other side cannot take this kind of call. Try an audio call instead of video.',
		],
		[500, 'failed', 'Telnyx could not complete the call right now. Try again in a moment.'],
		[503, 'failed', 'Telnyx could not complete the call right now. Try again in a moment.'],
		[499, 'failed', 'The call ended.'],
		[null, 'failed', 'The call ended.'],
	])('an unknown cause falls back on SIP %s → %s', (sipCode, kind, message) => {
		expect(end({ cause: 'SOMETHING_NEW', sipCode })).toMatchObject({ kind, message });
		expect(end({ cause: null, sipCode })).toMatchObject({ kind, message });
	});
});

describe('localFailure', () => {
	it('48501: the call was lost with the connection', () => {
		expect(localFailure(48501)).toEqual({
			kind: 'network',
			message: errorMessage(48501),
			cause: null,
			sipCode: null,
		});
		expect(localFailure(45003).kind).toBe('network');
	});

	it('46001 / 46003: the sign-in expired, and the app signs in again', () => {
		for (const code of [46001, 46003]) {
			expect(localFailure(code)).toEqual({
				kind: 'token',
				message: 'The sign-in to Telnyx expired. The app is signing in again.',
				cause: null,
				sipCode: null,
			});
		}
	});

	it('42xxx: a media (microphone or camera) failure, with what to do', () => {
		expect(localFailure(42001)).toMatchObject({ kind: 'media', message: errorMessage(42001) });
		expect(localFailure(42001).message).toMatch(/microphone is blocked/);
		expect(localFailure(42002).kind).toBe('media');
	});

	it('anything else is a plain failure in words', () => {
		expect(localFailure(40001)).toMatchObject({ kind: 'failed', message: errorMessage(40001) });
		expect(localFailure(99999).message).toMatch(SENTENCE);
	});
});

describe('estimateMos', () => {
	it('is about 4.4 on a perfect line and 1 on a hopeless one', () => {
		expect(estimateMos(0, 0, 0)).toBeGreaterThanOrEqual(4.3);
		expect(estimateMos(0, 0, 0)).toBeLessThanOrEqual(4.5);
		expect(estimateMos(2000, 300, 50)).toBe(1);
		expect(estimateMos(0, 0, 100)).toBe(1);
	});

	it('stays within 1–4.5, rounded to hundredths', () => {
		for (const rtt of [0, 10, 50, 150, 300, 600, 1200, 5000]) {
			for (const jitter of [0, 5, 20, 80, 400]) {
				for (const loss of [0, 0.5, 1, 3, 10, 30, 100]) {
					const mos = estimateMos(rtt, jitter, loss);
					expect(mos).toBeGreaterThanOrEqual(1);
					expect(mos).toBeLessThanOrEqual(4.5);
					expect(Math.round(mos * 100) / 100).toBe(mos);
				}
			}
		}
	});

	it('never gets better with more loss, delay or jitter, and gets worse somewhere', () => {
		const losses = [0, 0.5, 1, 2, 3, 5, 8, 13, 21, 34, 55, 100];
		const delays = [0, 20, 50, 100, 150, 200, 250, 300, 400, 600, 1000, 3000];
		for (const rtt of delays) {
			const byLoss = losses.map((loss) => estimateMos(rtt, 10, loss));
			for (let i = 1; i < byLoss.length; i += 1)
				expect(byLoss[i], `rtt ${rtt}`).toBeLessThanOrEqual(byLoss[i - 1]!);
		}
		for (const loss of losses) {
			const byRtt = delays.map((rtt) => estimateMos(rtt, 10, loss));
			const byJitter = delays.map((jitter) => estimateMos(50, jitter, loss));
			for (let i = 1; i < delays.length; i += 1) {
				expect(byRtt[i], `loss ${loss}`).toBeLessThanOrEqual(byRtt[i - 1]!);
				expect(byJitter[i], `loss ${loss}`).toBeLessThanOrEqual(byJitter[i - 1]!);
			}
		}
		expect(estimateMos(50, 10, 5)).toBeLessThan(estimateMos(50, 10, 0));
		expect(estimateMos(600, 10, 0)).toBeLessThan(estimateMos(50, 10, 0));
		expect(estimateMos(50, 100, 0)).toBeLessThan(estimateMos(50, 10, 0));
	});
});

describe('iceServersFor', () => {
	it('uses the servers main gives, copied, and falls back to defaultIceServers without any', () => {
		const given = [
			{ urls: ['turn:127.0.0.1:3478?transport=udp'], username: 'u', credential: 'p' },
			{ urls: 'stun:127.0.0.1:3478' },
		] as const;
		const servers = iceServersFor(given, 'ws://127.0.0.1:14001');
		expect(servers).toEqual(given);
		expect(servers?.[0]?.urls).not.toBe(given[0].urls);
		expect(iceServersFor([], 'wss://rtc.telnyx.com')).toEqual([]);
		expect(iceServersFor(undefined, 'ws://127.0.0.1:14001')).toEqual([]);
		expect(iceServersFor(undefined, 'wss://rtc.telnyx.com')).toBeUndefined();
	});
});

describe('defaultIceServers', () => {
	it.each(['wss://127.0.0.1:9000', 'ws://localhost:4000/rtc', 'wss://[::1]:443', 'ws://LOCALHOST'])(
		'uses no ICE servers for the loopback sandbox at %s',
		(url) => {
			expect(defaultIceServers(url)).toEqual([]);
		},
	);

	it.each([
		'wss://rtc.telnyx.com',
		'wss://rtcdev.telnyx.com:443',
		'wss://127.0.0.2',
		'wss://localhost.example.com',
		'not a url',
		'',
	])('leaves the SDK’s ICE servers for %j', (url) => {
		expect(defaultIceServers(url)).toBeUndefined();
	});
});

describe('describeCall', () => {
	/** The parts of an SDK call that `describeCall` reads. */
	const sdkCall = (direction: string, options: Record<string, unknown>): Call =>
		({ id: 'c1', direction, options }) as unknown as Call;

	it('reads an inbound caller and an outbound destination', () => {
		expect(
			describeCall(
				sdkCall('inbound', { remoteCallerNumber: '+14155552671', remoteCallerName: 'Grace' }),
			),
		).toEqual({
			id: 'c1',
			direction: 'inbound',
			remote: '+14155552671',
			remoteName: 'Grace',
			video: false,
			telnyxIds: { callControlId: null, sessionId: null, legId: null },
		});
		expect(
			describeCall(
				sdkCall('outbound', { destinationNumber: 'sip:a@example.com', remoteCallerName: 'x' }),
			),
		).toMatchObject({ direction: 'outbound', remote: 'sip:a@example.com', remoteName: '' });
	});

	it('clips a long name and address to what main keeps (128 and 256 characters)', () => {
		const call = describeCall(
			sdkCall('inbound', {
				remoteCallerNumber: `sip:${'u'.repeat(400)}@example.com`,
				remoteCallerName: 'N'.repeat(200),
			}),
		);
		expect(call.remoteName).toBe('N'.repeat(128));
		expect(call.remote).toBe(`sip:${'u'.repeat(252)}`);
		const outbound = describeCall(sdkCall('outbound', { destinationNumber: '1'.repeat(300) }));
		expect(outbound.remote).toBe('1'.repeat(256));
	});
});
