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
	readonly platform: string;
	readonly defaultApp: boolean;
}): LinkHandlerPlan {
	// macOS registers the app bundle and ignores the path and arguments: it would be bare Electron.
	if (input.platform === 'darwin' && input.defaultApp) {
		return {
			kind: 'impossible',
			problem: 'A development run on macOS cannot open links; use an installed build of the app.',
		};
	}
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

/**
 * Windows 10 and 11 follow the user's choice in Default apps, not the registration an app writes: after
 * registering, the user still has to pick the app there (or answer Windows' own question on the next link).
 */
const WINDOWS_DEFAULT_APPS =
	'Windows may still open these links with another app until you choose Telnyx Softphone for them in Settings → Apps → Default apps.';

const schemeList = (schemes: readonly LinkScheme[]) => schemes.map((s) => `${s}:`).join(', ');

/** What became of a plan, from the OS's answer per scheme, in words for Settings. */
export function linkHandlerOutcome(
	plan: LinkHandlerPlan,
	accepted: (scheme: LinkScheme) => boolean,
	platform: string,
): ShellOutcome {
	if (plan.kind === 'impossible') return { enabled: false, problem: plan.problem };
	const refused = plan.schemes.filter((scheme) => !accepted(scheme));
	if (plan.kind === 'register') {
		if (refused.length > 0) {
			return {
				enabled: false,
				problem:
					`The computer did not let the app open ${schemeList(refused)} links. ` +
					'You can choose the app for them in your system’s default-apps settings.',
			};
		}
		return { enabled: true, problem: platform === 'win32' ? WINDOWS_DEFAULT_APPS : null };
	}
	return {
		enabled: refused.length > 0,
		problem:
			refused.length === 0
				? null
				: `The app is still set to open ${schemeList(refused)} links; ` +
					'choose another app for them in your system’s default-apps settings.',
	};
}

/**
 * Whether the app still opens the links, as found at start (the app never registers again by itself: a
 * choice the user made since, of another app, stands).
 */
export function linkHandlerStatus(
	holds: (scheme: LinkScheme) => boolean,
	platform: string,
): ShellOutcome {
	const lost = LINK_SCHEMES.filter((scheme) => !holds(scheme));
	if (lost.length > 0) {
		return {
			enabled: false,
			problem: `Another app now opens ${schemeList(lost)} links. Turn this off and on again to open them here.`,
		};
	}
	return { enabled: true, problem: platform === 'win32' ? WINDOWS_DEFAULT_APPS : null };
}
