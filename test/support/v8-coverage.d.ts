// The parts of @bcoe/v8-coverage (which ships no typings) that test/support/coverage-report.ts uses.
declare module '@bcoe/v8-coverage' {
	import type { Profiler } from 'node:inspector';
	export type ScriptCov = Profiler.ScriptCoverage;
	/** Adds up several runs' coverage of one script; `undefined` for an empty list. */
	export function mergeScriptCovs(scriptCovs: readonly ScriptCov[]): ScriptCov | undefined;
}
