/**
 * Instruments for the hostile-page suite that live in the page: a recorder of every main → renderer event
 * (searched for secrets as it arrives) and a ping that measures how fast main answers while under attack.
 */
import type { Page } from '@playwright/test';

export interface EventRecord {
	/** Events main delivered to the page (through the bridge's `__softphoneEmit`). */
	readonly emitted: number;
	/** Events that reached a `window.softphone.on` listener. */
	readonly delivered: number;
	readonly byChannel: Record<string, number>;
	/** Each event that contained a needle: where it was seen, its channel, and which needle (an index). */
	readonly hits: { where: 'emitted' | 'delivered'; channel: string; needle: number }[];
}

/**
 * An init script (run after the bridge, before the app) that records every event: it wraps the bridge's
 * delivery function and subscribes to every event name through `window.softphone.on`. Each payload is
 * searched for the needles in the page, so megabytes of history events need not cross back to the test.
 */
export function eventRecorderScript(
	needles: readonly string[],
	eventNames: readonly string[],
): string {
	return `(() => {
	const needles = ${JSON.stringify(needles)};
	const record = { emitted: 0, delivered: 0, byChannel: {}, hits: [] };
	Object.defineProperty(window, '__hostileEvents', { value: record });
	const scan = (where, channel, payload) => {
		let text;
		try { text = JSON.stringify(payload); } catch { text = String(payload); }
		needles.forEach((needle, index) => {
			if (text.includes(needle)) record.hits.push({ where, channel, needle: index });
		});
	};
	const deliver = window.__softphoneEmit;
	window.__softphoneEmit = (channel, args) => {
		record.emitted += 1;
		record.byChannel[channel] = (record.byChannel[channel] || 0) + 1;
		scan('emitted', channel, args);
		deliver(channel, args);
	};
	for (const name of ${JSON.stringify(eventNames)}) {
		window.softphone.on(name, (...payload) => {
			record.delivered += 1;
			scan('delivered', name, payload);
		});
	}
})();`;
}

export function readEvents(page: Page): Promise<EventRecord> {
	return page.evaluate(() => {
		const record = (window as unknown as { __hostileEvents: EventRecord }).__hostileEvents;
		return { ...record, hits: [...record.hits] };
	});
}

interface PingState {
	running: boolean;
	rtts: number[];
	failures: number;
}

/** Starts pinging main (`app.getInfo`) from the page every `intervalMs`, one ping at a time. */
export async function startPing(page: Page, intervalMs: number): Promise<void> {
	await page.evaluate((interval) => {
		const state: PingState = { running: true, rtts: [], failures: 0 };
		(window as unknown as { __hostilePing: PingState }).__hostilePing = state;
		void (async () => {
			while (state.running) {
				const start = performance.now();
				try {
					await window.softphone?.app.getInfo();
				} catch {
					state.failures += 1;
				}
				const rtt = performance.now() - start;
				state.rtts.push(rtt);
				await new Promise((resolve) => setTimeout(resolve, Math.max(0, interval - rtt)));
			}
		})();
	}, intervalMs);
}

/** Stops the ping; its round-trip times in milliseconds, and how many pings failed. */
export function stopPing(page: Page): Promise<{ rtts: number[]; failures: number }> {
	return page.evaluate(() => {
		const state = (window as unknown as { __hostilePing: PingState }).__hostilePing;
		state.running = false;
		return { rtts: state.rtts, failures: state.failures };
	});
}

/** The p-th percentile (0–100) of some numbers, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return (
		sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ??
		NaN
	);
}
