/**
 * The support bundle as bytes: the files of `bundle-contents.ts`, each redacted by `redactForBundle` (the
 * one place that decides what a bundle may carry), zipped with fflate (maintained, dependency-free, pure
 * JavaScript; bundled into main by Vite like zod, so it is a development dependency and the packaged app
 * ships no second copy).
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import { bundleFiles, type BundleSources } from './bundle-contents';
import { redactForBundle, type BundleRedaction } from './redaction';

export interface SupportBundle {
	readonly bytes: Uint8Array;
	/** The paths inside the zip, in order. */
	readonly files: readonly string[];
}

export function buildSupportBundle(
	sources: BundleSources,
	redaction: BundleRedaction,
): SupportBundle {
	const files = bundleFiles(sources, redaction);
	const mtime = zipTime(sources.createdAt);
	const zippable: Zippable = {};
	for (const file of files) {
		zippable[file.name] = [strToU8(redactForBundle(file.text, redaction)), { mtime }];
	}
	return { bytes: zipSync(zippable, { level: 6 }), files: files.map((file) => file.name) };
}

/** A zip's times run from 1980 to 2099 (fflate throws outside them): a clock far off gets the first day. */
function zipTime(time: Date): Date {
	const year = time.getFullYear();
	return year >= 1980 && year <= 2099 ? time : new Date(1980, 0, 1);
}

const two = (n: number) => String(n).padStart(2, '0');

/**
 * The name the save dialog suggests: `telnyx-softphone-support-2026-12-07T18-30.zip`, in the user's own
 * time (what their clock said when they made it), with no character any file system refuses.
 */
export function bundleFileName(now: Date): string {
	const date = `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
	return `telnyx-softphone-support-${date}T${two(now.getHours())}-${two(now.getMinutes())}.zip`;
}
