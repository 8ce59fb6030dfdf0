/**
 * What the dialer suggests as the user types: contacts (by name, number or SIP address), the other
 * installations (by name) and recent calls (by name or number). Pure, so it is tested on its own.
 */
import type { CallHistoryEntry, Contact, Installation } from '../../../preload/contract';

export interface Suggestion {
	readonly kind: 'contact' | 'installation' | 'recent';
	/** Who, as shown. */
	readonly label: string;
	/** What is dialled, also shown (a contact may have several). */
	readonly destination: string;
}

export const MAX_SUGGESTIONS = 8;

const digitsOf = (text: string) => text.replace(/[^0-9]/g, '');

/** True when the query is in the text: names case- and accent-insensitively, numbers by their digits. */
function matches(query: string, text: string): boolean {
	const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
	if (fold(text).includes(fold(query))) return true;
	const digits = digitsOf(query);
	// Only a query that is mostly digits is compared as a number ("312" finds +1 312 …, "Ada 3" does not).
	return digits.length >= 3 && digits.length >= query.replace(/\s/g, '').length - 1
		? digitsOf(text).includes(digits)
		: false;
}

export function suggest(
	query: string,
	sources: {
		readonly contacts: readonly Contact[];
		readonly installations: readonly Installation[];
		readonly recent: readonly CallHistoryEntry[];
	},
): Suggestion[] {
	const q = query.trim();
	if (q === '') return [];
	const found: Suggestion[] = [];
	for (const contact of sources.contacts) {
		const byName = matches(q, contact.name);
		for (const destination of [...contact.phones, ...contact.sipAddresses]) {
			if (byName || matches(q, destination))
				found.push({ kind: 'contact', label: contact.name, destination });
		}
	}
	for (const entry of sources.installations) {
		if (matches(q, entry.name))
			found.push({ kind: 'installation', label: entry.name, destination: entry.name });
	}
	for (const entry of sources.recent) {
		const label = entry.remoteName || entry.remote;
		if (matches(q, label) || matches(q, entry.remote))
			found.push({ kind: 'recent', label, destination: entry.remote });
	}
	// One line per destination: the first source (contacts, then installations, then recent) wins.
	const seen = new Set<string>();
	return found
		.filter((s) => !seen.has(s.destination) && (seen.add(s.destination), true))
		.slice(0, MAX_SUGGESTIONS);
}
