/**
 * The contract's method and event names, without its schemas: the sandboxed preload builds `window.softphone`
 * from these alone, so the schema library stays out of its bundle. Each manifest is an exact object checked
 * against the contract at compile time (a method or event missing here, or one the contract does not
 * declare, is a compile error), so it cannot drift from the schemas in `contract.ts`.
 */
import type { Args, EventMap, InvokeContract, Returns } from './contract';

type Namespace = keyof InvokeContract;
type Method<N extends Namespace> = keyof InvokeContract[N] & string;

export const invokeManifest = {
	app: { getInfo: true, reportError: true, openLogsFolder: true },
	settings: { get: true, update: true },
	credentials: { getStatus: true, setApiKey: true, clearApiKey: true },
	provisioning: { run: true, listResources: true },
	telnyx: { getLoginToken: true },
	dial: { resolve: true },
	desktop: { report: true, dial: true, markMissedSeen: true, getStatus: true },
	media: { requestAccess: true },
	history: { list: true, add: true, clear: true },
	diagnostics: { saveSetupReport: true, saveSupportBundle: true },
	contacts: { list: true, save: true, remove: true, importVCard: true },
	account: {
		listPhoneNumbers: true,
		setCallerId: true,
		listInstallations: true,
		searchInstallations: true,
		signOut: true,
		previewCleanup: true,
		cleanup: true,
	},
} as const satisfies { [N in Namespace]: { [M in Method<N>]: true } };

const eventManifest = {
	'settings:changed': true,
	'credentials:changed': true,
	'provisioning:progress': true,
	'telnyx:loginToken': true,
	'telnyx:tokenWarning': true,
	'account:notice': true,
	'history:changed': true,
	'contacts:changed': true,
	'app:dial': true,
	'app:command': true,
	'app:open': true,
	'app:checkConnection': true,
	'desktop:status': true,
} as const satisfies { [E in keyof EventMap]: true };

/** The main → renderer events, for the preload to check a subscription against. */
export const eventNames: readonly (keyof EventMap)[] = Object.keys(
	eventManifest,
) as (keyof EventMap)[];

export type InvokeChannel = { [N in Namespace]: `${N}:${Method<N>}` }[Namespace];

export function channelOf<N extends Namespace, M extends Method<N>>(ns: N, method: M): `${N}:${M}` {
	return `${ns}:${method}`;
}

/** Every method of the contract as `[namespace, method, channel]`, in declaration order. */
export function contractMethods(): [
	namespace: Namespace,
	method: string,
	channel: InvokeChannel,
][] {
	// Generic per namespace, so each key is typed as one of its methods (`Object.keys` only says string);
	// TypeScript cannot resolve `${N}:${Method<N>}` for a generic N, hence the widening to InvokeChannel.
	const methodsOf = <N extends Namespace>(ns: N) =>
		(Object.keys(invokeManifest[ns]) as Method<N>[]).map(
			(m): [Namespace, string, InvokeChannel] => [ns, m, channelOf(ns, m) as InvokeChannel],
		);
	return (Object.keys(invokeManifest) as Namespace[]).flatMap(methodsOf);
}

/** Why main refused a call before running its handler. Crosses IPC inside {@link IpcReply}. */
export interface IpcFailure {
	readonly code: (typeof ipcFailureCodes)[number];
	readonly message: string;
}

/** Every code an {@link IpcFailure} can carry; the renderer sees them as `[CODE] message` errors. */
export const ipcFailureCodes = ['FORBIDDEN', 'BAD_INPUT', 'UNKNOWN_CHANNEL', 'INTERNAL'] as const;

/** What every `ipcMain.handle` answers: the handler's value, or why the call was refused. */
export type IpcReply =
	| { readonly ok: true; readonly value: unknown }
	| { readonly ok: false; readonly error: IpcFailure };

/** What `window.softphone` offers the renderer: one async method per contract entry, plus `on`. */
export type RendererApi = {
	readonly [N in Namespace]: {
		readonly [M in Method<N>]: (...a: Args<N, M>) => Promise<Returns<N, M>>;
	};
} & {
	/** Subscribes to a main → renderer event; returns the unsubscribe function. */
	on<E extends keyof EventMap>(event: E, listener: (...payload: EventMap[E]) => void): () => void;
};

/** What main implements: one handler per contract entry, given already-validated arguments. */
export type MainHandlers = {
	[N in Namespace]: {
		[M in Method<N>]: (...a: Args<N, M>) => Returns<N, M> | Promise<Returns<N, M>>;
	};
};
