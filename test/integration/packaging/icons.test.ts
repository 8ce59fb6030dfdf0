/**
 * The icons: `assets/generate-icons.sh` regenerates every one from the SVG sources (with Debian's
 * librsvg2-bin, icnsutils and imagemagick), and every icon the config and the app reference exists with the
 * right pixel sizes — in what the script makes and in what the repository ships.
 *
 * The script runs on a copy of its sources in a temporary folder: it deletes and rewrites `icons/` and
 * `tray/` beside itself, and the packaging test packs `assets/tray` at the same time.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRAY_ICONS } from '../../../main/desktop/tray';
import { fromRoot, loadBuilderConfig, parseIcns, parseIco, pngSize } from './support';

const run = promisify(execFile);

const APP_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
/** What macOS picks from an .icns (up to 512@2x). */
const ICNS_SIZES = [16, 32, 48, 128, 256, 512, 1024];
/** What Windows picks from an .ico (up to 256). */
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
const TRAY_VARIANTS = [
	['', 16],
	['@2x', 32],
	['Template', 16],
	['Template@2x', 32],
] as const;

let work: string;
/** The copy of `assets/` the script runs in. */
let generated: string;
let firstRun = '';

async function generateIcons(): Promise<string> {
	try {
		const { stdout, stderr } = await run('bash', [path.join(generated, 'generate-icons.sh')], {
			timeout: 60_000,
		});
		return stdout + stderr;
	} catch (error) {
		const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
		throw new Error(
			`generate-icons.sh failed (needs apt packages librsvg2-bin icnsutils imagemagick):\n${stdout}${stderr}`,
		);
	}
}

const size = async (file: string) => pngSize(await readFile(file));

beforeAll(async () => {
	work = await mkdtemp(path.join(tmpdir(), 'softphone-icons-'));
	generated = path.join(work, 'assets');
	for (const source of ['generate-icons.sh', 'icon.svg', 'tray-src']) {
		await cp(fromRoot('assets', source), path.join(generated, source), { recursive: true });
	}
	firstRun = await generateIcons();
}, 90_000);

afterAll(async () => {
	if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe('assets/generate-icons.sh', () => {
	it('makes every icon from the SVG sources, and nothing else', async () => {
		expect(firstRun).toContain('Icons regenerated');
		expect((await readdir(generated)).sort()).toStrictEqual(
			[
				'generate-icons.sh',
				'icon.icns',
				'icon.ico',
				'icon.png',
				'icon.svg',
				'icons',
				'tray',
				'tray-src',
			].sort(),
		);
		expect((await readdir(path.join(generated, 'icons'))).sort()).toStrictEqual(
			APP_SIZES.map((n) => `${n}x${n}.png`).sort(),
		);
		// No temporary template SVGs are left behind.
		expect((await readdir(path.join(generated, 'tray'))).sort()).toStrictEqual(
			TRAY_ICONS.flatMap((state) => TRAY_VARIANTS.map(([v]) => `${state}${v}.png`)).sort(),
		);
	});

	it('has one tray source per state the tray shows', async () => {
		expect((await readdir(fromRoot('assets/tray-src'))).sort()).toStrictEqual(
			TRAY_ICONS.map((state) => `${state}.svg`).sort(),
		);
	});

	it('brings back an icon that was deleted, and repairs one that was damaged', async () => {
		const deleted = [
			path.join(generated, 'icons', '64x64.png'),
			path.join(generated, 'tray', 'dndTemplate@2x.png'),
			path.join(generated, 'icon.icns'),
		];
		for (const file of deleted) await rm(file);
		await writeFile(path.join(generated, 'icon.png'), 'not a picture');
		for (const file of deleted) expect(existsSync(file)).toBe(false);

		await generateIcons();
		expect(await size(deleted[0]!)).toStrictEqual({ width: 64, height: 64 });
		expect(await size(deleted[1]!)).toStrictEqual({ width: 32, height: 32 });
		expect(parseIcns(await readFile(deleted[2]!)).length).toBeGreaterThan(0);
		expect(await size(path.join(generated, 'icon.png'))).toStrictEqual({ width: 512, height: 512 });
	});
});

describe.each([
	['what the script makes', () => generated],
	['what the repository ships', () => fromRoot('assets')],
])('icon sizes: %s', (_what, folder) => {
	it.each(APP_SIZES)('icons/%ix%i.png is that many pixels square', async (n) => {
		expect(await size(path.join(folder(), 'icons', `${n}x${n}.png`))).toStrictEqual({
			width: n,
			height: n,
		});
	});

	it('icon.png is 512 pixels square', async () => {
		expect(await size(path.join(folder(), 'icon.png'))).toStrictEqual({ width: 512, height: 512 });
	});

	it.each(TRAY_ICONS)('tray/%s: 16 px, 32 px @2x, and the macOS template images', async (state) => {
		for (const [variant, pixels] of TRAY_VARIANTS) {
			expect(
				await size(path.join(folder(), 'tray', `${state}${variant}.png`)),
				`${state}${variant}.png`,
			).toStrictEqual({ width: pixels, height: pixels });
		}
	});

	it(`icon.icns holds ${ICNS_SIZES.join(', ')} px, each with its mask where the format needs one`, async () => {
		const entries = parseIcns(await readFile(path.join(folder(), 'icon.icns')));
		const images = entries.filter((e) => !e.mask);
		expect([...new Set(images.map((e) => e.size))].sort((a, b) => a - b)).toStrictEqual(ICNS_SIZES);
		// The old RLE formats (is32, il32, ih32, it32) carry their transparency in a separate mask.
		const legacy = new Map([
			['is32', 's8mk'],
			['il32', 'l8mk'],
			['ih32', 'h8mk'],
			['it32', 't8mk'],
		]);
		for (const entry of images) {
			const mask = legacy.get(entry.type);
			if (mask !== undefined)
				expect(
					entries.map((e) => e.type),
					entry.type,
				).toContain(mask);
		}
	});

	it(`icon.ico holds ${ICO_SIZES.join(', ')} px`, async () => {
		const entries = parseIco(await readFile(path.join(folder(), 'icon.ico')));
		expect(entries.map((e) => e.width)).toStrictEqual(ICO_SIZES);
		for (const entry of entries) expect(entry.height).toBe(entry.width);
	});
});

describe('icons the config references', () => {
	it('Linux: the icon folder holds NxN.png files of N pixels, from 16 to 1024', async () => {
		const linux = loadBuilderConfig()['linux'] as { icon: string };
		const folder = fromRoot(linux.icon);
		const names = await readdir(folder);
		expect(names.sort()).toStrictEqual(APP_SIZES.map((n) => `${n}x${n}.png`).sort());
		for (const name of names) {
			const n = Number(/^(\d+)x\1\.png$/.exec(name)?.[1]);
			expect(await size(path.join(folder, name)), name).toStrictEqual({ width: n, height: n });
		}
	});

	it('macOS and Windows: the .icns and .ico the config names parse and hold the largest size', async () => {
		const config = loadBuilderConfig() as { mac: { icon: string }; win: { icon: string } };
		const icns = parseIcns(await readFile(fromRoot(config.mac.icon)));
		expect(Math.max(...icns.map((e) => e.size))).toBe(1024);
		const ico = parseIco(await readFile(fromRoot(config.win.icon)));
		expect(Math.max(...ico.map((e) => e.width))).toBe(256);
	});
});
