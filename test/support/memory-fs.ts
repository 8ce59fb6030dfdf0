/** An in-memory file system for the JSON files in main (they read, write atomically and rename). */
import type { JsonFileSystem } from '../../main/storage/json-file';

export interface MemoryFs extends JsonFileSystem {
	readonly files: Map<string, string>;
	/** Where each rename moved a file, in order (a file set aside). */
	readonly renamed: string[];
}

export function memoryFs(files = new Map<string, string>()): MemoryFs {
	const renamed: string[] = [];
	return {
		files,
		renamed,
		readFile: async (name) => files.get(name) ?? null,
		writeFileAtomic: async (name, data) => {
			files.set(name, data);
		},
		rename: async (from, to) => {
			const data = files.get(from);
			if (data === undefined) throw new Error(`ENOENT: ${from}`);
			files.delete(from);
			files.set(to, data);
			renamed.push(to);
		},
	};
}
