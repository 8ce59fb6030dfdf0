import { describe, expect, it } from 'vitest';
import {
	MENU_LABEL_MAX,
	NOTIFICATION_TEXT_MAX,
	TOOLTIP_MAX,
	UNKNOWN_CALLER,
	firstVisible,
	menuLabel,
	notificationText,
	notificationsUseMarkup,
	plainText,
	tooltipText,
} from '../../../../main/desktop/display-text';

const HUGE = 'A'.repeat(10_000);

/** Every character Unicode calls a control (Cc) or format (Cf) character, and the other invisibles. */
const INVISIBLE =
	/[\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]/u;

describe('plainText', () => {
	it.each([
		['a plain name', 'Ada Lovelace', 'Ada Lovelace'],
		['markup, which plain text keeps as characters', '<b>IT Support</b>', '<b>IT Support</b>'],
		['an ampersand', 'Tom & Jerry', 'Tom & Jerry'],
		['a right-to-left override (would read "evil.com")', '\u202Emoc.live', 'moc.live'],
		['every bidi embedding, override and isolate', 'a\u202A\u202B\u202C\u202D\u202Eb', 'ab'],
		['bidi isolates', '\u2066a\u2067b\u2068c\u2069', 'abc'],
		['bidi marks (LRM, RLM, ALM)', 'a\u200Eb\u200Fc\u061Cd', 'abcd'],
		['a NUL', 'A\u0000B', 'AB'],
		['C0 controls and DEL', '\u0001A\u001B[31mB\u007F', 'A[31mB'],
		['C1 controls', 'A\u0080\u009BB\u009F', 'AB'],
		['zero-width space, joiners and word joiner', 'A\u200BB\u200CC\u200DD\u2060E', 'ABCDE'],
		['a byte order mark', '\uFEFFAda', 'Ada'],
		['a soft hyphen', 'Ada\u00ADLovelace', 'AdaLovelace'],
		['tag characters', 'Ada\u{E0041}\u{E007F}', 'Ada'],
		['a Hangul filler (draws nothing)', 'Ada\u3164', 'Ada'],
		['a lone surrogate', 'A\uD800B', 'AB'],
		['noncharacters', 'A\uFFFEB\uFFFF', 'AB'],
		['a line break, as a space', 'line\nbreak', 'line break'],
		[
			'CR LF, tabs and the Unicode separators, as one space each',
			'a\r\nb\tc\u2028d\u2029e',
			'a b c d e',
		],
		['a NEL (a C1 line break), as a space', 'a\u0085b', 'a b'],
		[
			'runs of white space, as one space, trimmed',
			'  Ada \u00A0\u3000  Lovelace  ',
			'Ada Lovelace',
		],
		['invisibles between spaces, leaving one space', 'Ada \u200B Lovelace', 'Ada Lovelace'],
	])('removes or flattens %s', (_what, input, expected) => {
		expect(plainText(input, 100)).toBe(expected);
	});

	it('is empty for a name made only of control, format and invisible characters', () => {
		expect(plainText('\u0000\u202E\u200B\n\t\uFEFF\u3164 ', 100)).toBe('');
	});

	it('composes to NFC, which changes no drawn letter: a decomposed é is the composed one', () => {
		expect(plainText('Jose\u0301', 100)).toBe('José');
		expect(plainText('Jose\u0301', 100)).toBe(plainText('Jos\u00E9', 100));
		// Compatibility forms are left alone (NFKC would turn the ligature into "fi").
		expect(plainText('\uFB01le', 100)).toBe('\uFB01le');
	});

	it('composes what stripping brought together', () => {
		expect(plainText('e\u200B\u0301', 100)).toBe('\u00E9');
	});

	it('bounds a 10 000-character name, ending it with an ellipsis', () => {
		const text = plainText(HUGE, 50);
		expect(text).toHaveLength(50);
		expect(text).toBe(`${'A'.repeat(49)}…`);
	});

	it('keeps text that fits exactly, and bounds in UTF-16 code units', () => {
		expect(plainText('A'.repeat(50), 50)).toBe('A'.repeat(50));
		expect(plainText('A'.repeat(51), 50)).toHaveLength(50);
	});

	it('never cuts inside a character or a grapheme cluster', () => {
		// Each flag is two surrogate pairs (4 code units); each é is e + a combining accent.
		const flags = plainText('🇫🇷'.repeat(10), 11);
		expect(flags).toBe(`${'🇫🇷'.repeat(2)}…`);
		const accents = plainText('e\u0301'.repeat(20), 6);
		expect(accents).toBe(`${'\u00E9'.repeat(5)}…`);
		const emoji = plainText('😀'.repeat(10), 4);
		expect(emoji).toBe('😀…');
	});

	it('keeps what fits of one huge cluster rather than nothing', () => {
		const zalgo = `a${'\u0301\u0300'.repeat(500)}`;
		const text = plainText(zalgo, 10);
		expect(text.length).toBeLessThanOrEqual(10);
		// NFC composes a + U+0301 into á; the marks after it stay as they are.
		expect(text.startsWith('\u00E1\u0300')).toBe(true);
		expect(text.endsWith('…')).toBe(true);
	});

	it('does not end the cut text in a space before the ellipsis', () => {
		expect(plainText('Ada Lovelace', 5)).toBe('Ada…');
	});

	it('is idempotent: plain text stays as it is', () => {
		for (const input of [
			'\u202Emoc.live',
			HUGE,
			'line\nbreak',
			'Tom & Jerry',
			'e\u0301'.repeat(40),
		]) {
			const once = plainText(input, 30);
			expect(plainText(once, 30)).toBe(once);
		}
	});

	it('leaves nothing invisible in any output, whatever the input', () => {
		// Every code point of the BMP once, in chunks, plus the supplementary planes' format characters.
		for (let start = 0; start < 0x10000; start += 0x400) {
			const chunk = Array.from({ length: 0x400 }, (_, i) => String.fromCharCode(start + i)).join(
				'',
			);
			const text = plainText(chunk, 10_000);
			expect(INVISIBLE.test(text), `U+${start.toString(16)}…`).toBe(false);
			expect(/[\n\r\t]/.test(text)).toBe(false);
		}
		expect(plainText('\u{1D173}\u{E0001}\u{E0020}\u{E01EF}\u{1BCA0}', 100)).toBe('');
	});
});

