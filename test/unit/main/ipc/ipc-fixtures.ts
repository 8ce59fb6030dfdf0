/**
 * What the register-ipc tests start from: a sample value for each kind of argument and reply, handlers that
 * answer with them (mocks, to count and inspect calls), the guard registered over a fake ipcMain, and a valid
 * argument list for every channel.
 */
import { vi } from 'vitest';
import {
	type AccountResources,
	type AppInfo,
	type DesktopStatus,
	type RendererError,
	type CallHistoryEntry,
	type Contact,
	type ContactDraft,
	type ContactError,
	type ContactImport,
	type MediaAccess,
	type PhoneReport,
	type DialRequest,
	type DialResolution,
	type CallerId,
	type CleanupItem,
	type Installation,
	type IpcReply,
	type KeyError,
	type KeyStatus,
	type LoginToken,
	type MainHandlers,
	type PhoneNumber,
	type ProvisionOptions,
	type Provisioned,
	type Result,
	type Settings,
	type SettingsError,
	type SettingsPatch,
	type SetupReport,
	type SupportBundleOptions,
	type SupportBundleSaved,
	type TelnyxFailure,
} from '../../../../preload/contract';
import { TELNYX_PRODUCTION } from '../../../../main/endpoints';
import { registerIpc } from '../../../../main/ipc/register-ipc';
import type { InvokeEventLike } from '../../../../main/ipc/register-ipc';
import { defaultSettings } from '../../../../main/settings/settings-file';
import { FakeIpcMain, fakeEvent } from '../../../support/fake-ipc';
import { recordingLogger } from '../../../support/recording-logger';

export const contact: Contact = {
	id: 'b7c1c0de-0000-4000-8000-000000000001',
	name: 'Ada Lovelace',
	phones: ['+13125550142'],
	sipAddresses: ['sip:ada@example.com'],
	note: '',
};

export const historyEntry: CallHistoryEntry = {
	id: 'call-1',
	direction: 'outbound',
	remote: '+13125550142',
	remoteName: '',
	video: true,
	startedAt: '2025-01-02T03:04:05.000Z',
	durationSeconds: 42,
	answered: true,
	endReason: 'hangup-local',
	endMessage: 'You hung up.',
};

export const setupReport: SetupReport = {
	finishedAt: '2026-12-07T18:20:00.000Z',
	checks: [
		{
			id: 'microphone',
			verdict: 'good',
			summary: 'Your microphone works.',
			advice: null,
			figures: { microphonePeak: 0.62, label: 'Built-in microphone', echo: false, level: null },
		},
		{
			id: 'network',
			verdict: 'fair',
			summary: 'Calls go through a relay.',
			advice: 'Allow UDP to Telnyx in your firewall.',
			figures: { relayCandidates: 2 },
		},
	],
};

export const appInfo: AppInfo = {
	name: 'Telnyx Softphone',
	version: '0.1.0',
	platform: 'linux',
	profile: 'production',
	endpoints: TELNYX_PRODUCTION,
	versions: { electron: null, chromium: null, node: '20.19.0' },
};
export const settings: Settings = defaultSettings('6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b');
export const keyStatus: KeyStatus = {
	hasApiKey: true,
	keychain: 'ok',
	persisted: true,
	warning: null,
};
export const provisioned: Provisioned = {
	connectionId: '1684641123236054244',
	profileId: '1293384261075731499',
	credentialId: 'c215ade3-0d39-418e-94be-c5f780760199',
	sipUsername: 'gencredabc',
	deviceName: 'Desk',
};
export const cleanupItem: CleanupItem = {
	kind: 'credential',
	id: 'c215ade3-0d39',
	name: 'Desk (6f1c2a9e)',
};

export const ok = <T>(value: T) => ({ ok: true as const, value });

