import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { CALLS_IN_BUNDLE } from '../../../../main/diagnostics/bundle-contents';
import { buildSupportBundle, bundleFileName } from '../../../../main/diagnostics/support-bundle';
import { API_KEY, CALLER_ID, JWT, PARTS, PLAIN_SECRET, setupReport, sources } from './fixtures';

/** The zip's files as text, opened with the library that made it. */
function unzip(bytes: Uint8Array): Record<string, string> {
	return Object.fromEntries(
		Object.entries(unzipSync(bytes)).map(([name, data]) => [name, strFromU8(data)]),
	);
}

describe('buildSupportBundle', () => {
	it('zips the README, the logs (newest first), versions, settings, calls and the setup test', () => {
		const bundle = buildSupportBundle(sources(), { secrets: [], includeFullNumbers: false });
		expect(bundle.files).toStrictEqual(PARTS);
		expect(Object.keys(unzip(bundle.bytes))).toStrictEqual(PARTS);
	});

	it('versions.json names the app, Electron, Chromium, Node, the SDK and the OS', () => {
		const files = unzip(
			buildSupportBundle(sources(), { secrets: [], includeFullNumbers: false }).bytes,
		);
		expect(JSON.parse(files['versions.json']!)).toStrictEqual({
			app: { name: 'Telnyx Softphone', version: '0.1.0', profile: 'production' },
			electron: '45.6.1',
			chromium: '140.0.7339.133',
			node: '22.19.0',
			telnyxWebrtcSdk: '2.27.10',
			os: { platform: 'linux', release: '6.8.0-49-generic', arch: 'x64' },
			endpoints: {
				restBaseUrl: 'https://api.telnyx.com/v2',
				signallingUrl: 'wss://rtc.telnyx.com',
			},
		});
	});

	it('calls.json holds the newest 20 calls with Telnyx ids, hangup causes and quality, and no names', () => {
		const input = sources();
		const files = unzip(
			buildSupportBundle(input, { secrets: [], includeFullNumbers: false }).bytes,
		);
		const { calls } = JSON.parse(files['calls.json']!) as { calls: Record<string, unknown>[] };
		expect(calls).toHaveLength(CALLS_IN_BUNDLE);
		expect(calls.map((call) => call['id'])).toStrictEqual(
			input.history.slice(0, CALLS_IN_BUNDLE).map((entry) => entry.id),
		);
		const first = input.history[0]!;
		expect(calls[0]).toStrictEqual({
			id: first.id,
			startedAt: first.startedAt,
			direction: 'outbound',
			remote: '+********0958',
			video: false,
			answered: true,
			durationSeconds: 61,
			endReason: 'hangup-remote',
			cause: 'NORMAL_CLEARING',
			sipCode: 200,
			endMessage: 'The other side hung up.',
			telnyxIds: first.telnyxIds,
			quality: first.quality,
		});
		expect(files['calls.json']).not.toContain('Ada Lovelace');
	});

	it('calls.json says null for what an older entry did not record', () => {
		const { cause: _c, sipCode: _s, telnyxIds: _t, quality: _q, ...old } = sources().history[0]!;
		const files = unzip(
			buildSupportBundle(sources({ history: [old] }), { secrets: [], includeFullNumbers: true })
				.bytes,
		);
		expect(JSON.parse(files['calls.json']!).calls[0]).toMatchObject({
			cause: null,
			sipCode: null,
			telnyxIds: null,
			quality: null,
		});
	});

	it('setup-test.json holds the last report, or says none was run', () => {
		const withReport = unzip(
			buildSupportBundle(sources(), { secrets: [], includeFullNumbers: true }).bytes,
		);
		expect(JSON.parse(withReport['setup-test.json']!)).toStrictEqual(setupReport);
		const without = unzip(
			buildSupportBundle(sources({ setupReport: null }), { secrets: [], includeFullNumbers: true })
				.bytes,
		);
		expect(JSON.parse(without['setup-test.json']!).note).toMatch(/has not been run/);
	});

	it('settings.json holds the settings', () => {
		const input = sources();
		const files = unzip(buildSupportBundle(input, { secrets: [], includeFullNumbers: true }).bytes);
		expect(JSON.parse(files['settings.json']!)).toStrictEqual(input.settings);
	});

	it('redacts every file: no key, token, password or whole number anywhere, last four digits kept', () => {
		const input = sources({
			// A secret in the settings (there is none today, but the bundle must not depend on that).
			settings: {
				...sources().settings,
				devices: { ...sources().settings.devices, cameraId: PLAIN_SECRET },
			},
		});
		const files = unzip(
			buildSupportBundle(input, { secrets: [PLAIN_SECRET], includeFullNumbers: false }).bytes,
		);
		const all = Object.values(files).join('\n');
		for (const secret of [
			API_KEY,
			PLAIN_SECRET,
			'hunter2',
			CALLER_ID,
			'13125550142',
			'442079460958',
		])
			expect(all).not.toContain(secret);
		for (const part of JWT.split('.')) expect(all).not.toContain(part);
		expect(files['logs/main.log']).toContain('sip:*******0142@sip.telnyx.com');
		expect(JSON.parse(files['settings.json']!).callerId.number).toBe('+*******0142');
		expect(files['setup-test.json']).toContain('+*******0142');
		expect(files['logs/main.1.log']).toContain('[redacted]');
	});

	it('keeps numbers whole when asked, and says so in the README', () => {
		const files = unzip(
			buildSupportBundle(sources(), { secrets: [], includeFullNumbers: true }).bytes,
		);
		expect(JSON.parse(files['settings.json']!).callerId.number).toBe(CALLER_ID);
		expect(files['README.txt']).toMatch(/kept whole/);
		expect(files['logs/main.log']).not.toContain('hunter2');
	});

	it('the README lists the parts and what was taken out, and notes what could not be read', () => {
		const files = unzip(
			buildSupportBundle(
				sources({
					logs: {
						files: [{ name: 'main.log', text: '' }],
						notes: ['main.2.log could not be read (EACCES).'],
					},
				}),
				{ secrets: [], includeFullNumbers: false },
			).bytes,
		);
		const readme = files['README.txt']!;
		for (const part of [
			'logs/main.log',
			'versions.json',
			'settings.json',
			'calls.json',
			'setup-test.json',
		])
			expect(readme).toContain(part);
		expect(readme).toContain('main.2.log could not be read (EACCES).');
		expect(readme).toMatch(/API key, login tokens and any password/);
		expect(readme).toMatch(/last four digits/);
	});

	it('with no log files, still has every other part', () => {
		const files = unzip(
			buildSupportBundle(
				sources({ logs: { files: [], notes: ['This app run keeps no log files.'] } }),
				{ secrets: [], includeFullNumbers: false },
			).bytes,
		);
		expect(Object.keys(files)).toStrictEqual(PARTS.filter((part) => !part.startsWith('logs/')));
		expect(files['README.txt']).toContain('This app run keeps no log files.');
	});

	it('survives a clock outside the years a zip can hold', () => {
		const bundle = buildSupportBundle(sources({ createdAt: new Date(0) }), {
			secrets: [],
			includeFullNumbers: false,
		});
		expect(Object.keys(unzip(bundle.bytes))).toStrictEqual(PARTS);
	});
});

describe('bundleFileName', () => {
	it('names the bundle by the local date and time, with no character a file system refuses', () => {
		expect(bundleFileName(new Date(2026, 11, 7, 18, 30, 59))).toBe(
			'telnyx-softphone-support-2026-12-07T18-30.zip',
		);
		expect(bundleFileName(new Date(2027, 0, 2, 3, 4))).toBe(
			'telnyx-softphone-support-2027-01-02T03-04.zip',
		);
	});
});
