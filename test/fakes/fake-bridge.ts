/**
 * A `RendererApi` for renderer unit tests, typed by the contract so it stops compiling when the contract
 * grows. Main's behaviour is scripted per test; events are delivered with `emit`.
 */
import type { AppInfo, EventMap, RendererApi, Settings } from '../../preload/contract';

export interface FakeBridge extends RendererApi {
	emit<E extends keyof EventMap>(event: E, ...payload: EventMap[E]): void;
	readonly calls: string[];
}

export const FAKE_INFO: AppInfo = {
	name: 'Telnyx Softphone',
	version: '1.2.3',
	platform: 'linux',
	profile: 'demo',
};
export const FAKE_SETTINGS: Settings = {
	endpoints: { restBaseUrl: 'https://api.telnyx.com/v2', signallingUrl: 'wss://rtc.telnyx.com' },
};

export function fakeBridge(
	overrides: Partial<{ [N in keyof RendererApi]: Partial<RendererApi[N]> }> = {},
): FakeBridge {
	const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
	const calls: string[] = [];
	let settings = FAKE_SETTINGS;
	const bridge: FakeBridge = {
		calls,
		app: {
			getInfo: async () => (calls.push('app:getInfo'), FAKE_INFO),
			...overrides.app,
		},
		settings: {
			get: async () => (calls.push('settings:get'), settings),
			update: async (patch) => {
				calls.push('settings:update');
				settings = {
					endpoints: {
						...settings.endpoints,
						...(patch.endpoints as Partial<Settings['endpoints']>),
					},
				};
				return { ok: true, value: settings };
			},
			...overrides.settings,
		},
		on(event, listener) {
			const set = listeners.get(event) ?? new Set();
			set.add(listener as (...args: unknown[]) => void);
			listeners.set(event, set);
			return () => set.delete(listener as (...args: unknown[]) => void);
		},
		emit(event, ...payload) {
			for (const listener of listeners.get(event) ?? []) listener(...payload);
		},
	};
	return bridge;
}
