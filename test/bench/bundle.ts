/**
 * The renderer bundle split the way the benchmark reports it — the SDK, the app's own code, the libraries —
 * and, with `npm run bench:bundle`, each module's share of it. `bench.ts` takes its bundle figures from
 * `measureBundle` here, so the quick report and the full benchmark cannot measure two different things.
 *
 * A module's share is read from the build's source maps (written beside the chunks, `hidden`, so the chunks
 * are byte for byte what ships and the maps are not counted): every minified byte is attributed to the
 * source it came from, and the chunk's real gzip size is shared out in proportion (gzip does not add up
 * across modules, so a module's figure ranks it; the totals are the chunks' real gzip sizes).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { decode } from '@jridgewell/sourcemap-codec';
import { build, type Rollup } from 'vite';

const root = fileURLToPath(new URL('../../', import.meta.url));

export type BundleKind = 'sdk-js' | 'libraries-js' | 'app-js' | 'css';

export interface ModuleShare {
	readonly id: string;
	readonly kind: BundleKind;
	/** Minified bytes that came from this module. */
	readonly raw: number;
	/** Its share of its chunk's gzip size, in proportion to `raw`. */
	readonly gzip: number;
}

export interface BundleSplit {
	/** `<kind> raw` and `<kind> gzip`, in bytes, summed over the files of each kind. */
	readonly sizes: Readonly<Record<string, number>>;
	/** App and libraries JS, gzip: every byte the renderer ships beyond the SDK. */
	readonly appOnSdk: number;
	/** Every module in the JS chunks, largest (gzip) first. */
	readonly modules: readonly ModuleShare[];
}

function kindOf(file: string): BundleKind {
	return file.endsWith('.css')
		? 'css'
		: file.startsWith('sdk')
			? 'sdk-js'
			: file.startsWith('libraries')
				? 'libraries-js'
				: 'app-js';
}

/** Builds the renderer with the SDK and the libraries in chunks of their own, and measures each. */
export async function measureBundle(
	outDir = path.join(root, 'dist/bench-renderer'),
): Promise<BundleSplit> {
	const output = (await build({
		configFile: path.join(root, 'vite.renderer.config.ts'),
		logLevel: 'silent',
		build: {
			outDir,
			emptyOutDir: true,
			// Maps beside the chunks without a comment pointing to them: the chunks are what ships.
			sourcemap: 'hidden',
			rollupOptions: {
				output: {
					// Only for measuring: the SDK in a chunk of its own.
					manualChunks: (id: string) =>
						id.includes('node_modules/@telnyx/webrtc')
							? 'sdk'
							: id.includes('node_modules')
								? 'libraries'
								: undefined,
				},
			},
		},
	})) as Rollup.RollupOutput;
	const files = await readdir(path.join(outDir, 'assets'));
	const sizes: Record<string, number> = {};
	for (const file of files.filter((f) => !f.endsWith('.map'))) {
		const kind = kindOf(file);
		const data = await readFile(path.join(outDir, 'assets', file));
		sizes[`${kind} raw`] =
			(sizes[`${kind} raw`] ?? 0) + (await stat(path.join(outDir, 'assets', file))).size;
		sizes[`${kind} gzip`] = (sizes[`${kind} gzip`] ?? 0) + gzipSync(data).length;
	}
	const modules: ModuleShare[] = [];
	for (const chunk of output.output) {
		if (chunk.type !== 'chunk' || chunk.map === null) continue;
		const kind = kindOf(path.basename(chunk.fileName));
		const bytes = bytesBySource(chunk.code, chunk.map.mappings);
		const total = Buffer.byteLength(chunk.code);
		const gzip = gzipSync(chunk.code).length;
		for (const [index, raw] of bytes) {
			const source = chunk.map.sources[index] ?? '(unmapped)';
			const id = index === -1 ? `(unmapped: ${chunk.fileName})` : source;
			modules.push({
				id: path.relative(root, path.resolve(outDir, 'assets', id)).replace(/\0/g, ''),
				kind,
				raw,
				gzip: Math.round((gzip * raw) / total),
			});
		}
	}
	modules.sort((a, b) => b.gzip - a.gzip);
	return {
		sizes,
		appOnSdk: (sizes['app-js gzip'] ?? 0) + (sizes['libraries-js gzip'] ?? 0),
		modules,
	};
}

/**
 * Minified bytes of `code` per source index (-1: bytes no mapping covers): each mapped segment runs from
 * its column to the next segment's, or to the end of its line.
 */
function bytesBySource(code: string, mappings: string): Map<number, number> {
	const bytes = new Map<number, number>();
	const add = (source: number, text: string) =>
		bytes.set(source, (bytes.get(source) ?? 0) + Buffer.byteLength(text));
	const lines = code.split('\n');
	decode(mappings).forEach((segments, index) => {
		const text = lines[index] ?? '';
		let at = 0;
		let current = -1;
		for (const [column, source] of segments) {
			add(current, text.slice(at, column));
			at = column;
			current = source ?? -1;
		}
		add(current, text.slice(at) + '\n');
	});
	return bytes;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** `npm run bench:bundle [top]`: the split, the figure the goal is about, and the largest modules. */
async function report(top: number): Promise<void> {
	const split = await measureBundle();
	for (const [name, bytes] of Object.entries(split.sizes))
		console.log(`bundle: ${name}: ${kib(bytes)}`);
	console.log(
		`bundle: app code on top of the SDK (app + libraries JS, gzip): ${kib(split.appOnSdk)}`,
	);
	console.log(`\nlargest modules outside the SDK (gzip share, minified bytes):`);
	const shown = split.modules.filter((m) => m.kind !== 'sdk-js').slice(0, top);
	for (const m of shown)
		console.log(
			`${kib(m.gzip).padStart(10)} ${kib(m.raw).padStart(10)}  ${m.kind.padEnd(12)} ${m.id}`,
		);
}

if (
	process.argv[1] !== undefined &&
	fileURLToPath(import.meta.url) === path.resolve(process.argv[1])
) {
	await report(Number(process.argv[2] ?? 40));
}
