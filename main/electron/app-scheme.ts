/** The app's own scheme, `app://softphone/`, serving the built renderer with the production CSP. */
import { protocol } from 'electron';
import type { Endpoints } from '../../preload/contract';
import { APP_SCHEME } from '../app-protocol';
import { rendererFileServer } from '../wiring';

/** Must run before `ready`: the scheme is standard and secure, so the page is a secure context. */
export function registerAppScheme(): void {
	protocol.registerSchemesAsPrivileged([
		{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
	]);
}

export function serveAppScheme(rendererRoot: string, endpoints: Endpoints): void {
	protocol.handle(APP_SCHEME, rendererFileServer(rendererRoot, endpoints));
}
