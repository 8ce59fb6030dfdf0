/**
 * The local Telnyx sandbox: REST API v2 and WebRTC signalling on 127.0.0.1, in one Node process, plus an
 * admin API for fault injection and read-back. Tests start it in process (`startSandbox`); `npm run sandbox`
 * starts it from the command line (cli.ts). See README.md in this folder.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { Faults, type RestFault } from './faults';
import { signJwt, telnyxClaims } from './jwt';
import { parseImpairment, type MediaImpairment } from './media/impairment';
import { createSpecChecker, type SpecChecker } from './openapi/spec-check';
import { SpecRecorder, type SpecReport } from './openapi/spec-recorder';
import { DEFAULT_REST_BEHAVIOUR, updateRestBehaviour, type RestBehaviour } from './rest/behaviour';
import { createRestApi, type RestLogEntry } from './rest/rest-api';
import { SandboxStore, type Account, type CredentialRecord } from './store';
import { VertoServer, type SignallingOptions } from './signalling/verto-server';

export { ECHO_NUMBER } from './signalling/routing';
export type { MediaImpairment } from './media/impairment';

export interface SandboxOptions {
	/** 0 picks a free port. */
	readonly restPort?: number;
	readonly signallingPort?: number;
	/** The default account's API key (random when omitted). */
	readonly apiKey?: string;
	/** Numbers seeded on the default account. */
	readonly phoneNumbers?: readonly string[];
	readonly signalling?: Partial<SignallingOptions>;
	readonly rateLimit?: number;
	/** REST behaviour where Telnyx is unkind or undocumented; defaults are Telnyx's (rest/behaviour.ts). */
	readonly rest?: Partial<RestBehaviour>;
	/**
	 * The file `close()` appends this sandbox's OpenAPI tally to (default: `$SANDBOX_SPEC_TALLY`, which the
	 * full test run sets); null for none, for a test that makes a mismatch on purpose.
	 */
	readonly specTally?: string | null;
	readonly now?: () => Date;
}

// Compiling the spec's schemas takes a moment; every sandbox in a process shares one checker.
let sharedChecker: SpecChecker | undefined;

export const DEFAULT_PHONE_NUMBERS = ['+13125550142', '+14155550123', '+442079460123'];
const TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

export interface Sandbox {
	/** REST base URL, e.g. `http://127.0.0.1:14000/v2`. */
	readonly restBaseUrl: string;
	/** Signalling WebSocket URL, e.g. `ws://127.0.0.1:14001`. */
	readonly signallingUrl: string;
	/** Admin API base URL, e.g. `http://127.0.0.1:14000/admin`. */
	readonly adminUrl: string;
	/** The default account's API key. */
	readonly apiKey: string;
	readonly admin: SandboxAdmin;
	close(): Promise<void>;
}

/** Fault controls and read-back, used in process by tests and over HTTP through `/admin`. */
/** One call report the SDK posted to the signalling host. */
export interface CallReportPost {
	readonly callReportId: string;
	readonly callId: string;
	readonly bytes: number;
}

export interface SandboxAdmin {
	createAccount(): Account;
	addPhoneNumber(e164: string, apiKey?: string): void;
	/** Makes the client logged in as `sipUsername` the phone behind `e164` (null removes it). */
	setPhone(e164: string, sipUsername: string | null): void;
	addRestFault(fault: RestFault): void;
	refuseLogins(count: number): void;
	setTokenLifetime(seconds: number | null): void;
	clearFaults(): void;
	drop(sipUsername: string): number;
	silence(sipUsername: string): number;
	setSignalling(options: Partial<SignallingOptions>): SignallingOptions;
	/** The signalling behaviour now in force. */
	signalling(): SignallingOptions;
	setRest(options: Partial<RestBehaviour>): RestBehaviour;
	/**
	 * Degrades the RTP the media gateway sends to clients, live calls included; replaces the impairment in
	 * force (a field left out is 0, so `{}` clears it) and answers it. Throws on a value out of range.
	 */
	setMediaImpairment(impairment: Partial<MediaImpairment>): MediaImpairment;
	/** The media impairment in force (all zeros: none). */
	mediaImpairment(): MediaImpairment;
	/** Every REST exchange checked against Telnyx's OpenAPI spec so far, and the mismatches. */
	specReport(): SpecReport;
	calls(): ReturnType<VertoServer['callSummaries']>;
	/** The SDK's call-report POSTs received so far (who filed them, for which call, how big). */
	callReports(): readonly CallReportPost[];
	sessions(): ReturnType<VertoServer['sessionSummaries']>;
	requests(): readonly RestLogEntry[];
	frames(): VertoServer['frames'];
	/** Mints a login JWT for a credential id, as the token endpoint would. */
	mintToken(credentialId: string): string;
	/**
	 * Adds `count` installations' credentials to an account in one step (the default account unless `apiKey`
	 * names another), tagged `tag` (the app's, `telnyx-softphone`, by default). Answers them newest first.
	 */
	seedInstallations(options: {
		readonly count: number;
		readonly apiKey?: string;
		readonly tag?: string;
	}): CredentialRecord[];
}

