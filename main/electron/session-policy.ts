/**
 * The session's rules for every page the app ever loads: which permissions are granted (camera only while
 * the user allows it in Settings), where a page may navigate, what may open a window, no webviews, and the
 * keys production ignores (reload drops live calls; developer tools). The decisions are in
 * `permissions.ts`, `navigation.ts` and `app-menu.ts`.
 */
import { app, session, type WebContents } from 'electron';
import type { Profile } from '../../preload/contract';
import { isBlockedKey } from '../app-menu';
import { APP_URL } from '../app-protocol';
import { isAllowedNavigation, windowOpenDecision } from '../navigation';
import { decidePermission } from '../permissions';

/** `cameraAllowed` is read on every request, so switching the camera off denies it from then on. */
export function setupPermissions(cameraAllowed: () => boolean): void {
	const policy = () => ({ appUrl: APP_URL, allowCamera: cameraAllowed() });
	session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => {
		const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
		callback(
			decidePermission(
				{
					permission,
					requestingUrl: details.requestingUrl,
					isMainFrame: details.isMainFrame,
					mediaTypes,
				},
				policy(),
			),
		);
	});
	session.defaultSession.setPermissionCheckHandler(
		(_contents, permission, requestingOrigin, details) =>
			decidePermission(
				{
					permission,
					requestingUrl: details.requestingUrl ?? requestingOrigin,
					isMainFrame: details.isMainFrame,
					mediaTypes: details.mediaType === undefined ? [] : [details.mediaType],
				},
				policy(),
			),
	);
}

/** Navigation, window-opening and webview policy for every web contents the app ever creates. */
export function setupContentsLockdown(profile: Profile): void {
	app.on('web-contents-created', (_event, contents) => lockDown(contents, profile));
}

function lockDown(contents: WebContents, profile: Profile): void {
	contents.on('will-navigate', (event, url) => {
		if (!isAllowedNavigation(url, APP_URL)) event.preventDefault();
	});
	contents.on('will-frame-navigate', (event) => {
		if (!isAllowedNavigation(event.url, APP_URL)) event.preventDefault();
	});
	contents.on('will-redirect', (event, url) => {
		if (!isAllowedNavigation(url, APP_URL)) event.preventDefault();
	});
	contents.on('will-attach-webview', (event) => event.preventDefault());
	contents.setWindowOpenHandler(windowOpenDecision);
	contents.on('before-input-event', (event, input) => {
		if (isBlockedKey(input, profile)) event.preventDefault();
	});
}
