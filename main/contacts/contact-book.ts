/**
 * The address book: a JSON file in the user-data folder (never the renderer's storage, never sent anywhere),
 * bounded, validated against the contract on load and before every write, written atomically and in turn.
 * A file that cannot be read, or is not a contacts file at all, is set aside (renamed, never deleted) and the
 * book starts empty; a file with some bad contacts keeps the good ones (and the original aside).
 */
import { z } from 'zod';
import {
	contactSchema,
	limits,
	type Contact,
	type ContactDraft,
	type ContactError,
	type Result,
} from '../../preload/contract';
import type { Logger } from '../logger';
import { ListFile, type ListFileSystem } from '../storage/list-file';

export const CONTACTS_LIMIT = limits.contacts;

export type ContactsFileSystem = ListFileSystem;

export interface ContactBookDeps {
	readonly file: string;
	readonly fs: ContactsFileSystem;
	readonly logger: Logger;
	/** A new contact's id (a UUID in the app; predictable in tests). */
	readonly newId: () => string;
}

const full = (): ContactError => ({
	code: 'FULL',
	message: `The address book is full (${CONTACTS_LIMIT} contacts). Remove some to add more.`,
});

/** Sorted by name, so the list, the dialer's suggestions and a lookup's "first match" are stable. */
const byName = (a: Contact, b: Contact) =>
	a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id);

export class ContactBook {
	#contacts: readonly Contact[];
	readonly #file: ListFile<Contact>;
	readonly #newId: () => string;
	readonly #listeners = new Set<(contacts: readonly Contact[]) => void>();

	private constructor(
		deps: ContactBookDeps,
		file: ListFile<Contact>,
		contacts: readonly Contact[],
	) {
		this.#newId = deps.newId;
		this.#file = file;
		this.#contacts = contacts;
	}

	static async load(deps: ContactBookDeps): Promise<ContactBook> {
		const file = new ListFile<Contact>({
			file: deps.file,
			fs: deps.fs,
			logger: deps.logger,
			name: 'contacts',
			version: 1,
			key: 'contacts',
			droppedEvent: 'contacts.dropped',
		});
		const contacts = await file.load(contactSchema, (valid) => {
			// A repeated id would make "replace by id" ambiguous: the first one wins.
			const seen = new Set<string>();
			return valid
				.filter((contact) => !seen.has(contact.id) && seen.add(contact.id))
				.slice(0, CONTACTS_LIMIT)
				.sort(byName);
		});
		return new ContactBook(deps, file, contacts);
	}

	list(): readonly Contact[] {
		return this.#contacts;
	}

	/** Called with the whole book after every change (main forwards it to every window). */
	onChange(listener: (contacts: readonly Contact[]) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** Adds a contact (null id: main assigns one) or replaces the one with that id. */
	async save(draft: ContactDraft): Promise<Result<readonly Contact[], ContactError>> {
		const { id, ...fields } = draft;
		if (id === null) {
			if (this.#contacts.length >= CONTACTS_LIMIT) return { ok: false, error: full() };
			const contact = contactSchema.parse({ id: this.#newId(), ...fields });
			return { ok: true, value: await this.#write([...this.#contacts, contact]) };
		}
		if (!this.#contacts.some((c) => c.id === id)) {
			return {
				ok: false,
				error: { code: 'NOT_FOUND', message: 'That contact no longer exists; add it again.' },
			};
		}
		const contact = contactSchema.parse({ id, ...fields });
		return {
			ok: true,
			value: await this.#write(this.#contacts.map((c) => (c.id === id ? contact : c))),
		};
	}

	/** Removes a contact; an id nobody has changes nothing. */
	async remove(id: string): Promise<readonly Contact[]> {
		if (!this.#contacts.some((c) => c.id === id)) return this.#contacts;
		return this.#write(this.#contacts.filter((c) => c.id !== id));
	}

	/**
	 * Adds several new contacts at once (an import), as far as the book has room: answers how many were
	 * added (the rest did not fit) and the book.
	 */
	async addMany(
		drafts: readonly Omit<ContactDraft, 'id'>[],
	): Promise<{ added: number; contacts: readonly Contact[] }> {
		const room = Math.max(0, CONTACTS_LIMIT - this.#contacts.length);
		const added = drafts
			.slice(0, room)
			.map((fields) => contactSchema.parse({ ...fields, id: this.#newId() }));
		if (added.length === 0) return { added: 0, contacts: this.#contacts };
		return { added: added.length, contacts: await this.#write([...this.#contacts, ...added]) };
	}

	/**
	 * Writes in turn; the in-memory book follows even if the disk refuses (and the failure is logged). Every
	 * contact is checked against the contract first, so a bug cannot write a file the next start sets aside.
	 */
	async #write(next: readonly Contact[]): Promise<readonly Contact[]> {
		const contacts = z
			.array(contactSchema)
			.max(CONTACTS_LIMIT)
			.parse([...next].sort(byName));
		this.#contacts = contacts;
		for (const listener of this.#listeners) listener(contacts);
		await this.#file.write(contacts);
		return contacts;
	}
}
