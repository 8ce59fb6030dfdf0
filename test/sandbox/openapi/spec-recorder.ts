/**
 * Keeps the tally of a sandbox's spec checks: every REST exchange the checker knows an operation for is
 * counted, and every mismatch kept, so that closing the sandbox can fail the test that started it.
 */
import { appendFileSync } from 'node:fs';
import type { Exchange, SpecChecker, SpecMismatch } from './spec-check';

export interface SpecReport {
	readonly checked: number;
	readonly mismatches: readonly SpecMismatch[];
}

export class SpecRecorder {
	private checked = 0;
	private readonly mismatches: SpecMismatch[] = [];

	constructor(private readonly checker: SpecChecker) {}

	record(exchange: Exchange): void {
		if (this.checker.operationId(exchange.method, exchange.path) === undefined) return;
		this.checked += 1;
		this.mismatches.push(...this.checker.check(exchange));
	}

	report(): SpecReport {
		return { checked: this.checked, mismatches: [...this.mismatches] };
	}

	/** Appends `{checked, mismatches}` as one JSON line to the tally file the test runner names, if any. */
	appendTally(file: string | null | undefined): void {
		if (file === undefined || file === null || file === '') return;
		appendFileSync(
			file,
			`${JSON.stringify({ checked: this.checked, mismatches: this.mismatches.length })}\n`,
		);
	}

	/** An error listing every mismatch, or null when there is none. */
	failure(): Error | null {
		if (this.mismatches.length === 0) return null;
		const lines = this.mismatches.map(
			(m) =>
				`${m.method} ${m.path} → ${m.status} (${m.operation}, ${m.part}): ${m.errors.join('; ')}`,
		);
		return new Error(
			`The sandbox's REST exchanges disagree with Telnyx's OpenAPI spec (${this.mismatches.length}):\n${lines.join('\n')}`,
		);
	}
}
