import { describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import {
	contractMethods,
	invokeContract,
	type AppInfo,
	type CallHistoryEntry,
	type CleanupItem,
	type KeyStatus,
	type MainHandlers,
	type Provisioned,
	type Settings,
} from '../../../../preload/contract';
import { TELNYX_PRODUCTION } from '../../../../main/endpoints';
import { CallHistory, type HistoryFileSystem } from '../../../../main/history/history-file';
import { ContactBook } from '../../../../main/contacts/contact-book';
import {
	LOGS_FOLDER_OPENS,
	RENDERER_ERRORS_PER_HOUR,
	SUPPORT_BUNDLE_SAVES,
	createHandlers,
} from '../../../../main/ipc/handlers';
import { SetupReportStore } from '../../../../main/diagnostics/setup-report-file';
import { SupportBundles } from '../../../../main/diagnostics/support-bundles';
import { setupReport, sources } from '../diagnostics/fixtures';
import { createMediaAccess } from '../../../../main/media-access';
import { DesktopService } from '../../../../main/desktop/desktop-service';
import {
	SettingsStore,
	defaultSettings,
	type SettingsFileSystem,
} from '../../../../main/settings/settings-file';
import { silentLogger } from '../../../../main/logger';
import { DesktopSettings } from '../../../../main/desktop/desktop-settings';
import { recordingShell } from '../../../support/recording-shell';
import { recordingLogger } from '../../../support/recording-logger';
import type { TelnyxAccount } from '../../../../main/telnyx/account';

const appInfo: AppInfo = {
	name: 'Telnyx Softphone',
	version: '0.1.0',
	platform: 'darwin',
	profile: 'dev',
	endpoints: TELNYX_PRODUCTION,
	versions: { electron: '45.6.1', chromium: '140.0.7339.133', node: '22.19.0' },
};
const INSTALL_ID = '6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b';
const defaults: Settings = defaultSettings(INSTALL_ID);

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
		heldInstallations: vi.fn(() => [
			{ name: 'Mac', sipUsername: 'gencredabc', self: true },
			{ name: 'Kitchen Laptop', sipUsername: 'gencredKitchen', self: false },
		]),
		searchInstallations: vi.fn(async (_query: string) => ({
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
		settings: await SettingsStore.load({
			file: '/s.json',
			fs,
			defaults,
			migration: { restBaseUrl: TELNYX_PRODUCTION.restBaseUrl },
			logger: silentLogger,
		}),
		files,
	};
}

/**
 * The handlers, with every reply checked against the reply schema the contract declares for its method
 * (`invokeContract[ns][method].reply`): a reply that does not match makes the call reject, so every test
 * below also proves main answers only what the contract allows. The reply itself is passed on unchanged.
 */
function checkingReplies(handlers: MainHandlers, checked: Set<string>): MainHandlers {
	const wrapped: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
	for (const [ns, method] of contractMethods()) {
		const handler = (handlers[ns] as unknown as Record<string, (...a: unknown[]) => unknown>)[
			method
		];
		const reply = (invokeContract[ns] as Record<string, { reply: z.ZodType }>)[method]?.reply;
		if (handler === undefined || reply === undefined) throw new Error(`No ${ns}.${method}`);
		(wrapped[ns] ??= {})[method] = async (...args) => {
			const answer = await handler(...args);
			reply.parse(answer);
			checked.add(`${ns}.${method}`);
			return answer;
		};
	}
	return wrapped as unknown as MainHandlers;
}

async function setup(
	account = fakeAccount(),
	{
		logsFolderProblem = null,
		now = () => 0,
		writeBundle = async () => {},
	}: {
		logsFolderProblem?: string | null;
		now?: () => number;
		writeBundle?: (file: string, data: Uint8Array) => Promise<void>;
	} = {},
) {
	const { settings, files } = await store();
	const logger = recordingLogger();
	let folderOpened = 0;
	const shell = recordingShell();
	const desktopSettings = new DesktopSettings({
		settings,
		shell,
		facts: { trayAvailable: false, wayland: true },
		emit: () => {},
		logger,
	});
	await desktopSettings.start();
	/** The methods whose replies were checked against their schema. */
	const checked = new Set<string>();
	const history = await CallHistory.load({
		file: '/h.json',
		fs: memoryFs(files),
		logger: silentLogger,
	});
	const historyChanges: (readonly CallHistoryEntry[])[] = [];
	let nextId = 0;
	const contacts = await ContactBook.load({
		file: '/c.json',
		fs: memoryFs(files),
		logger: silentLogger,
		newId: () => `contact-${++nextId}`,
	});
	const setupReports = await SetupReportStore.load({
		file: '/r.json',
		fs: memoryFs(files),
		logger: silentLogger,
	});
	const bundlesWritten = new Map<string, Uint8Array>();
	const supportBundles = new SupportBundles({
		collect: async () => sources({ setupReport: setupReports.last() }),
		secrets: async () => [],
		chooseSavePath: (name) => shell.chooseSavePath(name),
		writeFile: async (file, data) => {
			await writeBundle(file, data);
			bundlesWritten.set(file, data);
		},
		logger,
	});
	const raw: MainHandlers = createHandlers({
		appInfo,
		settings,
		account: account as unknown as TelnyxAccount,
		history,
		contacts,
		onHistoryChanged: (entries) => historyChanges.push(entries),
		requestMediaAccess: createMediaAccess('linux', null),
		desktop: new DesktopService({
			settings,
			emit: () => {},
			ports: {
				updateTray: () => {},
				notify: () => null,
				raiseWindow: () => {},
				setInCall: () => {},
			},
			platform: 'linux',
			logger: silentLogger,
		}),
		desktopSettings,
		openLogsFolder: () => {
			folderOpened += 1;
			return Promise.resolve(logsFolderProblem);
		},
		setupReports,
		supportBundles,
		logger,
		now,
	});
	const handlers = checkingReplies(raw, checked);
	return {
		settings,
		files,
		account,
		handlers,
		historyChanges,
		checked,
		contacts,
		logger,
		shell,
		setupReports,
		bundlesWritten,
		folderOpened: () => folderOpened,
	};
}

describe('createHandlers: the desktop shell', () => {
	it('answers the desktop status main keeps', async () => {
		const { handlers } = await setup();
		expect(await handlers.desktop.getStatus()).toStrictEqual({
			shortcuts: [],
			trayAvailable: false,
			wayland: true,
			links: { registered: false, problem: null },
			startAtLogin: { enabled: false, problem: null },
		});
	});

	it('writes a renderer error to the log as renderer.error', async () => {
		const { handlers, logger } = await setup();
		await handlers.app.reportError({ kind: 'error', message: 'boom', stack: 'at x' });
		expect(logger.entries).toContainEqual({
			level: 'error',
			event: 'renderer.error',
			fields: { kind: 'error', message: 'boom', stack: 'at x' },
		});
	});

	it('a page cannot flood the log with errors: 30 an hour, then counted and reported with the next', async () => {
		let time = 0;
		const { handlers, logger } = await setup(fakeAccount(), { now: () => time });
		const error = { kind: 'error' as const, message: 'loop', stack: null };
		for (let i = 0; i < 100; i++) await handlers.app.reportError(error);
		const logged = () => logger.entries.filter((e) => e.event === 'renderer.error');
		expect(logged()).toHaveLength(RENDERER_ERRORS_PER_HOUR);
		time = 3_600_000;
		await handlers.app.reportError(error);
		expect(logged().at(-1)?.fields).toStrictEqual({ ...error, dropped: 70 });
	});

	it('a page cannot open file-manager windows in a loop: three in ten minutes', async () => {
		let time = 0;
		const { handlers, folderOpened } = await setup(fakeAccount(), { now: () => time });
		for (let i = 0; i < LOGS_FOLDER_OPENS.max; i++) {
			expect((await handlers.app.openLogsFolder()).ok).toBe(true);
		}
		expect(await handlers.app.openLogsFolder()).toStrictEqual({
			ok: false,
			error: { message: 'The logs folder was opened a moment ago.' },
		});
		time = LOGS_FOLDER_OPENS.windowMs;
		expect((await handlers.app.openLogsFolder()).ok).toBe(true);
		expect(folderOpened()).toBe(LOGS_FOLDER_OPENS.max + 1);
	});

	it('opens the logs folder, or says why it could not', async () => {
		expect(await (await setup()).handlers.app.openLogsFolder()).toStrictEqual({
			ok: true,
			value: undefined,
		});
		const failing = await setup(fakeAccount(), { logsFolderProblem: 'No file manager' });
		expect(await failing.handlers.app.openLogsFolder()).toStrictEqual({
			ok: false,
			error: { message: 'The logs folder could not be opened: No file manager' },
		});
	});
});

describe('createHandlers: diagnostics', () => {
	it('keeps the last Test my setup report, in main’s own file', async () => {
		const { handlers, setupReports, files } = await setup();
		await handlers.diagnostics.saveSetupReport(setupReport);
		expect(setupReports.last()).toStrictEqual(setupReport);
		expect(JSON.parse(files.get('/r.json') ?? '{}')).toStrictEqual({
			version: 1,
			reports: [setupReport],
		});
	});

	it('saves a support bundle where the user chose, answering its file name only (never the folder)', async () => {
		const { handlers, shell, bundlesWritten } = await setup();
		shell.savePath = '/home/ada/Downloads/support.zip';
		const reply = await handlers.diagnostics.saveSupportBundle({ includeFullNumbers: false });
		const bytes = bundlesWritten.get('/home/ada/Downloads/support.zip');
		expect(reply).toStrictEqual({
			ok: true,
			value: { saved: true, fileName: 'support.zip', bytes: bytes?.length },
		});
		expect(bytes?.length).toBeGreaterThan(100);
		expect(JSON.stringify(reply)).not.toContain('/home/ada');
		expect(shell.calls.filter((c) => c.startsWith('chooseSavePath'))).toHaveLength(1);
	});

	it('answers saved: false when the user cancels the dialog', async () => {
		const { handlers, bundlesWritten } = await setup();
		expect(
			await handlers.diagnostics.saveSupportBundle({ includeFullNumbers: true }),
		).toStrictEqual({
			ok: true,
			value: { saved: false, fileName: '', bytes: 0 },
		});
		expect(bundlesWritten.size).toBe(0);
	});

	it('answers a sentence the user can act on when the bundle cannot be written', async () => {
		const { handlers, shell } = await setup(fakeAccount(), {
			writeBundle: () =>
				Promise.reject(
					Object.assign(new Error("EACCES: permission denied, open '/root/x.zip'"), {
						code: 'EACCES',
					}),
				),
		});
		shell.savePath = '/root/x.zip';
		const reply = await handlers.diagnostics.saveSupportBundle({ includeFullNumbers: false });
		expect(reply).toStrictEqual({
			ok: false,
			error: {
				message:
					'The app may not save files in that folder. Choose another folder, such as Downloads, and save the support bundle again.',
			},
		});
	});

	it('a page cannot open save dialogs in a loop: three in ten minutes', async () => {
		let time = 0;
		const { handlers, shell } = await setup(fakeAccount(), { now: () => time });
		const dialogs = () => shell.calls.filter((c) => c.startsWith('chooseSavePath')).length;
		for (let i = 0; i < SUPPORT_BUNDLE_SAVES.max; i++) {
			expect((await handlers.diagnostics.saveSupportBundle({ includeFullNumbers: false })).ok).toBe(
				true,
			);
		}
		expect(
			await handlers.diagnostics.saveSupportBundle({ includeFullNumbers: false }),
		).toStrictEqual({
			ok: false,
			error: {
				message:
					'A support bundle was asked for several times just now. Wait a few minutes, then try again.',
			},
		});
		expect(dialogs()).toBe(SUPPORT_BUNDLE_SAVES.max);
		time = SUPPORT_BUNDLE_SAVES.windowMs;
		expect((await handlers.diagnostics.saveSupportBundle({ includeFullNumbers: false })).ok).toBe(
			true,
		);
		expect(dialogs()).toBe(SUPPORT_BUNDLE_SAVES.max + 1);
	});
});

describe('createHandlers', () => {
	it('answers the app info it was given', async () => {
		const { handlers } = await setup();
		expect(await handlers.app.getInfo()).toBe(appInfo);
	});

	it('reads and updates settings through the store', async () => {
		const { handlers, files } = await setup();
		expect(await handlers.settings.get()).toStrictEqual(defaults);

		const result = await handlers.settings.update({
			devices: { microphoneId: 'mic-1' },
			ui: { cameraEnabled: false },
		});
		expect(result).toStrictEqual({
			ok: true,
			value: {
				...defaults,
				devices: { ...defaults.devices, microphoneId: 'mic-1' },
				ui: { ...defaults.ui, cameraEnabled: false },
			},
		});
		expect(await handlers.settings.get()).toStrictEqual(result.ok ? result.value : undefined);
		expect(files.get('/s.json')).toContain('mic-1');
	});

	it('returns an invalid setting as a Result, not an exception', async () => {
		const { handlers } = await setup();
		const result = await handlers.settings.update({ shortcuts: { answer: 'A' } });
		expect(result).toMatchObject({
			ok: false,
			error: { code: 'INVALID_SETTING', field: 'shortcuts.answer' },
		});
	});

	it('passes device and UI patches to the store, once the user confirmed a setting that acts outside the app', async () => {
		const { handlers, shell } = await setup();
		const result = await handlers.settings.update({
			devices: { cameraId: 'cam' },
			ui: { dialLinksImmediately: true },
		});
		expect(shell.calls.filter((c) => c.startsWith('confirm'))).toStrictEqual([
			'confirm:dialLinksImmediately',
		]);
		expect(result).toStrictEqual({
			ok: true,
			value: {
				...defaults,
				devices: { ...defaults.devices, cameraId: 'cam' },
				ui: { ...defaults.ui, dialLinksImmediately: true },
			},
		});
	});

	it.each(['handleLinks', 'dialLinksImmediately', 'startAtLogin'] as const)(
		'the page alone cannot turn %s on: without the user’s yes in main’s question nothing changes (the page is an attacker)',
		async (setting) => {
			const { handlers, shell, settings } = await setup();
			shell.consent = false;
			expect(await handlers.settings.update({ ui: { [setting]: true } })).toStrictEqual({
				ok: false,
				error: {
					code: 'NOT_CONFIRMED',
					field: `ui.${setting}`,
					message: 'Not turned on: you did not confirm it.',
				},
			});
			expect(settings.get().ui[setting]).toBe(false);
			// Asked again at once, the question is not shown again: a page cannot re-ask it in a loop.
			expect(await handlers.settings.update({ ui: { [setting]: true } })).toMatchObject({
				ok: false,
				error: { code: 'NOT_CONFIRMED', message: 'Not turned on: you said no a moment ago.' },
			});
			expect(shell.calls.filter((c) => c.startsWith('confirm'))).toHaveLength(1);
			// Turning it off needs no question.
			shell.consent = true;
			expect((await handlers.settings.update({ ui: { [setting]: false } })).ok).toBe(true);
		},
	);

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
			'account.searchInstallations',
			(h) => h.account.searchInstallations('Alice'),
			'searchInstallations',
			['Alice'],
		],
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

const ada = {
	id: null,
	name: 'Ada Lovelace',
	phones: ['+442079460958'],
	sipAddresses: ['sip:ada@example.com'],
	note: '',
};
const ADA_VCARD =
	'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nTEL:+44 20 7946 0958\r\nEND:VCARD\r\n';

describe('createHandlers: contacts', () => {
	it('saves, replaces, lists and removes contacts in main’s own file', async () => {
		const { handlers, files } = await setup();
		expect(await handlers.contacts.list()).toStrictEqual([]);
		const saved = await handlers.contacts.save(ada);
		expect(saved).toStrictEqual({ ok: true, value: [{ ...ada, id: 'contact-1' }] });
		await handlers.contacts.save({ ...ada, id: 'contact-1', name: 'Ada King' });
		expect((await handlers.contacts.list()).map((c) => c.name)).toStrictEqual(['Ada King']);
		expect(JSON.parse(files.get('/c.json') ?? '{}')).toMatchObject({
			version: 1,
			contacts: [{ id: 'contact-1', name: 'Ada King' }],
		});
		expect(await handlers.contacts.remove('contact-1')).toStrictEqual([]);
	});

	it('refuses to replace a contact that is gone, as a Result', async () => {
		const { handlers } = await setup();
		const result = await handlers.contacts.save({ ...ada, id: 'nobody' });
		expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
	});

	it('imports a vCard, reading national numbers in the caller ID’s country', async () => {
		const { handlers } = await setup();
		const card = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo\r\nTEL:(312) 555-0142\r\nEND:VCARD\r\n';
		// No caller ID number: a national number cannot be placed, and the card is skipped.
		const before = await handlers.contacts.importVCard(card);
		expect(before).toMatchObject({ ok: true, value: { imported: 0, skippedCount: 1 } });
		const result = await handlers.contacts.importVCard('not a vcard');
		expect(result).toMatchObject({ ok: false, error: { code: 'NOT_VCARD' } });
	});
});

describe('createHandlers: dialling', () => {
	it('resolves typed text with main’s own directory (never this installation) and caller ID', async () => {
		const { handlers, settings, account } = await setup();
		expect(await handlers.dial.resolve('kitchen laptop')).toStrictEqual({
			ok: true,
			value: {
				kind: 'installation',
				dial: 'sip:gencredKitchen@sip.telnyx.com',
				display: 'Kitchen Laptop',
				extension: null,
			},
		});
		// Read as held: resolving never asks Telnyx for the directory.
		expect(account.heldInstallations).toHaveBeenCalledOnce();
		expect(account.listInstallations).not.toHaveBeenCalled();
		// This installation is no directory entry: its name is only a bare SIP user name.
		expect(await handlers.dial.resolve('Mac')).toMatchObject({
			ok: true,
			value: { kind: 'sip', dial: 'sip:Mac@sip.telnyx.com' },
		});
		// Without a caller ID number a national number needs its country code; with a UK one it is British.
		expect(await handlers.dial.resolve('020 7183 8750')).toMatchObject({
			ok: false,
			error: { message: expect.stringMatching(/country code/) },
		});
		await settings.setCallerId({ name: 'Desk', number: '+442071838750' });
		expect(await handlers.dial.resolve('020 7183 8751')).toMatchObject({
			ok: true,
			value: { kind: 'phone', dial: '+442071838751' },
		});
	});
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

describe('createHandlers: every reply is one the contract declares', () => {
	const entry: CallHistoryEntry = {
		id: 'call-9',
		direction: 'outbound',
		remote: '+13125550142',
		remoteName: '',
		video: true,
		startedAt: '2025-01-02T03:04:05.000Z',
		durationSeconds: 61,
		answered: true,
		endReason: 'hangup-remote',
		endMessage: 'The other side hung up.',
	};
	/** One valid call of every method of the contract. */
	const everyMethod: [string, (h: MainHandlers) => Promise<unknown>][] = [
		['app.getInfo', async (h) => h.app.getInfo()],
		[
			'app.reportError',
			async (h) => h.app.reportError({ kind: 'unhandledrejection', message: 'x', stack: null }),
		],
		['app.openLogsFolder', async (h) => h.app.openLogsFolder()],
		['desktop.getStatus', async (h) => h.desktop.getStatus()],
		['settings.get', async (h) => h.settings.get()],
		['settings.update', async (h) => h.settings.update({ ui: { cameraEnabled: false } })],
		['credentials.getStatus', async (h) => h.credentials.getStatus()],
		['credentials.setApiKey', async (h) => h.credentials.setApiKey('KEY0123456789abcdefghij')],
		['credentials.clearApiKey', async (h) => h.credentials.clearApiKey()],
		['provisioning.run', async (h) => h.provisioning.run({ allowedCountries: ['US'] })],
		['provisioning.listResources', async (h) => h.provisioning.listResources()],
		['telnyx.getLoginToken', async (h) => h.telnyx.getLoginToken()],
		[
			'desktop.report',
			async (h) =>
				h.desktop.report({ connection: 'registered', call: null, installations: [], recent: [] }),
		],
		[
			'desktop.dial',
			async (h) => h.desktop.dial({ destination: '+13125550142', video: false, now: false }),
		],
		['desktop.markMissedSeen', async (h) => h.desktop.markMissedSeen()],
		['media.requestAccess', async (h) => h.media.requestAccess({ camera: true })],
		['history.list', async (h) => h.history.list()],
		['history.add', async (h) => h.history.add(entry)],
		['history.clear', async (h) => h.history.clear()],
		['diagnostics.saveSetupReport', async (h) => h.diagnostics.saveSetupReport(setupReport)],
		[
			'diagnostics.saveSupportBundle',
			async (h) => h.diagnostics.saveSupportBundle({ includeFullNumbers: false }),
		],
		['contacts.list', async (h) => h.contacts.list()],
		['contacts.save', async (h) => h.contacts.save(ada)],
		['contacts.remove', async (h) => h.contacts.remove('contact-1')],
		['contacts.importVCard', async (h) => h.contacts.importVCard(ADA_VCARD)],
		['dial.resolve', async (h) => h.dial.resolve('Kitchen Laptop')],
		['account.listPhoneNumbers', async (h) => h.account.listPhoneNumbers()],
		[
			'account.setCallerId',
			async (h) => h.account.setCallerId({ name: 'Desk', number: '+13125550142' }),
		],
		['account.listInstallations', async (h) => h.account.listInstallations()],
		['account.searchInstallations', async (h) => h.account.searchInstallations('Alice')],
		['account.signOut', async (h) => h.account.signOut({ forgetApiKey: false })],
		['account.previewCleanup', async (h) => h.account.previewCleanup()],
		['account.cleanup', async (h) => h.account.cleanup(cleanupItems)],
	];

	it('checks a reply of every method of the contract', async () => {
		const { handlers, checked } = await setup();
		for (const [, call] of everyMethod) await call(handlers);
		const all = contractMethods().map(([ns, method]) => `${ns}.${method}`);
		expect([...checked].sort()).toStrictEqual([...all].sort());
		expect(everyMethod.map(([name]) => name).sort()).toStrictEqual([...all].sort());
	});

	it('answers refusals in their declared shapes too', async () => {
		const failing = fakeAccount();
		const noKey = {
			ok: false as const,
			error: { code: 'NO_API_KEY' as const, message: 'Enter your Telnyx API key first.' },
		};
		for (const method of [
			'provision',
			'listResources',
			'loginToken',
			'listPhoneNumbers',
			'listInstallations',
			'searchInstallations',
			'signOut',
			'previewCleanup',
			'cleanup',
		] as const) {
			failing[method].mockResolvedValue(noKey as never);
		}
		failing.setApiKey.mockResolvedValue({
			ok: false,
			error: { code: 'INVALID_KEY', message: 'That does not look like a Telnyx API key.' },
		} as never);
		failing.setCallerId.mockResolvedValue({
			ok: false,
			error: {
				code: 'INVALID_SETTING',
				field: 'callerId.number',
				message: 'That number is not on your Telnyx account.',
			},
		} as never);
		const { handlers, checked } = await setup(failing);
		for (const [, call] of everyMethod) await call(handlers);
		expect(await handlers.settings.update({ shortcuts: { hangup: 'Ctrl+Q' } })).toMatchObject({
			ok: false,
			error: { code: 'INVALID_SETTING', field: 'shortcuts.hangup' },
		});
		expect(checked.size).toBe(contractMethods().length);
	});

	it.each<
		[string, (account: ReturnType<typeof fakeAccount>) => void, (h: MainHandlers) => unknown]
	>([
		[
			'a key status carrying the API key',
			(account) =>
				account.keyStatus.mockResolvedValue({
					...keyStatus,
					apiKey: 'KEY0123456789abcdefghij',
				} as never),
			(h) => h.credentials.getStatus(),
		],
		[
			'a login token with an expiry that is not a time',
			(account) =>
				account.loginToken.mockResolvedValue({
					ok: true,
					value: { token: 'a.b.c', expiresAt: 'tomorrow' },
				} as never),
			(h) => h.telnyx.getLoginToken(),
		],
		[
			'a failure code the contract does not know',
			(account) =>
				account.listPhoneNumbers.mockResolvedValue({
					ok: false,
					error: { code: 'TEAPOT', message: 'I am a teapot.' },
				} as never),
			(h) => h.account.listPhoneNumbers(),
		],
		[
			'an installation with its SIP password',
			(account) =>
				account.listInstallations.mockResolvedValue({
					ok: true,
					value: [{ name: 'Mac', sipUsername: 'gencredabc', self: true, password: 'p' }],
				} as never),
			(h) => h.account.listInstallations(),
		],
	])('catches %s (the check itself can fail)', async (_what, spoil, call) => {
		const account = fakeAccount();
		spoil(account);
		const { handlers } = await setup(account);
		await expect(Promise.resolve().then(() => call(handlers))).rejects.toThrow();
	});
});
