/**
 * Reads a vCard file (3.0 or 4.0; what phones, mail apps and address books export) into contact drafts. The
 * parsing (line folding, escapes, parameters, both versions) is ical.js's, a maintained parser; this module
 * only splits the file into cards — so one broken card is reported instead of failing the whole file — and
 * maps each card onto the contract: FN (else N, else ORG) → name, TEL → E.164 phone numbers, IMPP / X-SIP /
 * URL `sip:` → SIP addresses, NOTE → note. A card with nothing the app can dial is skipped, with the reason.
 */
import ICAL from 'ical.js';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { limits, type ContactDraft } from '../../preload/contract';
import { hasControlCharacters, parseSipUri } from '../../preload/dial-grammar';

export type ContactFields = Omit<ContactDraft, 'id'>;

export interface VCardSkip {
	/** The card's name, or its position in the file. */
	readonly card: string;
	readonly reason: string;
}

export type VCardRead =
	| { readonly ok: true; readonly cards: readonly ContactFields[]; readonly skipped: VCardSkip[] }
	| { readonly ok: false };

const BEGIN = /^BEGIN:VCARD[ \t]*$/im;
const END = /^END:VCARD[ \t]*$/im;

/** One jCard property: `[name, parameters, type, ...values]`. */
type JCardProperty = [string, Record<string, unknown>, string, ...unknown[]];

/** Splits the file at each BEGIN:VCARD; a piece without END:VCARD is an incomplete (broken) card. */
function splitCards(text: string): string[] {
	const pieces: string[] = [];
	let rest = text;
	for (let start = rest.search(BEGIN); start !== -1; start = rest.search(BEGIN)) {
		rest = rest.slice(start);
		const next = rest.slice(1).search(BEGIN);
		const piece = next === -1 ? rest : rest.slice(0, next + 1);
		pieces.push(piece);
		rest = rest.slice(piece.length);
	}
	return pieces;
}

/** The card's properties as ical.js reads them, or null when it cannot be read. */
function parseCard(piece: string): JCardProperty[] | null {
	const end = END.exec(piece);
	if (end === null) return null;
	let parsed: unknown;
	try {
		parsed = ICAL.parse(piece.slice(0, end.index + end[0].length));
	} catch {
		return null;
	}
	const card = Array.isArray(parsed) && parsed[0] === 'vcard' ? parsed : null;
	const properties: unknown = card?.[1];
	if (!Array.isArray(properties)) return null;
	return properties.filter(
		(p): p is JCardProperty =>
			Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'object' && p[1] !== null,
	);
}

const values = (properties: readonly JCardProperty[], name: string): unknown[] =>
	properties.filter((p) => p[0] === name).flatMap((p) => p.slice(3));

const firstText = (properties: readonly JCardProperty[], name: string): string => {
	const value = values(properties, name)[0];
	if (typeof value === 'string') return value;
	// Structured values (N, ORG) arrive as arrays of components.
	if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').join(' ');
	return '';
};

/** Invisible and reordering characters become spaces; runs of space collapse; the bound applies. */
function cleanName(text: string): string {
	const visible = [...text].map((ch) => (hasControlCharacters(ch) ? ' ' : ch)).join('');
	return visible.replace(/\s+/g, ' ').trim().slice(0, limits.contactName).trim();
}

function cardName(properties: readonly JCardProperty[]): string {
	const fn = cleanName(firstText(properties, 'fn'));
	if (fn !== '') return fn;
	// N is family;given;additional;prefix;suffix: shown as "given additional family".
	const n = values(properties, 'n')[0];
	if (Array.isArray(n)) {
		const [family = '', given = '', additional = ''] = n.map((v) =>
			typeof v === 'string' ? v : '',
		);
		const name = cleanName([given, additional, family].join(' '));
		if (name !== '') return name;
	}
	return cleanName(firstText(properties, 'org'));
}

/** A TEL value in E.164, or null when it cannot be made one (no country code and no default country). */
export function toE164(value: string, defaultCountry: CountryCode | undefined): string | null {
	// 4.0 writes `tel:+1-312-555-0142;ext=12`: the scheme goes, and so do parameters (an extension is not
	// part of what is matched or dialled here).
	const text = value.replace(/^tel:/i, '').split(';')[0] ?? '';
	if (text.length > 64) return null;
	const number = parsePhoneNumberFromString(text, defaultCountry);
	if (number === undefined || !number.isPossible()) return null;
	const e164 = number.format('E.164');
	return /^\+[1-9]\d{6,14}$/.test(e164) ? e164 : null;
}

/** A `sip:` address in the form the dialler accepts, or null. A value without a scheme gets `sip:`. */
export function toSipAddress(value: string): string | null {
	const text = value.trim();
	if (/^[a-z][a-z0-9+.-]*:/i.test(text) && !/^sips?:/i.test(text)) return null;
	const check = parseSipUri(/^sips?:/i.test(text) ? text : `sip:${text}`);
	return check.ok ? check.sip.uri : null;
}

const unique = (items: readonly (string | null)[], max: number): string[] =>
	[...new Set(items.filter((item): item is string => item !== null))].slice(0, max);

const strings = (items: readonly unknown[]): string[] =>
	items.filter((item): item is string => typeof item === 'string');

/**
 * Reads every card of a vCard file. Not a vCard file at all (no BEGIN:VCARD) → `ok: false`; otherwise the
 * cards that give a contact, and the ones skipped with a sentence saying why.
 */
export function readVCards(text: string, defaultCountry?: CountryCode): VCardRead {
	const pieces = splitCards(text);
	if (pieces.length === 0) return { ok: false };
	const cards: ContactFields[] = [];
	const skipped: VCardSkip[] = [];
	pieces.forEach((piece, index) => {
		const position = `Card ${index + 1}`;
		const properties = parseCard(piece);
		if (properties === null) {
			skipped.push({ card: position, reason: 'The card is damaged and could not be read.' });
			return;
		}
		const name = cardName(properties);
		const label = name === '' ? position : name;
		const tels = strings(values(properties, 'tel'));
		const phones = unique(
			tels.map((tel) => (/^sips?:/i.test(tel) ? null : toE164(tel, defaultCountry))),
			limits.contactPhones,
		);
		const sipValues = [
			...strings(values(properties, 'impp')).filter((v) => /^sips?:/i.test(v)),
			...strings(values(properties, 'x-sip')),
			...strings(values(properties, 'url')).filter((v) => /^sips?:/i.test(v)),
			...tels.filter((v) => /^sips?:/i.test(v)),
		];
		const sipAddresses = unique(sipValues.map(toSipAddress), limits.contactSipAddresses);
		if (phones.length + sipAddresses.length === 0) {
			skipped.push({
				card: label,
				reason:
					tels.length > 0
						? 'Its phone numbers are not in international format (such as +1 312 555 0142).'
						: 'It has no phone number or SIP address.',
			});
			return;
		}
		if (name === '') {
			skipped.push({ card: label, reason: 'It has no name.' });
			return;
		}
		const note = firstText(properties, 'note').slice(0, limits.contactNote);
		cards.push({ name, phones, sipAddresses, note });
	});
	return { ok: true, cards, skipped };
}
