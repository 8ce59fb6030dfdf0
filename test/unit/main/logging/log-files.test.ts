/**
 * The log's file sink on real files in a throwaway folder: lines arrive whole and in order, `write` never
 * waits for the disk, rotation keeps every file within its size and exactly `keep` old ones, the files are
 * private, and a failure is reported instead of thrown.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { EOL, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	createLogFiles,
	logGenerationName,
	logGenerationOf,
	type LogFiles,
} from '../../../../main/logging/log-files';

let root: string;
beforeEach(async () => {
	root = await mkdtemp(path.join(tmpdir(), 'softphone-log-files-'));
});
afterEach(async () => {
	await rm(root, { recursive: true, force: true });
});

/** A line like the logger's: JSON, numbered, padded to a steady length. */
const line = (n: number, pad = 20) => JSON.stringify({ n, pad: 'x'.repeat(pad) });
const lines = (count: number, pad?: number) =>
	Array.from({ length: count }, (_, n) => line(n, pad));
const text = (of: readonly string[]) => of.map((l) => `${l}${EOL}`).join('');

/** The folder's files, oldest first (`main.3.log` … `main.log`), each split into its lines. */
async function generations(
	dir: string,
): Promise<{ name: string; size: number; lines: string[] }[]> {
	const names = (await readdir(dir)).sort((a, b) => age(b) - age(a));
	return Promise.all(
		names.map(async (name) => {
			const content = await readFile(path.join(dir, name), 'utf8');
			// Whole lines only: every file ends with a line's end.
			expect(content.endsWith(EOL), name).toBe(true);
			return {
				name,
				size: Buffer.byteLength(content),
				lines: content.slice(0, -EOL.length).split(EOL),
			};
		}),
	);
}
const age = (name: string) => Number(/^main\.(\d+)\.log$/.exec(name)?.[1] ?? 0);

const mode = (file: string) => statSync(file).mode & 0o777;

