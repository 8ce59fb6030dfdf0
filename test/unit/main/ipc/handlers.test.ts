import { describe, expect, it, vi } from 'vitest';
import type {
	AppInfo,
	CallHistoryEntry,
	CleanupItem,
	KeyStatus,
	MainHandlers,
	Provisioned,
	Settings,
} from '../../../../preload/contract';
import { TELNYX_PRODUCTION } from '../../../../main/endpoints';
import { CallHistory, type HistoryFileSystem } from '../../../../main/history/history-file';
import { createHandlers } from '../../../../main/ipc/handlers';
import { createMediaAccess } from '../../../../main/media-access';
import { DesktopService } from '../../../../main/desktop/desktop-service';
import {
	SettingsStore,
	defaultSettings,
	type SettingsFileSystem,
} from '../../../../main/settings/settings-file';
import { silentLogger } from '../../../../main/logger';
import type { TelnyxAccount } from '../../../../main/telnyx/account';

const appInfo: AppInfo = {
	name: 'Telnyx Softphone',
	version: '0.1.0',
	platform: 'darwin',
	profile: 'dev',
};
const INSTALL_ID = '6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b';
const defaults: Settings = defaultSettings(TELNYX_PRODUCTION, INSTALL_ID);

const keyStatus: KeyStatus = { hasApiKey: true, keychain: 'ok', persisted: true, warning: null };
const provisioned: Provisioned = {
	connectionId: '1',
	profileId: '2',
	credentialId: '3',
	sipUsername: 'gencredabc',
	deviceName: 'Mac',
};
const cleanupItems: CleanupItem[] = [{ kind: 'profile', id: '2', name: 'Telnyx Softphone' }];

/** The account operations the handlers delegate to, each answering a distinct value. */
function fakeAccount() {
	return {
		keyStatus: vi.fn(async () => keyStatus),
		setApiKey: vi.fn(async (_key: string) => ({ ok: true as const, value: keyStatus })),
		clearApiKey: vi.fn(async () => ({ ...keyStatus, hasApiKey: false })),
		provision: vi.fn(async () => ({ ok: true as const, value: provisioned })),
		listResources: vi.fn(async () => ({
			ok: true as const,
			value: { connections: [], profiles: [] },
		})),
		loginToken: vi.fn(async () => ({
			ok: true as const,
			value: { token: 'a.b.c', expiresAt: '2030-01-01T00:00:00.000Z' },
		})),
		listPhoneNumbers: vi.fn(async () => ({
			ok: true as const,
			value: [{ number: '+13125550142', country: 'US' }],
		})),
		setCallerId: vi.fn(async () => ({ ok: true as const, value: defaults })),
		listInstallations: vi.fn(async () => ({
			ok: true as const,
			value: [{ name: 'Mac', sipUsername: 'gencredabc', self: true }],
		})),
		signOut: vi.fn(async (_forget: boolean) => ({ ok: true as const, value: keyStatus })),
		previewCleanup: vi.fn(async () => ({ ok: true as const, value: cleanupItems })),
		cleanup: vi.fn(async () => ({ ok: true as const, value: cleanupItems })),
	} satisfies Partial<Record<keyof TelnyxAccount, unknown>>;
}

function memoryFs(files: Map<string, string>): HistoryFileSystem {
	return {
		readFile: async (name) => files.get(name) ?? null,
		writeFileAtomic: async (name, data) => {
			files.set(name, data);
		},
		rename: async () => {},
	};
}

async function store(): Promise<{ settings: SettingsStore; files: Map<string, string> }> {
	const files = new Map<string, string>();
	const fs: SettingsFileSystem = {
		readFile: async (name) => files.get(name) ?? null,
		writeFileAtomic: async (name, data) => {
			files.set(name, data);
		},
		rename: async () => {},
	};
	return {
		settings: await SettingsStore.load({ file: '/s.json', fs, defaults, logger: silentLogger }),
		files,
	};
}

async function setup() {
	const { settings, files } = await store();
	const account = fakeAccount();
	const history = await CallHistory.load({
		file: '/h.json',
		fs: memoryFs(files),
		logger: silentLogger,
	});
	const historyChanges: (readonly CallHistoryEntry[])[] = [];
	const handlers: MainHandlers = createHandlers({
		appInfo,
		settings,
		account: account as unknown as TelnyxAccount,
		history,
		onHistoryChanged: (entries) => historyChanges.push(entries),
		requestMediaAccess: createMediaAccess('linux', null),
		desktop: new DesktopService({
			settings,
			emit: () => {},
			ports: { updateTray: () => {}, notify: () => {}, raiseWindow: () => {}, setInCall: () => {} },
			platform: 'linux',
			logger: silentLogger,
		}),
	});
	return { settings, files, account, handlers, historyChanges };
}

