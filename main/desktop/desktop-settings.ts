/**
 * The settings that belong to the desktop — global shortcuts, link handling, start at login — applied
 * through the shell's ports when the app starts and whenever they change, and what became of them kept as
 * the `DesktopStatus` the Settings view shows. The app and the end-to-end harness both run this (from
 * `createMainServices`); only the ports differ.
 */
import type {
	DesktopStatus,
	EventMap,
	SettingsError,
	SettingsPatch,
	Shortcuts,
	UiPreferences,
} from '../../preload/contract';
import type { Logger } from '../logger';
import type { SettingsStore } from '../settings/settings-file';
import { serial } from '../storage/serial';
import { ConsentGate, consentNeeded } from './consent';
import type { ShellPorts } from './shell-ports';

export interface DesktopFacts {
	/** Whether this desktop shows tray icons (see `tray-probe.ts`); may be learnt later. */
	readonly trayAvailable: boolean;
	readonly wayland: boolean;
}

export interface DesktopSettingsDeps {
	readonly settings: SettingsStore;
	readonly shell: ShellPorts;
	readonly facts: DesktopFacts;
	readonly emit: <E extends keyof EventMap>(event: E, ...payload: EventMap[E]) => void;
	readonly logger: Logger;
	/** The clock the consent gate reads (tests pass their own). */
	readonly now?: () => number;
}

const linkStatus = (outcome: { enabled: boolean; problem: string | null }) => ({
	registered: outcome.enabled,
	problem: outcome.problem,
});

type Applied = Pick<UiPreferences, 'shortcuts' | 'handleLinks' | 'startAtLogin'>;

export class DesktopSettings {
	#status: DesktopStatus;
	#applied: Applied | null = null;
	/** Login-item changes run one after another, so quick on/off/on ends as the user left it. */
	readonly #loginItems = serial();
	#stop: () => void = () => {};
	readonly #consent: ConsentGate;
	/** Nothing is told before the start is done: no window exists yet, and each asks for the status. */
	#started = false;
	readonly #deps: DesktopSettingsDeps;

	constructor(deps: DesktopSettingsDeps) {
		this.#deps = deps;
		this.#consent = new ConsentGate(deps.now);
		this.#status = {
			shortcuts: [],
			trayAvailable: deps.facts.trayAvailable,
			wayland: deps.facts.wayland,
			links: { registered: false, problem: null },
			startAtLogin: { enabled: false, problem: null },
		};
	}

	status(): DesktopStatus {
		return this.#status;
	}

	/**
	 * Applies the stored choices once, then follows every change. Links are never registered at start, even
	 * when the setting is on: if the user has since chosen another app for them, that choice stands, and
	 * Settings says so. The login item is read from the OS, and if the user changed it outside the app (or
	 * an older version set it), the setting follows the OS.
	 */
	async start(): Promise<void> {
		const { settings, shell } = this.#deps;
		const ui = settings.get().ui;
		this.#applyShortcuts(ui.shortcuts);
		if (ui.handleLinks) this.#update({ links: linkStatus(shell.readLinkHandler()) });
		const login = await shell.readStartAtLogin();
		this.#update({ startAtLogin: { enabled: login.enabled, problem: login.problem } });
		this.#applied = {
			shortcuts: ui.shortcuts,
			handleLinks: ui.handleLinks,
			startAtLogin: login.enabled,
		};
		this.#stop = settings.onChange((next) => this.#react(next.ui));
		if (login.enabled !== ui.startAtLogin) {
			await settings.update({ ui: { startAtLogin: login.enabled } });
		}
		this.#started = true;
	}

	/**
	 * Asks the user about each setting the patch turns on that acts outside the app (`consent.ts`); answers
	 * the refusal to return instead of saving, or null to go ahead.
	 */
	async confirm(patch: SettingsPatch): Promise<SettingsError | null> {
		// The settings are read again after each answer: one the patch would turn on may have been turned
		// off while the question was open, and it needs its own yes then.
		const asked = new Set<string>();
		for (;;) {
			const question = consentNeeded(this.#deps.settings.get().ui, patch).find(
				(next) => !asked.has(next.setting),
			);
			if (question === undefined) return null;
			asked.add(question.setting);
			const field = `ui.${question.setting}`;
			const step = this.#consent.request(question);
			if (step.kind === 'refuse') return { code: 'NOT_CONFIRMED', field, message: step.message };
			const yes = await this.#deps.shell.confirm(question).catch(() => false);
			this.#consent.answered(question, yes);
			if (!yes) {
				this.#deps.logger.info('consent.declined', { setting: question.setting });
				return { code: 'NOT_CONFIRMED', field, message: 'Not turned on: you did not confirm it.' };
			}
		}
	}

	/** The tray probe answered (it runs after the window is up, so it never delays the start). */
	setTrayAvailable(available: boolean): void {
		if (available !== this.#status.trayAvailable) this.#update({ trayAvailable: available });
	}

	/** Resolves once every login-item change asked for so far has been applied. */
	settled(): Promise<void> {
		return this.#loginItems(() => undefined);
	}

	dispose(): void {
		this.#stop();
	}

	#react(ui: UiPreferences): void {
		const applied = this.#applied;
		if (applied === null) return;
		this.#applied = {
			shortcuts: ui.shortcuts,
			handleLinks: ui.handleLinks,
			startAtLogin: ui.startAtLogin,
		};
		if (JSON.stringify(ui.shortcuts) !== JSON.stringify(applied.shortcuts)) {
			this.#applyShortcuts(ui.shortcuts);
		}
		if (ui.handleLinks !== applied.handleLinks) this.#applyLinks(ui.handleLinks);
		if (ui.startAtLogin !== applied.startAtLogin) {
			const on = ui.startAtLogin;
			void this.#loginItems(async () => {
				const outcome = await this.#deps.shell.setStartAtLogin(on).catch((error: unknown) => ({
					enabled: !on,
					problem: `The computer did not accept the change (${String(error)}).`,
				}));
				if (outcome.problem !== null) this.#deps.logger.warn('loginItem.failed', { on });
				this.#update({ startAtLogin: outcome });
			});
		}
	}

	#applyShortcuts(shortcuts: Shortcuts): void {
		const problems = this.#deps.shell.registerShortcuts(shortcuts);
		for (const problem of problems) {
			this.#deps.logger.warn('shortcut.unavailable', {
				action: problem.action,
				message: problem.message,
			});
		}
		this.#update({ shortcuts: problems.map(({ action, message }) => ({ action, message })) });
	}

	#applyLinks(on: boolean): void {
		const outcome = this.#deps.shell.setLinkHandler(on);
		if (outcome.problem !== null) this.#deps.logger.warn('links.registration', { on });
		this.#update({ links: linkStatus(outcome) });
	}

	#update(change: Partial<DesktopStatus>): void {
		this.#status = { ...this.#status, ...change };
		if (this.#started) this.#deps.emit('desktop:status', this.#status);
	}
}