export function fakeHandlers() {
	return {
		app: {
			getInfo: vi.fn((): AppInfo => appInfo),
			reportError: vi.fn((_error: RendererError): void => undefined),
			openLogsFolder: vi.fn(async (): Promise<Result<void, { message: string }>> => ok(undefined)),
		},
		settings: {
			get: vi.fn((): Settings | Promise<Settings> => settings),
			update: vi.fn(async (_patch: SettingsPatch): Promise<Result<Settings, SettingsError>> =>
				ok(settings),
			),
		},
		credentials: {
			getStatus: vi.fn(async (): Promise<KeyStatus> => keyStatus),
			setApiKey: vi.fn(async (_key: string): Promise<Result<KeyStatus, KeyError>> => ok(keyStatus)),
			clearApiKey: vi.fn(async (): Promise<KeyStatus> => ({ ...keyStatus, hasApiKey: false })),
		},
		provisioning: {
			run: vi.fn(async (_options: ProvisionOptions): Promise<Result<Provisioned, TelnyxFailure>> =>
				ok(provisioned),
			),
			listResources: vi.fn(async (): Promise<Result<AccountResources, TelnyxFailure>> =>
				ok({ connections: [], profiles: [] }),
			),
		},
		telnyx: {
			getLoginToken: vi.fn(async (): Promise<Result<LoginToken, TelnyxFailure>> =>
				ok({ token: 'a.b.c', expiresAt: '2030-01-01T00:00:00.000Z' }),
			),
		},
		dial: {
			resolve: vi.fn((_text: string): DialResolution => ({
				ok: true,
				value: { kind: 'phone', dial: '+13125550142', display: '+1 312 555 0142', extension: null },
			})),
		},
		desktop: {
			report: vi.fn((_report: PhoneReport): void => undefined),
			dial: vi.fn((_request: DialRequest): void => undefined),
			markMissedSeen: vi.fn((): void => undefined),
			getStatus: vi.fn((): DesktopStatus => ({
				shortcuts: [],
				trayAvailable: true,
				wayland: false,
				links: { registered: false, problem: null },
				startAtLogin: { enabled: false, problem: null },
			})),
		},
		media: {
			requestAccess: vi.fn(async (_options: { camera: boolean }): Promise<MediaAccess> => ({
				microphone: 'granted',
				camera: 'granted',
				message: null,
			})),
		},
		history: {
			list: vi.fn((): readonly CallHistoryEntry[] => []),
			add: vi.fn(async (_entry: CallHistoryEntry): Promise<readonly CallHistoryEntry[]> => [
				historyEntry,
			]),
			clear: vi.fn(async (): Promise<readonly CallHistoryEntry[]> => []),
		},
		diagnostics: {
			saveSetupReport: vi.fn(async (_report: SetupReport): Promise<void> => undefined),
			saveSupportBundle: vi.fn(
				async (
					_options: SupportBundleOptions,
				): Promise<Result<SupportBundleSaved, { message: string }>> =>
					ok({ saved: true, fileName: 'telnyx-softphone-support.zip', bytes: 1234 }),
			),
		},
		contacts: {
			list: vi.fn((): readonly Contact[] => [contact]),
			save: vi.fn(async (_draft: ContactDraft): Promise<Result<readonly Contact[], ContactError>> =>
				ok([contact]),
			),
			remove: vi.fn(async (_id: string): Promise<readonly Contact[]> => []),
			importVCard: vi.fn(async (_text: string): Promise<Result<ContactImport, ContactError>> =>
				ok({ imported: 1, skippedCount: 0, skipped: [], contacts: [contact] }),
			),
		},
		account: {
			listPhoneNumbers: vi.fn(async (): Promise<Result<readonly PhoneNumber[], TelnyxFailure>> =>
				ok([{ number: '+13125550142', country: 'US' }]),
			),
			setCallerId: vi.fn(
				async (_callerId: CallerId): Promise<Result<Settings, SettingsError | TelnyxFailure>> =>
					ok(settings),
			),
			listInstallations: vi.fn(async (): Promise<Result<readonly Installation[], TelnyxFailure>> =>
				ok([{ name: 'Desk', sipUsername: 'gencredabc', self: true }]),
			),
			searchInstallations: vi.fn(
				async (_query: string): Promise<Result<readonly Installation[], TelnyxFailure>> =>
					ok([{ name: 'Desk', sipUsername: 'gencredabc', self: true }]),
			),
			signOut: vi.fn(
				async (_options: {
					readonly forgetApiKey: boolean;
				}): Promise<Result<KeyStatus, TelnyxFailure>> => ok(keyStatus),
			),
			previewCleanup: vi.fn(async (): Promise<Result<readonly CleanupItem[], TelnyxFailure>> =>
				ok([cleanupItem]),
			),
			cleanup: vi.fn(
				async (
					items: readonly CleanupItem[],
				): Promise<Result<readonly CleanupItem[], TelnyxFailure>> => ok(items),
			),
		},
	} satisfies MainHandlers;
}

export type Handlers = ReturnType<typeof fakeHandlers>;
export type AnyMock = { readonly mock: { readonly calls: unknown[][] } };

