/**
 * The tray from the app's state: which icon, what the tooltip says, and the menu — pure, so every state's
 * menu is tested without Electron. `main/electron/tray.ts` turns the result into a `Tray` and a `Menu`.
 *
 * Every label and the tooltip go through `display-text.ts`: the caller in a call, recent calls and
 * installation names come from outside (a caller picks their display name; the page reports the lists),
 * and in a menu label a lone `&` would be taken for a mnemonic marker and vanish.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { DesktopState } from '../../preload/contract';
import { UNKNOWN_CALLER, firstVisible, menuLabel, tooltipText } from './display-text';

export type TrayIconName = 'registered' | 'connecting' | 'offline' | 'in-call' | 'dnd' | 'missed';

export const TRAY_ICONS: readonly TrayIconName[] = [
	'registered',
	'connecting',
	'offline',
	'in-call',
	'dnd',
	'missed',
];

/**
 * The icon file for a state: macOS takes black-and-alpha "template" images, which it tints for the menu
 * bar's light or dark look; elsewhere the coloured icon.
 */
export function trayIconFile(icon: TrayIconName, platform: string): string {
	return `${icon}${platform === 'darwin' ? 'Template' : ''}.png`;
}

export interface TrayLook {
	readonly icon: TrayIconName;
	/** The state in words (the tooltip, and the menu's first line). */
	readonly tooltip: string;
}

/** In a call beats missed calls, which beat do-not-disturb, which beats the connection state. */
export function trayLook(state: DesktopState): TrayLook {
	const connection = connectionWords(state);
	if (state.call !== null) {
		const what =
			state.call.phase === 'ringing'
				? 'Incoming call'
				: state.call.held
					? 'Call on hold'
					: 'In a call';
		return {
			icon: 'in-call',
			tooltip: tooltipText(`Telnyx Softphone — ${what}${state.call.muted ? ' (muted)' : ''}`),
		};
	}
	if (state.missedCalls > 0) {
		const calls = state.missedCalls === 1 ? '1 missed call' : `${state.missedCalls} missed calls`;
		return { icon: 'missed', tooltip: tooltipText(`Telnyx Softphone — ${calls}; ${connection}`) };
	}
	if (state.doNotDisturb)
		return {
			icon: 'dnd',
			tooltip: tooltipText(`Telnyx Softphone — Do not disturb; ${connection}`),
		};
	const icon: TrayIconName =
		state.connection === 'registered'
			? 'registered'
			: state.connection === 'connecting' || state.connection === 'reconnecting'
				? 'connecting'
				: 'offline';
	return { icon, tooltip: tooltipText(`Telnyx Softphone — ${connection}`) };
}

function connectionWords(state: DesktopState): string {
	switch (state.connection) {
		case 'registered':
			return 'ready';
		case 'connecting':
			return 'connecting';
		case 'reconnecting':
			return 'reconnecting';
		case 'offline':
			return 'offline';
		case 'failed':
			return 'not connected';
		case 'setup':
			return 'not set up yet';
	}
}

export interface TrayActions {
	dial(destination: string, video: boolean): void;
	openDialer(): void;
	openWindow(): void;
	toggleMute(): void;
	toggleHold(): void;
	hangup(): void;
	answer(): void;
	decline(): void;
	setDoNotDisturb(on: boolean): void;
	setStartAtLogin(on: boolean): void;
	/** Shows the window on Test my setup. */
	testSetup(): void;
	/** Saves a support bundle (main asks where, builds it and says where it went). */
	saveSupportBundle(): void;
	quit(): void;
}

export interface TrayMenuInput {
	readonly state: DesktopState;
	/** A validated destination found on the clipboard, or null. */
	readonly clipboard: string | null;
	readonly startAtLogin: boolean;
}

const MAX_ITEMS = 8;
/** How much of the clipboard's text the "Call … (clipboard)" label shows, leaving room for the words. */
const CLIPBOARD_LABEL_MAX = 40;

export function buildTrayTemplate(
	{ state, clipboard, startAtLogin }: TrayMenuInput,
	actions: TrayActions,
): MenuItemConstructorOptions[] {
	const ready = state.connection === 'registered';
	const canCall = ready && state.call === null;
	const items: MenuItemConstructorOptions[] = [
		{
			label: menuLabel(trayLook(state).tooltip.replace(/^Telnyx Softphone — /, '')),
			enabled: false,
		},
	];

	if (state.call !== null) {
		const call = state.call;
		items.push(
			{
				label: menuLabel(
					firstVisible([state.callerName ?? '', call.remoteName, call.remote], UNKNOWN_CALLER),
				),
				enabled: false,
			},
			{ type: 'separator' },
		);
		if (call.phase === 'ringing') {
			items.push(
				{ label: 'Answer', click: () => actions.answer() },
				{ label: 'Decline', click: () => actions.decline() },
			);
		} else {
			items.push(
				{ label: 'Mute', type: 'checkbox', checked: call.muted, click: () => actions.toggleMute() },
				{ label: 'Hold', type: 'checkbox', checked: call.held, click: () => actions.toggleHold() },
				{ label: 'Hang up', click: () => actions.hangup() },
			);
		}
	} else {
		items.push({ type: 'separator' });
		items.push({ label: 'Open dialer…', click: () => actions.openDialer() });
		items.push({
			label:
				clipboard === null
					? 'Call number on clipboard'
					: `Call ${menuLabel(clipboard, CLIPBOARD_LABEL_MAX)} (clipboard)`,
			enabled: canCall && clipboard !== null,
			click: () => {
				if (clipboard !== null) actions.dial(clipboard, false);
			},
		});
		if (state.installations.length > 0) {
			items.push({
				label: 'Call installation',
				enabled: canCall,
				submenu: state.installations.slice(0, MAX_ITEMS).map((entry) => ({
					label: menuLabel(firstVisible([entry.name], 'Unnamed installation')),
					click: () => actions.dial(entry.name, false),
				})),
			});
		}
		if (state.recent.length > 0) {
			items.push({
				label: 'Call recent',
				enabled: canCall,
				submenu: state.recent.slice(0, MAX_ITEMS).map((entry) => ({
					label: menuLabel(firstVisible([entry.label, entry.destination], UNKNOWN_CALLER)),
					click: () => actions.dial(entry.destination, false),
				})),
			});
		}
	}

	items.push(
		{ type: 'separator' },
		{
			label: 'Do not disturb',
			type: 'checkbox',
			checked: state.doNotDisturb,
			click: () => actions.setDoNotDisturb(!state.doNotDisturb),
		},
		{
			label: 'Start at login',
			type: 'checkbox',
			checked: startAtLogin,
			click: () => actions.setStartAtLogin(!startAtLogin),
		},
		{ label: 'Show window', click: () => actions.openWindow() },
		{ type: 'separator' },
		// The test uses the microphone, the speaker and a call of its own: not while a call is up.
		{ label: 'Test my setup…', enabled: state.call === null, click: () => actions.testSetup() },
		{ label: 'Save support bundle…', click: () => actions.saveSupportBundle() },
		{ type: 'separator' },
		{ label: 'Quit', click: () => actions.quit() },
	);
	return items;
}
