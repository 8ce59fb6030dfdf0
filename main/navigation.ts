/**
 * Navigation and window-opening policy (Electron security checklist items 12–14): the app's page may only
 * ever show the app's own origin, and never opens windows on the page's request.
 */
import { isAppUrl } from './sender-check';

export function isAllowedNavigation(target: string, appUrl: string): boolean {
	return isAppUrl(target, appUrl);
}

/** `setWindowOpenHandler` answer for every request: deny. */
export function windowOpenDecision(): { action: 'deny' } {
	return { action: 'deny' };
}
