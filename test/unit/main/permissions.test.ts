import { describe, expect, it } from 'vitest';
import {
	decidePermission,
	type PermissionPolicy,
	type PermissionQuery,
} from '../../../main/permissions';
import { APP_URL } from '../../support/fake-ipc';
import { seeded } from '../../support/random';

const withCamera: PermissionPolicy = { appUrl: APP_URL, allowCamera: true };
const noCamera: PermissionPolicy = { appUrl: APP_URL, allowCamera: false };

function query(overrides: Partial<PermissionQuery> = {}): PermissionQuery {
	return {
		permission: 'media',
		requestingUrl: APP_URL,
		isMainFrame: true,
		mediaTypes: ['audio'],
		...overrides,
	};
}

describe('decidePermission (E5)', () => {
	it('grants the microphone to the app page, with or without the camera setting', () => {
		expect(decidePermission(query(), withCamera)).toBe(true);
		expect(decidePermission(query(), noCamera)).toBe(true);
	});

	it('grants audio and video only when the camera is enabled', () => {
		expect(decidePermission(query({ mediaTypes: ['audio', 'video'] }), withCamera)).toBe(true);
		expect(decidePermission(query({ mediaTypes: ['audio', 'video'] }), noCamera)).toBe(false);
		expect(decidePermission(query({ mediaTypes: ['video'] }), withCamera)).toBe(true);
		expect(decidePermission(query({ mediaTypes: ['video'] }), noCamera)).toBe(false);
	});

	it('answers the check handler, which passes an origin and one media kind', () => {
		expect(
			decidePermission(
				query({ requestingUrl: 'app://softphone', mediaTypes: ['audio'] }),
				noCamera,
			),
		).toBe(true);
		expect(
			decidePermission(
				query({ requestingUrl: 'app://softphone', mediaTypes: ['unknown'] }),
				withCamera,
			),
		).toBe(false);
	});

	it.each([
		'geolocation',
		'notifications',
		'clipboard-read',
		'clipboard-sanitized-write',
		'display-capture',
		'midi',
		'midiSysex',
		'openExternal',
		'hid',
		'serial',
		'usb',
		'automatic-fullscreen',
		'Fullscreen',
		'fullscreen ',
		'pointerLock',
		'keyboardLock',
		'idle-detection',
		'storage-access',
		'window-management',
		'fileSystem',
		'mediaKeySystem',
		'speaker-selection',
		'unknown',
		'',
		'MEDIA',
		'media ',
	])('denies %j even to the app page', (permission) => {
		expect(decidePermission(query({ permission }), withCamera)).toBe(false);
		expect(decidePermission(query({ permission, mediaTypes: [] }), withCamera)).toBe(false);
	});

	it('grants full screen (the video area, Fullscreen API) to the app page, camera setting or not', () => {
		expect(decidePermission(query({ permission: 'fullscreen', mediaTypes: [] }), withCamera)).toBe(
			true,
		);
		expect(decidePermission(query({ permission: 'fullscreen', mediaTypes: [] }), noCamera)).toBe(
			true,
		);
		// The check handler passes the origin rather than the page's URL.
		expect(
			decidePermission(
				query({ permission: 'fullscreen', requestingUrl: 'app://softphone', mediaTypes: [] }),
				noCamera,
			),
		).toBe(true);
	});

	it('denies full screen to a subframe of the app page and to every other page', () => {
		const fullscreen = query({ permission: 'fullscreen', mediaTypes: [] });
		expect(decidePermission({ ...fullscreen, isMainFrame: false }, withCamera)).toBe(false);
		for (const requestingUrl of [
			'https://evil/',
			'file:///index.html',
			'app://softphone.evil/',
			'about:blank',
			'',
		]) {
			expect(decidePermission({ ...fullscreen, requestingUrl }, withCamera), requestingUrl).toBe(
				false,
			);
		}
	});

	it('denies a media request from a subframe of the app page', () => {
		expect(decidePermission(query({ isMainFrame: false }), withCamera)).toBe(false);
	});

	it.each([
		'https://evil',
		'https://evil/',
		'file:///',
		'file:///index.html',
		'app://softphone.evil/',
		'app://evil@softphone/',
		'app://SOFTPHONE/index.html',
		'app://softphone:1/index.html',
		'http://127.0.0.1:5173/index.html',
		'about:blank',
		'null',
		'',
	])('denies media requested by %j', (requestingUrl) => {
		expect(decidePermission(query({ requestingUrl }), withCamera)).toBe(false);
	});

	it.each([
		[[]],
		[['unknown']],
		[['audio', 'unknown']],
		[['screen']],
		[['AUDIO']],
		[['audio', '']],
	])('denies media with media kinds %j', (mediaTypes) => {
		expect(decidePermission(query({ mediaTypes }), withCamera)).toBe(false);
	});

	it('grants a request that repeats a kind it may have', () => {
		expect(decidePermission(query({ mediaTypes: ['audio', 'audio'] }), noCamera)).toBe(true);
	});

	describe('property: never throws, grants only media and full screen to the app page', () => {
		const permissions = [
			'media',
			'media',
			'fullscreen',
			'automatic-fullscreen',
			'geolocation',
			'notifications',
			'openExternal',
			'unknown',
			'',
		];
		const kinds = ['audio', 'audio', 'audio', 'video', 'video', 'unknown', '', 'screen', 'Audio'];

		it('holds over 10000 seeded random queries', () => {
			const random = seeded(0x5eed);
			let granted = 0;
			let deniedMedia = 0;
			let grantedFullscreen = 0;
			let deniedFullscreen = 0;
			for (let i = 0; i < 10_000; i += 1) {
				const permission =
					random.int(4) > 0 ? random.pick(permissions) : random.string(random.int(12));
				// Build the URL so the expected trust is known without calling the code under test.
				let requestingUrl: string;
				let fromApp: boolean;
				switch (random.int(4)) {
					case 0:
						requestingUrl = `app://softphone/${random.string(random.int(20))}`;
						fromApp = true;
						break;
					case 1:
						requestingUrl = 'app://softphone';
						fromApp = true;
						break;
					case 2:
						// A letter first makes it another scheme (or no URL): never the app.
						requestingUrl = `${random.string(1 + random.int(4), 'abcxyzQ')}app://softphone/${random.string(random.int(8))}`;
						fromApp = false;
						break;
					default:
						requestingUrl = `${random.pick(['https://', 'file://', 'app://', 'app://x@', ''])}${random.string(random.int(30))}`;
						fromApp = false;
				}
				const mediaTypes = Array.from({ length: random.int(4) }, () =>
					random.int(8) > 0 ? random.pick(kinds) : random.string(random.int(6)),
				);
				const isMainFrame = random.int(4) > 0;
				const policy = random.bool() ? withCamera : noCamera;
				const q: PermissionQuery = { permission, requestingUrl, isMainFrame, mediaTypes };

				const expected =
					isMainFrame &&
					fromApp &&
					(permission === 'fullscreen' ||
						(permission === 'media' &&
							mediaTypes.length > 0 &&
							mediaTypes.every((k) => k === 'audio' || (k === 'video' && policy.allowCamera))));

				let actual: boolean | undefined;
				expect(() => {
					actual = decidePermission(q, policy);
				}).not.toThrow();
				if (actual !== expected) {
					expect.fail(
						`decidePermission(${JSON.stringify(q)}, ${JSON.stringify(policy)}) = ${String(actual)}`,
					);
				}
				if (actual === true) {
					granted += 1;
					if (permission === 'fullscreen') grantedFullscreen += 1;
				} else if (permission === 'media') deniedMedia += 1;
				else if (permission === 'fullscreen') deniedFullscreen += 1;
			}
			// The loop must exercise both outcomes to mean anything.
			expect(granted).toBeGreaterThan(50);
			expect(deniedMedia).toBeGreaterThan(50);
			expect(grantedFullscreen).toBeGreaterThan(50);
			expect(deniedFullscreen).toBeGreaterThan(50);
		});
	});
});
