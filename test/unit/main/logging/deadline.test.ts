import { describe, expect, it } from 'vitest';
import { withDeadline } from '../../../../main/logging/deadline';

describe('withDeadline', () => {
	it('resolves when the work does', async () => {
		let done = false;
		await withDeadline(
			new Promise<void>((resolve) => setTimeout(() => ((done = true), resolve()), 5)),
			10_000,
		);
		expect(done).toBe(true);
	});

	it('resolves at the deadline when the work never settles, and when it fails', async () => {
		const started = Date.now();
		await withDeadline(new Promise(() => {}), 20);
		expect(Date.now() - started).toBeGreaterThanOrEqual(15);
		await expect(withDeadline(Promise.reject(new Error('disk full')), 10_000)).resolves.toBe(
			undefined,
		);
	});
});
