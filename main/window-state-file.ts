/**
 * The main window's remembered size and place: a small JSON file in the user-data folder, kept with the
 * settings file's care — validated on load (a damaged file is set aside, renamed not deleted, and the
 * window opens at its default), written atomically, holding geometry only (never a secret). Saves are
 * debounced: dragging a window fires dozens of move events a second, and only where it ends up matters.
 */
import { z } from 'zod';
import type { Logger } from './logger';
import { JsonFile, jsonText, type JsonFileSystem } from './storage/json-file';
import { WINDOW_STATE_LIMITS, type WindowState } from './window-state';

export const WINDOW_STATE_VERSION = 1;
/** Long enough to coalesce a drag or a resize, short enough that a quit right after still finds it saved. */
export const WINDOW_STATE_SAVE_DELAY_MS = 400;

const coordinate = z
	.number()
	.int()
	.min(-WINDOW_STATE_LIMITS.coordinateLimit)
	.max(WINDOW_STATE_LIMITS.coordinateLimit);
const dimension = z.number().int().min(1).max(WINDOW_STATE_LIMITS.maxDimension);

/**
 * The file's shape. Unknown keys are dropped rather than fatal (geometry from a newer version is still
 * geometry), and never written back: what is written is built from this schema's fields alone.
 */
const fileSchema = z.object({
	version: z.literal(WINDOW_STATE_VERSION),
	bounds: z.object({ x: coordinate, y: coordinate, width: dimension, height: dimension }),
	maximised: z.boolean(),
});

type WindowStateFile = z.infer<typeof fileSchema>;

export type WindowStateFileSystem = JsonFileSystem;

export interface WindowStateFileDeps {
	readonly file: string;
	readonly fs: WindowStateFileSystem;
	readonly logger: Logger;
	readonly now?: () => Date;
}

/** What the file holds for a state: only the known fields, in a fixed order. */
function fileValue(state: WindowState): WindowStateFile {
	const { x, y, width, height } = state.bounds;
	return {
		version: WINDOW_STATE_VERSION,
		bounds: { x, y, width, height },
		maximised: state.maximised,
	};
}

/** The file's text for a state. */
export function serializeWindowState(state: WindowState): string {
	return jsonText(fileValue(state));
}

function windowStateFile(deps: WindowStateFileDeps): JsonFile<WindowStateFile> {
	return new JsonFile({ ...deps, name: 'windowState', schema: fileSchema });
}

/** Reads the remembered state; null when there is none or it cannot be used (then set aside). */
export async function loadWindowState(deps: WindowStateFileDeps): Promise<WindowState | null> {
	const read = await windowStateFile(deps).read();
	if (read.status !== 'ok') return null;
	return { bounds: read.value.bounds, maximised: read.value.maximised };
}

export interface WindowStateSaverDeps {
	readonly file: string;
	readonly fs: WindowStateFileSystem;
	readonly logger: Logger;
	/** What the file holds already (as loaded): saving the same again writes nothing. */
	readonly initial?: WindowState | null;
	readonly delayMs?: number;
}

export interface WindowStateSaver {
	/** Remembers `state`, written once no other save has come for the delay. Null is ignored. */
	save(state: WindowState | null): void;
	/** Writes a pending save now (the window is closing); resolves when every write has finished. */
	flush(): Promise<void>;
}

export function createWindowStateSaver(deps: WindowStateSaverDeps): WindowStateSaver {
	const { file, fs, logger, delayMs = WINDOW_STATE_SAVE_DELAY_MS } = deps;
	const json = windowStateFile({ file, fs, logger });
	let written = deps.initial == null ? null : serializeWindowState(deps.initial);
	let pending: WindowState | null = null;
	let timer: ReturnType<typeof setTimeout> | null = null;
	/** The last write asked for: the file writes in order, so once it is done every earlier one is. */
	let lastWrite: Promise<void> = Promise.resolve();

	const write = (): Promise<void> => {
		if (timer !== null) {
			clearTimeout(timer);
			timer = null;
		}
		const state = pending;
		pending = null;
		const data = state === null ? null : serializeWindowState(state);
		if (state !== null && data !== written) {
			written = data;
			lastWrite = json.write(fileValue(state)).then((ok) => {
				// The window opens at its default next time; nothing else depends on this file. The next save
				// tries again, even with the same state.
				if (!ok && written === data) written = null;
			});
		}
		return lastWrite;
	};

	return {
		save(state) {
			if (state === null) return;
			pending = state;
			if (timer !== null) clearTimeout(timer);
			timer = setTimeout(() => void write(), delayMs);
		},
		flush: write,
	};
}
