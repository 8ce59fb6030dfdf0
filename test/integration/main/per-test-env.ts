/**
 * A fresh `TestEnv` for every test of a file: started before each test and closed after it. What it returns
 * stands for the current test's environment (a proxy), so a file writes `const env = testEnvPerTest()` once
 * instead of its own `let env` with a `beforeEach` and an `afterEach`. Kept apart from `support.ts`, which
 * scripts outside Vitest (the bench) import.
 */
import { afterEach, beforeEach } from 'vitest';
import type { SandboxOptions } from '../../sandbox/sandbox';
import { TestEnv } from './support';

export function testEnvPerTest(options: SandboxOptions = {}): TestEnv {
	let current: TestEnv | undefined;
	beforeEach(async () => {
		current = await TestEnv.start(options);
	});
	afterEach(async () => {
		await current?.close();
		current = undefined;
	});
	return new Proxy({} as TestEnv, {
		get(_, key) {
			if (current === undefined) throw new Error('the test environment exists only inside a test');
			const value: unknown = Reflect.get(current, key, current);
			// Methods run on the environment itself (its private fields are not the proxy's).
			return typeof value === 'function' ? (value as () => unknown).bind(current) : value;
		},
	});
}
