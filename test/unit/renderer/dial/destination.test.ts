/**
 * What the dialer accepts (dial-string cases V1–V3 and V5): exactly one canonical thing to
 * dial, or a sentence saying why not.
 */
import { describe, expect, it } from 'vitest';
import {
	CALLER_NUMBER_NEEDED,
	callerIdProblem,
	MAX_DIAL_LENGTH,
	normaliseDtmf,
	parseDestination,
	type DialContext,
	type DialParse,
	type DialTarget,
} from '../../../../renderer/src/lib/dial/destination';
import { seeded } from '../../../support/random';

const E164 = /^\+[1-9]\d{6,14}$/;
const DIRECTORY = [
	{ name: 'Kitchen Laptop', sipUsername: 'gencredKitchen01' },
	{ name: 'Front Desk', sipUsername: 'gencredFront02' },
];

function accepted(input: string, context: DialContext = {}): DialTarget {
	const result = parseDestination(input, context);
	if (!result.ok)
		throw new Error(`expected ${JSON.stringify(input)} to be accepted: ${result.message}`);
	return result.target;
}

function refused(input: string, context: DialContext = {}): string {
	const result = parseDestination(input, context);
	if (result.ok) {
		throw new Error(`expected ${JSON.stringify(input)} to be refused, got ${result.target.dial}`);
	}
	return result.message;
}

/** A refusal is a sentence: capitalised, ends with a full stop, says something. */
const SENTENCE = /^[A-Z].{10,}\.$/u;

