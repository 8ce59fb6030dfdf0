/**
 * The typed IPC contract between the renderer and the main process.
 *
 * Each method is declared once in `InvokeApi`; `argumentSchemas()` gives its runtime argument schema, made exact
 * by `satisfies` (a missing method, an extra one or a schema that does not match the parameters is a compile
 * error). Main validates every call against these schemas (`main/ipc/register-ipc.ts`), the preload builds one
 * renderer method per entry (`preload/renderer-api.ts`), and the renderer imports types only.
 *
 * Never across this bridge: the API key, keychain access, file paths, raw `ipcRenderer`.
 */
import { z } from 'zod';

/** An expected failure the UI must show. Exceptions are for bugs. */
export type Result<T, E> =
	{ readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** Which installation profile is running: each has its own user-data folder and keychain service name. */
export type Profile = 'production' | 'dev' | 'demo';

export interface AppInfo {
	readonly name: string;
	readonly version: string;
	readonly platform: string;
	readonly profile: Profile;
}

/** Where the app talks to Telnyx. Defaults: Telnyx production. */
export interface Endpoints {
	/** REST API v2 base URL, e.g. `https://api.telnyx.com/v2`. Used by main only. */
	readonly restBaseUrl: string;
	/** WebRTC signalling WebSocket URL, e.g. `wss://rtc.telnyx.com`. Used by the renderer's SDK. */
	readonly signallingUrl: string;
}

export interface Settings {
	readonly endpoints: Endpoints;
}

/** Optional fields that may also be given as `undefined` (what a schema-validated object carries). */
export type Patch<T> = { readonly [K in keyof T]?: T[K] | undefined };

export interface SettingsPatch {
	readonly endpoints?: Patch<Endpoints> | undefined;
}

/** A setting the user entered that main refused, with the field and a sentence saying what to do. */
export interface SettingsError {
	readonly code: 'INVALID_SETTING' | 'SAVE_FAILED';
	readonly field?: string;
	readonly message: string;
}

/** Renderer → main requests. Channel names are `namespace:method`. */
export interface InvokeApi {
	app: {
		getInfo(): AppInfo;
	};
	settings: {
		get(): Settings;
		update(patch: SettingsPatch): Result<Settings, SettingsError>;
	};
}

/** Main → renderer events and their payloads. */
export interface EventMap {
	'settings:changed': [settings: Settings];
}

type Namespace = keyof InvokeApi;
type Method<N extends Namespace> = keyof InvokeApi[N] & string;
type Fn<N extends Namespace, M extends Method<N>> = InvokeApi[N][M] extends (
	...a: infer A
) => infer R
	? (...a: A) => R
	: never;
export type Args<N extends Namespace, M extends Method<N>> = Parameters<Fn<N, M>>;
export type Returns<N extends Namespace, M extends Method<N>> = ReturnType<Fn<N, M>>;

/**
 * Runtime argument schemas, one tuple per method; strict objects, so unknown keys are rejected. Built on
 * demand by main: the preload only needs `invokeManifest`, and this keeps the schema library out of it.
 */
export function argumentSchemas() {
	const url = z.string().max(2048);
	const settingsPatch = z.strictObject({
		endpoints: z.strictObject({ restBaseUrl: url, signallingUrl: url }).partial().optional(),
	});
	return {
		app: { getInfo: z.tuple([]) },
		settings: {
			get: z.tuple([]),
			update: z.tuple([settingsPatch]),
		},
	} as const satisfies {
		[N in Namespace]: { [M in Method<N>]: z.ZodType<Args<N, M>> };
	};
}

/**
 * The method names alone, for the preload: it builds one renderer method per entry without pulling the
 * schemas (and their library) into the sandboxed preload bundle.
 */
export const invokeManifest = {
	app: { getInfo: true },
	settings: { get: true, update: true },
} as const satisfies { [N in Namespace]: { [M in Method<N>]: true } };

export const eventNames = ['settings:changed'] as const satisfies readonly (keyof EventMap)[];

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
	return (Object.keys(invokeManifest) as Namespace[]).flatMap((ns) =>
		Object.keys(invokeManifest[ns]).map((m): [Namespace, string, InvokeChannel] => [
			ns,
			m,
			`${ns}:${m}` as InvokeChannel,
		]),
	);
}

/** Why main refused a call before running its handler. Crosses IPC inside {@link IpcReply}. */
export interface IpcFailure {
	readonly code: 'FORBIDDEN' | 'BAD_INPUT' | 'UNKNOWN_CHANNEL' | 'INTERNAL';
	readonly message: string;
}

/** What every `ipcMain.handle` answers: the handler's value, or why the call was refused. */
export type IpcReply =
	| { readonly ok: true; readonly value: unknown }
	| { readonly ok: false; readonly error: IpcFailure };

/** What `window.softphone` offers the renderer: one async method per contract entry, plus `on`. */
export type RendererApi = {
	readonly [N in Namespace]: {
		readonly [M in Method<N>]: (...a: Args<N, M>) => Promise<Awaited<Returns<N, M>>>;
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
