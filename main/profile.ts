/**
 * The installation profile, from the command line. Development and demo runs get their own user-data folder
 * and keychain service name, so they never read or overwrite a real installation's API key. Only the demo
 * profile accepts endpoints from the command line, and only loopback ones: a production install can never be
 * redirected by whoever launches it.
 */
import type { Endpoints, Profile } from '../preload/contract';
import {
	TELNYX_PRODUCTION,
	checkRestBaseUrl,
	checkSignallingUrl,
	isLoopbackUrl,
} from './endpoints';

export interface ProfileConfig {
	readonly profile: Profile;
	/** Appended to the app's user-data folder name (empty for production). */
	readonly userDataSuffix: string;
	/** The keychain service under which the API key is stored. */
	readonly keychainService: string;
	/** Endpoints used when the settings file has none. */
	readonly defaultEndpoints: Endpoints;
}

export const KEYCHAIN_SERVICE = 'telnyx-softphone';

function option(argv: readonly string[], name: string): string | undefined {
	const prefix = `--${name}=`;
	return argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

export function resolveProfile(argv: readonly string[]): ProfileConfig {
	const requested = option(argv, 'profile');
	if (requested === 'dev') {
		return {
			profile: 'dev',
			userDataSuffix: ' (dev)',
			keychainService: `${KEYCHAIN_SERVICE}-dev`,
			defaultEndpoints: TELNYX_PRODUCTION,
		};
	}
	if (requested === 'demo') {
		const restBaseUrl = option(argv, 'sandbox-rest') ?? 'http://127.0.0.1:14000/v2';
		const signallingUrl = option(argv, 'sandbox-signalling') ?? 'ws://127.0.0.1:14001';
		const problem =
			checkRestBaseUrl(restBaseUrl) ??
			checkSignallingUrl(signallingUrl) ??
			(isLoopbackUrl(restBaseUrl) && isLoopbackUrl(signallingUrl)
				? null
				: 'The demo profile only talks to a sandbox on this computer.');
		if (problem !== null) throw new Error(problem);
		return {
			profile: 'demo',
			userDataSuffix: ' (demo)',
			keychainService: `${KEYCHAIN_SERVICE}-demo`,
			defaultEndpoints: { restBaseUrl, signallingUrl },
		};
	}
	return {
		profile: 'production',
		userDataSuffix: '',
		keychainService: KEYCHAIN_SERVICE,
		defaultEndpoints: TELNYX_PRODUCTION,
	};
}
