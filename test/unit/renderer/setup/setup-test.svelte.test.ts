/**
 * Test my setup's runner over the phone's side (scripted): the network and call checks reach their verdicts,
 * one check runs at a time, the speaker's "Did you hear it?" answer changes its verdict, and main gets the
 * whole report after every finished check. (The device probes need real devices: the e2e suite runs them.)
 */
import { describe, expect, it } from 'vitest';
import type { SetupReport } from '../../../../preload/contract';
import { SetupTest } from '../../../../renderer/src/lib/setup/setup-test.svelte';
import { TELNYX_ECHO_NUMBER } from '../../../../renderer/src/lib/setup/verdicts';
import type { TestCallReport } from '../../../../renderer/src/lib/telephony/softphone';
import { FAKE_SETTINGS, fakeBridge } from '../../../fakes/fake-bridge';
import { HEALTHY_TEST_CALL } from '../../../fakes/fake-softphone';

function setup(
	testCall: (destination: string) => Promise<TestCallReport>,
	callInProgress = () => false,
) {
	const reports: SetupReport[] = [];
	const bridge = fakeBridge({
		diagnostics: { saveSetupReport: async (report) => void reports.push(report) },
	});
	const test = new SetupTest({
		bridge,
		settings: () => FAKE_SETTINGS,
		phone: {
			checkSignalling: async () => ({ registered: false, roundTripMs: null, loginMs: null }),
			iceServers: () => [],
			testCall,
		},
		deviceName: (kind) => `the default ${kind}`,
		cameraEnabled: () => false,
		callInProgress,
		now: () => Date.UTC(2026, 11, 7, 18, 0, 0),
	});
	return { test, reports };
}

describe('SetupTest', () => {
	it('calls Telnyx’s echo number and keeps its verdict; main gets the report', async () => {
		const dialled: string[] = [];
		const { test, reports } = setup(async (destination) => {
			dialled.push(destination);
			return { ...HEALTHY_TEST_CALL, packetLossPercent: 20 };
		});
		await test.call();
		expect(dialled).toEqual([TELNYX_ECHO_NUMBER]);
		expect(test.checks.call?.verdict).toBe('poor');
		expect(reports).toHaveLength(1);
		expect(reports[0]).toMatchObject({
			finishedAt: '2026-12-07T18:00:00.000Z',
			checks: [{ id: 'call', verdict: 'poor' }],
		});
	});

	it('places no test call while a call is in progress, and says so', async () => {
		const dialled: string[] = [];
		const { test } = setup(
			async (destination) => (dialled.push(destination), HEALTHY_TEST_CALL),
			() => true,
		);
		await test.call();
		expect(dialled).toEqual([]);
		expect(test.checks.call).toMatchObject({
			verdict: 'skipped',
			summary: 'A call is in progress, so no test call was placed.',
		});
	});

	it('runs one check at a time', async () => {
		let finish: (report: TestCallReport) => void = () => {};
		const { test } = setup(() => new Promise((resolve) => (finish = resolve)));
		const first = test.call();
		expect(test.running).toBe('call');
		expect(test.busy).toBe(true);
		await test.camera(() => null); // refused while the call runs
		expect(test.checks.camera).toBeUndefined();
		finish(HEALTHY_TEST_CALL);
		await first;
		expect(test.running).toBeNull();
		// Video calls are switched off in this setup: the camera is skipped, never opened.
		await test.camera(() => null);
		expect(test.checks.camera?.verdict).toBe('skipped');
	});

	it('reports the network poor when Telnyx does not answer, with every check so far in one report', async () => {
		const { test, reports } = setup(async () => HEALTHY_TEST_CALL);
		await test.call();
		// jsdom has no RTCPeerConnection: gathering fails, and the verdict still says what was found.
		await test.network();
		expect(test.checks.network).toMatchObject({
			verdict: 'poor',
			summary: 'Telnyx did not answer on the signalling connection.',
		});
		expect(reports.at(-1)?.checks.map((check) => check.id)).toEqual(['network', 'call']);
	});
});
