/**
 * Quitting, step by step. With a call in progress it asks first: Quit sits in the tray menu beside Hang up,
 * and a slip would end the call. One question at a time; a second Quit while it is open waits. Once the
 * quit goes ahead it is not asked again (Electron emits `before-quit` again after the log is written), the
 * shutdown work runs once, and the log is written out once, before the process ends.
 */
export const QUIT_DURING_CALL = {
	message: 'A call is in progress',
	detail: 'Quitting Telnyx Softphone ends the call.',
	buttons: ['Keep the call', 'End the call and quit'],
	/** Enter and Escape keep the call. */
	defaultId: 0,
	cancelId: 0,
	confirmIndex: 1,
} as const;

/**
 * `shut-down`: the quit goes ahead; run the shutdown work (this happens once). `proceed`: it is already
 * going ahead. `ask`: hold the quit and ask. `wait`: hold it; the question is open.
 */
export type QuitStep = 'shut-down' | 'proceed' | 'ask' | 'wait';

export class QuitGate {
	#asking = false;
	#confirmed = false;
	#quitting = false;
	#flushed = false;
	readonly #callInProgress: () => boolean;

	constructor(callInProgress: () => boolean) {
		this.#callInProgress = callInProgress;
	}

	/** Whether the app is quitting (a window that closes now really closes). */
	get quitting(): boolean {
		return this.#quitting;
	}

	/** On `before-quit`. */
	request(): QuitStep {
		if (this.#quitting) return 'proceed';
		if (this.#confirmed || !this.#callInProgress()) {
			this.#quitting = true;
			return 'shut-down';
		}
		if (this.#asking) return 'wait';
		this.#asking = true;
		return 'ask';
	}

	/** The answer to the question (the button index); true when the app should quit now. */
	answer(button: number): boolean {
		this.#asking = false;
		this.#confirmed = button === QUIT_DURING_CALL.confirmIndex;
		return this.#confirmed;
	}

	/** On `will-quit`: true the first time, when the quit must wait for the log to be written out. */
	takeFlush(): boolean {
		if (this.#flushed) return false;
		this.#flushed = true;
		return true;
	}
}
