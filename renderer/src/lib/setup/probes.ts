/**
 * Test my setup's measurements in the browser: the microphone's level, a test tone on an output device, the
 * camera's frames and ICE candidate gathering. Each releases what it opened (tracks, audio contexts, peer
 * connections) however it ends; the verdicts are `verdicts.ts`'s.
 */
import { MICROPHONE_HEARD_RMS } from './verdicts';

type WithSink = { setSinkId?: (id: string) => Promise<void> };

/** Whether a getUserMedia failure names the device or the permission, in words. */
export function mediaError(error: unknown): string {
	if (error instanceof DOMException) {
		if (error.name === 'NotAllowedError') return 'the app is not allowed to use it';
		if (error.name === 'NotFoundError' || error.name === 'OverconstrainedError')
			return 'it is not connected';
		if (error.name === 'NotReadableError') return 'another app is using it';
		return error.message;
	}
	return String(error);
}

/**
 * Listens to a microphone for up to `durationMs`, reporting the level every 50 ms, and stops early once it
 * hears sound. Raw input: echo cancellation, noise suppression and gain control would hide what the device
 * really gives.
 */
export async function listenToMicrophone(
	deviceId: string | null,
	options: {
		readonly durationMs: number;
		readonly onLevel: (rms: number) => void;
		signal?: AbortSignal;
	},
): Promise<{ peak: number; label: string | null }> {
	const stream = await navigator.mediaDevices.getUserMedia({
		audio: {
			...(deviceId === null ? {} : { deviceId: { exact: deviceId } }),
			echoCancellation: false,
			noiseSuppression: false,
			autoGainControl: false,
		},
		video: false,
	});
	const context = new AudioContext();
	try {
		const analyser = context.createAnalyser();
		analyser.fftSize = 2048;
		context.createMediaStreamSource(stream).connect(analyser);
		const samples = new Float32Array(analyser.fftSize);
		let peak = 0;
		const until = performance.now() + options.durationMs;
		while (performance.now() < until && options.signal?.aborted !== true) {
			await new Promise((resolve) => setTimeout(resolve, 50));
			analyser.getFloatTimeDomainData(samples);
			let sum = 0;
			for (const sample of samples) sum += sample * sample;
			const rms = Math.sqrt(sum / samples.length);
			peak = Math.max(peak, rms);
			options.onLevel(rms);
			// Heard for sure: no need to keep the user waiting.
			if (peak >= MICROPHONE_HEARD_RMS * 2) break;
		}
		return { peak, label: stream.getAudioTracks()[0]?.label || null };
	} finally {
		for (const track of stream.getTracks()) track.stop();
		await context.close().catch(() => undefined);
	}
}

/**
 * Plays a one-second 440 Hz tone on an output device (null: the default) and measures what the audio graph
 * rendered, so "played" means sound really left the app for that device. A chosen device that is gone falls
 * back to the default output, and says so.
 */
export async function playTestTone(
	deviceId: string | null,
): Promise<{ played: boolean; fellBack: boolean }> {
	const context = new AudioContext();
	try {
		let fellBack = false;
		const sink = context as AudioContext & WithSink;
		if (deviceId !== null && sink.setSinkId !== undefined) {
			await sink.setSinkId(deviceId).catch(() => {
				fellBack = true;
			});
		}
		if (context.state === 'suspended') await context.resume();
		const gain = context.createGain();
		gain.gain.value = 0.1;
		const analyser = context.createAnalyser();
		gain.connect(analyser);
		analyser.connect(context.destination);
		const oscillator = context.createOscillator();
		oscillator.frequency.value = 440;
		oscillator.connect(gain);
		oscillator.start();
		const samples = new Float32Array(analyser.fftSize);
		let energy = 0;
		for (let i = 0; i < 10; i += 1) {
			await new Promise((resolve) => setTimeout(resolve, 100));
			analyser.getFloatTimeDomainData(samples);
			for (const sample of samples) energy += sample * sample;
		}
		oscillator.stop();
		return { played: energy > 0, fellBack };
	} finally {
		await context.close().catch(() => undefined);
	}
}

/**
 * Counts the frames a video element presents over `durationMs` (the camera preview): frames, not a
 * "playing" state, are what says a camera works.
 */
export async function countFrames(video: HTMLVideoElement, durationMs: number): Promise<number> {
	let frames = 0;
	const until = performance.now() + durationMs;
	if (typeof video.requestVideoFrameCallback === 'function') {
		await new Promise<void>((resolve) => {
			const timer = setTimeout(resolve, durationMs);
			const next = () => {
				if (performance.now() >= until) {
					clearTimeout(timer);
					resolve();
					return;
				}
				video.requestVideoFrameCallback(() => {
					frames += 1;
					next();
				});
			};
			next();
		});
		return frames;
	}
	await new Promise((resolve) => setTimeout(resolve, durationMs));
	return video.getVideoPlaybackQuality().totalVideoFrames;
}

/**
 * Gathers ICE candidates with the servers calls use, as a call's peer connection would, and counts them by
 * type, timing the first one that is not a host candidate (the STUN or TURN server answered).
 */
export async function gatherCandidates(
	iceServers: readonly RTCIceServer[],
	timeoutMs = 5_000,
): Promise<{ host: number; srflx: number; relay: number; firstNonHostMs: number | null }> {
	const pc = new RTCPeerConnection({ iceServers: [...iceServers] });
	const counts = { host: 0, srflx: 0, relay: 0, firstNonHostMs: null as number | null };
	const started = performance.now();
	try {
		pc.createDataChannel('setup-test');
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(resolve, timeoutMs);
			pc.onicecandidate = ({ candidate }) => {
				if (candidate === null || candidate.candidate === '') {
					clearTimeout(timer);
					resolve();
					return;
				}
				const type = candidate.type ?? /typ (\w+)/.exec(candidate.candidate)?.[1];
				if (type === 'host') counts.host += 1;
				else if (type === 'srflx' || type === 'prflx') counts.srflx += 1;
				else if (type === 'relay') counts.relay += 1;
				if (type !== 'host' && counts.firstNonHostMs === null)
					counts.firstNonHostMs = Math.round(performance.now() - started);
			};
			pc.createOffer()
				.then((offer) => pc.setLocalDescription(offer))
				.catch((error: unknown) => {
					clearTimeout(timer);
					reject(error instanceof Error ? error : new Error(String(error)));
				});
		});
		return counts;
	} finally {
		pc.close();
	}
}
