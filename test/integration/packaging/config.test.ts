/**
 * electron-builder.yml against electron-builder's own JSON schema, and the settings that matter for security
 * (fuses, hardened runtime, what goes into the asar) and for links (protocols, MIME types).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_ID } from '../../../main/app-identity';
import { LINK_SCHEMES } from '../../../main/desktop/link-handler';
import { REQUIRED_FUSES, fromRoot, loadBuilderConfig, type BuilderConfig } from './support';

let config: BuilderConfig;

beforeAll(() => {
	config = loadBuilderConfig();
});

/** A section of the config as a record (fails the test when it is missing or not a mapping). */
function section(name: string): Record<string, unknown> {
	const value = config[name];
	expect(value, `electron-builder.yml: ${name}`).toBeTypeOf('object');
	expect(value).not.toBeNull();
	return value as Record<string, unknown>;
}

const strings = (value: unknown): string[] => {
	expect(Array.isArray(value)).toBe(true);
	return (value as unknown[]).map((v) => {
		expect(v).toBeTypeOf('string');
		return v as string;
	});
};

/** Whether electron-builder's `files` patterns take a path: the last pattern that matches decides. */
function packs(patterns: readonly string[], file: string): boolean {
	let taken = false;
	for (const pattern of patterns) {
		const negated = pattern.startsWith('!');
		if (path.matchesGlob(file, negated ? pattern.slice(1) : pattern)) taken = !negated;
	}
	return taken;
}

/** The files under a folder, relative to the project root, in POSIX form. */
function filesUnder(folder: string): string[] {
	const absolute = fromRoot(folder);
	return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
		.filter((name) => statSync(path.join(absolute, name)).isFile())
		.map((name) => path.posix.join(folder, name.split(path.sep).join('/')));
}

