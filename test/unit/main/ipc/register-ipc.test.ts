import { describe, expect, it, vi } from 'vitest';
import {
	channelOf,
	contractMethods,
	type AppInfo,
	type IpcReply,
	type MainHandlers,
	type Result,
	type Settings,
	type SettingsError,
	type SettingsPatch,
} from '../../../../preload/contract';
import { TELNYX_PRODUCTION } from '../../../../main/endpoints';
import { registerIpc } from '../../../../main/ipc/register-ipc';
import type { InvokeEventLike } from '../../../../main/ipc/register-ipc';
import { createSenderCheck } from '../../../../main/sender-check';
import {
	APP_URL,
	FakeIpcMain,
	MAIN_WEB_CONTENTS_ID,
	detachedEvent,
	fakeEvent,
} from '../../../support/fake-ipc';
import { seeded, type Random } from '../../../support/random';
import { recordingLogger } from '../../../support/recording-logger';

const appInfo: AppInfo = {
	name: 'Telnyx Softphone',
	version: '0.1.0',
	platform: 'linux',
	profile: 'production',
};
const settings: Settings = { endpoints: TELNYX_PRODUCTION };

function fakeHandlers() {
	return {
		app: { getInfo: vi.fn((): AppInfo => appInfo) },
		settings: {
			get: vi.fn((): Settings | Promise<Settings> => settings),
			update: vi.fn(async (_patch: SettingsPatch): Promise<Result<Settings, SettingsError>> => ({
				ok: true,
				value: settings,
			})),
		},
	} satisfies MainHandlers;
}

type Handlers = ReturnType<typeof fakeHandlers>;

function allMocks(handlers: Handlers) {
	return [handlers.app.getInfo, handlers.settings.get, handlers.settings.update];
}

function setup(isTrustedSender: (event: InvokeEventLike) => boolean = () => true) {
	const ipc = new FakeIpcMain();
	const handlers = fakeHandlers();
	const logger = recordingLogger();
	const channels = registerIpc({ ipc, handlers, isTrustedSender, logger });
	return { ipc, handlers, logger, channels };
}

const failure = (reply: IpcReply) => (reply.ok ? undefined : reply.error);

/** A valid argument list for each channel. */
const validArgs: Record<string, unknown[]> = {
	'app:getInfo': [],
	'settings:get': [],
	'settings:update': [{ endpoints: { restBaseUrl: 'https://api.telnyx.com/v2' } }],
};

describe('registerIpc: registration', () => {
	it('registers every contract method exactly once, and nothing else', () => {
		const { ipc, channels } = setup();
		const expected = contractMethods().map(([ns, m]) => channelOf(ns, m as never));
		expect(expected).toStrictEqual(['app:getInfo', 'settings:get', 'settings:update']);
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

		const patch = { endpoints: { signallingUrl: 'ws://127.0.0.1:14001' } };
		expect(await ipc.invoke('settings:update', fakeEvent(), patch)).toStrictEqual({
			ok: true,
			value: { ok: true, value: settings },
		});
		expect(handlers.settings.update).toHaveBeenCalledWith(patch);
	});

	it('passes an expected failure (a Result) through as a value, not as a refusal', async () => {
		const { ipc, handlers } = setup();
		const refusal: Result<Settings, SettingsError> = {
			ok: false,
			error: { code: 'INVALID_SETTING', field: 'endpoints.restBaseUrl', message: 'no' },
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
			const reply = await ipc.invoke(channel, event, ...(validArgs[channel] ?? []));
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
				const reply = await ipc.invoke(channel, event, ...args);
				expect(failure(reply)?.code, channel).toBe('FORBIDDEN');
			}
			for (const mock of allMocks(handlers)) expect(mock).not.toHaveBeenCalled();
		});

		it('accepts the app top frame', async () => {
			const { ipc, handlers } = setup(check);
			expect((await ipc.invoke('settings:get', fakeEvent())).ok).toBe(true);
			expect(handlers.settings.get).toHaveBeenCalledTimes(1);
		});
	});
});

