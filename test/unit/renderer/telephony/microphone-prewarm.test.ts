/**
 * The microphone opened while a call rings: handed to the answer once, stopped when the call cannot be
 * answered any more, and never left open. Capture devices are stand-ins (jsdom has none): streams of tracks
 * that record `stop()`.
 */
import { describe, expect, it } from 'vitest';
import { MicrophonePrewarm } from '../../../../renderer/src/lib/telephony/microphone-prewarm';

class Track {
	readyState: 'live' | 'ended' = 'live';
	constructor(readonly kind: 'audio' | 'video') {}
	stop(): void {
		this.readyState = 'ended';
	}
}

class Stream {
	constructor(readonly tracks: Track[]) {}
	getTracks = () => this.tracks;
	getAudioTracks = () => this.tracks.filter((t) => t.kind === 'audio');
	getVideoTracks = () => this.tracks.filter((t) => t.kind === 'video');
	addTrack = (track: Track) => void this.tracks.push(track);
}

function devices() {
	const opened: { constraints: MediaStreamConstraints; stream: Stream }[] = [];
	const getUserMedia = (constraints: MediaStreamConstraints) => {
		const stream = new Stream([new Track(constraints.video ? 'video' : 'audio')]);
		opened.push({ constraints, stream });
		return Promise.resolve(stream as unknown as MediaStream);
	};
	return { opened, pool: new MicrophonePrewarm(getUserMedia) };
}

const live = (stream: Stream) => stream.tracks.filter((t) => t.readyState === 'live').length;

describe('MicrophonePrewarm', () => {
	it('opens the chosen microphone only, and one answer may claim it', () => {
		const { opened, pool } = devices();
		pool.open('c1', 'mic-2');
		expect(opened.map((o) => o.constraints)).toEqual([
			{ audio: { deviceId: { exact: 'mic-2' } }, video: false },
		]);
		expect(pool.claim('c1')).toBeDefined();
		expect(pool.claim('c1')).toBeUndefined();
		expect(pool.claim('c2')).toBeUndefined();
	});

	it('hands the live microphone to a voice answer and leaves the pool', async () => {
		const { opened, pool } = devices();
		pool.open('c1', null);
		const warm = pool.claim('c1')!;
		const stream = await pool.take('c1', warm, {
			video: false,
			cameraId: null,
			answerable: () => true,
		});
		expect(stream).toBe(opened[0]!.stream);
		expect(pool.has('c1')).toBe(false);
	});

	it('adds the chosen camera for a video answer', async () => {
		const { opened, pool } = devices();
		pool.open('c1', null);
		const warm = pool.claim('c1')!;
		const stream = (await pool.take('c1', warm, {
			video: true,
			cameraId: 'cam-1',
			answerable: () => true,
		})) as unknown as Stream;
		expect(opened[1]!.constraints).toEqual({
			audio: false,
			video: { deviceId: { exact: 'cam-1' } },
		});
		expect(stream.tracks.map((t) => t.kind)).toEqual(['audio', 'video']);
	});

	it('stops everything when the call can no longer be answered once the devices are open', async () => {
		const { opened, pool } = devices();
		pool.open('c1', null);
		const warm = pool.claim('c1')!;
		let answerable = true;
		const taking = pool.take('c1', warm, {
			video: true,
			cameraId: null,
			answerable: () => {
				// Still ringing when the microphone is ready; gone by the time the camera is.
				const now = answerable;
				answerable = false;
				return now;
			},
		});
		expect(await taking).toBe('gone');
		expect(opened.map((o) => live(o.stream))).toEqual([0, 0]);
	});

	it('a dead microphone is not handed over: the SDK opens its own', async () => {
		const { opened, pool } = devices();
		pool.open('c1', null);
		await Promise.resolve();
		opened[0]!.stream.tracks[0]!.readyState = 'ended';
		const warm = pool.claim('c1')!;
		expect(
			await pool.take('c1', warm, { video: false, cameraId: null, answerable: () => true }),
		).toBeNull();
	});

	it('release stops a microphone the SDK did not take, and leaves one it took', async () => {
		const { opened, pool } = devices();
		pool.open('declined', null);
		pool.open('answered', null);
		pool.claim('answered')!.handedOver = true;
		pool.releaseAll();
		await new Promise((resolve) => setTimeout(resolve, 0));
		expect(opened.map((o) => live(o.stream))).toEqual([0, 1]);
		expect(pool.has('declined') || pool.has('answered')).toBe(false);
	});
});
