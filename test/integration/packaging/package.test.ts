/**
 * Packs the built app the way `npm run dist:dir` does — electron-builder with the project's config — against
 * a stand-in Electron (electron-builder's `electronDist`), offline, and checks what the package holds:
 * the built app and production dependencies only (keytar and electron-log, which the built main imports),
 * keytar's native module unpacked, and the fuses flipped in the binary as electron-builder.yml says.
 *
 * Needs the built app: `npm run build:renderer && npm run build:main && npm run build:preload`.
 */
import { builtinModules } from 'node:module';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRAY_ICONS } from '../../../main/desktop/tray';
import { REQUIRED_FUSES, fromRoot, loadBuilderConfig } from './support';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSE_VERSION = 1;
const ENABLED = '1'.charCodeAt(0);
const DISABLED = '0'.charCodeAt(0);
/** The stand-in Electron is labelled with the installed package's version, so it follows upgrades. */
const ELECTRON_VERSION = `v${(JSON.parse(readFileSync(new URL('../../../node_modules/electron/package.json', import.meta.url), 'utf8')) as { version: string }).version}`;
const PACK_TIMEOUT_MS = 120_000;

/** electronFuses keys → their index in the fuse wire (FuseV1Options). */
const FUSE_INDEX: Readonly<Record<string, FuseV1Options>> = {
	runAsNode: FuseV1Options.RunAsNode,
	enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
	enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
	enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
	enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
	onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
	loadBrowserProcessSpecificV8Snapshot: FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
	grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};
/** How many fuses a V1 wire has, as @electron/fuses knows them. */
const WIRE_LENGTH = Object.values(FuseV1Options).filter((v) => typeof v === 'number').length;

const fuses = loadBuilderConfig().electronFuses ?? {};
/** The stand-in starts with every configured fuse the other way, so each one read back was flipped. */
const initialWire = Array.from({ length: WIRE_LENGTH }, (_, index) => {
	const configured = Object.entries(FUSE_INDEX).find(([, i]) => Number(i) === index)?.[0];
	const wanted = configured === undefined ? undefined : fuses[configured];
	return wanted === false ? '1' : '0';
}).join('');

let work: string;
let unpacked: string;
let archive: string;
let entries: string[];
let builderOutput = '';

/** An unpacked "Electron" that is enough for electron-builder: a script with a fuse wire, and the files. */
async function standInElectron(dir: string): Promise<void> {
	await mkdir(path.join(dir, 'resources'), { recursive: true });
	const script =
		'#!/bin/sh\necho "A stand-in Electron for packaging tests; it cannot run." >&2\nexit 1\n';
	const wire = Buffer.concat([
		Buffer.from(SENTINEL, 'latin1'),
		Buffer.from([FUSE_VERSION, WIRE_LENGTH]),
		Buffer.from(initialWire, 'latin1'),
	]);
	// Filler on both sides, as in a real binary.
	await writeFile(
		path.join(dir, 'electron'),
		Buffer.concat([Buffer.from(script), Buffer.alloc(256), wire, Buffer.alloc(256)]),
	);
	await chmod(path.join(dir, 'electron'), 0o755);
	await writeFile(path.join(dir, 'version'), ELECTRON_VERSION);
	await writeFile(path.join(dir, 'LICENSE'), 'Stand-in for the Electron licence.\n');
	await writeFile(
		path.join(dir, 'LICENSES.chromium.html'),
		'<!doctype html><title>Stand-in</title>\n',
	);
}

/** Runs electron-builder for Linux, unpacked, offline; resolves with its output, rejects on failure. */
function electronBuilder(args: readonly string[]): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn('npx', ['electron-builder', ...args], {
			cwd: fromRoot(),
			env: { ...process.env, CI: '1', ELECTRON_BUILDER_CACHE: path.join(work, 'cache') },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`electron-builder did not finish in ${PACK_TIMEOUT_MS} ms:\n${output}`));
		}, PACK_TIMEOUT_MS);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code) => {
			clearTimeout(timer);
			if (code === 0) resolve(output);
			else reject(new Error(`electron-builder exited with ${String(code)}:\n${output}`));
		});
	});
}

/** Files under a folder of the project, relative to the project root, in POSIX form. */
function projectFiles(folder: string): string[] {
	const absolute = fromRoot(folder);
	return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
		.filter((name) => statSync(path.join(absolute, name)).isFile())
		.map((name) => path.posix.join(folder, name.split(path.sep).join('/')));
}

