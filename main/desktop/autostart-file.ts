/**
 * The Linux autostart entry on disk: written (private to the user, atomically) when start-at-login is on,
 * removed when it is off, and read back so Settings shows what the desktop will do.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../settings/atomic-write';

export async function writeAutostartEntry(file: string, entry: string): Promise<void> {
	await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
	await writeFileAtomic(file, entry);
}

export async function removeAutostartEntry(file: string): Promise<void> {
	await rm(file, { force: true });
}

/**
 * Whether the entry exists and is not switched off (a desktop's startup-apps tool may set `Hidden=true`
 * or `X-GNOME-Autostart-enabled=false` rather than delete it).
 */
export async function autostartEntryEnabled(file: string): Promise<boolean> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch {
		return false;
	}
	return (
		!/^Hidden\s*=\s*true\s*$/m.test(text) &&
		!/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text)
	);
}
