/** Test my setup's verdicts: each check's measurements → a verdict in words and what to do next. */
import { describe, expect, it } from 'vitest';
import {
	callCheck,
	cameraCheck,
	microphoneCheck,
	networkCheck,
	speakerCheck,
} from '../../../../renderer/src/lib/setup/verdicts';
import { HEALTHY_TEST_CALL } from '../../../fakes/fake-softphone';

describe('microphone', () => {
	it('hears a voice, says "no sound" for silence, and names a device that could not be opened', () => {
		expect(microphoneCheck({ device: 'Headset', peak: 0.2, error: null })).toMatchObject({
			verdict: 'good',
			summary: 'We hear you on Headset.',
			advice: null,
		});
		const silent = microphoneCheck({ device: 'Headset', peak: 0.001, error: null });
		expect(silent).toMatchObject({ verdict: 'poor', summary: 'No sound from Headset.' });
		expect(silent.advice).toMatch(/muted/);
		expect(
			microphoneCheck({ device: 'Headset', peak: null, error: 'another app is using it' }),
		).toMatchObject({
			verdict: 'failed',
			summary: 'The microphone (Headset) could not be opened: another app is using it.',
		});
	});

	it('draws the line at 0.02 RMS', () => {
		expect(microphoneCheck({ device: 'M', peak: 0.0199, error: null }).verdict).toBe('poor');
		expect(microphoneCheck({ device: 'M', peak: 0.02, error: null }).verdict).toBe('good');
	});
});

describe('speaker', () => {
	const played = { speaker: 'Desk', ringer: 'Desk', played: true, fellBack: false, heard: null };
	it('asks whether the tone was heard, then takes the answer', () => {
		expect(speakerCheck(played)).toMatchObject({
			verdict: 'fair',
			summary: 'The test tone played on Desk. Did you hear it?',
		});
		expect(speakerCheck({ ...played, heard: true }).verdict).toBe('good');
		expect(speakerCheck({ ...played, heard: false })).toMatchObject({ verdict: 'poor' });
	});

	it('names both devices, and says when a missing one fell back to the default', () => {
		const both = speakerCheck({ ...played, ringer: 'Loudspeaker', fellBack: true, heard: true });
		expect(both.verdict).toBe('fair');
		expect(both.summary).toContain('Desk (calls) and Loudspeaker (ringing)');
		expect(both.advice).toMatch(/not connected/);
		expect(speakerCheck({ ...played, played: false }).verdict).toBe('failed');
	});
});

describe('camera', () => {
	const reading = {
		device: 'Webcam',
		disabled: false,
		width: 640,
		height: 480,
		frames: 30,
		error: null,
	};
	it('needs frames, not just an open device', () => {
		expect(cameraCheck(reading)).toMatchObject({
			verdict: 'good',
			summary: 'The camera works: Webcam, 640×480.',
		});
		expect(cameraCheck({ ...reading, frames: 0 }).verdict).toBe('poor');
		expect(cameraCheck({ ...reading, error: 'it is not connected' }).verdict).toBe('failed');
		expect(cameraCheck({ ...reading, disabled: true }).verdict).toBe('skipped');
	});
});

describe('network', () => {
	const signalling = { registered: true, roundTripMs: 12, loginMs: 80 };
	const ice = { servers: 3, host: 2, srflx: 1, relay: 1, firstNonHostMs: 35, error: null };

	it('is good with every kind of address and a quick answer, and says the figures', () => {
		const check = networkCheck(signalling, ice);
		expect(check.verdict).toBe('good');
		expect(check.summary).toBe(
			'Telnyx answered in 12 ms (signing in took 80 ms); found 2 local, 1 public (STUN) and 1 relay (TURN) addresses (the first public one after 35 ms).',
		);
		expect(check.figures).toMatchObject({ relayCandidates: 1, firstNonHostMs: 35 });
	});

	it('is good with no STUN/TURN servers configured (a server on this computer), and says so', () => {
		const check = networkCheck(signalling, {
			...ice,
			servers: 0,
			srflx: 0,
			relay: 0,
			firstNonHostMs: null,
		});
		expect(check.verdict).toBe('good');
		expect(check.summary).toMatch(/needs no STUN or TURN servers/);
	});

	it('is poor when the servers were not reached or signalling does not answer; fair without relay or when slow', () => {
		expect(networkCheck(signalling, { ...ice, srflx: 0, relay: 0 }).verdict).toBe('poor');
		expect(networkCheck({ ...signalling, registered: false, roundTripMs: null }, ice).verdict).toBe(
			'poor',
		);
		expect(networkCheck(signalling, { ...ice, relay: 0 }).verdict).toBe('fair');
		expect(networkCheck({ ...signalling, roundTripMs: 900 }, ice).verdict).toBe('fair');
	});
});

describe('test call', () => {
	it('grades the estimated MOS: good, fair, poor', () => {
		expect(callCheck(HEALTHY_TEST_CALL)).toMatchObject({ verdict: 'good' });
		expect(callCheck(HEALTHY_TEST_CALL).figures['mos']).toBeGreaterThanOrEqual(4);
		const lossy = callCheck({ ...HEALTHY_TEST_CALL, packetLossPercent: 12 });
		expect(lossy.verdict).toBe('poor');
		expect(lossy.summary).toMatch(/loss 12\.0 %/);
		expect(callCheck({ ...HEALTHY_TEST_CALL, packetLossPercent: 8 }).verdict).toBe('fair');
	});

	it('is poor when nothing came back or the call did not connect, and says why', () => {
		expect(callCheck({ ...HEALTHY_TEST_CALL, audioReturned: false }).summary).toMatch(
			/no sound came back/,
		);
		const refused = callCheck({
			...HEALTHY_TEST_CALL,
			established: false,
			failure: 'Telnyx refused the caller ID.',
		});
		expect(refused).toMatchObject({
			verdict: 'poor',
			summary: 'The test call did not connect: Telnyx refused the caller ID.',
		});
	});
});
