import { describe, expect, it } from 'vitest';
import { ContactBook } from '../../../../main/contacts/contact-book';
import { importVCard } from '../../../../main/contacts/import-vcard';
import { defaultCountryOf } from '../../../../main/dial/destination';
import { readVCards, toE164, toSipAddress } from '../../../../main/contacts/vcard-import';
import { silentLogger } from '../../../../main/logger';
import { contactDraftSchema, limits } from '../../../../preload/contract';

const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

/** As an iPhone / macOS Contacts export writes it: 3.0, grouped items, a folded line. */
const APPLE_30 = crlf([
	'BEGIN:VCARD',
	'VERSION:3.0',
	'PRODID:-//Apple Inc.//iPhone OS 17.5//EN',
	'N:Hopper;Grace;Brewster;Rear Admiral;',
	'FN:Grace Brewster Hopper',
	'ORG:US Navy;',
	'item1.TEL;type=pref:+1 (312) 555-0142',
	'TEL;type=CELL;type=VOICE:312-555-0143',
	'TEL;type=HOME:+1 312 555 0142',
	'item2.IMPP;X-SERVICE-TYPE=SIP:sip:grace@example.com',
	'NOTE:Invented the first compiler\\, and debugging. This note is long enough to be fold',
	' ed onto a second line.',
	'END:VCARD',
]);

/** As RFC 6350 writes 4.0: tel: URIs with an extension, an IMPP that is not SIP. */
const RFC_40 = crlf([
	'BEGIN:VCARD',
	'VERSION:4.0',
	'FN:Simon Perreault',
	'N:Perreault;Simon;;;ing. jr,M.Sc.',
	'TEL;VALUE=uri;TYPE="work,voice";PREF=1:tel:+1-418-656-9254;ext=102',
	'TEL;VALUE=uri;TYPE="work,cell,voice,video,text":tel:+1-418-262-6501',
	'IMPP;PREF=1:xmpp:simon@example.com',
	'URL:sip:simon@viagenie.ca',
	'END:VCARD',
]);

/** A Google Contacts export: 3.0, no FN (only N), a national number and a SIP address in X-SIP. */
const GOOGLE_30 = crlf([
	'BEGIN:VCARD',
	'VERSION:3.0',
	'N:Turing;Alan;;;',
	'TEL;TYPE=CELL:020 7946 0958',
	'X-SIP:alan@sip.telnyx.com',
	'END:VCARD',
]);

const NO_NUMBER = crlf(['BEGIN:VCARD', 'VERSION:3.0', 'FN:Only Email', 'EMAIL:a@b.c', 'END:VCARD']);
const BROKEN = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut off\r\nTEL:+13125550199\r\n';

