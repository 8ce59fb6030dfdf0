/**
 * Ringtone and ringback, synthesised with Web Audio (no sound files, nothing for the CSP to allow). The
 * ringtone plays on the chosen ringer device (`AudioContext.setSinkId`), so a call can ring on the
 * loudspeaker while the conversation uses a headset.
 */

type Pattern = {
	readonly frequencies: readonly number[];
	readonly onMs: number;
	readonly offMs: number;
	readonly gain: number;
};

/** A two-tone ring, 1 s on, 2 s off. */
const RING: Pattern = { frequencies: [440, 480], onMs: 1000, offMs: 2000, gain: 0.12 };
/** North-American ringback: 440 + 480 Hz, 2 s on, 4 s off, quieter. */
const RINGBACK: Pattern = { frequencies: [440, 480], onMs: 2000, offMs: 4000, gain: 0.05 };

export class TonePlayer {
	#context: AudioContext | null = null;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#playing: 'ring' | 'ringback' | null = null;

	/** Rings on `deviceId` (null: the default output) until `stop()`. */
	async ring(deviceId: string | null): Promise<void> {
		if (this.#playing === 'ring') return;
		await this.#start('ring', RING, deviceId);
	}

	async ringback(deviceId: string | null): Promise<void> {
		if (this.#playing === 'ringback') return;
		await this.#start('ringback', RINGBACK, deviceId);
	}

	stop(): void {
		this.#playing = null;
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
		void this.#context?.close().catch(() => undefined);
		this.#context = null;
	}

	async #start(
		kind: 'ring' | 'ringback',
		pattern: Pattern,
		deviceId: string | null,
	): Promise<void> {
		this.stop();
		this.#playing = kind;
		const context = new AudioContext();
		this.#context = context;
		const withSink = context as AudioContext & { setSinkId?: (id: string) => Promise<void> };
		if (deviceId !== null && withSink.setSinkId !== undefined) {
			// A ringer that has gone away falls back to the default output.
			await withSink.setSinkId(deviceId).catch(() => undefined);
		}
		const burst = () => {
			if (this.#context !== context) return;
			const gain = context.createGain();
			gain.gain.value = pattern.gain;
			gain.connect(context.destination);
			const end = context.currentTime + pattern.onMs / 1000;
			for (const frequency of pattern.frequencies) {
				const oscillator = context.createOscillator();
				oscillator.frequency.value = frequency;
				oscillator.connect(gain);
				oscillator.start();
				oscillator.stop(end);
			}
			this.#timer = setTimeout(burst, pattern.onMs + pattern.offMs);
		};
		burst();
	}
}