describe('createHandlers', () => {
	it('answers the app info it was given', async () => {
		const { handlers } = await setup();
		expect(await handlers.app.getInfo()).toBe(appInfo);
	});

	it('reads and updates settings through the store', async () => {
		const { handlers, files } = await setup();
		expect(await handlers.settings.get()).toStrictEqual(defaults);

		const result = await handlers.settings.update({
			endpoints: { signallingUrl: 'ws://127.0.0.1:14001' },
		});
		expect(result).toStrictEqual({
			ok: true,
			value: {
				...defaults,
				endpoints: {
					restBaseUrl: TELNYX_PRODUCTION.restBaseUrl,
					signallingUrl: 'ws://127.0.0.1:14001',
				},
			},
		});
		expect(await handlers.settings.get()).toStrictEqual(result.ok ? result.value : undefined);
		expect(files.get('/s.json')).toContain('ws://127.0.0.1:14001');
	});

	it('returns an invalid setting as a Result, not an exception', async () => {
		const { handlers } = await setup();
		const result = await handlers.settings.update({
			endpoints: { signallingUrl: 'ws://evil.example' },
		});
		expect(result).toMatchObject({
			ok: false,
			error: { code: 'INVALID_SETTING', field: 'endpoints.signallingUrl' },
		});
	});

	it('passes device and UI patches to the store', async () => {
		const { handlers } = await setup();
		const result = await handlers.settings.update({
			devices: { cameraId: 'cam' },
			ui: { dialLinksImmediately: true },
		});
		expect(result).toStrictEqual({
			ok: true,
			value: {
				...defaults,
				devices: { ...defaults.devices, cameraId: 'cam' },
				ui: { ...defaults.ui, dialLinksImmediately: true },
			},
		});
	});

	type Delegation = [
		string,
		(h: MainHandlers) => unknown,
		keyof ReturnType<typeof fakeAccount>,
		unknown[],
	];
	const options = { allowedCountries: ['US', 'CA'], allowConnectionUpdate: true };
	const callerId = { name: 'Desk', number: '+13125550142' };
	it.each<Delegation>([
		['credentials.getStatus', (h) => h.credentials.getStatus(), 'keyStatus', []],
		[
			'credentials.setApiKey',
			(h) => h.credentials.setApiKey('KEY0123456789abcdefghij'),
			'setApiKey',
			['KEY0123456789abcdefghij'],
		],
		['credentials.clearApiKey', (h) => h.credentials.clearApiKey(), 'clearApiKey', []],
		['provisioning.run', (h) => h.provisioning.run(options), 'provision', [options]],
		['provisioning.listResources', (h) => h.provisioning.listResources(), 'listResources', []],
		['telnyx.getLoginToken', (h) => h.telnyx.getLoginToken(), 'loginToken', []],
		['account.listPhoneNumbers', (h) => h.account.listPhoneNumbers(), 'listPhoneNumbers', []],
		['account.setCallerId', (h) => h.account.setCallerId(callerId), 'setCallerId', [callerId]],
		['account.listInstallations', (h) => h.account.listInstallations(), 'listInstallations', []],
		[
			'account.signOut (keep key)',
			(h) => h.account.signOut({ forgetApiKey: false }),
			'signOut',
			[false],
		],
		[
			'account.signOut (forget key)',
			(h) => h.account.signOut({ forgetApiKey: true }),
			'signOut',
			[true],
		],
		['account.previewCleanup', (h) => h.account.previewCleanup(), 'previewCleanup', []],
		['account.cleanup', (h) => h.account.cleanup(cleanupItems), 'cleanup', [cleanupItems]],
	])(
		'%s calls the account once with its arguments and answers its value',
		async (_name, call, method, args) => {
			const { handlers, account } = await setup();
			const answer = await call(handlers);
			const mock = account[method];
			expect(mock).toHaveBeenCalledTimes(1);
			expect(mock.mock.calls[0]).toStrictEqual(args);
			expect(answer).toStrictEqual(await mock.mock.results[0]?.value);
			// No other account operation ran.
			const others = Object.entries(account).filter(([name]) => name !== method);
			for (const [name, other] of others) expect(other, name).not.toHaveBeenCalled();
		},
	);
});

describe('createHandlers: history', () => {
	const entry: CallHistoryEntry = {
		id: 'call-1',
		direction: 'inbound',
		remote: 'gencredabc',
		remoteName: 'Desk',
		video: false,
		startedAt: '2025-01-02T03:04:05.000Z',
		durationSeconds: 0,
		answered: false,
		endReason: 'cancelled',
		endMessage: 'The caller hung up before you answered.',
	};

	it('adds, lists and clears entries in main’s file, telling every window each time', async () => {
		const { handlers, files, historyChanges } = await setup();
		expect(await handlers.history.list()).toStrictEqual([]);
		expect(await handlers.history.add(entry)).toStrictEqual([entry]);
		expect(await handlers.history.add({ ...entry, id: 'call-2' })).toHaveLength(2);
		// The same call recorded twice replaces its entry.
		expect(await handlers.history.add({ ...entry, durationSeconds: 3 })).toHaveLength(2);
		expect((await handlers.history.list())[0]).toMatchObject({ id: 'call-1', durationSeconds: 3 });
		expect(JSON.parse(files.get('/h.json') ?? '{}')).toMatchObject({
			version: 1,
			entries: [{ id: 'call-1' }, { id: 'call-2' }],
		});
		expect(await handlers.history.clear()).toStrictEqual([]);
		expect(historyChanges.map((h) => h.length)).toStrictEqual([1, 2, 2, 0]);
	});
});
