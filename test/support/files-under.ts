import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

/** Every file under a folder, with its content as text (the canary tests search them for the key). */
export async function filesUnder(dir: string): Promise<Map<string, string>> {
	const out = new Map<string, string>();
	for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
		if (!entry.isFile()) continue;
		const file = path.join(entry.parentPath, entry.name);
		out.set(file, await readFile(file, 'utf8'));
	}
	return out;
}
