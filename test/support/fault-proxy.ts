/**
 * A WebSocket proxy that breaks the link between a client (the app's SDK) and a WebSocket server (the
 * sandbox's signalling) on command: latency on every frame, duplicated server frames, an abnormal close,
 * a half-open link, and a server that refuses new connections for a while.
 *
 *     const proxy = await startFaultProxy(sandbox.signallingUrl);
 *     launch('Alice', { endpoints: { restBaseUrl: sandbox.restBaseUrl, signallingUrl: proxy.url } });
 *     proxy.cut();
 *
 * It proxies frames, not bytes: each client socket gets its own upstream socket to the target (same path
 * and query, same subprotocols), and every message, ping, pong and close handshake is passed on through one
 * ordered queue per direction. Plain HTTP requests (the SDK's `/call_report` POSTs to the signalling host)
 * are forwarded to the target's HTTP origin.
 *
 * Written on `ws` rather than taken from npm: byte-level proxies (`http-proxy`, `toxy`, Toxiproxy through
 * `toxiproxy-node-client`) pipe the upgraded TCP stream, so they cannot duplicate or reorder-safely delay a
 * WebSocket frame (Toxiproxy also needs its own Go server binary); `mockttp` passes WebSockets through or
 * closes them, with no per-frame latency or duplication. Frame-level faults need a frame-level proxy.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

/** How a refused connection is refused: an HTTP 503 answer to the upgrade, or the TCP connection destroyed. */
export type RefuseMode = '503' | 'reset';

export interface ConnectionCounts {
	/** Client sockets open through the proxy now. */
	readonly open: number;
	/** The most client sockets that were open at the same time (since `resetPeak()`). */
	readonly peakOpen: number;
	/** Upgrades proxied to the target (client sockets opened). */
	readonly opened: number;
	/** Upgrades refused (`refuse`). */
	readonly refused: number;
	/** Upgrades that arrived, whatever became of them. */
	readonly attempts: number;
}

export interface ConnectionAttempt {
	/** When the upgrade request arrived (ms since the epoch). */
	readonly at: number;
	/** The request path and query (the SDK's carries `?voice_sdk_id=…` on reconnects). */
	readonly path: string;
	/** What the proxy did: opened a link, refused it, held it (half-open), or failed to reach the target. */
	readonly outcome: 'opened' | 'refused' | 'held' | 'upstream-failed';
}

export interface FaultProxy {
	/** `ws://127.0.0.1:<port>`: give it to the client instead of the target. */
	readonly url: string;
	/** Delays every frame (and ping, pong and close) in both directions by `ms`, keeping their order. */
	setLatency(ms: number): void;
	/** Sends every server→client message twice (pings, pongs and closes once). */
	duplicateServerFrames(on: boolean): void;
	/**
	 * Terminates every client socket and its upstream socket without a close frame (an abnormal close,
	 * 1006 at both ends). Answers how many client sockets were cut.
	 */
	cut(): number;
	/**
	 * Half-open: stops reading and forwarding in both directions — no messages, no pings answered, no close
	 * handshake — while the TCP connections stay up; new upgrades get no answer. Turned off, the links carry
	 * on with what TCP held meanwhile (as a healed path does) and held upgrades proceed.
	 */
	halfOpen(on: boolean): void;
	/**
	 * The server is down: new connections (and plain HTTP requests) are refused for `ms`, or until `accept()`.
	 * Open links are left alone (`cut()` drops them).
	 */
	refuse(period: number | 'until-cleared', mode?: RefuseMode): void;
	/** New connections are accepted again. */
	accept(): void;
	connections(): ConnectionCounts;
	/** Starts `peakOpen` again from the client sockets open now (e.g. once the app is set up). */
	resetPeak(): void;
	/** Every upgrade request, in arrival order. */
	attempts(): readonly ConnectionAttempt[];
	/** Terminates every link and stops listening. */
	close(): Promise<void>;
}

