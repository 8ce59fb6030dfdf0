import { describe, expect, it, vi } from 'vitest';
import { createSenderCheck, isAppUrl } from '../../../main/sender-check';
import { APP_URL, MAIN_WEB_CONTENTS_ID, detachedEvent, fakeEvent } from '../../support/fake-ipc';

function appCheck(appUrl = APP_URL) {
	return createSenderCheck({ appUrl, isAppWebContents: (id) => id === MAIN_WEB_CONTENTS_ID });
}

describe('createSenderCheck (E17)', () => {
	it('accepts the top frame of the main window showing app://softphone/index.html', () => {
		expect(appCheck()(fakeEvent({ url: 'app://softphone/index.html' }))).toBe(true);
	});

	it.each([
		'app://softphone/',
		'app://softphone/index.html#/settings',
		'app://softphone/other.html?x=1',
	])('accepts another page of the app origin: %s', (url) => {
		expect(appCheck()(fakeEvent({ url }))).toBe(true);
	});

	it('refuses an event whose sender frame is null (navigated away or destroyed)', () => {
		const isAppWebContents = vi.fn(() => true);
		const check = createSenderCheck({ appUrl: APP_URL, isAppWebContents });
		expect(check(detachedEvent())).toBe(false);
	});

	it.each([
		['a look-alike host', 'app://softphone.evil/'],
		['a host with the app host as user name', 'app://evil@softphone/'],
		['user name and password', 'app://evil:secret@softphone/index.html'],
		['a password only', 'app://:secret@softphone/index.html'],
		['an upper-case host (host case is kept for custom schemes)', 'app://SOFTPHONE/'],
		['an upper-case host on the app path', 'app://SOFTPHONE/index.html'],
		['a port on the app host', 'app://softphone:8080/index.html'],
		['no host', 'app:///index.html'],
		['an opaque app URL', 'app:softphone/index.html'],
		['a web origin', 'https://evil/'],
		['a web origin named like the app', 'https://softphone/index.html'],
		['a file URL', 'file:///etc/passwd'],
		['about:blank', 'about:blank'],
		['a data URL', 'data:text/html,<script>1</script>'],
		['an empty URL', ''],
		['not a URL at all', 'softphone/index.html'],
	])('refuses %s: %s', (_what, url) => {
		expect(appCheck()(fakeEvent({ url }))).toBe(false);
	});

	it('refuses a subframe even when it shows the app URL', () => {
		expect(appCheck()(fakeEvent({ url: APP_URL, parent: { url: APP_URL } }))).toBe(false);
	});

	it('refuses a frame whose parent is undefined rather than null (fails closed)', () => {
		expect(appCheck()(fakeEvent({ url: APP_URL, parent: undefined }))).toBe(false);
	});

	it('refuses a webContents that is not one of the app windows, even on the app URL', () => {
		const isAppWebContents = vi.fn((id: number) => id === MAIN_WEB_CONTENTS_ID);
		const check = createSenderCheck({ appUrl: APP_URL, isAppWebContents });
		expect(check(fakeEvent({ url: APP_URL, senderId: 42 }))).toBe(false);
		expect(isAppWebContents).toHaveBeenCalledWith(42);
	});

	it('asks about the sender of each event (an id once trusted is not remembered)', () => {
		let trusted = true;
		const check = createSenderCheck({ appUrl: APP_URL, isAppWebContents: () => trusted });
		expect(check(fakeEvent())).toBe(true);
		trusted = false;
		expect(check(fakeEvent())).toBe(false);
	});

	describe('with the test harness app URL http://127.0.0.1:PORT', () => {
		const harness = 'http://127.0.0.1:5173/index.html';

		it.each([
			'http://127.0.0.1:5173/',
			'http://127.0.0.1:5173/index.html',
			'http://127.0.0.1:5173/a/b?c#d',
		])('accepts %s', (url) => {
			expect(appCheck(harness)(fakeEvent({ url }))).toBe(true);
		});

		it.each([
			'http://127.0.0.1:5174/index.html',
			'http://127.0.0.1/index.html',
			'http://127.0.0.1:80/index.html',
			'https://127.0.0.1:5173/index.html',
			'ws://127.0.0.1:5173/',
			'http://localhost:5173/index.html',
			'http://[::1]:5173/index.html',
			'http://127.0.0.2:5173/index.html',
			'http://user@127.0.0.1:5173/index.html',
			'app://softphone/index.html',
		])('refuses %s', (url) => {
			expect(appCheck(harness)(fakeEvent({ url }))).toBe(false);
		});
	});
});

describe('isAppUrl', () => {
	it('does not fall into the "null" origin trap: two different app: hosts differ', () => {
		// Both origins are the string "null"; an origin comparison would call them equal.
		expect(new URL('app://other/').origin).toBe(new URL(APP_URL).origin);
		expect(isAppUrl('app://other/', APP_URL)).toBe(false);
	});

	it('fails closed when the configured app URL itself is not a URL', () => {
		expect(isAppUrl(APP_URL, 'not a url')).toBe(false);
	});
});
