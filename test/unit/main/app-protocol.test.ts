import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
	APP_URL,
	contentTypeOf,
	createAppFileServer,
	resolveAppPath,
	type AppFileServerDeps,
} from '../../../main/app-protocol';
import { buildCsp } from '../../../main/csp';
import { seeded } from '../../support/random';

const root = path.join(path.sep, 'srv', 'softphone', 'renderer');
const inRoot = (...parts: string[]) => path.join(root, ...parts);

/** Null, or a path strictly inside root: what every answer of the resolver must be. */
function expectContained(result: string | null): void {
	if (result !== null) expect(result.startsWith(root + path.sep), result).toBe(true);
}

describe('resolveAppPath (E18)', () => {
	it('is the URL the window loads', () => {
		expect(APP_URL).toBe('app://softphone/index.html');
	});

	it.each([
		['app://softphone/', inRoot('index.html')],
		['app://softphone/index.html', inRoot('index.html')],
		['app://softphone/assets/x.js', inRoot('assets', 'x.js')],
		['app://softphone/assets/x.js?v=3#top', inRoot('assets', 'x.js')],
		['app://softphone/assets/a%20b.css', inRoot('assets', 'a b.css')],
	])('maps %s into the root', (url, expected) => {
		expect(resolveAppPath(url, root)).toBe(expected);
	});

	it.each([
		['an encoded slash', 'app://softphone/..%2f..%2fetc%2fpasswd'],
		['an encoded slash (upper case)', 'app://softphone/assets%2Fx.js'],
		['an encoded backslash', 'app://softphone/..%5c..%5cetc%5cpasswd'],
		['an encoded backslash (upper case)', 'app://softphone/assets%5Cx.js'],
		['a raw backslash', 'app://softphone/..\\..\\etc\\passwd'],
		['an encoded NUL', 'app://softphone/index.html%00.png'],
		['a raw NUL', 'app://softphone/index.html\u0000.png'],
		['another host', 'app://evil/index.html'],
		['a look-alike host', 'app://softphone.evil/index.html'],
		['an upper-case host', 'app://SOFTPHONE/index.html'],
		['a port', 'app://softphone:8080/index.html'],
		['no host', 'app:///etc/passwd'],
		['a user name', 'app://evil@softphone/index.html'],
		['a password', 'app://:pw@softphone/index.html'],
		['another scheme', 'file:///etc/passwd'],
		['a web URL', 'https://softphone/index.html'],
		['not a URL', '/index.html'],
		['a broken percent escape', 'app://softphone/%E0%A4%A'],
		['an overlong UTF-8 dot', 'app://softphone/%c0%ae%c0%ae/etc/passwd'],
		['a very long path', `app://softphone/${'a'.repeat(600)}.js`],
		['a very long path of segments', `app://softphone/${'a/'.repeat(300)}x.js`],
		['a very long URL', `app://softphone/x.js?${'q'.repeat(2000)}`],
	])('refuses %s', (_what, url) => {
		expect(resolveAppPath(url, root)).toBeNull();
	});

	it.each([
		'app://softphone/../../../../etc/passwd',
		'app://softphone/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
		'app://softphone/%2E%2E/%2E%2E/etc/passwd',
		'app://softphone/.%2e/.%2e/etc/passwd',
		'app://softphone/assets/../../../../x',
		'app://softphone/./../x',
		'app://softphone//etc/passwd',
		'app://softphone///etc/passwd',
		'app://softphone/%252e%252e/%252e%252e/etc/passwd',
	])('never names a file outside the root for dot segments or absolute paths: %s', (url) => {
		const result = resolveAppPath(url, root);
		expectContained(result);
		expect(result).not.toBe(path.join(path.sep, 'etc', 'passwd'));
	});

	it('does not accept a sibling folder whose name starts with the root name', () => {
		// "/srv/softphone/renderer-evil" starts with "/srv/softphone/renderer" but is outside it.
		for (const url of [
			'app://softphone/../renderer-evil/x.js',
			'app://softphone/%2e%2e/renderer-evil/x.js',
		]) {
			const result = resolveAppPath(url, root);
			expectContained(result);
			expect(result).not.toBe(path.join(path.dirname(root), 'renderer-evil', 'x.js'));
		}
	});

	it('holds containment over seeded random paths', () => {
		const alphabet = [
			'a',
			'.',
			'..',
			'/',
			'%2e',
			'%2E',
			'%2f',
			'%5c',
			'\\',
			'%00',
			'%25',
			'~',
			' ',
			'é',
		];
		const random = seeded(7);
		for (let i = 0; i < 3000; i += 1) {
			const parts = Array.from({ length: 1 + random.int(12) }, () => random.pick(alphabet));
			const url = `app://softphone/${parts.join('')}`;
			let result: string | null = null;
			expect(() => {
				result = resolveAppPath(url, root);
			}, url).not.toThrow();
			expectContained(result);
		}
	});
});

describe('contentTypeOf', () => {
	it.each([
		['index.html', 'text/html; charset=utf-8'],
		['INDEX.HTML', 'text/html; charset=utf-8'],
		['a.js', 'text/javascript; charset=utf-8'],
		['a.css', 'text/css; charset=utf-8'],
		['a.svg', 'image/svg+xml'],
		['a.woff2', 'font/woff2'],
		['ring.ogg', 'audio/ogg'],
		['a.exe', 'application/octet-stream'],
		['noextension', 'application/octet-stream'],
	])('%s → %s', (file, type) => {
		expect(contentTypeOf(file)).toBe(type);
	});
});

