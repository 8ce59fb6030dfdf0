/**
 * Test my setup as a runes class: runs each check (alone or all in turn), keeps its verdict, and hands main
 * the report after every finished check (for the support bundle). It never touches a call in progress and
 * never blocks calling: the test call is the SDK's own short call, kept out of the call list.
 */
import type { SetupCheck, SetupCheckId, SetupReport, Settings } from '../../../../preload/contract';
import type { Bridge } from '../bridge';
import type { SignallingCheck, TestCallReport } from '../telephony/softphone';
import {
	countFrames,
	gatherCandidates,
	listenToMicrophone,
	mediaError,
	playTestTone,
} from './probes';
import {
	TELNYX_ECHO_NUMBER,
	callCheck,
	cameraCheck,
	microphoneCheck,
	networkCheck,
	speakerCheck,
	type SpeakerReading,
} from './verdicts';

/** How long each check listens or measures. */
export const SETUP_TIMINGS = { microphoneMs: 5_000, cameraMs: 3_000, callMs: 5_000 } as const;

export interface SetupTestDeps {
	readonly bridge: Pick<Bridge, 'diagnostics'>;
	readonly settings: () => Settings | null;
	/** The phone's side (see `CallStore.diagnostics`). */
	readonly phone: {
		checkSignalling(): Promise<SignallingCheck>;
		iceServers(): readonly RTCIceServer[];
		testCall(destination: string, durationMs: number): Promise<TestCallReport>;
	};
	/** A device's name for the verdicts ("Default microphone" when none is chosen). */
	readonly deviceName: (kind: 'microphone' | 'camera' | 'speaker', id: string | null) => string;
	readonly cameraEnabled: () => boolean;
	/** A call is in progress: the test call would share its microphone and network, and measure neither. */
	readonly callInProgress: () => boolean;
	/** The clock (ms since the epoch) the report's time is read from. */
	readonly now?: () => number;
}

export const SETUP_CHECKS: readonly { readonly id: SetupCheckId; readonly title: string }[] = [
	{ id: 'microphone', title: 'Microphone' },
	{ id: 'speaker', title: 'Speaker and ringer' },
	{ id: 'camera', title: 'Camera' },
	{ id: 'network', title: 'Network' },
	{ id: 'call', title: 'Call quality' },
];

export class SetupTest {
	checks = $state.raw<Partial<Record<SetupCheckId, SetupCheck>>>({});
	running = $state<SetupCheckId | null>(null);
	/** The microphone's level (RMS, 0–1) while it is listened to. */
	level = $state(0);
	/** The camera preview's stream while the camera check runs. */
	preview = $state.raw<MediaStream | null>(null);
	readonly #deps: SetupTestDeps;
	#speaker: SpeakerReading | null = null;

	constructor(deps: SetupTestDeps) {
		this.#deps = deps;
	}

	get busy(): boolean {
		return this.running !== null;
	}

	/** Every check in turn (the camera's preview plays in `video`). */
	runAll = async (video: () => HTMLVideoElement | null): Promise<void> => {
		await this.microphone();
		await this.speaker();
		await this.camera(video);
		await this.network();
		await this.call();
	};

