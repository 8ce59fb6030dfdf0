/**
 * Builds `window.softphone` in a test page with the real preload code (`buildRendererApi`), over a
 * Playwright binding standing in for `ipcRenderer`: the same channels and arguments reach the same guard and
 * handlers as in Electron. Bundled by the end-to-end global setup into `dist/e2e/page-bridge.js`.
 */
import type { RendererApi } from '../../../preload/contract';
import { buildRendererApi, type IpcRendererLike } from '../../../preload/renderer-api';

type Listener = (event: unknown, ...args: unknown[]) => void;

declare global {
	interface Window {
		readonly softphone?: RendererApi;
		/** Playwright binding into the test process's IPC dispatcher. */
		__softphoneInvoke(channel: string, args: unknown[]): Promise<unknown>;
		/** Called by the test process to deliver a main → renderer event. */
		__softphoneEmit(channel: string, args: unknown[]): void;
	}
}

const listeners = new Map<string, Set<Listener>>();

const ipc: IpcRendererLike = {
	invoke: (channel, ...args) => window.__softphoneInvoke(channel, args),
	on(channel, listener) {
		const set = listeners.get(channel) ?? new Set<Listener>();
		set.add(listener);
		listeners.set(channel, set);
	},
	removeListener(channel, listener) {
		listeners.get(channel)?.delete(listener);
	},
};

window.__softphoneEmit = (channel, args) => {
	// Electron passes an IpcRendererEvent first; the bridge must drop it, so hand it something recognisable.
	for (const listener of listeners.get(channel) ?? []) listener({ sender: 'ipcRenderer' }, ...args);
};

// Like contextBridge.exposeInMainWorld: a read-only, frozen property.
Object.defineProperty(window, 'softphone', {
	value: buildRendererApi(ipc),
	writable: false,
	configurable: false,
});
