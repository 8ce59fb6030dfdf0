/**
 * `npm run sandbox`: starts the local Telnyx sandbox and prints where it listens and its API key.
 * Options: --rest-port=14000 --signalling-port=14001 --api-key=KEY… (defaults shown; 0 picks free ports).
 */
import { startIceServers } from './ice-servers';
import { startSandbox } from './sandbox';

function option(name: string): string | undefined {
	const prefix = `--${name}=`;
	return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

const apiKey = option('api-key');
const sandbox = await startSandbox({
	restPort: Number(option('rest-port') ?? 14000),
	signallingPort: Number(option('signalling-port') ?? 14001),
	...(apiKey === undefined ? {} : { apiKey }),
});
const ice = await startIceServers();

console.log(`Telnyx sandbox running (Ctrl+C to stop)
  REST base URL:   ${sandbox.restBaseUrl}
  Signalling URL:  ${sandbox.signallingUrl}
  Admin API:       ${sandbox.adminUrl}
  API key:         ${sandbox.apiKey}
  ICE servers:     ${ice === null ? 'none (install coturn for a local STUN/TURN server)' : `--sandbox-ice-servers='${JSON.stringify(ice.servers)}'`}`);

const stop = () => {
	void Promise.all([sandbox.close(), ice?.close()]).then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
