/**
 * Writes a file so that a crash leaves either the old or the new content, never a torn one: write a
 * temporary file beside it, flush it to disk, then rename it over the target. Text is written as UTF-8;
 * bytes (the support bundle's zip) as they are.
 */
import { randomBytes } from 'node:crypto';
import { open, rename as fsRename, rm } from 'node:fs/promises';
import path from 'node:path';

export interface AtomicWriteOptions {
	/** Owner-only unless said otherwise: these files hold the user's data. */
	readonly mode?: number;
	/** The last step, passed in so a test can make it fail as a crash or a full disk would. */
	readonly rename?: (from: string, to: string) => Promise<void>;
}

export async function writeFileAtomic(
	file: string,
	data: string | Uint8Array,
	{ mode = 0o600, rename = fsRename }: AtomicWriteOptions = {},
): Promise<void> {
	const temp = path.join(
		path.dirname(file),
		`.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
	);
	const handle = await open(temp, 'wx', mode);
	try {
		try {
			await (typeof data === 'string' ? handle.writeFile(data, 'utf8') : handle.writeFile(data));
			await handle.sync();
		} finally {
			await handle.close();
		}
		await rename(temp, file);
	} catch (error) {
		// A full disk or a failed rename must not leave half-written temporary files behind.
		await rm(temp, { force: true });
		throw error;
	}
}
