/**
 * D6: `NODE_TLS_REJECT_UNAUTHORIZED=0` in the environment must not let the REST client talk to a server
 * whose certificate does not verify. A decoy HTTPS server on 127.0.0.1 with a self-signed certificate
 * (made at test time with the `openssl` CLI) counts the TCP connections, TLS handshake failures and HTTP
 * requests it gets; the client is the real one (`createTelnyxClient`, Node's own `fetch`) with a canary key.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hardenEnvironment } from '../../../main/environment';
import { createTelnyxClient, describeFailure } from '../../../main/telnyx/telnyx-client';
import { selfSignedCertificate } from '../../support/self-signed';

const canary = `KEYCANARY_${randomBytes(16).toString('hex')}`;
/** A certificate the app cannot verify is said as such, not as "no internet". */
const UNTRUSTED = {
	code: 'UNREACHABLE',
	message:
		'The connection to Telnyx could not be verified as secure (its certificate was not trusted), so nothing was sent. If your network inspects encrypted traffic, ask its administrator to let api.telnyx.com through, or try another network.',
};

let tls: { key: Buffer; cert: Buffer };
beforeAll(() => {
	tls = selfSignedCertificate();
});

interface Decoy {
	readonly baseURL: string;
	/** TCP connections accepted: proves the client got as far as the decoy. */
	connections: number;
	/** TLS handshakes that failed (the client hung up on the certificate). */
	handshakeFailures: number;
	/** HTTP requests received, with the Authorization header each carried. */
	readonly requests: { url: string; authorization: string | undefined }[];
	close(): Promise<void>;
}

async function startDecoy(): Promise<Decoy> {
	const server: Server = createServer(tls, (request, response) => {
		decoy.requests.push({ url: request.url ?? '', authorization: request.headers.authorization });
		response.writeHead(200, { 'content-type': 'application/json' });
		response.end(JSON.stringify({ data: [], meta: { total_pages: 1, page_number: 1 } }));
	});
	server.on('connection', () => decoy.connections++);
	server.on('tlsClientError', () => decoy.handshakeFailures++);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const decoy: Decoy = {
		baseURL: `https://127.0.0.1:${port}/v2`,
		connections: 0,
		handshakeFailures: 0,
		requests: [],
		close: () =>
			new Promise<void>((resolve) => {
				// Drops kept-alive connections too, so no later test can reuse one.
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
	return decoy;
}

/** The `code` of every error in a `cause` chain (Node puts the TLS reason at the bottom). */
function causeCodes(error: unknown): string[] {
	const codes: string[] = [];
	for (let e: unknown = error; e instanceof Error; e = e.cause) {
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string') codes.push(code);
	}
	return codes;
}

async function listThroughClient(baseURL: string): Promise<unknown> {
	const client = createTelnyxClient({ apiKey: canary, baseURL, timeoutMs: 5000 });
	return client.credentialConnections.list({ 'page[size]': 1 }).then(
		() => null,
		(error: unknown) => error,
	);
}

const originalSetting = process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
let decoy: Decoy;
beforeEach(async () => {
	decoy = await startDecoy();
});
afterEach(async () => {
	await decoy.close();
	if (originalSetting === undefined) delete process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
	else process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = originalSetting;
});

describe('D6: certificate checks cannot be turned off from the environment', () => {
	it('control: in this process the variable really disables checks, and the decoy sees the key', async () => {
		// Without this, the tests below could pass because the decoy or the variable did nothing.
		process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
		const response = await fetch(`${decoy.baseURL}/balance`, {
			headers: { authorization: `Bearer ${canary}` },
		});
		expect(response.status).toBe(200);
		expect(decoy.requests).toEqual([{ url: '/v2/balance', authorization: `Bearer ${canary}` }]);
	});

	it('launched with NODE_TLS_REJECT_UNAUTHORIZED=0, after the startup hardening the decoy gets no request and no key', async () => {
		process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
		const removed = hardenEnvironment(process.env);

		const error = await listThroughClient(decoy.baseURL);

		expect(decoy.requests).toEqual([]);
		expect(removed).toContain('NODE_TLS_REJECT_UNAUTHORIZED');
		// It did reach the decoy: the TLS handshake is where it stopped, on the certificate.
		expect(decoy.connections).toBeGreaterThanOrEqual(1);
		expect(causeCodes(error)).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
		expect(describeFailure(error, 5)).toEqual(UNTRUSTED);
		expect(JSON.stringify(describeFailure(error, 5))).not.toContain(canary);
	});

	it('set again after startup (by any code in the process), the client refuses before connecting', async () => {
		hardenEnvironment(process.env);
		process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';

		const error = await listThroughClient(decoy.baseURL);

		expect(decoy.requests).toEqual([]);
		expect(decoy.connections).toBe(0);
		expect(describeFailure(error, 5)).toEqual(UNTRUSTED);
	});

	it('without the variable, the self-signed decoy is refused in the handshake', async () => {
		delete process.env['NODE_TLS_REJECT_UNAUTHORIZED'];

		const error = await listThroughClient(decoy.baseURL);

		expect(decoy.requests).toEqual([]);
		expect(decoy.connections).toBeGreaterThanOrEqual(1);
		expect(causeCodes(error)).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
		expect(describeFailure(error, 5)).toEqual(UNTRUSTED);
	});
});
