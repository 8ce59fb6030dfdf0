// @ts-check
/**
 * Lint: typescript-eslint's type-checked rules, Svelte, Microsoft's SDL security rules, and the folder
 * boundaries (who may import Electron, Node, keytar, the SDK, main or the preload).
 * Zero warnings are allowed (`--max-warnings 0`); Prettier owns formatting.
 */
import js from '@eslint/js';
import sdl from '@microsoft/eslint-plugin-sdl';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Loopback URLs are where the sandbox and the tests live; every other plain http:/ws: URL is an error (E1). */
const LOOPBACK = [
	'^https?://(127\\.0\\.0\\.1|localhost|\\[::1\\])',
	'^wss?://(127\\.0\\.0\\.1|localhost|\\[::1\\])',
];

const sdlRules = {
	'no-caller': 'error',
	'no-eval': 'error',
	'no-implied-eval': 'error',
	'no-new-func': 'error',
	'@microsoft/sdl/no-document-domain': 'error',
	'@microsoft/sdl/no-document-write': 'error',
	'@microsoft/sdl/no-html-method': 'error',
	'@microsoft/sdl/no-inner-html': 'error',
	'@microsoft/sdl/no-insecure-url': ['error', { exceptions: LOOPBACK }],
	'@microsoft/sdl/no-postmessage-star-origin': 'error',
	'@microsoft/sdl/no-electron-node-integration': 'error',
	'@microsoft/sdl/no-unsafe-alloc': 'error',
};

const main = (message) => ({ regex: '(^|/)main(/|$)', message });
/** Phone-number metadata is main's: the page asks `dial.resolve` (main/dial/destination.ts). */
const phoneMetadata = {
	regex: '^libphonenumber-js(/|$)',
	message:
		'The renderer never parses phone numbers itself: main resolves what is typed (dial.resolve, main/dial/destination.ts), so libphonenumber’s metadata (~48 KiB gzipped) stays out of the page.',
};
/**
 * The renderer may load these preload modules at runtime: the contract's zod-free parts (its limits, its form
 * checks and contact lookup, so the page checks input by the very rules main applies without bundling the
 * schema library: only its types are imported from `contract`) and the dial grammar. Never the bridge's own
 * code.
 */
const preloadRuntime = {
	regex: '(^|/)preload/(?!(dial-grammar|limits|form-checks|contact-lookup)$)',
	allowTypeImports: true,
	message:
		"The renderer imports from the preload folder only types, the dial grammar and the contract's zod-free parts (preload/limits, preload/form-checks, preload/contact-lookup): the schema library stays out of the page.",
};

