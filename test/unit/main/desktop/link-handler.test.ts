import { describe, expect, it } from 'vitest';
import {
	LINK_SCHEMES,
	linkHandlerOutcome,
	linkHandlerPlan,
	type LinkScheme,
} from '../../../../main/desktop/link-handler';
import { parseLink } from '../../../../main/desktop/links';

const command = { path: '/e/electron', args: ['/repo', '--profile=dev'] };

describe('linkHandlerPlan', () => {
	it('registers every scheme the link parser understands, sips: included (fails on e0fc691: sips was never registered)', () => {
		expect(LINK_SCHEMES).toStrictEqual(['tel', 'sip', 'sips', 'callto']);
		for (const scheme of LINK_SCHEMES) {
			const sample = scheme === 'sip' || scheme === 'sips' ? 'ada@example.com' : '+13125550142';
			expect(parseLink(`${scheme}:${sample}`).ok, scheme).toBe(true);
		}
		expect(linkHandlerPlan({ on: true, command, holds: () => false })).toStrictEqual({
			kind: 'register',
			command,
			schemes: LINK_SCHEMES,
		});
	});

	it('turning it off gives back only the schemes the app holds', () => {
		const held = new Set<LinkScheme>(['tel', 'sips']);
		expect(linkHandlerPlan({ on: false, command, holds: (s) => held.has(s) })).toStrictEqual({
			kind: 'unregister',
			command,
			schemes: ['tel', 'sips'],
		});
	});

	it('cannot register a development run that has no app path (never the bare Electron binary)', () => {
		const plan = linkHandlerPlan({ on: true, command: null, holds: () => false });
		expect(plan.kind).toBe('impossible');
		expect(linkHandlerOutcome(plan, () => true)).toStrictEqual({
			enabled: false,
			problem: expect.stringContaining('without the app’s folder'),
		});
	});
});

describe('linkHandlerOutcome', () => {
	const register = linkHandlerPlan({ on: true, command, holds: () => false });
	it('all accepted: on, nothing to say', () => {
		expect(linkHandlerOutcome(register, () => true)).toStrictEqual({
			enabled: true,
			problem: null,
		});
	});
	it('names the schemes the OS refused and where to fix it', () => {
		const outcome = linkHandlerOutcome(
			register,
			(scheme) => scheme !== 'sips' && scheme !== 'callto',
		);
		expect(outcome.enabled).toBe(false);
		expect(outcome.problem).toBe(
			'The computer did not let the app open sips:, callto: links. You can choose the app for them in your system’s default-apps settings.',
		);
	});
	it('says which schemes the app still holds after turning it off', () => {
		const unregister = linkHandlerPlan({ on: false, command, holds: () => true });
		expect(linkHandlerOutcome(unregister, (scheme) => scheme !== 'tel')).toStrictEqual({
			enabled: true,
			problem:
				'The app is still set to open tel: links; choose another app for them in your system’s default-apps settings.',
		});
	});
});
