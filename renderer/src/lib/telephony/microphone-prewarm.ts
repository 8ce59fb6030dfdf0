/**
 * Microphones opened while inbound calls ring, so that Answer does not wait for the device (opening one
 * takes tens to hundreds of milliseconds). Only the microphone: a camera light while the phone rings would
 * say the camera is on before the user chose to answer with video, so the camera opens on Answer. No SDK
 * here: the adapter hands the stream to the SDK's answer, and says whether the SDK took it.
 */
import { phaseMark } from '../call/phase-marks';

/**
 * A microphone opened for a ringing call: the answer hands it to the SDK instead of waiting for the device
 * then; a call not answered here stops it. It stays in the pool until the SDK has taken it, so that a call
 * ending while Answer waits for the devices still stops it (`release`).
 */
export interface Warm {
	readonly stream: Promise<MediaStream | null>;
	/** An answer is using it (waits for it, adds the camera): no other answer may. */
	claimed: boolean;
	/** Given to the SDK's answer: the SDK owns it now and stops it when the call ends (its `_finalize`). */
	handedOver: boolean;
}

export function stopStream(stream: MediaStream | null): void {
	for (const track of stream?.getTracks() ?? []) track.stop();
}

/** The SDK's own audio constraints for a chosen microphone (what its getUserMedia would ask for). */
function microphoneConstraints(microphoneId: string | null): MediaTrackConstraints | true {
	return microphoneId === null ? true : { deviceId: { exact: microphoneId } };
}

export class MicrophonePrewarm {
	/** Microphones opened for ringing inbound calls, by call id. */
	readonly #warm = new Map<string, Warm>();
	readonly #getUserMedia: (constraints: MediaStreamConstraints) => Promise<MediaStream>;

	constructor(getUserMedia: (constraints: MediaStreamConstraints) => Promise<MediaStream>) {
		this.#getUserMedia = getUserMedia;
	}

	has(id: string): boolean {
		return this.#warm.has(id);
	}

	/** Opens the chosen microphone for a call (nothing is sent: there is no peer connection yet). */
	open(id: string, microphoneId: string | null): void {
		this.#warm.set(id, {
			stream: this.#getUserMedia({
				audio: microphoneConstraints(microphoneId),
				video: false,
			}).catch(
				// The SDK opens the device itself on Answer, and reports its own error then.
				() => null,
			),
			claimed: false,
			handedOver: false,
		});
	}

	/** The call's warm microphone for an answer, unless there is none or another answer is using it. */
	claim(id: string): Warm | undefined {
		const warm = this.#warm.get(id);
		if (warm === undefined || warm.claimed) return undefined;
		warm.claimed = true;
		return warm;
	}

	/**
	 * The microphone opened while the call rang, with the camera added for a video answer; null when there is
	 * none (or it died): the SDK then opens the devices itself, as without a pre-warm. `'gone'` when the call
	 * can no longer be answered once the devices are open: they are stopped, and nothing is to be answered.
	 * Leaves the pool either way (what happens to the stream is the answer's now).
	 */
	async take(
		id: string,
		warm: Warm,
		{
			video,
			cameraId,
			answerable,
		}: {
			readonly video: boolean;
			readonly cameraId: string | null;
			readonly answerable: () => boolean;
		},
	): Promise<MediaStream | null | 'gone'> {
		const local = await this.#withCamera(warm, video, cameraId, answerable);
		phaseMark('answer-devices-open');
		if (this.#warm.get(id) === warm) this.#warm.delete(id);
		return local;
	}

	async #withCamera(
		warm: Warm,
		video: boolean,
		cameraId: string | null,
		answerable: () => boolean,
	): Promise<MediaStream | null | 'gone'> {
		const stream = await warm.stream;
		phaseMark('microphone-warm');
		if (!answerable()) {
			stopStream(stream);
			return 'gone';
		}
		if (stream === null) return null;
		if (!stream.getAudioTracks().some((track) => track.readyState === 'live')) {
			stopStream(stream);
			return null;
		}
		if (!video) return stream;
		let camera: MediaStream;
		try {
			camera = await this.#getUserMedia({
				audio: false,
				video: cameraId === null ? true : { deviceId: { exact: cameraId } },
			});
		} catch {
			// The SDK asks for both and reports the camera's error itself.
			stopStream(stream);
			return answerable() ? null : 'gone';
		}
		phaseMark('camera-open');
		for (const track of camera.getVideoTracks()) stream.addTrack(track);
		if (answerable()) return stream;
		stopStream(stream);
		stopStream(camera);
		return 'gone';
	}

	/** Stops a ringing call's microphone (declined, cancelled, answered elsewhere, missed), once it is open. */
	release(id: string): void {
		const warm = this.#warm.get(id);
		if (warm === undefined) return;
		this.#warm.delete(id);
		void warm.stream.then((stream) => {
			if (!warm.handedOver) stopStream(stream);
		});
	}

	releaseAll(): void {
		for (const id of [...this.#warm.keys()]) this.release(id);
	}
}
