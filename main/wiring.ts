/**
 * The two pieces of wiring the app and the end-to-end harness share, so the harness runs what ships: every
 * contract method registered behind the one guard (sender check, then argument validation), and the
 * renderer's files served with the production CSP. Only the transports differ (Electron's `ipcMain` and
 * `protocol.handle` in the app, a Playwright binding and a loopback HTTP server in the harness).
 */
import { readFile, realpath } from 'node:fs/promises';
import type { Endpoints } from '../preload/contract';
import { createAppFileServer } from './app-protocol';
import { buildCsp } from './csp';
import { registerIpc, type IpcMainLike } from './ipc/register-ipc';
import type { Logger } from './logger';
import { createSenderCheck } from './sender-check';
import type { MainServices } from './services';

export interface WireIpcOptions {
	readonly ipc: IpcMainLike;
	readonly services: Pick<MainServices, 'handlers'>;
	/** The page the app loads; only its top-level frame may call main. */
	readonly appUrl: string;
	/** Whether a web contents (by id) is one of the app's own windows. */
	readonly isAppWebContents: (id: number) => boolean;
	readonly logger: Logger;
}

/** Registers every contract method on `ipc`; answers the channels registered. */
export function wireIpc({
	ipc,
	services,
	appUrl,
	isAppWebContents,
	logger,
}: WireIpcOptions): string[] {
	return registerIpc({
		ipc,
		handlers: services.handlers,
		isTrustedSender: createSenderCheck({ appUrl, isAppWebContents }),
		logger,
	});
}

/** The renderer's files from `root`, with the CSP that lets the page reach only its signalling server. */
export function rendererFileServer(root: string, endpoints: Endpoints) {
	return createAppFileServer({
		root,
		csp: () => buildCsp({ signallingUrl: endpoints.signallingUrl }),
		readFile,
		realpath,
	});
}
