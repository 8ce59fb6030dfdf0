import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { DesktopState, PhoneReport } from '../../../../preload/contract';
import {
	TRAY_ICONS,
	buildTrayTemplate,
	trayLook,
	type TrayActions,
	type TrayMenuInput,
	trayIconFile,
} from '../../../../main/desktop/tray';
import { MENU_LABEL_MAX, TOOLTIP_MAX } from '../../../../main/desktop/display-text';

type Call = NonNullable<PhoneReport['call']>;

const IDLE: DesktopState = {
	connection: 'registered',
	call: null,
	installations: [],
	recent: [],
	doNotDisturb: false,
	missedCalls: 0,
};
const state = (overrides: Partial<DesktopState> = {}): DesktopState => ({ ...IDLE, ...overrides });
const call = (overrides: Partial<Call> = {}): Call => ({
	id: 'call-1',
	remote: '+13125550142',
	remoteName: '',
	phase: 'active',
	direction: 'outbound',
	muted: false,
	held: false,
	video: false,
	...overrides,
});

function recordingActions() {
	const actions = {
		dial: vi.fn<TrayActions['dial']>(),
		openDialer: vi.fn<TrayActions['openDialer']>(),
		openWindow: vi.fn<TrayActions['openWindow']>(),
		toggleMute: vi.fn<TrayActions['toggleMute']>(),
		toggleHold: vi.fn<TrayActions['toggleHold']>(),
		hangup: vi.fn<TrayActions['hangup']>(),
		answer: vi.fn<TrayActions['answer']>(),
		decline: vi.fn<TrayActions['decline']>(),
		setDoNotDisturb: vi.fn<TrayActions['setDoNotDisturb']>(),
		setStartAtLogin: vi.fn<TrayActions['setStartAtLogin']>(),
		testSetup: vi.fn<TrayActions['testSetup']>(),
		saveSupportBundle: vi.fn<TrayActions['saveSupportBundle']>(),
		quit: vi.fn<TrayActions['quit']>(),
	} satisfies TrayActions;
	/** Which actions were called, with their arguments, in order. */
	const called = () =>
		Object.entries(actions).flatMap(([name, fn]) =>
			fn.mock.calls.map((args: unknown[]) => [name, ...args]),
		);
	return { actions, called };
}

function menu(input: Partial<TrayMenuInput> = {}) {
	const { actions, called } = recordingActions();
	const items = buildTrayTemplate(
		{ state: IDLE, clipboard: null, startAtLogin: false, ...input },
		actions,
	);
	return { items, actions, called };
}

/** The menu as lines a person reads: labels, `---` for separators, `[x]`/`[ ]` checkboxes, `(off)`. */
function outline(items: readonly MenuItemConstructorOptions[]): string[] {
	return items.map((item) => {
		if (item.type === 'separator') return '---';
		const box = item.type === 'checkbox' ? (item.checked === true ? '[x] ' : '[ ] ') : '';
		const off = item.enabled === false ? ' (off)' : '';
		const sub = Array.isArray(item.submenu) ? ` > ${item.submenu.length}` : '';
		return `${box}${item.label ?? ''}${off}${sub}`;
	});
}

const item = (items: readonly MenuItemConstructorOptions[], label: string) => {
	const found = items.find((i) => i.label === label);
	if (found === undefined)
		throw new Error(`no menu item "${label}" in ${outline(items).join(' | ')}`);
	return found;
};

/** Clicks an item as Electron would (its click handler with a menu item, window and event). */
function click(entry: MenuItemConstructorOptions): void {
	if (entry.click === undefined) throw new Error(`"${entry.label ?? ''}" has no click handler`);
	(entry.click as () => void)();
}

const submenu = (entry: MenuItemConstructorOptions): MenuItemConstructorOptions[] => {
	if (!Array.isArray(entry.submenu)) throw new Error(`"${entry.label ?? ''}" has no submenu`);
	return entry.submenu;
};

