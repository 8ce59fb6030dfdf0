/**
 * Fakes of the two halves of Electron's IPC, shaped after the parts the app uses (`IpcMainLike`,
 * `IpcRendererLike`), so the guard and the bridge are tested without an Electron binary.
 */
import type { IpcReply } from '../../preload/contract';
import type { IpcRendererLike } from '../../preload/renderer-api';
import type { InvokeEventLike, IpcMainLike } from '../../main/ipc/register-ipc';

export const APP_URL = 'app://softphone/index.html';
export const MAIN_WEB_CONTENTS_ID = 1;

type MainListener = (event: InvokeEventLike, ...args: unknown[]) => Promise<IpcReply>;

export interface FakeEventInit {
	/** The sender frame's URL (default: the app URL). */
	readonly url?: string;
	/** The sender frame's parent (default: null, the top frame). */
	readonly parent?: unknown;
	/** The sender's `webContents` id (default: the main window's). */
	readonly senderId?: number;
}

/** An `IpcMainInvokeEvent` as the guard sees it: by default, the app's own top frame in the main window. */
export function fakeEvent(init: FakeEventInit = {}): InvokeEventLike {
	return {
		senderFrame: { url: init.url ?? APP_URL, parent: 'parent' in init ? init.parent : null },
		sender: { id: init.senderId ?? MAIN_WEB_CONTENTS_ID },
	};
}

/** An event whose frame is gone (navigated away or destroyed). */
export function detachedEvent(senderId = MAIN_WEB_CONTENTS_ID): InvokeEventLike {
	return { senderFrame: null, sender: { id: senderId } };
}

/** Records every `handle` registration and lets a test invoke a channel as the renderer would. */
export class FakeIpcMain implements IpcMainLike {
	readonly registrations: { readonly channel: string; readonly listener: MainListener }[] = [];

	handle(channel: string, listener: MainListener): void {
		this.registrations.push({ channel, listener });
	}

	channels(): string[] {
		return this.registrations.map((r) => r.channel);
	}

	/** Invokes `channel` with a fake event. Throws, like Electron, when nothing (or more than one) is registered. */
	invoke(channel: string, event: InvokeEventLike, ...args: unknown[]): Promise<IpcReply> {
		const matches = this.registrations.filter((r) => r.channel === channel);
		const [only] = matches;
		if (only === undefined || matches.length > 1) {
			throw new Error(`${matches.length} handlers registered for ${channel}`);
		}
		return only.listener(event, ...args);
	}
}

type RendererListener = (event: unknown, ...args: unknown[]) => void;

export interface InvokeCall {
	readonly channel: string;
	readonly args: unknown[];
}

/**
 * A fake `ipcRenderer`: `invoke` records the call and answers through `reply`; `emit` delivers a main →
 * renderer event, with a fake `IpcRendererEvent` first as Electron does.
 */
export class FakeIpcRenderer implements IpcRendererLike {
	readonly calls: InvokeCall[] = [];
	readonly #listeners = new Map<string, RendererListener[]>();
	readonly #reply: (channel: string, args: unknown[]) => unknown;

	constructor(
		reply: (channel: string, args: unknown[]) => unknown = () => ({ ok: true, value: undefined }),
	) {
		this.#reply = reply;
	}

	async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
		this.calls.push({ channel, args });
		return this.#reply(channel, args);
	}

	on(channel: string, listener: RendererListener): this {
		this.#listeners.set(channel, [...(this.#listeners.get(channel) ?? []), listener]);
		return this;
	}

	removeListener(channel: string, listener: RendererListener): this {
		const list = this.#listeners.get(channel) ?? [];
		const at = list.indexOf(listener);
		if (at >= 0) this.#listeners.set(channel, [...list.slice(0, at), ...list.slice(at + 1)]);
		return this;
	}

	listenerCount(channel: string): number {
		return this.#listeners.get(channel)?.length ?? 0;
	}

	/** What Electron passes as the first listener argument: it carries `sender`, the raw `ipcRenderer`. */
	readonly rendererEvent = { sender: this, senderId: 0, ports: [] as unknown[] };

	emit(channel: string, ...payload: unknown[]): void {
		for (const listener of this.#listeners.get(channel) ?? [])
			listener(this.rendererEvent, ...payload);
	}
}

/**
 * An `ipcRenderer` wired to a {@link FakeIpcMain}: arguments and replies are structured-cloned as Electron
 * does, and every call arrives with `event`.
 */
export function bridgedIpcRenderer(
	main: FakeIpcMain,
	event: InvokeEventLike = fakeEvent(),
): FakeIpcRenderer {
	return new FakeIpcRenderer(async (channel, args) =>
		structuredClone(await main.invoke(channel, event, ...structuredClone(args))),
	);
}
