/**
 * The one rule for when typed text may reach Telnyx as a directory search (`preload/limits.ts`), which main's
 * `Directory` and the renderer's dialer both apply: only what an exact filter could match, never what main's
 * contract refuses, never what a held installation already answers to.
 */
import { describe, expect, it } from 'vitest';
import { invokeContract } from '../../../preload/contract';
import { answersTo, directoryFilter, directorySearch } from '../../../preload/limits';
import { credentialName } from '../../../main/telnyx/provisioning';

const USER = 'gencrednCvHU5IYpSBPPsXI2iQsDX';
const acceptedByMain = (text: string) =>
	invokeContract.account.searchInstallations.args.safeParse([text]).success;

describe('directoryFilter', () => {
	it('sends a SIP user name, bare or as the app’s own address, by filter[sip_username]', () => {
		for (const text of [
			USER,
			` ${USER} `,
			`sip:${USER}`,
			`sip:${USER}@sip.telnyx.com`,
			`SIP:${USER}@SIP.Telnyx.com`,
			'gencredABCDEFGHIJKLMNOPQRSTUV',
			'alice2024',
		])
			expect(directoryFilter(text), text).toEqual({
				sip_username: text.trim().replace(/^sip:/i, '').replace(/@.*$/, ''),
			});
	});

	it('sends a full credential name, as the app makes them, by filter[name]', () => {
		for (const name of [
			credentialName('Alice Laptop', '1a2b3c4d-0000-4000-8000-000000000000'),
			credentialName('Zoë’s PC #2', '0f1e2d3c-4b5a-4987-8654-3210fedcba98'),
			credentialName('', 'abcdef01'),
		])
			expect(directoryFilter(name), name).toEqual({ name });
	});

	it('sends nothing an exact filter cannot match: parts of names, other names, numbers, other hosts', () => {
		for (const text of [
			'',
			'ab',
			'Alice Laptop',
			'Alice Laptop (1a2b3c',
			'Alice Laptop (1A2B3C4D)',
			'(1a2b3c4d)',
			'Kitchenette',
			'Alice Smith',
			'+1 312 555 0142',
			'13125550142',
			'sip:alice@example.com',
			`sip:${USER}@example.com`,
			'alice@example.com',
		])
			expect(directoryFilter(text), text).toBeNull();
	});

	it('sends nothing main’s contract refuses: too long, or with invisible characters', () => {
		const long = `${'Desk '.repeat(30)}(1a2b3c4d)`;
		const cases = [
			long,
			`sip:gencred${'a1'.repeat(150)}@sip.telnyx.com`,
			'Alice\u200b Laptop (1a2b3c4d)',
			'gencred\u202eFar01',
			'Alice Laptop\u0000 (1a2b3c4d)',
		];
		for (const text of cases) {
			expect(acceptedByMain(text.trim()), text).toBe(false);
			expect(directoryFilter(text), text).toBeNull();
		}
	});

	it('every text it sends is one main’s contract accepts', () => {
		const samples = [
			USER,
			`sip:${USER}@sip.telnyx.com`,
			credentialName('x'.repeat(200), '1a2b3c4d'),
			// 128 characters, the contract's bound, and one more.
			`${'D'.repeat(117)} (1a2b3c4d)`,
			`${'D'.repeat(118)} (1a2b3c4d)`,
		];
		for (const text of samples)
			if (directoryFilter(text) !== null) expect(acceptedByMain(text.trim()), text).toBe(true);
		expect(directoryFilter(samples[3]!)).not.toBeNull();
		expect(directoryFilter(samples[4]!)).toBeNull();
	});
});

describe('answersTo and directorySearch', () => {
	const held = [
		{ name: 'Kitchen Laptop (1a2b3c4d)', sipUsername: 'gencredKitchen01' },
		{ name: 'Front Desk', sipUsername: 'gencredFront02' },
	];

	it('a held installation answers to a part of its name or its SIP user name, in any case', () => {
		expect(answersTo(held[0]!, 'kitchen')).toBe(true);
		expect(answersTo(held[0]!, 'Kitchen Laptop (1a2b3c4d)')).toBe(true);
		expect(answersTo(held[0]!, 'GENCREDKITCHEN01')).toBe(true);
		expect(answersTo(held[0]!, 'sip:gencredKitchen01@sip.telnyx.com')).toBe(true);
		expect(answersTo(held[0]!, 'gencredKitchen0')).toBe(false);
		expect(answersTo(held[1]!, 'kitchen')).toBe(false);
		expect(answersTo(held[1]!, '')).toBe(false);
	});

	it('searches only when the text has an exact filter and no held installation answers to it', () => {
		expect(directorySearch('gencredKitchen01', held)).toBeNull();
		expect(directorySearch('Kitchen Laptop (1a2b3c4d)', held)).toBeNull();
		expect(directorySearch('Front Desk', held)).toBeNull();
		expect(directorySearch('Back Office', held)).toBeNull();
		expect(directorySearch('sip:gencredBack03@sip.telnyx.com', held)).toEqual({
			sip_username: 'gencredBack03',
		});
		expect(directorySearch('Back Office (0a0b0c0d)', held)).toEqual({
			name: 'Back Office (0a0b0c0d)',
		});
		// The renderer holds device names only: a full name is sent, and main answers it from its cache.
		expect(directorySearch('Front Desk (0a0b0c0d)', held)).toEqual({
			name: 'Front Desk (0a0b0c0d)',
		});
	});
});
