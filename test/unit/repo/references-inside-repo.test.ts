/**
 * Everything a tracked file refers to is in the repository: a clone must be able to follow every link and
 * every named document (issue 18). The checker runs over `git ls-files`; planted references show that each
 * rule can fail.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findOutsideReferences, resolveInRepo } from '../../support/repo-references';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// Built from parts, so that a search of the tree for these finds nothing here.
const SIBLING = '..' + '/shared';
const MACHINE = '/' + 'work' + '/main/README.md';

function trackedTextFiles(): { tracked: string[]; files: Map<string, string> } {
	const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
		.split('\0')
		.filter(Boolean);
	const files = new Map<string, string>();
	for (const path of tracked) {
		const bytes = readFileSync(join(ROOT, path));
		// Binary files (icons, baselines) hold no references.
		if (bytes.subarray(0, 8000).includes(0)) continue;
		files.set(path, bytes.toString('utf8'));
	}
	return { tracked, files };
}

describe('the repository', () => {
	it('refers to nothing outside itself in any tracked text file', () => {
		const { tracked, files } = trackedTextFiles();
		// The checker and this test name what they look for; the planted cases below cover them.
		files.delete('test/support/repo-references.ts');
		files.delete('test/unit/repo/references-inside-repo.test.ts');
		// A run outside a git checkout would check nothing; that must not pass.
		expect(tracked).toContain('package.json');
		expect(files.size).toBeGreaterThan(100);
		const findings = findOutsideReferences(files, tracked).map(
			(f) => `${f.file}:${f.line}: ${f.reference} (${f.reason})`,
		);
		expect(findings).toEqual([]);
	});
});

describe('findOutsideReferences', () => {
	const tracked = ['README.md', 'docs/directory.md', 'main/README.md', 'main/index.ts'];
	const check = (file: string, text: string) =>
		findOutsideReferences(new Map([[file, text]]), tracked).map((f) => [f.line, f.reference]);

	it.each([
		['a sibling folder', 'README.md', `see ${SIBLING}/architecture.md`, `${SIBLING}`],
		['an absolute machine path', 'main/index.ts', `// from ${MACHINE}`, MACHINE],
		[
			'a link that climbs out',
			'main/README.md',
			'[up](../../elsewhere/x.md)',
			'../../elsewhere/x.md',
		],
		[
			'a link to a missing file',
			'README.md',
			'[gone](docs/architecture.md#parts)',
			'docs/architecture.md#parts',
		],
		['a link to a missing folder', 'README.md', '[gone](docs/api/)', 'docs/api/'],
		['a reference definition', 'README.md', '[ref]: ./missing.md', './missing.md'],
		[
			'a document named in a comment',
			'main/index.ts',
			'// (security-notes.md §3)',
			'security-notes.md',
		],
		['a folder-qualified document', 'main/index.ts', '// see docs/protocol.md', 'docs/protocol.md'],
	])('reports %s', (_what, file, text, reference) => {
		expect(check(file, `first line\n${text}\n`)).toContainEqual([2, reference]);
	});

	it.each([
		['a link beside the file', 'main/README.md', '[docs](../docs/directory.md#the-policy)'],
		['a link from the root', 'main/README.md', '[readme](/README.md)'],
		['a folder', 'README.md', '[main](main/)'],
		['an anchor', 'README.md', '[below](#tests)'],
		[
			'a URL',
			'README.md',
			'[sdk](https://github.com/team-telnyx/webrtc/blob/main/docs/ts/README.md)',
		],
		['a URL in a comment', 'main/index.ts', '// https://example.com/docs/api/session.md'],
		['a named tracked document', 'main/index.ts', '// see directory.md and docs/directory.md'],
		['a fenced example', 'README.md', '```md\n[a link](example/page.md)\n```'],
		['other absolute paths (test data)', 'main/index.ts', "const home = '/home/ada/work/x';"],
	])('accepts %s', (_what, file, text) => {
		expect(check(file, text)).toEqual([]);
	});

	it('resolves a path from its file and from the root, and knows when it leaves', () => {
		expect(resolveInRepo('main/README.md', '../docs/directory.md')).toBe('docs/directory.md');
		expect(resolveInRepo('main/README.md', '/docs/directory.md')).toBe('docs/directory.md');
		expect(resolveInRepo('main/README.md', '../../x')).toBeNull();
		expect(resolveInRepo('README.md', '..')).toBeNull();
	});
});