beforeAll(async () => {
	for (const built of [
		'dist/main/index.js',
		'dist/preload/index.cjs',
		'dist/renderer/index.html',
	]) {
		if (!existsSync(fromRoot(built))) {
			throw new Error(
				`${built} is missing: build the app first with ` +
					'`npm run build:renderer && npm run build:main && npm run build:preload`.',
			);
		}
	}
	work = await mkdtemp(path.join(tmpdir(), 'softphone-package-'));
	const dist = path.join(work, 'electron');
	await standInElectron(dist);
	builderOutput = await electronBuilder([
		'--linux',
		'dir',
		'--publish',
		'never',
		`-c.electronDist=${dist}`,
		'-c.npmRebuild=false',
		`-c.directories.output=${path.join(work, 'release')}`,
	]);
	unpacked = path.join(work, 'release', 'linux-unpacked');
	archive = path.join(unpacked, 'resources', 'app.asar');
	entries = existsSync(archive)
		? listPackage(archive, { isPack: false }).map((entry) => entry.replace(/^[/\\]/, ''))
		: [];
}, PACK_TIMEOUT_MS + 30_000);

afterAll(async () => {
	if (work !== undefined) await rm(work, { recursive: true, force: true });
});

/** Entries of the archive that are files (directories are listed too). */
const files = () => entries.filter((entry) => 'size' in statFile(archive, entry));

