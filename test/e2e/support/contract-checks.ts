/**
 * What the contract allows main to answer the page, for the hostile-page suite: the codes a refused call
 * carries (`IpcFailure`), and whether a handler's reply is one the contract declares.
 *
 * Where the contract declares replies as schemas (`invokeContract[ns][method].reply`) and its IPC failure
 * codes as a list (`ipcFailureCodes`), those are used, at run time, so the suite follows the contract. Where
 * it does not, the codes are the lists below, kept exact by the compiler: `satisfies Record<Code, true>`
 * fails on a code the type lacks and on one the list lacks, so they cannot drift from the types either.
 */
import * as contract from '../../../preload/contract';
import type { IpcFailure, KeyError, SettingsError, TelnyxFailure } from '../../../preload/contract';

const IPC_CODES = {
	FORBIDDEN: true,
	BAD_INPUT: true,
	UNKNOWN_CHANNEL: true,
	INTERNAL: true,
} as const satisfies Record<IpcFailure['code'], true>;

const TELNYX_CODES = {
	NO_API_KEY: true,
	KEY_REJECTED: true,
	FORBIDDEN: true,
	RATE_LIMITED: true,
	TIMEOUT: true,
	UNREACHABLE: true,
	SERVER_ERROR: true,
	INVALID: true,
	NOT_FOUND: true,
	NEEDS_CONSENT: true,
	UNEXPECTED: true,
	KEYCHAIN: true,
} as const satisfies Record<TelnyxFailure['code'], true>;

const KEY_CODES = { ...TELNYX_CODES, INVALID_KEY: true } as const satisfies Record<
	KeyError['code'],
	true
>;

const SETTINGS_CODES = { INVALID_SETTING: true, SAVE_FAILED: true } as const satisfies Record<
	SettingsError['code'],
	true
>;

const codes = (...lists: Record<string, true>[]): ReadonlySet<string> =>
	new Set(lists.flatMap((list) => Object.keys(list)));

/** The error codes each method's `Result` may carry (methods not listed: a Telnyx failure). */
const RESULT_CODES: Readonly<Record<string, ReadonlySet<string>>> = {
	'settings:update': codes(SETTINGS_CODES),
	'credentials:setApiKey': codes(KEY_CODES),
	'account:setCallerId': codes(SETTINGS_CODES, TELNYX_CODES),
};
const TELNYX_RESULT_CODES = codes(TELNYX_CODES);

interface SchemaLike {
	safeParse(value: unknown): {
		success: boolean;
		error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] };
	};
}

const exported = contract as unknown as Readonly<Record<string, unknown>>;

/** The contract's list of IPC failure codes, from its runtime export where there is one. */
export function ipcFailureCodes(): readonly string[] {
	const list = exported['ipcFailureCodes'];
	return Array.isArray(list) ? list.map(String) : Object.keys(IPC_CODES);
}

/** The message of a call main refused, as `window.softphone` rejects with it: `[CODE] …`. */
export function ipcFailurePattern(): RegExp {
	return new RegExp(`^\\[(${ipcFailureCodes().join('|')})\\] `);
}

/** The reply schema the contract declares for a channel, if it declares replies as schemas. */
function replySchema(channel: string): SchemaLike | null {
	const [ns = '', method = ''] = channel.split(':');
	const methods = (exported['invokeContract'] as Record<string, unknown> | undefined)?.[ns];
	const entry = (methods as Record<string, unknown> | undefined)?.[method];
	const reply = (entry as { reply?: unknown } | undefined)?.reply;
	return typeof (reply as SchemaLike | undefined)?.safeParse === 'function'
		? (reply as SchemaLike)
		: null;
}

/** Whether the contract declares reply schemas at all (so every reply is checked in full). */
export function repliesHaveSchemas(): boolean {
	return replySchema('app:getInfo') !== null;
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

/** Judges one raw IPC reply (`IpcReply`) that main sent for `channel`. */
export function judgeReply(channel: string, reply: unknown): ReplyVerdict {
	if (!isRecord(reply) || typeof reply['ok'] !== 'boolean') {
		return { problem: 'the reply is not an IpcReply', ipcCode: null, resultCode: null };
	}
	if (!reply['ok']) {
		const error = isRecord(reply['error']) ? reply['error'] : {};
		const code = String(error['code']);
		const problem = !ipcFailureCodes().includes(code)
			? `refused with a code the contract does not define: ${code}`
			: typeof error['message'] !== 'string' || error['message'] === ''
				? 'refused without a message'
				: null;
		return { problem, ipcCode: code, resultCode: null };
	}
	const value = reply['value'];
	const isResult = isRecord(value) && typeof value['ok'] === 'boolean' && !Array.isArray(value);
	const error =
		isResult && value['ok'] === false && isRecord(value['error']) ? value['error'] : null;
	const resultCode = error === null ? null : String(error['code']);
	const schema = replySchema(channel);
	if (schema !== null) {
		const parsed = schema.safeParse(value);
		if (!parsed.success) {
			const issue = parsed.error?.issues[0];
			const where = issue?.path.map(String).join('.') ?? '';
			return {
				problem: `the reply does not match the contract's schema (${where}: ${issue?.message ?? '?'})`,
				ipcCode: null,
				resultCode,
			};
		}
	}
	if (isResult && value['ok'] === false) {
		if (error === null)
			return { problem: 'a failed Result without an error', ipcCode: null, resultCode };
		// With reply schemas, the schema has checked the code already.
		const allowed = RESULT_CODES[channel] ?? TELNYX_RESULT_CODES;
		if (schema === null && !allowed.has(String(resultCode)))
			return {
				problem: `a Result error code the contract does not define: ${resultCode}`,
				ipcCode: null,
				resultCode,
			};
		if (typeof error['message'] !== 'string' || error['message'].trim() === '')
			return { problem: 'a Result error without a message in words', ipcCode: null, resultCode };
	}
	return { problem: null, ipcCode: null, resultCode };
}
