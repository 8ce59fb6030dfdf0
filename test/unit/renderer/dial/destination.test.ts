/**
 * The renderer's side of a destination: asking main (`dial.resolve`, through the fake bridge, which runs
 * main's own resolver) and the caller-ID check the page makes on what main answered.
 */
import { describe, expect, it } from 'vitest';
import type { DialTarget } from '../../../../preload/contract';
import { MAX_DIAL_LENGTH } from '../../../../preload/dial-grammar';
import { limits } from '../../../../preload/limits';
import {
	CALLER_NUMBER_NEEDED,
	callerIdProblem,
	resolverFor,
} from '../../../../renderer/src/lib/dial/destination';
import { fakeBridge } from '../../../fakes/fake-bridge';

const KITCHEN = { name: 'Kitchen', sipUsername: 'gencredK', self: false };

/** Main's answer for `raw`, through the bridge as the page asks it. */
async function target(raw: string): Promise<DialTarget> {
	const resolve = resolverFor(fakeBridge({}, { directory: () => [KITCHEN] }));
	const resolved = await resolve(raw);
	if (!resolved.ok) throw new Error(resolved.error.message);
	return resolved.value;
}

describe('resolverFor', () => {
	it('asks main once per text, with the text alone', async () => {
		const bridge = fakeBridge({}, { directory: () => [KITCHEN] });
		const resolve = resolverFor(bridge);
		expect(await resolve('kitchen')).toMatchObject({
			ok: true,
			value: { kind: 'installation', dial: 'sip:gencredK@sip.telnyx.com' },
		});
		expect(bridge.calls).toEqual(['dial:resolve']);
	});

	it('clips a text main would not take, so an over-long one is refused in words', async () => {
		const sent: string[] = [];
		const bridge = fakeBridge();
		const resolve = resolverFor({
			dial: { resolve: (text) => (sent.push(text), bridge.dial.resolve(text)) },
		});
		const resolved = await resolve(`sip:${'a'.repeat(5000)}@example.com`);
		expect(sent[0]).toHaveLength(limits.dialText);
		expect(resolved).toStrictEqual({
			ok: false,
			error: { message: `That is too long to dial (at most ${MAX_DIAL_LENGTH} characters).` },
		});
		// At the bound, nothing is clipped.
		const atBound = `sip:${'a'.repeat(MAX_DIAL_LENGTH - 'sip:@example.com'.length)}@example.com`;
		expect(await resolve(atBound)).toMatchObject({ ok: true, value: { dial: atBound } });
		expect(sent[1]).toBe(atBound);
	});
});

describe('callerIdProblem', () => {
	it('refuses a phone number without a caller ID number (Telnyx would answer D35)', async () => {
		expect(callerIdProblem(await target('+14155552671'), null)).toBe(CALLER_NUMBER_NEEDED);
		expect(callerIdProblem(await target('+14155552671'), ' ')).toBe(CALLER_NUMBER_NEEDED);
		expect(CALLER_NUMBER_NEEDED).toMatch(/^Calls to phone numbers need a caller ID number/);
		expect(CALLER_NUMBER_NEEDED).toMatch(/Choose one of your numbers in Settings → Caller ID\.$/);
	});

	it('lets a phone number through with one', async () => {
		expect(callerIdProblem(await target('+14155552671'), '+13125550142')).toBeNull();
	});

	it('needs none for installations and SIP addresses', async () => {
		for (const raw of ['Kitchen', 'sip:ada@example.com', 'gencredSomeone']) {
			expect(callerIdProblem(await target(raw), null)).toBeNull();
		}
	});
});
