/**
 * The phone's state as main gets it for its tray and notifications (`desktop.report`): a pure projection of
 * the line status and the calls. Main rebuilds its tray menu on each report, so the projection leaves out
 * everything that changes during a call without changing the tray (quality samples, timers, media): two
 * states that differ only there project to equal reports, and the store sends only reports that differ.
 */
import type { PhoneReport } from '../../../../preload/contract';
import { limits } from '../../../../preload/limits';
import { focusedCall, isLive, ringing, type Calls } from './calls';
import type { LineStatus } from './login-retry';

export interface ReportInput {
	readonly connection: LineStatus;
	readonly calls: Calls;
	/** The account's other installations (main offers them in the tray). */
	readonly installations: readonly { name: string }[];
	/** Recent calls, newest first (main names contacts itself; the report carries the address). */
	readonly recent: readonly { label: string; destination: string }[];
}

export function desktopReport({
	connection,
	calls,
	installations,
	recent,
}: ReportInput): PhoneReport {
	const focused = focusedCall(calls);
	// A call ringing in comes first, even during another call: the tray answers or declines it.
	const call = ringing(calls)[0] ?? (focused !== null && isLive(focused) ? focused : null);
	return {
		connection:
			connection.kind === 'idle'
				? 'setup'
				: connection.kind === 'setting-up'
					? 'connecting'
					: connection.kind,
		call:
			call === null
				? null
				: {
						id: call.id,
						remote: call.remote,
						remoteName: call.remoteName.slice(0, limits.remoteName),
						phase:
							call.phase === 'ringing' && call.direction === 'inbound'
								? 'ringing'
								: call.phase === 'active'
									? 'active'
									: call.phase === 'held'
										? 'held'
										: 'calling',
						direction: call.direction,
						muted: call.muted,
						held: call.phase === 'held',
						video: call.video,
					},
		installations: installations.slice(0, 100),
		recent: recent.slice(0, 20),
	};
}
