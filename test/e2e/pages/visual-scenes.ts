/**
 * Every state the visual suite shows, by name: the page (`visual-app.ts`) knows how to reach each one, the
 * spec takes one picture of each per colour scheme and window size, and the baselines are named after them.
 */
export const SCENES = [
	'loading-error',
	'onboarding-key',
	'onboarding-key-error',
	'onboarding-provision',
	'onboarding-provision-failed',
	'onboarding-caller-id',
	'dialer',
	'dialer-offline',
	'dialer-error',
	'incoming-call',
	'incoming-video-call',
	'outgoing-ringing',
	'audio-call',
	'video-call',
	'on-hold',
	'keypad',
	'call-ended',
	'history-empty',
	'history-full',
	'contacts',
	'settings',
	'settings-desktop-problems',
	'setup-test',
	'about',
	'compact-dialer',
	'notices',
] as const;

export type Scene = (typeof SCENES)[number];