describe('TRAY_ICONS', () => {
	it('names one icon per state the tray shows', () => {
		expect([...TRAY_ICONS].sort()).toStrictEqual(
			['connecting', 'dnd', 'in-call', 'missed', 'offline', 'registered'].sort(),
		);
	});
});

describe('trayLook', () => {
	it.each([
		['registered', 'registered', 'Telnyx Softphone — ready'],
		['connecting', 'connecting', 'Telnyx Softphone — connecting'],
		['reconnecting', 'connecting', 'Telnyx Softphone — reconnecting'],
		['offline', 'offline', 'Telnyx Softphone — offline'],
		['failed', 'offline', 'Telnyx Softphone — not connected'],
		['setup', 'offline', 'Telnyx Softphone — not set up yet'],
	] as const)('shows %s as the %s icon, saying “%s”', (connection, icon, tooltip) => {
		expect(trayLook(state({ connection }))).toStrictEqual({ icon, tooltip });
	});

	it('says do not disturb over the connection, and still says the connection', () => {
		expect(trayLook(state({ doNotDisturb: true }))).toStrictEqual({
			icon: 'dnd',
			tooltip: 'Telnyx Softphone — Do not disturb; ready',
		});
		expect(trayLook(state({ doNotDisturb: true, connection: 'offline' }))).toStrictEqual({
			icon: 'dnd',
			tooltip: 'Telnyx Softphone — Do not disturb; offline',
		});
	});

	it('shows missed calls over do not disturb, counted in words', () => {
		expect(trayLook(state({ missedCalls: 1, doNotDisturb: true }))).toStrictEqual({
			icon: 'missed',
			tooltip: 'Telnyx Softphone — 1 missed call; ready',
		});
		expect(trayLook(state({ missedCalls: 3, connection: 'reconnecting' }))).toStrictEqual({
			icon: 'missed',
			tooltip: 'Telnyx Softphone — 3 missed calls; reconnecting',
		});
	});

	it.each([
		[call({ phase: 'ringing', direction: 'inbound' }), 'Telnyx Softphone — Incoming call'],
		[call({ phase: 'calling' }), 'Telnyx Softphone — In a call'],
		[call(), 'Telnyx Softphone — In a call'],
		[call({ muted: true }), 'Telnyx Softphone — In a call (muted)'],
		[call({ phase: 'held', held: true }), 'Telnyx Softphone — Call on hold'],
		[call({ phase: 'held', held: true, muted: true }), 'Telnyx Softphone — Call on hold (muted)'],
	])('shows a call over everything else: %j says “%s”', (current, tooltip) => {
		const look = trayLook(
			state({ call: current, missedCalls: 2, doNotDisturb: true, connection: 'reconnecting' }),
		);
		expect(look).toStrictEqual({ icon: 'in-call', tooltip });
	});

	it('only ever names icons that exist', () => {
		const looks = [
			...(['setup', 'connecting', 'registered', 'reconnecting', 'offline', 'failed'] as const).map(
				(connection) => trayLook(state({ connection })),
			),
			trayLook(state({ doNotDisturb: true })),
			trayLook(state({ missedCalls: 1 })),
			trayLook(state({ call: call() })),
		];
		for (const look of looks) expect(TRAY_ICONS).toContain(look.icon);
		expect(new Set(looks.map((l) => l.icon)).size).toBe(TRAY_ICONS.length);
	});
});

