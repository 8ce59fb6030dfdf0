/**
 * Decides whether an IPC call comes from the app's own page: the top frame of one of the app's windows,
 * showing a URL of the app's own origin.
 *
 * URL fields are compared one by one rather than through `URL.origin`: for custom schemes such as `app:` the
 * origin is the string "null", so `origin === origin` would accept every `app:` and `file:` URL (the
 * "URL-origin gotcha").
 */
import type { InvokeEventLike } from './ipc/register-ipc';

/** True when `candidate` is a URL on exactly the origin of `appUrl` (scheme, host, port), with no credentials. */
export function isAppUrl(candidate: string, appUrl: string): boolean {
	let url: URL;
	let app: URL;
	try {
		url = new URL(candidate);
		app = new URL(appUrl);
	} catch {
		return false;
	}
	return (
		url.protocol === app.protocol &&
		url.host === app.host &&
		url.port === app.port &&
		url.username === '' &&
		url.password === ''
	);
}

export interface SenderCheckOptions {
	/** The URL the app's page is loaded from, e.g. `app://softphone/index.html`. */
	readonly appUrl: string;
	/** Whether a `webContents` id belongs to one of the app's own windows. */
	readonly isAppWebContents: (id: number) => boolean;
}

export function createSenderCheck({ appUrl, isAppWebContents }: SenderCheckOptions) {
	return (event: InvokeEventLike): boolean => {
		const frame = event.senderFrame;
		// A null frame happens after navigation or destruction: nothing to trust.
		if (frame === null) return false;
		// Sub-frames are untrusted even on our origin: only the top document speaks for the app.
		if (frame.parent !== null) return false;
		if (!isAppWebContents(event.sender.id)) return false;
		return isAppUrl(frame.url, appUrl);
	};
}
