/**
 * Marks on the page's performance timeline (`app:<step>`) at the steps of a call's critical path, beside the
 * SDK's own (`telnyx:call:<id>:<step>`), so a profile or `test/bench/callpath.ts` can say what ran when
 * (docs/renderer-performance.md, "Critical path"). A mark costs microseconds. Each name holds one entry (the
 * previous one is cleared first): the timeline keeps marks for the page's life, and a PerformanceObserver
 * sees every one as it is taken.
 */
export function phaseMark(step: string): void {
	const name = `app:${step}`;
	performance.clearMarks(name);
	performance.mark(name);
}