describe('parseDestination: phone numbers (V1)', () => {
	it.each([
		'+14155552671',
		'+1 415 555 2671',
		'+1 (415) 555-2671',
		'+1-415-555-2671',
		'+1.415.555.2671',
		'  +1 415 555 2671  ',
		'+1415555267１', // one full-width digit (NFKC)
		'＋１４１５５５５２６７１', // all full-width (NFKC)
	])('%j → +14155552671', (input) => {
		expect(accepted(input)).toEqual({
			kind: 'phone',
			dial: '+14155552671',
			display: '+1 415 555 2671',
			extension: null,
		});
	});

	it.each(['+442071838750', '+44 20 7183 8750', '+44 (20) 7183-8750'])(
		'%j → +442071838750',
		(input) => {
			expect(accepted(input)).toMatchObject({ kind: 'phone', dial: '+442071838750' });
		},
	);

	it('accepts national numbers only with a default country, and canonicalises them', () => {
		expect(refused('4155552671')).toBe(
			'Add the country code, starting with + (for example +1 312 555 0142).',
		);
		expect(refused('020 7183 8750')).toMatch(/country code/);
		expect(accepted('(415) 555-2671', { defaultCountry: 'US' }).dial).toBe('+14155552671');
		expect(accepted('1 415 555 2671', { defaultCountry: 'US' }).dial).toBe('+14155552671');
		expect(accepted('020 7183 8750', { defaultCountry: 'GB' }).dial).toBe('+442071838750');
		// The international prefix is the default country's: 00 from the UK, not from the US (011).
		expect(accepted('0044 20 7183 8750', { defaultCountry: 'GB' }).dial).toBe('+442071838750');
		expect(refused('0044 20 7183 8750', { defaultCountry: 'US' })).toMatch(SENTENCE);
		// A leading + wins over the default country.
		expect(accepted('+44 20 7183 8750', { defaultCountry: 'US' }).dial).toBe('+442071838750');
	});

	it('refuses a national number that is not valid in the default country', () => {
		expect(refused('555 2671', { defaultCountry: 'US' })).toBe(
			'That is not a valid phone number. Check the digits and the country code.',
		);
	});

	it.each([
		['+14155552671;ext=12', '12'],
		['+1 415 555 2671 ext 12', '12'],
		['+1 415 555 2671 ext. 12', '12'],
		['+1 415 555 2671 EXT 12', '12'],
		['+14155552671x12', '12'],
		['+1 415 555 2671 x 12', '12'],
		['+14155552671#12', '12'],
		['+14155552671;ext=1234567890', '1234567890'],
	])('splits %j into the number and extension %j', (input, extension) => {
		expect(accepted(input)).toEqual({
			kind: 'phone',
			dial: '+14155552671',
			display: '+1 415 555 2671',
			extension,
		});
	});

	it('sends no extension when there is none', () => {
		expect(accepted('+14155552671').extension).toBeNull();
	});

	it.each([
		['letters', '+1 415 555 CALL'],
		['a vanity number', '+1 800 FLOWERS'],
		['a stray character', '+1 415 555 2671!'],
		['a slash', '+1/415/555/2671'],
		['a dangling extension mark', '+14155552671x'],
		['an over-long extension', '+14155552671;ext=12345678901'],
		['a non-digit extension', '+14155552671;ext=1a'],
	])('refuses %s (%j) in words rather than dropping it', (_what, input) => {
		expect(refused(input)).toBe(
			'Phone numbers can have digits, spaces and + - . ( ) only. Remove the other characters.',
		);
	});

	it.each([
		['a NUL at the end', '+14155552671\u0000'],
		['a NUL inside', '+1415\u00005552671'],
		['a right-to-left override at the end', '+14155552671\u202E'],
		['a right-to-left override in front', '\u202E+14155552671'],
		['a left-to-right isolate', '+1415\u20665552671'],
		['an Arabic letter mark', '+1415\u061C5552671'],
		['a zero-width space', '+1415\u200B5552671'],
		['a newline', '+1415\n5552671'],
		['a C1 control', '+1415\u00855552671'],
	])('refuses %s', (_what, input) => {
		expect(refused(input)).toBe(
			'The destination contains invisible control characters. Type it again.',
		);
	});

	it('refuses 20 digits, with or without + and a country', () => {
		const digits = '84629175038264917350';
		expect(digits).toHaveLength(20);
		expect(refused(digits)).toMatch(SENTENCE);
		expect(refused(digits, { defaultCountry: 'US' })).toMatch(SENTENCE);
		expect(refused(`+${digits}`)).toBe(
			'That is not a valid phone number. Check the digits and the country code.',
		);
	});

	it('refuses + and 15 digits of a country that does not exist', () => {
		const input = '+999123456789012';
		expect(input.replace('+', '')).toHaveLength(15);
		expect(refused(input)).toBe(
			'That is not a valid phone number. Check the digits and the country code.',
		);
	});

	it('refuses a number the metadata accepts but E.164 does not (more than 15 digits)', () => {
		// German numbers may be long: libphonenumber-js says this one is valid, with 16 digits.
		expect(refused('+49 335 2960 0097 382')).toBe(
			'That is not a valid phone number. Check the digits and the country code.',
		);
		expect(refused('33529600097382', { defaultCountry: 'DE' })).toMatch(SENTENCE);
		expect(accepted('+49 30 901820').dial).toBe('+4930901820');
	});

	it.each(['+1415555267', '+1234567890123456', '+0', '+00 415 555 2671', '+1'])(
		'refuses the invalid number %j',
		(input) => {
			expect(refused(input)).toMatch(SENTENCE);
		},
	);

	it('refuses a 500-character string before looking at it', () => {
		const digits = '4'.repeat(500);
		expect(refused(digits)).toBe(
			`That is too long to dial (at most ${MAX_DIAL_LENGTH} characters).`,
		);
		expect(refused(`+1 ${digits}`)).toMatch(/too long/);
	});

	it('refuses tel: URIs (only the forms above are dialled)', () => {
		expect(refused('tel:+14155552671')).toMatch(SENTENCE);
	});

	it('refuses an empty or blank destination', () => {
		expect(refused('')).toBe('Type a number, a SIP address or the name of another installation.');
		expect(refused(' \t ')).toBe(
			'Type a number, a SIP address or the name of another installation.',
		);
	});
});

