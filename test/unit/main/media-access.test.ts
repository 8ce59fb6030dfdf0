import { describe, expect, it, vi } from 'vitest';
import { createMediaAccess, type SystemPreferencesLike } from '../../../main/media-access';

function preferences(status: Record<'microphone' | 'camera', string>, answer = true) {
	const ask = vi.fn(async (_kind: 'microphone' | 'camera') => answer);
	const prefs: SystemPreferencesLike = {
		getMediaAccessStatus: (kind) => status[kind],
		askForMediaAccess: ask,
	};
	return { prefs, ask };
}

describe('createMediaAccess', () => {
	it('grants everything on Linux, where the OS has no per-app gate', async () => {
		const { prefs } = preferences({ microphone: 'denied', camera: 'denied' });
		expect(await createMediaAccess('linux', prefs)({ camera: true })).toStrictEqual({
			microphone: 'granted',
			camera: 'granted',
			message: null,
		});
	});

	it('asks macOS once for what is not yet decided, and reports the answer', async () => {
		const { prefs, ask } = preferences({ microphone: 'not-determined', camera: 'granted' });
		const access = await createMediaAccess('darwin', prefs)({ camera: true });
		expect(ask).toHaveBeenCalledTimes(1);
		expect(ask).toHaveBeenCalledWith('microphone');
		expect(access).toMatchObject({ microphone: 'granted', camera: 'granted', message: null });
	});

	it('explains a macOS denial with where to fix it', async () => {
		const { prefs } = preferences({ microphone: 'not-determined', camera: 'denied' }, false);
		const access = await createMediaAccess('darwin', prefs)({ camera: true });
		expect(access.microphone).toBe('denied');
		expect(access.message).toBe(
			'Telnyx Softphone is not allowed to use the microphone and camera. Turn it on in System Settings → Privacy & Security → Microphone and System Settings → Privacy & Security → Camera, then restart the app.',
		);
	});

	it('checks the camera only for video calls, and names Windows settings there', async () => {
		const { prefs, ask } = preferences({ microphone: 'granted', camera: 'denied' });
		expect((await createMediaAccess('win32', prefs)({ camera: false })).message).toBeNull();
		const video = await createMediaAccess('win32', prefs)({ camera: true });
		expect(video.message).toContain('Settings → Privacy & security → Camera');
		// Windows cannot ask; it only reports.
		expect(ask).not.toHaveBeenCalled();
	});
});
