/**
 * A throwaway self-signed certificate for 127.0.0.1, for the decoy HTTPS servers of the tests that check the
 * app never sends anything over a connection it cannot verify. Made with the openssl command (run-all.sh
 * installs it); throws, saying so, where there is none.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
	const dir = mkdtempSync(path.join(tmpdir(), 'softphone-cert-'));
	const keyFile = path.join(dir, 'key.pem');
	const certFile = path.join(dir, 'cert.pem');
	try {
		execFileSync(
			'openssl',
			// prettier-ignore
			[
				'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
				'-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
				'-keyout', keyFile, '-out', certFile,
			],
			{ stdio: 'pipe' },
		);
		return { key: readFileSync(keyFile), cert: readFileSync(certFile) };
	} catch (error) {
		throw new Error(`A decoy's certificate is made with the openssl command: ${String(error)}`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
