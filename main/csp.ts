/**
 * The renderer's Content-Security-Policy, sent as a response header by the `app:` protocol handler (a
 * `<meta>` CSP cannot carry `frame-ancestors`). Only the signalling host is reachable from the page: the SDK
 * opens its WebSocket there and POSTs call reports to the http(s) form of the same host. The REST API is
 * deliberately absent: only main talks to it, with a key the renderer never holds.
 */
import { isPlainHost } from './endpoints';

/** The WebSocket origin of the signalling URL and its http(s) form, e.g. `wss://rtc.telnyx.com https://rtc.telnyx.com`. */
export function signallingSources(signallingUrl: string): string[] {
	const url = new URL(signallingUrl);
	if (url.protocol !== 'wss:' && url.protocol !== 'ws:') {
		throw new Error(`Signalling URL must be ws: or wss:, got ${url.protocol}`);
	}
	// The host goes into a header: anything but host characters could add directives.
	if (!isPlainHost(url.host)) throw new Error('Signalling URL has an invalid host');
	const http = url.protocol === 'wss:' ? 'https:' : 'http:';
	return [`${url.protocol}//${url.host}`, `${http}//${url.host}`];
}

export interface CspOptions {
	readonly signallingUrl: string;
}

export function buildCsp({ signallingUrl }: CspOptions): string {
	const directives: Record<string, string[]> = {
		'default-src': ["'none'"],
		'script-src': ["'self'"],
		'style-src': ["'self'"],
		'img-src': ["'self'", 'data:'],
		'font-src': ["'self'"],
		'media-src': ["'self'"],
		'connect-src': ["'self'", ...signallingSources(signallingUrl)],
		'base-uri': ["'none'"],
		'form-action': ["'none'"],
		'frame-ancestors': ["'none'"],
		'frame-src': ["'none'"],
		'object-src': ["'none'"],
		'worker-src': ["'none'"],
	};
	return Object.entries(directives)
		.map(([name, sources]) => `${name} ${sources.join(' ')}`)
		.join('; ');
}
