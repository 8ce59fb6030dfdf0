/**
 * A vCard import into the address book: the cards `readVCards` gives, minus those already in the book (an
 * import run twice adds nothing the second time), as far as the book has room. What is skipped is reported
 * by name and reason, the first `limits.importSkipped` of them; the count is always exact.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import {
	addressKey,
	limits,
	type Contact,
	type ContactError,
	type ContactImport,
	type Result,
} from '../../preload/contract';
import type { ContactBook } from './contact-book';
import { readVCards, type ContactFields, type VCardSkip } from './vcard-import';

const identity = (c: ContactFields) =>
	JSON.stringify([
		c.name.toLocaleLowerCase(),
		[...c.phones, ...c.sipAddresses].map((a) => addressKey(a) ?? a).sort(),
	]);

export async function importVCard(
	book: ContactBook,
	text: string,
	defaultCountry: CountryCode | undefined,
): Promise<Result<ContactImport, ContactError>> {
	const read = readVCards(text, defaultCountry);
	if (!read.ok) {
		return {
			ok: false,
			error: {
				code: 'NOT_VCARD',
				message:
					'That file is not a vCard file (.vcf). Export your contacts as vCard and try again.',
			},
		};
	}
	const skipped: VCardSkip[] = [...read.skipped];
	const known = new Set(book.list().map((c: Contact) => identity(c)));
	const fresh: ContactFields[] = [];
	for (const card of read.cards) {
		const id = identity(card);
		if (known.has(id)) skipped.push({ card: card.name, reason: 'It is already in your contacts.' });
		else {
			known.add(id);
			fresh.push(card);
		}
	}
	const { added, contacts } = await book.addMany(fresh);
	for (const card of fresh.slice(added)) {
		skipped.push({ card: card.name, reason: 'The address book is full.' });
	}
	return {
		ok: true,
		value: {
			imported: added,
			skippedCount: skipped.length,
			skipped: skipped.slice(0, limits.importSkipped),
			contacts,
		},
	};
}