describe('parseDestination: SIP addresses (V3)', () => {
	it.each([
		['sip:alice@example.com', 'sip:alice@example.com'],
		['sip:+14155552671@sip.telnyx.com;user=phone', 'sip:+14155552671@sip.telnyx.com;user=phone'],
		['sips:bob@10.0.0.1:5061;transport=tls', 'sips:bob@10.0.0.1:5061;transport=tls'],
		['sips:a@[::1]:5061', 'sips:a@[::1]:5061'],
		['sip:alice@example.com;transport=wss', 'sip:alice@example.com;transport=wss'],
	])('dials %j as %j', (input, dial) => {
		expect(accepted(input)).toMatchObject({ kind: 'sip', dial, extension: null });
	});

	it('lower-cases the scheme only', () => {
		expect(accepted('SIP:ALICE@EXAMPLE.COM')).toEqual({
			kind: 'sip',
			dial: 'sip:ALICE@EXAMPLE.COM',
			display: 'ALICE@EXAMPLE.COM',
			extension: null,
		});
		expect(accepted('Sips:Bob@Example.com').dial).toBe('sips:Bob@Example.com');
	});

	it.each([
		['a NUL, percent-encoded', 'sip:%00@x'],
		['a newline, percent-encoded', 'sip:%0a@example.com'],
		['a right-to-left override, percent-encoded', 'sip:%E2%80%AE@example.com'],
		['an Arabic letter mark, percent-encoded', 'sip:%D8%9C@example.com'],
		['a space', 'sip:al ice@example.com'],
		['an angle bracket, percent-encoded', 'sip:a%3Cb@example.com'],
	])('refuses a user part with %s', (_what, input) => {
		expect(refused(input)).toBe('The SIP address’s user part has characters that are not allowed.');
	});

	it('refuses a raw control character anywhere', () => {
		expect(refused('sip:a\u0000b@example.com')).toMatch(/control characters/);
		expect(refused('sip:alice@exa\u202Emple.com')).toMatch(/control characters/);
	});

	it('refuses a broken %-escape', () => {
		expect(refused('sip:%zz@example.com')).toBe('The SIP address has a broken %-escape.');
	});

	it('refuses URI headers', () => {
		expect(refused('sip:a@b?Call-Info=<http://evil>')).toBe(
			'SIP addresses with headers (after “?”) cannot be dialled.',
		);
		expect(refused('sip:a@b;transport=tls?Subject=hi')).toMatch(/headers/);
	});

	it('refuses headers and parameters hidden in the user part', () => {
		expect(refused('sip:a?Call-Info=http://evil@b')).toBe(
			'SIP addresses with headers (after “?”) cannot be dialled.',
		);
		expect(refused('sip:alic?@example.com')).toMatch(/headers/);
		expect(refused('sip:a;maddr=evil@b')).toBe(
			'The SIP address’s user part has characters that are not allowed.',
		);
		// Escaped, they would come back for whoever decodes before parsing; main refuses them in links too.
		expect(refused('sip:a%3Fb@example.com')).toBe(
			'SIP addresses with headers (after “?”) cannot be dialled.',
		);
		expect(refused('sip:a%3Bmaddr=evil@b')).toBe(
			'The SIP address’s user part has characters that are not allowed.',
		);
	});

	it.each([
		['maddr', 'sip:a@b;maddr=evil'],
		['lr', 'sip:a@b;lr'],
		['transport', 'sip:a@b;transport=sctp'],
	])('refuses the %s parameter (only transport and user=phone pass)', (name, input) => {
		expect(refused(input)).toBe(`The SIP parameter “${name}” is not allowed.`);
	});

	it.each(['sip:alice@', 'sip:@example.com', 'sip:alice', 'sip:'])(
		'refuses the malformed %j',
		(input) => {
			expect(refused(input)).toBe('A SIP address looks like sip:name@example.com.');
		},
	);

	it.each([
		'sip:alice@exa_mple.com',
		'sip:alice@-example.com',
		'sip:alice@[evil]',
		'sip:alice@ехample.com', // Cyrillic е and х (D7)
		'sip:alice@256.0.0.1',
	])('refuses the bad host in %j', (input) => {
		expect(refused(input)).toBe('The SIP address’s host is not valid.');
	});

	it.each(['sip:a@b:123456', 'sip:a@b:99999', 'sip:a@b:65536', 'sip:a@b:0', 'sip:a@b:'])(
		'refuses the port in %j (D7: 1–65535 only)',
		(input) => {
			expect(refused(input)).toBe('The SIP address’s port must be a number from 1 to 65535.');
		},
	);

	it('refuses a user part in another script, raw or percent-encoded (D7: lookalikes)', () => {
		expect(refused('sip:аlice@example.com')).toBe(
			'The SIP address’s user part has characters that are not allowed.',
		);
		expect(refused('sip:%D0%B0lice@example.com')).toBe(
			'The SIP address’s user part has characters that are not allowed.',
		);
	});

	it('refuses sip: with 5000 characters, and anything over the bound', () => {
		expect(refused(`sip:${'a'.repeat(5000)}@example.com`)).toBe(
			`That is too long to dial (at most ${MAX_DIAL_LENGTH} characters).`,
		);
		const atBound = `sip:${'a'.repeat(MAX_DIAL_LENGTH - 'sip:@example.com'.length)}@example.com`;
		expect(atBound).toHaveLength(MAX_DIAL_LENGTH);
		expect(accepted(atBound).dial).toBe(atBound);
		expect(refused(`${atBound}m`)).toMatch(/too long/);
	});

	it('bounds what is dialled after NFKC, which can lengthen the input', () => {
		// U+3300 (㌀) normalises to four characters: 256 typed become 1006 dialled.
		const input = `sip:${'\u3300'.repeat(250)}@x`;
		expect(input).toHaveLength(MAX_DIAL_LENGTH);
		expect(refused(input)).toMatch(/too long/);
	});

	it('refuses other schemes', () => {
		expect(refused('http://example.com')).toMatch(SENTENCE);
		expect(refused('sipx:alice@example.com')).toMatch(SENTENCE);
	});
});

