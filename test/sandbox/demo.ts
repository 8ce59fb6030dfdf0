/**
 * `npm run demo`: starts the local Telnyx sandbox and the app in its demo profile pointed at it, so the app
 * can be tried without a Telnyx account. The demo profile has its own user-data folder and keychain service
 * name, so it never touches a real installation's API key. Stops the sandbox when the app exits.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startIceServers } from './ice-servers';
import { startSandbox } from './sandbox';

const appDir = fileURLToPath(new URL('../../', import.meta.url));
const sandbox = await startSandbox({ restPort: 14000, signallingPort: 14001 });
// Calls gather candidates against STUN/TURN as they do against Telnyx's, when coturn is installed.
const ice = await startIceServers();

console.log(`Telnyx sandbox running for the demo
  REST base URL:   ${sandbox.restBaseUrl}
  Signalling URL:  ${sandbox.signallingUrl}
  API key:         ${sandbox.apiKey}   (paste it into the app when it asks for a Telnyx API key)
  STUN/TURN:       ${ice === null ? 'none (install coturn for a local STUN/TURN server)' : ice.servers.map((s) => s.urls).join(', ')}`);

let electronBinary: string;
try {
	// The electron package downloads its binary on first use; this is where that happens.
	electronBinary = createRequire(import.meta.url)('electron') as string;
} catch (error) {
	console.error(`\nThe Electron binary is not available: ${String(error)}
The sandbox keeps running (Ctrl+C to stop); the app needs a machine that can download Electron.`);
	await new Promise(() => undefined);
	process.exit(1);
}

const app = spawn(
	electronBinary,
	[
		appDir,
		'--profile=demo',
		`--sandbox-rest=${sandbox.restBaseUrl}`,
		`--sandbox-signalling=${sandbox.signallingUrl}`,
		...(ice === null ? [] : [`--sandbox-ice-servers=${JSON.stringify(ice.servers)}`]),
	],
	{ stdio: 'inherit' },
);
const stop = () => {
	void Promise.all([sandbox.close(), ice?.close()]).then(() => process.exit(app.exitCode ?? 0));
};
app.on('exit', stop);
process.on('SIGINT', () => app.kill('SIGINT'));
process.on('SIGTERM', () => app.kill('SIGTERM'));
