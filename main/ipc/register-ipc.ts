/**
 * Registers every contract method on `ipcMain` through one guard: the sender is checked first, then the
 * arguments are validated against the contract's schema, and only then does the handler run. Nothing else in
 * the app calls `ipcMain.handle` (Electron security checklist item 17).
 */
import type { z } from 'zod';
import {
	contractMethods,
	invokeContract,
	type IpcFailure,
	type IpcReply,
	type MainHandlers,
} from '../../preload/contract';
import type { Logger } from '../logger';

/** The part of an `IpcMainInvokeEvent` the guard reads. */
export interface InvokeEventLike {
	readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
	readonly sender: { readonly id: number };
}

/** The part of Electron's `ipcMain` the guard uses. */
export interface IpcMainLike {
	handle(
		channel: string,
		listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<IpcReply>,
	): void;
}

export interface RegisterIpcOptions {
	readonly ipc: IpcMainLike;
	readonly handlers: MainHandlers;
	/** Decides whether a call comes from the app's own top-level page (see `main/sender-check.ts`). */
	readonly isTrustedSender: (event: InvokeEventLike) => boolean;
	readonly logger: Logger;
}

function fail(code: IpcFailure['code'], message: string): IpcReply {
	return { ok: false, error: { code, message } };
}

/** A short, specific description of what was wrong with the arguments, without echoing their values. */
export function describeIssues(error: z.ZodError): string {
	return error.issues
		.slice(0, 3)
		.map((issue) => {
			const where = issue.path.length > 0 ? `argument ${issue.path.join('.')}` : 'arguments';
			return `${where}: ${issue.message}`;
		})
		.join('; ');
}

/** A loggable description of anything thrown, even a value `String()` cannot convert. */
export function describeError(error: unknown): string {
	if (error instanceof Error) return `${error.name}: ${error.message}`;
	try {
		return String(error);
	} catch {
		return 'an unprintable value';
	}
}

export function registerIpc({
	ipc,
	handlers,
	isTrustedSender,
	logger,
}: RegisterIpcOptions): string[] {
	const channels: string[] = [];
	for (const [ns, method, channel] of contractMethods()) {
		const schema = (
			invokeContract[ns] as Record<string, { args: z.ZodType<unknown[]> } | undefined>
		)[method]?.args;
		const handler = (
			handlers[ns] as unknown as
				Record<string, ((...a: unknown[]) => unknown) | undefined> | undefined
		)?.[method];
		if (schema === undefined || handler === undefined) throw new Error(`No handler for ${channel}`);
		ipc.handle(channel, async (event, ...args) => {
			if (!isTrustedSender(event)) {
				logger.warn('ipc.refused', { channel, reason: 'untrusted sender' });
				return fail('FORBIDDEN', `${channel} is only answered for the app's own window`);
			}
			const parsed = schema.safeParse(args);
			if (!parsed.success) {
				logger.warn('ipc.refused', { channel, reason: 'bad input' });
				return fail('BAD_INPUT', `${channel}: ${describeIssues(parsed.error)}`);
			}
			try {
				return { ok: true, value: await handler(...parsed.data) };
			} catch (error) {
				logger.error('ipc.handlerFailed', { channel, error: describeError(error) });
				return fail('INTERNAL', `${channel} failed unexpectedly; see the app log`);
			}
		});
		channels.push(channel);
	}
	return channels;
}
