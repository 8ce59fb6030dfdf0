import { describe, expect, it, vi } from 'vitest';
import {
	callerIdSchema,
	channelOf,
	contractMethods,
	invokeContract,
	limits,
	settingsSchema,
	type CallerId,
	type IpcReply,
	type MainHandlers,
	type Result,
	type Settings,
	type SettingsError,
} from '../../../../preload/contract';
import { TELNYX_PRODUCTION } from '../../../../main/endpoints';
import { registerIpc } from '../../../../main/ipc/register-ipc';
import type { InvokeEventLike } from '../../../../main/ipc/register-ipc';
import { createSenderCheck } from '../../../../main/sender-check';
import { SettingsStore, checkCallerId } from '../../../../main/settings/settings-file';
import {
	APP_URL,
	FakeIpcMain,
	MAIN_WEB_CONTENTS_ID,
	detachedEvent,
	fakeEvent,
} from '../../../support/fake-ipc';
import { seeded, type Random } from '../../../support/random';
import { memoryFs } from '../../../support/memory-fs';
import { recordingLogger } from '../../../support/recording-logger';
import {
	allMocks,
	appInfo,
	bigCleanupList,
	callCount,
	cleanupItem,
	failure,
	fakeHandlers,
	mockOf,
	noArgChannels,
	settings,
	setup,
	setupReport,
	VALID_KEY,
	validArgs,
	warmUp,
} from './ipc-fixtures';

/**
 * Invokes a channel and checks the guard answered without hanging (V6). The handlers here are stubs, so a
 * reply takes well under a millisecond; the bound only has to tell a hang or a busy loop from a machine under
 * load (50 ms failed on two cores running five test runs at once, with coverage on).
 */
export async function timedInvoke(
	ipc: FakeIpcMain,
	channel: string,
	event: InvokeEventLike,
	args: unknown[],
): Promise<IpcReply> {
	const started = performance.now();
	const reply = await ipc.invoke(channel, event, ...args);
	expect(performance.now() - started, channel).toBeLessThan(250);
	return reply;
}

describe('registerIpc: registration', () => {
	it('registers every contract method exactly once, and nothing else', () => {
		const { ipc, channels } = setup();
		const expected = contractMethods().map(([ns, m]) => channelOf(ns, m as never));
		expect(expected).toStrictEqual([
			'app:getInfo',
			'app:reportError',
			'app:openLogsFolder',
			'settings:get',
			'settings:update',
			'credentials:getStatus',
			'credentials:setApiKey',
			'credentials:clearApiKey',
			'provisioning:run',
			'provisioning:listResources',
			'telnyx:getLoginToken',
			'dial:resolve',
			'desktop:report',
			'desktop:dial',
			'desktop:markMissedSeen',
			'desktop:getStatus',
			'media:requestAccess',
			'history:list',
			'history:add',
			'history:clear',
			'diagnostics:saveSetupReport',
			'diagnostics:saveSupportBundle',
			'contacts:list',
			'contacts:save',
			'contacts:remove',
			'contacts:importVCard',
			'account:listPhoneNumbers',
			'account:setCallerId',
			'account:listInstallations',
			'account:searchInstallations',
			'account:signOut',
			'account:previewCleanup',
			'account:cleanup',
		]);
		expect(ipc.channels().sort()).toStrictEqual([...expected].sort());
		expect(new Set(ipc.channels()).size).toBe(ipc.channels().length);
		expect(channels).toStrictEqual(ipc.channels());
		expect(Object.keys(validArgs).sort()).toStrictEqual([...expected].sort());
	});

	it('refuses to start when a handler is missing', () => {
		const handlers = fakeHandlers();
		const incomplete = {
			...handlers,
			settings: { get: handlers.settings.get },
		} as unknown as MainHandlers;
		expect(() =>
			registerIpc({
				ipc: new FakeIpcMain(),
				handlers: incomplete,
				isTrustedSender: () => true,
				logger: recordingLogger(),
			}),
		).toThrow('No handler for settings:update');
	});

	it('refuses to start when a whole namespace is missing', () => {
		const { account: _account, ...rest } = fakeHandlers();
		expect(() =>
			registerIpc({
				ipc: new FakeIpcMain(),
				handlers: rest as unknown as MainHandlers,
				isTrustedSender: () => true,
				logger: recordingLogger(),
			}),
		).toThrow(/No handler for account:/);
	});
});

