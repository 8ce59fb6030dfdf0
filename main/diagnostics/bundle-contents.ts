/**
 * What a support bundle holds, as files of text: the logs, the versions, the settings, the last calls, the
 * last Test my setup report and a README saying what is inside and what was taken out. Pure: main gathers
 * the sources (see ../services.ts) and `support-bundle.ts` redacts every file and zips them.
 */
import type { AppInfo, CallHistoryEntry, Settings, SetupReport } from '../../preload/contract';
import type { BundleLogs } from './bundle-logs';
import { endpointsForSupport } from '../endpoints';

/** How many calls `calls.json` holds (the newest). */
export const CALLS_IN_BUNDLE = 20;

/** The operating system, as Node reports it. */
export interface OsFacts {
	readonly platform: string;
	readonly release: string;
	readonly arch: string;
}

export interface BundleSources {
	readonly createdAt: Date;
	readonly app: AppInfo;
	/** The Telnyx WebRTC SDK the renderer was built with (null when unknown). */
	readonly sdkVersion: string | null;
	readonly os: OsFacts;
	readonly settings: Settings;
	/** Newest first, as the history keeps it. */
	readonly history: readonly CallHistoryEntry[];
	readonly setupReport: SetupReport | null;
	readonly logs: BundleLogs;
}

export interface BundleFile {
	/** The path inside the zip. */
	readonly name: string;
	readonly text: string;
}

export const LOGS_FOLDER_IN_BUNDLE = 'logs';

const json = (value: unknown) => `${JSON.stringify(value, null, '\t')}\n`;

/** One call as a supporter needs it: when, which way, how it ended, Telnyx's ids and how it sounded. */
function callForSupport(entry: CallHistoryEntry) {
	return {
		id: entry.id,
		startedAt: entry.startedAt,
		direction: entry.direction,
		// The other party's number or address (numbers are cut to their last four digits unless asked);
		// their display name is left out: support does not need to know who was called.
		remote: entry.remote,
		video: entry.video,
		answered: entry.answered,
		durationSeconds: entry.durationSeconds,
		endReason: entry.endReason,
		cause: entry.cause ?? null,
		sipCode: entry.sipCode ?? null,
		endMessage: entry.endMessage,
		telnyxIds: entry.telnyxIds ?? null,
		quality: entry.quality ?? null,
	};
}

function readme(
	sources: BundleSources,
	logNames: readonly string[],
	includeFullNumbers: boolean,
): string {
	const { app, createdAt, logs } = sources;
	const logLine = logNames.length === 0 ? `${LOGS_FOLDER_IN_BUNDLE}/ (empty)` : logNames.join(', ');
	const lines = [
		'Telnyx Softphone support bundle',
		'',
		`Made ${createdAt.toISOString()} by ${app.name} ${app.version} (${app.profile} profile).`,
		'It is a file on your computer: nothing was sent anywhere. Attach it to your message to support.',
		'',
		'What is inside',
		`  ${logLine}`,
		"      The app's log (its main process), newest file first.",
		...logs.notes.map((note) => `      ${note}`),
		'  versions.json',
		'      The app, Electron, Chromium, Node and Telnyx WebRTC SDK versions, and the operating system.',
		'  settings.json',
		"      The app's settings.",
		'  calls.json',
		`      The last ${CALLS_IN_BUNDLE} calls: Telnyx's ids for each, how it ended (hangup cause, SIP code)`,
		'      and its call quality.',
		'  setup-test.json',
		'      The result of the last Test my setup.',
		'',
		'What was taken out',
		'  - The API key, login tokens and any password or token: each is replaced by [redacted].',
		includeFullNumbers
			? '  - Phone numbers were kept whole, as you asked.'
			: '  - Phone numbers: only their last four digits are kept (as in +*******0142).',
		'  - The names of the people you called or who called you (calls.json has no display names),',
		'    and your contacts. SIP addresses (sip:name@example.com) are kept: they show where a call went.',
		'',
	];
	return lines.join('\n');
}

/** The bundle's files, before redaction (`support-bundle.ts` redacts every one of them). */
export function bundleFiles(
	sources: BundleSources,
	{ includeFullNumbers }: { readonly includeFullNumbers: boolean },
): BundleFile[] {
	const logs = sources.logs.files.map((file) => ({
		name: `${LOGS_FOLDER_IN_BUNDLE}/${file.name}`,
		text: file.text,
	}));
	const { app } = sources;
	return [
		{
			name: 'README.txt',
			text: readme(
				sources,
				logs.map((file) => file.name),
				includeFullNumbers,
			),
		},
		...logs,
		{
			name: 'versions.json',
			text: json({
				app: { name: app.name, version: app.version, profile: app.profile },
				electron: app.versions.electron,
				chromium: app.versions.chromium,
				node: app.versions.node,
				telnyxWebrtcSdk: sources.sdkVersion,
				os: sources.os,
				endpoints: endpointsForSupport(app.endpoints),
			}),
		},
		{ name: 'settings.json', text: json(sources.settings) },
		{
			name: 'calls.json',
			text: json({
				calls: sources.history.slice(0, CALLS_IN_BUNDLE).map(callForSupport),
			}),
		},
		{
			name: 'setup-test.json',
			text: json(
				sources.setupReport ?? {
					note: 'No Test my setup result is kept on this computer: it has not been run (or its result could not be read back).',
				},
			),
		},
	];
}
