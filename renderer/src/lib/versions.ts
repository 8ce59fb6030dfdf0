/**
 * The Telnyx WebRTC SDK's version, for About and support. The build writes it in from the installed
 * package (`define` in `vite.renderer.config.ts`; the same in `vitest.config.ts`), because the SDK's public
 * API does not say which version it is. A bundle built without that `define` (the visual suite's page, which
 * sets the constant itself) reads it as unknown rather than failing.
 */
declare const __TELNYX_SDK_VERSION__: string | undefined;

export function sdkVersion(): string | null {
	// `typeof`, so a build without the constant reads it as missing instead of throwing.
	return typeof __TELNYX_SDK_VERSION__ === 'string' ? __TELNYX_SDK_VERSION__ : null;
}
