/**
 * Text from outside the app — a caller's display name (any SIP caller picks their own), a recent call's
 * label, another installation's name, the clipboard — made safe for the desktop surfaces that show it: OS
 * notifications, the tray tooltip and tray menu labels. Pure; one function per surface, so each decision
 * lives here once.
 *
 * Every surface first gets `plainText`: it removes what a caller could use to make text lie about itself
 * or break the surface, and bounds its length.
 * - Control characters (Unicode Cc: C0, DEL, C1) and format characters (Cf): the bidi embeddings,
 *   overrides and isolates (U+202A–U+202E, U+2066–U+2069), the marks U+200E, U+200F and U+061C — with
 *   U+202E, "\u202Emoc.live" is displayed as "evil.com" — zero-width spaces and joiners, soft hyphens,
 *   the BOM and tag characters. Also the rest of Unicode's Default_Ignorable_Code_Point set (the Hangul
 *   fillers, variation selectors…), which draw nothing: a name made only of them would otherwise show as
 *   a blank notification instead of "Unknown caller". Lone surrogates and noncharacters go too: they are
 *   not text. (On Windows Electron builds each toast as an XML document, and XML 1.0 has no way to carry
 *   C0 controls, lone surrogates, U+FFFE or U+FFFF: a name with one could keep the toast from showing.)
 *   The cost: emoji sequences joined by U+200D fall apart into their parts, and the scripts that use
 *   U+200C/U+200D to choose a letter's joined form lose that detail — still readable.
 * - Line breaks and tabs become spaces, runs of white space one space: each surface is one line, and a
 *   caller must not push a fake second line ("line\nYour bank: call +1…") into it.
 * - NFC normalisation. It never changes what is drawn (NFC only swaps canonically equivalent sequences,
 *   e.g. "e" + U+0301 for "é"), so it cannot hurt; it makes the length bound count what a person sees
 *   as one letter closer to one unit. Compatibility forms (NFKC) are not used: they change what is drawn
 *   ("ﬁ" → "fi", full-width → ASCII). Lookalike letters from other scripts are out of scope here.
 * - A length bound, cut between grapheme clusters (never inside "é" or a flag) and ended with "…":
 *   a 10 000-character name would otherwise fill the screen. The bound counts UTF-16 code units, as
 *   Windows does for the tray tooltip.
 *
 * Then, per surface:
 * - Notifications (`notificationText`). On Linux (and the BSDs) Electron hands the title and body to
 *   libnotify unchanged, and the Desktop Notifications Specification ("Markup") lets the server render
 *   the body as markup: <b>, <i>, <u>, <a href> and <img>. So `&`, `<` and `>` in caller text are escaped
 *   there, or `<a href="https://evil.example">Your bank</a>` becomes a link. The summary (title) is not
 *   markup in that specification, and servers show it literally (dunst substitutes it with markup
 *   disabled; GNOME Shell escapes it), so escaping it would show "&amp;" — which is why titles carry no
 *   caller text at all. On macOS (Notification Center strings) and Windows (Electron writes toast XML
 *   with an XML writer that escapes text itself) text is shown literally, so nothing is escaped there:
 *   "Tom & Jerry" would read "Tom &amp; Jerry". A Linux server that does not announce the body-markup
 *   capability shows the escapes literally too; that cosmetic cost is taken over letting markup through.
 * - Menu labels (`menuLabel`). Electron treats `&` in a label as the mnemonic marker and `&&` as a
 *   literal ampersand on every platform, not only Windows: on macOS Electron's menu controller passes
 *   every label through Chromium's FixUpWindowsStyleLabel, and on Linux Chromium's D-Bus menu (the tray
 *   menu) converts labels with ConvertAcceleratorsFromWindowsStyle, which also escapes `_` by itself.
 *   Electron's issues #9584 and #9978 (a macOS report) say the same. So `&` is doubled everywhere, and
 *   the function needs no platform. Menus do not render markup.
 * - The tooltip (`tooltipText`). Plain text on every platform: on Linux Chromium puts it in the title
 *   of the StatusNotifierItem ToolTip, and that specification allows markup only in the tooltip's sub
 *   text, which stays empty. Windows keeps at most 127 UTF-16 units of it (NOTIFYICONDATA's szTip) and
 *   cuts the rest mid-word, so the bound is that.
 */

/** Longest notification body text shown, before escaping: two lines or so of any notification. */
export const NOTIFICATION_TEXT_MAX = 120;
/** Longest menu label text shown: a menu is as wide as its widest label. */
export const MENU_LABEL_MAX = 64;
/** Windows shows at most this much of a tray tooltip (szTip holds 128 UTF-16 units with the NUL). */
export const TOOLTIP_MAX = 127;

export const UNKNOWN_CALLER = 'Unknown caller';

const ELLIPSIS = '…';

/** Breaks and tabs: turned into spaces before the controls among them are removed. */
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
/** Draws nothing, or controls how other text is drawn, or is not text at all. */
const INVISIBLE =
	/[\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]/gu;
const WHITE_SPACE = /\s+/g;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * One line of plain text, at most `maxLength` UTF-16 code units (an ellipsis included), with no control,
 * format or invisible characters; '' when nothing visible is left.
 */
export function plainText(value: string, maxLength: number): string {
	const text = value
		.replace(LINE_BREAKS, ' ')
		.replace(INVISIBLE, '')
		.normalize('NFC')
		.replace(WHITE_SPACE, ' ')
		.trim();
	return bound(text, maxLength);
}

function bound(text: string, maxLength: number): string {
	if (text.length <= maxLength) return text;
	if (maxLength <= ELLIPSIS.length) return ELLIPSIS.slice(0, Math.max(0, maxLength));
	const room = maxLength - ELLIPSIS.length;
	let kept = '';
	for (const { segment } of graphemes.segment(text)) {
		if (kept.length + segment.length > room) {
			// One cluster longer than the whole room (a letter under hundreds of combining marks): keep what
			// fits of it by code point rather than show nothing.
			if (kept === '') kept = codePointsWithin(segment, room);
			break;
		}
		kept += segment;
	}
	return `${kept.trimEnd()}${ELLIPSIS}`;
}

function codePointsWithin(text: string, room: number): string {
	let kept = '';
	for (const codePoint of text) {
		if (kept.length + codePoint.length > room) break;
		kept += codePoint;
	}
	return kept;
}

/** The first value with something visible in it, else `fallback`: a name, else a number, else words. */
export function firstVisible(values: readonly string[], fallback: string): string {
	return values.find((value) => plainText(value, Number.MAX_SAFE_INTEGER) !== '') ?? fallback;
}

/** Whether notification text is read as markup: the freedesktop (libnotify) platforms. */
export function notificationsUseMarkup(platform: string): boolean {
	return platform !== 'darwin' && platform !== 'win32';
}

/** Text for a notification body: plain, bounded, and escaped where the body is markup. */
export function notificationText(value: string, platform: string): string {
	const text = plainText(value, NOTIFICATION_TEXT_MAX);
	return notificationsUseMarkup(platform) ? escapeMarkup(text) : text;
}

function escapeMarkup(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text for a tray menu label: plain, bounded, and with `&` shown as `&` rather than as a mnemonic. */
export function menuLabel(value: string, maxLength: number = MENU_LABEL_MAX): string {
	return plainText(value, maxLength).replace(/&/g, '&&');
}

/** Text for the tray tooltip: plain, and within what Windows keeps. */
export function tooltipText(value: string): string {
	return plainText(value, TOOLTIP_MAX);
}