function listen(server: Server, port: number): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
	});
}

function close(server: Server): Promise<void> {
	return new Promise((resolve) => {
		server.closeAllConnections();
		server.close(() => resolve());
	});
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	const text = Buffer.concat(chunks).toString('utf8');
	if (text.trim() === '') return {};
	const parsed: unknown = JSON.parse(text);
	return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	response.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
	});
	response.end(text);
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const now = options.now ?? (() => new Date());
	const store = new SandboxStore();
	const faults = new Faults();
	const jwtSecret = randomBytes(64);
	const restLog: RestLogEntry[] = [];
	const callReports: CallReportPost[] = [];
	const restBehaviour: RestBehaviour = { ...DEFAULT_REST_BEHAVIOUR };
	updateRestBehaviour(restBehaviour, { ...options.rest });
	sharedChecker ??= createSpecChecker();
	const spec = new SpecRecorder(sharedChecker);

	const mintFor = (credential: CredentialRecord): string => {
		const nowSeconds = Math.floor(now().getTime() / 1000);
		let exp = nowSeconds + (faults.tokenLifetimeSeconds ?? TOKEN_LIFETIME_SECONDS);
		// A token never outlives its credential.
		if (credential.expires_at !== null)
			exp = Math.min(exp, Math.floor(Date.parse(`${credential.expires_at}Z`) / 1000));
		return signJwt(telnyxClaims(credential.id, nowSeconds, exp), jwtSecret);
	};

	const defaultAccount = store.createAccount(options.apiKey);
	const seed = (account: Account, e164: string) => {
		const phone = parsePhoneNumberFromString(e164);
		if (phone?.country === undefined) throw new Error(`Not a valid E.164 number: ${e164}`);
		store.addPhoneNumber(account.id, phone.number, phone.country, now().toISOString());
	};
	for (const number of options.phoneNumbers ?? DEFAULT_PHONE_NUMBERS) seed(defaultAccount, number);

	const verto = new VertoServer({
		store,
		faults,
		jwtSecret,
		now,
		options: {
			answer: 'early-media',
			media: 'gateway',
			callerIdChecks: true,
			credentialPropagationMs: 3_000,
			reattach: 'list',
			sessionGraceMs: 60_000,
			serverPingMs: 30_000,
			trickle: true,
			...options.signalling,
		},
	});

	const handleRest = createRestApi({
		store,
		faults,
		now,
		mintToken: mintFor,
		rateLimit: options.rateLimit ?? 600,
		rateWindowSeconds: 60,
		log: restLog,
		behaviour: restBehaviour,
		onExchange: (exchange) => spec.record(exchange),
	});

	const admin: SandboxAdmin = {
		createAccount: () => store.createAccount(),
		addPhoneNumber(e164, apiKey) {
			const account = apiKey === undefined ? defaultAccount : store.accountByKey(apiKey);
			if (account === undefined) throw new Error('Unknown API key');
			seed(account, e164);
		},
		setPhone(e164, sipUsername) {
			if (sipUsername === null) verto.calls.phones.delete(e164);
			else verto.calls.phones.set(e164, sipUsername);
		},
		addRestFault: (fault) => faults.addRest(fault),
		refuseLogins(count) {
			faults.refuseLogins = count;
		},
		setTokenLifetime(seconds) {
			faults.tokenLifetimeSeconds = seconds;
		},
		clearFaults: () => faults.clear(),
		drop: (user) => verto.drop(user),
		silence: (user) => verto.silence(user),
		setSignalling(next) {
			Object.assign(verto.options, next);
			return { ...verto.options };
		},
		signalling: () => ({ ...verto.options }),
		setRest: (next) => updateRestBehaviour(restBehaviour, next),
		setMediaImpairment(next) {
			const checked = parseImpairment(next);
			if (!checked.ok) throw new Error(checked.message);
			verto.gateway.impairment = checked.impairment;
			return checked.impairment;
		},
		mediaImpairment: () => verto.gateway.impairment,
		specReport: () => spec.report(),
		calls: () => verto.callSummaries(),
		callReports: () => callReports,
		sessions: () => verto.sessionSummaries(),
		requests: () => restLog,
		frames: () => verto.frames,
		seedInstallations({ count, apiKey, tag }) {
			const account = apiKey === undefined ? defaultAccount : store.accountByKey(apiKey);
			if (account === undefined) throw new Error('Unknown API key');
			if (!Number.isInteger(count) || count < 1 || count > 100_000)
				throw new Error('count must be a whole number from 1 to 100000');
			return store.seedCredentials(account.id, count, {
				tag: tag ?? 'telnyx-softphone',
				now: now(),
			});
		},
		mintToken(credentialId) {
			const credential = store.credentials.get(credentialId);
			if (credential === undefined) throw new Error('Unknown credential');
			return mintFor(credential.data);
		},
	};

	const handleAdmin = async (
		request: IncomingMessage,
		response: ServerResponse,
		path: string,
	): Promise<void> => {
		const method = request.method ?? 'GET';
		const body = method === 'GET' ? {} : await readJson(request);
		const route = `${method} ${path}`;
		const client = /^POST \/clients\/([^/]+)\/(drop|silence)$/.exec(route);
		const phone = /^(PUT|DELETE) \/phones\/([^/]+)$/.exec(route);
		if (client !== null) {
			const [, user = '', action] = client;
			const affected =
				action === 'drop'
					? admin.drop(decodeURIComponent(user))
					: admin.silence(decodeURIComponent(user));
			sendJson(response, affected > 0 ? 200 : 404, { affected });
			return;
		}
		if (phone !== null) {
			const [, verb, number = ''] = phone;
			const user =
				verb === 'PUT' && typeof body['sip_username'] === 'string' ? body['sip_username'] : null;
			admin.setPhone(decodeURIComponent(number), user);
			sendJson(response, 200, { phone_number: decodeURIComponent(number), sip_username: user });
			return;
		}
		switch (route) {
			case 'GET /calls':
				return sendJson(response, 200, admin.calls());
			case 'GET /sessions':
				return sendJson(response, 200, admin.sessions());
			case 'GET /requests':
				return sendJson(response, 200, admin.requests());
			case 'GET /frames':
				return sendJson(response, 200, admin.frames());
			case 'POST /accounts': {
				const account = admin.createAccount();
				return sendJson(response, 201, { api_key: account.apiKey, user_id: account.id });
			}
			case 'POST /installations': {
				const seeded = admin.seedInstallations({
					count: Number(body['count']),
					...(typeof body['api_key'] === 'string' ? { apiKey: body['api_key'] } : {}),
					...(typeof body['tag'] === 'string' ? { tag: body['tag'] } : {}),
				});
				return sendJson(response, 201, {
					count: seeded.length,
					data: seeded.map((c) => ({ id: c.id, name: c.name, sip_username: c.sip_username })),
				});
			}
			case 'POST /phone-numbers':
				admin.addPhoneNumber(
					String(body['phone_number']),
					typeof body['api_key'] === 'string' ? body['api_key'] : undefined,
				);
				return sendJson(response, 201, { phone_number: body['phone_number'] });
			case 'POST /faults/rest':
				admin.addRestFault(body as unknown as RestFault);
				return sendJson(response, 201, body);
			case 'POST /faults/logins':
				admin.refuseLogins(Number(body['refuse'] ?? 0));
				return sendJson(response, 200, { refuse: faults.refuseLogins });
			case 'POST /tokens':
				admin.setTokenLifetime(
					body['lifetime_seconds'] === null ? null : Number(body['lifetime_seconds']),
				);
				return sendJson(response, 200, { lifetime_seconds: faults.tokenLifetimeSeconds });
			case 'DELETE /faults':
				admin.clearFaults();
				return sendJson(response, 200, {});
			case 'PATCH /signalling':
				return sendJson(response, 200, admin.setSignalling(body));
			case 'PATCH /rest':
				return sendJson(response, 200, admin.setRest(body));
			case 'GET /spec':
				return sendJson(response, 200, admin.specReport());
			case 'GET /media/impairment':
				return sendJson(response, 200, admin.mediaImpairment());
			case 'PUT /media/impairment': {
				const checked = parseImpairment(body);
				if (!checked.ok) return sendJson(response, 400, { error: checked.message });
				return sendJson(response, 200, admin.setMediaImpairment(checked.impairment));
			}
			case 'DELETE /media/impairment':
				return sendJson(response, 200, admin.setMediaImpairment({}));
			default:
				return sendJson(response, 404, { error: `No admin route ${route}` });
		}
	};

	const restServer = createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const fail = (error: unknown) => {
			if (!response.headersSent) sendJson(response, 400, { error: String(error) });
		};
		if (url.pathname.startsWith('/v2/') || url.pathname === '/v2') {
			handleRest(request, response, url.pathname.slice('/v2'.length), url.searchParams).catch(fail);
		} else if (url.pathname.startsWith('/admin/')) {
			handleAdmin(request, response, url.pathname.slice('/admin'.length)).catch(fail);
		} else {
			sendJson(response, 404, {
				errors: [
					{
						code: '10005',
						title: 'Resource not found',
						detail: 'The requested resource or URL could not be found.',
					},
				],
			});
		}
	});

	// The signalling host also takes the SDK's call-report POSTs (the https form of the signalling URL);
	// each is recorded, so a test can tell whether the app sent any.
	const signallingServer = createServer((request, response) => {
		const cors = {
			'access-control-allow-origin': '*',
			'access-control-allow-headers': 'content-type, x-call-report-id, x-call-id, x-voice-sdk-id',
			'access-control-allow-methods': 'POST, OPTIONS',
		};
		let bytes = 0;
		request.on('data', (chunk: Buffer) => (bytes += chunk.length));
		request.on('end', () => {
			const path = (request.url ?? '/').split('?')[0];
			if (request.method === 'POST' && path === '/call_report') {
				const header = (name: string) => String(request.headers[name] ?? '');
				callReports.push({
					callReportId: header('x-call-report-id'),
					callId: header('x-call-id'),
					bytes,
				});
			}
			response.writeHead(
				request.method === 'OPTIONS' || request.method === 'POST' ? 204 : 404,
				cors,
			);
			response.end();
		});
	});
	verto.attach(signallingServer);

	const restPort = await listen(restServer, options.restPort ?? 0);
	const signallingPort = await listen(signallingServer, options.signallingPort ?? 0);

	return {
		restBaseUrl: `http://127.0.0.1:${restPort}/v2`,
		signallingUrl: `ws://127.0.0.1:${signallingPort}`,
		adminUrl: `http://127.0.0.1:${restPort}/admin`,
		apiKey: defaultAccount.apiKey,
		admin,
		async close() {
			verto.close();
			await Promise.all([close(restServer), close(signallingServer)]);
			// A REST answer that disagrees with Telnyx's spec fails whatever started this sandbox.
			spec.appendTally(
				options.specTally === undefined ? process.env['SANDBOX_SPEC_TALLY'] : options.specTally,
			);
			const failure = spec.failure();
			if (failure !== null) throw failure;
		},
	};
}
