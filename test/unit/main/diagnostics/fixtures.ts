/** Sources for a support bundle, with something of every kind the bundle must hide or keep. */
import type { AppInfo, CallHistoryEntry, SetupReport } from '../../../../preload/contract';
import type { BundleSources } from '../../../../main/diagnostics/bundle-contents';
import { TELNYX_PRODUCTION } from '../../../../main/endpoints';
import { defaultSettings } from '../../../../main/settings/settings-file';

/** The files of a whole bundle, in the order it holds them. */
export const PARTS = [
	'README.txt',
	'logs/main.log',
	'logs/main.1.log',
	'versions.json',
	'settings.json',
	'calls.json',
	'setup-test.json',
];

export const API_KEY = 'KEY0123456789ABCDEFGHIJKLMNOP_abcdefghij';
/** A secret the vault holds that has no shape the patterns know: only the list of secrets finds it. */
export const PLAIN_SECRET = 'correct horse battery staple';
export const JWT =
	'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJnZW5jcmVkYWJjIiwiZXhwIjoxNzY1MTM0MDAwfQ.c2lnbmF0dXJlLXBhcnQtaGVyZQ';
export const CALLER_ID = '+13125550142';

export const appInfo: AppInfo = {
	name: 'Telnyx Softphone',
	version: '0.1.0',
	platform: 'linux',
	profile: 'production',
	endpoints: TELNYX_PRODUCTION,
	versions: { electron: '45.6.1', chromium: '140.0.7339.133', node: '22.19.0' },
};

export function historyEntry(
	n: number,
	overrides: Partial<CallHistoryEntry> = {},
): CallHistoryEntry {
	return {
		id: `call-${n}`,
		direction: 'outbound',
		remote: '+442079460958',
		remoteName: 'Ada Lovelace',
		video: false,
		startedAt: new Date(Date.UTC(2026, 11, 7, 18, 30) - n * 60_000).toISOString(),
		durationSeconds: 61,
		answered: true,
		endReason: 'hangup-remote',
		endMessage: 'The other side hung up.',
		cause: 'NORMAL_CLEARING',
		sipCode: 200,
		telnyxIds: {
			callControlId: `v3:control-${n}`,
			sessionId: '0a1b2c3d-0000-4000-8000-000000000001',
			legId: '12345678-1234-4234-8234-123456789012',
		},
		quality: {
			samples: 30,
			mosAverage: 4.3,
			mosWorst: 3.9,
			packetLossPercentAverage: 0.2,
			packetLossPercentWorst: 1.5,
			jitterMsAverage: 4.2,
			rttMsAverage: 38,
		},
		...overrides,
	};
}

export const setupReport: SetupReport = {
	finishedAt: '2026-12-07T18:20:00.000Z',
	checks: [
		{
			id: 'microphone',
			verdict: 'good',
			summary: 'Your microphone works.',
			advice: null,
			figures: { microphonePeak: 0.62, label: 'Built-in microphone' },
		},
		{
			id: 'call',
			verdict: 'poor',
			summary: 'The test call to +13125550142 sounded poor.',
			advice: 'Move closer to your Wi-Fi router.',
			figures: { mos: 2.9, relayCandidates: 0 },
		},
	],
};

/** Log lines as the app writes them, with secrets and numbers that must not leave the computer. */
export const LOG_LINES = [
	JSON.stringify({ time: '2026-12-07T18:00:00.000Z', level: 'info', event: 'app.started' }),
	JSON.stringify({
		time: '2026-12-07T18:01:00.000Z',
		level: 'info',
		event: 'call.ended',
		remote: 'sip:13125550142@sip.telnyx.com',
		callerId: CALLER_ID,
	}),
	JSON.stringify({
		time: '2026-12-07T18:02:00.000Z',
		level: 'warn',
		event: 'telnyx.failed',
		body: JSON.stringify({ sip_password: 'hunter2hunter2', login_token: JWT }),
	}),
].join('\n');

export function sources(overrides: Partial<BundleSources> = {}): BundleSources {
	return {
		createdAt: new Date(2026, 11, 7, 18, 30),
		app: appInfo,
		sdkVersion: '2.27.10',
		os: { platform: 'linux', release: '6.8.0-49-generic', arch: 'x64' },
		settings: {
			...defaultSettings('6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b'),
			callerId: { name: 'Desk', number: CALLER_ID },
		},
		history: Array.from({ length: 25 }, (_, n) => historyEntry(n)),
		setupReport,
		logs: {
			files: [
				{ name: 'main.log', text: `${LOG_LINES}\n` },
				{ name: 'main.1.log', text: `${JSON.stringify({ event: 'older', apiKey: API_KEY })}\n` },
			],
			notes: [],
		},
		...overrides,
	};
}