describe('createLogFiles', () => {
	it('writes every line whole and in order, as given, once flushed', async () => {
		const logs = createLogFiles({ dir: path.join(root, 'logs') });
		expect(logs.file).toBe(path.join(root, 'logs', 'main.log'));
		// Nothing in a line is a template to electron-log: not its placeholders, not printf's.
		const written = [
			...lines(300),
			'{"event":"odd","text":"100%% %s %c %d %o {text} {level} {y}"}',
			'{"event":"wide","text":"é — 電話 ☎ \\u2028"}',
			'',
			...lines(300).reverse(),
		];
		for (const l of written) logs.write(l);
		await logs.flush();
		expect(await readFile(logs.file, 'utf8')).toBe(text(written));
		expect(await readdir(logs.dir)).toStrictEqual(['main.log']);
	});

	it('returns from write before the line is on disk; flush waits for it', async () => {
		const logs = createLogFiles({ dir: path.join(root, 'logs') });
		// The file exists (created, empty, when the sink was) but cannot hold the line yet: electron-log's
		// fs.writeFile first opens the file on the thread pool and writes only in that open's callback, which
		// cannot run before this synchronous code returns.
		logs.write(line(1));
		logs.write(line(2));
		expect(readFileSync(logs.file, 'utf8')).toBe('');
		await logs.flush();
		expect(readFileSync(logs.file, 'utf8')).toBe(text([line(1), line(2)]));
	});

	it('flush waits for the lines before it, not for a quiet moment that lines keep putting off', async () => {
		const logs = createLogFiles({ dir: path.join(root, 'logs') });
		logs.write('before');
		let flushed = false;
		const flushing = logs.flush().then(() => (flushed = true));
		let after = 0;
		// A line on every turn of the event loop: the queue is never empty until this stops.
		while (!flushed && after < 10_000) {
			logs.write(`after ${after}`);
			after += 1;
			await new Promise((resolve) => setImmediate(resolve));
		}
		await flushing;
		expect(after).toBeLessThan(10_000);
		expect(readFileSync(logs.file, 'utf8').startsWith(`before${EOL}`)).toBe(true);
		await logs.flush();
		expect(readFileSync(logs.file, 'utf8').split(EOL)).toHaveLength(after + 2);
	});

	describe('rotation', () => {
		const maxBytes = 1000;
		const keep = 3;
		/** 300 lines of 37 to 39 bytes with their ends: about a dozen files' worth. */
		const written = lines(300);

		async function expectRotated(dir: string): Promise<void> {
			const files = await generations(dir);
			expect(files.map((f) => f.name)).toStrictEqual([
				'main.3.log',
				'main.2.log',
				'main.1.log',
				'main.log',
			]);
			for (const [index, file] of files.entries()) {
				expect(file.size, file.name).toBeLessThanOrEqual(maxBytes);
				// …and no smaller than it had to be: the next line would not have fitted.
				const next = files[index + 1]?.lines[0];
				if (next !== undefined) {
					expect(file.size + Buffer.byteLength(`${next}${EOL}`), file.name).toBeGreaterThan(
						maxBytes,
					);
				}
			}
			// The newest lines, in order and without a gap, with the very newest in main.log.
			const kept = files.flatMap((f) => f.lines);
			expect(kept).toStrictEqual(written.slice(-kept.length));
			expect(files.at(-1)?.lines.at(-1)).toBe(written.at(-1));
		}

		it('keeps every file within maxBytes, and exactly `keep` old ones, for a burst of lines', async () => {
			const logs = createLogFiles({ dir: path.join(root, 'logs'), maxBytes, keep });
			// All in one go: none of these lines is on disk before the last is written.
			for (const l of written) logs.write(l);
			await logs.flush();
			await expectRotated(logs.dir);
		});

		it('rotates the same way when each line is on disk before the next', async () => {
			const logs = createLogFiles({ dir: path.join(root, 'logs'), maxBytes, keep });
			for (const l of written) {
				logs.write(l);
				await logs.flush();
			}
			await expectRotated(logs.dir);
			// Timing decides nothing: a burst makes exactly these files.
			const burst = createLogFiles({ dir: path.join(root, 'burst'), maxBytes, keep });
			for (const l of written) burst.write(l);
			await burst.flush();
			for (const name of await readdir(logs.dir)) {
				expect(await readFile(path.join(burst.dir, name), 'utf8'), name).toBe(
					await readFile(path.join(logs.dir, name), 'utf8'),
				);
			}
		});

		it('continues the file an earlier run left, and moves the old files up one', async () => {
			const dir = path.join(root, 'logs');
			mkdirSync(dir);
			for (const [name, content] of [
				['main.log', 'earlier live'],
				['main.1.log', 'earlier 1'],
				['main.2.log', 'earlier 2'],
				['main.3.log', 'earlier 3'],
			] as const) {
				writeFileSync(path.join(dir, name), text([content.padEnd(440, '.')]));
			}
			const logs = createLogFiles({ dir, maxBytes, keep });
			// 441 bytes there: this one fits, the next does not.
			logs.write('fits');
			logs.write('x'.repeat(600));
			await logs.flush();
			const files = await generations(dir);
			expect(files.map((f) => [f.name, f.lines.map((l) => l.replace(/\.+$/, ''))])).toStrictEqual([
				['main.3.log', ['earlier 2']],
				['main.2.log', ['earlier 1']],
				['main.1.log', ['earlier live', 'fits']],
				['main.log', ['x'.repeat(600)]],
			]);
		});

		it('writes a line longer than maxBytes whole, in a file of its own', async () => {
			const logs = createLogFiles({ dir: path.join(root, 'logs'), maxBytes: 100, keep: 5 });
			const long = JSON.stringify({ event: 'long', text: 'y'.repeat(5_000) });
			logs.write('first');
			logs.write(long);
			logs.write('last');
			await logs.flush();
			const files = await generations(logs.dir);
			expect(files.map((f) => [f.name, f.lines])).toStrictEqual([
				['main.2.log', ['first']],
				['main.1.log', [long]],
				['main.log', ['last']],
			]);
		});

		it('keeps no old file with keep 0', async () => {
			const logs = createLogFiles({ dir: path.join(root, 'logs'), maxBytes, keep: 0 });
			for (const l of written) logs.write(l);
			await logs.flush();
			const files = await generations(logs.dir);
			expect(files.map((f) => f.name)).toStrictEqual(['main.log']);
			expect(files[0]!.lines.at(-1)).toBe(written.at(-1));
			expect(files[0]!.size).toBeLessThanOrEqual(maxBytes);
		});
	});

	describe.skipIf(process.platform === 'win32')('privacy', () => {
		it('makes the folder 0700 and every file 0600, rotated ones too', async () => {
			const logs = createLogFiles({ dir: path.join(root, 'a', 'logs'), maxBytes: 200, keep: 2 });
			for (const l of lines(40)) logs.write(l);
			await logs.flush();
			expect(mode(logs.dir)).toBe(0o700);
			const names = await readdir(logs.dir);
			expect(names.sort()).toStrictEqual(['main.1.log', 'main.2.log', 'main.log']);
			for (const name of names) expect(mode(path.join(logs.dir, name)), name).toBe(0o600);
		});

		it('makes a folder that already exists private too', async () => {
			const dir = path.join(root, 'logs');
			mkdirSync(dir, { mode: 0o755 });
			chmodSync(dir, 0o755);
			const logs = createLogFiles({ dir });
			expect(mode(dir)).toBe(0o700);
			expect(mode(logs.file)).toBe(0o600);
		});
	});

	describe('failures', () => {
		it('reports a write that fails, and never throws', async () => {
			const errors: Error[] = [];
			const logs = createLogFiles({ dir: path.join(root, 'logs'), onError: (e) => errors.push(e) });
			await rm(logs.dir, { recursive: true });
			// (electron-log also says so on stderr, which shows in the test output.)
			expect(() => logs.write('lost')).not.toThrow();
			await logs.flush();
			expect(errors.map((e) => e.message)).toStrictEqual([
				expect.stringContaining(`Couldn't write to ${logs.file}`),
			]);
			expect(existsSync(logs.file)).toBe(false);
		});

		it('survives a reporter that throws', async () => {
			const logs = createLogFiles({
				dir: path.join(root, 'logs'),
				onError: () => {
					throw new Error('reporter broken');
				},
			});
			await rm(logs.dir, { recursive: true });
			logs.write('lost');
			await logs.flush();
			mkdirSync(logs.dir);
			logs.write('kept');
			await logs.flush();
			expect(readFileSync(logs.file, 'utf8')).toBe(text(['kept']));
		});

		it('reports a rotation that fails and keeps writing to the live file', async () => {
			const dir = path.join(root, 'logs');
			// An old file that cannot be deleted: a folder with something in it.
			mkdirSync(path.join(dir, 'main.1.log', 'inside'), { recursive: true });
			const errors: Error[] = [];
			const logs = createLogFiles({ dir, maxBytes: 100, keep: 1, onError: (e) => errors.push(e) });
			const written = lines(10);
			for (const l of written) logs.write(l);
			await logs.flush();
			// Lines of 37 bytes, two to a file: tried again a whole file later each time, not at every line.
			expect(errors).toHaveLength(4);
			expect(errors[0]?.message).toMatch(/main\.1\.log/);
			expect(readFileSync(logs.file, 'utf8')).toBe(text(written));
		});

		it('still writes when electron-log finds no app name to work out its own (unused) paths from', async () => {
			// A process of its own, started outside any package: electron-log looks the name up once a process,
			// in package.json files beside the main module, in Electron's resources and in the working folder.
			const outside = path.join(root, 'elsewhere');
			mkdirSync(outside);
			const script = path.join(outside, 'probe.mts');
			const sink = pathToFileURL(
				fileURLToPath(new URL('../../../../main/logging/log-files.ts', import.meta.url)),
			).href;
			writeFileSync(
				script,
				`import { createLogFiles } from ${JSON.stringify(sink)};\n` +
					`const logs = createLogFiles({ dir: process.argv[2], onError: (e) => console.error(e.message) });\n` +
					`logs.write('found');\nawait logs.flush();\n`,
			);
			const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
			const dir = path.join(root, 'logs');
			const { stderr } = await promisify(execFile)(
				process.execPath,
				['--import', tsx, script, dir],
				{ cwd: outside },
			);
			expect(stderr).toBe('');
			expect(readFileSync(path.join(dir, 'main.log'), 'utf8')).toBe(text(['found']));
		});

		it('refuses a second sink on the same file in one process (each would count the other’s lines)', () => {
			const first: LogFiles = createLogFiles({ dir: path.join(root, 'logs') });
			expect(() => createLogFiles({ dir: first.dir })).toThrow(/already has a writer/);
			expect(() => createLogFiles({ dir: first.dir, fileName: 'other.log' })).not.toThrow();
		});

		it('refuses options that make no sense', () => {
			const dir = path.join(root, 'logs');
			expect(() => createLogFiles({ dir, maxBytes: 0 })).toThrow(RangeError);
			expect(() => createLogFiles({ dir, maxBytes: 1.5 })).toThrow(RangeError);
			expect(() => createLogFiles({ dir, keep: -1 })).toThrow(RangeError);
			expect(() => createLogFiles({ dir, fileName: '../main.log' })).toThrow(RangeError);
			expect(existsSync(dir)).toBe(false);
		});
	});
});