describe('createAppFileServer (E18)', () => {
	let base: string;
	let dist: string;
	const csp = buildCsp({ signallingUrl: 'wss://rtc.telnyx.com' });
	const html = '<!doctype html><title>Softphone</title>';
	const secret = 'TOP SECRET outside the root';

	beforeAll(async () => {
		base = await realpath(await mkdtemp(path.join(tmpdir(), 'softphone-protocol-')));
		dist = path.join(base, 'dist');
		await mkdir(path.join(dist, 'assets'), { recursive: true });
		await writeFile(path.join(dist, 'index.html'), html);
		await writeFile(path.join(dist, 'assets', 'x.js'), 'console.log(1);');
		await writeFile(path.join(dist, 'assets', 'data.bin'), 'bin');
		await writeFile(path.join(base, 'secret.txt'), secret);
		await mkdir(path.join(base, 'dist-evil'));
		await writeFile(path.join(base, 'dist-evil', 'x.js'), secret);
		await symlink(path.join(base, 'secret.txt'), path.join(dist, 'leak.txt'));
		await symlink(base, path.join(dist, 'up'));
		await symlink(path.join(base, 'dist-evil'), path.join(dist, 'sibling'));
		await symlink(path.join(dist, 'assets', 'x.js'), path.join(dist, 'alias.js'));
		await symlink(dist, path.join(base, 'dist-link'));
	});

	afterAll(async () => {
		await rm(base, { recursive: true, force: true });
	});

	function server(overrides: Partial<AppFileServerDeps> = {}) {
		return createAppFileServer({ root: dist, csp: () => csp, readFile, realpath, ...overrides });
	}

	it('serves a file with its content type, the CSP header, nosniff and no-store', async () => {
		const response = await server()({ url: 'app://softphone/index.html', method: 'GET' });
		expect(response.status).toBe(200);
		expect(await response.text()).toBe(html);
		expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
		expect(response.headers.get('content-security-policy')).toBe(csp);
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('cache-control')).toBe('no-store');
	});

	it('serves index.html for / and scripts with a script type, also when no method is given', async () => {
		const index = await server()({ url: 'app://softphone/' });
		expect(await index.text()).toBe(html);
		const script = await server()({ url: 'app://softphone/assets/x.js' });
		expect(script.status).toBe(200);
		expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
		expect(await script.text()).toBe('console.log(1);');
	});

	it('asks for the CSP on every response, so a changed signalling host applies at once', async () => {
		let signallingUrl = 'wss://rtc.telnyx.com';
		const serve = server({ csp: () => buildCsp({ signallingUrl }) });
		const first = await serve({ url: 'app://softphone/index.html' });
		signallingUrl = 'ws://127.0.0.1:14001';
		const second = await serve({ url: 'app://softphone/index.html' });
		expect(first.headers.get('content-security-policy')).toContain('wss://rtc.telnyx.com');
		expect(second.headers.get('content-security-policy')).toContain('ws://127.0.0.1:14001');
	});

	it('serves through a symlink that stays inside the root, and from a root reached through a symlink', async () => {
		const alias = await server()({ url: 'app://softphone/alias.js' });
		expect(alias.status).toBe(200);
		expect(alias.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
		const viaLinkedRoot = await server({ root: path.join(base, 'dist-link') })({
			url: 'app://softphone/index.html',
		});
		expect(viaLinkedRoot.status).toBe(200);
		expect(await viaLinkedRoot.text()).toBe(html);
	});

	it.each([
		['a symlink to a file outside the root', 'app://softphone/leak.txt'],
		['a file under a symlinked folder that leaves the root', 'app://softphone/up/secret.txt'],
		['a symlink into a sibling folder sharing the root prefix', 'app://softphone/sibling/x.js'],
		['dot segments aimed at a real file outside', 'app://softphone/../secret.txt'],
		['encoded dot segments aimed at a real file outside', 'app://softphone/%2e%2e/secret.txt'],
		['a missing file', 'app://softphone/missing.js'],
		['a folder', 'app://softphone/assets'],
		['a refused URL', 'app://softphone/..%2fsecret.txt'],
		['another host', 'app://evil/index.html'],
	])('answers 404 for %s, without the secret', async (_what, url) => {
		const response = await server()({ url, method: 'GET' });
		expect(response.status).toBe(404);
		expect(response.headers.get('content-security-policy')).toBeNull();
		expect(await response.text()).not.toContain('SECRET');
	});

	it.each(['POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'get'])(
		'answers 404 to %s without touching the disk',
		async (method) => {
			const read = vi.fn((file: string) => readFile(file));
			const resolve = vi.fn((file: string) => realpath(file));
			const response = await server({ readFile: read, realpath: resolve })({
				url: 'app://softphone/index.html',
				method,
			});
			expect(response.status).toBe(404);
			expect(read).not.toHaveBeenCalled();
			expect(resolve).not.toHaveBeenCalled();
		},
	);

	it('answers 404 (not a thrown error) when reading fails', async () => {
		const response = await server({ readFile: () => Promise.reject(new Error('EIO')) })({
			url: 'app://softphone/index.html',
		});
		expect(response.status).toBe(404);
	});

	it('serves an unknown extension as an opaque download type', async () => {
		const response = await server()({ url: 'app://softphone/assets/data.bin' });
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/octet-stream');
	});
});
