/**
 * The contract's rules for what a user types into a form (the caller-ID name, a contact), as plain checks
 * that say the first problem in words — the same sentence the contract's schema gives first for the same
 * input (`test/unit/preload/form-checks.test.ts` holds them to it). The renderer checks forms with these so
 * that it does not bundle the schema library; main still validates everything it receives with the schemas.
 */
import { MAX_SIP_URI_LENGTH, hasControlCharacters, parseSipUri } from './dial-grammar';
import { limits } from './limits';

/** E.164: a `+`, a non-zero country code digit, and 7–15 digits in all (caller ID numbers and contacts). */
export const E164 = new RegExp(`^\\+[1-9]\\d{6,${limits.phoneNumber - 2}}$`);

/** Telnyx's CNAM rule for the caller-ID name. */
export const CALLER_ID_NAME = new RegExp(`^[A-Za-z0-9 ]{0,${limits.callerIdName}}$`);
export const CALLER_ID_NAME_PROBLEM = `The caller ID name can have up to ${limits.callerIdName} letters, digits and spaces.`;

export const CONTACT_MESSAGES = {
	noName: 'A contact needs a name.',
	longName: `A name can have up to ${limits.contactName} characters.`,
	invisible: 'A name cannot hold invisible characters.',
	phone: 'Phone numbers must be in international format, such as +13125550142.',
	sip: 'SIP addresses look like sip:alice@example.com (no headers).',
	unreachable: 'A contact needs a phone number or a SIP address.',
} as const;

/** Why a caller-ID name is refused, or null. */
export function callerIdNameProblem(name: string): string | null {
	return CALLER_ID_NAME.test(name) ? null : CALLER_ID_NAME_PROBLEM;
}

export interface ContactDraftInput {
	readonly id: string | null;
	readonly name: string;
	readonly phones: readonly string[];
	readonly sipAddresses: readonly string[];
	readonly note: string;
}

// The schema library's own wording for bounds the contract gives no sentence of its own.
const tooManyItems = (max: number) => `Too big: expected array to have <=${max} items`;
const tooLong = (max: number) => `Too big: expected string to have <=${max} characters`;

/** Why a contact cannot be saved as it stands (the first problem, in the schema's field order), or null. */
export function contactDraftProblem(draft: ContactDraftInput): string | null {
	const { id, name, phones, sipAddresses, note } = draft;
	if (
		id !== null &&
		(id.length < 1 || id.length > limits.resourceId || !/^[A-Za-z0-9-]+$/.test(id))
	)
		return 'Check the contact’s details.';
	if (name.length < 1) return CONTACT_MESSAGES.noName;
	if (name.length > limits.contactName) return CONTACT_MESSAGES.longName;
	if (name.trim() === '') return CONTACT_MESSAGES.noName;
	if (hasControlCharacters(name)) return CONTACT_MESSAGES.invisible;
	// An array over its bound is reported before its items (the schema checks the length first).
	if (phones.length > limits.contactPhones) return tooManyItems(limits.contactPhones);
	if (phones.some((phone) => !E164.test(phone))) return CONTACT_MESSAGES.phone;
	if (sipAddresses.length > limits.contactSipAddresses)
		return tooManyItems(limits.contactSipAddresses);
	for (const uri of sipAddresses) {
		if (uri.length > MAX_SIP_URI_LENGTH) return tooLong(MAX_SIP_URI_LENGTH);
		if (!parseSipUri(uri).ok) return CONTACT_MESSAGES.sip;
	}
	if (note.length > limits.contactNote) return tooLong(limits.contactNote);
	if (phones.length + sipAddresses.length === 0) return CONTACT_MESSAGES.unreachable;
	return null;
}
