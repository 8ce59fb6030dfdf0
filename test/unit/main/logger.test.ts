import { describe, expect, it } from 'vitest';
import { createLogger, redact, silentLogger, type LogFields } from '../../../main/logger';

const JWT =
	'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJ0ZWxueXhfdGVsZXBob255IiwiZXhwIjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJlLXBhcnQtaGVyZQ';
const API_KEY = 'KEY01890ABCDEF0123456789ABCDEF_a1B2c3D4e5F6g7H8';
const NOW = new Date('2025-03-04T05:06:07.890Z');

function capture(secrets: () => readonly string[] = () => []) {
	const lines: string[] = [];
	const logger = createLogger({ write: (line) => lines.push(line), secrets, now: () => NOW });
	return { logger, lines };
}

describe('createLogger', () => {
	it('writes one JSON line with time, level, event and the fields', () => {
		const { logger, lines } = capture();
		logger.info('app.started', { profile: 'demo', count: 2 });
		logger.warn('w');
		logger.error('e', { nested: { ok: true } });
		expect(lines.map((l) => JSON.parse(l) as unknown)).toStrictEqual([
			{
				time: '2025-03-04T05:06:07.890Z',
				level: 'info',
				event: 'app.started',
				profile: 'demo',
				count: 2,
			},
			{ time: '2025-03-04T05:06:07.890Z', level: 'warn', event: 'w' },
			{ time: '2025-03-04T05:06:07.890Z', level: 'error', event: 'e', nested: { ok: true } },
		]);
	});

	it('keeps its own time, level and event when the fields carry the same names', () => {
		const { logger, lines } = capture();
		logger.info('real.event', { level: 'error', event: 'forged', time: 'never' });
		expect(JSON.parse(lines[0]!)).toMatchObject({
			level: 'info',
			event: 'real.event',
			time: '2025-03-04T05:06:07.890Z',
		});
	});

	it('redacts a registered secret containing quotes and backslashes (escaped in the JSON line)', () => {
		const secret = 'pa"ss\\word-1234';
		const lines: string[] = [];
		createLogger({ write: (l) => lines.push(l), secrets: () => [secret] }).info('e', {
			value: `x${secret}y`,
		});
		expect(lines[0]).not.toContain('ss\\\\word');
		expect(JSON.parse(lines[0]!)).toMatchObject({ value: 'x[redacted]y' });
	});

	it('redacts a registered secret anywhere in the fields: nested, in arrays, in keys', () => {
		const secret = 'my-registered-secret-value';
		const { logger, lines } = capture(() => [secret]);
		logger.error('x', {
			message: `failed with ${secret}!`,
			deep: { list: ['a', { again: secret }] },
			[`key-${secret}`]: 1,
		});
		expect(lines).toHaveLength(1);
		expect(lines[0]).not.toContain(secret);
		expect(lines[0]?.match(/\[redacted\]/g)).toHaveLength(3);
		// Still a JSON line.
		expect(() => JSON.parse(lines[0] ?? '')).not.toThrow();
	});

	it('reads the secrets on every line, so a key entered later is covered', () => {
		const secrets: string[] = [];
		const { logger, lines } = capture(() => secrets);
		const late = 'entered-after-start-1234';
		secrets.push(late);
		logger.info('later', { value: late });
		expect(lines[0]).not.toContain(late);
	});

	it('asks for the secrets again on every line, even when the getter answers a new list', () => {
		let secrets: readonly string[] = [];
		const { logger, lines } = capture(() => secrets);
		const late = 'entered-after-start-5678';
		logger.info('before', { value: late });
		expect(lines[0]).toContain(late);
		secrets = [late];
		logger.info('after', { value: late });
		expect(lines[1]).not.toContain(late);
		expect(JSON.parse(lines[1] ?? '')).toMatchObject({ value: '[redacted]' });
	});

	it('redacts JWT-shaped and KEY-shaped strings nobody registered', () => {
		const { logger, lines } = capture();
		logger.info('token', {
			header: `Bearer ${JWT}`,
			list: [[{ apiKey: API_KEY }]],
			[JWT]: 'as a key',
		});
		logger.warn(`event carrying ${API_KEY}`);
		expect(lines.join('\n')).not.toContain(JWT);
		expect(lines.join('\n')).not.toContain(API_KEY);
		expect(lines.join('\n')).not.toContain('c2lnbmF0dXJl');
		expect(lines[0]).toContain('Bearer [redacted]');
	});

	it('does not let a short registered "secret" shred every line', () => {
		const { logger, lines } = capture(() => ['a', '']);
		logger.info('a.b', { value: 'banana' });
		expect(JSON.parse(lines[0] ?? '')).toMatchObject({ event: 'a.b', value: 'banana' });
	});

	it.each<[string, () => LogFields]>([
		[
			'circular',
			() => {
				const self: Record<string, unknown> = { name: 'loop' };
				self.self = self;
				return { self };
			},
		],
		['a BigInt', () => ({ big: 10n })],
		[
			'a throwing toJSON',
			() => ({
				bad: {
					toJSON() {
						throw new Error('boom');
					},
				},
			}),
		],
	])('never throws on %s fields, and still writes the event', (_what, fields) => {
		const { logger, lines } = capture();
		expect(() => logger.error('ipc.handlerFailed', fields())).not.toThrow();
		expect(JSON.parse(lines[0] ?? '')).toStrictEqual({
			time: '2025-03-04T05:06:07.890Z',
			level: 'error',
			event: 'ipc.handlerFailed',
			fields: '[unserialisable]',
		});
	});

	it('redacts the event name on the unserialisable path too', () => {
		const { logger, lines } = capture();
		const self: Record<string, unknown> = {};
		self.self = self;
		logger.warn(`leak ${JWT}`, { self });
		expect(lines[0]).not.toContain(JWT);
	});
});

describe('redact', () => {
	it('replaces every occurrence of every secret', () => {
		expect(redact('aaaaaaaa-1 x aaaaaaaa-1 y bbbbbbbb-2', ['aaaaaaaa-1', 'bbbbbbbb-2'])).toBe(
			'[redacted] x [redacted] y [redacted]',
		);
	});

	it('leaves ordinary text alone', () => {
		const text = 'settings.setAside KEYBOARD eyJ short.token KEY-short';
		expect(redact(text)).toBe(text);
	});

	it('catches JWTs and keys embedded in other text', () => {
		expect(redact(`a=${JWT}&b=${API_KEY}`)).toBe('a=[redacted]&b=[redacted]');
	});
});

describe('silentLogger', () => {
	it('accepts every call and returns nothing', () => {
		expect(silentLogger.info('x', { a: 1 })).toBeUndefined();
		expect(silentLogger.warn('x')).toBeUndefined();
		expect(silentLogger.error('x')).toBeUndefined();
	});
});
