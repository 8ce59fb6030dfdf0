/**
 * Quitting with a call in progress asks first: Quit sits in the tray menu beside Hang up, and a slip
 * would end the call. One question at a time; a second Quit while it is open does nothing.
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

export type QuitStep = 'quit' | 'ask' | 'wait';

export class QuitGate {
	#asking = false;
	#confirmed = false;
	readonly #callInProgress: () => boolean;

	constructor(callInProgress: () => boolean) {
		this.#callInProgress = callInProgress;
	}

	/** On `before-quit`: go ahead, ask (and hold the quit), or hold it while the question is open. */
	request(): QuitStep {
		if (this.#confirmed || !this.#callInProgress()) return 'quit';
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
}