describe('the packed app (electron-builder --linux dir, stand-in Electron)', () => {
	it('has an app.asar beside the renamed executable', async () => {
		expect((await stat(archive)).isFile(), builderOutput).toBe(true);
		expect((await stat(path.join(unpacked, 'telnyx-softphone'))).isFile()).toBe(true);
		expect(await readFile(path.join(unpacked, 'version'), 'utf8')).toBe(ELECTRON_VERSION);
	});

	it('holds the built main, preload and renderer, the tray icons and package.json', () => {
		for (const required of [
			'dist/main/index.js',
			'dist/preload/index.cjs',
			'dist/renderer/index.html',
			'assets/tray/registered.png',
			'package.json',
			'node_modules/keytar',
			'node_modules/keytar/package.json',
			'node_modules/keytar/lib/keytar.js',
			'node_modules/electron-log/package.json',
			'node_modules/electron-log/node.js',
		])
			expect(entries, required).toContain(required);
	});

	it('holds every package the built main imports (vite.main.config.ts leaves them external)', () => {
		const main = readFileSync(fromRoot('dist/main/index.js'), 'utf8');
		const specifiers = [...main.matchAll(/^import\s[^'"]*?from\s*["']([^"']+)["']/gm)].map(
			(m) => m[1]!,
		);
		const packages = [
			...new Set(
				specifiers
					// Node's own modules are not packages, with or without `node:` (fflate imports `module`).
					.filter(
						(s) =>
							!s.startsWith('node:') &&
							!builtinModules.includes(s) &&
							!s.startsWith('.') &&
							s !== 'electron',
					)
					.map((s) =>
						s
							.split('/')
							.slice(0, s.startsWith('@') ? 2 : 1)
							.join('/'),
					),
			),
		].sort();
		expect(packages).toStrictEqual(['electron-log', 'keytar']);
		for (const name of packages) expect(entries).toContain(`node_modules/${name}/package.json`);
	});

	it('holds every file of the build (without source maps), byte for byte', async () => {
		const built = [
			...projectFiles('dist/main'),
			...projectFiles('dist/preload'),
			...projectFiles('dist/renderer'),
		].filter((file) => !file.endsWith('.map'));
		expect(built.length).toBeGreaterThan(3);
		for (const file of built) {
			expect(entries, file).toContain(file);
			expect(extractFile(archive, file).equals(await readFile(fromRoot(file))), file).toBe(true);
		}
	});

	it('holds every tray icon the app loads: each state, 1x and 2x, colour and macOS template', () => {
		for (const state of TRAY_ICONS) {
			for (const variant of ['', '@2x', 'Template', 'Template@2x'])
				expect(entries).toContain(`assets/tray/${state}${variant}.png`);
		}
	});

	it('holds nothing outside the built app, the tray icons, package.json and node_modules', () => {
		const allowed =
			/^(package\.json|node_modules(\/.*)?|dist|dist\/(main|preload|renderer)(\/.*)?|assets|assets\/tray(\/.*)?)$/;
		expect(entries.length).toBeGreaterThan(10);
		const outside = entries.filter((entry) => !allowed.test(entry));
		expect(outside).toStrictEqual([]);
	});

	it('holds no tests, no sandbox, no sources and no source maps', () => {
		expect(entries.length).toBeGreaterThan(10);
		const own = entries.filter((entry) => !entry.startsWith('node_modules/'));
		for (const entry of own) {
			expect(entry).not.toMatch(/^(test|main|preload|renderer|assets\/tray-src)(\/|$)/);
			expect(entry).not.toMatch(/^dist\/e2e(\/|$)/);
			expect(entry).not.toMatch(/sandbox|\.test\.|\.spec\./i);
			expect(entry).not.toMatch(/\.(ts|svelte|tsx)$/);
		}
		expect(entries.filter((entry) => entry.endsWith('.map'))).toStrictEqual([]);
	});

	it('holds no development dependency: only keytar, electron-log and what they need at run time', async () => {
		const lock = JSON.parse(await readFile(fromRoot('package-lock.json'), 'utf8')) as {
			packages: Record<string, { version?: string; dev?: boolean }>;
		};
		/** Every package in the archive (electron-builder flattens nested ones), by name and version. */
		const packed = entries.flatMap((entry) => {
			const match = /^(?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(entry);
			if (match === null) return [];
			const { version } = JSON.parse(extractFile(archive, entry).toString('utf8')) as {
				version: string;
			};
			return [{ name: match[1]!, version }];
		});
		const names = new Set(packed.map((p) => p.name));
		expect(names).toContain('keytar');
		expect(names).toContain('electron-log');
		// Each one is, in the lockfile, a production package of that name and version.
		for (const { name, version } of packed) {
			const production = Object.entries(lock.packages).some(
				([where, locked]) =>
					where.endsWith(`node_modules/${name}`) &&
					locked.version === version &&
					locked.dev !== true,
			);
			expect(production, `${name}@${version} is not a production dependency`).toBe(true);
		}
		const pkg = JSON.parse(await readFile(fromRoot('package.json'), 'utf8')) as {
			devDependencies: Record<string, string>;
		};
		for (const dev of Object.keys(pkg.devDependencies)) expect(names).not.toContain(dev);
		for (const name of [
			'telnyx',
			'vite',
			'svelte',
			'electron',
			'electron-builder',
			'@telnyx/webrtc',
			'playwright',
			'playwright-core',
			'@playwright/test',
			'vitest',
			'typescript',
		])
			expect(names).not.toContain(name);
		const all = entries.filter((entry) => entry.startsWith('node_modules/'));
		expect(
			all.filter((entry) =>
				/^node_modules\/(@telnyx|playwright|electron(?!-log(\/|$)))/.test(entry),
			),
		).toStrictEqual([]);
	});

	it('packs a package.json that starts the built main and lists no development dependencies', () => {
		const packed = JSON.parse(extractFile(archive, 'package.json').toString('utf8')) as Record<
			string,
			unknown
		>;
		expect(packed['main']).toBe('dist/main/index.js');
		expect(packed['devDependencies']).toBeUndefined();
		expect(packed['scripts']).toBeUndefined();
		expect(packed['dependencies']).toStrictEqual({ 'electron-log': '5.4.4', keytar: '7.9.0' });
	});

	it('unpacks keytar’s native module next to the asar (it cannot be loaded from inside)', async () => {
		const native = files().filter((entry) => entry.endsWith('.node'));
		expect(native).toStrictEqual(['node_modules/keytar/build/Release/keytar.node']);
		for (const entry of native) {
			expect(statFile(archive, entry)).toMatchObject({ unpacked: true });
			const outside = path.join(`${archive}.unpacked`, entry);
			const copy = await readFile(outside);
			expect(copy.equals(await readFile(fromRoot(entry)))).toBe(true);
			// An ELF shared object, as `npm ci` built it.
			expect(copy.subarray(0, 4).toString('latin1')).toBe('\u007fELF');
		}
		// Nothing but native modules (and their package metadata) sits outside the asar.
		const outsideFiles = readdirSync(`${archive}.unpacked`, { recursive: true, encoding: 'utf8' })
			.map((name) => name.split(path.sep).join('/'))
			.filter((name) => statSync(path.join(`${archive}.unpacked`, name)).isFile());
		expect(outsideFiles).toContain('node_modules/keytar/build/Release/keytar.node');
		for (const name of outsideFiles) expect(name).toMatch(/^node_modules\/keytar\//);
	});

	it('flips every fuse in the binary as electron-builder.yml says', async () => {
		const executable = path.join(unpacked, 'telnyx-softphone');
		const wire = await getCurrentFuseWire(executable);
		expect(wire.version).toBe(String(FUSE_VERSION));
		expect(Object.keys(wire).filter((key) => key !== 'version')).toHaveLength(WIRE_LENGTH);
		// Every fuse the security checklist requires is configured…
		expect(fuses).toMatchObject(REQUIRED_FUSES);
		// …and each configured fuse reads back as configured — the opposite of what the stand-in started with.
		for (const [name, wanted] of Object.entries(fuses)) {
			const index = FUSE_INDEX[name];
			expect(index, `unknown fuse ${name}`).toBeDefined();
			expect(wire[index!], name).toBe(wanted ? ENABLED : DISABLED);
			expect(initialWire[index!], name).toBe(wanted ? '0' : '1');
		}
		expect(wire[FuseV1Options.RunAsNode]).toBe(DISABLED);
		expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ENABLED);
		expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(DISABLED);
		expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(DISABLED);
		expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ENABLED);
		expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLED);
		expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(DISABLED);
	});
});
