/**
 * Watches every reply main sends the page, in the test process, before it crosses to Chromium: each is
 * judged against the contract (see contract-checks.ts) and searched for secrets. It wraps the harness's
 * `TestIpcMain.invoke`, which every call from the page goes through — the attacker's, the app's own and the
 * ping — so nothing main answers escapes it.
 */
import type { TestIpcMain } from './app-harness';
import { judgeReply } from './contract-checks';

export interface TappedProblem {
	readonly channel: string;
	/** The call's arguments as JSON, cut short, with every secret replaced by `[secret]`. */
	readonly args: string;
	readonly problem: string;
}

export interface IpcTap {
	readonly replies: () => number;
	/** Replies per channel. */
	readonly channels: Map<string, number>;
	/** Refusals per IPC failure code (`BAD_INPUT`, …). */
	readonly ipcCodes: Map<string, number>;
	/** Failed `Result`s per error code (`NO_API_KEY`, …). */
	readonly resultCodes: Map<string, number>;
	/** Replies the contract does not allow. */
	readonly problems: TappedProblem[];
	/** Calls answered `INTERNAL`: a handler threw (a bug). */
	readonly internals: TappedProblem[];
	/** Replies that contained a needle: the channel, and which needle (an index). */
	readonly needleHits: { channel: string; needle: number }[];
	stop(): void;
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

/** A value as JSON text, whole (values JSON has no spelling for are marked, not dropped). */
function toText(value: unknown): string {
	try {
		return (
			JSON.stringify(value, (_key, item: unknown) =>
				typeof item === 'bigint' ? `${item}n` : item === undefined ? '«undefined»' : item,
			) ?? 'undefined'
		);
	} catch {
		return String(value);
	}
}

/** Describes arguments for a report, cut short, without ever printing a secret. */
export function describeArgs(args: unknown, secrets: readonly string[]): string {
	let text = toText(args);
	for (const secret of secrets) text = text.split(secret).join('[secret]');
	return text.length > 400 ? `${text.slice(0, 400)}… (${text.length} characters)` : text;
}

/**
 * `needles` are searched for in every reply; `secrets` are never printed (a report shows the arguments of
 * a call that went wrong).
 */
export function tapIpcReplies(
	ipc: TestIpcMain,
	needles: readonly string[],
	secrets: readonly string[],
): IpcTap {
	const original = ipc.invoke.bind(ipc);
	let replies = 0;
	const tap: IpcTap = {
		replies: () => replies,
		channels: new Map(),
		ipcCodes: new Map(),
		resultCodes: new Map(),
		problems: [],
		internals: [],
		needleHits: [],
		stop: () => {
			ipc.invoke = original;
		},
	};
	ipc.invoke = async (channel, event, args) => {
		const reply = await original(channel, event, args);
		replies += 1;
		bump(tap.channels, channel);
		// Replies are plain data (they cross a structured clone next), so JSON shows all of it.
		const text = toText(reply);
		needles.forEach((needle, index) => {
			if (text.includes(needle)) tap.needleHits.push({ channel, needle: index });
		});
		const verdict = judgeReply(channel, reply);
		if (verdict.ipcCode !== null) bump(tap.ipcCodes, verdict.ipcCode);
		if (verdict.resultCode !== null) bump(tap.resultCodes, verdict.resultCode);
		const described = () => describeArgs(args, secrets);
		if (verdict.problem !== null)
			tap.problems.push({ channel, args: described(), problem: verdict.problem });
		if (verdict.ipcCode === 'INTERNAL')
			tap.internals.push({ channel, args: described(), problem: 'the handler threw' });
		return reply;
	};
	return tap;
}
