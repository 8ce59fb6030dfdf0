import { describe, expect, it } from 'vitest';
import { isAllowedNavigation, windowOpenDecision } from '../../../main/navigation';
import { APP_URL } from '../../support/fake-ipc';

describe('isAllowedNavigation (E13)', () => {
	it.each(['app://softphone/index.html', 'app://softphone/', 'app://softphone/index.html#/call'])(
		'allows the app page %s',
		(target) => {
			expect(isAllowedNavigation(target, APP_URL)).toBe(true);
		},
	);

	it.each([
		'https://example.com',
		'http://example.com/',
		'file:///etc/passwd',
		'javascript:alert(1)',
		'data:text/html,x',
		'data:text/html,<script>alert(1)</script>',
		'app://softphone.evil/',
		'app://evil@softphone/',
		'app://evil:pw@softphone/index.html',
		'app://SOFTPHONE/index.html',
		'app://softphone:443/',
		'about:blank',
		'about:srcdoc',
		'blob:app://softphone/1234',
		'chrome://settings',
		'devtools://devtools/bundled/inspector.html',
		'tel:+14155552671',
		'',
	])('blocks %j', (target) => {
		expect(isAllowedNavigation(target, APP_URL)).toBe(false);
	});
});

describe('windowOpenDecision (E14)', () => {
	// What Electron's setWindowOpenHandler passes; the decision ignores it.
	const handler: (details: { url: string; frameName: string }) => { action: 'allow' | 'deny' } =
		windowOpenDecision;

	it.each([
		APP_URL,
		'https://telnyx.com/',
		'https://example.com',
		'javascript:alert(1)',
		'about:blank',
		'',
	])('denies window.open(%j) and offers no window options', (url) => {
		expect(handler({ url, frameName: '_blank' })).toStrictEqual({ action: 'deny' });
	});
});