describe('registerIpc: a trusted, valid call', () => {
	it('runs the handler with the validated arguments and answers its value', async () => {
		const { ipc, handlers } = setup();
		expect(await ipc.invoke('app:getInfo', fakeEvent())).toStrictEqual({
			ok: true,
			value: appInfo,
		});
		expect(handlers.app.getInfo).toHaveBeenCalledTimes(1);
		expect(handlers.app.getInfo).toHaveBeenCalledWith();

		const patch = { ui: { cameraEnabled: false } };
		expect(await ipc.invoke('settings:update', fakeEvent(), patch)).toStrictEqual({
			ok: true,
			value: { ok: true, value: settings },
		});
		expect(handlers.settings.update).toHaveBeenCalledWith(patch);
	});

	it.each(Object.keys(validArgs))(
		'runs the %s handler once with exactly the valid arguments',
		async (channel) => {
			const { ipc, handlers } = setup();
			const args = validArgs[channel] ?? [];
			const reply = await ipc.invoke(channel, fakeEvent(), ...args);
			expect(reply.ok, channel).toBe(true);
			const mock = mockOf(handlers, channel);
			expect(mock.mock.calls).toStrictEqual([args]);
			expect(callCount(handlers)).toBe(1);
		},
	);

	it('accepts a key of 4096 characters (main checks its shape, not the guard)', async () => {
		const { ipc, handlers } = setup();
		const reply = await ipc.invoke('credentials:setApiKey', fakeEvent(), 'K'.repeat(4096));
		expect(reply.ok).toBe(true);
		expect(handlers.credentials.setApiKey).toHaveBeenCalledTimes(1);
	});

	it('accepts a cleanup list of exactly 500 items', async () => {
		const { ipc, handlers } = setup();
		const items = bigCleanupList.slice(0, 500);
		const reply = await ipc.invoke('account:cleanup', fakeEvent(), items);
		expect(reply.ok).toBe(true);
		expect(handlers.account.cleanup).toHaveBeenCalledWith(items);
	});

	it('passes an expected failure (a Result) through as a value, not as a refusal', async () => {
		const { ipc, handlers } = setup();
		const refusal: Result<Settings, SettingsError> = {
			ok: false,
			error: { code: 'INVALID_SETTING', field: 'shortcuts.answer', message: 'no' },
		};
		handlers.settings.update.mockResolvedValueOnce(refusal);
		expect(await ipc.invoke('settings:update', fakeEvent(), {})).toStrictEqual({
			ok: true,
			value: refusal,
		});
	});
});

describe('registerIpc: the sender is checked first (E17, V7)', () => {
	it.each(Object.keys(validArgs))(
		'answers FORBIDDEN on %s for an untrusted sender, never calling a handler',
		async (channel) => {
			const isTrustedSender = vi.fn(() => false);
			const { ipc, handlers } = setup(isTrustedSender);
			const event = fakeEvent({ url: 'https://evil/' });
			const reply = await timedInvoke(ipc, channel, event, validArgs[channel] ?? []);
			expect(failure(reply)?.code).toBe('FORBIDDEN');
			expect(failure(reply)?.message).toContain(channel);
			expect(isTrustedSender).toHaveBeenCalledWith(event);
			for (const mock of allMocks(handlers)) expect(mock).not.toHaveBeenCalled();
		},
	);

	it('answers FORBIDDEN, not BAD_INPUT, when an untrusted sender also sends bad input', async () => {
		const { ipc, handlers } = setup(() => false);
		const reply = await ipc.invoke('settings:update', fakeEvent(), { extra: 1 }, 2, 3);
		expect(failure(reply)?.code).toBe('FORBIDDEN');
		expect(handlers.settings.update).not.toHaveBeenCalled();
	});

	it.each<[string, string, unknown[]]>([
		['a 5000-character API key', 'credentials:setApiKey', ['K'.repeat(5000)]],
		['a 100 kB cleanup list', 'account:cleanup', [bigCleanupList]],
		['a __proto__ key', 'provisioning:run', [JSON.parse('{"__proto__":{"polluted":true}}')]],
		['a wrong type', 'account:signOut', [{ forgetApiKey: 'yes' }]],
	])(
		'answers FORBIDDEN, not BAD_INPUT, to an untrusted sender sending %s',
		async (_what, channel, args) => {
			const { ipc, handlers } = setup(() => false);
			const reply = await timedInvoke(ipc, channel, fakeEvent({ url: 'https://evil/' }), args);
			expect(failure(reply)?.code).toBe('FORBIDDEN');
			expect(callCount(handlers)).toBe(0);
		},
	);

	describe('with the real sender check', () => {
		const check = createSenderCheck({
			appUrl: APP_URL,
			isAppWebContents: (id) => id === MAIN_WEB_CONTENTS_ID,
		});

		it.each<[string, InvokeEventLike]>([
			['a null sender frame', detachedEvent()],
			['app://softphone.evil/', fakeEvent({ url: 'app://softphone.evil/' })],
			['app://evil@softphone/', fakeEvent({ url: 'app://evil@softphone/' })],
			['app://SOFTPHONE/', fakeEvent({ url: 'app://SOFTPHONE/' })],
			['https://evil/', fakeEvent({ url: 'https://evil/' })],
			['file:///etc/passwd', fakeEvent({ url: 'file:///etc/passwd' })],
			['about:blank', fakeEvent({ url: 'about:blank' })],
			['a subframe on the app URL', fakeEvent({ parent: { url: APP_URL } })],
			['another webContents', fakeEvent({ senderId: 99 })],
		])('refuses %s with a valid payload', async (_what, event) => {
			const { ipc, handlers } = setup(check);
			for (const [channel, args] of Object.entries(validArgs)) {
				const reply = await timedInvoke(ipc, channel, event, args);
				expect(failure(reply)?.code, channel).toBe('FORBIDDEN');
			}
			for (const mock of allMocks(handlers)) expect(mock).not.toHaveBeenCalled();
		});

		it('accepts the app top frame', async () => {
			const { ipc, handlers } = setup(check);
			expect((await ipc.invoke('settings:get', fakeEvent())).ok).toBe(true);
			expect(handlers.settings.get).toHaveBeenCalledTimes(1);
			for (const [channel, args] of Object.entries(validArgs)) {
				expect((await ipc.invoke(channel, fakeEvent(), ...args)).ok, channel).toBe(true);
			}
			expect(callCount(handlers)).toBe(Object.keys(validArgs).length + 1);
		});
	});
});

