/**
 * A bare Verto client for tests that talk to the sandbox's signalling without the SDK: it logs in with a
 * token, acknowledges every server request (as the SDK does) and keeps every frame it receives.
 */
import WebSocket from 'ws';

export interface Frame {
	id?: string | number;
	method?: string;
	params?: Record<string, unknown>;
	result?: Record<string, unknown>;
	error?: { code: number; message: string };
}

/** A logged-in Verto socket that acknowledges the server's requests and keeps every frame. */
export class VertoTestClient {
	readonly frames: Frame[] = [];
	#next = 0;

	private constructor(readonly ws: WebSocket) {
		ws.on('message', (data: WebSocket.RawData) => {
			const text = (
				Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Uint8Array)
			).toString('utf8');
			const frame = JSON.parse(text) as Frame;
			this.frames.push(frame);
			if (frame.method !== undefined && frame.method !== 'telnyx_rtc.clientReady')
				ws.send(JSON.stringify({ jsonrpc: '2.0', id: frame.id, result: { method: frame.method } }));
		});
	}

	static async login(url: string, token: string): Promise<VertoTestClient> {
		const ws = new WebSocket(url);
		await new Promise((resolve, reject) => {
			ws.once('open', resolve);
			ws.once('error', reject);
		});
		const peer = new VertoTestClient(ws);
		await peer.request('login', { login_token: token });
		return peer;
	}

	request(method: string, params: Record<string, unknown>): Promise<Frame> {
		const id = `req-${(this.#next += 1)}`;
		this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
		return this.waitFor((f) => f.id === id && f.method === undefined);
	}

	async waitFor(match: (frame: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const found = this.frames.find(match);
			if (found !== undefined) return found;
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		throw new Error('frame not received');
	}
	/** The requests the server sent about `callID` (only `method`'s, when given), in order. */
	callFrames(callID: string, method?: string): Frame[] {
		return this.frames.filter(
			(f) =>
				f.method !== undefined &&
				(method === undefined || f.method === method) &&
				(f.params?.['callID'] ?? null) === callID,
		);
	}
}
