/**
 * Operating-system permission for the microphone and camera. macOS gates them per app (and asks the user
 * once); Windows has per-app privacy switches; Linux has no such gate. Before the first call main checks —
 * and on macOS asks — so a denial is explained with the way to fix it, instead of a silent failed call.
 */
import type { MediaAccess, MediaAccessState } from '../preload/contract';

/** The part of Electron's `systemPreferences` this uses. */
export interface SystemPreferencesLike {
	getMediaAccessStatus(kind: 'microphone' | 'camera'): string;
	askForMediaAccess?(kind: 'microphone' | 'camera'): Promise<boolean>;
}

const KNOWN: ReadonlySet<string> = new Set(['granted', 'denied', 'restricted', 'not-determined']);

function where(platform: string, kind: 'microphone' | 'camera'): string {
	const name = kind === 'microphone' ? 'Microphone' : 'Camera';
	return platform === 'darwin'
		? `System Settings → Privacy & Security → ${name}`
		: `Settings → Privacy & security → ${name}`;
}

export function createMediaAccess(platform: string, preferences: SystemPreferencesLike | null) {
	const status = async (kind: 'microphone' | 'camera'): Promise<MediaAccessState> => {
		if (preferences === null || (platform !== 'darwin' && platform !== 'win32')) return 'granted';
		let state = preferences.getMediaAccessStatus(kind);
		if (
			state === 'not-determined' &&
			platform === 'darwin' &&
			preferences.askForMediaAccess !== undefined
		) {
			state = (await preferences.askForMediaAccess(kind)) ? 'granted' : 'denied';
		}
		return KNOWN.has(state) ? (state as MediaAccessState) : 'unknown';
	};

	return async ({ camera }: { camera: boolean }): Promise<MediaAccess> => {
		const microphone = await status('microphone');
		const cameraState = camera ? await status('camera') : 'granted';
		const blocked = (['microphone', 'camera'] as const).filter((kind) => {
			const state = kind === 'microphone' ? microphone : cameraState;
			return state === 'denied' || state === 'restricted';
		});
		const message =
			blocked.length === 0
				? null
				: `Telnyx Softphone is not allowed to use the ${blocked.join(' and ')}. Turn it on in ${blocked
						.map((kind) => where(platform, kind))
						.join(' and ')}, then restart the app.`;
		return { microphone, camera: cameraState, message };
	};
}
