/**
 * Finding a caller in the address book by number or SIP address, shared by main and the renderer. Kept out
 * of `contract.ts` so the renderer does not bundle the schema library for it.
 */
import type { Contact } from './contract';
import { MAX_SIP_URI_LENGTH, parseSipUri, stripPhoneSeparators } from './dial-grammar';

/**
 * The key a phone number or SIP address is found under, so main (notifications, tray) and the renderer
 * (history, incoming calls, the dialer) agree on who a caller is: E.164 digits for numbers (separators
 * dropped), `user@host` lower-cased for SIP addresses, `sip.telnyx.com` for a bare user name (how the
 * platform presents an app-to-app caller). Null for anything that is neither.
 */
export function addressKey(address: string): string | null {
	const text = address.trim();
	if (text === '' || text.length > MAX_SIP_URI_LENGTH) return null;
	const digits = stripPhoneSeparators(text);
	if (/^\+?[0-9]{7,15}$/.test(digits)) return digits.startsWith('+') ? digits : `+${digits}`;
	const uri = /^sips?:/i.test(text)
		? text
		: `sip:${text.includes('@') ? text : `${text}@sip.telnyx.com`}`;
	const check = parseSipUri(uri);
	return check.ok ? `${check.sip.user}@${check.sip.host}`.toLowerCase() : null;
}

/** The contact a caller or destination belongs to (the first one, in the book's order), or null. */
export function findContact(contacts: readonly Contact[], address: string): Contact | null {
	const key = addressKey(address);
	if (key === null) return null;
	return (
		contacts.find(
			(contact) =>
				contact.phones.some((phone) => addressKey(phone) === key) ||
				contact.sipAddresses.some((sip) => addressKey(sip) === key),
		) ?? null
	);
}
