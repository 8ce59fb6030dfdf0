/**
 * The sandbox's STUN/TURN servers, as Telnyx hands out its own (the SDK's defaults: a STUN server and TURN
 * over UDP, TCP and TLS): Debian's coturn on loopback (test/support/turn-server.ts), which answers STUN and
 * TURN on one port. Optional — without coturn installed the sandbox runs without ICE servers, as before.
 */
import { startTurnServer, type TurnServer } from '../support/turn-server';

export interface SandboxIceServers {
	/** For the app's `--sandbox-ice-servers=` (JSON) or the harness's `endpoints.iceServers`. */
	readonly servers: Array<{ urls: string; username?: string; credential?: string }>;
	readonly turn: TurnServer;
	close(): Promise<void>;
}

/** Starts coturn on loopback; null when it is not installed (any other failure is thrown). */
export async function startIceServers(): Promise<SandboxIceServers | null> {
	let turn: TurnServer;
	try {
		turn = await startTurnServer();
	} catch (error) {
		if ((error as Error).message.includes('not found')) return null;
		throw error;
	}
	return {
		servers: [{ urls: `stun:${turn.host}:${turn.port}` }, { ...turn.iceServer }],
		turn,
		close: () => turn.close(),
	};
}