describe('readVCards', () => {
	it('maps a 3.0 Apple card: folded lines, several TELs (deduplicated), IMPP sip:', () => {
		const read = readVCards(APPLE_30);
		expect(read).toStrictEqual({
			ok: true,
			skipped: [],
			cards: [
				{
					name: 'Grace Brewster Hopper',
					// The national one is skipped without a default country; the repeat appears once.
					phones: ['+13125550142'],
					sipAddresses: ['sip:grace@example.com'],
					note: 'Invented the first compiler, and debugging. This note is long enough to be folded onto a second line.',
				},
			],
		});
		const withCountry = readVCards(APPLE_30, 'US');
		expect(withCountry.ok && withCountry.cards[0]?.phones).toStrictEqual([
			'+13125550142',
			'+13125550143',
		]);
	});

	it('maps a 4.0 card: tel: URIs (extension dropped), URL sip:, other IMPP ignored', () => {
		const read = readVCards(RFC_40);
		expect(read.ok && read.cards).toStrictEqual([
			{
				name: 'Simon Perreault',
				phones: ['+14186569254', '+14182626501'],
				sipAddresses: ['sip:simon@viagenie.ca'],
				note: '',
			},
		]);
	});

	it('names a card from N when there is no FN, and reads X-SIP without a scheme', () => {
		const read = readVCards(GOOGLE_30, 'GB');
		expect(read.ok && read.cards).toStrictEqual([
			{
				name: 'Alan Turing',
				phones: ['+442079460958'],
				sipAddresses: ['sip:alan@sip.telnyx.com'],
				note: '',
			},
		]);
	});

	it('reads several cards in one file and reports the broken and undialable ones by name', () => {
		const read = readVCards(APPLE_30 + NO_NUMBER + BROKEN + RFC_40);
		expect(read.ok && read.cards.map((c) => c.name)).toStrictEqual([
			'Grace Brewster Hopper',
			'Simon Perreault',
		]);
		expect(read.ok && read.skipped).toStrictEqual([
			{ card: 'Only Email', reason: 'It has no phone number or SIP address.' },
			{ card: 'Card 3', reason: 'The card is damaged and could not be read.' },
		]);
	});

	it('says why a card whose numbers have no country code is skipped', () => {
		const read = readVCards(GOOGLE_30.replace('X-SIP:alan@sip.telnyx.com\r\n', ''));
		expect(read.ok && read.skipped[0]?.reason).toMatch(/international format/);
	});

	it('answers not-a-vCard for text with no card at all', () => {
		expect(readVCards('name,phone\nAda,+13125550142\n')).toStrictEqual({ ok: false });
	});

	it('keeps names visible and bounded, and every card it gives fits the contract', () => {
		const card = crlf([
			'BEGIN:VCARD',
			'VERSION:3.0',
			`FN:Eve\u202eliam ${'x'.repeat(300)}`,
			...Array.from({ length: 15 }, (_, i) => `TEL:+1312555${String(1000 + i)}`),
			'END:VCARD',
		]);
		const read = readVCards(card);
		const contact = read.ok ? read.cards[0] : undefined;
		expect(contact?.name.startsWith('Eve liam')).toBe(true);
		expect(contact?.name.length).toBeLessThanOrEqual(limits.contactName);
		expect(contact?.phones).toHaveLength(limits.contactPhones);
		expect(contactDraftSchema.safeParse({ id: null, ...contact }).success).toBe(true);
	});

	it('refuses SIP addresses the dial grammar refuses', () => {
		expect(toSipAddress('sip:bob@example.com?Call-Info=x')).toBeNull();
		expect(toSipAddress('http://example.com')).toBeNull();
		expect(toSipAddress('SIP:bob@example.com')).toBe('sip:bob@example.com');
		expect(toE164('tel:+1-418-656-9254;ext=102', undefined)).toBe('+14186569254');
		expect(toE164('12', 'US')).toBeNull();
	});
});

describe('importVCard', () => {
	async function book() {
		let n = 0;
		return ContactBook.load({
			file: '/c.json',
			fs: { readFile: async () => null, writeFileAtomic: async () => {}, rename: async () => {} },
			logger: silentLogger,
			newId: () => `id-${++n}`,
		});
	}

	it('adds the dialable cards, skips the rest, and skips what is already there on a second run', async () => {
		const contacts = await book();
		const text = APPLE_30 + NO_NUMBER + GOOGLE_30;
		const first = await importVCard(contacts, text, defaultCountryOf('+13125550100'));
		expect(first).toMatchObject({ ok: true, value: { imported: 2, skippedCount: 1 } });
		const second = await importVCard(contacts, text, defaultCountryOf('+13125550100'));
		expect(second.ok && second.value.imported).toBe(0);
		expect(second.ok && second.value.skipped.map((s) => s.reason)).toStrictEqual([
			'It has no phone number or SIP address.',
			'It is already in your contacts.',
			'It is already in your contacts.',
		]);
		expect(contacts.list().map((c) => c.name)).toStrictEqual([
			'Alan Turing',
			'Grace Brewster Hopper',
		]);
	});

	it('answers NOT_VCARD for another kind of file', async () => {
		expect(await importVCard(await book(), 'hello', undefined)).toMatchObject({
			ok: false,
			error: { code: 'NOT_VCARD' },
		});
	});
});
