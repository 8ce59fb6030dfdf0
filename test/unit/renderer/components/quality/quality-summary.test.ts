import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { CallQualitySummary } from '../../../../../preload/contract';
import QualitySummary from '../../../../../renderer/src/components/quality/QualitySummary.svelte';

const SUMMARY: CallQualitySummary = {
	samples: 32,
	mosAverage: 4.31,
	mosWorst: 4.07,
	packetLossPercentAverage: 0.2,
	packetLossPercentWorst: 1.4,
	jitterMsAverage: 6.2,
	rttMsAverage: 51.3,
};

const line = () => screen.queryByTestId('history-quality');

describe('QualitySummary', () => {
	it('says how the call went: average MOS in words, the worst, and the loss', () => {
		render(QualitySummary, { props: { summary: SUMMARY, durationSeconds: 65 } });
		expect(line()?.textContent).toBe('Quality: good (MOS 4.3 average, 4.1 worst) · loss 0.2 %');
		expect(line()?.dataset['rating']).toBe('good');
	});

	it.each([
		[3.8, 'fair'],
		[2.9, 'poor'],
	])('rates an average MOS of %d %s', (mosAverage, rating) => {
		render(QualitySummary, {
			props: { summary: { ...SUMMARY, mosAverage, mosWorst: 2.1 }, durationSeconds: 65 },
		});
		expect(line()?.textContent).toBe(
			`Quality: ${rating} (MOS ${mosAverage.toFixed(1)} average, 2.1 worst) · loss 0.2 %`,
		);
		expect(line()?.dataset['rating']).toBe(rating);
	});

	it('leaves out the loss when it was not measured', () => {
		render(QualitySummary, {
			props: { summary: { ...SUMMARY, packetLossPercentAverage: null }, durationSeconds: 65 },
		});
		expect(line()?.textContent).toBe('Quality: good (MOS 4.3 average, 4.1 worst)');
	});

	it.each([null, undefined])('shows nothing for an entry without a summary (%s)', (summary) => {
		render(QualitySummary, { props: { summary, durationSeconds: 65 } });
		expect(line()).toBeNull();
	});

	it('says an answered call without a MOS was not measured, and nothing for one never connected', async () => {
		const empty: CallQualitySummary = {
			samples: 0,
			mosAverage: null,
			mosWorst: null,
			packetLossPercentAverage: null,
			packetLossPercentWorst: null,
			jitterMsAverage: null,
			rttMsAverage: null,
		};
		const { rerender } = render(QualitySummary, { props: { summary: empty, durationSeconds: 3 } });
		expect(line()?.textContent).toBe('Quality: not measured');
		await rerender({ summary: empty, durationSeconds: 0 });
		expect(line()).toBeNull();
	});
});
