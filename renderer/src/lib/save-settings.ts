/**
 * Saves a settings patch through main and answers main's `Result`; a bridge that throws (main refused the
 * call itself, or is gone) becomes a SAVE_FAILED result, so a settings control handles one shape only.
 */
import type { Result, Settings, SettingsError, SettingsPatch } from '../../../preload/contract';
import type { Bridge } from './bridge';

export async function saveSettings(
	bridge: Bridge,
	patch: SettingsPatch,
): Promise<Result<Settings, SettingsError>> {
	try {
		return await bridge.settings.update(patch);
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		return {
			ok: false,
			error: { code: 'SAVE_FAILED', message: `The setting could not be saved: ${message}` },
		};
	}
}
