/** The JSON files' file system over Node's `fs`, shared by the Electron app and the end-to-end harness. */
import { readFile, readdir, rename } from 'node:fs/promises';
import type { LogFolderReader } from './diagnostics/bundle-logs';
import { writeFileAtomic } from './settings/atomic-write';
import type { JsonFileSystem } from './storage/json-file';

export const nodeSettingsFs: JsonFileSystem = {
	async readFile(file) {
		try {
			return await readFile(file, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
			throw error;
		}
	},
	writeFileAtomic: (file, data) => writeFileAtomic(file, data),
	rename: (from, to) => rename(from, to),
};

/** The logs folder as the support bundle reads it. */
export const nodeLogFolder: LogFolderReader = {
	list: (dir) => readdir(dir),
	read: (file) => readFile(file, 'utf8'),
};
