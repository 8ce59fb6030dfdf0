/**
 * Permission decisions for the app's web contents. Electron approves every request by default; the app
 * denies everything except camera and microphone, and full screen, for its own top-level page (Electron
 * security checklist item 5). Screen sharing stays denied because no display-media handler is installed.
 */
import { isAppUrl } from './sender-check';

export interface PermissionQuery {
	/** Electron's permission name, e.g. `media`, `geolocation`, `notifications`. */
	readonly permission: string;
	/** The URL (request handler) or origin (check handler) asking. */
	readonly requestingUrl: string;
	readonly isMainFrame: boolean;
	/** Request handler: the media kinds asked for. Check handler: one kind, or `unknown`. */
	readonly mediaTypes: readonly string[];
}

export interface PermissionPolicy {
	readonly appUrl: string;
	/** Camera access; microphone access is always granted to the app's own page. */
	readonly allowCamera: boolean;
}

const MEDIA_KINDS = new Set(['audio', 'video']);

/**
 * Electron asks the session's permission handler before any element enters full screen:
 * `WebContents::EnterFullscreenModeForTab` calls `WebContentsPermissionHelper::RequestFullscreenPermission`,
 * a request for `blink::PermissionType::ELECTRON_FULLSCREEN`, which reaches JavaScript as `'fullscreen'`
 * (electron/electron: shell/browser/api/electron_api_web_contents.cc, shell/browser/
 * web_contents_permission_helper.cc, shell/common/gin_converters/content_converter.cc; the `session` API doc:
 * "`fullscreen` - Request control of the app's fullscreen state via the Fullscreen API"). With this handler
 * denying by default, the video's full-screen button would do nothing, so exactly this one is granted to
 * the app's own top frame. `automatic-fullscreen` (full screen without a user gesture) stays denied.
 */
const FULLSCREEN = 'fullscreen';

export function decidePermission(query: PermissionQuery, policy: PermissionPolicy): boolean {
	if (query.permission !== 'media' && query.permission !== FULLSCREEN) return false;
	if (!query.isMainFrame || !isAppUrl(query.requestingUrl, policy.appUrl)) return false;
	if (query.permission === FULLSCREEN) return true;
	// A request without media kinds (or with `unknown`) is not one the app makes.
	if (query.mediaTypes.length === 0) return false;
	return query.mediaTypes.every(
		(kind) => MEDIA_KINDS.has(kind) && (kind !== 'video' || policy.allowCamera),
	);
}
