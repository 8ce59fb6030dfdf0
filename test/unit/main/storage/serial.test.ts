import { describe, expect, it } from 'vitest';
import { serial } from '../../../../main/storage/serial';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('serial', () => {
	it('runs tasks one at a time, in the order given, even when earlier ones are slower', async () => {
		const run = serial();
		const events: string[] = [];
		let inFlight = 0;
		let maxInFlight = 0;
		const task = (name: string, ms: number) => async () => {
			inFlight += 1;
			maxInFlight = Math.max(maxInFlight, inFlight);
			events.push(`start ${name}`);
			await sleep(ms);
			events.push(`end ${name}`);
			inFlight -= 1;
		};
		// Overlapping tasks would end last-first.
		await Promise.all([run(task('a', 30)), run(task('b', 15)), run(task('c', 0))]);
		expect(maxInFlight).toBe(1);
		expect(events).toStrictEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
	});

	it("answers each task's own result, for async and plain tasks alike", async () => {
		const run = serial();
		const results = await Promise.all([
			run(async () => {
				await sleep(10);
				return 'first';
			}),
			run(() => 2),
			run(async () => ({ third: true })),
		]);
		expect(results).toStrictEqual(['first', 2, { third: true }]);
	});

	it('a failing task fails only its own promise: the next still runs, after it', async () => {
		const run = serial();
		const order: string[] = [];
		const rejected = run(async () => {
			await sleep(10);
			order.push('rejects');
			throw new Error('disk full');
		});
		const thrown = run(() => {
			order.push('throws');
			throw new Error('bug');
		});
		const after = run(() => {
			order.push('after');
			return 'still runs';
		});
		await expect(rejected).rejects.toThrow('disk full');
		await expect(thrown).rejects.toThrow('bug');
		await expect(after).resolves.toBe('still runs');
		expect(order).toStrictEqual(['rejects', 'throws', 'after']);
	});

	it('a task does not start before the one ahead of it has settled, even a rejected one', async () => {
		const run = serial();
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		let secondStarted = false;
		const first = run(async () => {
			await gate;
			throw new Error('late failure');
		});
		const second = run(() => {
			secondStarted = true;
		});
		await sleep(10);
		expect(secondStarted).toBe(false);
		release();
		await expect(first).rejects.toThrow('late failure');
		await second;
		expect(secondStarted).toBe(true);
	});

	it('two queues do not wait for each other', async () => {
		const slow = serial();
		const fast = serial();
		let release!: () => void;
		const blocked = slow(() => new Promise<void>((resolve) => (release = resolve)));
		await expect(fast(() => 'done')).resolves.toBe('done');
		release();
		await blocked;
	});
});