/** Close codes that may be sent in a close frame (RFC 6455 §7.4; 1005, 1006 and 1015 never are). */
function sendableCloseCode(code: number): boolean {
	return (
		(code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
		(code >= 3000 && code <= 4999)
	);
}

/** One direction of one link: actions run in order, each no earlier than its due time. */
class Pipe {
	readonly #queue: { due: number; run: () => void }[] = [];
	#timer: NodeJS.Timeout | null = null;
	#lastDue = 0;

	constructor(
		private readonly latency: () => number,
		private readonly blocked: () => boolean,
	) {}

	push(run: () => void): void {
		// Never due before the one ahead of it, so lowering the latency cannot reorder frames.
		const due = Math.max(Date.now() + this.latency(), this.#lastDue);
		this.#lastDue = due;
		this.#queue.push({ due, run });
		this.pump();
	}

	pump(): void {
		if (this.blocked()) return;
		let head = this.#queue[0];
		while (head !== undefined && head.due <= Date.now()) {
			this.#queue.shift();
			head.run();
			if (this.blocked()) return;
			head = this.#queue[0];
		}
		if (head !== undefined && this.#timer === null) {
			this.#timer = setTimeout(
				() => {
					this.#timer = null;
					this.pump();
				},
				Math.max(1, head.due - Date.now()),
			);
		}
	}

	clear(): void {
		this.#queue.length = 0;
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
	}
}

interface Link {
	readonly client: WebSocket;
	readonly upstream: WebSocket;
	readonly toClient: Pipe;
	readonly toServer: Pipe;
	closed: boolean;
}

interface PendingUpgrade {
	readonly request: IncomingMessage;
	readonly socket: Socket;
	readonly head: Buffer;
	readonly attempt: number;
}

const send = (to: WebSocket, run: () => void) => {
	if (to.readyState === WebSocket.OPEN) run();
};

export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
	const target = new URL(targetUrl);
	const httpTarget = new URL(target.href);
	httpTarget.protocol = target.protocol === 'wss:' ? 'https:' : 'http:';

	const links = new Set<Link>();
	const held: PendingUpgrade[] = [];
	const attemptLog: { at: number; path: string; outcome: ConnectionAttempt['outcome'] }[] = [];
	let latencyMs = 0;
	let duplicate = false;
	let halfOpenOn = false;
	let refusedUntil = 0;
	let refuseMode: RefuseMode = '503';
	let opened = 0;
	let peakOpen = 0;

	const refusing = () => Date.now() < refusedUntil;
	const latency = () => latencyMs;
	const blocked = () => halfOpenOn;

	const wss = new WebSocketServer({
		noServer: true,
		autoPong: false,
		perMessageDeflate: false,
		// The subprotocol the target chose (set on the request before the upgrade completes).
		handleProtocols: (_protocols, request) =>
			(request as IncomingMessage & { chosenProtocol?: string }).chosenProtocol || false,
	});

	function link(client: WebSocket, upstream: WebSocket): void {
		const entry: Link = {
			client,
			upstream,
			toClient: new Pipe(latency, blocked),
			toServer: new Pipe(latency, blocked),
			closed: false,
		};
		links.add(entry);
		opened += 1;
		peakOpen = Math.max(peakOpen, links.size);
		if (halfOpenOn) {
			client.pause();
			upstream.pause();
		}
		const end = () => {
			entry.closed = true;
			links.delete(entry);
		};
		/** Passes a close on to the other side: a close frame in order, or a termination if none came. */
		const passClose = (to: WebSocket, pipe: Pipe, code: number, reason: Buffer) => {
			end();
			if (code === 1006 || !sendableCloseCode(code)) {
				if (code === 1006) {
					pipe.clear();
					to.terminate();
					return;
				}
				pipe.push(() => send(to, () => to.close()));
				return;
			}
			pipe.push(() => send(to, () => to.close(code, reason)));
		};

		client.on('message', (data: RawData, isBinary: boolean) =>
			entry.toServer.push(() => send(upstream, () => upstream.send(data, { binary: isBinary }))),
		);
		client.on('ping', (data: Buffer) =>
			entry.toServer.push(() => send(upstream, () => upstream.ping(data))),
		);
		client.on('pong', (data: Buffer) =>
			entry.toServer.push(() => send(upstream, () => upstream.pong(data))),
		);
		client.on('close', (code: number, reason: Buffer) => {
			if (!entry.closed) passClose(upstream, entry.toServer, code, reason);
		});
		client.on('error', () => client.terminate());

		upstream.on('message', (data: RawData, isBinary: boolean) => {
			const forward = () => send(client, () => client.send(data, { binary: isBinary }));
			entry.toClient.push(forward);
			if (duplicate) entry.toClient.push(forward);
		});
		upstream.on('ping', (data: Buffer) =>
			entry.toClient.push(() => send(client, () => client.ping(data))),
		);
		upstream.on('pong', (data: Buffer) =>
			entry.toClient.push(() => send(client, () => client.pong(data))),
		);
		upstream.on('close', (code: number, reason: Buffer) => {
			if (!entry.closed) passClose(client, entry.toClient, code, reason);
		});
		upstream.on('error', () => upstream.terminate());
	}

	function refuseSocket(socket: Socket): void {
		if (refuseMode === 'reset') {
			socket.destroy();
			return;
		}
		socket.end(
			'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain\r\n' +
				'Content-Length: 20\r\n\r\nService Unavailable\n',
		);
	}

	function badGateway(socket: Socket): void {
		socket.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
	}

	function proceed({ request, socket, head, attempt }: PendingUpgrade): void {
		if (socket.destroyed) return;
		const protocols = (request.headers['sec-websocket-protocol'] ?? '')
			.split(',')
			.map((p) => p.trim())
			.filter((p) => p !== '');
		const upstream = new WebSocket(new URL(request.url ?? '/', target), protocols, {
			autoPong: false,
			perMessageDeflate: false,
		});
		const fail = () => {
			attemptLog[attempt] = { ...attemptLog[attempt]!, outcome: 'upstream-failed' };
			if (!socket.destroyed) badGateway(socket);
		};
		upstream.once('unexpected-response', () => {
			upstream.terminate();
			fail();
		});
		upstream.once('error', fail);
		upstream.once('open', () => {
			upstream.off('error', fail);
			if (socket.destroyed || !socket.writable) {
				upstream.terminate();
				return;
			}
			(request as IncomingMessage & { chosenProtocol?: string }).chosenProtocol = upstream.protocol;
			let linked = false;
			wss.handleUpgrade(request, socket, head, (client) => {
				linked = true;
				link(client, upstream);
			});
			// A handshake `ws` refused (a malformed request) closes the client socket: drop the upstream too.
			if (!linked) socket.once('close', () => upstream.terminate());
		});
	}

	const server: Server = createServer((request, response) => {
		// Plain HTTP (the SDK's call reports): forwarded, or refused while the server is "down".
		if (refusing() || halfOpenOn) {
			response.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable\n');
			return;
		}
		const forward = httpRequest(
			new URL(request.url ?? '/', httpTarget),
			{ method: request.method, headers: { ...request.headers, host: httpTarget.host } },
			(answer) => {
				response.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(response);
			},
		);
		forward.on('error', () => {
			if (!response.headersSent) response.writeHead(502);
			response.end();
		});
		request.pipe(forward);
	});

	server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
		socket.on('error', () => socket.destroy());
		const at = Date.now();
		const path = request.url ?? '/';
		if (refusing()) {
			attemptLog.push({ at, path, outcome: 'refused' });
			refuseSocket(socket);
			return;
		}
		const pending: PendingUpgrade = { request, socket, head, attempt: attemptLog.length };
		if (halfOpenOn) {
			attemptLog.push({ at, path, outcome: 'held' });
			held.push(pending);
			return;
		}
		attemptLog.push({ at, path, outcome: 'opened' });
		proceed(pending);
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;

	return {
		url: `ws://127.0.0.1:${port}`,
		setLatency(ms) {
			if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency must be ≥ 0 ms, not ${ms}`);
			latencyMs = ms;
		},
		duplicateServerFrames(on) {
			duplicate = on;
		},
		cut() {
			const cut = [...links];
			for (const entry of cut) {
				entry.closed = true;
				links.delete(entry);
				entry.toClient.clear();
				entry.toServer.clear();
				entry.client.terminate();
				entry.upstream.terminate();
			}
			return cut.length;
		},
		halfOpen(on) {
			if (on === halfOpenOn) return;
			halfOpenOn = on;
			for (const entry of links) {
				if (on) {
					entry.client.pause();
					entry.upstream.pause();
				} else {
					entry.client.resume();
					entry.upstream.resume();
					entry.toClient.pump();
					entry.toServer.pump();
				}
			}
			if (!on) {
				for (const pending of held.splice(0)) {
					attemptLog[pending.attempt] = { ...attemptLog[pending.attempt]!, outcome: 'opened' };
					proceed(pending);
				}
			}
		},
		refuse(period, mode = '503') {
			if (period !== 'until-cleared' && (!Number.isFinite(period) || period < 0))
				throw new RangeError(`refuse period must be ≥ 0 ms, not ${period}`);
			refuseMode = mode;
			refusedUntil = period === 'until-cleared' ? Infinity : Date.now() + period;
		},
		accept() {
			refusedUntil = 0;
		},
		connections() {
			return {
				open: links.size,
				peakOpen,
				opened,
				refused: attemptLog.filter((a) => a.outcome === 'refused').length,
				attempts: attemptLog.length,
			};
		},
		resetPeak() {
			peakOpen = links.size;
		},
		attempts() {
			return attemptLog.map((a) => ({ ...a }));
		},
		async close() {
			for (const entry of [...links]) {
				entry.closed = true;
				entry.toClient.clear();
				entry.toServer.clear();
				entry.client.terminate();
				entry.upstream.terminate();
			}
			links.clear();
			for (const pending of held.splice(0)) pending.socket.destroy();
			wss.close();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