describe('electron-builder.yml', () => {
	it('is valid against electron-builder’s own configuration schema', () => {
		const schema = JSON.parse(
			readFileSync(fromRoot('node_modules/app-builder-lib/scheme.json'), 'utf8'),
		) as object;
		const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
		const validate = ajv.compile(schema);
		const valid = validate(config);
		expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toStrictEqual([]);
		expect(valid).toBe(true);

		// The schema is strict enough to catch a misspelt key or a wrong type.
		expect(validate({ ...config, electronFuse: {} })).toBe(false);
		expect(validate({ ...config, electronFuses: { runAsNode: 'no' } })).toBe(false);
	});

	it('names the app as package.json does', () => {
		const pkg = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as {
			productName: string;
		};
		expect(config['productName']).toBe(pkg.productName);
		expect(config['productName']).toBe('Telnyx Softphone');
		expect(config['appId']).toMatch(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+){2,}$/);
	});

	it('sets every fuse of the security checklist (E19)', () => {
		const fuses = section('electronFuses');
		expect(fuses).toMatchObject(REQUIRED_FUSES);
		expect(fuses['runAsNode']).toBe(false);
		expect(fuses['enableCookieEncryption']).toBe(true);
		expect(fuses['enableNodeOptionsEnvironmentVariable']).toBe(false);
		expect(fuses['enableNodeCliInspectArguments']).toBe(false);
		expect(fuses['enableEmbeddedAsarIntegrityValidation']).toBe(true);
		expect(fuses['onlyLoadAppFromAsar']).toBe(true);
		expect(fuses['grantFileProtocolExtraPrivileges']).toBe(false);
		// Every value is a boolean (an unset fuse keeps Electron's default).
		for (const [name, value] of Object.entries(fuses)) expect(value, name).toBeTypeOf('boolean');
	});

	it('declares every link scheme main registers, sips: included (fails on e0fc691: sips was missing)', () => {
		const protocols = config['protocols'];
		const list = (Array.isArray(protocols) ? protocols : [protocols]) as {
			name?: unknown;
			schemes?: unknown;
		}[];
		for (const protocol of list) expect(protocol.name).toBeTypeOf('string');
		expect(list.flatMap((p) => strings(p.schemes)).sort()).toStrictEqual([...LINK_SCHEMES].sort());
	});

	it('has the appId main gives Windows as its AppUserModelID (toasts carry the app’s name)', () => {
		expect(config['appId']).toBe(APP_ID);
	});

	it('on macOS, asks for alert-style notifications, so an incoming call shows Answer and Decline', () => {
		const extendInfo = section('mac')['extendInfo'] as Record<string, unknown>;
		expect(extendInfo['NSUserNotificationAlertStyle']).toBe('alert');
	});

	it('on Linux, declares the link MIME types in the desktop entry', () => {
		const linux = section('linux');
		expect(strings(linux['mimeTypes']).sort()).toStrictEqual(
			LINK_SCHEMES.map((scheme) => `x-scheme-handler/${scheme}`).sort(),
		);
		expect(strings(linux['target']).sort()).toStrictEqual(['AppImage', 'deb']);
	});

	it('makes the deb depend on libsecret (keytar talks to the Secret Service through it)', () => {
		const depends = strings(section('deb')['depends']);
		expect(depends).toContain('libsecret-1-0');
		// …and on some keyring that provides the Secret Service.
		expect(depends.some((d) => /gnome-keyring|kwallet|keepassxc/.test(d))).toBe(true);
	});

	it('on macOS, explains microphone and camera use in sentences a user understands', () => {
		const info = section('mac')['extendInfo'] as Record<string, unknown>;
		const microphone = info['NSMicrophoneUsageDescription'];
		const camera = info['NSCameraUsageDescription'];
		for (const [text, device] of [
			[microphone, /microphone/i],
			[camera, /camera/i],
		] as const) {
			expect(text).toBeTypeOf('string');
			const sentence = text as string;
			expect(sentence).toMatch(/^Telnyx Softphone\b/);
			expect(sentence).toMatch(device);
			expect(sentence).toMatch(/^[A-Z].{30,200}\.$/);
			expect(sentence).not.toMatch(/\b(TODO|NS[A-Z]\w+|usage description)\b/);
		}
		expect(microphone).not.toBe(camera);
	});

	it('on macOS, signs with the hardened runtime and entitlements for the microphone and camera', () => {
		const mac = section('mac');
		expect(mac['hardenedRuntime']).toBe(true);
		for (const key of ['entitlements', 'entitlementsInherit']) {
			const file = mac[key];
			expect(file, key).toBeTypeOf('string');
			expect(existsSync(fromRoot(file as string)), `${key}: ${String(file)}`).toBe(true);
			const plist = readFileSync(fromRoot(file as string), 'utf8');
			expect(plist).toMatch(/<plist version="1.0">/);
			const granted = [...plist.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1]);
			expect(granted).toContain('com.apple.security.device.audio-input');
			expect(granted).toContain('com.apple.security.device.camera');
			// The dynamic-linker counterpart of NODE_OPTIONS stays closed.
			expect(granted).not.toContain('com.apple.security.cs.allow-dyld-environment-variables');
		}
	});

	it('unpacks keytar’s native module from the asar', () => {
		expect(config['asar']).toBe(true);
		const unpack = strings(config['asarUnpack']);
		const native = filesUnder('node_modules/keytar').filter((f) => f.endsWith('.node'));
		expect(native.length).toBeGreaterThan(0);
		for (const file of native) {
			expect(
				unpack.some((p) => path.matchesGlob(file, p)),
				file,
			).toBe(true);
		}
		// Nothing but native modules is unpacked.
		for (const pattern of unpack) expect(pattern).toMatch(/\.node$/);
		// keytar is N-API: the module from `npm ci` is packed as is (no header download, no rebuild).
		expect(config['npmRebuild']).toBe(false);
	});

	it('packs the built app and the tray icons, and no source maps, sources or tests', () => {
		const files = strings(config['files']);
		for (const file of [
			'dist/main/index.js',
			'dist/preload/index.cjs',
			'dist/renderer/index.html',
			'dist/renderer/assets/index-abc123.js',
			'assets/tray/registered.png',
			'assets/tray/registeredTemplate@2x.png',
			'package.json',
		])
			expect(packs(files, file), file).toBe(true);
		for (const file of [
			'dist/main/index.js.map',
			'dist/preload/index.cjs.map',
			'dist/renderer/assets/index-abc123.js.map',
			'dist/e2e/page-bridge.js',
			'main/index.ts',
			'renderer/src/App.svelte',
			'preload/contract.ts',
			'test/sandbox/cli.ts',
			'test/unit/main/csp.test.ts',
			'assets/icon.svg',
			'electron-builder.yml',
			'README.md',
		])
			expect(packs(files, file), file).toBe(false);
	});

	it('on Windows, installs per user (no administrator rights)', () => {
		const nsis = section('nsis');
		expect(nsis['perMachine']).toBe(false);
		expect(nsis['allowElevation']).toBe(false);
		expect(nsis['oneClick']).toBe(false);
		expect(strings(section('win')['target'])).toStrictEqual(['nsis']);
	});

	it('publishes nowhere: the app does not update itself (the README’s decision)', () => {
		expect(config).toHaveProperty('publish');
		expect(config['publish']).toBeNull();
		const pkg = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as {
			dependencies?: Record<string, string>;
		};
		expect(Object.keys(pkg.dependencies ?? {})).not.toContain('electron-updater');
		expect(readFileSync(fromRoot('README.md'), 'utf8')).toMatch(/does \*\*not\*\* update itself/);
	});

	it('points each platform at an icon that exists', () => {
		expect(statSync(fromRoot(section('linux')['icon'] as string)).isDirectory()).toBe(true);
		expect(statSync(fromRoot(section('mac')['icon'] as string)).isFile()).toBe(true);
		expect(statSync(fromRoot(section('win')['icon'] as string)).isFile()).toBe(true);
		expect(section('directories')['buildResources']).toBe('assets');
	});
});
