import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import QualityView from '../../../../../renderer/src/components/quality/QualityView.svelte';
import type { QualitySample } from '../../../../../renderer/src/lib/quality/call-stats';
import { pushSample } from '../../../../../renderer/src/lib/quality/quality-history';
import { qualitySample } from '../../quality/samples';

const T0 = Date.UTC(2026, 0, 15, 9, 30, 0);

/** What an element says, with white space collapsed as the browser shows it. */
const says = (testId: string): string =>
	(screen.getByTestId(testId).textContent ?? '').replace(/\s+/g, ' ').trim();
const chart = (name: string): HTMLElement => screen.getByTestId(`quality-chart-${name}`);

/** A call's first three samples, two seconds apart, the last the worst. */
const SAMPLES: QualitySample[] = [
	qualitySample({ at: T0, mos: 4.39, jitterMs: 4, packetLossPercent: 0, rttMs: 48 }),
	qualitySample({
		at: T0 + 2000,
		mos: 4.2,
		jitterMs: 9.5,
		packetLossPercent: 1.2,
		rttMs: 61,
		bitrateKbps: { in: 38.2, out: 41.7 },
	}),
	qualitySample({
		at: T0 + 4000,
		mos: 4.31,
		jitterMs: 12.4,
		packetLossPercent: 0.4,
		rttMs: 52.6,
		bitrateKbps: { in: 39.6, out: 40.1 },
	}),
];

describe('QualityView', () => {
	it('shows the latest figures as text', () => {
		render(QualityView, { props: { samples: SAMPLES } });
		expect(says('quality-mos')).toBe('4.3 good');
		expect(screen.getByTestId('quality-mos').dataset['rating']).toBe('good');
		expect(says('quality-jitter')).toBe('12 ms');
		expect(says('quality-loss')).toBe('0.4 %');
		expect(says('quality-rtt')).toBe('53 ms');
		expect(says('quality-bitrate')).toBe('40 kbps in · 40 kbps out');
		expect(says('quality-codec')).toBe('opus audio');
		expect(says('quality-relay')).toBe('Relayed (TURN over UDP)');
		expect(screen.getByTestId('quality-relay').dataset['relayed']).toBe('true');
	});

	it('names each chart with its latest value and range, and counts its points', () => {
		render(QualityView, { props: { samples: SAMPLES } });
		const names = screen.getAllByRole('img').map((image) => image.getAttribute('aria-label'));
		expect(names).toEqual([
			'Quality (MOS), last minute: now 4.3, lowest 4.2, highest 4.4.',
			'Jitter, last minute: now 12 ms, lowest 4 ms, highest 12 ms.',
			'Packet loss, last minute: now 0.4 %, lowest 0 %, highest 1.2 %.',
			'Round trip, last minute: now 53 ms, lowest 48 ms, highest 61 ms.',
			'Bitrate, last minute: received now 40 kbps, lowest 38 kbps, highest 40 kbps; ' +
				'sent (dashed) now 40 kbps, lowest 40 kbps, highest 42 kbps.',
		]);
		for (const name of ['mos', 'jitter', 'loss', 'rtt', 'bitrate']) {
			expect(chart(name).dataset['points']).toBe('3');
			expect(chart(name).querySelectorAll('polyline').length).toBeGreaterThan(0);
		}
		// Received and sent: two lines.
		expect(chart('bitrate').querySelectorAll('polyline')).toHaveLength(2);
	});

	it('follows new samples, keeping the last minute', async () => {
		const { rerender } = render(QualityView, { props: { samples: SAMPLES.slice(0, 1) } });
		expect(chart('jitter').dataset['points']).toBe('1');
		expect(says('quality-jitter')).toBe('4 ms');
		let window: QualitySample[] = [];
		for (let index = 0; index < 40; index += 1)
			window = pushSample(window, qualitySample({ at: T0 + index * 2000, jitterMs: index }));
		await rerender({ samples: window });
		expect(chart('jitter').dataset['points']).toBe('31');
		expect(says('quality-jitter')).toBe('39 ms');
		expect(chart('jitter').getAttribute('aria-label')).toBe(
			'Jitter, last minute: now 39 ms, lowest 9 ms, highest 39 ms.',
		);
	});

	it('says what is not measured yet, in text and in the charts’ names', () => {
		render(QualityView, { props: { samples: [] } });
		for (const id of ['mos', 'jitter', 'loss', 'rtt', 'bitrate', 'codec', 'relay'])
			expect(says(`quality-${id}`)).toBe('— not measured');
		expect(screen.getByTestId('quality-mos').dataset['rating']).toBe('unknown');
		expect(screen.getByTestId('quality-relay').dataset['relayed']).toBe('unknown');
		expect(chart('mos').dataset['points']).toBe('0');
		expect(chart('mos').getAttribute('aria-label')).toBe(
			'Quality (MOS), last minute: not measured yet.',
		);
	});

	it('rates a poor call in words, not only in colour', () => {
		render(QualityView, {
			props: { samples: [qualitySample({ mos: 3.2, packetLossPercent: 8.5 })] },
		});
		expect(says('quality-mos')).toBe('3.2 poor');
		expect(screen.getByTestId('quality-mos').dataset['rating']).toBe('poor');
	});

	it('breaks a chart where a sample lacks the figure (on hold)', () => {
		const samples = [
			qualitySample({ at: T0 }),
			qualitySample({ at: T0 + 2000 }),
			qualitySample({ at: T0 + 4000, mos: null, packetLossPercent: null }),
			qualitySample({ at: T0 + 6000, mos: null, packetLossPercent: null }),
		];
		render(QualityView, { props: { samples } });
		expect(chart('mos').dataset['points']).toBe('2');
		expect(says('quality-mos')).toBe('— not measured');
		expect(chart('mos').getAttribute('aria-label')).toBe(
			'Quality (MOS), last minute: no value now, lowest 4.4, highest 4.4.',
		);
		// The round trip kept being measured.
		expect(chart('rtt').dataset['points']).toBe('4');
	});

	it('shows a direct video call’s codecs and route', () => {
		render(QualityView, {
			props: {
				samples: [
					qualitySample({
						videoCodec: 'VP8',
						relayed: false,
						candidateType: 'srflx',
						relayProtocol: null,
						bitrateKbps: { in: 1480, out: null },
					}),
				],
			},
		});
		expect(says('quality-codec')).toBe('opus audio · VP8 video');
		expect(says('quality-relay')).toBe('Direct (through NAT)');
		expect(screen.getByTestId('quality-relay').dataset['relayed']).toBe('false');
		expect(says('quality-bitrate')).toBe('1.5 Mbps in · — out');
	});

	it('is one labelled region', () => {
		render(QualityView, { props: { samples: SAMPLES } });
		expect(screen.getByRole('region', { name: 'Call quality' })).toBeTruthy();
	});
});
