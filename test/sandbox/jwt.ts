/**
 * HS512 JWTs with Telnyx's claim set: `sub` is the credential id, `tel_token` an
 * opaque random value. The SDK only decodes `exp`; the sandbox's signalling server verifies the signature.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export interface TelnyxClaims {
	readonly aud: 'telnyx_telephony';
	readonly iss: 'telnyx_telephony';
	readonly sub: string;
	readonly iat: number;
	readonly nbf: number;
	readonly exp: number;
	readonly jti: string;
	readonly typ: 'access';
	readonly tel_token: string;
}

const base64url = (input: Buffer | string) => Buffer.from(input).toString('base64url');

export function signJwt(claims: TelnyxClaims, secret: Buffer): string {
	const head = base64url(JSON.stringify({ alg: 'HS512', typ: 'JWT' }));
	const body = base64url(JSON.stringify(claims));
	const signature = createHmac('sha512', secret).update(`${head}.${body}`).digest('base64url');
	return `${head}.${body}.${signature}`;
}

/** Builds the claims of a token for `credentialId` valid from `nowSeconds` until `expSeconds`. */
export function telnyxClaims(
	credentialId: string,
	nowSeconds: number,
	expSeconds: number,
): TelnyxClaims {
	return {
		aud: 'telnyx_telephony',
		iss: 'telnyx_telephony',
		sub: credentialId,
		iat: nowSeconds,
		nbf: nowSeconds - 1,
		exp: expSeconds,
		jti: randomUUID(),
		typ: 'access',
		tel_token: randomBytes(24).toString('base64'),
	};
}

export type JwtCheck = { ok: true; claims: TelnyxClaims } | { ok: false; reason: string };

/** Verifies the signature, the algorithm and the time window. */
export function verifyJwt(token: string, secret: Buffer, nowSeconds: number): JwtCheck {
	const parts = token.split('.');
	if (parts.length !== 3) return { ok: false, reason: 'malformed token' };
	const [head = '', body = '', signature = ''] = parts;
	let header: unknown;
	let claims: unknown;
	try {
		header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
		claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
	} catch {
		return { ok: false, reason: 'malformed token' };
	}
	if (
		typeof header !== 'object' ||
		header === null ||
		(header as { alg?: unknown }).alg !== 'HS512'
	) {
		return { ok: false, reason: 'unexpected algorithm' };
	}
	const expected = createHmac('sha512', secret).update(`${head}.${body}`).digest();
	const given = Buffer.from(signature, 'base64url');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
		return { ok: false, reason: 'bad signature' };
	}
	const c = claims as Partial<TelnyxClaims>;
	if (typeof c.sub !== 'string' || typeof c.exp !== 'number' || typeof c.nbf !== 'number') {
		return { ok: false, reason: 'missing claims' };
	}
	if (c.aud !== 'telnyx_telephony') return { ok: false, reason: 'wrong audience' };
	if (nowSeconds >= c.exp) return { ok: false, reason: 'token expired' };
	if (nowSeconds < c.nbf) return { ok: false, reason: 'token not yet valid' };
	return { ok: true, claims: c as TelnyxClaims };
}
