/**
 * The settings file: versioned JSON in the user-data folder, validated and migrated on load, written
 * atomically, never holding a secret. A file that cannot be read as settings is set aside (renamed, not
 * deleted) and the defaults are used, so a bad file never stops the app and never loses what it held.
 */
import { z } from 'zod';
import type {
	Endpoints,
	Result,
	Settings,
	SettingsError,
	SettingsPatch,
} from '../../preload/contract';
import { checkRestBaseUrl, checkSignallingUrl, normaliseBaseUrl } from '../endpoints';
import type { Logger } from '../logger';

export const SETTINGS_VERSION = 1;

const fileSchema = z.object({
	version: z.literal(SETTINGS_VERSION),
	endpoints: z.object({ restBaseUrl: z.string().max(2048), signallingUrl: z.string().max(2048) }),
});

/** Upgrades a parsed file of version N to N + 1. Add an entry whenever SETTINGS_VERSION grows. */
const MIGRATIONS: Readonly<
	Record<number, (old: Record<string, unknown>) => Record<string, unknown>>
> = {};

export interface SettingsFileSystem {
	/** Resolves null when the file does not exist. */
	readFile(file: string): Promise<string | null>;
	writeFileAtomic(file: string, data: string): Promise<void>;
	rename(from: string, to: string): Promise<void>;
}

export interface SettingsStoreDeps {
	readonly file: string;
	readonly fs: SettingsFileSystem;
	readonly defaults: Settings;
	readonly logger: Logger;
	readonly now?: () => Date;
}

type Listener = (settings: Settings) => void;

function migrate(raw: unknown): unknown {
	if (
		typeof raw !== 'object' ||
		raw === null ||
		!('version' in raw) ||
		typeof raw.version !== 'number'
	)
		return raw;
	let current = raw as Record<string, unknown> & { version: number };
	while (current.version < SETTINGS_VERSION) {
		const step = MIGRATIONS[current.version];
		if (step === undefined) return raw;
		current = { ...step(current), version: current.version + 1 };
	}
	return current;
}

/** Checks an endpoint patch; returns the field and sentence of the first problem. */
function checkEndpoints(endpoints: Endpoints): SettingsError | null {
	const rest = checkRestBaseUrl(endpoints.restBaseUrl);
	if (rest !== null)
		return { code: 'INVALID_SETTING', field: 'endpoints.restBaseUrl', message: rest };
	const signalling = checkSignallingUrl(endpoints.signallingUrl);
	if (signalling !== null) {
		return { code: 'INVALID_SETTING', field: 'endpoints.signallingUrl', message: signalling };
	}
	return null;
}

export class SettingsStore {
	#settings: Settings;
	#queue: Promise<unknown> = Promise.resolve();
	readonly #listeners = new Set<Listener>();
	readonly #deps: SettingsStoreDeps;

	private constructor(deps: SettingsStoreDeps, settings: Settings) {
		this.#deps = deps;
		this.#settings = settings;
	}

	static async load(deps: SettingsStoreDeps): Promise<SettingsStore> {
		const { file, fs, defaults, logger, now = () => new Date() } = deps;
		let text: string | null;
		try {
			text = await fs.readFile(file);
		} catch (error) {
			// Unreadable (a folder, no permission): run on defaults; saving will say what is wrong.
			logger.error('settings.unreadable', { error: String(error) });
			return new SettingsStore(deps, defaults);
		}
		if (text === null) return new SettingsStore(deps, defaults);
		let parsed: unknown;
		try {
			parsed = migrate(JSON.parse(text));
		} catch {
			parsed = undefined;
		}
		const valid = fileSchema.safeParse(parsed);
		if (valid.success && checkEndpoints(valid.data.endpoints) === null) {
			const { version: _version, ...settings } = valid.data;
			return new SettingsStore(deps, settings);
		}
		const newer =
			typeof parsed === 'object' &&
			parsed !== null &&
			'version' in parsed &&
			Number(parsed.version) > SETTINGS_VERSION;
		// Keep what the file held: a newer app may have written it, or a person may want to repair it.
		const aside = `${file}.${newer ? 'newer' : 'invalid'}-${now().toISOString().replace(/[:.]/g, '-')}`;
		try {
			await fs.rename(file, aside);
			logger.warn('settings.setAside', {
				reason: newer ? 'written by a newer version' : 'invalid',
				aside,
			});
		} catch (error) {
			logger.error('settings.setAsideFailed', { error: String(error) });
		}
		return new SettingsStore(deps, defaults);
	}

	get(): Settings {
		return this.#settings;
	}

	onChange(listener: Listener): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/**
	 * Applies a patch on top of the settings as they are when its turn comes: updates run one after the
	 * other, so two concurrent patches to different fields both survive, and the file always ends with the
	 * last accepted settings.
	 */
	update(patch: SettingsPatch): Promise<Result<Settings, SettingsError>> {
		const run = this.#queue.then(() => this.#apply(patch));
		this.#queue = run.catch(() => undefined);
		return run;
	}

	async #apply(patch: SettingsPatch): Promise<Result<Settings, SettingsError>> {
		const current = this.#settings;
		const endpoints: Endpoints = {
			restBaseUrl: normaliseBaseUrl(patch.endpoints?.restBaseUrl ?? current.endpoints.restBaseUrl),
			signallingUrl: patch.endpoints?.signallingUrl ?? current.endpoints.signallingUrl,
		};
		const problem = checkEndpoints(endpoints);
		if (problem !== null) return { ok: false, error: problem };
		const next: Settings = { ...current, endpoints };
		try {
			await this.#deps.fs.writeFileAtomic(
				this.#deps.file,
				`${JSON.stringify({ version: SETTINGS_VERSION, ...next }, null, '\t')}\n`,
			);
		} catch (error) {
			this.#deps.logger.error('settings.writeFailed', { error: String(error) });
			return {
				ok: false,
				error: {
					code: 'SAVE_FAILED',
					message: 'The settings could not be saved. Check free disk space and try again.',
				},
			};
		}
		this.#settings = next;
		for (const listener of this.#listeners) {
			try {
				listener(next);
			} catch (error) {
				this.#deps.logger.error('settings.listenerFailed', { error: String(error) });
			}
		}
		return { ok: true, value: next };
	}
}
