/**
 * Settings that reach outside the app are turned on only after the user confirms them in a question main
 * asks (a native dialog), never on the page's word alone: the page is treated as an attacker, and one that
 * could turn on "handle links" and "dial links at once" would let any web page's tel: link place a call;
 * one that could add a login item would start the app unasked. Turning them off needs no question.
 */
import type { SettingsPatch, UiPreferences } from '../../preload/contract';

export type ConsentSetting = 'handleLinks' | 'dialLinksImmediately' | 'startAtLogin';

export interface ConsentQuestion {
	readonly setting: ConsentSetting;
	readonly message: string;
	readonly detail: string;
	/** The button that agrees; the other is Cancel, the default. */
	readonly confirm: string;
}

export const CONSENT_QUESTIONS: Readonly<Record<ConsentSetting, ConsentQuestion>> = {
	handleLinks: {
		setting: 'handleLinks',
		message: 'Open phone and SIP links with Telnyx Softphone?',
		detail:
			'tel:, sip:, sips: and callto: links will open this app instead of the app chosen for them now.',
		confirm: 'Open links here',
	},
	dialLinksImmediately: {
		setting: 'dialLinksImmediately',
		message: 'Call a link’s number as soon as the link is opened?',
		detail:
			'A phone or SIP link opened in any app or web page will place the call at once, without showing it in the dialer first.',
		confirm: 'Call at once',
	},
	startAtLogin: {
		setting: 'startAtLogin',
		message: 'Start Telnyx Softphone when you log in?',
		detail: 'The app will start in the tray each time you log in to this computer.',
		confirm: 'Start at login',
	},
};

/** The questions a patch needs answered first: each consent setting it turns on from off, in order. */
export function consentNeeded(current: UiPreferences, patch: SettingsPatch): ConsentQuestion[] {
	const ui = patch.ui ?? {};
	return (Object.keys(CONSENT_QUESTIONS) as ConsentSetting[])
		.filter((setting) => ui[setting] === true && !current[setting])
		.map((setting) => CONSENT_QUESTIONS[setting]);
}

/** How long a question the user declined is not asked again (a page cannot re-ask it in a loop). */
export const DECLINED_QUIET_MS = 60_000;

export type ConsentStep =
	{ readonly kind: 'ask' } | { readonly kind: 'refuse'; readonly message: string };

/**
 * One question at a time, and none again soon after the user said no. `answered` records the answer so
 * the next request knows.
 */
export class ConsentGate {
	#open = false;
	readonly #declinedAt = new Map<ConsentSetting, number>();
	readonly #now: () => number;

	constructor(now: () => number = Date.now) {
		this.#now = now;
	}

	request(question: ConsentQuestion): ConsentStep {
		if (this.#open)
			return { kind: 'refuse', message: 'Another question is waiting for your answer.' };
		const declined = this.#declinedAt.get(question.setting);
		if (declined !== undefined && this.#now() - declined < DECLINED_QUIET_MS) {
			return { kind: 'refuse', message: 'Not turned on: you said no a moment ago.' };
		}
		this.#open = true;
		return { kind: 'ask' };
	}

	answered(question: ConsentQuestion, yes: boolean): void {
		this.#open = false;
		if (yes) this.#declinedAt.delete(question.setting);
		else this.#declinedAt.set(question.setting, this.#now());
	}
}
