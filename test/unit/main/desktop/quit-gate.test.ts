import { describe, expect, it } from 'vitest';
import { QUIT_DURING_CALL, QuitGate } from '../../../../main/desktop/quit-gate';

describe('QuitGate', () => {
	it('quits at once with no call in progress', () => {
		expect(new QuitGate(() => false).request()).toBe('quit');
	});

	it('asks first with a call in progress (fails on e0fc691: Quit ended the call without a word)', () => {
		const gate = new QuitGate(() => true);
		expect(gate.request()).toBe('ask');
		// A second Quit while the question is open waits for its answer.
		expect(gate.request()).toBe('wait');
		expect(gate.answer(QUIT_DURING_CALL.cancelId)).toBe(false);
		expect(gate.request()).toBe('ask');
		expect(gate.answer(QUIT_DURING_CALL.confirmIndex)).toBe(true);
		// The quit that follows the confirmation goes ahead.
		expect(gate.request()).toBe('quit');
	});

	it('keeps the call by default (Enter and Escape)', () => {
		expect(QUIT_DURING_CALL.buttons[QUIT_DURING_CALL.defaultId]).toBe('Keep the call');
		expect(QUIT_DURING_CALL.cancelId).toBe(QUIT_DURING_CALL.defaultId);
		expect(QUIT_DURING_CALL.buttons[QUIT_DURING_CALL.confirmIndex]).toBe('End the call and quit');
	});

	it('asks again if the call is still up after the user kept it', () => {
		let inCall = true;
		const gate = new QuitGate(() => inCall);
		gate.request();
		gate.answer(0);
		inCall = false;
		expect(gate.request()).toBe('quit');
	});
});
