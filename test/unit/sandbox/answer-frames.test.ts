/**
 * The sandbox's answer modes as schedules: which frames the caller's leg gets, in which order and when, and
 * whether its invite result is withheld (only `stuck-early`, which reproduces team-telnyx/webrtc #754).
 */
import { describe, expect, it } from 'vitest';
import {
	answerFrames,
	defaultAnswerTiming,
	inviteResultAtOnce,
	type AnswerStep,
} from '../../sandbox/signalling/answer-frames';

const input = {
	callID: 'caller-leg',
	sdp: 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n',
	ids: { telnyx_session_id: 's', telnyx_leg_id: 'l', telnyx_call_control_id: 'v3:c' },
};

/** A step as `kind method (sdp?) @ms`, so each schedule reads as one line. */
const describeStep = (step: AnswerStep) =>
	step.kind === 'invite-result'
		? `invite-result @${step.atMs}`
		: `${step.method}${'sdp' in step.params ? ' sdp' : ''} @${step.atMs}`;

describe('answerFrames', () => {
	it('early-media: media with the SDP, then a bare answer right after it', () => {
		const steps = answerFrames('early-media', input);
		expect(steps.map(describeStep)).toEqual(['telnyx_rtc.media sdp @0', 'telnyx_rtc.answer @0']);
		expect(steps[0]).toMatchObject({
			params: { callID: 'caller-leg', sdp: input.sdp, ...input.ids },
		});
		expect(steps[1]).toMatchObject({ params: { callID: 'caller-leg', ...input.ids } });
		expect(inviteResultAtOnce('early-media')).toBe(true);
	});

	it('sdp-answer: one answer carrying the SDP', () => {
		expect(answerFrames('sdp-answer', input).map(describeStep)).toEqual([
			'telnyx_rtc.answer sdp @0',
		]);
		expect(inviteResultAtOnce('sdp-answer')).toBe(true);
	});

	it('stuck-early: media, then the withheld invite result, then a bare answer, each after the SDK settled', () => {
		const { settleMs } = defaultAnswerTiming;
		expect(inviteResultAtOnce('stuck-early')).toBe(false);
		expect(answerFrames('stuck-early', input).map(describeStep)).toEqual([
			'telnyx_rtc.media sdp @0',
			`invite-result @${settleMs}`,
			`telnyx_rtc.answer @${2 * settleMs}`,
		]);
		expect(answerFrames('stuck-early', input, { settleMs: 50 }).map((step) => step.atMs)).toEqual([
			0, 50, 100,
		]);
	});

	it('refuses an unknown mode instead of sending nothing', () => {
		expect(() => answerFrames('later' as never, input)).toThrow(/Unknown answer mode/);
	});
});