describe('parseDestination: installations and user names', () => {
	it.each(['Kitchen Laptop', 'kitchen laptop', 'KITCHEN LAPTOP', '  Kitchen Laptop '])(
		'dials the installation named %j',
		(input) => {
			expect(accepted(input, { directory: DIRECTORY })).toEqual({
				kind: 'installation',
				dial: 'sip:gencredKitchen01@sip.telnyx.com',
				display: 'Kitchen Laptop',
				extension: null,
			});
		},
	);

	it('picks the right installation among several', () => {
		expect(accepted('front desk', { directory: DIRECTORY }).dial).toBe(
			'sip:gencredFront02@sip.telnyx.com',
		);
	});

	it('does not dial an installation name that is not in the directory', () => {
		expect(refused('Kitchen Laptop')).toMatch(SENTENCE);
		expect(refused('Kitchen Laptop', { directory: [] })).toMatch(SENTENCE);
	});

	it.each(['alice', 'alice.smith', 'bob_2', 'gencredAbc-123'])(
		'dials the bare user name %j on sip.telnyx.com',
		(input) => {
			expect(accepted(input)).toEqual({
				kind: 'sip',
				dial: `sip:${input}@sip.telnyx.com`,
				display: input,
				extension: null,
			});
		},
	);

	it.each(['al', 'alice smith', 'alice@', '_alice', `a${'b'.repeat(64)}`, 'ali<ce>'])(
		'refuses the user name %j',
		(input) => {
			expect(refused(input)).toBe(
				'Type a phone number (like +1 312 555 0142), a SIP address (sip:name@example.com) or an installation’s name.',
			);
		},
	);
});

describe('normaliseDtmf (V5)', () => {
	it.each([
		['0123456789*#ABCD', '0123456789*#ABCD'],
		['abcd', 'ABCD'],
		['1a#', '1A#'],
		['1'.repeat(32), '1'.repeat(32)],
	])('%j → %j', (input, digits) => {
		expect(normaliseDtmf(input)).toBe(digits);
	});

	it.each(['12#x', '1,2', 'w', 'E', '1 2', '', '1'.repeat(33), '１', '1\u0000', '1\n'])(
		'refuses %j',
		(input) => {
			expect(normaliseDtmf(input)).toBeNull();
		},
	);
});

