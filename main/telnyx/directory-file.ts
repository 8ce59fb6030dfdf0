/**
 * The directory's page kept in the user-data folder (`directory.json`), so a restart answers from it instead
 * of asking Telnyx (see `restored` in directory-policy.ts). It is only a cache: a file that cannot be read or
 * is not one is ignored and replaced by the next refresh; a failed write is logged and otherwise harmless.
 * It holds device names and SIP user names, never a password.
 */
import { z } from 'zod';
import type { Logger } from '../logger';
import { JsonFile, type JsonFileSystem } from '../storage/json-file';
import type { DirectorySnapshot, DirectorySnapshots } from './directory';
import { DIRECTORY_PAGE_SIZE } from './directory';

const VERSION = 1;

const snapshotSchema = z.object({
	version: z.literal(VERSION),
	fetchedAt: z.number().int().nonnegative(),
	total: z.number().int().nonnegative(),
	credentials: z
		.array(
			z.object({
				id: z.string().min(1).max(128),
				name: z.string().max(256),
				sipUsername: z.string().min(1).max(128),
				expired: z.boolean(),
				connectionId: z.string().max(128),
				createdAt: z.string().max(64),
			}),
		)
		.max(DIRECTORY_PAGE_SIZE),
});

/** A page, or none (the version alone, or a damaged page of this version: both load as nothing). */
const fileSchema = z.union([snapshotSchema, z.object({ version: z.literal(VERSION) })]);

export function directoryFile(
	file: string,
	fs: JsonFileSystem,
	logger: Logger,
): DirectorySnapshots {
	const json = new JsonFile({
		file,
		fs,
		logger,
		name: 'directory',
		schema: fileSchema,
		whenBad: 'ignore',
	});
	return {
		async load(): Promise<DirectorySnapshot | null> {
			const read = await json.read();
			return read.status === 'ok' && 'fetchedAt' in read.value ? read.value : null;
		},
		async save(snapshot: DirectorySnapshot | null): Promise<void> {
			// A forgotten page is a file without one. Written in turn: an older page never lands after a newer one.
			await json.write({ version: VERSION, ...snapshot });
		},
	};
}
