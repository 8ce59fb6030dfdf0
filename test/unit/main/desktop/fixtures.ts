/**
 * What the desktop tests report and record: a ringing inbound call as the renderer reports it, and a missed
 * call as history holds it, and the settings store they read, in memory. Each test names the fields it is about (`remote`, `remoteName`, …).
 */
import { TELNYX_PRODUCTION } from '../../../../main/endpoints';
import { SettingsStore } from '../../../../main/settings/settings-file';
import type { CallHistoryEntry, PhoneReport, Settings } from '../../../../preload/contract';
import { memoryFs } from '../../../support/memory-fs';
import { recordingLogger } from '../../../support/recording-logger';

export type Call = NonNullable<PhoneReport['call']>;

/** An inbound call ringing, from `remote` (overrides for the rest). */
export const ringingCall = (remote: string, overrides: Partial<Call> = {}): Call => ({
	id: 'call-1',
	remote,
	remoteName: '',
	phase: 'ringing',
	direction: 'inbound',
	muted: false,
	held: false,
	video: false,
	...overrides,
});

/** An inbound call from `remote` that nobody answered: the caller hung up first. */
export const missedEntry = (
	remote: string,
	overrides: Partial<CallHistoryEntry> = {},
): CallHistoryEntry => ({
	id: 'call-1',
	direction: 'inbound',
	remote,
	remoteName: '',
	video: false,
	startedAt: '2026-01-15T09:30:00.000Z',
	durationSeconds: 0,
	answered: false,
	endReason: 'cancelled',
	endMessage: 'The caller hung up before you answered.',
	...overrides,
});

/** The settings store over an in-memory file system, starting from `defaults`. */
export const settingsInMemory = (defaults: Settings): Promise<SettingsStore> =>
	SettingsStore.load({
		file: '/settings.json',
		fs: memoryFs(),
		defaults,
		migration: { restBaseUrl: TELNYX_PRODUCTION.restBaseUrl },
		logger: recordingLogger(),
	});
