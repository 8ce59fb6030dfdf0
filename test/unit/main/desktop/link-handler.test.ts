import { describe, expect, it } from 'vitest';
import {
	LINK_SCHEMES,
	linkHandlerOutcome,
	linkHandlerPlan,
	linkHandlerStatus,
	type LinkScheme,
} from '../../../../main/desktop/link-handler';
import { parseLink } from '../../../../main/desktop/links';

const command = { path: '/e/electron', args: ['/repo', '--profile=dev'] };
const LINUX = { platform: 'linux', defaultApp: true } as const;

describe('linkHandlerPlan', () => {
	it('registers every scheme the link parser understands, sips: included (fails on e0fc691: sips was never registered)', () => {
		expect(LINK_SCHEMES).toStrictEqual(['tel', 'sip', 'sips', 'callto']);
		for (const scheme of LINK_SCHEMES) {
			const sample = scheme === 'sip' || scheme === 'sips' ? 'ada@example.com' : '+13125550142';
			expect(parseLink(`${scheme}:${sample}`).ok, scheme).toBe(true);
		}
		expect(linkHandlerPlan({ on: true, command, holds: () => false, ...LINUX })).toStrictEqual({
			kind: 'register',
			command,
			schemes: LINK_SCHEMES,
		});
	});

	it('turning it off gives back only the schemes the app holds', () => {
		const held = new Set<LinkScheme>(['tel', 'sips']);
		expect(
			linkHandlerPlan({ on: false, command, holds: (s) => held.has(s), ...LINUX }),
		).toStrictEqual({
			kind: 'unregister',
			command,
			schemes: ['tel', 'sips'],
		});
	});

	it('cannot register a development run that has no app path (never the bare Electron binary)', () => {
		const plan = linkHandlerPlan({ on: true, command: null, holds: () => false, ...LINUX });
		expect(plan.kind).toBe('impossible');
		expect(linkHandlerOutcome(plan, () => true, 'linux')).toStrictEqual({
			enabled: false,
			problem: expect.stringContaining('without the app’s folder'),
		});
	});
});

describe('linkHandlerOutcome', () => {
	const register = linkHandlerPlan({ on: true, command, holds: () => false, ...LINUX });
	it('all accepted: on, nothing to say', () => {
		expect(linkHandlerOutcome(register, () => true, 'linux')).toStrictEqual({
			enabled: true,
			problem: null,
		});
	});
	it('names the schemes the OS refused and where to fix it', () => {
		const outcome = linkHandlerOutcome(
			register,
			(scheme) => scheme !== 'sips' && scheme !== 'callto',
			'linux',
		);
		expect(outcome.enabled).toBe(false);
		expect(outcome.problem).toBe(
			'The computer did not let the app open sips:, callto: links. You can choose the app for them in your system’s default-apps settings.',
		);
	});
	it('says which schemes the app still holds after turning it off', () => {
		const unregister = linkHandlerPlan({ on: false, command, holds: () => true, ...LINUX });
		expect(linkHandlerOutcome(unregister, (scheme) => scheme !== 'tel', 'linux')).toStrictEqual({
			enabled: true,
			problem:
				'The app is still set to open tel: links; choose another app for them in your system’s default-apps settings.',
		});
	});
});

describe('links on macOS and Windows', () => {
	it('a development run on macOS cannot be registered (macOS would register bare Electron)', () => {
		const plan = linkHandlerPlan({
			on: true,
			command,
			holds: () => false,
			platform: 'darwin',
			defaultApp: true,
		});
		expect(plan.kind).toBe('impossible');
		expect(
			linkHandlerPlan({
				on: true,
				command,
				holds: () => false,
				platform: 'darwin',
				defaultApp: false,
			}).kind,
		).toBe('register');
	});

	it('on Windows, says that Default apps decides even once registered', () => {
		const plan = linkHandlerPlan({ on: true, command, holds: () => false, ...LINUX });
		expect(linkHandlerOutcome(plan, () => true, 'win32')).toStrictEqual({
			enabled: true,
			problem: expect.stringContaining('Settings → Apps → Default apps'),
		});
	});
});

describe('linkHandlerStatus (at start: never registers, only reports)', () => {
	it('all held: on', () => {
		expect(linkHandlerStatus(() => true, 'linux')).toStrictEqual({ enabled: true, problem: null });
	});
	it('the user chose another app for some since: says which, and how to take them back', () => {
		expect(linkHandlerStatus((scheme) => scheme !== 'tel', 'linux')).toStrictEqual({
			enabled: false,
			problem: 'Another app now opens tel: links. Turn this off and on again to open them here.',
		});
	});
});
