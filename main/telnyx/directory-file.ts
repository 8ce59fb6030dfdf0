/**
 * The directory's page kept in the user-data folder (`directory.json`), so a restart answers from it instead
 * of asking Telnyx (see `restored` in directory-policy.ts). It is only a cache: a file that cannot be read or
 * is not one is ignored and replaced by the next refresh; a failed write is logged and otherwise harmless.
 * It holds device names and SIP user names, never a password.
 */
import { z } from 'zod';
import type { Logger } from '../logger';
import type { SettingsFileSystem } from '../settings/settings-file';
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

export function directoryFile(
	file: string,
	fs: SettingsFileSystem,
	logger: Logger,
): DirectorySnapshots {
	let queue: Promise<unknown> = Promise.resolve();
	return {
		async load(): Promise<DirectorySnapshot | null> {
			try {
				const text = await fs.readFile(file);
				if (text === null) return null;
				const parsed = snapshotSchema.safeParse(JSON.parse(text));
				return parsed.success ? parsed.data : null;
			} catch (error) {
				logger.warn('directory.unreadable', { error: String(error) });
				return null;
			}
		},
		save(snapshot: DirectorySnapshot | null): Promise<void> {
			// A forgotten page is a file without one (it loads as nothing).
			const data = `${JSON.stringify({ version: VERSION, ...snapshot })}\n`;
			// Written in turn, so an older page never lands after a newer one.
			const run = queue.then(async () => {
				try {
					await fs.writeFileAtomic(file, data);
				} catch (error) {
					logger.error('directory.writeFailed', { error: String(error) });
				}
			});
			queue = run;
			return run;
		},
	};
}
