/**
 * The settings file: versioned JSON in the user-data folder, validated and migrated on load, written
 * atomically, never holding a secret. A file that cannot be read as settings is set aside (renamed, not
 * deleted) and the defaults are used, so a bad file never stops the app and never loses what it held.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
	callerIdSchema,
	settingsSchema,
	type CallerId,
	type Provisioned,
	type Result,
	type Settings,
	type SettingsError,
	type SettingsPatch,
} from '../../preload/contract';
import { DEFAULT_SHORTCUTS, SHORTCUT_ACTIONS, shortcutProblems } from '../desktop/shortcuts';
import type { Logger } from '../logger';
import { JsonFile, type JsonFileSystem } from '../storage/json-file';
import { serial } from '../storage/serial';

export const SETTINGS_VERSION = 6;

/** The file's shape: the contract's settings, with the version that wrote them. */
const fileSchema = settingsSchema.extend({ version: z.literal(SETTINGS_VERSION) });
type SettingsFile = z.infer<typeof fileSchema>;

/** Settings a new installation starts with. */
export function defaultSettings(installId: string = randomUUID()): Settings {
	return {
		installId,
		callerId: { name: '', number: null },
		devices: {
			microphoneId: null,
			cameraId: null,
			speakerId: null,
			ringerId: null,
		},
		ui: {
			startMinimised: false,
			startAtLogin: false,
			handleLinks: false,
			dialLinksImmediately: false,
			doNotDisturb: false,
			cameraEnabled: true,
			callReports: true,
			trayNoticeShown: false,
			shortcuts: DEFAULT_SHORTCUTS,
		},
		provisioned: null,
	};
}

/** What a migration may need to know about the installation that runs it. */
export interface MigrationContext {
	/** The REST API this installation's profile talks to (see main/profile.ts). */
	readonly restBaseUrl: string;
}

type FileObject = Record<string, unknown>;

const origin = (url: unknown): string | null => {
	try {
		return typeof url === 'string' ? new URL(url).origin : null;
	} catch {
		return null;
	}
};

/** Upgrades a parsed file of version N to N + 1. Add an entry whenever SETTINGS_VERSION grows. */
const MIGRATIONS: Readonly<
	Record<number, (old: FileObject, context: MigrationContext) => FileObject>
> = {
	// v1 held only the endpoints.
	1: (old) => ({
		...defaultSettings(),
		...old,
		ui: { startMinimised: false, dialLinksImmediately: false },
	}),
	// v3 added do-not-disturb, the tray notice and global shortcuts to the UI preferences.
	2: (old) => ({
		...old,
		ui: {
			...(old['ui'] as FileObject),
			doNotDisturb: false,
			trayNoticeShown: false,
			shortcuts: DEFAULT_SHORTCUTS,
		},
	}),
	// v4: the endpoints are the profile's, no longer a setting (a page that could change them could send
	// the API key and login tokens anywhere). What was provisioned through another REST API belongs to
	// that API's account, so it is not carried over; the API key stays in the keychain under that API's
	// name, untouched. v4 also added the camera switch (on, as before).
	3: (old, context) => {
		const { endpoints, ...rest } = old;
		const wasRest = origin((endpoints as FileObject | undefined)?.['restBaseUrl']);
		return {
			...rest,
			ui: { ...(old['ui'] as FileObject), cameraEnabled: true },
			provisioned: wasRest === origin(context.restBaseUrl) ? old['provisioned'] : null,
		};
	},
	// v5: start at login becomes a setting (the app reads the OS's login item at start, so one set from
	// the tray by an earlier version is kept), and handling call links waits for the user's say-so:
	// earlier versions took tel: and sip: from the user's chosen app on every start without asking.
	4: (old) => ({
		...old,
		ui: { ...(old['ui'] as FileObject), startAtLogin: false, handleLinks: false },
	}),
	// v6: the switch for the SDK's call reports, on as the SDK (and every earlier version) had it.
	5: (old) => ({ ...old, ui: { ...(old['ui'] as FileObject), callReports: true } }),
};

/** The first thing wrong with a caller ID, as a field and a sentence (the contract's own schema decides). */
export function checkCallerId(callerId: CallerId): SettingsError | null {
	const parsed = callerIdSchema.safeParse(callerId);
	if (parsed.success) return null;
	const issue = parsed.error.issues[0];
	return {
		code: 'INVALID_SETTING',
		field: `callerId.${issue?.path.map(String).join('.') ?? ''}`,
		message: issue?.message ?? 'The caller ID is not valid.',
	};
}

export type SettingsFileSystem = JsonFileSystem;

export interface SettingsStoreDeps {
	readonly file: string;
	readonly fs: SettingsFileSystem;
	readonly defaults: Settings;
	/** For migrating files of earlier versions. */
	readonly migration: MigrationContext;
	readonly logger: Logger;
	readonly now?: () => Date;
}

type Listener = (settings: Settings) => void;

function migrate(raw: unknown, context: MigrationContext): unknown {
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
		current = { ...step(current, context), version: current.version + 1 };
	}
	return current;
}

/**
 * What `load` accepts, and so what may be written: the contract's settings schema (which holds the caller ID
 * rules too). One check for both, so a save can never produce a file that the next start would set aside.
 */
