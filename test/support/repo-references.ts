/**
 * Finds references in the repository's text files that a clone cannot follow: a path that leaves the
 * repository (`../shared`-style sibling folders, absolute paths of the machine the code was written on), a
 * Markdown link whose target is outside the repository or not in it, or a `*.md` document named in a comment
 * that no tracked file is. Pure: it gets the tracked paths and the files' text, so its test can plant bad
 * references as well as run it over `git ls-files`.
 */
import { posix } from 'node:path';

export interface Finding {
	readonly file: string;
	readonly line: number;
	readonly reference: string;
	readonly reason: string;
}

/** Sibling folders of the repository that earlier work cited; nothing in a clone can reach them. */
const OUTSIDE_FOLDER = /\.\.\/shared\b/g;
/** Absolute paths of the workspace the code was written in (`/work/…`); a clone has no such folder. */
const MACHINE_PATH = /(?<![\w.~/-])\/work\/[\w./-]*/g;
/** Anything with a scheme (`https://…`, `mailto:…`, `app://…`) is not a repository path. */
const URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s)>\]'"`]*/gi;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
/** `[text](target)` and `![alt](target)`, target up to the first space (a title may follow). */
const INLINE_LINK = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+["'(][^)]*)?\)/g;
/** `[label]: target` reference definitions. */
const REFERENCE_DEFINITION = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm;
/** A document named by its file name, with or without a folder: `docs/directory.md`, `README.md`. */
const MARKDOWN_NAME = /(?<![\w/.-])(?:\.{1,2}\/)*[\w-]+(?:\/[\w.-]+)*\.md\b/g;

/** The line (1-based) of a character offset. */
function lineAt(text: string, index: number): number {
	let line = 1;
	for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
	return line;
}

/** The same text with every fenced code block blanked (kept the same length, so offsets still match). */
function withoutFences(markdown: string): string {
	return markdown.replace(/^(\s*)(```|~~~)[^\n]*\n[\s\S]*?^\s*\2[^\n]*$/gm, (block) =>
		block.replace(/[^\n]/g, ' '),
	);
}

/**
 * Where a relative reference from `file` lands, as a repository path; `null` when it leaves the
 * repository. A leading `/` means the repository root, as GitHub renders it.
 */
export function resolveInRepo(file: string, target: string): string | null {
	const joined = target.startsWith('/')
		? posix.normalize(target.slice(1))
		: posix.normalize(posix.join(posix.dirname(file), target));
	if (joined === '..' || joined.startsWith('../')) return null;
	return joined === '.' ? '' : joined.replace(/\/$/, '');
}

/** Every tracked path and every folder that holds one (the root is ''). */
function pathsOf(tracked: Iterable<string>): Set<string> {
	const paths = new Set<string>(['']);
	for (const file of tracked) {
		paths.add(file);
		for (let dir = posix.dirname(file); dir !== '.'; dir = posix.dirname(dir)) paths.add(dir);
	}
	return paths;
}

export function findOutsideReferences(
	files: ReadonlyMap<string, string>,
	tracked: Iterable<string>,
): Finding[] {
	const paths = pathsOf(tracked);
	const names = new Set([...paths].map((path) => posix.basename(path)));
	const findings: Finding[] = [];

	for (const [file, text] of files) {
		const add = (index: number, reference: string, reason: string) =>
			findings.push({ file, line: lineAt(text, index), reference, reason });

		for (const match of text.matchAll(OUTSIDE_FOLDER))
			add(match.index, match[0], 'a folder beside the repository, absent from a clone');
		for (const match of text.matchAll(MACHINE_PATH))
			add(match.index, match[0], 'an absolute path on the machine the code was written on');

		// URLs name other places on purpose; blank them so their paths are not read as ours.
		const plain = text.replace(URL, (url) => ' '.repeat(url.length));

		if (file.endsWith('.md')) {
			// Links are read from the text with its URLs intact and skipped when they carry a scheme.
			const linked = withoutFences(text);
			for (const pattern of [INLINE_LINK, REFERENCE_DEFINITION]) {
				for (const match of linked.matchAll(pattern)) {
					const raw = match[1] ?? '';
					if (SCHEME.test(raw) || raw.startsWith('#')) continue;
					const target = decodeURIComponent(raw.replace(/[#?].*$/, ''));
					if (target === '') continue;
					const resolved = resolveInRepo(file, target);
					if (resolved === null) add(match.index, raw, 'a link that leaves the repository');
					else if (!paths.has(resolved))
						add(match.index, raw, 'a link to a path the repository does not have');
				}
			}
		}

		for (const match of withoutFences(plain).matchAll(MARKDOWN_NAME)) {
			const name = match[0];
			if (!name.includes('/')) {
				if (!names.has(name)) add(match.index, name, 'a document the repository does not have');
				continue;
			}
			const fromFile = resolveInRepo(file, name);
			const fromRoot = resolveInRepo('', name);
			if (fromFile === null && fromRoot === null)
				add(match.index, name, 'a document outside the repository');
			else if (!paths.has(fromFile ?? '\0') && !paths.has(fromRoot ?? '\0'))
				add(match.index, name, 'a document the repository does not have');
		}
	}
	return findings;
}
