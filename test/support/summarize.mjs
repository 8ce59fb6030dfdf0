// Adds up every tier of a test run and prints the closing line CI reads: "N passed, N failed, N skipped".
// Inputs (in the reports folder): checks.tsv (typecheck, lint, build, electron-currency, electronegativity:
// "name<TAB>passed|failed|skipped[<TAB>reason]"), vitest.json, playwright.json, spec-tally.jsonl (one
// {checked, mismatches} line per sandbox closed: its REST exchanges checked against Telnyx's OpenAPI spec).
// Skipped tests and checks are listed by name, so a skip is never mistaken for a pass.
// Exits 1 when anything failed or a runner left no report.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] ?? '.ci/reports';
const tiers = [];
const skippedNames = [];

const checks = path.join(dir, 'checks.tsv');
if (existsSync(checks)) {
	for (const line of readFileSync(checks, 'utf8').trim().split('\n').filter(Boolean)) {
		const [name, outcome, reason] = line.split('\t');
		// Anything but passed or skipped (a check that could not run at all) is a failure.
		tiers.push({
			name,
			passed: outcome === 'passed' ? 1 : 0,
			failed: outcome === 'passed' || outcome === 'skipped' ? 0 : 1,
			skipped: outcome === 'skipped' ? 1 : 0,
		});
		if (outcome === 'skipped') skippedNames.push(`check › ${name}${reason ? ` (${reason})` : ''}`);
	}
}

const vitestFile = path.join(dir, 'vitest.json');
if (existsSync(vitestFile)) {
	const report = JSON.parse(readFileSync(vitestFile, 'utf8'));
	// Files that failed to load count as failures even though they ran no test.
	const brokenFiles = (report.testResults ?? []).filter(
		(f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0,
	).length;
	for (const file of report.testResults ?? []) {
		for (const t of file.assertionResults ?? []) {
			if (['skipped', 'pending', 'todo'].includes(t.status)) {
				const titles = [...(t.ancestorTitles ?? []), t.title].filter(Boolean).join(' › ');
				skippedNames.push(`vitest › ${path.relative(process.cwd(), file.name)} › ${titles}`);
			}
		}
	}
	tiers.push({
		name: 'vitest (unit, renderer, integration)',
		passed: report.numPassedTests,
		failed: report.numFailedTests + brokenFiles,
		skipped: report.numPendingTests + report.numTodoTests,
	});
} else {
	tiers.push({ name: 'vitest: no report', passed: 0, failed: 1, skipped: 0 });
}

const playwrightFile = path.join(dir, 'playwright.json');
if (existsSync(playwrightFile)) {
	const report = JSON.parse(readFileSync(playwrightFile, 'utf8'));
	const walk = (suite, titles) => {
		for (const spec of suite.specs ?? []) {
			for (const t of spec.tests ?? []) {
				if (t.status === 'skipped') {
					const reason = t.annotations?.find((a) => a.type === 'skip')?.description ?? '';
					skippedNames.push(
						`${t.projectName} › ${[...titles, spec.title].join(' › ')}${reason ? ` (${reason})` : ''}`,
					);
				}
			}
		}
		for (const child of suite.suites ?? []) walk(child, [...titles, child.title].filter(Boolean));
	};
	for (const suite of report.suites ?? []) walk(suite, []);
	const stats = report.stats ?? {};
	const loadErrors = (report.errors ?? []).length;
	tiers.push({
		name: 'playwright (end to end, Electron smoke)',
		passed: stats.expected ?? 0,
		failed: (stats.unexpected ?? 0) + (stats.flaky ?? 0) + loadErrors,
		skipped: stats.skipped ?? 0,
	});
} else {
	tiers.push({ name: 'playwright: no report', passed: 0, failed: 1, skipped: 0 });
}

// The OpenAPI check: any mismatch anywhere in the run counts as one failure (each also failed the test whose
// sandbox it was); a run whose sandboxes checked nothing says so rather than passing silently.
const tallyFile = path.join(dir, 'spec-tally.jsonl');
if (existsSync(tallyFile)) {
	let checked = 0;
	let mismatches = 0;
	for (const line of readFileSync(tallyFile, 'utf8').split('\n').filter(Boolean)) {
		const entry = JSON.parse(line);
		checked += Number(entry.checked) || 0;
		mismatches += Number(entry.mismatches) || 0;
	}
	console.log(`\nOpenAPI checks: ${checked} exchanges, ${mismatches} mismatches`);
	const failed = mismatches > 0 || checked === 0;
	tiers.push({
		name: 'OpenAPI checks',
		passed: failed ? 0 : 1,
		failed: failed ? 1 : 0,
		skipped: 0,
	});
}

console.log('\nSummary by tier:');
for (const t of tiers)
	console.log(`  ${t.name}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
if (skippedNames.length > 0) {
	console.log('Skipped:');
	for (const name of skippedNames) console.log(`  - ${name}`);
}
const total = tiers.reduce(
	(a, t) => ({
		passed: a.passed + t.passed,
		failed: a.failed + t.failed,
		skipped: a.skipped + t.skipped,
	}),
	{
		passed: 0,
		failed: 0,
		skipped: 0,
	},
);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
