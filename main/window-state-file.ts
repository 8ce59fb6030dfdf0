/**
 * The main window's remembered size and place: a small JSON file in the user-data folder, kept with the
 * settings file's care — validated on load (a damaged file is set aside, renamed not deleted, and the
 * window opens at its default), written atomically, holding geometry only (never a secret). Saves are
 * debounced: dragging a window fires dozens of move events a second, and only where it ends up matters.
 */
import { z } from 'zod';
import type { Logger } from './logger';
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

export interface WindowStateFileSystem {
	/** Resolves null when the file does not exist. */
	readFile(file: string): Promise<string | null>;
	writeFileAtomic(file: string, data: string): Promise<void>;
	rename(from: string, to: string): Promise<void>;
}

export interface WindowStateFileDeps {
	readonly file: string;
	readonly fs: WindowStateFileSystem;
	readonly logger: Logger;
	readonly now?: () => Date;
}

/** The file's text for a state: only the known fields, in a fixed order. */
export function serializeWindowState(state: WindowState): string {
	const { x, y, width, height } = state.bounds;
	return `${JSON.stringify({
		version: WINDOW_STATE_VERSION,
		bounds: { x, y, width, height },
		maximised: state.maximised,
	})}\n`;
}

/** Reads the remembered state; null when there is none or it cannot be used (then set aside). */
export async function loadWindowState(deps: WindowStateFileDeps): Promise<WindowState | null> {
	const { file, fs, logger, now = () => new Date() } = deps;
	const setAside = async (reason: 'unreadable' | 'invalid') => {
		const aside = `${file}.${reason}-${now().toISOString().replace(/[:.]/g, '-')}`;
		try {
			await fs.rename(file, aside);
			logger.warn('windowState.setAside', { reason, aside });
		} catch (error) {
			logger.error('windowState.setAsideFailed', { error: String(error) });
		}
	};
	let text: string | null;
	try {
		text = await fs.readFile(file);
	} catch (error) {
		logger.error('windowState.unreadable', { error: String(error) });
		await setAside('unreadable');
		return null;
	}
	if (text === null) return null;
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch {
		raw = undefined;
	}
	const parsed = fileSchema.safeParse(raw);
	if (!parsed.success) {
		await setAside('invalid');
		return null;
	}
	return { bounds: parsed.data.bounds, maximised: parsed.data.maximised };
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
	let written = deps.initial == null ? null : serializeWindowState(deps.initial);
	let pending: string | null = null;
	let timer: ReturnType<typeof setTimeout> | null = null;
	let queue: Promise<void> = Promise.resolve();

	const write = (): Promise<void> => {
		if (timer !== null) {
			clearTimeout(timer);
			timer = null;
		}
		const data = pending;
		pending = null;
		if (data !== null && data !== written) {
			written = data;
			// One write at a time, in order, so an older state can never land after a newer one.
			queue = queue.then(async () => {
				try {
					await fs.writeFileAtomic(file, data);
				} catch (error) {
					// The window opens at its default next time; nothing else depends on this file. The next save
					// tries again, even with the same state.
					if (written === data) written = null;
					logger.error('windowState.writeFailed', { error: String(error) });
				}
			});
		}
		return queue;
	};

	return {
		save(state) {
			if (state === null) return;
			pending = serializeWindowState(state);
			if (timer !== null) clearTimeout(timer);
			timer = setTimeout(() => void write(), delayMs);
		},
		flush: write,
	};
}
