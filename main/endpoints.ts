/**
 * The Telnyx endpoints, and the rules for the only other endpoints a profile may use: a sandbox given on the
 * command line of the dev and demo profiles (main/profile.ts). An endpoint receives the API key (REST) or
 * login tokens (signalling), so only encrypted transports are accepted, except plain HTTP/WS to this
 * machine's loopback address, where the bundled sandbox runs.
 */
import type { Endpoints } from '../preload/contract';

export const TELNYX_PRODUCTION: Endpoints = {
	restBaseUrl: 'https://api.telnyx.com/v2',
	signallingUrl: 'wss://rtc.telnyx.com',
};

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * A DNS name, IPv4 address or bracketed IPv6 address, with an optional port. The URL parser lets characters
 * such as `;` through in hosts of non-special schemes (`wss:` is one), and the signalling host ends up in the
 * CSP header, where `;` would start a new directive.
 */
const HOST =
	/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function isPlainHost(host: string): boolean {
	return HOST.test(host);
}

export function isLoopbackUrl(value: string): boolean {
	try {
		return LOOPBACK_HOSTS.has(new URL(value).hostname);
	} catch {
		return false;
	}
}

/** Why an endpoint URL is refused, in words, or null when it is acceptable. */
function checkUrl(value: string, secure: string, plain: string, what: string): string | null {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return `The ${what} is not a valid URL.`;
	}
	if (url.username || url.password) return `The ${what} must not contain a user name or password.`;
	if (url.search || url.hash) return `The ${what} must not have a query or fragment.`;
	if (url.protocol !== secure && !(url.protocol === plain && LOOPBACK_HOSTS.has(url.hostname))) {
		return `The ${what} must start with ${secure}// (${plain}// is allowed only for this computer, 127.0.0.1).`;
	}
	if (!isPlainHost(url.host))
		return `The ${what} has characters that are not allowed in a host name.`;
	return null;
}

export function checkRestBaseUrl(value: string): string | null {
	return checkUrl(value, 'https:', 'http:', 'REST API URL');
}

export function checkSignallingUrl(value: string): string | null {
	return checkUrl(value, 'wss:', 'ws:', 'signalling URL');
}

/** The REST base URL without a trailing slash, so `…/v2` and `…/v2/` are the same setting. */
export function normaliseBaseUrl(value: string): string {
	return value.replace(/\/+$/, '');
}

/** An `RTCIceServer` as the endpoints carry it (see `Endpoints['iceServers']`). */
export type IceServer = NonNullable<Endpoints['iceServers']>[number];

/** Bounds on a list of ICE servers: each server is tried for every call, so a long list is a slow call. */
export const ICE_LIMITS = {
	servers: 8,
	urlsPerServer: 4,
	urlLength: 256,
	secretLength: 256,
} as const;

/**
 * `stun:`/`turn:`/`turns:` URLs in the RFC 7064/7065 form: a plain host (as for the other endpoints), an
 * optional port, and for TURN an optional `?transport=udp|tcp` (the SDK's own defaults use both). No user
 * information, path or other query: nothing a browser would not take, or would read differently.
 */
const ICE_URL = /^(stun|turn|turns):([^?]+?)(?::(\d{1,5}))?(\?transport=(?:udp|tcp))?$/;

/** Why an ICE server URL is refused, in words, or null when it is acceptable. */
function checkIceUrl(url: string, loopbackOnly: boolean): string | null {
	if (url.length > ICE_LIMITS.urlLength)
		return `An ICE server URL is longer than ${ICE_LIMITS.urlLength} characters.`;
	const match = ICE_URL.exec(url);
	if (match === null)
		return 'An ICE server URL must be stun:, turn: or turns: followed by a host, an optional port and, for TURN, an optional ?transport=udp or tcp.';
	const [, scheme, host = '', port] = match;
	if (scheme === 'stun' && match[4] !== undefined)
		return 'A stun: URL takes no ?transport= (RFC 7064).';
	if (!isPlainHost(host) || host.includes(':') !== host.startsWith('['))
		return 'An ICE server URL has characters that are not allowed in a host name.';
	if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
		return 'An ICE server URL has a port out of range.';
	if (loopbackOnly && !LOOPBACK_HOSTS.has(host))
		return 'A sandbox ICE server must run on this computer (127.0.0.1, [::1] or localhost).';
	return null;
}

/**
 * Why a list of ICE servers is refused, in words, or null when it is acceptable: bounded in number and
 * size, only STUN and TURN URLs (see `ICE_URL`), and the user name and credential TURN needs (Chromium
 * refuses a turn: URL without them, and would fail every call) as short printable text. `loopbackOnly` for
 * a sandbox's servers, which must be on this computer as its other endpoints are.
 */
export function checkIceServers(servers: unknown, loopbackOnly = false): string | null {
	if (!Array.isArray(servers)) return 'The ICE servers must be a list.';
	if (servers.length > ICE_LIMITS.servers)
		return `At most ${ICE_LIMITS.servers} ICE servers may be given.`;
	for (const server of servers as unknown[]) {
		if (typeof server !== 'object' || server === null || Array.isArray(server))
			return 'Each ICE server must be an object with urls (and, for TURN, username and credential).';
		const { urls, username, credential, ...rest } = server as Record<string, unknown>;
		if (Object.keys(rest).length > 0)
			return `An ICE server has fields other than urls, username and credential: ${Object.keys(rest).join(', ')}.`;
		const list = typeof urls === 'string' ? [urls] : urls;
		if (!Array.isArray(list) || list.length === 0 || list.some((url) => typeof url !== 'string'))
			return 'An ICE server must have urls: a URL or a non-empty list of URLs.';
		if (list.length > ICE_LIMITS.urlsPerServer)
			return `An ICE server may have at most ${ICE_LIMITS.urlsPerServer} URLs.`;
		for (const url of list as string[]) {
			const problem = checkIceUrl(url, loopbackOnly);
			if (problem !== null) return problem;
		}
		for (const [name, value] of [
			['user name', username],
			['credential', credential],
		] as const) {
			if (value === undefined) continue;
			if (
				typeof value !== 'string' ||
				value.length === 0 ||
				value.length > ICE_LIMITS.secretLength ||
				!/^[\x20-\x7e]+$/.test(value)
			)
				return `An ICE server's ${name} must be 1–${ICE_LIMITS.secretLength} printable ASCII characters.`;
		}
		const turn = (list as string[]).some((url) => url.startsWith('turn'));
		if (turn && (username === undefined || credential === undefined))
			return 'A TURN server needs a username and a credential.';
	}
	return null;
}

/** The endpoints as a support bundle shows them: TURN user names and credentials withheld. */
export function endpointsForSupport(endpoints: Endpoints): Endpoints {
	if (endpoints.iceServers === undefined) return endpoints;
	return {
		...endpoints,
		iceServers: endpoints.iceServers.map(({ urls, username, credential }) => ({
			urls,
			...(username === undefined ? {} : { username: '[withheld]' }),
			...(credential === undefined ? {} : { credential: '[withheld]' }),
		})),
	};
}
