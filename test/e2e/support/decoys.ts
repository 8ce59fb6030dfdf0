/**
 * Decoy servers for the hostile-page suite: an HTTP, an HTTPS and a WebSocket listener on other loopback
 * ports, each recording everything that reaches it — every TCP connection, and for every request its method,
 * URL, headers and the start of its body — so a test can assert that nothing ever did, and search whatever
 * did for a secret. They answer nothing useful: a quick 404 (so a client that does reach one fails fast
 * instead of waiting for its deadline), a refused upgrade, or a certificate nobody trusts.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { selfSignedCertificate } from '../../support/self-signed';

export type DecoyKind = 'http' | 'https' | 'ws';

export interface DecoyHit {
	/** A plain request, a WebSocket upgrade, or a TLS handshake that failed (its content unreadable). */
	readonly kind: 'request' | 'upgrade' | 'tls-error';
	readonly method: string;
	readonly url: string;
	readonly headers: Readonly<Record<string, string | string[] | undefined>>;
	/** The first {@link BODY_LIMIT} bytes of the body, as text. */
	readonly body: string;
}

export interface Decoy {
	readonly kind: DecoyKind;
	/** A URL on this decoy that today's endpoint checks accept: `http://127.0.0.1:<port>/v2`, `wss://…`. */
	readonly url: string;
	/** TCP connections accepted, whatever came (or did not come) over them. */
	readonly connections: () => number;
	readonly hits: readonly DecoyHit[];
	/** Everything received, as one text, to search for a secret. */
	received(): string;
	/** Forgets what was received (after a test checked the decoy itself works). */
	reset(): void;
	close(): Promise<void>;
}

const BODY_LIMIT = 64 * 1024;

async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request) {
		if (size < BODY_LIMIT) chunks.push(chunk as Buffer);
		size += (chunk as Buffer).length;
	}
	return Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString('utf8');
}

function listen(server: Server): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
	});
}

/** Starts one decoy on a free loopback port (`https` with a throwaway self-signed certificate). */
export async function startDecoy(kind: DecoyKind): Promise<Decoy> {
	const hits: DecoyHit[] = [];
	let connections = 0;
	let server: Server;
	if (kind === 'https') {
		server = createHttpsServer(selfSignedCertificate());
		server.on('tlsClientError', () =>
			hits.push({ kind: 'tls-error', method: '', url: '', headers: {}, body: '' }),
		);
	} else {
		server = createHttpServer();
	}
	server.on('connection', () => {
		connections += 1;
	});
	server.on('request', (request: IncomingMessage, response) => {
		void readBody(request).then(
			(body) => {
				hits.push({
					kind: 'request',
					method: request.method ?? '',
					url: request.url ?? '',
					headers: { ...request.headers },
					body,
				});
				const text = JSON.stringify({
					errors: [{ code: '10005', title: 'Resource not found', detail: 'decoy' }],
				});
				response.writeHead(404, { 'content-type': 'application/json', connection: 'close' });
				response.end(text);
			},
			() => response.destroy(),
		);
	});
	server.on('upgrade', (request: IncomingMessage, socket: { destroy(): void }) => {
		hits.push({
			kind: 'upgrade',
			method: request.method ?? '',
			url: request.url ?? '',
			headers: { ...request.headers },
			body: '',
		});
		socket.destroy();
	});
	const port = await listen(server);
	const url = kind === 'ws' ? `ws://127.0.0.1:${port}` : `${kind}://127.0.0.1:${port}/v2`;
	return {
		kind,
		url,
		connections: () => connections,
		hits,
		received: () => JSON.stringify(hits),
		reset: () => {
			hits.length = 0;
			connections = 0;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
