/**
 * What the contract allows main to answer the page, for the hostile-page suite: the codes a refused call
 * carries (`ipcFailureCodes`), and whether a handler's reply is one the contract declares
 * (`invokeContract[ns][method].reply`, a schema that also fixes the `Result` error codes). Both are read
 * from the contract itself, so the suite follows it as it grows.
 */
import { invokeContract, ipcFailureCodes } from '../../../preload/contract';

/** The message of a call main refused, as `window.softphone` rejects with it: `[CODE] …`. */
export function ipcFailurePattern(): RegExp {
	return new RegExp(`^\\[(${ipcFailureCodes.join('|')})\\] `);
}

export interface ReplyVerdict {
	/** What is wrong with the reply, in words; null when the contract allows it. */
	readonly problem: string | null;
	/** The IPC failure code, when main refused the call. */
	readonly ipcCode: string | null;
	/** The `Result` error code, when the handler answered a failure. */
	readonly resultCode: string | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null;

/** The reply schema the contract declares for a channel; null for a channel it does not have. */
function replySchema(channel: string) {
	const [ns = '', method = ''] = channel.split(':');
	const methods = (
		invokeContract as Record<string, Record<string, { reply: unknown }> | undefined>
	)[ns];
	return (methods?.[method]?.reply ?? null) as
		(typeof invokeContract)['app']['getInfo']['reply'] | null;
}

/** Judges one raw IPC reply (`IpcReply`) that main sent for `channel`. */
export function judgeReply(channel: string, reply: unknown): ReplyVerdict {
	if (!isRecord(reply) || typeof reply['ok'] !== 'boolean') {
		return { problem: 'the reply is not an IpcReply', ipcCode: null, resultCode: null };
	}
	if (!reply['ok']) {
		const error = isRecord(reply['error']) ? reply['error'] : {};
		const code = String(error['code']);
		const problem = !(ipcFailureCodes as readonly string[]).includes(code)
			? `refused with a code the contract does not define: ${code}`
			: typeof error['message'] !== 'string' || error['message'] === ''
				? 'refused without a message'
				: null;
		return { problem, ipcCode: code, resultCode: null };
	}
	const value = reply['value'];
	const error =
		isRecord(value) && value['ok'] === false && isRecord(value['error']) ? value['error'] : null;
	const resultCode = error === null ? null : String(error['code']);
	const schema = replySchema(channel);
	if (schema === null) {
		return {
			problem: `an answer on a channel the contract lacks: ${channel}`,
			ipcCode: null,
			resultCode,
		};
	}
	const parsed = schema.safeParse(value);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const where = issue?.path.map(String).join('.') ?? '';
		return {
			problem: `the reply does not match the contract's schema (${where}: ${issue?.message ?? '?'})`,
			ipcCode: null,
			resultCode,
		};
	}
	if (error !== null && (typeof error['message'] !== 'string' || error['message'].trim() === '')) {
		return { problem: 'a Result error without a message in words', ipcCode: null, resultCode };
	}
	return { problem: null, ipcCode: null, resultCode };
}
