/**
 * Whether calls may use the camera: the user's "Use the camera for video calls" switch (Settings →
 * Devices, `settings.ui.cameraEnabled`).
 *
 * This is the renderer's only reading of that switch. The call store exposes it as `cameraEnabled` and
 * applies it to every call it places or answers (video becomes audio, the camera cannot be turned back on),
 * and the components take their video buttons from the store's value; the compact dialer, which runs no
 * call store, asks this function directly. Main enforces the same setting on its own: its permission policy
 * denies the page the camera while the switch is off, so this is the user-facing half, not the guard.
 *
 * Settings not loaded yet count as off: nothing may start the camera before the user's choice is known.
 */
import type { Settings } from '../../../../preload/contract';

export function cameraAllowed(settings: Settings | null): boolean {
	return settings?.ui.cameraEnabled === true;
}
