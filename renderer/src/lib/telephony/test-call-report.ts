/**
 * The SDK's pre-call diagnostic report (`PreCallDiagnostic`, Test my setup's call) as the port's plain
 * `TestCallReport`. Pure: the report is read through a structural type (only `telnyx-softphone.ts` imports
 * the SDK). The SDK's figures are in ms, its loss a fraction.
 */
import type { EndReason, TestCallReport } from './softphone';

/** The parts of the SDK's `PreCallDiagnosticReport` read here. */
export interface PreCallReportLike {
	readonly ice?: {
		readonly candidateCounts?: {
			readonly host?: number;
			readonly srflx?: number;
			readonly relay?: number;
		};
	};
	readonly network?: {
		readonly jitter?: { readonly average?: number };
		readonly rtt?: { readonly average?: number };
		readonly packets?: { readonly packetLossFraction?: number };
		readonly inbound?: { readonly flowing?: boolean };
	};
	readonly timings?: { readonly firstNonHostCandidateMs?: number; readonly totalMs?: number };
	readonly reasons?: readonly { readonly message?: string }[];
}

/** A test call that measured nothing, with why in words. */
export function failedTestCall(failure: string): TestCallReport {
	return {
		established: false,
		failure,
		jitterMs: null,
		rttMs: null,
		packetLossPercent: null,
		audioReturned: false,
		candidates: null,
		firstNonHostMs: null,
		setupMs: null,
	};
}

const round1 = (value: number | undefined): number | null =>
	value === undefined || !Number.isFinite(value) ? null : Math.round(value * 10) / 10;

/** The SDK's pre-call report as the port's plain data; `end` is how Telnyx ended the call, if it did. */
export function testCallReport(
	report: PreCallReportLike,
	end: EndReason | null,
	elapsedMs: number,
): TestCallReport {
	const counts = report.ice?.candidateCounts;
	const candidates =
		counts === undefined
			? null
			: { host: counts.host ?? 0, srflx: counts.srflx ?? 0, relay: counts.relay ?? 0 };
	if (report.network === undefined) {
		// No media was measured: the call never connected. Telnyx's own reason first, then the SDK's.
		const sdkReason = report.reasons?.[0]?.message;
		return {
			...failedTestCall(
				end?.message ??
					(sdkReason === undefined ? 'The test call did not connect.' : `${sdkReason}.`),
			),
			candidates,
			firstNonHostMs: round1(report.timings?.firstNonHostCandidateMs),
		};
	}
	const { network } = report;
	const loss = network.packets?.packetLossFraction;
	return {
		established: true,
		failure: null,
		jitterMs: round1(network.jitter?.average),
		rttMs: round1(network.rtt?.average),
		packetLossPercent: loss === undefined ? null : round1(loss * 100),
		audioReturned: network.inbound?.flowing ?? false,
		candidates,
		firstNonHostMs: round1(report.timings?.firstNonHostCandidateMs),
		setupMs: round1(report.timings?.totalMs ?? elapsedMs),
	};
}
