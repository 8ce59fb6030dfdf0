/**
 * Being the computer's handler for call links. Registration takes the scheme from whatever app the user
 * chose before, so it happens only once the user turns "Handle tel: and sip: links" on in Settings; turning
 * it off gives back only the schemes the app still holds. A development run registers Electron with the
 * app's folder (Electron's `process.defaultApp` pattern), never the bare Electron binary.
 */
import type { ShellOutcome } from './shell-ports';
import type { LaunchCommand } from './launch';

/** Every scheme `links.ts` understands, registered together. */
export const LINK_SCHEMES = ['tel', 'sip', 'sips', 'callto'] as const;
export type LinkScheme = (typeof LINK_SCHEMES)[number];

export type LinkHandlerPlan =
	| {
			readonly kind: 'register';
			readonly command: LaunchCommand;
			readonly schemes: readonly LinkScheme[];
	  }
	| {
			readonly kind: 'unregister';
			readonly command: LaunchCommand;
			readonly schemes: readonly LinkScheme[];
	  }
	| { readonly kind: 'impossible'; readonly problem: string };

/** What to ask the OS for, given the user's choice and which schemes the app holds now. */
export function linkHandlerPlan(input: {
	readonly on: boolean;
	readonly command: LaunchCommand | null;
	readonly holds: (scheme: LinkScheme) => boolean;
}): LinkHandlerPlan {
	if (input.command === null) {
		return {
			kind: 'impossible',
			problem:
				'This development run was started without the app’s folder, so links cannot be set to open it.',
		};
	}
	if (input.on) return { kind: 'register', command: input.command, schemes: LINK_SCHEMES };
	return {
		kind: 'unregister',
		command: input.command,
		schemes: LINK_SCHEMES.filter((scheme) => input.holds(scheme)),
	};
}

/** What became of a plan, from the OS's answer per scheme, in words for Settings. */
export function linkHandlerOutcome(
	plan: LinkHandlerPlan,
	accepted: (scheme: LinkScheme) => boolean,
): ShellOutcome {
	if (plan.kind === 'impossible') return { enabled: false, problem: plan.problem };
	const refused = plan.schemes.filter((scheme) => !accepted(scheme));
	if (plan.kind === 'register') {
		return {
			enabled: refused.length === 0,
			problem:
				refused.length === 0
					? null
					: `The computer did not let the app open ${refused.map((s) => `${s}:`).join(', ')} links. ` +
						'You can choose the app for them in your system’s default-apps settings.',
		};
	}
	return {
		enabled: refused.length > 0,
		problem:
			refused.length === 0
				? null
				: `The app is still set to open ${refused.map((s) => `${s}:`).join(', ')} links; ` +
					'choose another app for them in your system’s default-apps settings.',
	};
}