function readBack(raw: unknown): Result<SettingsFile, SettingsError> {
	const parsed = fileSchema.safeParse(raw);
	if (!parsed.success) {
		const field = parsed.error.issues[0]?.path.map(String).join('.') ?? '';
		return {
			ok: false,
			error: {
				code: 'INVALID_SETTING',
				...(field === '' ? {} : { field }),
				message:
					'The settings were not saved: a value is too long or malformed, and the app would not be able to read it back.',
			},
		};
	}
	return { ok: true, value: parsed.data };
}

export class SettingsStore {
	#settings: Settings;
	/** Changes apply one at a time, each to the settings the one before it left. */
	readonly #changes = serial();
	readonly #listeners = new Set<Listener>();
	readonly #deps: SettingsStoreDeps;
	readonly #file: JsonFile<SettingsFile>;

	private constructor(deps: SettingsStoreDeps, file: JsonFile<SettingsFile>, settings: Settings) {
		this.#deps = deps;
		this.#file = file;
		this.#settings = settings;
	}

	static async load(deps: SettingsStoreDeps): Promise<SettingsStore> {
		const { file, fs, defaults, migration, logger, now } = deps;
		const json = new JsonFile<SettingsFile>({
			file,
			fs,
			logger,
			name: 'settings',
			schema: fileSchema,
			migrate: (raw) => migrate(raw, migration),
			isNewer: (raw) =>
				typeof raw === 'object' &&
				raw !== null &&
				'version' in raw &&
				Number(raw.version) > SETTINGS_VERSION,
			indent: '\t',
			...(now === undefined ? {} : { now }),
		});
		// A bad file is set aside (a newer app may have written it, or a person may want to repair it), and an
		// unreadable one too: the next save would write the defaults (and a new install id) over it otherwise.
		const read = await json.read();
		if (read.status !== 'ok') return new SettingsStore(deps, json, defaults);
		const { version: _version, ...settings } = read.value;
		// A hand-edited shortcut that cannot work would block every later save: fall back to the defaults.
		if (shortcutProblems(settings.ui.shortcuts).length > 0) {
			logger.warn('settings.shortcutsReset', { reason: 'invalid shortcuts in the file' });
			return new SettingsStore(deps, json, {
				...settings,
				ui: { ...settings.ui, shortcuts: DEFAULT_SHORTCUTS },
			});
		}
		return new SettingsStore(deps, json, settings);
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
		return this.#change((current) => {
			const given = defined(patch.shortcuts);
			const shortcuts = { ...current.ui.shortcuts, ...given };
			// The shortcuts this patch sets are checked last, so a clash is reported on the one just chosen.
			const order = [
				...SHORTCUT_ACTIONS.filter((action) => !(action in given)),
				...SHORTCUT_ACTIONS.filter((action) => action in given),
			];
			const shortcutProblem = shortcutProblems(shortcuts, order)[0];
			if (shortcutProblem !== undefined) {
				return {
					code: 'INVALID_SETTING',
					field: `shortcuts.${shortcutProblem.action}`,
					message: shortcutProblem.message,
				};
			}
			return {
				...current,
				devices: { ...current.devices, ...defined(patch.devices) },
				ui: { ...current.ui, ...defined(patch.ui), shortcuts },
			};
		});
	}

	/** Writes the settings as they are (a new installation's defaults exist only in memory until then). */
	save(): Promise<Result<Settings, SettingsError>> {
		return this.#change((current) => current);
	}

	/** Main only: the "still running in the tray" notice has been shown. */
	setTrayNoticeShown(): Promise<Result<Settings, SettingsError>> {
		return this.#change((current) => ({
			...current,
			ui: { ...current.ui, trayNoticeShown: true },
		}));
	}

	/** Main only: the caller ID, once checked against the account's numbers. */
	setCallerId(callerId: CallerId): Promise<Result<Settings, SettingsError>> {
		return this.#change((current) => checkCallerId(callerId) ?? { ...current, callerId });
	}

	/** Main only: what provisioning found or created (null after signing out). */
	setProvisioned(provisioned: Provisioned | null): Promise<Result<Settings, SettingsError>> {
		return this.#change((current) => ({ ...current, provisioned }));
	}

	#change(
		next: (current: Settings) => Settings | SettingsError,
	): Promise<Result<Settings, SettingsError>> {
		return this.#changes(() => this.#apply(next));
	}

	async #apply(
		change: (current: Settings) => Settings | SettingsError,
	): Promise<Result<Settings, SettingsError>> {
		const outcome = change(this.#settings);
		if ('code' in outcome) return { ok: false, error: outcome };
		const next = outcome;
		// Values from Telnyx (ids, the SIP user name, the device name) reach here unchecked: a file the next
		// start would refuse would cost every setting, so refuse the change now instead.
		const checked = readBack({ version: SETTINGS_VERSION, ...next });
		if (!checked.ok) return checked;
		if (!(await this.#file.write({ version: SETTINGS_VERSION, ...next }))) {
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

/** The fields of a patch section that were given (a schema-validated patch may carry `undefined`). */
function defined<T extends object>(
	patch: { readonly [K in keyof T]?: T[K] | undefined } | undefined,
): Partial<T> {
	return Object.fromEntries(
		Object.entries(patch ?? {}).filter(([, value]) => value !== undefined),
	) as Partial<T>;
}