describe('firstVisible', () => {
	it('picks the first value with something visible in it, else the fallback', () => {
		expect(firstVisible(['Ada', '+13125550142'], UNKNOWN_CALLER)).toBe('Ada');
		expect(firstVisible(['', '+13125550142'], UNKNOWN_CALLER)).toBe('+13125550142');
		expect(firstVisible(['\u202E\u0000', '+13125550142'], UNKNOWN_CALLER)).toBe('+13125550142');
		expect(firstVisible(['\u200B', ' \n '], UNKNOWN_CALLER)).toBe(UNKNOWN_CALLER);
		expect(firstVisible([], UNKNOWN_CALLER)).toBe(UNKNOWN_CALLER);
	});

	it('returns the value itself, for each surface to make plain its own way', () => {
		expect(firstVisible(['Tom & Jerry'], UNKNOWN_CALLER)).toBe('Tom & Jerry');
	});
});

describe('notificationText', () => {
	it('reads notification bodies as markup on Linux and the BSDs only', () => {
		expect(notificationsUseMarkup('linux')).toBe(true);
		expect(notificationsUseMarkup('freebsd')).toBe(true);
		expect(notificationsUseMarkup('openbsd')).toBe(true);
		expect(notificationsUseMarkup('darwin')).toBe(false);
		expect(notificationsUseMarkup('win32')).toBe(false);
	});

	const hostile: readonly (readonly [string, string, string])[] = [
		[
			'<a href="https://evil.example">Bank</a>',
			'&lt;a href="https://evil.example"&gt;Bank&lt;/a&gt;',
			'<a href="https://evil.example">Bank</a>',
		],
		['<b>IT Support</b>', '&lt;b&gt;IT Support&lt;/b&gt;', '<b>IT Support</b>'],
		[
			'<img src="/etc/x.png" alt="x"/>',
			'&lt;img src="/etc/x.png" alt="x"/&gt;',
			'<img src="/etc/x.png" alt="x"/>',
		],
		['Tom & Jerry', 'Tom &amp; Jerry', 'Tom & Jerry'],
		['&lt;b&gt;', '&amp;lt;b&amp;gt;', '&lt;b&gt;'],
		['\u202Emoc.live', 'moc.live', 'moc.live'],
		['A\u0000B', 'AB', 'AB'],
		['line\nbreak', 'line break', 'line break'],
	];

	it.each(hostile)('on Linux, escapes %j as text', (input, linux) => {
		expect(notificationText(input, 'linux')).toBe(linux);
	});

	it.each(['darwin', 'win32'])(
		'on %s, shows every hostile name literally (no escapes)',
		(platform) => {
			for (const [input, , literal] of hostile)
				expect(notificationText(input, platform)).toBe(literal);
		},
	);

	it.each(['linux', 'darwin', 'win32'])('on %s, bounds a 10 000-character name', (platform) => {
		const text = notificationText(HUGE, platform);
		expect(text).toHaveLength(NOTIFICATION_TEXT_MAX);
		expect(text.endsWith('…')).toBe(true);
	});

	it('bounds before escaping, so an escape is never cut in half', () => {
		const text = notificationText('&'.repeat(1000), 'linux');
		expect(text).toBe(`${'&amp;'.repeat(NOTIFICATION_TEXT_MAX - 1)}…`);
	});

	it('on Linux, leaves no markup the server could read, for any input', () => {
		const all = Array.from({ length: 0x3000 }, (_, i) => String.fromCharCode(i)).join('');
		for (let i = 0; i < all.length; i += 100) {
			const text = notificationText(all.slice(i, i + 100), 'linux');
			expect(text).not.toMatch(/[<>]/);
			// Every & starts one of the three escapes.
			expect(text.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
		}
	});
});

describe('menuLabel', () => {
	it('doubles & so Electron shows it instead of taking it for a mnemonic marker', () => {
		expect(menuLabel('Tom & Jerry')).toBe('Tom && Jerry');
		expect(menuLabel('&&&')).toBe('&&&&&&');
		expect(menuLabel('&File')).toBe('&&File');
	});

	it('keeps markup as characters (menus do not render markup) and underscores as they are', () => {
		expect(menuLabel('<b>IT Support</b>')).toBe('<b>IT Support</b>');
		expect(menuLabel('snake_case')).toBe('snake_case');
	});

	it('strips bidi and control characters and flattens line breaks', () => {
		expect(menuLabel('\u202Emoc.live')).toBe('moc.live');
		expect(menuLabel('A\u0000B')).toBe('AB');
		expect(menuLabel('line\nbreak')).toBe('line break');
	});

	it('bounds a 10 000-character name, by default and to a given length', () => {
		expect(menuLabel(HUGE)).toHaveLength(MENU_LABEL_MAX);
		expect(menuLabel(HUGE, 20)).toBe(`${'A'.repeat(19)}…`);
	});

	it('bounds what is shown, then doubles the ampersands in it', () => {
		expect(menuLabel('&'.repeat(100), 5)).toBe(`${'&&'.repeat(4)}…`);
	});
});

describe('tooltipText', () => {
	it('is plain text, bounded to what Windows keeps of a tray tooltip', () => {
		expect(tooltipText('Telnyx Softphone — ready')).toBe('Telnyx Softphone — ready');
		expect(tooltipText(`\u202E${HUGE}`)).toHaveLength(TOOLTIP_MAX);
		expect(TOOLTIP_MAX).toBe(127);
	});

	it('is not escaped: & and < show as they are', () => {
		expect(tooltipText('Tom & Jerry <b>')).toBe('Tom & Jerry <b>');
	});
});