/** Every handler mock, whatever its namespace. */
export function allMocks(handlers: Handlers): AnyMock[] {
	return Object.values(handlers).flatMap((ns) => Object.values(ns) as AnyMock[]);
}

/** How many handler calls were made in all. */
export const callCount = (handlers: Handlers) =>
	allMocks(handlers).reduce((n, m) => n + m.mock.calls.length, 0);

/** The handler mock behind a channel. */
export function mockOf(handlers: Handlers, channel: string): AnyMock {
	const [ns = '', method = ''] = channel.split(':');
	const mock = (handlers as unknown as Record<string, Record<string, AnyMock>>)[ns]?.[method];
	if (mock === undefined) throw new Error(`no mock for ${channel}`);
	return mock;
}

export function setup(isTrustedSender: (event: InvokeEventLike) => boolean = () => true) {
	const ipc = new FakeIpcMain();
	const handlers = fakeHandlers();
	const logger = recordingLogger();
	const channels = registerIpc({ ipc, handlers, isTrustedSender, logger });
	return { ipc, handlers, logger, channels };
}

export const failure = (reply: IpcReply) => (reply.ok ? undefined : reply.error);

/**
 * Calls every channel once with valid arguments, then forgets those calls: zod compiles a schema on its first
 * use (once per app run), so the timed calls that follow measure validation itself.
 */
export async function warmUp({ ipc, logger }: ReturnType<typeof setup>): Promise<void> {
	for (const [channel, args] of Object.entries(validArgs)) {
		await ipc.invoke(channel, fakeEvent(), ...args);
	}
	vi.clearAllMocks();
	logger.entries.length = 0;
}

export const VALID_KEY = 'KEY0123456789ABCDEFGHIJKLMNOP_abcdefghij';

/** A valid argument list for each channel. */
export const validArgs: Record<string, unknown[]> = {
	'app:getInfo': [],
	'app:reportError': [{ kind: 'error', message: 'boom', stack: null }],
	'app:openLogsFolder': [],
	'settings:get': [],
	'settings:update': [{ devices: { cameraId: 'cam-1' }, ui: { cameraEnabled: false } }],
	'credentials:getStatus': [],
	'credentials:setApiKey': [VALID_KEY],
	'credentials:clearApiKey': [],
	'provisioning:run': [{ allowedCountries: ['US', 'CA'], allowConnectionUpdate: false }],
	'provisioning:listResources': [],
	'telnyx:getLoginToken': [],
	'dial:resolve': ['+1 312 555 0142'],
	'desktop:report': [
		{
			connection: 'registered',
			call: {
				id: 'c0ffee00-0000-4000-8000-000000000001',
				remote: '+13125550142',
				remoteName: 'Alice',
				phase: 'active',
				direction: 'inbound',
				muted: false,
				held: false,
				video: true,
			},
			installations: [{ name: 'Desk' }],
			recent: [{ label: 'Alice', destination: '+13125550142' }],
		},
	],
	'desktop:dial': [{ destination: 'tel:+13125550142', video: false, now: false }],
	'desktop:markMissedSeen': [],
	'desktop:getStatus': [],
	'media:requestAccess': [{ camera: true }],
	'history:list': [],
	'history:add': [historyEntry],
	'history:clear': [],
	'diagnostics:saveSetupReport': [setupReport],
	'diagnostics:saveSupportBundle': [{ includeFullNumbers: false }],
	'contacts:list': [],
	'contacts:save': [{ ...contact, id: null }],
	'contacts:remove': [contact.id],
	'contacts:importVCard': ['BEGIN:VCARD\r\nFN:Ada\r\nTEL:+13125550142\r\nEND:VCARD\r\n'],
	'account:listPhoneNumbers': [],
	'account:setCallerId': [{ name: 'Desk', number: '+13125550142' }],
	'account:listInstallations': [],
	'account:searchInstallations': ['Alice Laptop'],
	'account:signOut': [{ forgetApiKey: false }],
	'account:previewCleanup': [],
	'account:cleanup': [[cleanupItem]],
};

/** Channels whose method takes no argument. */
export const noArgChannels = Object.entries(validArgs)
	.filter(([, args]) => args.length === 0)
	.map(([channel]) => channel);

/** A cleanup list of about 100 kB: more items than the schema allows. */
export const bigCleanupList = Array.from({ length: 1000 }, (_, i) => ({
	kind: 'credential',
	id: `id-${i}`,
	name: `Computer ${String(i).padStart(4, '0')} ${'x'.repeat(64)}`,
}));
