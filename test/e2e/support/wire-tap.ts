/**
 * Every HTTP request this process sends through `fetch` (undici), as it is created: its origin, method,
 * path and headers. Main's REST client runs in the test process in the end-to-end harness, so this sees
 * every request main makes — including to hosts no decoy listens on (`https://evil.example`), which fail
 * before any server could count them. Built on undici's `undici:request:create` diagnostics channel.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';

export interface OutgoingRequest {
	readonly origin: string;
	readonly method: string;
	readonly path: string;
	/** The request's headers as one text (undici gives them as a flat list or as raw lines). */
	readonly headers: string;
}

export interface WireTap {
	readonly requests: readonly OutgoingRequest[];
	stop(): void;
}

const CHANNEL = 'undici:request:create';

export function tapOutgoingRequests(): WireTap {
	const requests: OutgoingRequest[] = [];
	const onCreate = (message: unknown) => {
		const request = (message as { request?: Record<string, unknown> }).request ?? {};
		const headers = request['headers'];
		requests.push({
			origin: String(request['origin']),
			method: String(request['method']),
			path: String(request['path']),
			headers: Array.isArray(headers) ? headers.map(String).join('\n') : String(headers),
		});
	};
	subscribe(CHANNEL, onCreate);
	return { requests, stop: () => unsubscribe(CHANNEL, onCreate) };
}
