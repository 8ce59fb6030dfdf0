import { describe, expect, it } from 'vitest';
import {
	describeCodecs,
	describeRoute,
	formatKbps,
	formatMos,
	formatMs,
	formatPercent,
	mosRating,
	trendWords,
} from '../../../../renderer/src/lib/quality/quality-format';

describe('quality in words', () => {
	it.each([
		[4.5, 'good'],
		[4, 'good'],
		[3.99, 'fair'],
		[3.6, 'fair'],
		[3.59, 'poor'],
		[1, 'poor'],
	] as const)('MOS %d is %s', (mos, rating) => {
		expect(mosRating(mos)).toBe(rating);
	});

	it('formats the figures as the view shows them', () => {
		expect(formatMos(4.349)).toBe('4.3');
		expect(formatMos(4)).toBe('4.0');
		expect(formatMs(4.26)).toBe('4.3 ms');
		expect(formatMs(48.4)).toBe('48 ms');
		expect(formatPercent(0)).toBe('0 %');
		expect(formatPercent(0.25)).toBe('0.3 %');
		expect(formatKbps(39.6)).toBe('40 kbps');
		expect(formatKbps(1250)).toBe('1.3 Mbps');
	});

	it('names the codecs in use', () => {
		expect(describeCodecs('opus', null)).toBe('opus audio');
		expect(describeCodecs('opus', 'VP8')).toBe('opus audio · VP8 video');
		expect(describeCodecs(null, null)).toBeNull();
	});

	it('says whether media is relayed', () => {
		const route = { relayed: true, candidateType: 'relay', relayProtocol: 'tls' } as const;
		expect(describeRoute(route)).toBe('Relayed (TURN over TLS)');
		expect(describeRoute({ ...route, relayProtocol: null })).toBe('Relayed (TURN)');
		expect(describeRoute({ ...route, candidateType: 'host' })).toBe('Relayed (TURN, far end)');
		expect(describeRoute({ relayed: false, candidateType: 'host', relayProtocol: null })).toBe(
			'Direct',
		);
		expect(describeRoute({ relayed: false, candidateType: 'srflx', relayProtocol: null })).toBe(
			'Direct (through NAT)',
		);
		expect(describeRoute({ relayed: null, candidateType: null, relayProtocol: null })).toBeNull();
	});

	it('puts a trend in words', () => {
		expect(trendWords([3, null, 15, 12], formatMs)).toBe('now 12 ms, lowest 3 ms, highest 15 ms');
		expect(trendWords([3, 15, null], formatMs)).toBe('no value now, lowest 3 ms, highest 15 ms');
		expect(trendWords([null], formatMs)).toBe('not measured yet');
		expect(trendWords([], formatMs)).toBe('not measured yet');
	});
});
