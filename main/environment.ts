/**
 * What main removes from its own environment before it does anything else: the variables that would send
 * the API key elsewhere or let someone read or intercept the app's TLS traffic. Whoever launches the app
 * (a shortcut, a login script, another program) chooses its environment; none of these may take effect.
 *
 * Removed:
 * - `TELNYX_*` (see `TELNYX_ENVIRONMENT`): the `telnyx` library would read its base URL, key, headers and
 *   logging from them.
 * - `NODE_TLS_REJECT_UNAUTHORIZED`: `'0'` turns off certificate checks for every TLS connection Node makes,
 *   so a self-signed decoy (a hostile Wi-Fi, a redirected DNS name) would receive `Authorization: Bearer
 *   <key>`. Node reads it on every connection, not once at start: `tls.connect` asks
 *   `getAllowUnauthorized()` (lib/internal/options.js), which tests `process.env` each time, and `fetch`
 *   (Node's bundled undici) connects through `tls.connect` without a `rejectUnauthorized` of its own — both
 *   read from the Node 20 binary's own sources. So deleting it here, before the first request, is enough.
 *   Verified on Node 20 by experiment (launched with the variable set, deleted at start: `fetch` to a
 *   self-signed server fails with DEPTH_ZERO_SELF_SIGNED_CERT and the server gets no request) and by
 *   test/integration/main/tls-environment.test.ts. The REST client also refuses to send while it is `'0'`
 *   (`fetchWithVerifiedTls`), in case anything in the process sets it again later.
 * - `SSLKEYLOGFILE`: Chromium's network stack, which carries the page's `wss://` signalling (and the login
 *   tokens on it) and the SDK's `https` call reports, writes every TLS session's secrets to that file, and
 *   anyone holding them decrypts a recording of the traffic. Node's own TLS (the REST client) ignores the
 *   variable (checked on Node 20: no file is written), so this is for Chromium, which reads it when its
 *   network service starts; whether that is after this module runs was not verified (no Electron binary
 *   here) — the Electron smoke test checks that no key log is written.
 *
 * Deliberately left:
 * - `NODE_EXTRA_CA_CERTS` (and `NODE_USE_SYSTEM_CA`): they only add trust anchors, which corporate networks
 *   with a TLS-inspecting proxy need; certificates are still checked. Node reads `NODE_EXTRA_CA_CERTS` once,
 *   when the process starts (its documentation says so), so deleting it here would change nothing anyway.
 * - `HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY`: Node's `fetch` does not use them unless `NODE_USE_ENV_PROXY` is
 *   set (Chromium may, for the page's connections); a proxy only tunnels the TLS connection (certificates
 *   are still checked end to end), and some networks have no other way out.
 * - `NODE_OPTIONS` (which could pass `--use-openssl-ca`, `--tls-keylog`, `--require`): the Electron fuse
 *   `enableNodeOptionsEnvironmentVariable: false` (electron-builder.yml) makes the packaged app ignore it,
 *   and the `runAsNode` and `enableNodeCliInspectArguments` fuses close the other ways in. (Unpackaged
 *   development runs have no fuses.)
 */
import { scrubTelnyxEnvironment } from './telnyx/telnyx-client';

/** Variables that weaken or expose TLS, removed at startup (see above for why each). */
export const TLS_WEAKENING_ENVIRONMENT = ['NODE_TLS_REJECT_UNAUTHORIZED', 'SSLKEYLOGFILE'] as const;

/**
 * Removes every variable above from `env` (main passes `process.env`; deleting from it unsets the real
 * environment, which child processes started later inherit). Returns the names it removed, never their
 * values, for one log line.
 */
export function hardenEnvironment(env: NodeJS.ProcessEnv): string[] {
	const removed = scrubTelnyxEnvironment(env);
	for (const name of TLS_WEAKENING_ENVIRONMENT) {
		if (env[name] === undefined) continue;
		delete env[name];
		removed.push(name);
	}
	return removed;
}
