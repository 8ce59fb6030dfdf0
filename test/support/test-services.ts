/**
 * The main services as the tests start them: `createMainServices`, the composition the app runs, on a dev
 * profile pointed at the given endpoints, with the real settings file system and (unless a test passes
 * another) the real keychain through keytar. The integration tier (`TestEnv.app`), the end-to-end harness
 * (`launchApp`) and the provisioning bench start their instances here, each adding what it needs on top
 * (logger, events, desktop stand-ins, clock).
 */
import { nodeSettingsFs } from '../../main/node-fs';
import type { ProfileConfig } from '../../main/profile';
import { keytarBackend } from '../../main/secrets/keytar-store';
import type { KeychainBackend } from '../../main/secrets/secret-store';
import { createMainServices, type MainServices, type MainServicesDeps } from '../../main/services';

export type TestServicesOptions = Omit<MainServicesDeps, 'profile' | 'app' | 'fs' | 'keychain'> & {
	/** The instance's own keychain service name, so instances (and test runs) never share entries. */
	readonly keychainService: string;
	readonly endpoints: ProfileConfig['endpoints'];
	/** The tier that starts the instance; the app reports its version as `0.0.0-<tier>`. */
	readonly tier: string;
	readonly name?: string;
	readonly keychain?: KeychainBackend;
};

export function testServices({
	keychainService,
	endpoints,
	tier,
	name = 'Telnyx Softphone',
	keychain = keytarBackend,
	...deps
}: TestServicesOptions): Promise<MainServices> {
	return createMainServices({
		...deps,
		profile: { profile: 'dev', userDataSuffix: '', keychainService, endpoints },
		app: { name, version: `0.0.0-${tier}`, platform: process.platform },
		fs: nodeSettingsFs,
		keychain,
	});
}
