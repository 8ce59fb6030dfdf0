/**
 * The line to Telnyx: connecting with a login token from main, signing in again when the SDK's sign-in is
 * refused (once with a fresh token, or with backoff for a credential main has just provisioned:
 * `./login-retry`), and handing the SDK each token main renews. Every sign-in goes through `#signIn` (ask
 * main for a token, connect with it); a renewed token on an open connection goes through `#useToken`.
 *
 * `connection` is the line's status for the UI (the SDK's, plus the countdown between sign-ins of a fresh
 * credential). The call store owns the calls and the one subscription to the softphone, and hands this
 * the line's events (`onConnection`, `onTokenExpiring`).
 */
import type { Settings } from '../../../../preload/contract';
import type { Bridge } from '../bridge';
import type { ConnectionFailure, ConnectionStatus, Softphone } from '../telephony/softphone';
import { nextLoginRetry, type LineStatus } from './login-retry';

export class PhoneSession {
	connection = $state.raw<LineStatus>({ kind: 'idle' });

	readonly #phone: Softphone;
	readonly #bridge: Bridge;
	readonly #settings: () => Settings | null;
	/** The signalling server main chose for this installation (from `app.getInfo`), once known. */
	readonly #signallingUrl: () => string | null;
	readonly #notify: (level: 'warning', message: string) => void;
	readonly #unsubscribe: (() => void)[] = [];
	/** Sign-ins repeated after a refusal since the last connect or registration (see `./login-retry`). */
	#loginRetries = 0;
	/** When main said this installation's credential was provisioned in this session (ms), or null. */
	#credentialFreshSince: number | null = null;
	#loginRetryTimer: ReturnType<typeof setTimeout> | undefined;

	constructor(deps: {
		phone: Softphone;
		bridge: Bridge;
		settings: () => Settings | null;
		signallingUrl: () => string | null;
		notify: (level: 'warning', message: string) => void;
	}) {
		this.#phone = deps.phone;
		this.#bridge = deps.bridge;
		this.#settings = deps.settings;
		this.#signallingUrl = deps.signallingUrl;
		this.#notify = deps.notify;
		this.#unsubscribe.push(
			this.#bridge.on('telnyx:loginToken', (token) => void this.#useToken(token.token)),
			// A credential main has just provisioned may be refused for a few seconds (./login-retry).
			this.#bridge.on('provisioning:progress', (progress) => {
				if (progress.step === 'credential' && progress.status === 'done')
					this.#credentialFreshSince = Date.now();
			}),
		);
	}

	/** Connects with a token from main (reused while valid, so a restart costs no REST call). */
	connect = async (): Promise<void> => {
		this.#cancelLoginRetry();
		const settings = this.#settings();
		if (settings === null || settings.provisioned === null || this.#signallingUrl() === null)
			return;
		this.#loginRetries = 0;
		await this.#signIn('other', (error) => {
			this.connection = {
				kind: 'failed',
				reason: 'other',
				message: `The app could not get a login token: ${String(error)}`,
			};
		});
	};

	disconnect = (): void => {
		this.#cancelLoginRetry();
		this.#phone.disconnect();
	};

	/** After a wake-up or a network change: still registered? If not (or unsure), connect afresh. */
	checkConnection = async (): Promise<void> => {
		if (this.connection.kind === 'registered' && (await this.#phone.checkRegistration())) return;
		await this.connect();
	};

	dispose(): void {
		this.#cancelLoginRetry();
		for (const stop of this.#unsubscribe.splice(0)) stop();
	}

	/** The softphone's line status (the store passes on the port's `connection` events). */
	onConnection(status: ConnectionStatus): void {
		if (status.kind === 'registered') this.#loginRetries = 0;
		// A refused sign-in: an expired token (ask main for a fresh one and try once more), or a credential
		// provisioned moments ago that Telnyx does not know yet (try again with backoff). See ./login-retry.
		if (
			status.kind === 'failed' &&
			(status.reason === 'login-refused' || status.reason === 'reauth-required')
		) {
			const decision = nextLoginRetry({
				freshSince: this.#credentialFreshSince,
				retries: this.#loginRetries,
				now: Date.now(),
			});
			if (decision.kind === 'retry') {
				this.#loginRetries += 1;
				this.connection = decision.fresh
					? {
							kind: 'setting-up',
							attempt: this.#loginRetries,
							retryAt: Date.now() + decision.delayMs,
						}
					: status;
				this.#cancelLoginRetry();
				if (decision.delayMs === 0) {
					this.#signInAgain(status.reason);
					return;
				}
				this.#loginRetryTimer = setTimeout(() => {
					this.#loginRetryTimer = undefined;
					this.#signInAgain(status.reason);
				}, decision.delayMs);
				return;
			}
		}
		this.connection = status;
	}

	/**
	 * Asks main for a login token (its stored one while valid) and connects with it: the one way the phone
	 * signs in. A refusal from main is the line's failure, with `reason` (the SDK's refusal being retried, or
	 * `other`);
	 * a request that did not reach main goes to `unreachable`.
	 */
	async #signIn(reason: ConnectionFailure, unreachable: (error: unknown) => void): Promise<void> {
		let token: Awaited<ReturnType<Bridge['telnyx']['getLoginToken']>>;
		try {
			token = await this.#bridge.telnyx.getLoginToken();
		} catch (error) {
			unreachable(error);
			return;
		}
		if (!token.ok) {
			this.connection = { kind: 'failed', reason, message: token.error.message };
			return;
		}
		const signallingUrl = this.#signallingUrl();
		if (signallingUrl !== null)
			this.#phone.connect({ loginToken: token.value.token, signallingUrl });
	}

	/** Signs in once more after a refusal; a failed request to main leaves the refusal standing. */
	#signInAgain(reason: ConnectionFailure): void {
		void this.#signIn(reason, () => undefined);
	}

	/** Signs in again with a renewed token on the open connection. */
	async #useToken(token: string): Promise<void> {
		await this.#phone
			.renewToken(token)
			.catch(() =>
				this.#notify(
					'warning',
					'Could not renew the sign-in on the open connection; reconnecting.',
				),
			);
	}

	/**
	 * The SDK warned that the token expires within two minutes: main's renewal is late (it slept) or failing.
	 * Main answers with a new token when renewal is due by the clock (its stored one otherwise, which the
	 * phone does not send again); a failure is main's to report (its token warning).
	 */
	async onTokenExpiring(): Promise<void> {
		const token = await this.#bridge.telnyx.getLoginToken().catch(() => null);
		if (token?.ok === true) await this.#useToken(token.value.token);
	}

	#cancelLoginRetry(): void {
		if (this.#loginRetryTimer === undefined) return;
		clearTimeout(this.#loginRetryTimer);
		this.#loginRetryTimer = undefined;
	}
}
