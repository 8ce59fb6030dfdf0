/**
 * The signalling server: Telnyx's Verto-over-WebSocket protocol as `@telnyx/webrtc` speaks it.
 *
 * - Sessions: login by JWT (signature, expiry, credential still existing) or by sip_username/password;
 *   failures answer -32001 (never -32000, which makes the SDK retry in a tight loop). Then
 *   `telnyx_rtc.clientReady`, and `REGED` to `gatewayState`.
 * - A dropped socket keeps its session (and calls) for a grace period; a reconnect login presenting the same
 *   `sessid` for the same credential reattaches, and `clientReady.reattached_sessions` lists its calls.
 * - The socket is closed when the JWT it logged in with expires without a renewal login.
 * - Calls are bridged as a B2BUA (see `calls.ts`); the server answers every request and pings every 30 s.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { CallRouter, type CallSummary } from './calls';
import { MediaGateway } from '../media/gateway';
import { verifyJwt } from '../jwt';
import type { Faults } from '../faults';
import type { CredentialRecord, Owned, SandboxStore } from '../store';

/**
 * How the caller's leg learns that the call was answered:
 * - `early-media` (Telnyx's normal sequence): `telnyx_rtc.media` with the SDP, then a bare `telnyx_rtc.answer`;
 * - `sdp-answer` (kinder): one `telnyx_rtc.answer` carrying the SDP;
 * - `stuck-early`: reproduces team-telnyx/webrtc #754, where the SDK stays in early media after the answer.
 */
export type AnswerMode = 'early-media' | 'sdp-answer' | 'stuck-early';

export interface SignallingOptions {
	answer: AnswerMode;
	/** `gateway`: each leg's media ends at the sandbox's media gateway (as at Telnyx); `peer-to-peer`: SDPs relayed. */
	media: 'gateway' | 'peer-to-peer';
	/** Check the caller ID of PSTN calls as Telnyx does (D35 / D36); off passes it through unchecked. */
	callerIdChecks: boolean;
	/** A new telephony credential cannot log in until it is this old (Telnyx asks to wait a few seconds). */
	credentialPropagationMs: number;
	/** `list`: reattach a reconnecting session's calls; `none`: forget them (the SDK reports 48501). */
	reattach: 'list' | 'none';
	/** How long a session whose socket dropped keeps its calls, waiting for a reconnect. */
	sessionGraceMs: number;
	/** Interval of server-originated `telnyx_rtc.ping` (0: never). */
	serverPingMs: number;
	/**
	 * Trickle ICE for the legs that ask for it (`"trickle": true`): their candidates are applied at the
	 * gateway or relayed, and the gateway's answer to a trickle caller trickles its candidates. Off: a server
	 * that acknowledges `telnyx_rtc.candidate` / `endOfCandidates` and drops them, and sends whole SDPs.
	 */
	trickle: boolean;
}

export interface FrameLogEntry {
	readonly time: string;
	readonly client: number;
	readonly direction: 'in' | 'out';
	readonly method?: string;
	readonly frame: unknown;
}

interface JsonRpcFrame {
	jsonrpc?: string;
	id?: string | number;
	method?: string;
	params?: Record<string, unknown>;
	result?: unknown;
	error?: unknown;
}

/** One WebSocket. A client is logged in once it has a session. */
export class Client {
	session: Session | null = null;
	/** Half-open emulation: nothing is read from or written to the socket any more. */
	silent = false;
	tokenTimer: NodeJS.Timeout | null = null;
	pingTimer: NodeJS.Timeout | null = null;
	readonly #acks = new Map<number, () => void>();

	constructor(
		readonly id: number,
		readonly socket: WebSocket,
		readonly server: VertoServer,
	) {}

	get open(): boolean {
		return this.socket.readyState === WebSocket.OPEN;
	}

	send(frame: Record<string, unknown>): void {
		if (this.silent || !this.open) return;
		this.server.logFrame(this, 'out', frame);
		this.socket.send(JSON.stringify({ jsonrpc: '2.0', ...frame }));
	}

	/** Sends a server request; `onAck` runs when the SDK acknowledges it. */
	request(method: string, params: Record<string, unknown>, onAck?: () => void): void {
		const id = this.server.nextRequestId();
		if (onAck !== undefined) this.#acks.set(id, onAck);
		this.send({ id, method, params });
	}

