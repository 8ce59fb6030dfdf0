/**
 * The media gateway's impairment without sockets: what the admin API accepts (each field a number in range,
 * a 400 with a clear message otherwise, over HTTP as in process) and what becomes of each packet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	NO_IMPAIRMENT,
	packetFate,
	parseImpairment,
	type MediaImpairment,
} from '../../sandbox/media/impairment';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';

/** A `random` that answers the given draws in turn and fails the test if asked for more. */
function draws(...values: number[]): () => number {
	return () => {
		const next = values.shift();
		if (next === undefined) throw new Error('drew more random numbers than expected');
		return next;
	};
}

describe('parseImpairment', () => {
	it('accepts numbers in range, fractions and the bounds included; a field left out is 0', () => {
		expect(parseImpairment({ lossPercent: 30, delayMs: 80, jitterMs: 20 })).toEqual({
			ok: true,
			impairment: { lossPercent: 30, delayMs: 80, jitterMs: 20 },
		});
		expect(parseImpairment({ lossPercent: 100, delayMs: 5000, jitterMs: 0.5 })).toMatchObject({
			ok: true,
		});
		expect(parseImpairment({ jitterMs: 40 })).toEqual({
			ok: true,
			impairment: { lossPercent: 0, delayMs: 0, jitterMs: 40 },
		});
		expect(parseImpairment({})).toEqual({ ok: true, impairment: NO_IMPAIRMENT });
	});

	it.each([
		[{ lossPercent: 101 }, 'lossPercent must be a number from 0 to 100% (got 101)'],
		[{ lossPercent: -1 }, 'lossPercent must be a number from 0 to 100% (got -1)'],
		[{ delayMs: 5001 }, 'delayMs must be a number from 0 to 5000 ms (got 5001)'],
		[{ jitterMs: '20' }, 'jitterMs must be a number from 0 to 5000 ms (got "20")'],
		[{ delayMs: null }, 'delayMs must be a number from 0 to 5000 ms (got null)'],
		[{ lossPercent: Number.NaN }, 'lossPercent must be a number from 0 to 100% (got null)'],
		[{ loss: 30 }, 'Unknown field loss: the media impairment takes lossPercent, delayMs, jitterMs'],
		[[30], 'The media impairment must be a JSON object'],
		[null, 'The media impairment must be a JSON object'],
	])('refuses %j: %s', (input, message) => {
		expect(parseImpairment(input)).toEqual({ ok: false, message });
	});
});

describe('packetFate', () => {
	const impaired = (fields: Partial<MediaImpairment>) => ({ ...NO_IMPAIRMENT, ...fields });

	it('sends every packet at once, drawing nothing, when nothing is impaired', () => {
		expect(packetFate(NO_IMPAIRMENT, draws())).toEqual({ drop: false, delayMs: 0 });
	});

	it('drops a packet when the draw falls within the loss share', () => {
		const loss = impaired({ lossPercent: 30 });
		expect(packetFate(loss, draws(0.29))).toEqual({ drop: true });
		expect(packetFate(loss, draws(0.3))).toEqual({ drop: false, delayMs: 0 });
		expect(packetFate(impaired({ lossPercent: 100 }), draws(0.999_999))).toEqual({ drop: true });
	});

	it('delays a packet by delayMs plus a uniform share of jitterMs', () => {
		expect(packetFate(impaired({ delayMs: 80 }), draws())).toEqual({ drop: false, delayMs: 80 });
		expect(packetFate(impaired({ delayMs: 80, jitterMs: 40 }), draws(0.5))).toEqual({
			drop: false,
			delayMs: 100,
		});
		expect(packetFate(impaired({ lossPercent: 10, jitterMs: 40 }), draws(0.5, 0.25))).toEqual({
			drop: false,
			delayMs: 10,
		});
	});

	it('drops close to the share asked for over many packets (Math.random, as the gateway uses)', () => {
		const loss = impaired({ lossPercent: 30 });
		let dropped = 0;
		for (let i = 0; i < 20_000; i += 1) if (packetFate(loss, Math.random).drop) dropped += 1;
		// 20 000 Bernoulli draws at 0.3: one standard deviation is about 65 packets, so ±600 is ~9 sd.
		expect(dropped).toBeGreaterThan(5_400);
		expect(dropped).toBeLessThan(6_600);
	});
});

describe('the admin API for it', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({ specTally: null });
	});
	afterAll(() => sandbox.close());

	const call = async (method: string, body?: unknown) => {
		const response = await fetch(`${sandbox.adminUrl}/media/impairment`, {
			method,
			...(body === undefined
				? {}
				: { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
		});
		return { status: response.status, body: await response.json() };
	};

	it('sets, reads and clears it over HTTP (PUT, GET, DELETE), the in-process twin agreeing', async () => {
		expect(await call('GET')).toEqual({ status: 200, body: NO_IMPAIRMENT });
		const set = { lossPercent: 30, delayMs: 50, jitterMs: 10 };
		expect(await call('PUT', set)).toEqual({ status: 200, body: set });
		expect(await call('GET')).toEqual({ status: 200, body: set });
		expect(sandbox.admin.mediaImpairment()).toEqual(set);
		expect(await call('DELETE')).toEqual({ status: 200, body: NO_IMPAIRMENT });
		expect(sandbox.admin.mediaImpairment()).toEqual(NO_IMPAIRMENT);
	});

	it('answers 400 with the reason for a value out of range, and keeps the impairment in force', async () => {
		sandbox.admin.setMediaImpairment({ lossPercent: 5 });
		expect(await call('PUT', { lossPercent: 150 })).toEqual({
			status: 400,
			body: { error: 'lossPercent must be a number from 0 to 100% (got 150)' },
		});
		expect(() => sandbox.admin.setMediaImpairment({ delayMs: -5 })).toThrow(
			'delayMs must be a number from 0 to 5000 ms (got -5)',
		);
		expect(sandbox.admin.mediaImpairment()).toEqual({ ...NO_IMPAIRMENT, lossPercent: 5 });
		expect(sandbox.admin.setMediaImpairment({ lossPercent: 0, delayMs: 0, jitterMs: 0 })).toEqual(
			NO_IMPAIRMENT,
		);
	});
});
