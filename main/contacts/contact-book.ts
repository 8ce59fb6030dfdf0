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

export const CONTACTS_LIMIT = limits.contacts;
const CONTACTS_VERSION = 1;

/** The top level only: contacts are checked one by one, so one bad contact does not cost the others. */
const fileSchema = z.object({
	version: z.literal(CONTACTS_VERSION),
	contacts: z.array(z.unknown()),
});

export interface ContactsFileSystem {
	readFile(file: string): Promise<string | null>;
	writeFileAtomic(file: string, data: string): Promise<void>;
	rename(from: string, to: string): Promise<void>;
}

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
	#queue: Promise<unknown> = Promise.resolve();
	readonly #listeners = new Set<(contacts: readonly Contact[]) => void>();

	private constructor(
		private readonly deps: ContactBookDeps,
		contacts: readonly Contact[],
	) {
		this.#contacts = contacts;
	}

	static async load(deps: ContactBookDeps): Promise<ContactBook> {
		let text: string | null;
		try {
			text = await deps.fs.readFile(deps.file);
		} catch (error) {
			// Starting empty would let the next save overwrite a book that may only be unreadable for now.
			deps.logger.error('contacts.unreadable', { error: String(error) });
			await ContactBook.#setAside(deps, 'unreadable');
			return new ContactBook(deps, []);
		}
		if (text === null) return new ContactBook(deps, []);
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = undefined;
		}
		const valid = fileSchema.safeParse(parsed);
		if (!valid.success) {
			await ContactBook.#setAside(deps, 'invalid');
			return new ContactBook(deps, []);
		}
		const seen = new Set<string>();
		const contacts = valid.data.contacts.flatMap((item) => {
			const checked = contactSchema.safeParse(item);
			// A repeated id would make "replace by id" ambiguous: the first one wins.
			if (!checked.success || seen.has(checked.data.id)) return [];
			seen.add(checked.data.id);
			return [checked.data];
		});
		const kept = contacts.slice(0, CONTACTS_LIMIT).sort(byName);
		const book = new ContactBook(deps, kept);
		const dropped = valid.data.contacts.length - kept.length;
		if (dropped === 0) return book;
		// Keep the original for a person to repair, and the good contacts on disk so they survive a restart.
		const aside = await ContactBook.#setAside(deps, 'invalid');
		deps.logger.warn('contacts.dropped', { dropped, kept: kept.length, aside });
		if (aside !== null) await book.#write(kept);
		return book;
	}

	/** Renames the file out of the way, keeping its bytes; answers where it went (null if it could not). */
	static async #setAside(
		deps: ContactBookDeps,
		reason: 'unreadable' | 'invalid',
	): Promise<string | null> {
		const aside = `${deps.file}.${reason}-${Date.now()}`;
		try {
			await deps.fs.rename(deps.file, aside);
			return aside;
		} catch (error) {
			deps.logger.error('contacts.setAsideFailed', { error: String(error) });
			return null;
		}
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
			const contact = contactSchema.parse({ id: this.deps.newId(), ...fields });
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
			.map((fields) => contactSchema.parse({ ...fields, id: this.deps.newId() }));
		if (added.length === 0) return { added: 0, contacts: this.#contacts };
		return { added: added.length, contacts: await this.#write([...this.#contacts, ...added]) };
	}

	/**
	 * Writes in turn; the in-memory book follows even if the disk refuses (and the failure is logged). Every
	 * contact is checked against the contract first, so a bug cannot write a file the next start sets aside.
	 */
	#write(next: readonly Contact[]): Promise<readonly Contact[]> {
		const contacts = z
			.array(contactSchema)
			.max(CONTACTS_LIMIT)
			.parse([...next].sort(byName));
		this.#contacts = contacts;
		for (const listener of this.#listeners) listener(contacts);
		const data = `${JSON.stringify({ version: CONTACTS_VERSION, contacts })}\n`;
		const run = this.#queue.then(async () => {
			try {
				await this.deps.fs.writeFileAtomic(this.deps.file, data);
			} catch (error) {
				this.deps.logger.error('contacts.writeFailed', { error: String(error) });
			}
			return contacts;
		});
		this.#queue = run.catch(() => undefined);
		return run;
	}
}
