/**
 * A freshly created telephony credential cannot log in straight away: Telnyx asks clients to wait a few
 * seconds after creating one, and the sandbox refuses it until `credentialPropagationMs` has passed, with the
 * same -32001 an unknown login gets (the SDK then reports LOGIN_FAILED once and stops).
 */
import Telnyx from 'telnyx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';

interface Reply {
	id?: string;
	result?: Record<string, unknown>;
	error?: { code: number; message: string };
}

/** Opens a socket, sends one login and returns its reply. */
async function login(url: string, params: Record<string, unknown>): Promise<Reply> {
	const ws = new WebSocket(`${url}/?voice_sdk_id=ignored`);
	await new Promise((resolve, reject) => {
		ws.once('open', resolve);
		ws.once('error', reject);
	});
	try {
		const reply = new Promise<Reply>((resolve) => {
			ws.on('message', (data: WebSocket.RawData) => {
				const frame = JSON.parse(
					(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Uint8Array)).toString(
						'utf8',
					),
				) as Reply;
				if (frame.id === 'login-1') resolve(frame);
			});
		});
		ws.send(JSON.stringify({ jsonrpc: '2.0', id: 'login-1', method: 'login', params }));
		return await reply;
	} finally {
		ws.close();
	}
}

let sandbox: Sandbox;
let client: Telnyx;
let connectionId: string;

beforeAll(async () => {
	sandbox = await startSandbox();
	client = new Telnyx({ apiKey: sandbox.apiKey, baseURL: sandbox.restBaseUrl, maxRetries: 0 });
	const connection = await client.credentialConnections.create({
		connection_name: 'propagation',
		user_name: 'propagation1',
		password: 'propagation-password',
	});
	connectionId = connection.data!.id!;
});
afterAll(() => sandbox.close());

async function freshCredential() {
	const credential = (await client.telephonyCredentials.create({ connection_id: connectionId }))
		.data!;
	const token = await client.telephonyCredentials.createToken(credential.id!);
	return { credential, token };
}

describe('credential propagation', () => {
	it('refuses a brand-new credential with -32001 by default (3 s), by JWT and by password', async () => {
		const { credential, token } = await freshCredential();
		const byToken = await login(sandbox.signallingUrl, { login_token: token });
		expect(byToken.error).toEqual({ code: -32001, message: 'Authentication Failure' });
		const byPassword = await login(sandbox.signallingUrl, {
			login: credential.sip_username,
			passwd: credential.sip_password,
		});
		expect(byPassword.error).toEqual({ code: -32001, message: 'Authentication Failure' });
		expect(sandbox.admin.setSignalling({}).credentialPropagationMs).toBe(3000);
	});

	it('accepts the same credential once it is older than the delay', async () => {
		sandbox.admin.setSignalling({ credentialPropagationMs: 400 });
		try {
			const { token } = await freshCredential();
			expect((await login(sandbox.signallingUrl, { login_token: token })).error?.code).toBe(-32001);
			await new Promise((resolve) => setTimeout(resolve, 450));
			const accepted = await login(sandbox.signallingUrl, { login_token: token });
			expect(accepted.error).toBeUndefined();
			expect(accepted.result).toMatchObject({ message: 'logged in' });
		} finally {
			sandbox.admin.setSignalling({ credentialPropagationMs: 3000 });
		}
	});

	it('with the delay set to 0, logs a new credential in at once', async () => {
		sandbox.admin.setSignalling({ credentialPropagationMs: 0 });
		try {
			const { token } = await freshCredential();
			const accepted = await login(sandbox.signallingUrl, { login_token: token });
			expect(accepted.result).toMatchObject({ message: 'logged in' });
		} finally {
			sandbox.admin.setSignalling({ credentialPropagationMs: 3000 });
		}
	});
});
