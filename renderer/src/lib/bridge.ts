/**
 * The only reader of `window.softphone`, the API the preload exposes. Everything else receives the bridge as
 * a parameter, so tests can hand in a fake typed by the same contract.
 */
import type { RendererApi } from '../../../preload/contract';

declare global {
	interface Window {
		readonly softphone?: RendererApi;
	}
}

export type Bridge = RendererApi;

export function getBridge(): Bridge {
	const api = window.softphone;
	if (api === undefined) {
		throw new Error(
			'The app bridge is missing: this page must be opened by the Telnyx Softphone app.',
		);
	}
	return api;
}