describe('registerIpc: arguments are validated before the handler runs (V6)', () => {
	it.each<[string, string, unknown[]]>([
		['a wrong argument type', 'settings:update', [{ ui: { cameraEnabled: 1 } }]],
		['a string where the patch belongs', 'settings:update', ['{"ui":{}}']],
		['null as the patch', 'settings:update', [null]],
		['an array as the patch', 'settings:update', [[]]],
		['an extra key', 'settings:update', [{ ui: {}, extra: 1 }]],
		['an extra nested key', 'settings:update', [{ shortcuts: { answer: 'Alt+F1', apiKey: 'x' } }]],
		[
			'a __proto__ key from JSON.parse',
			'settings:update',
			[JSON.parse('{"__proto__":{"polluted":true}}')],
		],
		[
			'a nested __proto__ key',
			'settings:update',
			[JSON.parse('{"devices":{"__proto__":{"polluted":true}}}')],
		],
		[
			'a constructor key',
			'settings:update',
			[JSON.parse('{"constructor":{"prototype":{"polluted":true}}}')],
		],
		['too many arguments', 'settings:update', [{}, {}]],
		['an argument to a method that takes none', 'settings:get', [1]],
		['an undefined argument to a method that takes none', 'app:getInfo', [undefined]],
		['no argument where one is required', 'settings:update', []],
		['an oversized string', 'settings:update', [{ shortcuts: { answer: 'A'.repeat(65) } }]],
		['endpoints (main’s, not the page’s)', 'settings:update', [{ endpoints: TELNYX_PRODUCTION }]],
		['a device id of the wrong type', 'settings:update', [{ devices: { cameraId: 7 } }]],
		['an oversized device id', 'settings:update', [{ devices: { cameraId: 'd'.repeat(513) } }]],
		['an unknown device key', 'settings:update', [{ devices: { videoId: null } }]],
		['a UI preference as a string', 'settings:update', [{ ui: { startMinimised: 'true' } }]],
		['an unknown UI key', 'settings:update', [{ ui: { theme: 'dark' } }]],
		['a caller ID through settings:update', 'settings:update', [{ callerId: { name: 'x' } }]],
		['provisioned ids through settings:update', 'settings:update', [{ provisioned: null }]],
		['an install id through settings:update', 'settings:update', [{ installId: 'abc' }]],
		[
			'the tray notice (main records it) through settings:update',
			'settings:update',
			[{ ui: { trayNoticeShown: true } }],
		],
		// credentials
		['a 5000-character API key', 'credentials:setApiKey', ['K'.repeat(5000)]],
		['a number as the API key', 'credentials:setApiKey', [42]],
		['null as the API key', 'credentials:setApiKey', [null]],
		['the API key wrapped in an object', 'credentials:setApiKey', [{ key: VALID_KEY }]],
		['the API key as an array of characters', 'credentials:setApiKey', [[...VALID_KEY]]],
		['no API key', 'credentials:setApiKey', []],
		['two API keys', 'credentials:setApiKey', [VALID_KEY, VALID_KEY]],
		['an argument to credentials:getStatus', 'credentials:getStatus', [{}]],
		['an argument to credentials:clearApiKey', 'credentials:clearApiKey', [true]],
		// provisioning
		['no provisioning options', 'provisioning:run', []],
		['null provisioning options', 'provisioning:run', [null]],
		['an unknown provisioning option', 'provisioning:run', [{ apiKey: VALID_KEY }]],
		[
			'a __proto__ provisioning option',
			'provisioning:run',
			[JSON.parse('{"__proto__":{"polluted":true}}')],
		],
		['a connection id with a path', 'provisioning:run', [{ connectionId: '../connections/1' }]],
		['a connection id with a query', 'provisioning:run', [{ connectionId: '1?filter=x' }]],
		['an empty connection id', 'provisioning:run', [{ connectionId: '' }]],
		['a 65-character profile id', 'provisioning:run', [{ profileId: '1'.repeat(65) }]],
		['a 5000-character connection id', 'provisioning:run', [{ connectionId: 'a'.repeat(5000) }]],
		['a numeric connection id', 'provisioning:run', [{ connectionId: 1684641123236054 }]],
		['lower-case countries', 'provisioning:run', [{ allowedCountries: ['us'] }]],
		['a three-letter country', 'provisioning:run', [{ allowedCountries: ['USA'] }]],
		['an empty country list', 'provisioning:run', [{ allowedCountries: [] }]],
		['251 countries', 'provisioning:run', [{ allowedCountries: Array(251).fill('US') }]],
		['countries as a string', 'provisioning:run', [{ allowedCountries: 'US' }]],
		['consent as a string', 'provisioning:run', [{ allowConnectionUpdate: 'yes' }]],
		['an argument to provisioning:listResources', 'provisioning:listResources', [{}]],
		// telnyx
		['an argument to telnyx:getLoginToken', 'telnyx:getLoginToken', [{ credentialId: '1' }]],
		// account
		['a caller ID without a number', 'account:setCallerId', [{ name: 'Desk' }]],
		['a caller ID with an extra key', 'account:setCallerId', [{ name: 'A', number: null, x: 1 }]],
		[
			'a caller ID with a __proto__ key',
			'account:setCallerId',
			[JSON.parse('{"name":"A","number":null,"__proto__":{"polluted":true}}')],
		],
		[
			'a 16-character caller ID name (Telnyx’s CNAM limit is 15)',
			'account:setCallerId',
			[{ name: 'n'.repeat(16), number: null }],
		],
		[
			'a 65-character caller ID name',
			'account:setCallerId',
			[{ name: 'n'.repeat(65), number: null }],
		],
		[
			'a 17-character caller ID number (E.164 is at most 16)',
			'account:setCallerId',
			[{ name: 'A', number: '+1234567890123456' }],
		],
		['a caller ID name with markup', 'account:setCallerId', [{ name: '<b>x</b>', number: null }]],
		[
			'a 33-character caller ID number',
			'account:setCallerId',
			[{ name: 'A', number: `+${'1'.repeat(32)}` }],
		],
		['a numeric caller ID number', 'account:setCallerId', [{ name: 'A', number: 13125550142 }]],
		['sign-out options missing', 'account:signOut', []],
		['sign-out without forgetApiKey', 'account:signOut', [{}]],
		['forgetApiKey as a string', 'account:signOut', [{ forgetApiKey: 'true' }]],
		['forgetApiKey as a number', 'account:signOut', [{ forgetApiKey: 1 }]],
		['a sign-out extra key', 'account:signOut', [{ forgetApiKey: true, deleteEverything: true }]],
		[
			'a sign-out __proto__ key',
			'account:signOut',
			[JSON.parse('{"forgetApiKey":false,"__proto__":{"polluted":true}}')],
		],
		['a boolean for sign-out', 'account:signOut', [true]],
		['a 100 kB cleanup list', 'account:cleanup', [bigCleanupList]],
		['501 cleanup items', 'account:cleanup', [Array(501).fill(cleanupItem)]],
		[
			'a cleanup item with a 100 kB name',
			'account:cleanup',
			[[{ ...cleanupItem, name: 'n'.repeat(100_000) }]],
		],
		[
			'a cleanup item of an unknown kind',
			'account:cleanup',
			[[{ ...cleanupItem, kind: 'phone_number' }]],
		],
		['a cleanup item with a path as its id', 'account:cleanup', [[{ ...cleanupItem, id: '../1' }]]],
		['a cleanup item without a name', 'account:cleanup', [[{ kind: 'profile', id: '1' }]]],
		['a cleanup item with an extra key', 'account:cleanup', [[{ ...cleanupItem, tags: [] }]]],
		[
			'a cleanup item with a __proto__ key',
			'account:cleanup',
			[[JSON.parse('{"kind":"profile","id":"1","name":"x","__proto__":{"polluted":true}}')]],
		],
		['a cleanup object instead of a list', 'account:cleanup', [{ 0: cleanupItem, length: 1 }]],
		['a cleanup item as a string', 'account:cleanup', [['credential:1']]],
		['an argument to account:previewCleanup', 'account:previewCleanup', [[]]],
		['an argument to account:listInstallations', 'account:listInstallations', ['all']],
		// dial
		['no text to resolve', 'dial:resolve', []],
		['text to resolve longer than the dialer sends', 'dial:resolve', ['1'.repeat(258)]],
		['text to resolve as an object', 'dial:resolve', [{ text: '+13125550142' }]],
		['text to resolve with a directory of its own', 'dial:resolve', ['Desk', [{ name: 'Desk' }]]],
		['no directory query', 'account:searchInstallations', []],
		['an empty directory query', 'account:searchInstallations', ['']],
		['a directory query too long', 'account:searchInstallations', ['a'.repeat(129)]],
		['a directory query with a control character', 'account:searchInstallations', ['Al\u0000ice']],
		['a directory query as an object', 'account:searchInstallations', [{ name: 'Alice' }]],
		['two directory queries', 'account:searchInstallations', ['Alice', 'Bob']],
		['an argument to account:listPhoneNumbers', 'account:listPhoneNumbers', [null]],
		// diagnostics
		['no setup report', 'diagnostics:saveSetupReport', []],
		['a setup report without a time', 'diagnostics:saveSetupReport', [{ checks: [] }]],
		[
			'a setup report with a check the test does not have',
			'diagnostics:saveSetupReport',
			[{ ...setupReport, checks: [{ ...setupReport.checks[0], id: 'printer' }] }],
		],
		[
			'a setup report with more checks than the test has',
			'diagnostics:saveSetupReport',
			[{ ...setupReport, checks: Array(6).fill(setupReport.checks[0]) }],
		],
		[
			'a setup check with a 301-character summary',
			'diagnostics:saveSetupReport',
			[{ ...setupReport, checks: [{ ...setupReport.checks[0], summary: 's'.repeat(301) }] }],
		],
		[
			'a setup check with 17 figures',
			'diagnostics:saveSetupReport',
			[
				{
					...setupReport,
					checks: [
						{
							...setupReport.checks[0],
							figures: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`f${i}`, i])),
						},
					],
				},
			],
		],
		[
			'a setup figure whose name is not a plain word',
			'diagnostics:saveSetupReport',
			[{ ...setupReport, checks: [{ ...setupReport.checks[0], figures: { 'a.b': 1 } }] }],
		],
		[
			'a setup figure that is an object',
			'diagnostics:saveSetupReport',
			[{ ...setupReport, checks: [{ ...setupReport.checks[0], figures: { peak: { x: 1 } } }] }],
		],
		[
			'a setup figure text of 129 characters',
			'diagnostics:saveSetupReport',
			[
				{
					...setupReport,
					checks: [{ ...setupReport.checks[0], figures: { label: 'l'.repeat(129) } }],
				},
			],
		],
		[
			'a setup report with an extra key',
			'diagnostics:saveSetupReport',
			[{ ...setupReport, apiKey: VALID_KEY }],
		],
		['no bundle options', 'diagnostics:saveSupportBundle', []],
		['bundle options without the choice', 'diagnostics:saveSupportBundle', [{}]],
		[
			'the number choice as a string',
			'diagnostics:saveSupportBundle',
			[{ includeFullNumbers: 'yes' }],
		],
		[
			'a folder to save in (main asks the user, the page cannot choose)',
			'diagnostics:saveSupportBundle',
			[{ includeFullNumbers: false, path: '/etc/cron.d/x' }],
		],
	])('answers BAD_INPUT for %s, never calling a handler', async (_what, channel, args) => {
		const context = setup();
		const { ipc, handlers, logger } = context;
		await warmUp(context);
		const reply = await timedInvoke(ipc, channel, fakeEvent(), args);
		expect(reply.ok).toBe(false);
		expect(failure(reply)?.code).toBe('BAD_INPUT');
		expect(failure(reply)?.message.startsWith(`${channel}: `)).toBe(true);
		for (const mock of allMocks(handlers)) expect(mock).not.toHaveBeenCalled();
		expect(logger.entries).toStrictEqual([
			{ level: 'warn', event: 'ipc.refused', fields: { channel, reason: 'bad input' } },
		]);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('drops a setup figure named __proto__ (the schema keeps only plain names), polluting nothing', async () => {
		const { ipc, handlers } = setup();
		const figures = JSON.parse('{"__proto__":{"polluted":true},"peak":1}') as object;
		const reply = await ipc.invoke('diagnostics:saveSetupReport', fakeEvent(), {
			...setupReport,
			checks: [{ ...setupReport.checks[0], figures }],
		});
		expect(reply.ok).toBe(true);
		const [saved] = handlers.diagnostics.saveSetupReport.mock.calls[0] ?? [];
		expect(Object.keys(saved?.checks[0]?.figures ?? {})).toStrictEqual(['peak']);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('says which argument was wrong without echoing its value', async () => {
		const { ipc } = setup();
		const canary = `CANARY${'Z'.repeat(2100)}`;
		const reply = await ipc.invoke('settings:update', fakeEvent(), {
			devices: { microphoneId: canary },
		});
		const message = failure(reply)?.message ?? '';
		expect(message).toContain('argument 0.devices.microphoneId');
		expect(message).not.toContain('CANARY');
		expect(message.length).toBeLessThan(300);
	});

	it.each<[string, unknown[]]>([
		['credentials:setApiKey', [`KEYCANARY${'Z'.repeat(5000)}`]],
		['provisioning:run', [{ connectionId: `CANARY${'z'.repeat(100)}` }]],
		['account:setCallerId', [{ name: `CANARY${'z'.repeat(100)}`, number: null }]],
		['account:cleanup', [[{ ...cleanupItem, name: `CANARY${'z'.repeat(300)}` }]]],
	])('never echoes the refused value on %s', async (channel, args) => {
		const { ipc, logger } = setup();
		const reply = await ipc.invoke(channel, fakeEvent(), ...args);
		expect(failure(reply)?.code).toBe('BAD_INPUT');
		expect(JSON.stringify(reply)).not.toContain('CANARY');
		expect(logger.dump()).not.toContain('CANARY');
	});

	it.each(noArgChannels)('answers BAD_INPUT for any argument to %s', async (channel) => {
		const context = setup();
		const { ipc, handlers } = context;
		await warmUp(context);
		for (const arg of [undefined, null, 0, '', {}, [], 'x'.repeat(10_000)]) {
			const reply = await timedInvoke(ipc, channel, fakeEvent(), [arg]);
			expect(failure(reply)?.code, JSON.stringify(arg)).toBe('BAD_INPUT');
		}
		expect(callCount(handlers)).toBe(0);
	});

	it('never throws and answers BAD_INPUT or the handler over seeded random payloads on every channel', async () => {
		const random = seeded(2024);
		const context = setup();
		const { ipc, handlers } = context;
		await warmUp(context);
		let refused = 0;
		let accepted = 0;
		const perChannel = new Map<string, { accepted: number; refused: number }>();
		for (let i = 0; i < 600; i += 1) {
			for (const channel of Object.keys(validArgs)) {
				// A quarter of the time, the channel's own valid arguments with one random change.
				const args =
					random.int(4) === 0
						? mutated(random, validArgs[channel] ?? [])
						: Array.from({ length: random.int(3) }, () => randomJson(random, 0));
				const before = callCount(handlers);
				const own = mockOf(handlers, channel).mock.calls.length;
				const reply = await timedInvoke(ipc, channel, fakeEvent(), args);
				const after = callCount(handlers);
				const counts = perChannel.get(channel) ?? { accepted: 0, refused: 0 };
				perChannel.set(channel, counts);
				if (reply.ok) {
					accepted += 1;
					counts.accepted += 1;
					expect(after - before).toBe(1);
					// The channel's own handler, not another one.
					expect(mockOf(handlers, channel).mock.calls.length).toBe(own + 1);
				} else {
					refused += 1;
					counts.refused += 1;
					expect(reply.error.code).toBe('BAD_INPUT');
					expect(after).toBe(before);
				}
			}
		}
		expect(refused).toBeGreaterThan(500);
		expect(accepted).toBeGreaterThan(50);
		// Every channel saw both outcomes, so the fuzz reaches past every schema, not just into it.
		for (const channel of Object.keys(validArgs)) {
			expect(perChannel.get(channel)?.accepted, channel).toBeGreaterThanOrEqual(10);
			expect(perChannel.get(channel)?.refused, channel).toBeGreaterThanOrEqual(10);
		}
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});

describe('registerIpc: the endpoints are main’s', () => {
	it.each<[string, unknown]>([
		['a REST URL elsewhere', { endpoints: { restBaseUrl: 'https://evil.example/v2' } }],
		['a signalling URL elsewhere', { endpoints: { signallingUrl: 'wss://evil.example' } }],
		['plain HTTP to another machine', { endpoints: { restBaseUrl: 'http://evil.example/v2' } }],
		['the very endpoints the profile has', { endpoints: TELNYX_PRODUCTION }],
		['an empty endpoints object', { endpoints: {} }],
		['endpoints set to null', { endpoints: null }],
		[
			'endpoints beside a valid change',
			{ endpoints: { restBaseUrl: 'https://evil.example/v2' }, ui: { startMinimised: true } },
		],
		[
			'endpoints as a JSON own key',
			JSON.parse(
				'{"ui":{"doNotDisturb":true},"endpoints":{"restBaseUrl":"https://evil.example/v2"}}',
			),
		],
	])(
		'refuses settings:update carrying %s with BAD_INPUT; the handler never runs',
		async (_what, patch) => {
			const context = setup();
			const { ipc, handlers } = context;
			await warmUp(context);
			const reply = await timedInvoke(ipc, 'settings:update', fakeEvent(), [patch]);
			expect(failure(reply)?.code).toBe('BAD_INPUT');
			expect(failure(reply)?.message).toContain('endpoints');
			expect(failure(reply)?.message).not.toContain('evil');
			expect(handlers.settings.update).not.toHaveBeenCalled();
			expect(callCount(handlers)).toBe(0);
		},
	);

	it('answers the endpoints read-only, in the app info', async () => {
		const { ipc } = setup();
		expect(await ipc.invoke('app:getInfo', fakeEvent())).toStrictEqual({
			ok: true,
			value: { ...appInfo, endpoints: TELNYX_PRODUCTION },
		});
	});
});

describe('registerIpc: the caller ID is checked by the settings file’s own schema', () => {
	it('uses the very schema objects the settings file uses, with Telnyx’s limits', () => {
		expect(invokeContract.account.setCallerId.args.def.items[0]).toBe(callerIdSchema);
		expect(settingsSchema.shape.callerId).toBe(callerIdSchema);
		expect(limits.callerIdName).toBe(15);
		expect(limits.phoneNumber).toBe(16);
	});

	it.each<[string, CallerId, string]>([
		[
			'a 16-character name',
			{ name: 'A'.repeat(16), number: null },
			'The caller ID name can have up to 15 letters, digits and spaces.',
		],
		[
			'a 17-character number',
			{ name: 'A', number: '+1234567890123456' },
			'The caller ID number must be in international format, such as +13125550142.',
		],
	])(
		'refuses %s in the schema’s own sentence, never running the handler',
		async (_what, callerId, sentence) => {
			const { ipc, handlers } = setup();
			const reply = await ipc.invoke('account:setCallerId', fakeEvent(), callerId);
			expect(failure(reply)).toStrictEqual({
				code: 'BAD_INPUT',
				message: `account:setCallerId: argument 0.${callerId.number === null ? 'name' : 'number'}: ${sentence}`,
			});
			expect(handlers.account.setCallerId).not.toHaveBeenCalled();
			// The settings file refuses it in the same words.
			expect(checkCallerId(callerId)?.message).toBe(sentence);
		},
	);

	/** Caller IDs on both sides of every limit and rule. */
	const callerIds: CallerId[] = [
		{ name: '', number: null },
		{ name: 'A'.repeat(15), number: null },
		{ name: 'A'.repeat(16), number: null },
		{ name: 'ACME Support 24', number: '+13125550142' },
		{ name: 'Jean-Luc', number: null },
		{ name: 'Ünïcode', number: null },
		{ name: '<b>x</b>', number: null },
		{ name: 'abc\u202Edef', number: null },
		{ name: 'a\nb', number: null },
		{ name: 'A', number: '+1234567' },
		{ name: 'A', number: '+123456' },
		{ name: 'A', number: '+123456789012345' },
		{ name: 'A', number: '+1234567890123456' },
		{ name: 'A', number: '+0125550142' },
		{ name: 'A', number: '13125550142' },
		{ name: 'A', number: '+1 312 555 0142' },
		{ name: 'A', number: '' },
		{ name: 'A', number: '+13125550142\u0000' },
	];

	/** Whether a settings file holding this caller ID loads (rather than being set aside). */
	async function fileLoads(callerId: CallerId): Promise<boolean> {
		const fs = memoryFs(
			new Map([['/settings.json', JSON.stringify({ version: 4, ...settings, callerId })]]),
		);
		const store = await SettingsStore.load({
			file: '/settings.json',
			fs,
			defaults: settings,
			migration: { restBaseUrl: TELNYX_PRODUCTION.restBaseUrl },
			logger: recordingLogger(),
		});
		return fs.files.has('/settings.json') && store.get().callerId.name === callerId.name;
	}

	it.each(callerIds)(
		'the guard accepts %j exactly when the settings file does',
		async (callerId) => {
			const { ipc, handlers } = setup();
			const reply = await ipc.invoke('account:setCallerId', fakeEvent(), callerId);
			const fileAccepts = checkCallerId(callerId) === null;
			expect(await fileLoads(callerId)).toBe(fileAccepts);
			expect(reply.ok).toBe(fileAccepts);
			expect(handlers.account.setCallerId).toHaveBeenCalledTimes(fileAccepts ? 1 : 0);
		},
	);

	it('has caller IDs on both sides in that table', () => {
		const accepted = callerIds.filter((c) => checkCallerId(c) === null);
		expect(accepted.length).toBeGreaterThanOrEqual(4);
		expect(callerIds.length - accepted.length).toBeGreaterThanOrEqual(10);
	});
});

describe('registerIpc: a failing handler', () => {
	it.each<[string, () => never | Promise<never>]>([
		[
			'throws',
			() => {
				throw new Error('database at /home/alice/.config password hunter2');
			},
		],
		[
			'rejects',
			() => Promise.reject(new Error('database at /home/alice/.config password hunter2')),
		],
		[
			'throws a string',
			() => {
				throw 'hunter2 in a string';
			},
		],
		[
			'throws a value String() cannot print',
			() => {
				throw Object.create(null) as never;
			},
		],
	])('answers INTERNAL when it %s, without leaking the error text', async (_what, boom) => {
		const { ipc, handlers, logger } = setup();
		handlers.settings.get.mockImplementationOnce(boom);
		const reply = await ipc.invoke('settings:get', fakeEvent());
		expect(reply).toStrictEqual({
			ok: false,
			error: { code: 'INTERNAL', message: 'settings:get failed unexpectedly; see the app log' },
		});
		expect(JSON.stringify(reply)).not.toContain('hunter2');
		expect(logger.entries.map((e) => [e.level, e.event])).toStrictEqual([
			['error', 'ipc.handlerFailed'],
		]);
		// The channel keeps working.
		expect((await ipc.invoke('settings:get', fakeEvent())).ok).toBe(true);
	});
});

describe('registerIpc: logging', () => {
	it('never hands an argument value to the logger, whatever the outcome', async () => {
		const canary = 'canary-value-mic';
		let trusted = false;
		const { ipc, handlers, logger } = setup(() => trusted);
		const patch = { devices: { microphoneId: canary } };

		await ipc.invoke('settings:update', fakeEvent(), patch);
		trusted = true;
		await ipc.invoke('settings:update', fakeEvent(), { ...patch, extra: canary });
		await ipc.invoke('settings:update', fakeEvent(), {
			devices: { microphoneId: 7, cameraId: canary },
		});
		await ipc.invoke('settings:update', fakeEvent(), {
			endpoints: { restBaseUrl: `https://${canary}.example/v2` },
		});
		await ipc.invoke('settings:update', fakeEvent(), patch);
		handlers.settings.update.mockRejectedValueOnce(new Error('write failed'));
		await ipc.invoke('settings:update', fakeEvent(), patch);

		expect(handlers.settings.update).toHaveBeenCalledTimes(2);
		expect(logger.entries.length).toBeGreaterThanOrEqual(5);
		expect(logger.dump()).not.toContain('canary');
	});

	it('never logs or answers an API key, whatever the outcome', async () => {
		const key = 'KEYCANARY0123456789abcdefghijklmn';
		let trusted = false;
		const { ipc, handlers, logger } = setup(() => trusted);
		const replies = [await ipc.invoke('credentials:setApiKey', fakeEvent(), key)];
		trusted = true;
		replies.push(await ipc.invoke('credentials:setApiKey', fakeEvent(), key, key));
		replies.push(
			await ipc.invoke('credentials:setApiKey', fakeEvent(), `${key}${'x'.repeat(5000)}`),
		);
		replies.push(await ipc.invoke('credentials:setApiKey', fakeEvent(), key));
		handlers.credentials.setApiKey.mockRejectedValueOnce(new Error(`keychain refused ${key}`));
		replies.push(await ipc.invoke('credentials:setApiKey', fakeEvent(), key));
		expect(handlers.credentials.setApiKey).toHaveBeenCalledTimes(2);
		expect(replies.map((r) => failure(r)?.code)).toStrictEqual([
			'FORBIDDEN',
			'BAD_INPUT',
			'BAD_INPUT',
			undefined,
			'INTERNAL',
		]);
		expect(JSON.stringify(replies)).not.toContain('CANARY');
		// The handler's error is logged by name and message; the logger's redactor (main/logger.ts)
		// removes the key from that line. Only arguments are never handed over.
		const logged = logger.entries.filter((e) => e.event !== 'ipc.handlerFailed');
		expect(JSON.stringify(logged)).not.toContain('CANARY');
	});
});

/** A random JSON-like value: primitives, huge strings, deep nesting, and the keys the schemas must refuse. */
function randomJson(random: Random, depth: number): unknown {
	const keys = [
		'endpoints',
		'restBaseUrl',
		'signallingUrl',
		'devices',
		'cameraId',
		'ui',
		'startMinimised',
		'callerId',
		'name',
		'number',
		'forgetApiKey',
		'connectionId',
		'profileId',
		'allowedCountries',
		'allowConnectionUpdate',
		'kind',
		'id',
		'apiKey',
		'__proto__',
		'constructor',
		'prototype',
		'x',
		'',
	];
	switch (random.int(depth > 6 ? 5 : 8)) {
		case 0:
			return random.pick([null, undefined, true, false, 0, -1, 1e308, Number.NaN]);
		case 1:
			return random.string(random.int(20));
		case 2:
			return random.bool()
				? 'x'.repeat(2049 + random.int(5000))
				: `https://${random.string(random.int(30))}`;
		case 3:
			return random.pick([
				'https://api.telnyx.com/v2',
				'wss://rtc.telnyx.com',
				'http://evil',
				'US',
				'+13125550142',
				'credential',
				'1684641123236054244',
			]);
		case 4:
			return random.bool() ? {} : { endpoints: {} };
		case 5:
			return Array.from({ length: random.int(4) }, () => randomJson(random, depth + 1));
		default: {
			const entries = Array.from({ length: random.int(4) }, () => [
				random.pick(keys),
				randomJson(random, depth + 1),
			]);
			// Through JSON so "__proto__" becomes an own key, as it does when the renderer sends parsed data.
			return JSON.parse(JSON.stringify(Object.fromEntries(entries)) ?? 'null') as unknown;
		}
	}
}

/**
 * A channel's valid arguments with at most one change: a value swapped for a random one, a key dropped or
 * added (own `__proto__` and `constructor` included), an argument added or removed — so the fuzz reaches
 * both sides of each schema's edges.
 */
function mutated(random: Random, valid: readonly unknown[]): unknown[] {
	const args = structuredClone<unknown[]>([...valid]);
	// Every object and array inside the arguments, with the arguments list itself first.
	const containers: (Record<string, unknown> | unknown[])[] = [];
	const collect = (value: unknown) => {
		if (typeof value !== 'object' || value === null) return;
		containers.push(value as Record<string, unknown>);
		for (const child of Object.values(value)) collect(child);
	};
	collect(args);
	const target = random.pick(containers);
	const keys = Object.keys(target);
	switch (random.int(5)) {
		case 0:
			if (keys.length > 0) {
				(target as Record<string, unknown>)[random.pick(keys)] = randomJson(random, 1);
			}
			break;
		case 1:
			if (keys.length > 0 && !Array.isArray(target)) delete target[random.pick(keys)];
			else if (Array.isArray(target)) target.pop();
			break;
		case 2:
			// An own property, even for "__proto__" (as JSON.parse makes it).
			Object.defineProperty(target, random.pick(['extra', '__proto__', 'constructor']), {
				value: randomJson(random, 1),
				enumerable: true,
				configurable: true,
				writable: true,
			});
			break;
		case 3:
			args.push(randomJson(random, 1));
			break;
		default:
			break;
	}
	return args;
}
