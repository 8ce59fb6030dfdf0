/** A tiny HTTP server on 127.0.0.1 (a secure context, so `navigator.mediaDevices` exists). */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StaticServer {
	/** Base URL with a trailing slash, e.g. `http://127.0.0.1:43123/`. */
	readonly url: string;
	close(): Promise<void>;
}

export type Handler = (request: IncomingMessage) => Promise<Response> | Response;

/** Serves `handler`'s Web `Response`s over Node's HTTP server. */
export async function serve(handler: Handler): Promise<StaticServer> {
	const server = createServer((request: IncomingMessage, response: ServerResponse) => {
		Promise.resolve(handler(request))
			.then(async (answer) => {
				response.writeHead(answer.status, Object.fromEntries(answer.headers));
				response.end(Buffer.from(await answer.arrayBuffer()));
			})
			.catch((error: unknown) => {
				response.writeHead(500, { 'content-type': 'text/plain' });
				response.end(String(error));
			});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/`,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