describe('logGenerationName and logGenerationOf', () => {
	it('name the files rotation writes, and recognise each of them (and nothing else) by its number', async () => {
		const logs = createLogFiles({ dir: path.join(root, 'logs'), maxBytes: 200, keep: 3 });
		for (const l of lines(40)) logs.write(l);
		await logs.flush();
		const names = (await readdir(logs.dir)).sort();
		expect(names).toStrictEqual(['main.1.log', 'main.2.log', 'main.3.log', 'main.log']);
		expect(names.map((name) => logGenerationOf(name))).toStrictEqual([1, 2, 3, 0]);
		expect([0, 1, 2, 3].map((n) => logGenerationName('main.log', n))).toStrictEqual([
			'main.log',
			'main.1.log',
			'main.2.log',
			'main.3.log',
		]);
	});

	it.each([
		'main.0.log',
		'main.01.log',
		'main.x.log',
		'main..log',
		'main.1.log.tmp',
		'.main.log.abc.tmp',
		'main.log.invalid-1',
		'renderer.log',
		'main.1234567.log',
	])('does not take %s for a generation of main.log', (name) => {
		expect(logGenerationOf(name)).toBeNull();
	});

	it('follows another file name', () => {
		expect(logGenerationName('calls.txt', 2)).toBe('calls.2.txt');
		expect(logGenerationOf('calls.2.txt', 'calls.txt')).toBe(2);
		expect(logGenerationOf('main.2.log', 'calls.txt')).toBeNull();
	});
});
