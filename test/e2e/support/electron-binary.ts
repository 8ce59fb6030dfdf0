/**
 * Where an Electron binary is, if this machine has one. The `electron` npm package downloads its binary
 * lazily on first use; offline that download fails, so the smoke tests look for it without triggering it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../../../node_modules/electron/', import.meta.url));

export function findElectronBinary(): string | null {
	const explicit = process.env['ELECTRON_BINARY'];
	if (explicit !== undefined && existsSync(explicit)) return explicit;
	const pathFile = path.join(packageDir, 'path.txt');
	if (!existsSync(pathFile)) return null;
	const relative = readFileSync(pathFile, 'utf8').trim();
	const dist = process.env['ELECTRON_OVERRIDE_DIST_PATH'] ?? path.join(packageDir, 'dist');
	const binary = path.join(dist, relative);
	return existsSync(binary) ? binary : null;
}

export const NO_ELECTRON_REASON =
	'skipped: no Electron binary on this machine (the electron package downloads it on first use, and its host is unreachable here); set ELECTRON_BINARY to run it';
