/**
 * The address book as the UI sees it: main keeps it (a file on this computer), this mirrors main's answers
 * and its `contacts:changed` event. `nameFor` is the one lookup every view uses for "who is this number".
 */
import { addressKey, findContact } from '../../../preload/contact-lookup';
import type { Contact, ContactDraft, ContactImport } from '../../../preload/contract';
import type { Bridge } from './bridge';

/** What the Contacts form starts from: a contact to edit, or a number/address to add. */
export type ContactPrefill = Omit<ContactDraft, 'note'> & { readonly note?: string };

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class ContactsModel {
	contacts = $state.raw<readonly Contact[]>([]);
	/** Why the book could not be read or changed last time (shown by the Contacts view). */
	error = $state<string | null>(null);
	readonly #bridge: Bridge;
	#unsubscribe: (() => void) | null = null;

	constructor(bridge: Bridge) {
		this.#bridge = bridge;
	}

	async load(): Promise<void> {
		this.#unsubscribe ??= this.#bridge.on('contacts:changed', (contacts) => {
			this.contacts = contacts;
		});
		try {
			this.contacts = await this.#bridge.contacts.list();
			this.error = null;
		} catch (error) {
			this.error = `Could not read your contacts. ${describe(error)}`;
		}
	}

	/** The contact's name for a caller or destination, or null when it is nobody in the book. */
	nameFor = (address: string): string | null => findContact(this.contacts, address)?.name ?? null;

	/** Adds or replaces a contact; answers null when saved, else a sentence saying why not. */
	save = async (draft: ContactDraft): Promise<string | null> => {
		try {
			const result = await this.#bridge.contacts.save(draft);
			if (!result.ok) return result.error.message;
			this.contacts = result.value;
			return null;
		} catch (error) {
			return `Could not save the contact. ${describe(error)}`;
		}
	};

	remove = async (id: string): Promise<void> => {
		try {
			this.contacts = await this.#bridge.contacts.remove(id);
		} catch (error) {
			this.error = `Could not remove the contact. ${describe(error)}`;
		}
	};

	/** Hands a vCard file's text to main, which parses it; answers what happened, or why it failed. */
	importVCard = async (
		text: string,
	): Promise<{ ok: true; value: ContactImport } | { ok: false; message: string }> => {
		try {
			const result = await this.#bridge.contacts.importVCard(text);
			if (!result.ok) return { ok: false, message: result.error.message };
			this.contacts = result.value.contacts;
			return { ok: true, value: result.value };
		} catch (error) {
			return { ok: false, message: `Could not import the file. ${describe(error)}` };
		}
	};

	dispose(): void {
		this.#unsubscribe?.();
		this.#unsubscribe = null;
	}
}

/** A new contact for a caller or destination: a number goes to phones, anything else to SIP addresses. */
export function prefillFor(address: string, name = ''): ContactPrefill {
	const key = addressKey(address);
	const phones = key?.startsWith('+') ? [key] : [];
	const sipAddresses = key !== null && !key.startsWith('+') ? [`sip:${key}`] : [];
	return { id: null, name, phones, sipAddresses };
}
