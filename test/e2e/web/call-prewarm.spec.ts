/**
 * Pre-warm (issue 17, part 3), with the real `@telnyx/webrtc` SDK in Chromium against the sandbox: the
 * callee's microphone opens while the call rings, and that very track is what the answer sends (the SDK is
 * handed the stream, so Answer opens no device); the camera is never opened while ringing (its light would
 * show before the user chose video); and no capture track stays live after a call that is declined,
 * cancelled by the caller or missed (the callee connection's ring timeout).
 */
import { expect, type Page } from '@playwright/test';
import Telnyx from 'telnyx';
import { expectMediaFlowing, sandboxTest } from '../support/fixtures';
import {
	MEDIA_STREAM_SPY,
	PEER_CONNECTION_SPY,
	expectAudioArriving,
	liveCaptureTracks,
	onboard,
} from '../support/softphone-helpers';

const test = sandboxTest({ initScripts: [PEER_CONNECTION_SPY, MEDIA_STREAM_SPY] });

/** Ids of the page's captured tracks of `kind` that are still live (see `MEDIA_STREAM_SPY`). */
async function liveTrackIds(page: Page, kind: 'audio' | 'video'): Promise<string[]> {
	return page.evaluate(
		(wanted) =>
			(window as unknown as { __capturedTracks: MediaStreamTrack[] }).__capturedTracks
				.filter((t) => t.kind === wanted && t.readyState === 'live')
				.map((t) => t.id),
		kind,
	);
}

/** Ids of the tracks the page's peer connections send, by kind. */
async function sentTrackIds(page: Page, kind: 'audio' | 'video'): Promise<string[]> {
	return page.evaluate(
		(wanted) =>
			(window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections
				.filter((pc) => pc.connectionState !== 'closed')
				.flatMap((pc) => pc.getSenders())
				.flatMap((s) => (s.track?.kind === wanted ? [s.track.id] : [])),
		kind,
	);
}

async function pair(launch: Parameters<Parameters<typeof test>[2]>[0]['launch'], apiKey: string) {
	const bob = await launch('Bob desktop');
	await onboard(bob.page, apiKey, { name: 'Bob', number: null });
	const alice = await launch('Alice laptop');
	await onboard(alice.page, apiKey, { name: 'Alice', number: null });
	return { alice, bob };
}

for (const video of [false, true]) {
	test(`a ${video ? 'video' : 'voice'} call: the microphone is live while it rings and is the track sent after Answer`, async ({
		sandbox,
		launch,
	}) => {
		test.setTimeout(90_000);
		const { alice, bob } = await pair(launch, sandbox.apiKey);
		await alice.page
			.getByRole('button', { name: `${video ? 'Video call' : 'Call'} Bob desktop`, exact: true })
			.click();
		const incoming = bob.page.getByRole('alertdialog');
		await expect(incoming).toBeVisible();

		// Ringing: one live microphone track, no camera, nothing sent yet.
		await expect.poll(() => liveTrackIds(bob.page, 'audio')).toHaveLength(1);
		const [warmed] = await liveTrackIds(bob.page, 'audio');
		expect((await liveCaptureTracks(bob.page, 'video')).total).toBe(0);
		expect(await sentTrackIds(bob.page, 'audio')).toEqual([]);
		await expect(incoming).toBeVisible();

		await incoming
			.getByRole('button', { name: video ? 'Answer with video' : 'Answer', exact: true })
			.click();
		await expect(bob.page.getByTestId('call-phase')).toHaveText('In call');
		// What Bob sends reaches Alice (video frames too on a video call).
		if (video) await expectMediaFlowing(alice.page);
		else await expectAudioArriving(alice.page, 'Alice');
		// The answer sent the warmed track, and opened no second microphone.
		expect(await sentTrackIds(bob.page, 'audio')).toEqual([warmed]);
		expect((await liveCaptureTracks(bob.page, 'audio')).total).toBe(1);
		if (video) {
			const cameras = await liveTrackIds(bob.page, 'video');
			expect(cameras).toHaveLength(1);
			expect(await sentTrackIds(bob.page, 'video')).toEqual(cameras);
		}

		await alice.page.getByRole('button', { name: 'Hang up' }).click();
		await expect.poll(async () => (await liveCaptureTracks(bob.page, 'audio')).live).toBe(0);
		await expect.poll(async () => (await liveCaptureTracks(bob.page, 'video')).live).toBe(0);
	});
}

for (const outcome of ['declined', 'cancelled', 'missed'] as const) {
	test(`a call ${outcome} while it rings leaves no capture track live`, async ({
		sandbox,
		launch,
	}) => {
		test.setTimeout(90_000);
		const { alice, bob } = await pair(launch, sandbox.apiKey);
		if (outcome === 'missed') {
			// Every connection of the account rings for 3 s only (the callee's decides; Telnyx's default is 90).
			const rest = new Telnyx({
				apiKey: sandbox.apiKey,
				baseURL: sandbox.restBaseUrl,
				maxRetries: 0,
			});
			const connections = await rest.credentialConnections.list();
			for (const connection of connections.data ?? [])
				await rest.credentialConnections.update(connection.id ?? '', {
					inbound: { timeout_2xx_secs: 3 },
				});
		}
		await alice.page.getByRole('button', { name: 'Video call Bob desktop', exact: true }).click();
		const incoming = bob.page.getByRole('alertdialog');
		await expect(incoming).toBeVisible();
		await expect.poll(() => liveTrackIds(bob.page, 'audio')).toHaveLength(1);

		if (outcome === 'declined') await incoming.getByRole('button', { name: 'Decline' }).click();
		if (outcome === 'cancelled') await alice.page.getByRole('button', { name: 'Hang up' }).click();
		await expect(incoming).toBeHidden({ timeout: 15_000 });

		await expect.poll(async () => (await liveCaptureTracks(bob.page, 'audio')).live).toBe(0);
		expect(await liveCaptureTracks(bob.page, 'audio')).toEqual({ live: 0, total: 1 });
		expect((await liveCaptureTracks(bob.page, 'video')).total).toBe(0);
	});
}
