/**
 * Shared by the packaging tests: where the project is, electron-builder.yml as data, and small readers for
 * the image containers the icons come in (PNG header, Apple ICNS, Windows ICO). The readers check structure
 * as they go and throw on anything malformed, so a broken file fails a test instead of passing unread.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const fromRoot = (...parts: string[]): string => path.join(ROOT, ...parts);

/** The fuses electron-builder.yml must set, as `electronFuses` keys (Electron security checklist E19). */
export const REQUIRED_FUSES = {
	runAsNode: false,
	enableCookieEncryption: true,
	enableNodeOptionsEnvironmentVariable: false,
	enableNodeCliInspectArguments: false,
	enableEmbeddedAsarIntegrityValidation: true,
	onlyLoadAppFromAsar: true,
	grantFileProtocolExtraPrivileges: false,
} as const;

/** electron-builder.yml, parsed (loosely typed: the schema test checks its shape). */
export type BuilderConfig = Record<string, unknown> & {
	readonly electronFuses?: Record<string, boolean>;
};

export function loadBuilderConfig(): BuilderConfig {
	const parsed = load(readFileSync(fromRoot('electron-builder.yml'), 'utf8'));
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new Error('electron-builder.yml does not hold a mapping');
	}
	return parsed as BuilderConfig;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function isPng(data: Buffer): boolean {
	return data.subarray(0, 8).equals(PNG_SIGNATURE);
}

/** A PNG's pixel size, from its IHDR chunk (which must come first). */
export function pngSize(data: Buffer): { width: number; height: number } {
	if (!isPng(data)) throw new Error('not a PNG (bad signature)');
	if (data.length < 24 || data.toString('latin1', 12, 16) !== 'IHDR') {
		throw new Error('PNG without an IHDR chunk first');
	}
	return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/** A JPEG 2000 (JP2) image's pixel size, from its `ihdr` box (ICNS stores large sizes as JP2). */
export function jp2Size(data: Buffer): { width: number; height: number } {
	const at = data.indexOf('ihdr', 0, 'latin1');
	if (at < 0 || data.readUInt32BE(4) !== 0x6a502020) throw new Error('not a JP2 image');
	return { height: data.readUInt32BE(at + 4), width: data.readUInt32BE(at + 8) };
}

export interface IcnsEntry {
	readonly type: string;
	/** Pixel width and height of the image (or mask) this entry holds. */
	readonly size: number;
	readonly mask: boolean;
	readonly payload: Buffer;
}

/** Element types and the pixel size each stands for (Apple's icns format). */
const ICNS_TYPES: Readonly<Record<string, { size: number; mask?: true }>> = {
	is32: { size: 16 },
	s8mk: { size: 16, mask: true },
	icp4: { size: 16 },
	il32: { size: 32 },
	l8mk: { size: 32, mask: true },
	icp5: { size: 32 },
	ic11: { size: 32 },
	ih32: { size: 48 },
	h8mk: { size: 48, mask: true },
	icp6: { size: 64 },
	ic12: { size: 64 },
	it32: { size: 128 },
	t8mk: { size: 128, mask: true },
	ic07: { size: 128 },
	ic08: { size: 256 },
	ic13: { size: 256 },
	ic09: { size: 512 },
	ic14: { size: 512 },
	ic10: { size: 1024 },
};

/**
 * Reads an .icns file: the `icns` magic and total length, then (type, length, data) elements. Embedded
 * PNG and JP2 images must be the size their type says; masks must hold one byte per pixel.
 */
export function parseIcns(data: Buffer): IcnsEntry[] {
	if (data.toString('latin1', 0, 4) !== 'icns') throw new Error('not an icns file (bad magic)');
	if (data.readUInt32BE(4) !== data.length) {
		throw new Error(`icns length field ${data.readUInt32BE(4)} ≠ file size ${data.length}`);
	}
	const entries: IcnsEntry[] = [];
	let offset = 8;
	while (offset < data.length) {
		if (offset + 8 > data.length) throw new Error(`truncated icns element header at ${offset}`);
		const type = data.toString('latin1', offset, offset + 4);
		const length = data.readUInt32BE(offset + 4);
		if (length < 8 || offset + length > data.length) {
			throw new Error(`icns element ${type} has a bad length ${length}`);
		}
		const payload = data.subarray(offset + 8, offset + length);
		offset += length;
		const known = ICNS_TYPES[type];
		if (known === undefined) continue; // TOC, icnV, name… carry no image
		const { size, mask = false } = known;
		if (isPng(payload)) {
			expectSize(`icns ${type}`, pngSize(payload), size);
		} else if (payload.subarray(4, 8).toString('latin1') === 'jP  ') {
			expectSize(`icns ${type}`, jp2Size(payload), size);
		} else if (mask && payload.length !== size * size) {
			throw new Error(`icns mask ${type} holds ${payload.length} bytes, not ${size * size}`);
		}
		entries.push({ type, size, mask, payload });
	}
	return entries;
}

export interface IcoEntry {
	readonly width: number;
	readonly height: number;
	readonly format: 'png' | 'bmp';
}

/**
 * Reads an .ico file: the ICONDIR header (reserved 0, type 1, count) and its 16-byte entries; each image's
 * own header (PNG IHDR or BITMAPINFOHEADER) must agree with its directory entry.
 */
export function parseIco(data: Buffer): IcoEntry[] {
	if (data.length < 6 || data.readUInt16LE(0) !== 0 || data.readUInt16LE(2) !== 1) {
		throw new Error('not an ico file (bad ICONDIR header)');
	}
	const count = data.readUInt16LE(4);
	if (6 + count * 16 > data.length) throw new Error('ico directory runs past the end of the file');
	const entries: IcoEntry[] = [];
	for (let i = 0; i < count; i++) {
		const at = 6 + i * 16;
		const width = data.readUInt8(at) || 256;
		const height = data.readUInt8(at + 1) || 256;
		const bytes = data.readUInt32LE(at + 8);
		const offset = data.readUInt32LE(at + 12);
		if (offset + bytes > data.length)
			throw new Error(`ico image ${i} runs past the end of the file`);
		const image = data.subarray(offset, offset + bytes);
		if (isPng(image)) {
			const size = pngSize(image);
			if (size.width !== width || size.height !== height) {
				throw new Error(
					`ico image ${i}: directory says ${width}x${height}, PNG says ${size.width}x${size.height}`,
				);
			}
			entries.push({ width, height, format: 'png' });
		} else {
			// BITMAPINFOHEADER: its height counts the colour and the mask rows, so it is twice the icon's.
			const dibWidth = image.readInt32LE(4);
			const dibHeight = image.readInt32LE(8);
			if (image.readUInt32LE(0) !== 40 || dibWidth !== width || dibHeight !== height * 2) {
				throw new Error(`ico image ${i}: bitmap header does not match ${width}x${height}`);
			}
			entries.push({ width, height, format: 'bmp' });
		}
	}
	return entries;
}

function expectSize(what: string, actual: { width: number; height: number }, size: number): void {
	if (actual.width !== size || actual.height !== size) {
		throw new Error(`${what} is ${actual.width}x${actual.height}, not ${size}x${size}`);
	}
}