describe('buildTrayTemplate', () => {
	/** The menu's end while no call is up: do-not-disturb, login, the window, setup test, bundle, quit. */
	const IDLE_TAIL = [
		'---',
		'[ ] Do not disturb',
		'[ ] Start at login',
		'Show window',
		'---',
		'Test my setup…',
		'Save support bundle…',
		'---',
		'Quit',
	];

	it.each([
		{
			title: 'before setup: says so, offers the dialer and the window, and nothing that calls',
			input: { state: state({ connection: 'setup' }) },
			status: 'not set up yet (off)',
		},
		{
			title: 'registered and idle, with nothing to offer: the clipboard item is there but off',
			input: {},
			status: 'ready (off)',
		},
	])('$title', ({ input, status }) => {
		const { items } = menu(input);
		expect(outline(items)).toStrictEqual([
			status,
			'---',
			'Open dialer…',
			'Call number on clipboard (off)',
			...IDLE_TAIL,
		]);
	});

	it('registered and idle, with a number on the clipboard, installations and recent calls', () => {
		const { items, called } = menu({
			clipboard: '+14155552671',
			state: state({
				installations: [{ name: 'Kitchen Laptop' }, { name: 'Office Desk' }],
				recent: [
					{ label: 'Ada (+13125550142)', destination: '+13125550142' },
					{ label: 'sip:bob@example.com', destination: 'sip:bob@example.com' },
				],
			}),
		});
		expect(outline(items)).toStrictEqual([
			'ready (off)',
			'---',
			'Open dialer…',
			'Call +14155552671 (clipboard)',
			'Call installation > 2',
			'Call recent > 2',
			...IDLE_TAIL,
		]);
		expect(outline(submenu(item(items, 'Call installation')))).toStrictEqual([
			'Kitchen Laptop',
			'Office Desk',
		]);
		expect(outline(submenu(item(items, 'Call recent')))).toStrictEqual([
			'Ada (+13125550142)',
			'sip:bob@example.com',
		]);

		click(item(items, 'Call +14155552671 (clipboard)'));
		click(submenu(item(items, 'Call installation'))[1]!);
		click(submenu(item(items, 'Call recent'))[0]!);
		click(submenu(item(items, 'Call recent'))[1]!);
		expect(called()).toStrictEqual([
			['dial', '+14155552671', false],
			['dial', 'Office Desk', false],
			['dial', '+13125550142', false],
			['dial', 'sip:bob@example.com', false],
		]);
	});

	it('offers at most eight installations and eight recent calls', () => {
		const { items } = menu({
			state: state({
				installations: Array.from({ length: 12 }, (_, i) => ({ name: `Device ${i}` })),
				recent: Array.from({ length: 20 }, (_, i) => ({
					label: `#${i}`,
					destination: `+1312555${1000 + i}`,
				})),
			}),
		});
		expect(submenu(item(items, 'Call installation'))).toHaveLength(8);
		expect(submenu(item(items, 'Call recent')).map((i) => i.label)).toStrictEqual([
			'#0',
			'#1',
			'#2',
			'#3',
			'#4',
			'#5',
			'#6',
			'#7',
		]);
	});

	it.each(['setup', 'connecting', 'reconnecting', 'offline', 'failed'] as const)(
		'while %s, turns off everything that would call',
		(connection) => {
			const { items } = menu({
				clipboard: '+14155552671',
				state: state({
					connection,
					installations: [{ name: 'Kitchen Laptop' }],
					recent: [{ label: 'Ada', destination: '+13125550142' }],
				}),
			});
			expect(item(items, 'Call +14155552671 (clipboard)').enabled).toBe(false);
			expect(item(items, 'Call installation').enabled).toBe(false);
			expect(item(items, 'Call recent').enabled).toBe(false);
			// Opening the dialer, the window, DND, login and Quit stay available.
			for (const label of [
				'Open dialer…',
				'Do not disturb',
				'Start at login',
				'Show window',
				'Quit',
			])
				expect(item(items, label).enabled).not.toBe(false);
		},
	);

	it('registered: the items that call are on', () => {
		const { items } = menu({
			clipboard: '+14155552671',
			state: state({
				installations: [{ name: 'Kitchen Laptop' }],
				recent: [{ label: 'Ada', destination: '+13125550142' }],
			}),
		});
		expect(item(items, 'Call +14155552671 (clipboard)').enabled).toBe(true);
		expect(item(items, 'Call installation').enabled).toBe(true);
		expect(item(items, 'Call recent').enabled).toBe(true);
	});

	it('in a call: the remote, mute and hold as checkboxes, and hang up; nothing that dials', () => {
		const { items, called } = menu({
			clipboard: '+14155552671',
			state: state({
				call: call({ remote: 'Ada Lovelace', muted: true }),
				installations: [{ name: 'Kitchen Laptop' }],
				recent: [{ label: 'Ada', destination: '+13125550142' }],
			}),
		});
		expect(outline(items)).toStrictEqual([
			'In a call (muted) (off)',
			'Ada Lovelace (off)',
			'---',
			'[x] Mute',
			'[ ] Hold',
			'Hang up',
			'---',
			'[ ] Do not disturb',
			'[ ] Start at login',
			'Show window',
			'---',
			'Test my setup… (off)',
			'Save support bundle…',
			'---',
			'Quit',
		]);
		click(item(items, 'Mute'));
		click(item(items, 'Hold'));
		click(item(items, 'Hang up'));
		expect(called()).toStrictEqual([['toggleMute'], ['toggleHold'], ['hangup']]);
	});

	it('on hold: Hold is checked', () => {
		const { items } = menu({ state: state({ call: call({ phase: 'held', held: true }) }) });
		expect(item(items, 'Hold').checked).toBe(true);
		expect(item(items, 'Mute').checked).toBe(false);
		expect(outline(items)[0]).toBe('Call on hold (off)');
	});

	it('ringing: Answer and Decline, no in-call controls', () => {
		const { items, called } = menu({
			state: state({
				call: call({ phase: 'ringing', direction: 'inbound', remote: '+442071838750' }),
			}),
		});
		expect(outline(items).slice(0, 5)).toStrictEqual([
			'Incoming call (off)',
			'+442071838750 (off)',
			'---',
			'Answer',
			'Decline',
		]);
		expect(items.find((i) => i.label === 'Mute' || i.label === 'Hang up')).toBeUndefined();
		click(item(items, 'Answer'));
		click(item(items, 'Decline'));
		expect(called()).toStrictEqual([['answer'], ['decline']]);
	});

	it('with do not disturb on: checked, and a click turns it off', () => {
		const { items, called } = menu({ state: state({ doNotDisturb: true }) });
		expect(outline(items)[0]).toBe('Do not disturb; ready (off)');
		const dnd = item(items, 'Do not disturb');
		expect(dnd).toMatchObject({ type: 'checkbox', checked: true });
		click(dnd);
		expect(called()).toStrictEqual([['setDoNotDisturb', false]]);
	});

	it('with do not disturb off: a click turns it on', () => {
		const { items, called } = menu();
		click(item(items, 'Do not disturb'));
		expect(called()).toStrictEqual([['setDoNotDisturb', true]]);
	});

	it('start at login: checked when on, and a click flips it', () => {
		const on = menu({ startAtLogin: true });
		expect(item(on.items, 'Start at login')).toMatchObject({ type: 'checkbox', checked: true });
		click(item(on.items, 'Start at login'));
		expect(on.called()).toStrictEqual([['setStartAtLogin', false]]);

		const off = menu({ startAtLogin: false });
		expect(item(off.items, 'Start at login').checked).toBe(false);
		click(item(off.items, 'Start at login'));
		expect(off.called()).toStrictEqual([['setStartAtLogin', true]]);
	});

	it('opens the dialer, shows the window and quits', () => {
		const { items, called } = menu();
		click(item(items, 'Open dialer…'));
		click(item(items, 'Show window'));
		click(item(items, 'Quit'));
		expect(called()).toStrictEqual([['openDialer'], ['openWindow'], ['quit']]);
	});

	it('offers Test my setup and the support bundle, each calling its own action', () => {
		const { items, called } = menu();
		expect(item(items, 'Test my setup…').enabled).toBe(true);
		click(item(items, 'Test my setup…'));
		click(item(items, 'Save support bundle…'));
		expect(called()).toStrictEqual([['testSetup'], ['saveSupportBundle']]);
	});

	it.each([
		['ringing', call({ phase: 'ringing', direction: 'inbound' })],
		['up', call()],
	])(
		'while a call is %s, Test my setup is off (it needs the devices and a call of its own); the bundle is not',
		(_phase, current) => {
			const { items } = menu({ state: state({ call: current }) });
			expect(item(items, 'Test my setup…').enabled).toBe(false);
			expect(item(items, 'Save support bundle…').enabled).not.toBe(false);
		},
	);

	it('a clipboard item without a number does nothing when clicked', () => {
		const { items, called } = menu();
		click(item(items, 'Call number on clipboard'));
		expect(called()).toStrictEqual([]);
	});

	it('every clickable item calls exactly one action, whatever the state', () => {
		const states: TrayMenuInput[] = [
			{ state: state({ connection: 'setup' }), clipboard: null, startAtLogin: false },
			{
				state: state({
					installations: [{ name: 'A' }],
					recent: [{ label: 'B', destination: '+1312' }],
				}),
				clipboard: '+14155552671',
				startAtLogin: true,
			},
			{ state: state({ call: call() }), clipboard: null, startAtLogin: false },
			{
				state: state({ call: call({ phase: 'ringing', direction: 'inbound' }) }),
				clipboard: null,
				startAtLogin: false,
			},
		];
		for (const input of states) {
			const all = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
				items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? all(i.submenu) : [])]);
			const { actions, called } = recordingActions();
			for (const entry of all(buildTrayTemplate(input, actions))) {
				if (entry.click === undefined || entry.label === 'Call number on clipboard') continue;
				const before = called().length;
				click(entry);
				expect(called().length - before, entry.label).toBe(1);
			}
		}
	});
});

