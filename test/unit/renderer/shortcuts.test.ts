import { describe, expect, it } from 'vitest';
import {
	describeAccelerator,
	recordKey,
	type KeyCombination,
} from '../../../renderer/src/lib/shortcuts';

/** A key press as the page sees it: no modifiers unless given. */
const press = (key: string, code: string, held: Partial<KeyCombination> = {}): KeyCombination => ({
	key,
	code,
	ctrlKey: false,
	altKey: false,
	shiftKey: false,
	metaKey: false,
	...held,
});
const ctrlShift = { ctrlKey: true, shiftKey: true } as const;
const accelerator = (combination: KeyCombination, mac = false) => {
	const recorded = recordKey(combination, mac);
	return recorded.kind === 'combination' ? recorded.accelerator : recorded.kind;
};

describe('recordKey: modifiers', () => {
	it('turns Ctrl into CommandOrControl off macOS, and Cmd into it on macOS', () => {
		expect(accelerator(press('a', 'KeyA', ctrlShift))).toBe('CommandOrControl+Shift+A');
		expect(accelerator(press('a', 'KeyA', { metaKey: true, shiftKey: true }), true)).toBe(
			'CommandOrControl+Shift+A',
		);
	});

	it('keeps the other key of the pair apart: Super off macOS, Control on macOS', () => {
		expect(accelerator(press('m', 'KeyM', { metaKey: true, altKey: true }))).toBe('Super+Alt+M');
		expect(accelerator(press('m', 'KeyM', { ctrlKey: true, metaKey: true }), true)).toBe(
			'CommandOrControl+Control+M',
		);
		expect(accelerator(press('m', 'KeyM', { ctrlKey: true, metaKey: true }))).toBe(
			'CommandOrControl+Super+M',
		);
	});

	it('orders the modifiers the same way however they were pressed', () => {
		expect(accelerator(press('e', 'KeyE', { shiftKey: true, altKey: true, ctrlKey: true }))).toBe(
			'CommandOrControl+Alt+Shift+E',
		);
	});

	it.each([
		['Control', 'ControlLeft', { ctrlKey: true }, 'CommandOrControl'],
		['Shift', 'ShiftRight', { ctrlKey: true, shiftKey: true }, 'CommandOrControl+Shift'],
		['Alt', 'AltLeft', { altKey: true }, 'Alt'],
		['Meta', 'MetaLeft', { metaKey: true }, 'Super'],
		['AltGraph', 'AltRight', { ctrlKey: true, altKey: true }, 'CommandOrControl+Alt'],
	] as const)(
		'a modifier alone (%s) is not a combination: it waits for a key',
		(key, code, held, so) => {
			expect(recordKey(press(key, code, held), false)).toEqual({ kind: 'pending', modifiers: so });
		},
	);
});

describe('recordKey: keys', () => {
	it.each([
		['a', 'KeyA', 'A'],
		['Z', 'KeyZ', 'Z'],
		['7', 'Digit7', '7'],
		// Shift turns the digit into a symbol; the key is still the digit.
		['&', 'Digit7', '7'],
		['F1', 'F1', 'F1'],
		['F12', 'F12', 'F12'],
		['F24', 'F24', 'F24'],
		['ArrowUp', 'ArrowUp', 'Up'],
		['ArrowDown', 'ArrowDown', 'Down'],
		['ArrowLeft', 'ArrowLeft', 'Left'],
		['ArrowRight', 'ArrowRight', 'Right'],
		[' ', 'Space', 'Space'],
		['Enter', 'Enter', 'Enter'],
		['Delete', 'Delete', 'Delete'],
		['Home', 'Home', 'Home'],
		['PageDown', 'PageDown', 'PageDown'],
		['-', 'Minus', '-'],
		['_', 'Minus', '-'],
		['=', 'Equal', '='],
		['/', 'Slash', '/'],
		['`', 'Backquote', '`'],
		['1', 'Numpad1', 'num1'],
		['+', 'NumpadAdd', 'numadd'],
		['MediaPlayPause', 'MediaPlayPause', 'MediaPlayPause'],
	] as const)('%j (%s) is the key %s', (key, code, name) => {
		expect(accelerator(press(key, code, ctrlShift))).toBe(`CommandOrControl+Shift+${name}`);
	});

	it('takes the letter printed on the key (AZERTY: A where QWERTY has Q)', () => {
		expect(accelerator(press('a', 'KeyQ', { ctrlKey: true }))).toBe('CommandOrControl+A');
	});

	it('takes the key’s place when the layout gives no Latin letter (Option on macOS, Cyrillic)', () => {
		expect(accelerator(press('å', 'KeyA', { altKey: true, metaKey: true }), true)).toBe(
			'CommandOrControl+Alt+A',
		);
		expect(accelerator(press('ф', 'KeyA', { ctrlKey: true }))).toBe('CommandOrControl+A');
	});

	it('reads a plain letter or digit from `key` when the keyboard gives no code', () => {
		expect(accelerator(press('k', '', { altKey: true }))).toBe('Alt+K');
	});

	it('leaves a key without modifiers to main, which says a shortcut needs one', () => {
		expect(accelerator(press('a', 'KeyA'))).toBe('A');
		expect(accelerator(press('F9', 'F9'))).toBe('F9');
	});

	it('refuses keys a shortcut cannot use, in words', () => {
		expect(recordKey(press('CapsLock', 'CapsLock', { ctrlKey: true }), false)).toEqual({
			kind: 'unsupported',
			message:
				'A shortcut cannot use the CapsLock key; try a letter, a digit or a function key with Ctrl, Alt or Shift.',
		});
		expect(recordKey(press('Unidentified', '', { ctrlKey: true }), false)).toMatchObject({
			kind: 'unsupported',
			message: expect.stringMatching(/^A shortcut cannot use that key;/) as unknown,
		});
	});
});

describe('recordKey: leaving the recording', () => {
	it('Escape on its own cancels', () => {
		expect(recordKey(press('Escape', 'Escape'), false)).toEqual({ kind: 'cancel' });
	});

	it('Escape with a modifier is a combination (main decides whether it may be used)', () => {
		expect(accelerator(press('Escape', 'Escape', ctrlShift))).toBe('CommandOrControl+Shift+Escape');
	});

	it('Tab and Shift+Tab move on (the focus is never trapped); Ctrl+Tab is a combination', () => {
		expect(recordKey(press('Tab', 'Tab'), false)).toEqual({ kind: 'leave' });
		expect(recordKey(press('Tab', 'Tab', { shiftKey: true }), false)).toEqual({ kind: 'leave' });
		expect(accelerator(press('Tab', 'Tab', { ctrlKey: true }))).toBe('CommandOrControl+Tab');
	});
});

describe('describeAccelerator', () => {
	it.each([
		['CommandOrControl+Shift+A', 'linux', 'Ctrl+Shift+A'],
		['CommandOrControl+Shift+A', 'win32', 'Ctrl+Shift+A'],
		['CommandOrControl+Shift+A', 'darwin', 'Cmd+Shift+A'],
		['CmdOrCtrl+Alt+M', 'darwin', 'Cmd+Option+M'],
		['Super+Alt+M', 'linux', 'Super+Alt+M'],
		['Super+Alt+M', 'win32', 'Win+Alt+M'],
		['Control+Up', 'darwin', 'Ctrl+Up'],
		['Alt+F4', 'linux', 'Alt+F4'],
	])('%s on %s reads %s', (given, platform, shown) => {
		expect(describeAccelerator(given, platform)).toBe(shown);
	});
});