describe('registerIpc: arguments are validated before the handler runs (V6)', () => {
	it.each<[string, string, unknown[]]>([
		['a wrong argument type', 'settings:update', [{ endpoints: { restBaseUrl: 42 } }]],
		['a string where the patch belongs', 'settings:update', ['{"endpoints":{}}']],
		['null as the patch', 'settings:update', [null]],
		['an array as the patch', 'settings:update', [[]]],
		['an extra key', 'settings:update', [{ endpoints: {}, extra: 1 }]],
		[
			'an extra nested key',
			'settings:update',
			[{ endpoints: { restBaseUrl: 'https://a', apiKey: 'x' } }],
		],
		[
			'a __proto__ key from JSON.parse',
			'settings:update',
			[JSON.parse('{"__proto__":{"polluted":true}}')],
		],
		[
			'a nested __proto__ key',
			'settings:update',
			[JSON.parse('{"endpoints":{"__proto__":{"polluted":true}}}')],
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
		[
			'an oversized string',
			'settings:update',
			[{ endpoints: { restBaseUrl: `https://${'a'.repeat(2048)}` } }],
		],
	])('answers BAD_INPUT for %s, never calling a handler', async (_what, channel, args) => {
		const { ipc, handlers, logger } = setup();
		const reply = await ipc.invoke(channel, fakeEvent(), ...args);
		expect(reply.ok).toBe(false);
		expect(failure(reply)?.code).toBe('BAD_INPUT');
		expect(failure(reply)?.message.startsWith(`${channel}: `)).toBe(true);
		for (const mock of allMocks(handlers)) expect(mock).not.toHaveBeenCalled();
		expect(logger.entries).toStrictEqual([
			{ level: 'warn', event: 'ipc.refused', fields: { channel, reason: 'bad input' } },
		]);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('says which argument was wrong without echoing its value', async () => {
		const { ipc } = setup();
		const canary = `CANARY${'Z'.repeat(2100)}`;
		const reply = await ipc.invoke('settings:update', fakeEvent(), {
			endpoints: { restBaseUrl: canary },
		});
		const message = failure(reply)?.message ?? '';
		expect(message).toContain('argument 0.endpoints.restBaseUrl');
		expect(message).not.toContain('CANARY');
		expect(message.length).toBeLessThan(300);
	});

	it('never throws and answers BAD_INPUT or the handler over seeded random payloads on every channel', async () => {
		const random = seeded(2024);
		const { ipc, handlers } = setup();
		let refused = 0;
		let accepted = 0;
		for (let i = 0; i < 600; i += 1) {
			for (const channel of Object.keys(validArgs)) {
				const args = Array.from({ length: random.int(3) }, () => randomJson(random, 0));
				const before = allMocks(handlers).reduce((n, m) => n + m.mock.calls.length, 0);
				const started = performance.now();
				const reply = await ipc.invoke(channel, fakeEvent(), ...args);
				expect(performance.now() - started).toBeLessThan(50);
				const after = allMocks(handlers).reduce((n, m) => n + m.mock.calls.length, 0);
				if (reply.ok) {
					accepted += 1;
					expect(after - before).toBe(1);
				} else {
					refused += 1;
					expect(reply.error.code).toBe('BAD_INPUT');
					expect(after).toBe(before);
				}
			}
		}
		expect(refused).toBeGreaterThan(500);
		expect(accepted).toBeGreaterThan(50);
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
		const canary = 'https://canary-value.example/v2';
		let trusted = false;
		const { ipc, handlers, logger } = setup(() => trusted);
		const patch = { endpoints: { restBaseUrl: canary } };

		await ipc.invoke('settings:update', fakeEvent(), patch);
		trusted = true;
		await ipc.invoke('settings:update', fakeEvent(), { ...patch, extra: canary });
		await ipc.invoke('settings:update', fakeEvent(), {
			endpoints: { restBaseUrl: 7, signallingUrl: canary },
		});
		await ipc.invoke('settings:update', fakeEvent(), patch);
		handlers.settings.update.mockRejectedValueOnce(new Error('write failed'));
		await ipc.invoke('settings:update', fakeEvent(), patch);

		expect(logger.entries.length).toBeGreaterThanOrEqual(4);
		expect(logger.dump()).not.toContain('canary');
	});
});

/** A random JSON-like value: primitives, huge strings, deep nesting, and the keys the schemas must refuse. */
function randomJson(random: Random, depth: number): unknown {
	const keys = [
		'endpoints',
		'restBaseUrl',
		'signallingUrl',
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
			return random.pick(['https://api.telnyx.com/v2', 'wss://rtc.telnyx.com', 'http://evil']);
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