describe('parseDestination fuzz', () => {
	const seeds = [1, 2, 3, 20260115];
	const contexts: DialContext[] = [
		{},
		{ defaultCountry: 'US' },
		{ defaultCountry: 'GB' },
		{ defaultCountry: 'DE', directory: DIRECTORY },
	];
	const valid = ['+14155552671', '+44 20 7183 8750', 'sip:alice@example.com', '(415) 555-2671'];
	const alphabet =
		'0123456789+0123456789 -.()+;=#*xext:@?%sipSIP abcAZ\u0000\u202e\u200b\u061c\t\n１＋㌀é漢🙂';

	function candidate(random: ReturnType<typeof seeded>): string {
		switch (random.int(4)) {
			case 0:
				return random.string(random.int(40), alphabet);
			case 1: {
				// A valid input with one character inserted, removed or replaced.
				const base = [...random.pick(valid)];
				const at = random.int(base.length + 1);
				const mutation = random.int(3);
				if (mutation === 0) base.splice(at, 0, random.string(1, alphabet));
				else if (mutation === 1) base.splice(at, 1);
				else base.splice(at, 1, random.string(1, alphabet));
				return base.join('');
			}
			case 2:
				return `${random.bool() ? '+' : ''}${random.string(1 + random.int(20), '0123456789')}`;
			default:
				return `${random.pick(['sip:', 'sips:', 'SIP:'])}${random.string(random.int(30), alphabet)}@${random.string(random.int(12), 'abc.-:[]1%0')}`;
		}
	}

	function check(input: string, result: DialParse): void {
		if (!result.ok) {
			expect(result.message, JSON.stringify(input)).toMatch(SENTENCE);
			return;
		}
		const { target } = result;
		expect(target.dial, JSON.stringify(input)).not.toMatch(/[\p{Cc}\p{Cf}]/u);
		expect(target.dial.length).toBeLessThanOrEqual(MAX_DIAL_LENGTH);
		if (target.kind === 'phone') {
			expect(target.dial, JSON.stringify(input)).toMatch(E164);
			if (target.extension !== null) expect(target.extension).toMatch(/^\d{1,10}$/);
		} else if (target.kind === 'sip') {
			expect(target.dial, JSON.stringify(input)).toMatch(/^sips?:[^?]+@[^?]+$/);
			const user = decodeURIComponent(target.dial.replace(/^sips?:/, '').split('@')[0]!);
			expect(user, JSON.stringify(input)).not.toMatch(/[\p{Cc}\p{Cf}\s<>"]/u);
		} else {
			expect(DIRECTORY.map((e) => `sip:${e.sipUsername}@sip.telnyx.com`)).toContain(target.dial);
		}
	}

	it.each(seeds)(
		'never throws, and accepts only E.164 numbers and clean SIP addresses (seed %i)',
		(seed) => {
			const random = seeded(seed);
			let phones = 0;
			for (let i = 0; i < 1500; i += 1) {
				const input = candidate(random);
				const context = random.pick(contexts);
				let result: DialParse | undefined;
				expect(
					() => (result = parseDestination(input, context)),
					JSON.stringify(input),
				).not.toThrow();
				check(input, result!);
				if (result?.ok === true && result.target.kind === 'phone') phones += 1;
			}
			// The loop must reach the interesting branch, or it proves nothing.
			expect(phones).toBeGreaterThan(20);
		},
	);
});

describe('callerIdProblem', () => {
	const target = (raw: string): DialTarget => {
		const parsed = parseDestination(raw, {
			directory: [{ name: 'Kitchen', sipUsername: 'gencredK' }],
		});
		if (!parsed.ok) throw new Error(parsed.message);
		return parsed.target;
	};

	it('refuses a phone number without a caller ID number (Telnyx would answer D35)', () => {
		expect(callerIdProblem(target('+14155552671'), null)).toBe(CALLER_NUMBER_NEEDED);
		expect(callerIdProblem(target('+14155552671'), ' ')).toBe(CALLER_NUMBER_NEEDED);
		expect(CALLER_NUMBER_NEEDED).toMatch(/^Calls to phone numbers need a caller ID number/);
		expect(CALLER_NUMBER_NEEDED).toMatch(/Choose one of your numbers in Settings → Caller ID\.$/);
	});

	it('lets a phone number through with one', () => {
		expect(callerIdProblem(target('+14155552671'), '+13125550142')).toBeNull();
	});

	it('needs none for installations and SIP addresses', () => {
		for (const raw of ['Kitchen', 'sip:ada@example.com', 'gencredSomeone']) {
			expect(callerIdProblem(target(raw), null)).toBeNull();
		}
	});
});
