/**
 * The OS keychain through keytar: macOS Keychain, Windows Credential Vault, or a Secret Service
 * (gnome-keyring, KWallet) on Linux. The only module that imports keytar; everything else goes through
 * `SecretStore`, which adds deadlines, serialisation and state classification.
 */
import keytar from 'keytar';
import type { KeychainBackend } from './secret-store';

export const keytarBackend: KeychainBackend = {
	getPassword: (service, account) => keytar.getPassword(service, account),
	setPassword: (service, account, password) => keytar.setPassword(service, account, password),
	deletePassword: (service, account) => keytar.deletePassword(service, account),
};
