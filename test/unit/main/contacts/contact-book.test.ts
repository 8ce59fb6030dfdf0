import { describe, expect, it } from 'vitest';
import {
	ContactBook,
	CONTACTS_LIMIT,
	type ContactsFileSystem,
} from '../../../../main/contacts/contact-book';
import { silentLogger } from '../../../../main/logger';
import type { Contact } from '../../../../preload/contract';

const FILE = '/data/contacts.json';

/** A file system in memory, with a hook to hold writes back (to see them queue). */
function memoryFs(files = new Map<string, string>()) {
	const renames: [string, string][] = [];
	const writes: string[] = [];
	let gate: Promise<void> = Promise.resolve();
	const fs: ContactsFileSystem = {
		readFile: async (name) => files.get(name) ?? null,
		writeFileAtomic: async (name, data) => {
			await gate;
			writes.push(data);
			files.set(name, data);
		},
		rename: async (from, to) => {
			const data = files.get(from);
			if (data === undefined) throw new Error('ENOENT');
			files.delete(from);
			files.set(to, data);
			renames.push([from, to]);
		},
	};
	return {
		fs,
		files,
		renames,
		writes,
		hold: () => {
			let release = () => {};
			gate = new Promise((resolve) => (release = resolve));
			return () => release();
		},
	};
}

function load(disk = memoryFs()) {
	let n = 0;
	return ContactBook.load({
		file: FILE,
		fs: disk.fs,
		logger: silentLogger,
		newId: () => `id-${++n}`,
	});
}

const ada = {
	id: null,
	name: 'Ada Lovelace',
	phones: ['+442079460958'],
	sipAddresses: [],
	note: '',
} as const;
const bob = { ...ada, name: 'bob', phones: [], sipAddresses: ['sip:bob@sip.telnyx.com'] };

const saved = (c: Contact) => ({ ...c });

describe('ContactBook', () => {
	it('starts empty without a file, and a restart reads back what was saved, sorted by name', async () => {
		const disk = memoryFs();
		const book = await load(disk);
		expect(book.list()).toStrictEqual([]);
		await book.save(bob);
		const result = await book.save(ada);
		expect(result.ok && result.value.map((c) => c.name)).toStrictEqual(['Ada Lovelace', 'bob']);
		const again = await load(disk);
		expect(again.list().map(saved)).toStrictEqual(book.list().map(saved));
		expect(JSON.parse(disk.files.get(FILE) ?? '')).toMatchObject({ version: 1 });
	});

	it('replaces by id, refuses an id it does not have, and removes', async () => {
		const book = await load();
		await book.save(ada);
		const replaced = await book.save({ ...ada, id: 'id-1', name: 'Ada King' });
		expect(replaced).toMatchObject({ ok: true, value: [{ id: 'id-1', name: 'Ada King' }] });
		expect(await book.save({ ...ada, id: 'id-9' })).toMatchObject({
			ok: false,
			error: { code: 'NOT_FOUND' },
		});
		expect(await book.remove('id-9')).toHaveLength(1);
		expect(await book.remove('id-1')).toStrictEqual([]);
	});

	it.each([
		['not JSON', '{"version":1,'],
		['another file', '{"settings":true}'],
		['a future version', '{"version":2,"contacts":[]}'],
	])('sets aside %s (renamed, not deleted) and starts empty', async (_what, text) => {
		const disk = memoryFs(new Map([[FILE, text]]));
		const book = await load(disk);
		expect(book.list()).toStrictEqual([]);
		expect(disk.renames).toHaveLength(1);
		const [, aside] = disk.renames[0]!;
		expect(aside).toMatch(/contacts\.json\.invalid-\d+$/);
		expect(disk.files.get(aside)).toBe(text);
	});

	it('keeps the good contacts of a partly damaged file, with the original set aside', async () => {
		const good = { ...ada, id: 'a' };
		const text = JSON.stringify({
			version: 1,
			contacts: [
				good,
				{ ...ada, id: 'b', phones: ['3125550142'] },
				{ ...ada, id: 'c', name: 'Eve\u202e' },
				{ ...ada, id: 'd', phones: [], sipAddresses: [] },
				{ ...good, name: 'Duplicate id' },
			],
		});
		const disk = memoryFs(new Map([[FILE, text]]));
		const book = await load(disk);
		expect(book.list()).toStrictEqual([good]);
		expect(disk.renames).toHaveLength(1);
		expect(JSON.parse(disk.files.get(FILE) ?? '').contacts).toStrictEqual([good]);
	});

	it('sets aside a file it cannot read instead of overwriting it later', async () => {
		const disk = memoryFs(new Map([[FILE, 'x']]));
		disk.fs.readFile = async () => {
			throw new Error('EACCES');
		};
		const book = await load(disk);
		expect(book.list()).toStrictEqual([]);
		expect(disk.renames[0]?.[1]).toMatch(/\.unreadable-\d+$/);
	});

	it('stops at its bound: a full book answers FULL, an import adds what fits', async () => {
		const contacts = Array.from({ length: CONTACTS_LIMIT - 1 }, (_, i) => ({
			...ada,
			id: `c${i}`,
			name: `Person ${i}`,
		}));
		const disk = memoryFs(new Map([[FILE, JSON.stringify({ version: 1, contacts })]]));
		const book = await load(disk);
		expect(book.list()).toHaveLength(CONTACTS_LIMIT - 1);
		const { added } = await book.addMany([ada, bob]);
		expect(added).toBe(1);
		expect(await book.save(bob)).toMatchObject({ ok: false, error: { code: 'FULL' } });
		expect(JSON.parse(disk.files.get(FILE) ?? '').contacts).toHaveLength(CONTACTS_LIMIT);
	});

	it('refuses to write a contact the contract would refuse on the next start', async () => {
		const book = await load();
		await expect(book.save({ ...ada, phones: ['not a number'] })).rejects.toThrow();
		expect(book.list()).toStrictEqual([]);
	});

	it('writes in turn: the file ends with the last change, whatever the disk’s pace', async () => {
		const disk = memoryFs();
		const book = await load(disk);
		const release = disk.hold();
		const first = book.save(ada);
		const second = book.save(bob);
		const third = book.remove('id-1');
		expect(book.list().map((c) => c.name)).toStrictEqual(['bob']);
		release();
		await Promise.all([first, second, third]);
		expect(disk.writes.map((w) => JSON.parse(w).contacts.length)).toStrictEqual([1, 2, 1]);
		expect(JSON.parse(disk.files.get(FILE) ?? '').contacts[0].name).toBe('bob');
	});

	it('tells listeners about every change', async () => {
		const book = await load();
		const seen: number[] = [];
		const stop = book.onChange((contacts) => seen.push(contacts.length));
		await book.save(ada);
		await book.addMany([bob]);
		stop();
		await book.remove('id-1');
		expect(seen).toStrictEqual([1, 2]);
	});
});