	acknowledge(id: number): void {
		const ack = this.#acks.get(id);
		this.#acks.delete(id);
		ack?.();
	}
}

/** A logged-in identity: survives its socket for the grace period. */
export class Session {
	client: Client | null;
	graceTimer: NodeJS.Timeout | null = null;
	/** JWT expiry (ms since epoch) of the last login, or null for password logins. */
	tokenExpiresAt: number | null = null;
	readonly loggedInAt = Date.now();
	/** Sent with REGED: the SDK files this session's call reports under it (`x-call-report-id`). */
	readonly callReportId = randomUUID();

	constructor(
		readonly sessid: string,
		readonly credential: Owned<CredentialRecord>,
		readonly voiceSdkId: string,
		client: Client,
	) {
		this.client = client;
	}

	get sipUsername(): string {
		return this.credential.data.sip_username;
	}
}

export interface SessionSummary {
	readonly sessid: string;
	readonly sipUsername: string;
	readonly connected: boolean;
	readonly silent: boolean;
	readonly tokenExpiresAt: string | null;
	readonly loggedInAt: string;
}

const FRAME_LOG_LIMIT = 5000;

export class VertoServer {
	readonly options: SignallingOptions;
	readonly frames: FrameLogEntry[] = [];
	readonly sessions = new Map<string, Session>();
	readonly calls: CallRouter;
	/** Where every call's media ends (`media: 'gateway'`, and always for the echo). */
	readonly gateway = new MediaGateway();
	readonly #clients = new Set<Client>();
	readonly #wss: WebSocketServer;
	#nextClientId = 1;
	#closed = false;
	#nextServerId = 1000;

	constructor(
		private readonly deps: {
			readonly store: SandboxStore;
			readonly faults: Faults;
			readonly jwtSecret: Buffer;
			readonly now: () => Date;
			readonly options: SignallingOptions;
		},
	) {
		this.options = deps.options;
		this.calls = new CallRouter({ store: deps.store, server: this, gateway: this.gateway });
		this.#wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
	}

	/** Accepts WebSocket upgrades on any path of `server` (the SDK appends query parameters; they are ignored). */
	attach(server: Server): void {
		server.on('upgrade', (request: IncomingMessage, socket, head) => {
			this.#wss.handleUpgrade(request, socket, head, (ws) => this.#accept(ws));
		});
	}

	nextRequestId(): number {
		this.#nextServerId += 1;
		return this.#nextServerId;
	}

	logFrame(
		client: Client,
		direction: 'in' | 'out',
		frame: JsonRpcFrame | Record<string, unknown>,
	): void {
		const method = typeof frame['method'] === 'string' ? frame['method'] : undefined;
		this.frames.push({
			time: this.deps.now().toISOString(),
			client: client.id,
			direction,
			...(method === undefined ? {} : { method }),
			frame,
		});
		if (this.frames.length > FRAME_LOG_LIMIT)
			this.frames.splice(0, this.frames.length - FRAME_LOG_LIMIT);
	}

	/** The session that receives calls for a sip_username: the most recent connected login. */
	registeredSession(sipUsername: string): Session | undefined {
		return [...this.sessions.values()]
			.filter((s) => s.sipUsername === sipUsername && s.client?.open === true)
			.sort((a, b) => b.loggedInAt - a.loggedInAt)[0];
	}

	sessionSummaries(): SessionSummary[] {
		return [...this.sessions.values()].map((s) => ({
			sessid: s.sessid,
			sipUsername: s.sipUsername,
			connected: s.client?.open === true,
			silent: s.client?.silent === true,
			tokenExpiresAt: s.tokenExpiresAt === null ? null : new Date(s.tokenExpiresAt).toISOString(),
			loggedInAt: new Date(s.loggedInAt).toISOString(),
		}));
	}

	callSummaries(): CallSummary[] {
		return this.calls.summaries();
	}

	/** Fault: cut every socket logged in as `sipUsername` without a close handshake (as a lost network does). */
	drop(sipUsername: string): number {
		const clients = this.#clientsOf(sipUsername);
		for (const client of clients) client.socket.terminate();
		return clients.length;
	}

