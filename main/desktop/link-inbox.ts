/**
 * Links that arrive before the app can act on them wait here, in order: macOS hands over the link that
 * launched the app before `ready`, and a second launch (Windows, Linux) can bring one while the services
 * are still starting. Once the handler is set they are handled, and later ones go straight through.
 */
export const INBOX_LIMIT = 10;

export class LinkInbox {
	readonly #waiting: string[] = [];
	#handler: ((url: string) => void) | null = null;

	push(url: string): void {
		if (this.#handler !== null) this.#handler(url);
		// A flood of launches before the app is up keeps the first few, not an unbounded list.
		else if (this.#waiting.length < INBOX_LIMIT) this.#waiting.push(url);
	}

	/** From now on links go to `handler`, starting with the ones that waited. */
	open(handler: (url: string) => void): void {
		this.#handler = handler;
		for (const url of this.#waiting.splice(0)) handler(url);
	}
}
