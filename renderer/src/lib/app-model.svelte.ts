/**
 * The app frame's state: what main reports about the app and its settings. Values from main are replaced,
 * never mutated (`$state.raw`), and kept in step with main's `settings:changed` event.
 */
import type { AppInfo, Settings } from '../../../preload/contract';
import type { Bridge } from './bridge';

export class AppModel {
	info = $state.raw<AppInfo | null>(null);
	settings = $state.raw<Settings | null>(null);
	loadError = $state<string | null>(null);
	readonly #bridge: Bridge;
	#unsubscribe: (() => void) | null = null;

	constructor(bridge: Bridge) {
		this.#bridge = bridge;
	}

	async load(): Promise<void> {
		try {
			this.#unsubscribe ??= this.#bridge.on('settings:changed', (settings) => {
				this.settings = settings;
			});
			const [info, settings] = await Promise.all([
				this.#bridge.app.getInfo(),
				this.#bridge.settings.get(),
			]);
			this.info = info;
			this.settings = settings;
			this.loadError = null;
		} catch (error) {
			this.loadError = `The app could not read its settings: ${error instanceof Error ? error.message : String(error)}`;
		}
	}

	dispose(): void {
		this.#unsubscribe?.();
		this.#unsubscribe = null;
	}
}