/** Names from outside the app (a caller's display name, the page's lists) and the label each must get. */
const HOSTILE: readonly { readonly name: string; readonly label: string }[] = [
	// Menus render no markup: it shows as the characters it is, and does no harm.
	{
		name: '<a href="https://evil.example">Bank</a>',
		label: '<a href="https://evil.example">Bank</a>',
	},
	{ name: '<b>IT Support</b>', label: '<b>IT Support</b>' },
	// A lone & is Electron's mnemonic marker (it would vanish and underline the J); && shows one &.
	{ name: 'Tom & Jerry', label: 'Tom && Jerry' },
	{ name: '\u202Emoc.live', label: 'moc.live' },
	{ name: 'A\u0000B', label: 'AB' },
	{ name: 'line\nbreak', label: 'line break' },
];
const ONLY_CONTROLS = '\u0000\u202E\u200B\n\t\u0007\uFEFF';
const HUGE = 'A'.repeat(10_000);

describe('buildTrayTemplate with hostile names', () => {
	it.each(HOSTILE)('the caller in a call, $name', ({ name, label }) => {
		for (const phase of ['ringing', 'active'] as const) {
			const { items } = menu({ state: state({ call: call({ phase, remote: name }) }) });
			expect(items[1]?.label).toBe(label);
		}
	});

	it.each(HOSTILE)(
		'an installation named $name; a click still dials the name',
		({ name, label }) => {
			const { items, called } = menu({ state: state({ installations: [{ name }] }) });
			const entries = submenu(item(items, 'Call installation'));
			expect(entries.map((i) => i.label)).toStrictEqual([label]);
			click(entries[0]!);
			expect(called()).toStrictEqual([['dial', name, false]]);
		},
	);

	it.each(HOSTILE)(
		'a recent call labelled $name; a click dials its destination',
		({ name, label }) => {
			const { items, called } = menu({
				state: state({ recent: [{ label: name, destination: '+13125550142' }] }),
			});
			const entries = submenu(item(items, 'Call recent'));
			expect(entries.map((i) => i.label)).toStrictEqual([label]);
			click(entries[0]!);
			expect(called()).toStrictEqual([['dial', '+13125550142', false]]);
		},
	);

	it('a clipboard text with an ampersand or a bidi override', () => {
		expect(menu({ clipboard: 'sip:tom&jerry@example.com' }).items[3]?.label).toBe(
			'Call sip:tom&&jerry@example.com (clipboard)',
		);
		expect(menu({ clipboard: '\u202E+14155552671' }).items[3]?.label).toBe(
			'Call +14155552671 (clipboard)',
		);
	});

	it('bounds 10 000-character names in every label', () => {
		const { items } = menu({
			clipboard: HUGE,
			state: state({
				installations: [{ name: HUGE }],
				recent: [{ label: HUGE, destination: HUGE }],
			}),
		});
		const labels = [
			items[3]!.label!,
			...submenu(item(items, 'Call installation')).map((i) => i.label!),
			...submenu(item(items, 'Call recent')).map((i) => i.label!),
		];
		expect(labels[0]!.length).toBeLessThanOrEqual(MENU_LABEL_MAX);
		expect(labels[0]).toMatch(/^Call A+… \(clipboard\)$/);
		for (const label of labels.slice(1)) {
			expect(label).toHaveLength(MENU_LABEL_MAX);
			expect(label.endsWith('…')).toBe(true);
		}
		const inCall = menu({ state: state({ call: call({ remote: HUGE }) }) });
		expect(inCall.items[1]?.label).toHaveLength(MENU_LABEL_MAX);
	});

	it('names made only of control characters get words instead of an empty label', () => {
		const { items } = menu({
			state: state({
				installations: [{ name: ONLY_CONTROLS }],
				recent: [
					{ label: ONLY_CONTROLS, destination: '+13125550142' },
					{ label: ONLY_CONTROLS, destination: ONLY_CONTROLS },
				],
			}),
		});
		expect(submenu(item(items, 'Call installation')).map((i) => i.label)).toStrictEqual([
			'Unnamed installation',
		]);
		expect(submenu(item(items, 'Call recent')).map((i) => i.label)).toStrictEqual([
			'+13125550142',
			'Unknown caller',
		]);
		const inCall = menu({ state: state({ call: call({ remote: ONLY_CONTROLS }) }) });
		expect(inCall.items[1]?.label).toBe('Unknown caller');
	});

	it('keeps caller text out of the tooltip, which stays within what Windows shows', () => {
		for (const { name } of [...HOSTILE, { name: HUGE }]) {
			const states = [
				state({ call: call({ remote: name, phase: 'ringing', direction: 'inbound' }) }),
				state({ call: call({ remote: name }) }),
				state({ installations: [{ name }], recent: [{ label: name, destination: name }] }),
			];
			for (const current of states) {
				const { tooltip } = trayLook(current);
				expect(tooltip.startsWith('Telnyx Softphone — ')).toBe(true);
				expect(tooltip.length).toBeLessThanOrEqual(TOOLTIP_MAX);
				expect(tooltip).not.toMatch(/[<>&\p{Cc}\p{Cf}]|moc|Jerry|AAAA/u);
			}
		}
	});

	it('no label anywhere keeps a lone & or a control, format or line-break character', () => {
		const all = (items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
			items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? all(i.submenu) : [])]);
		for (const { name } of [...HOSTILE, { name: ONLY_CONTROLS }, { name: '&\u202E&&\r\n&' }]) {
			for (const current of [
				state({ installations: [{ name }], recent: [{ label: name, destination: name }] }),
				state({ call: call({ remote: name }) }),
			]) {
				for (const entry of all(menu({ state: current, clipboard: name }).items)) {
					const label = entry.label ?? '';
					expect(label.replace(/&&/g, ''), label).not.toContain('&');
					expect(label, label).not.toMatch(/[\p{Cc}\p{Cf}]/u);
				}
			}
		}
	});
});

describe('trayIconFile', () => {
	it('uses macOS template images (tinted by the menu bar) and the coloured icons elsewhere', () => {
		expect(trayIconFile('in-call', 'darwin')).toBe('in-callTemplate.png');
		expect(trayIconFile('in-call', 'linux')).toBe('in-call.png');
		expect(trayIconFile('dnd', 'win32')).toBe('dnd.png');
	});
});