	microphone = (): Promise<void> =>
		this.#run('microphone', async () => {
			const id = this.#devices()?.microphoneId ?? null;
			let device = this.#deps.deviceName('microphone', id);
			try {
				const { peak, label } = await listenToMicrophone(id, {
					durationMs: SETUP_TIMINGS.microphoneMs,
					onLevel: (rms) => (this.level = rms),
				});
				if (id === null && label !== null) device = label;
				return microphoneCheck({ device, peak, error: null });
			} catch (error) {
				return microphoneCheck({ device, peak: null, error: mediaError(error) });
			} finally {
				this.level = 0;
			}
		});

	/** Plays the tone on the call speaker, then on the ringer if it is another device; asks if it was heard. */
	speaker = (): Promise<void> =>
		this.#run('speaker', async () => {
			const devices = this.#devices();
			const speakerId = devices?.speakerId ?? null;
			const ringerId = devices?.ringerId ?? null;
			const first = await playTestTone(speakerId).catch(() => ({ played: false, fellBack: false }));
			const second =
				ringerId === speakerId
					? first
					: await playTestTone(ringerId).catch(() => ({ played: false, fellBack: false }));
			this.#speaker = {
				speaker: this.#deps.deviceName('speaker', speakerId),
				ringer: this.#deps.deviceName('speaker', ringerId),
				played: first.played && second.played,
				fellBack: first.fellBack || second.fellBack,
				heard: null,
			};
			return speakerCheck(this.#speaker);
		});

	/** The user's answer to "Did you hear it?". */
	heard = (heard: boolean): void => {
		if (this.#speaker === null) return;
		this.#speaker = { ...this.#speaker, heard };
		this.#record(speakerCheck(this.#speaker));
	};

	camera = (video: () => HTMLVideoElement | null): Promise<void> =>
		this.#run('camera', async () => {
			const id = this.#devices()?.cameraId ?? null;
			const device = this.#deps.deviceName('camera', id);
			const reading = { device, disabled: false, width: 0, height: 0, frames: 0, error: null };
			if (!this.#deps.cameraEnabled()) return cameraCheck({ ...reading, disabled: true });
			let stream: MediaStream;
			try {
				stream = await navigator.mediaDevices.getUserMedia({
					video: id === null ? true : { deviceId: { exact: id } },
					audio: false,
				});
			} catch (error) {
				return cameraCheck({ ...reading, error: mediaError(error) });
			}
			try {
				this.preview = stream;
				// The view mounts the preview element once `preview` is set.
				await new Promise((resolve) => setTimeout(resolve, 50));
				const element = video();
				if (element === null) return cameraCheck({ ...reading, error: 'the preview was closed' });
				const frames = await countFrames(element, SETUP_TIMINGS.cameraMs);
				const label = stream.getVideoTracks()[0]?.label;
				return cameraCheck({
					...reading,
					device: id === null && label ? label : device,
					width: element.videoWidth,
					height: element.videoHeight,
					frames,
				});
			} finally {
				// The live preview lasts as long as the check: the camera is released and its light goes off.
				for (const track of stream.getTracks()) track.stop();
				this.preview = null;
			}
		});

	network = (): Promise<void> =>
		this.#run('network', async () => {
			const signalling = await this.#deps.phone.checkSignalling();
			const servers = this.#deps.phone.iceServers();
			try {
				const gathered = await gatherCandidates(servers);
				return networkCheck(signalling, { servers: servers.length, ...gathered, error: null });
			} catch (error) {
				return networkCheck(signalling, {
					servers: servers.length,
					host: 0,
					srflx: 0,
					relay: 0,
					firstNonHostMs: null,
					error: String(error),
				});
			}
		});

	call = (): Promise<void> =>
		this.#run('call', async () =>
			this.#deps.callInProgress()
				? {
						id: 'call',
						verdict: 'skipped',
						summary: 'A call is in progress, so no test call was placed.',
						advice: 'Test again once the call has ended.',
						figures: {},
					}
				: callCheck(await this.#deps.phone.testCall(TELNYX_ECHO_NUMBER, SETUP_TIMINGS.callMs)),
		);

	/** The view closed: the camera preview goes (a check still running finishes and is kept). */
	closePreview(): void {
		for (const track of this.preview?.getTracks() ?? []) track.stop();
		this.preview = null;
	}

	#devices() {
		return this.#deps.settings()?.devices;
	}

	async #run(id: SetupCheckId, check: () => Promise<SetupCheck>): Promise<void> {
		if (this.running !== null) return;
		this.running = id;
		try {
			const result = await check();
			this.#record(result);
		} finally {
			this.running = null;
		}
	}

	#record(check: SetupCheck): void {
		this.checks = { ...this.checks, [check.id]: check };
		const report: SetupReport = {
			finishedAt: isoTime((this.#deps.now ?? Date.now)()),
			checks: SETUP_CHECKS.flatMap(({ id }) => this.checks[id] ?? []),
		};
		void this.#deps.bridge.diagnostics.saveSetupReport(report).catch(() => undefined);
	}
}

/** A time for the report (a plain value, never reactive state). */
function isoTime(ms: number): string {
	return new Date(ms).toISOString();
}
