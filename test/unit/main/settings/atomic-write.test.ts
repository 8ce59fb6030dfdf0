import { link, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../../main/settings/atomic-write';

let dir: string;

beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'softphone-atomic-'));
});

afterEach(async () => {
	await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
	it('creates the file with the content, leaving no temporary file', async () => {
		const file = path.join(dir, 'settings.json');
		await writeFileAtomic(file, '{"version":1}\n');
		expect(await readFile(file, 'utf8')).toBe('{"version":1}\n');
		expect(await readdir(dir)).toStrictEqual(['settings.json']);
	});

	it('keeps UTF-8 text intact', async () => {
		const file = path.join(dir, 'x.json');
		const text = 'Zürich 漢字 🙂 \u202e';
		await writeFileAtomic(file, text);
		expect(await readFile(file, 'utf8')).toBe(text);
	});

	it('writes bytes as they are (a zip, say)', async () => {
		const file = path.join(dir, 'bundle.zip');
		const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0xfe, 0x80]);
		await writeFileAtomic(file, bytes);
		expect(new Uint8Array(await readFile(file))).toStrictEqual(bytes);
		expect(await readdir(dir)).toStrictEqual(['bundle.zip']);
	});

	it.runIf(process.platform !== 'win32')(
		'makes the file readable by its owner only by default',
		async () => {
			const file = path.join(dir, 'settings.json');
			await writeFileAtomic(file, 'x');
			expect((await stat(file)).mode & 0o777).toBe(0o600);
		},
	);

	it('replaces the file by rename: a reader holding the old file still sees the old content whole', async () => {
		const file = path.join(dir, 'settings.json');
		await writeFile(file, 'old content');
		const old = path.join(dir, 'old-link');
		await link(file, old);
		const before = (await stat(file)).ino;

		await writeFileAtomic(file, 'new content');

		expect(await readFile(file, 'utf8')).toBe('new content');
		expect(await readFile(old, 'utf8')).toBe('old content');
		expect((await stat(file)).ino).not.toBe(before);
	});

	it('removes its temporary file and throws when the rename fails', async () => {
		const target = path.join(dir, 'occupied');
		await mkdir(target);
		await writeFile(path.join(target, 'inside'), 'x');
		await expect(writeFileAtomic(target, 'data')).rejects.toThrow();
		expect(await readdir(dir)).toStrictEqual(['occupied']);
		expect(await readdir(target)).toStrictEqual(['inside']);
	});

	it('throws, creating nothing, when the folder does not exist', async () => {
		await expect(
			writeFileAtomic(path.join(dir, 'missing', 'settings.json'), 'x'),
		).rejects.toMatchObject({
			code: 'ENOENT',
		});
		expect(await readdir(dir)).toStrictEqual([]);
	});

	it('survives many concurrent writers: the file ends whole, as one of them wrote it', async () => {
		const file = path.join(dir, 'settings.json');
		const contents = Array.from(
			{ length: 20 },
			(_, i) => `${String(i).padStart(2, '0')}:${'x'.repeat(10_000)}`,
		);
		await Promise.all(contents.map((c) => writeFileAtomic(file, c)));
		expect(contents).toContain(await readFile(file, 'utf8'));
		expect(await readdir(dir)).toStrictEqual(['settings.json']);
	});
});
