/**
 * The account as the UI sees it: whether a key is stored (never the key), provisioning with its progress,
 * the account's numbers, the directory of installations and the call history — all kept by main and
 * mirrored here from main's answers and events.
 */
import type {
	CallerId,
	CallHistoryEntry,
	Installation,
	KeyStatus,
	PhoneNumber,
	ProvisioningProgress,
	Result,
	ProvisioningStep,
	ProvisionOptions,
	SettingsError,
	TelnyxFailure,
} from '../../../preload/contract';
import { directorySearch } from '../../../preload/limits';
import type { Bridge } from './bridge';

export const PROVISIONING_STEPS: readonly { step: ProvisioningStep; label: string }[] = [
	{ step: 'verify', label: 'Check the API key' },
	{ step: 'connection', label: 'Credential connection (video codecs, app-to-app calls)' },
	{ step: 'profile', label: 'Outbound voice profile' },
	{ step: 'credential', label: 'This computer’s credential' },
	{ step: 'token', label: 'Login token' },
];

/** How long the dialer's text must stay unchanged before it is looked up (one lookup per pause in typing). */
export const LOOKUP_DELAY_MS = 600;
/** Shown when the bridge itself fails (main's answers carry their own sentence). */
const LOOKUP_FAILED = 'The directory could not be read just now.';

export class AccountModel {
	keyStatus = $state.raw<KeyStatus | null>(null);
	keyError = $state<string | null>(null);
	savingKey = $state(false);
	/** The latest progress of each provisioning step in this run. */
	progress = $state.raw<Readonly<Partial<Record<ProvisioningStep, ProvisioningProgress>>>>({});
	provisioning = $state(false);
	provisionError = $state.raw<TelnyxFailure | null>(null);
	/** Provisioning succeeded in this run (the onboarding then asks for the caller ID). */
	justProvisioned = $state(false);
	phoneNumbers = $state.raw<readonly PhoneNumber[] | null>(null);
	directory = $state.raw<readonly Installation[]>([]);
	/** The installations that can be called: every one but this computer's. */
	others = $derived(this.directory.filter((entry) => !entry.self));
	/** Why the directory could not be read last time (it keeps its previous entries). */
	directoryError = $state<string | null>(null);
	history = $state.raw<readonly CallHistoryEntry[]>([]);
	readonly #bridge: Bridge;
	readonly #unsubscribe: (() => void)[] = [];
	#lookupTimer: ReturnType<typeof setTimeout> | undefined;

	constructor(bridge: Bridge) {
		this.#bridge = bridge;
	}

	async load(): Promise<void> {
		this.#unsubscribe.push(
			this.#bridge.on('credentials:changed', (status) => {
				this.keyStatus = status;
			}),
			this.#bridge.on('provisioning:progress', (progress) => {
				this.progress = { ...this.progress, [progress.step]: progress };
			}),
			this.#bridge.on('history:changed', (history) => {
				this.history = history;
			}),
		);
		const [status, history] = await Promise.all([
			this.#bridge.credentials.getStatus(),
			this.#bridge.history.list(),
		]);
		this.keyStatus = status;
		this.history = history;
	}

	/** Verifies and keeps the key; the form clears it whatever happens (it is never shown again). */
	setApiKey = async (key: string): Promise<boolean> => {
		this.savingKey = true;
		this.keyError = null;
		try {
			const result = await this.#bridge.credentials.setApiKey(key);
			if (!result.ok) {
				this.keyError = result.error.message;
				return false;
			}
			this.keyStatus = result.value;
			return true;
		} finally {
			this.savingKey = false;
		}
	};

	provision = async (options: ProvisionOptions = {}): Promise<boolean> => {
		this.provisioning = true;
		this.provisionError = null;
		this.progress = {};
		try {
			const result = await this.#bridge.provisioning.run(options);
			if (!result.ok) {
				this.provisionError = result.error;
				if (result.error.code === 'KEY_REJECTED' || result.error.code === 'NO_API_KEY') {
					this.keyStatus = await this.#bridge.credentials.getStatus();
				}
				return false;
			}
			this.justProvisioned = true;
			return true;
		} finally {
			this.provisioning = false;
		}
	};

	loadPhoneNumbers = async (): Promise<void> => {
		const result = await this.#bridge.account.listPhoneNumbers();
		this.phoneNumbers = result.ok ? result.value : [];
	};

	setCallerId = async (callerId: CallerId): Promise<SettingsError | TelnyxFailure | null> => {
		const result = await this.#bridge.account.setCallerId(callerId);
		return result.ok ? null : result.error;
	};

	/**
	 * Asks main for the directory (registration, window focus, the dialer). Main answers from its cache and
	 * decides whether that reaches Telnyx, so asking often costs nothing.
	 */
	refreshDirectory = async (): Promise<void> => {
		this.#applyDirectory(await this.#bridge.account.listInstallations());
	};

	/**
	 * The dialer was opened or its text changed: once typing pauses, asks for the directory, or — when the
	 * text is a full credential name or SIP user name Telnyx could match and no installation here answers to
	 * (`directorySearch`, the rule main applies too) — asks main to look it up (main decides whether its
	 * budget allows a search). Text main would refuse (too long, control characters) is never sent.
	 */
	lookUp = (text: string): void => {
		clearTimeout(this.#lookupTimer);
		this.#lookupTimer = setTimeout(() => void this.#lookUpNow(text.trim()), LOOKUP_DELAY_MS);
	};

	async #lookUpNow(text: string): Promise<void> {
		try {
			if (directorySearch(text, this.directory) === null) await this.refreshDirectory();
			else this.#applyDirectory(await this.#bridge.account.searchInstallations(text));
		} catch {
			// Called from a timer: a bridge failure would otherwise be an unhandled rejection nobody sees.
			this.directoryError = LOOKUP_FAILED;
		}
	}

	#applyDirectory(result: Result<readonly Installation[], TelnyxFailure>): void {
		if (result.ok) {
			this.directory = result.value;
			this.directoryError = null;
		} else {
			this.directoryError = result.error.message;
		}
	}

	signOut = async (forgetApiKey: boolean): Promise<string | null> => {
		const result = await this.#bridge.account.signOut({ forgetApiKey });
		if (!result.ok) return result.error.message;
		this.keyStatus = result.value;
		this.directory = [];
		return null;
	};

	clearHistory = async (): Promise<void> => {
		this.history = await this.#bridge.history.clear();
	};

	dispose(): void {
		clearTimeout(this.#lookupTimer);
		for (const stop of this.#unsubscribe.splice(0)) stop();
	}
}
