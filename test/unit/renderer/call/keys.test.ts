import { describe, expect, it } from 'vitest';
import {
	dialKey,
	isEscape,
	isFullscreen,
	isTypingTarget,
	type KeyPress,
} from '../../../../renderer/src/lib/call/keys';

const press = (key: string, change: Partial<KeyPress> = {}): KeyPress => ({
	key,
	ctrlKey: false,
	metaKey: false,
	altKey: false,
	defaultPrevented: false,
	target: document.body,
	...change,
});

describe('in-app keys', () => {
	it('takes 0-9, * and # typed outside any field as dial keys, and nothing else', () => {
		for (const key of ['0', '5', '9', '*', '#']) expect(dialKey(press(key))).toBe(key);
		for (const key of ['a', 'A', '+', 'Enter', 'Escape', '10', ' '])
			expect(dialKey(press(key))).toBeNull();
	});

	it('leaves shortcuts, handled presses and presses in fields alone', () => {
		expect(dialKey(press('1', { ctrlKey: true }))).toBeNull();
		expect(dialKey(press('1', { metaKey: true }))).toBeNull();
		expect(dialKey(press('1', { altKey: true }))).toBeNull();
		expect(dialKey(press('1', { defaultPrevented: true }))).toBeNull();
		const editable = document.createElement('div');
		editable.setAttribute('contenteditable', 'true');
		const inside = editable.appendChild(document.createElement('b'));
		const fields = ['input', 'textarea', 'select'].map((tag) => document.createElement(tag));
		for (const target of [...fields, inside]) {
			expect(isTypingTarget(target), target.tagName).toBe(true);
			expect(dialKey(press('1', { target })), target.tagName).toBeNull();
		}
		expect(isTypingTarget(document.createElement('button'))).toBe(false);
		expect(isTypingTarget(null)).toBe(false);
	});

	it('takes Esc for the app only when nothing is full screen and no one handled it', () => {
		expect(isEscape(press('Escape'), false)).toBe(true);
		expect(isEscape(press('Escape'), true)).toBe(false);
		expect(isEscape(press('Escape', { defaultPrevented: true }), false)).toBe(false);
		expect(isEscape(press('Enter'), false)).toBe(false);
	});

	it('reads full screen from the document, a missing property meaning none', () => {
		expect(isFullscreen(document)).toBe(false);
		expect(isFullscreen({ fullscreenElement: null } as Document)).toBe(false);
		expect(isFullscreen({ fullscreenElement: document.body } as unknown as Document)).toBe(true);
	});
});
