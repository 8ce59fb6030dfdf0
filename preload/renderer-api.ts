/**
 * Builds `window.softphone` from the contract: one method per contract entry, each a single `invoke` on its
 * own channel, and `on` for main → renderer events. It never hands out `ipcRenderer` or the `IpcRendererEvent`
 * (Electron security checklist item 20), and it imports nothing but the contract's manifest (no schemas, no schema library), so the end-to-end harness
 * runs this very code in Chromium over a Playwright binding.
 */
import type { EventMap } from './contract';
import { contractMethods, eventNames, type IpcReply, type RendererApi } from './manifest';

/** The part of Electron's `ipcRenderer` the bridge uses. */
export interface IpcRendererLike {
	invoke(channel: string, ...args: unknown[]): Promise<unknown>;
	on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
	removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** A call main refused before running its handler; the message starts with the failure code. */
function refused(reply: Extract<IpcReply, { ok: false }>): Error {
	return new Error(`[${reply.error.code}] ${reply.error.message}`);
}

export function buildRendererApi(ipc: IpcRendererLike): RendererApi {
	const api: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
	for (const [ns, method, channel] of contractMethods()) {
		(api[ns] ??= {})[method] = async (...args: unknown[]) => {
			const reply = (await ipc.invoke(channel, ...args)) as IpcReply;
			if (!reply.ok) throw refused(reply);
			return reply.value;
		};
	}
	const on = <E extends keyof EventMap>(event: E, listener: (...payload: EventMap[E]) => void) => {
		if (!(eventNames as readonly string[]).includes(event)) {
			throw new Error(`Unknown event "${String(event)}"`);
		}
		const forward = (_event: unknown, ...payload: unknown[]) =>
			listener(...(payload as EventMap[E]));
		ipc.on(event, forward);
		return () => {
			ipc.removeListener(event, forward);
		};
	};
	for (const ns of Object.keys(api)) Object.freeze(api[ns]);
	return Object.freeze({ ...api, on }) as unknown as RendererApi;
}