	/** Fault: stop answering and sending on the sockets of `sipUsername`, leaving TCP open (half-open). */
	silence(sipUsername: string): number {
		const clients = this.#clientsOf(sipUsername);
		for (const client of clients) client.silent = true;
		return clients.length;
	}

	close(): void {
		// Set first: the sockets terminated below report their close after this returns, and a closed server
		// must not start a session's grace timer for them (it would hold the process open for a minute).
		this.#closed = true;
		for (const client of this.#clients) client.socket.terminate();
		for (const session of this.sessions.values())
			if (session.graceTimer) clearTimeout(session.graceTimer);
		this.calls.dispose();
		this.#wss.close();
	}

	#clientsOf(sipUsername: string): Client[] {
		return [...this.#clients].filter((c) => c.session?.sipUsername === sipUsername);
	}

	#accept(socket: WebSocket): void {
		const client = new Client(this.#nextClientId++, socket, this);
		this.#clients.add(client);
		if (this.options.serverPingMs > 0) {
			client.pingTimer = setInterval(() => {
				if (client.session !== null)
					client.request('telnyx_rtc.ping', { serno: this.#nextServerId });
			}, this.options.serverPingMs);
		}
		socket.on('message', (data: RawData) => this.#onMessage(client, data));
		socket.on('close', () => this.#onClose(client));
		socket.on('error', () => socket.terminate());
	}

	#onClose(client: Client): void {
		this.#clients.delete(client);
		if (client.pingTimer) clearInterval(client.pingTimer);
		if (client.tokenTimer) clearTimeout(client.tokenTimer);
		const session = client.session;
		if (session === null || session.client !== client) return;
		session.client = null;
		if (this.#closed) return;
		// Keep the session and its calls for a while: the SDK reconnects and reattaches.
		session.graceTimer = setTimeout(() => this.#endSession(session), this.options.sessionGraceMs);
	}

	#endSession(session: Session): void {
		if (session.client !== null) return;
		this.sessions.delete(session.sessid);
		this.calls.sessionLost(session);
	}

	#onMessage(client: Client, data: RawData): void {
		if (client.silent) return;
		const text = (
			Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Uint8Array)
		).toString('utf8');
		// The SDK's speed test sends plain-text frames (#SPU/#SPB/#SPE); they are not JSON-RPC.
		if (text.startsWith('#')) return;
		let frame: JsonRpcFrame;
		try {
			frame = JSON.parse(text) as JsonRpcFrame;
		} catch {
			return;
		}
		if (typeof frame !== 'object' || frame === null) return;
		this.logFrame(client, 'in', frame);
		if (frame.method === undefined) {
			// A result or error for one of our requests (an ACK).
			if (typeof frame.id === 'number') client.acknowledge(frame.id);
			return;
		}
		const id = frame.id ?? null;
		const params = frame.params ?? {};
		const reply = (result: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
			client.send({ id, result, ...extra });
		const fail = (code: number, message: string) => client.send({ id, error: { code, message } });

		switch (frame.method) {
			case 'login':
				this.#login(client, params, reply, fail);
				return;
			case 'telnyx_rtc.ping':
				reply({ message: 'PONG', sessid: client.session?.sessid ?? '' });
				return;
			case 'telnyx_rtc.gatewayState':
				// A registered session's REGED carries the id the SDK files its call reports under (no id,
				// no reports: the SDK posts only with one).
				reply({
					params:
						client.session === null
							? { state: 'NOREG' }
							: { state: 'REGED', call_report_id: client.session.callReportId },
				});
				return;
		}
		const session = client.session;
		if (session === null) {
			// Telnyx asks unauthenticated sockets to log in; the SDK answers -32000 with a login.
			fail(-32000, 'Authentication Required');
			return;
		}
		this.calls.handle(session, frame.method, params, reply, fail);
	}

	#login(
		client: Client,
		params: Record<string, unknown>,
		reply: (result: Record<string, unknown>, extra?: Record<string, unknown>) => void,
		fail: (code: number, message: string) => void,
	): void {
		const credential = this.#authenticate(params);
		if (credential === null) {
			fail(-32001, 'Authentication Failure');
			return;
		}
		const token = typeof params['login_token'] === 'string' ? params['login_token'] : null;
		const tokenExpiresAt = token === null ? null : this.#expiryOf(token);

		let session = client.session;
		if (session !== null && session.credential.data.id !== credential.data.id) {
			// A socket speaks for one credential; a login as someone else is refused.
			fail(-32001, 'Authentication Failure');
			return;
		}
		if (session === null) {
			const presented =
				typeof params['sessid'] === 'string' ? this.sessions.get(params['sessid']) : undefined;
			// Only the same credential may take over a session (never across users).
			if (
				presented !== undefined &&
				presented.credential.data.id === credential.data.id &&
				params['reconnection'] === true
			) {
				session = presented;
				if (session.graceTimer) clearTimeout(session.graceTimer);
				session.graceTimer = null;
				const previous = session.client;
				session.client = client;
				if (previous !== null && previous !== client) previous.session = null;
			} else {
				session = new Session(randomUUID(), credential, randomUUID(), client);
				this.sessions.set(session.sessid, session);
			}
			client.session = session;
		}
		session.tokenExpiresAt = tokenExpiresAt;
		this.#scheduleTokenExpiry(client, session);

		reply({ message: 'logged in', sessid: session.sessid }, { voice_sdk_id: session.voiceSdkId });
		const reattached = this.options.reattach === 'list' ? this.calls.liveCallIds(session) : [];
		if (this.options.reattach === 'none') this.calls.sessionLost(session);
		client.request('telnyx_rtc.clientReady', { reattached_sessions: reattached });
	}

	#authenticate(params: Record<string, unknown>): Owned<CredentialRecord> | null {
		if (this.deps.faults.takeLoginRefusal()) return null;
		const nowSeconds = Math.floor(this.deps.now().getTime() / 1000);
		if (typeof params['login_token'] === 'string') {
			const check = verifyJwt(params['login_token'], this.deps.jwtSecret, nowSeconds);
			if (!check.ok) return null;
			const credential = this.deps.store.credentials.get(check.claims.sub);
			return credential !== undefined &&
				!this.#expired(credential) &&
				!this.#propagating(credential)
				? credential
				: null;
		}
		const login = params['login'];
		const password = params['passwd'] ?? params['password'];
		if (typeof login !== 'string' || typeof password !== 'string') return null;
		const credential = this.deps.store.credentialBySipUsername(login.replace(/@.*$/, ''));
		if (
			credential === undefined ||
			credential.data.sip_password !== password ||
			this.#expired(credential) ||
			this.#propagating(credential)
		)
			return null;
		return credential;
	}

	/**
	 * A credential younger than `credentialPropagationMs` is not known to the signalling edge yet: Telnyx asks
	 * clients to wait a few seconds after creating one, and until then refuses it as it refuses an unknown
	 * login (-32001; the SDK reports LOGIN_FAILED once and does not retry by itself).
	 */
	#propagating(credential: Owned<CredentialRecord>): boolean {
		const created = credential.createdAtMs ?? Date.parse(`${credential.data.created_at}Z`);
		return this.deps.now().getTime() - created < this.options.credentialPropagationMs;
	}

	#expired(credential: Owned<CredentialRecord>): boolean {
		const expiresAt = credential.data.expires_at;
		return expiresAt !== null && Date.parse(`${expiresAt}Z`) <= this.deps.now().getTime();
	}

	#expiryOf(token: string): number | null {
		const check = verifyJwt(
			token,
			this.deps.jwtSecret,
			Math.floor(this.deps.now().getTime() / 1000),
		);
		return check.ok ? check.claims.exp * 1000 : null;
	}

	/** Closes the socket when its token expires, unless a renewal login moved the expiry on. */
	#scheduleTokenExpiry(client: Client, session: Session): void {
		if (client.tokenTimer) clearTimeout(client.tokenTimer);
		client.tokenTimer = null;
		if (session.tokenExpiresAt === null) return;
		const delay = Math.max(0, session.tokenExpiresAt - this.deps.now().getTime());
		client.tokenTimer = setTimeout(() => {
			if (session.tokenExpiresAt === null) return;
			// Node's timers can fire a millisecond before Date.now() reaches the deadline: check again then,
			// rather than leave the socket open for good.
			if (session.tokenExpiresAt > this.deps.now().getTime()) {
				this.#scheduleTokenExpiry(client, session);
			} else {
				client.socket.close(4001, 'Token expired');
			}
		}, delay);
	}
}
