/**
 * Main's link parser and the dialer's destination resolver (main's `dial.resolve`), side by side on the same
 * cases (issue 11, D7): a `sip:` link main accepts is exactly an address the dialer dials, and both refuse
 * the rest. Main hands the dialer the destination it parsed, and the dialer has it resolved again before
 * dialling, so both are checked.
 */
import { describe, expect, it } from 'vitest';
import { parseLink, type LinkResult } from '../../../main/desktop/links';
import { parseSipUri, type SipProblem } from '../../../preload/dial-grammar';
import {
	resolveDestination as parseDestination,
	type DialResolution,
} from '../../../main/dial/destination';
import { seeded, type Random } from '../../support/random';
import { SIP_CASES, TEL_CASES } from './dial-cases';

const dialled = (result: DialResolution): string | null => (result.ok ? result.value.dial : null);
const linked = (result: LinkResult): string | null => (result.ok ? result.destination : null);

describe('both parsers on the shared SIP cases', () => {
	it.each(SIP_CASES.filter((c) => 'dials' in c).map((c) => [c.why, c.uri, c.dials]))(
		'both dial %s: %j as %j',
		(_why, uri, dials) => {
			expect(linked(parseLink(uri))).toBe(dials);
			expect(parseDestination(uri)).toMatchObject({
				ok: true,
				value: { kind: 'sip', dial: dials },
			});
			// What main hands over is what the dialer dials.
			expect(dialled(parseDestination(dials))).toBe(dials);
		},
	);

	it.each(SIP_CASES.filter((c) => 'refused' in c).map((c) => [c.why, c.uri]))(
		'both refuse %s: %j',
		(_why, uri) => {
			expect(parseLink(uri)).toMatchObject({ ok: false });
			expect(parseDestination(uri)).toMatchObject({ ok: false });
		},
	);

	it('says why in words on both sides, without echoing the link in main', () => {
		expect(parseLink('sip:alice@example.com;maddr=evil.example')).toStrictEqual({
			ok: false,
			reason: 'The link has a SIP parameter that is not allowed.',
		});
		expect(parseDestination('sip:alice@example.com;maddr=evil.example')).toStrictEqual({
			ok: false,
			error: { message: 'The SIP parameter “maddr” is not allowed.' },
		});
		expect(parseLink('sip:alice@example.com:99999')).toMatchObject({
			reason: 'The SIP port in the link is not between 1 and 65535.',
		});
		expect(parseLink('sip:аlice@example.com')).toMatchObject({
			reason: 'The SIP user in the link has characters that are not allowed.',
		});
		expect(parseLink('sip:alice@ехample.com')).toMatchObject({
			reason: 'The SIP host in the link is not valid.',
		});
	});

	it('lets the dialer fold what a person types (NFKC); a link is never folded', () => {
		// Full-width letters typed in the dialer become ASCII; in a link they are a lookalike and refused.
		expect(dialled(parseDestination('sip:alice@ｅxample.com'))).toBe('sip:alice@example.com');
		expect(parseLink('sip:alice@ｅxample.com')).toMatchObject({ ok: false });
	});
});

describe('both parsers on tel: links', () => {
	it.each(TEL_CASES.map((c) => [c.link, c.destination, c.dials]))(
		'%j: main hands over %j, the dialer dials %j',
		(link, destination, dials) => {
			expect(linked(parseLink(link))).toBe(destination);
			if (destination === null) return;
			const parsed = parseDestination(destination);
			if (dials === null) {
				expect(parsed).toMatchObject({ ok: false });
			} else {
				expect(parsed).toMatchObject({
					ok: true,
					value: { kind: 'phone', dial: dials.number, extension: dials.extension },
				});
			}
		},
	);
});

// ---- Seeded fuzz -------------------------------------------------------------------------------------

/** Parts of a SIP URI, each as [good ones, bad ones]; a part is good four times in five. */
type Parts = readonly [good: readonly string[], bad: readonly string[]];
const SCHEMES: Parts = [
	['sip:', 'sips:', 'SIP:', 'sIpS:'],
	['tel:', 'sipx:', 'sip', 'sip:/'],
];
const USERS: Parts = [
	['alice', 'Bob', '+13125550142', '%2B1312', "a.b_c-d!~*'()&=+$,/", 'x'.repeat(230)],
	[
		'"alice"',
		'%22a%22',
		'аlice',
		'al ice',
		'a;maddr=x',
		'a:pw',
		'a%40b',
		'a%2540b',
		'%zz',
		'%E2%80%AE',
		'%00',
		'a?b',
		'a%3Fb',
		'',
		'x'.repeat(260),
	],
];
const SEPARATORS: Parts = [['@'], ['', '@@', '%40']];
const HOSTS: Parts = [
	[
		'example.com',
		'EXAMPLE.COM',
		'sip.telnyx.com',
		'b',
		'10.0.0.1',
		'[::1]',
		'[2001:db8::1]',
		'[::ffff:1.2.3.4]',
		'xn--80ak6aa92e.com',
	],
	[
		'256.0.0.1',
		'010.0.0.1',
		'1.2.3',
		'[evil]',
		'[fe80::1%25eth0]',
		'ехample.com',
		'ｅxample.com',
		'exa_mple.com',
		'-a.com',
		'example.com.',
		'a..b',
	],
];
const PORTS: Parts = [
	['', ':5060', ':1', ':65535'],
	[':0', ':65536', ':99999', ':', ':05060', ':+1', ':5060:5061'],
];
const PARAMS: Parts = [
	['', ';transport=udp', ';transport=WSS', ';user=phone', ';user=phone;transport=tcp'],
	[
		';maddr=evil',
		';lr',
		';method=INVITE',
		';transport=sctp',
		';',
		';transport=tls;transport=udp',
		'?Subject=x',
		'%3FSubject=x',
	],
];
/** One-character mutations: ASCII that matters to the grammar, controls, spaces, lookalikes. */
const NOISE = ' \t\n\u0000\u007f\u0085\u202e\u200b\u00a0аеｅé漢@:;?%"<>[]#/\\\'=.-_+0aZ';
const ALLOWED_PARAMETERS = new Set([
	'transport=udp',
	'transport=tcp',
	'transport=tls',
	'transport=ws',
	'transport=wss',
	'user=phone',
]);

