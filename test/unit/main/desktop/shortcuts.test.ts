import { describe, expect, it, vi } from 'vitest';
import type { Shortcuts } from '../../../../preload/contract';
import {
	DEFAULT_SHORTCUTS,
	SHORTCUT_ACTIONS,
	checkAccelerator,
	normalise,
	registerShortcuts,
	shortcutCommand,
	shortcutFeatures,
	withFeatures,
	shortcutProblems,
	type ShortcutAction,
} from '../../../../main/desktop/shortcuts';

describe('DEFAULT_SHORTCUTS', () => {
	it('are valid and distinct', () => {
		expect(DEFAULT_SHORTCUTS).toStrictEqual({
			answer: 'CommandOrControl+Shift+A',
			hangup: 'CommandOrControl+Shift+E',
			mute: 'CommandOrControl+Shift+M',
		});
		expect(shortcutProblems(DEFAULT_SHORTCUTS)).toStrictEqual([]);
		expect(SHORTCUT_ACTIONS).toStrictEqual(['answer', 'hangup', 'mute']);
	});
});

describe('checkAccelerator', () => {
	it.each([
		'CommandOrControl+Shift+A',
		'CmdOrCtrl+Alt+H',
		'Ctrl+Shift+M',
		'Control+Alt+0',
		'Command+Option+K',
		'Cmd+Shift+F12',
		'Alt+F9',
		'Shift+F24',
		'Super+Space',
		'Meta+Up',
		'AltGr+PageDown',
		'ctrl+shift+a',
		'Ctrl+Shift+Plus',
		'Ctrl+Alt+/',
		'Ctrl+Shift+Home',
		'Ctrl + Shift + A',
	])('accepts %s', (accelerator) => {
		expect(checkAccelerator(accelerator)).toBeNull();
	});

	it.each([
		['A', 'modifier'],
		['F5', 'modifier'],
		['', 'modifier'],
		['Hyper+A', 'unknown modifier'],
		['Ctrl+Shoft+A', 'unknown modifier'],
		['Ctrl+Shift', 'is not a key'],
		['Ctrl+Shift+', 'is not a key'],
		['Ctrl+AB', 'is not a key'],
		['Ctrl+F25', 'is not a key'],
		['Ctrl+F0', 'is not a key'],
		['Ctrl+Banana', 'is not a key'],
		['Ctrl+é', 'is not a key'],
		['Shift+A', 'not just Shift'],
		['Shift+1', 'not just Shift'],
		['Ctrl+Shift+Esc', 'reserved'],
	])('refuses %j, saying it %s', (accelerator, words) => {
		expect(checkAccelerator(accelerator)).toContain(words);
	});

	it.each([
		'CommandOrControl+Q',
		'Ctrl+Q',
		'Cmd+q',
		'CmdOrCtrl+W',
		'Control+C',
		'Command+V',
		'Ctrl+X',
		'Ctrl+Z',
		'Ctrl+A',
		'Alt+F4',
		'Option+F4',
		'Alt+Tab',
		'Ctrl+Tab',
	])('refuses %s, which the system or every app already uses', (accelerator) => {
		expect(checkAccelerator(accelerator)).toBe(
			`${accelerator} is reserved by the system or by other apps.`,
		);
	});
});

describe('normalise', () => {
	it.each([
		['Cmd+Shift+A', 'shift+CommandOrControl+a'],
		['CmdOrCtrl+Shift+A', 'Shift+Ctrl+A'],
		['Control+Alt+K', 'Option+Command+k'],
		['Meta+Up', 'Super+up'],
		['Ctrl+Ctrl+Shift+M', 'Shift+Control+M'],
		[' Ctrl + Shift + M ', 'Ctrl+Shift+M'],
	])('takes %s and %s for the same shortcut', (a, b) => {
		expect(normalise(a)).toBe(normalise(b));
	});

	it('sorts modifiers and keeps the key last, in lower case', () => {
		expect(normalise('Shift+Cmd+Alt+A')).toBe('alt+commandorcontrol+shift+a');
	});

	it.each([
		['Ctrl+Shift+A', 'Ctrl+Shift+B'],
		['Ctrl+Shift+A', 'Ctrl+Alt+A'],
		['Alt+A', 'AltGr+A'],
		['Super+A', 'Ctrl+A'],
	])('tells %s from %s', (a, b) => {
		expect(normalise(a)).not.toBe(normalise(b));
	});
});

describe('shortcutProblems', () => {
	it('allows shortcuts that are turned off (null), however many', () => {
		expect(shortcutProblems({ answer: null, hangup: null, mute: null })).toStrictEqual([]);
	});

	it('reports each invalid shortcut against its action', () => {
		expect(shortcutProblems({ answer: 'A', hangup: 'Ctrl+Shift+E', mute: 'Alt+F4' })).toStrictEqual(
			[
				{ action: 'answer', message: expect.stringContaining('modifier') },
				{ action: 'mute', message: 'Alt+F4 is reserved by the system or by other apps.' },
			],
		);
	});

	it('reports a shortcut given twice (aliases included) on the later action', () => {
		expect(
			shortcutProblems({ answer: 'Ctrl+Shift+A', hangup: 'Shift+Cmd+a', mute: 'Ctrl+Shift+M' }),
		).toStrictEqual([
			{ action: 'hangup', message: 'Shift+Cmd+a is already the shortcut to answer.' },
		]);
		expect(
			shortcutProblems({ answer: 'Alt+F1', hangup: 'Alt+F1', mute: 'alt+f1' }).map((p) => p.action),
		).toStrictEqual(['hangup', 'mute']);
	});

	it('reports the clash on the action that comes later in the order it is given', () => {
		const shortcuts: Shortcuts = { answer: 'Alt+F1', hangup: null, mute: 'Alt+F1' };
		expect(shortcutProblems(shortcuts, ['mute', 'hangup', 'answer'])).toStrictEqual([
			{ action: 'answer', message: 'Alt+F1 is already the shortcut to mute.' },
		]);
	});

	it('does not count an invalid shortcut as taken', () => {
		expect(
			shortcutProblems({ answer: 'Ctrl+Q', hangup: 'Ctrl+Q', mute: null }).map((p) => p.message),
		).toStrictEqual([
			'Ctrl+Q is reserved by the system or by other apps.',
			'Ctrl+Q is reserved by the system or by other apps.',
		]);
	});
});

