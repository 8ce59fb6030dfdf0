/**
 * The app's shared parts for the components below `App.svelte`, as typed Svelte context: the bridge to
 * main and the call store, fixed for the page's life. `App.svelte` provides them; a component reads them
 * with `useBridge()` / `useCallStore()` instead of taking them as props through every level. A test
 * mounting a component on its own passes `appContext({ … })` as the mount's `context`.
 */
import { getContext, hasContext, setContext } from 'svelte';
import type { Bridge } from './bridge';
import type { CallStore } from './call/call-store.svelte';

const BRIDGE = Symbol('bridge');
const CALL_STORE = Symbol('call store');

export interface AppContext {
	readonly bridge: Bridge;
	readonly store: CallStore;
}

/** Provides the bridge and the call store to every component below the caller (call during init). */
export function provideAppContext({ bridge, store }: AppContext): void {
	setContext(BRIDGE, bridge);
	setContext(CALL_STORE, store);
}

/** The context map for `mount`/`render` (`{ context }`) of a component mounted without `App.svelte`. */
export function appContext(parts: Partial<AppContext>): Map<symbol, unknown> {
	const map = new Map<symbol, unknown>();
	if (parts.bridge !== undefined) map.set(BRIDGE, parts.bridge);
	if (parts.store !== undefined) map.set(CALL_STORE, parts.store);
	return map;
}

export function useBridge(): Bridge {
	return required<Bridge>(BRIDGE, 'bridge');
}

export function useCallStore(): CallStore {
	return required<CallStore>(CALL_STORE, 'call store');
}

function required<T>(key: symbol, name: string): T {
	// A component used outside App.svelte without its context is a programming error: say which.
	if (!hasContext(key))
		throw new Error(`No ${name} in context: mount under App.svelte or pass appContext()`);
	return getContext<T>(key);
}
