/**
 * Saving a support bundle, the same way from the page (`diagnostics.saveSupportBundle`) and from the tray:
 * ask the user where (a save dialog main owns, suggesting a dated name), gather and build the bundle, write
 * it atomically, and answer what happened in words a user can act on. Only the file's base name leaves this
 * module for the page; the folder stays in main (the tray's notification names it).
 */
import path from 'node:path';
import type { Result } from '../../preload/contract';
import { notificationText } from '../desktop/display-text';
import type { NotificationContent } from '../desktop/notifications';
import type { Logger } from '../logger';
import type { BundleSources } from './bundle-contents';
import { buildSupportBundle, bundleFileName } from './support-bundle';

export interface SupportBundlesDeps {
	/** Everything the bundle holds, read at the moment of saving. */
	readonly collect: () => Promise<BundleSources>;
	/** The secrets to redact: the keychain's current API key and every key this run has held. */
	readonly secrets: () => Promise<readonly string[]>;
	/** Asks the user where to save (a suggested file name); null when they cancel. */
	readonly chooseSavePath: (defaultName: string) => Promise<string | null>;
	/** Writes the bytes so that a failure leaves no half-written file (see ../settings/atomic-write.ts). */
	readonly writeFile: (file: string, data: Uint8Array) => Promise<void>;
	readonly logger: Logger;
	readonly now?: () => Date;
}

/** What became of a save: `file` (the full path) is for main only; the page gets the rest. */
export interface SavedBundle {
	readonly saved: boolean;
	/** The file's base name ('' when the user cancelled). */
	readonly fileName: string;
	readonly bytes: number;
	readonly file: string | null;
}

export type BundleFailure = { readonly message: string };

const CANCELLED: SavedBundle = { saved: false, fileName: '', bytes: 0, file: null };
/** The contract's bound on a file name. */
const FILE_NAME_MAX = 256;

/** Why a write failed, as something to do: the error's own message would show the folder's path. */
export function saveProblem(error: unknown): string {
	switch ((error as NodeJS.ErrnoException | undefined)?.code) {
		case 'ENOSPC':
		case 'EDQUOT':
			return 'There is not enough free disk space there. Free some space or choose another folder, then save the support bundle again.';
		case 'EACCES':
		case 'EPERM':
			return 'The app may not save files in that folder. Choose another folder, such as Downloads, and save the support bundle again.';
		case 'EROFS':
			return 'That folder is read-only. Choose another folder, such as Downloads, and save the support bundle again.';
		case 'ENOENT':
		case 'ENOTDIR':
			return 'That folder is no longer there. Choose another folder and save the support bundle again.';
		case 'EISDIR':
			return 'A folder with that name is already there. Choose another name and save the support bundle again.';
		default:
			return 'The support bundle could not be saved there. Choose another folder, such as Downloads, and try again.';
	}
}

export class SupportBundles {
	readonly #deps: SupportBundlesDeps;
	/** One save at a time: the tray and the page must not open two save dialogs at once. */
	#busy = false;

	constructor(deps: SupportBundlesDeps) {
		this.#deps = deps;
	}

	async save(options: {
		readonly includeFullNumbers: boolean;
	}): Promise<Result<SavedBundle, BundleFailure>> {
		if (this.#busy) {
			return {
				ok: false,
				error: { message: 'A support bundle is being saved already. Finish that one first.' },
			};
		}
		this.#busy = true;
		try {
			return await this.#save(options.includeFullNumbers);
		} finally {
			this.#busy = false;
		}
	}

	async #save(includeFullNumbers: boolean): Promise<Result<SavedBundle, BundleFailure>> {
		const { logger, now = () => new Date() } = this.#deps;
		const file = await this.#deps.chooseSavePath(bundleFileName(now()));
		if (file === null) return { ok: true, value: CANCELLED };
		let bytes: Uint8Array;
		let parts: readonly string[];
		try {
			const [sources, secrets] = await Promise.all([this.#deps.collect(), this.#deps.secrets()]);
			({ bytes, files: parts } = buildSupportBundle(sources, { secrets, includeFullNumbers }));
		} catch (error) {
			logger.error('diagnostics.bundleFailed', { step: 'build', error: String(error) });
			return {
				ok: false,
				error: {
					message:
						'The support bundle could not be made. Try again; if it fails again, open the logs folder from About and send main.log instead.',
				},
			};
		}
		const fileName = path.basename(file).slice(0, FILE_NAME_MAX);
		try {
			await this.#deps.writeFile(file, bytes);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown';
			logger.error('diagnostics.bundleFailed', { step: 'write', code });
			return { ok: false, error: { message: saveProblem(error) } };
		}
		// The name only: the folder would put the user's account name into the next bundle's log.
		logger.info('diagnostics.bundleSaved', {
			fileName,
			bytes: bytes.length,
			parts: parts.length,
			includeFullNumbers,
		});
		return { ok: true, value: { saved: true, fileName, bytes: bytes.length, file } };
	}
}

/** What the tray tells the user after "Save support bundle…" (nothing when they cancelled). */
export function bundleNotice(
	outcome: Result<SavedBundle, BundleFailure>,
	platform: string,
): NotificationContent | null {
	if (outcome.ok && outcome.value.file === null) return null;
	const body = outcome.ok
		? `${outcome.value.fileName} is in ${path.dirname(outcome.value.file ?? '')}. Attach it to your message to support.`
		: outcome.error.message;
	return {
		title: outcome.ok ? 'Support bundle saved' : 'Support bundle not saved',
		body: notificationText(body, platform),
		actions: [],
		silent: true,
		urgency: 'normal',
	};
}
