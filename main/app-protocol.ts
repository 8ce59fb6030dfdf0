/**
 * Serves the built renderer from the `app://softphone/` scheme instead of `file://` (Electron security
 * checklist item 18): each request is mapped to a file strictly inside the renderer folder, or refused with
 * 404, and every response carries the CSP header.
 */
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'softphone';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

const MAX_PATH_LENGTH = 512;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.ico': 'image/x-icon',
	'.json': 'application/json',
	'.woff2': 'font/woff2',
	'.mp3': 'audio/mpeg',
	'.ogg': 'audio/ogg',
	'.wav': 'audio/wav',
};

/**
 * The file a request URL names inside `root`, or null. Refuses other hosts, credentials, encoded slashes or
 * backslashes, NUL, dot segments and anything that would resolve outside `root`.
 */
export function resolveAppPath(requestUrl: string, root: string): string | null {
	if (requestUrl.length > MAX_PATH_LENGTH * 2) return null;
	let url: URL;
	try {
		url = new URL(requestUrl);
	} catch {
		return null;
	}
	if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password)
		return null;
	const raw = url.pathname;
	if (raw.length > MAX_PATH_LENGTH || /%2f|%5c|%00|\\/i.test(raw)) return null;
	let decoded: string;
	try {
		decoded = decodeURIComponent(raw);
	} catch {
		return null;
	}
	// The URL parser has already removed dot segments (also `%2e%2e`); the containment check below is what
	// keeps every path inside `root`.
	if (decoded.includes('\0')) return null;
	const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
	const resolved = path.resolve(root, relative);
	const rootWithSep = path.resolve(root) + path.sep;
	return resolved.startsWith(rootWithSep) ? resolved : null;
}

export function contentTypeOf(file: string): string {
	return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export interface AppFileServerDeps {
	readonly root: string;
	readonly csp: () => string;
	readonly readFile: (file: string) => Promise<Uint8Array>;
	/** Resolves symlinks, so a link pointing out of `root` is refused too. */
	readonly realpath: (file: string) => Promise<string>;
}

function notFound(): Response {
	return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
}

/** The `protocol.handle('app', …)` handler, independent of Electron. */
export function createAppFileServer({ root, csp, readFile, realpath }: AppFileServerDeps) {
	return async (request: { url: string; method?: string }): Promise<Response> => {
		if (request.method !== undefined && request.method !== 'GET') return notFound();
		const file = resolveAppPath(request.url, root);
		if (file === null) return notFound();
		try {
			const [realFile, realRoot] = await Promise.all([realpath(file), realpath(root)]);
			if (!realFile.startsWith(realRoot + path.sep)) return notFound();
			const body = await readFile(realFile);
			// A copy backed by a plain ArrayBuffer, which every BodyInit typing accepts.
			return new Response(new Uint8Array(body), {
				status: 200,
				headers: {
					'content-type': contentTypeOf(realFile),
					'content-security-policy': csp(),
					'x-content-type-options': 'nosniff',
					'cache-control': 'no-store',
				},
			});
		} catch {
			return notFound();
		}
	};
}
