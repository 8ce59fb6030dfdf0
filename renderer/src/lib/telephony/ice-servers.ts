/** Which STUN/TURN servers a connection's calls use. */

/**
 * The ICE servers for a connection: the ones main's endpoints give (a sandbox's STUN/TURN, checked by main),
 * else `defaultIceServers`. Copied, so the SDK never holds the endpoints' own (frozen, shared) objects.
 */
export function iceServersFor(
	given:
		| readonly {
				readonly urls: string | readonly string[];
				readonly username?: string | undefined;
				readonly credential?: string | undefined;
		  }[]
		| undefined,
	signallingUrl: string,
): RTCIceServer[] | undefined {
	if (given === undefined) return defaultIceServers(signallingUrl);
	return given.map(({ urls, username, credential }) => ({
		urls: typeof urls === 'string' ? urls : [...urls],
		...(username === undefined ? {} : { username }),
		...(credential === undefined ? {} : { credential }),
	}));
}

/** No STUN/TURN for a signalling server on this computer (the sandbox); Telnyx's own otherwise. */
export function defaultIceServers(signallingUrl: string): RTCIceServer[] | undefined {
	try {
		return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(signallingUrl).hostname)
			? []
			: undefined;
	} catch {
		return undefined;
	}
}