function candidate(random: Random): string {
	const part = ([good, bad]: Parts): string => random.pick(random.int(5) === 0 ? bad : good);
	let text = [SCHEMES, USERS, SEPARATORS, HOSTS, PORTS, PARAMS].map(part).join('');
	const mutations = random.pick([0, 0, 1, 2]);
	for (let i = 0; i < mutations; i += 1) {
		const chars = [...text];
		const where = random.int(chars.length + 1);
		const kind = random.int(3);
		if (kind === 0) chars.splice(where, 0, random.string(1, NOISE));
		else if (kind === 1) chars.splice(where, 1);
		else chars.splice(where, 1, random.string(1, NOISE));
		text = chars.join('');
	}
	return random.int(10) === 0 ? ` ${text}\t` : text;
}

/**
 * What every accepted SIP destination must be, checked without the grammar: ASCII, no controls (raw or
 * escaped), a user without delimiters, an ASCII host, a port in range, only the allowed parameters.
 */
function expectClean(dial: string, input: string): void {
	const what = JSON.stringify(input);
	expect(dial.length, what).toBeLessThanOrEqual(256);
	expect(dial, what).toMatch(/^[\x21-\x7e]+$/);
	expect(decodeURIComponent(dial), what).not.toMatch(/[\p{Cc}\p{Cf}]/u);
	const parts = /^(sips?):([^@]+)@([^;]+)(.*)$/.exec(dial);
	expect(parts, what).not.toBeNull();
	const [, , user = '', hostPort = '', params = ''] = parts ?? [];
	expect(decodeURIComponent(user), what).toMatch(/^[A-Za-z0-9\-_.!~*'()&=+$,/]+$/);
	const host = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::([0-9]+))?$/.exec(hostPort);
	expect(host, what).not.toBeNull();
	if (host?.[2] !== undefined) {
		expect(Number(host[2]), what).toBeGreaterThanOrEqual(1);
		expect(Number(host[2]), what).toBeLessThanOrEqual(65_535);
	}
	for (const param of params.split(';').slice(1))
		expect(ALLOWED_PARAMETERS.has(param.toLowerCase()), `${what}: ${param}`).toBe(true);
}

describe('seeded fuzz: main never accepts a sip: link the dialer would not dial as is', () => {
	it.each([1, 2, 3, 4, 20260115])('seed %i', (seed) => {
		const random = seeded(seed);
		let linksAccepted = 0;
		let linksRefused = 0;
		let typedAccepted = 0;
		const problems = new Set<SipProblem>();
		for (let i = 0; i < 3000; i += 1) {
			const input = candidate(random);
			const link = parseLink(input);
			const typed = parseDestination(input);
			const isSip = /^sips?:/i.test(input.trim());
			const check = parseSipUri(input.trim());
			if (isSip && !check.ok) problems.add(check.problem);

			if (link.ok && isSip) {
				linksAccepted += 1;
				expectClean(link.destination, input);
				// The destination main hands over, and the link itself typed into the dialer, dial the same URI.
				expect(dialled(parseDestination(link.destination)), JSON.stringify(input)).toBe(
					link.destination,
				);
				if (input.length <= 256)
					expect(dialled(typed), JSON.stringify(input)).toBe(link.destination);
			} else if (isSip) {
				linksRefused += 1;
			}
			if (typed.ok && typed.value.kind === 'sip') {
				typedAccepted += 1;
				expectClean(typed.value.dial, input);
			}
			// For ASCII the dialer folds nothing, so the two agree both ways (a refused link is refused typed).
			if (isSip && /^[\x20-\x7e]*$/.test(input) && input.length <= 256) {
				expect(typed.ok, JSON.stringify(input)).toBe(link.ok);
			}
		}
		// The loop must reach both branches, or it proves nothing.
		expect(linksAccepted).toBeGreaterThan(300);
		expect(linksRefused).toBeGreaterThan(1500);
		expect(typedAccepted).toBeGreaterThanOrEqual(linksAccepted);
		expect(problems.size, [...problems].join()).toBe(10);
	});
});