/** A `globalShortcut` that accepts what `accept` allows, and presses a registered combination. */
function fakeGlobalShortcut(accept: (accelerator: string) => boolean = () => true) {
	const callbacks = new Map<string, () => void>();
	const register = vi.fn((accelerator: string, callback: () => void) => {
		if (!accept(accelerator)) return false;
		callbacks.set(accelerator, callback);
		return true;
	});
	return { register, press: (accelerator: string) => callbacks.get(accelerator)?.() };
}

describe('registerShortcuts', () => {
	it('registers every valid shortcut, each pressing its action, and reports nothing when all succeed', () => {
		const shortcut = fakeGlobalShortcut();
		const pressed: ShortcutAction[] = [];
		expect(registerShortcuts(DEFAULT_SHORTCUTS, shortcut, (a) => pressed.push(a))).toStrictEqual(
			[],
		);
		expect(shortcut.register.mock.calls.map(([accelerator]) => accelerator)).toStrictEqual([
			'CommandOrControl+Shift+A',
			'CommandOrControl+Shift+E',
			'CommandOrControl+Shift+M',
		]);
		shortcut.press('CommandOrControl+Shift+M');
		shortcut.press('CommandOrControl+Shift+A');
		expect(pressed).toStrictEqual(['mute', 'answer']);
	});

	it('reports the ones another application already holds, and still registers the rest', () => {
		const shortcut = fakeGlobalShortcut(
			(accelerator) => accelerator !== 'CommandOrControl+Shift+E',
		);
		expect(registerShortcuts(DEFAULT_SHORTCUTS, shortcut, () => {})).toStrictEqual([
			{
				action: 'hangup',
				message:
					'CommandOrControl+Shift+E is already used by another application; choose another shortcut.',
			},
		]);
		expect(shortcut.register).toHaveBeenCalledTimes(3);
	});

	it('never tries to register a shortcut that is off, invalid or a duplicate, and reports those', () => {
		const shortcut = fakeGlobalShortcut();
		const problems = registerShortcuts(
			{ answer: 'Ctrl+Alt+A', hangup: 'ctrl+alt+a', mute: null },
			shortcut,
			() => {},
		);
		expect(shortcut.register.mock.calls.map(([accelerator]) => accelerator)).toStrictEqual([
			'Ctrl+Alt+A',
		]);
		expect(problems).toStrictEqual([
			{ action: 'hangup', message: 'ctrl+alt+a is already the shortcut to answer.' },
		]);

		shortcut.register.mockClear();
		expect(
			registerShortcuts({ answer: 'Ctrl+W', hangup: null, mute: 'Shift' }, shortcut, () => {}).map(
				(p) => p.action,
			),
		).toStrictEqual(['answer', 'mute']);
		expect(shortcut.register).not.toHaveBeenCalled();
	});

	it('reports every shortcut when another application holds them all', () => {
		const problems = registerShortcuts(
			DEFAULT_SHORTCUTS,
			fakeGlobalShortcut(() => false),
			() => {},
		);
		expect(problems.map((p) => p.action)).toStrictEqual(['answer', 'hangup', 'mute']);
		for (const problem of problems) expect(problem.message).toContain('another application');
	});
});

describe('shortcutFeatures', () => {
	it('asks Chromium for the GlobalShortcuts portal on Linux only (Wayland shortcuts need it)', () => {
		expect(shortcutFeatures('linux')).toStrictEqual(['GlobalShortcutsPortal']);
		expect(shortcutFeatures('darwin')).toStrictEqual([]);
		expect(shortcutFeatures('win32')).toStrictEqual([]);
	});
});

describe('shortcutCommand', () => {
	it('maps each shortcut to its phone command (Mute toggles)', () => {
		expect(shortcutCommand('answer')).toBe('answer');
		expect(shortcutCommand('hangup')).toBe('hangup');
		expect(shortcutCommand('mute')).toBe('toggleMute');
	});
});

describe('withFeatures', () => {
	it('adds the features to those given on the command line, keeping theirs', () => {
		expect(withFeatures('', ['GlobalShortcutsPortal'])).toBe('GlobalShortcutsPortal');
		expect(withFeatures('WaylandWindowDecorations', ['GlobalShortcutsPortal'])).toBe(
			'WaylandWindowDecorations,GlobalShortcutsPortal',
		);
		expect(withFeatures('GlobalShortcutsPortal', ['GlobalShortcutsPortal'])).toBe(
			'GlobalShortcutsPortal',
		);
		expect(withFeatures('A', [])).toBe('A');
	});
});
