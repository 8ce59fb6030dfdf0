/**
 * The installation profile, from the command line. It decides where the app talks to Telnyx — the page
 * cannot change that (a page that could would send the API key and the login tokens wherever it liked) —
 * and development and demo runs get their own user-data folder and keychain service name, so they never
 * read or overwrite a real installation's API key.
 *
 * - production: Telnyx's own hosts, over https: and wss: only; nothing on the command line changes them, so
 *   a production install can never be redirected by whoever launches it.
 * - dev: Telnyx's own hosts by default, or a sandbox on this computer (`--sandbox-rest=`,
 *   `--sandbox-signalling=`, loopback only), with the STUN/TURN servers the sandbox hands out
 *   (`--sandbox-ice-servers=<JSON list of RTCIceServer>`, loopback only, checked by `checkIceServers`).
 * - demo: the bundled sandbox on this computer (loopback only, plain http: and ws: allowed there).
 */
import type { Endpoints, Profile } from '../preload/contract';
import {
	TELNYX_PRODUCTION,
	checkIceServers,
	checkRestBaseUrl,
	checkSignallingUrl,
	isLoopbackUrl,
	normaliseBaseUrl,
} from './endpoints';

export interface ProfileConfig {
	readonly profile: Profile;
	/** Appended to the app's user-data folder name (empty for production). */
	readonly userDataSuffix: string;
	/** The keychain service under which the API key is stored. */
	readonly keychainService: string;
	/** Where this installation talks to Telnyx, for the whole run. */
	readonly endpoints: Endpoints;
}

export const KEYCHAIN_SERVICE = 'telnyx-softphone';

/** The bundled sandbox's default ports (see test/sandbox/README.md). */
const SANDBOX: Endpoints = {
	restBaseUrl: 'http://127.0.0.1:14000/v2',
	signallingUrl: 'ws://127.0.0.1:14001',
};

function option(argv: readonly string[], name: string): string | undefined {
	const prefix = `--${name}=`;
	return argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

/** Sandbox endpoints from the command line, which must both be on this computer. */
function sandboxEndpoints(argv: readonly string[], fallback: Endpoints): Endpoints {
	const rest = option(argv, 'sandbox-rest');
	const signalling = option(argv, 'sandbox-signalling');
	const ice = option(argv, 'sandbox-ice-servers');
	if (rest === undefined && signalling === undefined && ice === undefined) return fallback;
	const iceServers = ice === undefined ? undefined : parseIceServers(ice);
	const endpoints: Endpoints = {
		restBaseUrl: normaliseBaseUrl(rest ?? SANDBOX.restBaseUrl),
		signallingUrl: signalling ?? SANDBOX.signallingUrl,
		...(iceServers === undefined ? {} : { iceServers }),
	};
	const problem =
		checkRestBaseUrl(endpoints.restBaseUrl) ??
		checkSignallingUrl(endpoints.signallingUrl) ??
		(isLoopbackUrl(endpoints.restBaseUrl) && isLoopbackUrl(endpoints.signallingUrl)
			? null
			: 'A sandbox must run on this computer (127.0.0.1, [::1] or localhost).');
	if (problem !== null) throw new Error(problem);
	return endpoints;
}

/** A sandbox's STUN/TURN servers from the command line: a JSON list, on this computer only. */
function parseIceServers(json: string): NonNullable<Endpoints['iceServers']> {
	let parsed: unknown;
	try {
		parsed = JSON.parse(json);
	} catch {
		throw new Error('--sandbox-ice-servers must be a JSON list of ICE servers.');
	}
	const problem = checkIceServers(parsed, true);
	if (problem !== null) throw new Error(problem);
	return parsed as NonNullable<Endpoints['iceServers']>;
}

export function resolveProfile(argv: readonly string[]): ProfileConfig {
	const requested = option(argv, 'profile');
	if (requested === 'dev') {
		return {
			profile: 'dev',
			userDataSuffix: ' (dev)',
			keychainService: `${KEYCHAIN_SERVICE}-dev`,
			endpoints: sandboxEndpoints(argv, TELNYX_PRODUCTION),
		};
	}
	if (requested === 'demo') {
		return {
			profile: 'demo',
			userDataSuffix: ' (demo)',
			keychainService: `${KEYCHAIN_SERVICE}-demo`,
			endpoints: sandboxEndpoints(argv, SANDBOX),
		};
	}
	return {
		profile: 'production',
		userDataSuffix: '',
		keychainService: KEYCHAIN_SERVICE,
		endpoints: TELNYX_PRODUCTION,
	};
}
