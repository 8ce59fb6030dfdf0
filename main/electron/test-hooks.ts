/**
 * What the Electron smoke tests read through `app.evaluate`: only with `--expose-test-hooks`, and never in
 * the production profile.
 */
import type { Profile } from '../../preload/contract';

export interface TestHooks {
	tray: { tooltip: string; labels: string[] };
	links: { url: string; ok: boolean }[];
	/** Schemes the app asked the OS to hand it (`setAsDefaultProtocolClient`), with the command used. */
	linkRegistrations: { scheme: string; path: string; args: readonly string[] }[];
	/** Notifications held alive right now (see DesktopService). */
	notificationsHeld: () => number;
	/** What the last `activate` did. */
	activated: ('show' | 'open')[];
}

export function createTestHooks(argv: readonly string[], profile: Profile): TestHooks | null {
	if (!argv.includes('--expose-test-hooks') || profile === 'production') return null;
	const hooks: TestHooks = {
		tray: { tooltip: '', labels: [] },
		links: [],
		linkRegistrations: [],
		notificationsHeld: () => 0,
		activated: [],
	};
	Object.assign(globalThis, { __softphoneTestHooks: hooks });
	return hooks;
}
