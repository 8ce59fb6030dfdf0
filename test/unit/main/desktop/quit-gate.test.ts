import { describe, expect, it } from 'vitest';
import { QUIT_DURING_CALL, QuitGate } from '../../../../main/desktop/quit-gate';

describe('QuitGate', () => {
	it('shuts down at once with no call in progress, and only once', () => {
		const gate = new QuitGate(() => false);
		expect(gate.quitting).toBe(false);
		expect(gate.request()).toBe('shut-down');
		expect(gate.quitting).toBe(true);
		// Electron emits before-quit again after the log is written: it goes ahead without a second shutdown.
		expect(gate.request()).toBe('proceed');
	});

	it('asks first with a call in progress (fails on e0fc691: Quit ended the call without a word)', () => {
		const gate = new QuitGate(() => true);
		expect(gate.request()).toBe('ask');
		// A second Quit while the question is open waits for its answer.
		expect(gate.request()).toBe('wait');
		expect(gate.answer(QUIT_DURING_CALL.cancelId)).toBe(false);
		expect(gate.quitting).toBe(false);
		expect(gate.request()).toBe('ask');
		expect(gate.answer(QUIT_DURING_CALL.confirmIndex)).toBe(true);
		// The quit that follows the confirmation goes ahead.
		expect(gate.request()).toBe('shut-down');
	});

	it('never asks again once the quit goes ahead, even if a call is reported meanwhile', () => {
		let inCall = false;
		const gate = new QuitGate(() => inCall);
		expect(gate.request()).toBe('shut-down');
		inCall = true;
		expect(gate.request()).toBe('proceed');
	});

	it('keeps the call by default (Enter and Escape)', () => {
		expect(QUIT_DURING_CALL.buttons[QUIT_DURING_CALL.defaultId]).toBe('Keep the call');
		expect(QUIT_DURING_CALL.cancelId).toBe(QUIT_DURING_CALL.defaultId);
		expect(QUIT_DURING_CALL.buttons[QUIT_DURING_CALL.confirmIndex]).toBe('End the call and quit');
	});

	it('asks again if the call is still up after the user kept it, and not once it has ended', () => {
		let inCall = true;
		const gate = new QuitGate(() => inCall);
		gate.request();
		gate.answer(0);
		inCall = false;
		expect(gate.request()).toBe('shut-down');
	});

	it('holds the quit for the log exactly once (will-quit)', () => {
		const gate = new QuitGate(() => false);
		expect(gate.takeFlush()).toBe(true);
		expect(gate.takeFlush()).toBe(false);
	});
});
