import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
	SupportBundles,
	bundleNotice,
	saveProblem,
	type SupportBundlesDeps,
} from '../../../../main/diagnostics/support-bundles';
import { recordingLogger } from '../../../support/recording-logger';
import { CALLER_ID, PLAIN_SECRET, sources } from './fixtures';

const FOLDER = '/home/ada/Downloads';
const NOW = new Date(2026, 11, 7, 18, 30);

function setup(
	overrides: Partial<SupportBundlesDeps> = {},
	savePath: string | null = `${FOLDER}/b.zip`,
) {
	const asked: string[] = [];
	const written = new Map<string, Uint8Array>();
	const logger = recordingLogger();
	const bundles = new SupportBundles({
		collect: async () => sources(),
		secrets: async () => [PLAIN_SECRET],
		chooseSavePath: async (name) => {
			asked.push(name);
			return savePath;
		},
		writeFile: async (file, data) => {
			written.set(file, data);
		},
		logger,
		now: () => NOW,
		...overrides,
	});
	return { bundles, asked, written, logger };
}

const errno = (code: string) =>
	Object.assign(new Error(`${code}: failed, open '${FOLDER}/b.zip'`), { code });

describe('SupportBundles.save', () => {
	it('asks where (suggesting a dated name), writes the zip there and answers its name and size', async () => {
		const { bundles, asked, written, logger } = setup();
		const outcome = await bundles.save({ includeFullNumbers: false });
		expect(asked).toStrictEqual(['telnyx-softphone-support-2026-12-07T18-30.zip']);
		const bytes = written.get(`${FOLDER}/b.zip`)!;
		expect(outcome).toStrictEqual({
			ok: true,
			value: { saved: true, fileName: 'b.zip', bytes: bytes.length, file: `${FOLDER}/b.zip` },
		});
		const settings = strFromU8(unzipSync(bytes)['settings.json']!);
		expect(settings).not.toContain(CALLER_ID);
		// The log says which file, never which folder (the user's name would be in the next bundle).
		expect(logger.entries).toContainEqual({
			level: 'info',
			event: 'diagnostics.bundleSaved',
			fields: { fileName: 'b.zip', bytes: bytes.length, parts: 7, includeFullNumbers: false },
		});
		expect(logger.dump()).not.toContain(FOLDER);
	});

	it('redacts with the secrets it is given and keeps numbers whole only when asked', async () => {
		const { bundles, written } = setup({
			collect: async () => ({
				...sources(),
				settings: { ...sources().settings, callerId: { name: 'Desk', number: CALLER_ID } },
				logs: { files: [{ name: 'main.log', text: `key ${PLAIN_SECRET}` }], notes: [] },
			}),
		});
		await bundles.save({ includeFullNumbers: true });
		const files = unzipSync(written.get(`${FOLDER}/b.zip`)!);
		expect(strFromU8(files['logs/main.log']!)).toBe('key [redacted]');
		expect(strFromU8(files['settings.json']!)).toContain(CALLER_ID);
	});

	it('answers saved: false and writes nothing when the user cancels', async () => {
		let collected = 0;
		const { bundles, written } = setup(
			{
				collect: async () => {
					collected += 1;
					return sources();
				},
			},
			null,
		);
		expect(await bundles.save({ includeFullNumbers: false })).toStrictEqual({
			ok: true,
			value: { saved: false, fileName: '', bytes: 0, file: null },
		});
		expect(written.size).toBe(0);
		expect(collected).toBe(0);
	});

	it.each([
		['ENOSPC', /not enough free disk space/],
		['EACCES', /may not save files in that folder/],
		['EPERM', /may not save files in that folder/],
		['EROFS', /read-only/],
		['ENOENT', /no longer there/],
		['EISDIR', /folder with that name/],
		['EIO', /could not be saved there/],
	])('when the write fails with %s, says what to do (and never where)', async (code, message) => {
		const { bundles, logger } = setup({ writeFile: () => Promise.reject(errno(code)) });
		const outcome = await bundles.save({ includeFullNumbers: false });
		expect(outcome).toMatchObject({
			ok: false,
			error: { message: expect.stringMatching(message) },
		});
		expect(JSON.stringify(outcome)).not.toContain(FOLDER);
		expect(logger.entries).toContainEqual({
			level: 'error',
			event: 'diagnostics.bundleFailed',
			fields: { step: 'write', code },
		});
	});

	it('when the bundle cannot be made, says so and what to send instead', async () => {
		const { bundles, written, logger } = setup({
			collect: () => Promise.reject(new Error('the history is on fire')),
		});
		const outcome = await bundles.save({ includeFullNumbers: false });
		expect(outcome).toStrictEqual({
			ok: false,
			error: {
				message:
					'The support bundle could not be made. Try again; if it fails again, open the logs folder from About and send main.log instead.',
			},
		});
		expect(written.size).toBe(0);
		expect(logger.entries.map((e) => e.event)).toStrictEqual(['diagnostics.bundleFailed']);
	});

	it('saves one bundle at a time: a second request while the dialog is open is refused', async () => {
		let answer: (path: string | null) => void = () => {};
		const { bundles } = setup({
			chooseSavePath: () => new Promise((resolve) => (answer = resolve)),
		});
		const first = bundles.save({ includeFullNumbers: false });
		expect(await bundles.save({ includeFullNumbers: false })).toStrictEqual({
			ok: false,
			error: { message: 'A support bundle is being saved already. Finish that one first.' },
		});
		answer(null);
		expect((await first).ok).toBe(true);
		// Once the first is done, another may start.
		const third = bundles.save({ includeFullNumbers: false });
		answer(null);
		expect((await third).ok).toBe(true);
	});
});

describe('saveProblem', () => {
	it('answers a sentence without the error’s own text (which names the folder)', () => {
		expect(saveProblem(new Error(`failed at ${FOLDER}`))).not.toContain(FOLDER);
		expect(saveProblem('not even an error')).toMatch(
			/^The support bundle could not be saved there/,
		);
	});
});

describe('bundleNotice', () => {
	it('names the file and its folder when saved, says why when not, and nothing when cancelled', () => {
		const saved = { saved: true, fileName: 'b.zip', bytes: 10, file: `${FOLDER}/b.zip` };
		expect(bundleNotice({ ok: true, value: saved }, 'darwin')).toStrictEqual({
			title: 'Support bundle saved',
			body: `b.zip is in ${FOLDER}. Attach it to your message to support.`,
			actions: [],
			silent: true,
			urgency: 'normal',
		});
		expect(
			bundleNotice({ ok: false, error: { message: 'That folder is read-only.' } }, 'darwin'),
		).toMatchObject({ title: 'Support bundle not saved', body: 'That folder is read-only.' });
		expect(
			bundleNotice(
				{ ok: true, value: { saved: false, fileName: '', bytes: 0, file: null } },
				'linux',
			),
		).toBeNull();
	});

	it('escapes a file name where notification bodies are markup', () => {
		const saved = { saved: true, fileName: '<b>.zip', bytes: 1, file: '/tmp/<b>.zip' };
		expect(bundleNotice({ ok: true, value: saved }, 'linux')?.body).toBe(
			'&lt;b&gt;.zip is in /tmp. Attach it to your message to support.',
		);
	});
});
