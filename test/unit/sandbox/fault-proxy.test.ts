/**
 * The fault proxy (`test/support/fault-proxy.ts`) between plain `ws` clients and a plain `ws` echo server:
 * frames pass both ways unchanged (text and binary, path and query kept), latency delays each frame without
 * reordering, duplicated server frames arrive twice, a cut is an abnormal close at both ends, a half-open
 * link carries nothing and answers no ping while TCP stays up, and a refusing proxy answers 503 (or resets)
 * until its period ends or `accept()`.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';

/** A WebSocket echo server (and a tiny HTTP one on the same port) that records what reached it. */
interface Echo {
	readonly url: string;
	readonly received: string[];
	readonly paths: string[];
	readonly closes: { code: number; reason: string }[];
	readonly httpRequests: { method: string; path: string; body: string }[];
	readonly sockets: Set<WebSocket>;
	close(): Promise<void>;
}

async function startEcho(): Promise<Echo> {
	const received: string[] = [];
	const paths: string[] = [];
	const closes: { code: number; reason: string }[] = [];
	const httpRequests: { method: string; path: string; body: string }[] = [];
	const sockets = new Set<WebSocket>();
	const server: Server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			httpRequests.push({
				method: request.method ?? '',
				path: request.url ?? '',
				body: Buffer.concat(chunks).toString('utf8'),
			});
			response.writeHead(204).end();
		});
	});
	const wss = new WebSocketServer({ server });
	wss.on('connection', (socket, request) => {
		sockets.add(socket);
		paths.push(request.url ?? '');
		socket.on('message', (data: RawData, isBinary: boolean) => {
			const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
			received.push(isBinary ? `bin:${buffer.toString('hex')}` : buffer.toString('utf8'));
			if (buffer.toString('utf8') === 'close-please') socket.close(4001, 'Token expired');
			else socket.send(data, { binary: isBinary });
		});
		socket.on('close', (code: number, reason: Buffer) => {
			sockets.delete(socket);
			closes.push({ code, reason: reason.toString('utf8') });
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.address() as AddressInfo;
	return {
		url: `ws://127.0.0.1:${port}`,
		received,
		paths,
		closes,
		httpRequests,
		sockets,
		async close() {
			for (const socket of sockets) socket.terminate();
			wss.close();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** A client that keeps every message it gets, with the time it arrived. */
class Client {
	readonly messages: { text: string; at: number }[] = [];
	closed: { code: number; reason: string } | null = null;

	private constructor(readonly ws: WebSocket) {
		ws.on('message', (data: RawData, isBinary: boolean) => {
			const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
			this.messages.push({
				text: isBinary ? `bin:${buffer.toString('hex')}` : buffer.toString('utf8'),
				at: Date.now(),
			});
		});
		ws.on('close', (code: number, reason: Buffer) => {
			this.closed = { code, reason: reason.toString('utf8') };
		});
	}

	static async open(url: string): Promise<Client> {
		const ws = new WebSocket(url);
		await new Promise<void>((resolve, reject) => {
			ws.once('open', () => resolve());
			ws.once('error', reject);
		});
		return new Client(ws);
	}

	texts(): string[] {
		return this.messages.map((m) => m.text);
	}
}

/** Why a connection attempt failed (the error's message), or 'open'. */
async function tryOpen(url: string): Promise<string> {
	const ws = new WebSocket(url);
	return new Promise<string>((resolve) => {
		ws.once('open', () => {
			ws.close();
			resolve('open');
		});
		ws.once('error', (error: Error) => resolve(error.message));
	});
}

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error('timed out waiting');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let echo: Echo;
let proxy: FaultProxy;

beforeEach(async () => {
	echo = await startEcho();
	proxy = await startFaultProxy(echo.url);
});

afterEach(async () => {
	await proxy.close();
	await echo.close();
});

describe('fault proxy', () => {
	it('passes text and binary frames both ways, with the path and query, and counts connections', async () => {
		expect(proxy.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
		const client = await Client.open(`${proxy.url}/rtc?voice_sdk_id=abc`);
		client.ws.send('hello');
		client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
		await until(() => client.messages.length === 2);
		expect(client.texts()).toEqual(['hello', 'bin:010203']);
		expect(echo.received).toEqual(['hello', 'bin:010203']);
		expect(echo.paths).toEqual(['/rtc?voice_sdk_id=abc']);
		expect(proxy.connections()).toEqual({
			open: 1,
			peakOpen: 1,
			opened: 1,
			refused: 0,
			attempts: 1,
		});
		expect(proxy.attempts()).toEqual([
			{ at: expect.any(Number), path: '/rtc?voice_sdk_id=abc', outcome: 'opened' },
		]);
		const second = await Client.open(proxy.url);
		expect(proxy.connections()).toMatchObject({ open: 2, peakOpen: 2, opened: 2 });
		second.ws.close();
		await until(() => proxy.connections().open === 1);
		expect(proxy.connections().peakOpen).toBe(2);
		proxy.resetPeak();
		expect(proxy.connections()).toMatchObject({ open: 1, peakOpen: 1, opened: 2 });
	});

	it('passes close handshakes on with their code and reason, both ways', async () => {
		const client = await Client.open(proxy.url);
		client.ws.send('close-please');
		await until(() => client.closed !== null);
		expect(client.closed).toEqual({ code: 4001, reason: 'Token expired' });

		const other = await Client.open(proxy.url);
		other.ws.close(4000, 'bye');
		await until(() => echo.closes.length === 2);
		expect(echo.closes[1]).toEqual({ code: 4000, reason: 'bye' });
		await until(() => proxy.connections().open === 0);
	});

	it('delays every frame in both directions by the latency, and keeps their order when it changes', async () => {
		const client = await Client.open(proxy.url);
		proxy.setLatency(150);
		const sent = Date.now();
		client.ws.send('one');
		await until(() => client.messages.length === 1);
		// One way to the echo and one way back: twice the latency.
		const roundTrip = client.messages[0]!.at - sent;
		expect(roundTrip).toBeGreaterThanOrEqual(295);
		expect(roundTrip).toBeLessThan(1000);

		// A burst at a long latency, then more frames after the latency drops: the later ones wait their turn.
		proxy.setLatency(300);
		for (let i = 0; i < 20; i += 1) client.ws.send(`slow-${i}`);
		await sleep(20);
		proxy.setLatency(0);
		for (let i = 0; i < 20; i += 1) client.ws.send(`fast-${i}`);
		await until(() => client.messages.length === 41);
		const expected = [
			...Array.from({ length: 20 }, (_, i) => `slow-${i}`),
			...Array.from({ length: 20 }, (_, i) => `fast-${i}`),
		];
		expect(echo.received.slice(1)).toEqual(expected);
		expect(client.texts().slice(1)).toEqual(expected);
	});

	it('sends each server frame twice when asked, and client frames once', async () => {
		const client = await Client.open(proxy.url);
		proxy.duplicateServerFrames(true);
		client.ws.send('twice');
		await until(() => client.messages.length === 2);
		await sleep(50);
		expect(client.texts()).toEqual(['twice', 'twice']);
		expect(echo.received).toEqual(['twice']);

		proxy.duplicateServerFrames(false);
		client.ws.send('once');
		await until(() => client.messages.length === 3);
		await sleep(50);
		expect(client.texts()).toEqual(['twice', 'twice', 'once']);
	});

	it('cuts every link without a close frame: 1006 at the client and at the server', async () => {
		const a = await Client.open(proxy.url);
		const b = await Client.open(proxy.url);
		await until(() => echo.sockets.size === 2);
		expect(proxy.cut()).toBe(2);
		await until(() => a.closed !== null && b.closed !== null && echo.closes.length === 2);
		expect(a.closed?.code).toBe(1006);
		expect(b.closed?.code).toBe(1006);
		expect(echo.closes.map((c) => c.code)).toEqual([1006, 1006]);
		expect(proxy.connections()).toMatchObject({ open: 0, opened: 2 });
		// The proxy itself is still up: a new connection goes through.
		const c = await Client.open(proxy.url);
		c.ws.send('after');
		await until(() => c.messages.length === 1);
		expect(proxy.cut()).toBe(1);
	});

	it('half-open: nothing forwarded and no pong, TCP still up; healed, what TCP held goes through', async () => {
		const client = await Client.open(proxy.url);
		let pongs = 0;
		client.ws.on('pong', () => (pongs += 1));
		client.ws.ping();
		await until(() => pongs === 1);

		proxy.halfOpen(true);
		client.ws.send('into the void');
		client.ws.ping();
		await sleep(300);
		expect(client.messages).toEqual([]);
		expect(echo.received).toEqual([]);
		expect(pongs).toBe(1);
		expect(client.ws.readyState).toBe(WebSocket.OPEN);
		expect(echo.sockets.size).toBe(1);
		// A server frame meanwhile is not delivered either.
		for (const socket of echo.sockets) socket.send('from the server');
		await sleep(100);
		expect(client.messages).toEqual([]);
		// A new connection gets no answer while the link is half-open.
		const late = new WebSocket(proxy.url);
		let lateOpen = false;
		late.once('open', () => (lateOpen = true));
		await sleep(200);
		expect(lateOpen).toBe(false);
		expect(proxy.attempts().at(-1)?.outcome).toBe('held');

		proxy.halfOpen(false);
		await until(() => client.messages.length === 2 && pongs === 2 && lateOpen);
		expect(client.texts().sort()).toEqual(['from the server', 'into the void']);
		expect(echo.received).toEqual(['into the void']);
		expect(proxy.attempts().at(-1)?.outcome).toBe('opened');
		late.close();
	});

	it('refuses new connections with 503 for a period, leaving open links alone', async () => {
		const open = await Client.open(proxy.url);
		proxy.refuse(400);
		expect(await tryOpen(proxy.url)).toBe('Unexpected server response: 503');
		open.ws.send('still here');
		await until(() => open.messages.length === 1);
		await sleep(450);
		expect(await tryOpen(proxy.url)).toBe('open');
		expect(proxy.attempts().map((a) => a.outcome)).toEqual(['opened', 'refused', 'opened']);
		expect(proxy.connections()).toMatchObject({ refused: 1, opened: 2, attempts: 3 });
	});

	it('refuses until cleared, by resetting the connection when asked, then accepts again', async () => {
		proxy.refuse('until-cleared', 'reset');
		const refused = await tryOpen(proxy.url);
		expect(refused).not.toBe('open');
		expect(refused).toMatch(/socket hang up|ECONNRESET/);
		await sleep(200);
		expect(await tryOpen(proxy.url)).not.toBe('open');
		proxy.accept();
		expect(await tryOpen(proxy.url)).toBe('open');
		expect(proxy.connections()).toMatchObject({ refused: 2, opened: 1 });
	});

	it('answers 502 when the target is down', async () => {
		await echo.close();
		expect(await tryOpen(proxy.url)).toBe('Unexpected server response: 502');
		expect(proxy.attempts().at(-1)?.outcome).toBe('upstream-failed');
		expect(proxy.connections().open).toBe(0);
	});

	it("forwards plain HTTP requests to the target's HTTP origin (the SDK's call reports)", async () => {
		const port = new URL(proxy.url).port;
		const status = await new Promise<number>((resolve, reject) => {
			const request = httpRequest(
				{ host: '127.0.0.1', port, method: 'POST', path: '/call_report' },
				(response) => {
					response.resume();
					resolve(response.statusCode ?? 0);
				},
			);
			request.on('error', reject);
			request.end('{"stats":[]}');
		});
		expect(status).toBe(204);
		expect(echo.httpRequests).toEqual([
			{ method: 'POST', path: '/call_report', body: '{"stats":[]}' },
		]);
	});

	it('close() ends every link and stops listening', async () => {
		const client = await Client.open(proxy.url);
		await proxy.close();
		await until(() => client.closed !== null && echo.closes.length === 1);
		expect(client.closed?.code).toBe(1006);
		expect(await tryOpen(proxy.url)).toMatch(/ECONNREFUSED/);
		// afterEach closes it again: a second close is harmless.
	});
});
