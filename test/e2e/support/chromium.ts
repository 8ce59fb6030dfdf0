/**
 * How the tests launch Chromium: Debian's binary (never a downloaded one), fake camera and microphone that
 * need no prompt, and loopback ICE candidates so two pages can call each other with no network at all.
 */
import type { LaunchOptions } from '@playwright/test';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export function chromiumLaunchOptions(): LaunchOptions {
	return {
		executablePath: CHROMIUM_PATH,
		args: [
			'--use-fake-ui-for-media-stream',
			'--use-fake-device-for-media-stream',
			// Without it a loopback-only host gathers no ICE candidates and calls never leave `new`.
			'--allow-loopback-in-peer-connection',
			'--autoplay-policy=no-user-gesture-required',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
			'--disable-gpu',
			...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
		],
	};
}

/**
 * The visual suite's Chromium: the same binary and flags, plus rendering pinned so a picture depends on the
 * page and not on the machine — sRGB whatever the display profile, grayscale antialiasing with no hinting
 * (hinting and LCD subpixel order come from the host's fontconfig and monitor).
 */
export function visualLaunchOptions(): LaunchOptions {
	const base = chromiumLaunchOptions();
	return {
		...base,
		args: [
			...(base.args ?? []),
			'--force-color-profile=srgb',
			'--font-render-hinting=none',
			'--disable-lcd-text',
			'--disable-font-subpixel-positioning',
		],
	};
}
