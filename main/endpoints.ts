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