export default ts.config(
	{
		ignores: [
			'dist/**',
			'release/**',
			'node_modules/**',
			'test-results/**',
			'playwright-report/**',
			'.ci/reports/**',
		],
	},
	js.configs.recommended,
	...ts.configs.recommendedTypeChecked,
	...svelte.configs['flat/recommended'],
	{
		languageOptions: {
			ecmaVersion: 2023,
			sourceType: 'module',
			parserOptions: {
				projectService: true,
				tsconfigRootDir: import.meta.dirname,
				extraFileExtensions: ['.svelte'],
			},
		},
		plugins: { '@microsoft/sdl': sdl },
		rules: {
			...sdlRules,
			'@typescript-eslint/consistent-type-imports': 'error',
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/ban-ts-comment': [
				'error',
				{ 'ts-expect-error': 'allow-with-description', 'ts-ignore': true },
			],
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
			],
		},
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: { parser: ts.parser, svelteConfig },
		},
		rules: { 'svelte/no-at-html-tags': 'error' },
	},
	{
		files: ['*.config.ts', '*.config.js', 'svelte.config.js', 'eslint.config.js'],
		languageOptions: { globals: globals.node },
	},
	{
		// Plain JavaScript tooling (config files, the CI summariser) is not part of a TypeScript project.
		files: ['eslint.config.js', 'svelte.config.js', '**/*.mjs'],
		...ts.configs.disableTypeChecked,
	},
	{
		files: ['**/*.mjs'],
		languageOptions: { globals: globals.node },
	},

	// ---- Folder boundaries -------------------------------------------------------------------------------
	{
		files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
		languageOptions: { globals: globals.browser },
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					paths: [
						{
							name: 'electron',
							message: 'The renderer never touches Electron; ask main through window.softphone.',
						},
						{ name: 'keytar', message: 'Only main/secrets/keytar-store.ts talks to the keychain.' },
						{
							name: '@telnyx/webrtc',
							message:
								'Only the telephony adapter (renderer/src/lib/telephony/telnyx-softphone.ts) imports the SDK.',
						},
					],
					patterns: [
						{ regex: '^node:', message: 'The renderer is sandboxed: no Node modules.' },
						main('The renderer never imports main-process code.'),
						preloadRuntime,
						phoneMetadata,
					],
				},
			],
			'no-restricted-properties': [
				'error',
				{
					object: 'window',
					property: 'softphone',
					message: 'Only renderer/src/lib/bridge.ts reads window.softphone.',
				},
			],
		},
	},
	{
		files: ['renderer/src/lib/bridge.ts'],
		rules: { 'no-restricted-properties': 'off' },
	},
	{
		files: ['renderer/src/lib/telephony/telnyx-softphone.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					paths: [
						{ name: 'electron', message: 'The renderer never touches Electron.' },
						{ name: 'keytar', message: 'Keychain is main-only.' },
					],
					patterns: [
						{ regex: '^node:', message: 'No Node modules in the renderer.' },
						main('No main-process code in the renderer.'),
						preloadRuntime,
						phoneMetadata,
					],
				},
			],
		},
	},
	{
		files: ['main/**/*.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					paths: [
						{
							name: 'electron',
							allowTypeImports: true,
							message:
								'Only the shell (main/index.ts and main/electron/**) imports Electron at runtime; put the decision in a pure module beside it.',
						},
						{ name: 'keytar', message: 'Only main/secrets/keytar-store.ts imports keytar.' },
						{ name: '@telnyx/webrtc', message: 'The SDK runs in the renderer only.' },
					],
					patterns: [
						{ regex: '(^|/)renderer(/|$)', message: 'Main never imports renderer code.' },
						{
							regex: '(^|/)preload/(index|renderer-api)',
							message: 'Main imports only the preload contract and the dial grammar.',
						},
					],
				},
			],
			'no-restricted-properties': [
				'error',
				{
					object: 'ipcMain',
					property: 'handle',
					message: 'Register IPC through registerIpc (one guard for every channel).',
				},
				{
					object: 'ipcMain',
					property: 'on',
					message: 'Renderer → main is always invoke, through registerIpc.',
				},
				{ object: 'ipcMain', property: 'handleOnce', message: 'Register IPC through registerIpc.' },
				{ property: 'loadFile', message: 'Load only app://softphone/ (no file: URLs).' },
			],
		},
	},
	{
		// The shell: thin adapters over the pure modules, the only code that touches Electron at runtime.
		files: ['main/index.ts', 'main/electron/**/*.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					paths: [{ name: 'keytar', message: 'Only main/secrets/keytar-store.ts imports keytar.' }],
					patterns: [{ regex: '(^|/)renderer(/|$)', message: 'Main never imports renderer code.' }],
				},
			],
		},
	},
	{
		files: ['main/secrets/keytar-store.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					paths: [
						{
							name: 'electron',
							allowTypeImports: true,
							message: 'Only main/electron/** imports Electron at runtime.',
						},
					],
				},
			],
		},
	},
	{
		files: ['preload/contract.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							regex:
								'^(?!zod$|\\./manifest$|\\./dial-grammar$|\\./limits$|\\./form-checks$|\\./contact-lookup$)',
							message:
								'The contract imports only its schema library, its manifest, the dial grammar and its own zod-free parts (limits, form checks, contact lookup).',
						},
					],
				},
			],
		},
	},
	{
		// Main and the renderer both load it (in Node and in the page): it stays pure, with no imports at all.
		files: ['preload/dial-grammar.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							regex: '.',
							message: 'The dial grammar imports nothing: main and the renderer both load it.',
						},
					],
				},
			],
		},
	},
	{
		files: ['preload/renderer-api.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							regex: '^(?!\\./contract$|\\./manifest$)',
							message:
								'The bridge builder imports only the manifest, and types from the contract (the e2e harness runs it in a page).',
						},
						{
							regex: '^\\./contract$',
							allowTypeImports: true,
							message:
								'Only types from the contract: its schemas would pull the schema library into the sandboxed preload.',
						},
					],
				},
			],
		},
	},
	{
		// The preload bundle is built from this: names only, types from the contract, no schema library.
		files: ['preload/manifest.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							regex: '.',
							allowTypeImports: true,
							message:
								'The manifest imports only types (it is bundled into the sandboxed preload).',
						},
					],
				},
			],
		},
	},
	{
		files: ['preload/index.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							regex: '^(?!electron$|\\./renderer-api$)',
							message: 'The preload imports Electron and the bridge builder only.',
						},
					],
				},
			],
		},
	},

	// ---- Tests -------------------------------------------------------------------------------------------
	{
		files: ['test/**/*.ts'],
		languageOptions: { globals: { ...globals.node, ...globals.browser } },
		rules: {
			// Test doubles and parsed JSON are loosely typed by nature; assertions check their shape.
			'@typescript-eslint/no-unsafe-assignment': 'off',
			'@typescript-eslint/no-unsafe-member-access': 'off',
			'@typescript-eslint/no-unsafe-argument': 'off',
			'@typescript-eslint/no-unsafe-call': 'off',
			'@typescript-eslint/no-unsafe-return': 'off',
			'@typescript-eslint/unbound-method': 'off',
			'@typescript-eslint/no-non-null-assertion': 'off',
			// Fakes implement async interfaces synchronously, and tests throw odd values on purpose.
			'@typescript-eslint/require-await': 'off',
			'@typescript-eslint/only-throw-error': 'off',
		},
	},
	{
		// Tests feed insecure and hostile URLs to the policies that must refuse them. (This rule's autofix
		// rewrites http: to https:, which would silently change what a test checks.)
		files: ['test/unit/**/*.ts', 'test/integration/**/*.ts', 'test/e2e/**/*.ts'],
		rules: { '@microsoft/sdl/no-insecure-url': 'off' },
	},
	prettier,
	...svelte.configs['flat/prettier'],
);
