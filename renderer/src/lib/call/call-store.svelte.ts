/**
 * The softphone's state for the UI, as a runes class over the `Softphone` port and the bridge to main:
 * connection status, the call list (through the pure reducer), notices, and the actions the UI offers.
 * Values from main and the adapter are replaced, never mutated (`$state.raw`).
 *
 * The line (connect, sign in again, token renewal) is `./phone-session`'s; what to do with a call (do not
 * disturb, a dialled extension, the history entry) is `./call-policy`'s; what main is told is
 * `./desktop-report`'s. This applies their decisions, and holds reports and history writes while an
 * answered call's media connects (docs/renderer-performance.md, "Critical path").
 *
 * The camera switch (Settings → Devices) is applied here and nowhere else: `cameraEnabled` (from
 * `./camera`) turns a video dial or answer into audio, refuses to turn a camera back on and to move a call
 * to another camera, and the components hide their video buttons from it.
 */
import type {
	CallHistoryEntry,
	DialResolution,
	PhoneCommand,
	PhoneReport,
	Settings,
} from '../../../../preload/contract';
import { normaliseDtmf } from '../../../../preload/dial-grammar';
import type { DirectoryEntry } from '../../../../preload/limits';
import type { Bridge } from '../bridge';
import { callerIdProblem, resolverFor, type Resolve } from '../dial/destination';
import type { CallSnapshot, MediaElements, Softphone } from '../telephony/softphone';
import { cameraAllowed } from './camera';
import { phaseMark } from './phase-marks';
import { CallLedger } from './call-ledger';
import {
	declinedByDoNotDisturb,
	DND_END,
	EXTENSION_DELAY_MS,
	extensionDue,
	historyEntry,
} from './call-policy';
import { desktopReport } from './desktop-report';
import type { LineStatus } from './login-retry';
import { MediaGate } from './media-gate.svelte';
import { PhoneSession } from './phone-session.svelte';
import { focusedCall, heldCalls, isLive, reduceCalls, ringing, type Calls } from './calls';

export interface Notice {
	readonly id: number;
	readonly level: 'info' | 'warning' | 'error';
	readonly message: string;
}

/**
 * How long work off the media path waits for an answered call's media to connect. ICE and DTLS take tens of
 * milliseconds to a second or so; a call whose media never connects must not hold the tray and history back
 * until the SDK gives up on it.
 */
export const MEDIA_WAIT_MS = 3000;

export class CallStore {
	calls = $state.raw<Calls>([]);
	notices = $state.raw<readonly Notice[]>([]);
	dialError = $state<string | null>(null);
	focused = $derived(focusedCall(this.calls));
	incoming = $derived(ringing(this.calls));
	onHold = $derived(heldCalls(this.calls, this.focused));
	busy = $derived(
		this.calls.some((c) => isLive(c) && !(c.direction === 'inbound' && c.phase === 'ringing')),
	);
	/**
	 * The tone to play: the ringtone while a call rings in, the ringback while the far end of the call in
	 * front rings. The ringback stops the moment the far end answers, before the media has connected: what
	 * follows is the other side's voice, and a ringback heard over it (or after they spoke) would say the
	 * call is still ringing; stopping it costs well under a millisecond (docs/renderer-performance.md).
	 */
	tone = $derived<'ring' | 'ringback' | null>(
		this.incoming.length > 0
			? 'ring'
			: this.focused?.direction === 'outbound' && this.focused.phase === 'ringing'
				? 'ringback'
				: null,
	);
	/**
	 * Reports to main and history writes wait while an answered call's media connects (`./media-gate`), for
	 * at most `MEDIA_WAIT_MS`, so that nothing else runs on the page or crosses to main meanwhile; the latest
	 * report held meanwhile is sent once it has connected.
	 */
	readonly #media = new MediaGate(MEDIA_WAIT_MS, () => {
		if (this.#heldReport !== null) this.reportToMain(this.#heldReport);
	});
	/** An answered call's media is connecting (see `#media`). */
	get mediaPending(): boolean {
		return this.#media.pending;
	}

	readonly #phone: Softphone;
	readonly #bridge: Bridge;
	readonly #session: PhoneSession;
	readonly #settings: () => Settings | null;
	readonly #directory: () => readonly DirectoryEntry[];
	readonly #resolve: Resolve;
	readonly #unsubscribe: (() => void)[] = [];
	readonly #ledger = new CallLedger();
	#noticeId = 0;
	/** A call is being placed (nothing shows until the SDK's first update, so the Dialer stays open). */
	#dialing = false;
	/** The last report sent to main (as JSON, to send only changes), and one held while `mediaPending`. */
	#lastReport: string | null = null;
	#heldReport: PhoneReport | null = null;

	/**
	 * Whether calls may use the camera (the user's switch, see `./camera`). A getter over the settings dep,
	 * so it is reactive wherever the settings are, and never a stale copy.
	 */
	get cameraEnabled(): boolean {
		return cameraAllowed(this.#settings());
	}

	constructor(deps: {
		phone: Softphone;
		bridge: Bridge;
		settings: () => Settings | null;
		signallingUrl: () => string | null;
		directory: () => readonly DirectoryEntry[];
	}) {
		this.#phone = deps.phone;
		this.#bridge = deps.bridge;
		this.#settings = deps.settings;
		this.#directory = deps.directory;
		this.#resolve = resolverFor(deps.bridge);
		this.#session = new PhoneSession({ ...deps, notify: this.notify });
		this.#unsubscribe.push(
			this.#phone.subscribe((event) => {
				// The line's events (its status, an expiring token) are the session's.
				if (event.type === 'connection') this.#session.onConnection(event.status);
				else if (event.type === 'call') this.#onCall(event.call);
				else if (event.type === 'tokenExpiring') void this.#session.onTokenExpiring();
				else this.notify(event.level, event.message);
			}),
			this.#bridge.on('telnyx:tokenWarning', (warning) => this.notify('warning', warning.message)),
			this.#bridge.on('account:notice', (message) => this.notify('info', message)),
		);
	}

	/** The line's status (`./phone-session`). */
	get connection(): LineStatus {
		return this.#session.connection;
	}

	/** Connects with a token from main (reused while valid, so a restart costs no REST call). */
	connect = (): Promise<void> => this.#session.connect();
	disconnect = (): void => this.#session.disconnect();
	/** After a wake-up or a network change: still registered? If not (or unsure), connect afresh. */
	checkConnection = (): Promise<void> => this.#session.checkConnection();

	/**
	 * Test my setup's view of the phone: the signalling check, the ICE servers calls use, and the short call to
	 * Telnyx's echo number with the caller ID and microphone a real call would use (so Telnyx refuses it for the
	 * same reasons it would refuse a call).
	 */
	readonly diagnostics = {
		checkSignalling: () => this.#phone.checkSignalling(),
		iceServers: () => this.#phone.iceServers(),
		testCall: (destination: string, durationMs: number) => {
			const settings = this.#settings();
			return this.#phone.testCall({
				destination,
				durationMs,
				callerName: settings?.callerId.name ?? '',
				callerNumber: settings?.callerId.number ?? null,
				microphoneId: settings?.devices.microphoneId ?? null,
			});
		},
	};

	/**
	 * A command from the tray, a notification or a global shortcut, applied to the call it concerns. The tray
	 * and shortcuts name no call (`callId` null): the one in front. A notification names the call it
	 * announced, and its Answer or Decline must never reach another call that rang in since (the first one
	 * gone, a second one ringing): then nothing happens, and a notice says why.
	 */
	command = async (command: PhoneCommand, callId: string | null = null): Promise<void> => {
		if (callId !== null) return this.#commandFor(command, callId);
		const ringing = this.incoming[0];
		const focused = this.focused !== null && isLive(this.focused) ? this.focused : null;
		switch (command) {
			case 'answer':
				if (ringing !== undefined) await this.answer(ringing.id, false);
				return;
			case 'decline':
				if (ringing !== undefined) this.decline(ringing.id);
				return;
			case 'hangup':
				if (focused !== null) this.hangup(focused.id);
				else if (ringing !== undefined) this.decline(ringing.id);
				return;
			case 'toggleMute':
				if (focused !== null) this.setMuted(focused.id, !focused.muted);
				return;
			case 'toggleHold':
				if (focused?.phase === 'held') await this.unhold(focused.id);
				else if (focused?.phase === 'active') await this.hold(focused.id);
				return;
		}
	};

	/** A command for one named call, applied only while that call can still take it. */
	async #commandFor(command: PhoneCommand, callId: string): Promise<void> {
		const call = this.calls.find((c) => c.id === callId);
		const ringing = this.incoming.some((c) => c.id === callId);
		switch (command) {
			case 'answer':
			case 'decline':
				if (!ringing) {
					this.notify('info', 'That call is no longer ringing.');
					return;
				}
				if (command === 'answer') await this.answer(callId, false);
				else this.decline(callId);
				return;
		}
		if (call === undefined || !isLive(call)) {
			this.notify('info', 'That call has already ended.');
			return;
		}
		switch (command) {
			case 'hangup':
				if (ringing) this.decline(callId);
				else this.hangup(callId);
				return;
			case 'toggleMute':
				this.setMuted(callId, !call.muted);
				return;
			case 'toggleHold':
				if (call.phase === 'held') await this.unhold(callId);
				else if (call.phase === 'active') await this.hold(callId);
				return;
		}
	}

	/**
	 * Sends main the phone's state for its tray and notifications (`report`): only when it changed, and not
	 * while an answered call's media is connecting — then the latest is sent once it has connected.
	 */
	reportToMain = (report: PhoneReport): void => {
		if (this.mediaPending) {
			this.#heldReport = report;
			return;
		}
		this.#heldReport = null;
		const json = JSON.stringify(report);
		if (json === this.#lastReport) return;
		this.#lastReport = json;
		phaseMark('desktop-report');
		void this.#bridge.desktop.report(report).catch(() => undefined);
	};

	/** The phone's state for main's tray and notifications (`./desktop-report`). */
	report = (
		installations: readonly { name: string }[],
		recent: readonly { label: string; destination: string }[],
	): PhoneReport =>
		desktopReport({ connection: this.connection, calls: this.calls, installations, recent });

	/**
	 * Asks main what the user typed means and dials it; a refusal lands in `dialError` and nothing is
	 * dialled. Main decides (`dial.resolve`: its directory, the caller ID number's country), which costs one
	 * IPC round trip before the SDK is asked — well under a millisecond in Electron, next to the call's
	 * set-up. A video call asked for while the camera is switched off (a link, the tray, a call back) is
	 * placed as an audio call; the call panel says why (a notice would sit over its buttons).
	 */
	dial = async (input: string, wantsVideo: boolean): Promise<string | null> => {
		// A second press of Call while the first is being checked or placed would place a second call.
		if (this.#dialing) return null;
		this.#dialing = true;
		try {
			return await this.#place(input, wantsVideo);
		} finally {
			this.#dialing = false;
		}
	};

	async #place(input: string, wantsVideo: boolean): Promise<string | null> {
		let resolved: DialResolution;
		try {
			resolved = await this.#resolve(input);
		} catch {
			this.dialError = 'The destination could not be checked just now. Try again.';
			return null;
		}
		if (!resolved.ok) {
			this.dialError = resolved.error.message;
			return null;
		}
		const target = resolved.value;
		// Read after main answered: a caller ID chosen meanwhile is the one presented.
		const settings = this.#settings();
		const callerNumber = settings?.callerId.number ?? null;
		// Links, call backs and contacts reach here without the dialer's own check.
		const callerIdRefusal = callerIdProblem(target, callerNumber);
		if (callerIdRefusal !== null) {
			this.dialError = callerIdRefusal;
			return null;
		}
		if (this.connection.kind !== 'registered') {
			this.dialError = 'Not connected to Telnyx yet. Wait until the status says Ready.';
			return null;
		}
		this.dialError = null;
		const video = wantsVideo && this.cameraEnabled;
		if (!(await this.#mediaAllowed(video))) return null;
		let id: string;
		try {
			id = this.#phone.dial(target.dial, {
				video,
				callerName: settings?.callerId.name ?? '',
				callerNumber,
				microphoneId: settings?.devices.microphoneId ?? null,
				cameraId: settings?.devices.cameraId ?? null,
			});
		} catch {
			// The connection dropped while the OS was asked for the microphone or camera.
			this.dialError = 'Not connected to Telnyx right now. Wait until the status says Ready.';
			return null;
		}
		if (target.extension !== null) this.#ledger.extensions.set(id, target.extension);
		return id;
	}

	/** Answers (with audio only while the camera is switched off); a call in progress is held first. */
	answer = async (id: string, wantsVideo: boolean): Promise<void> => {
		phaseMark('answer-pressed');
		const video = wantsVideo && this.cameraEnabled;
		if (!(await this.#mediaAllowed(video))) return;
		// The caller may have hung up while the OS asked for the microphone; the SDK would throw.
		if (!this.incoming.some((c) => c.id === id)) return;
		await this.#takeLine(id);
		const devices = this.#settings()?.devices;
		await this.#phone.answer(id, {
			video,
			microphoneId: devices?.microphoneId ?? null,
			cameraId: devices?.cameraId ?? null,
		});
	};

	decline = (id: string): void => this.#phone.decline(id);
	hangup = (id: string): void => this.#phone.hangup(id);
	setMuted = (id: string, muted: boolean): void => this.#phone.setMuted(id, muted);
	/** Turns a call's camera off, or back on unless the camera is switched off in Settings. */
	setCameraOff = (id: string, off: boolean): void => {
		if (!off && !this.cameraEnabled) return;
		this.#phone.setCameraOff(id, off);
	};
	/**
	 * The camera was switched off in Settings: turn it off in every live video call too. Main's permission
	 * policy only refuses new camera requests; a camera already open for a call would keep sending.
	 */
	stopCameras = (): void => {
		if (this.cameraEnabled) return;
		for (const call of this.calls) {
			if (isLive(call) && call.video && !call.cameraOff) this.#phone.setCameraOff(call.id, true);
		}
	};
	hold = (id: string): Promise<void> => this.#phone.hold(id);
	/** Resumes a call on hold; the call in the foreground is put on hold first. */
	unhold = async (id: string): Promise<void> => {
		await this.#takeLine(id);
		await this.#phone.unhold(id);
	};

	/** Sends keypad digits; anything but 0-9, A-D, * and # is refused before it reaches the SDK. */
	sendDtmf = (id: string, input: string): boolean => {
		const digits = normaliseDtmf(input);
		if (digits === null) return false;
		this.#phone.sendDtmf(id, digits);
		return true;
	};

	attachMedia = (id: string, elements: MediaElements): void =>
		this.#phone.attachMedia(id, elements);
	setSpeaker = (deviceId: string | null): Promise<void> => this.#phone.setSpeaker(deviceId);
	setCallReports = (on: boolean): void => this.#phone.setCallReports(on);

	/** Moves live calls to a newly chosen microphone or camera (no camera while it is switched off). */
	switchDevice = async (kind: 'microphone' | 'camera', deviceId: string | null): Promise<void> => {
		// Moving to another camera opens it, which is exactly what the switch forbids.
		if (kind === 'camera' && !this.cameraEnabled) return;
		await Promise.all(
			this.calls.filter(isLive).map((c) => this.#phone.switchDevice(c.id, kind, deviceId)),
		);
	};

	notify = (level: Notice['level'], message: string): void => {
		this.#noticeId += 1;
		this.notices = [
			...this.notices.filter((n) => n.message !== message),
			{ id: this.#noticeId, level, message },
		].slice(-5);
	};

	dismissNotice = (id: number): void => {
		this.notices = this.notices.filter((n) => n.id !== id);
	};

	dispose(): void {
		this.#session.dispose();
		this.#media.dispose();
		for (const stop of this.#unsubscribe.splice(0)) stop();
		this.#phone.dispose();
	}

	/**
	 * Asks main whether the operating system lets the app use the microphone (and camera): on macOS this
	 * is where the system prompt appears. A refusal is explained, with where to fix it.
	 */
	async #mediaAllowed(video: boolean): Promise<boolean> {
		const key = video ? 'camera' : 'microphone';
		if (this.#ledger.mediaGranted.has(key)) return true;
		const access = await this.#bridge.media.requestAccess({ camera: video });
		if (access.message !== null) {
			this.notify('error', access.message);
			return false;
		}
		this.#ledger.mediaGranted.add(key);
		if (video) this.#ledger.mediaGranted.add('microphone');
		return true;
	}

	/**
	 * Opens the chosen microphone as soon as a call rings, so that Answer does not wait for it (the adapter
	 * stops it if the call is not answered here). Only once the OS lets the app use the microphone: the OS
	 * is asked as Answer would ask it (on macOS the first time ever, a prompt the answer needs anyway), and a
	 * refusal is said on Answer, not while the phone rings.
	 */
	async #prewarm(id: string): Promise<void> {
		if (!this.#ledger.mediaGranted.has('microphone')) {
			const access = await this.#bridge.media.requestAccess({ camera: false }).catch(() => null);
			if (access?.message !== null) return;
			this.#ledger.mediaGranted.add('microphone');
		}
		// Still ringing here (the OS's answer takes a moment): a call gone meanwhile needs no microphone.
		if (!this.incoming.some((c) => c.id === id)) return;
		phaseMark('prewarm');
		this.#phone.prewarm(id, { microphoneId: this.#settings()?.devices.microphoneId ?? null });
	}

	/** Holds the active call before call `id` takes the line, so that only one call is ever active. */
	async #takeLine(id: string): Promise<void> {
		const current = this.focused;
		if (current !== null && current.id !== id && current.phase === 'active')
			await this.#phone.hold(current.id);
	}

	/** Names a call's other side after the directory when the SDK gives no name (installation calls). */
	#named(call: CallSnapshot): CallSnapshot {
		if (call.remoteName !== '') return call;
		const user = call.remote.replace(/^sips?:/i, '').replace(/@sip\.telnyx\.com$/i, '');
		const entry = this.#directory().find((e) => e.sipUsername === user);
		return entry === undefined ? call : { ...call, remoteName: entry.name };
	}

	#onCall(update: CallSnapshot): void {
		const call = this.#named(update);
		// A call declined by do not disturb (`./call-policy`) never rings or shows; its end is logged as missed.
		const shownRinging = this.calls.some(
			(c) => c.id === call.id && c.direction === 'inbound' && c.phase === 'ringing',
		);
		if (
			this.#ledger.rejected.has(call.id) ||
			declinedByDoNotDisturb(call, {
				doNotDisturb: this.#settings()?.ui.doNotDisturb === true,
				shownRinging,
			})
		) {
			if (!this.#ledger.rejected.has(call.id)) {
				this.#ledger.rejected.add(call.id);
				this.#phone.decline(call.id);
				this.calls = this.calls.filter((c) => c.id !== call.id);
			}
			if (call.phase === 'ended' && !this.#ledger.recorded.has(call.id)) {
				this.#ledger.recorded.add(call.id);
				const entry = historyEntry({ ...call, end: DND_END });
				this.#media.whenSettled(() => this.#record(entry));
			}
			return;
		}
		const previous = this.calls.find((c) => c.id === call.id);
		this.calls = reduceCalls(this.calls, call);
		this.#media.track(call, call.phase === 'ended' || this.#ledger.recorded.has(call.id));
		if (call.direction === 'inbound' && call.phase === 'ringing' && previous === undefined)
			void this.#prewarm(call.id);
		const extension = extensionDue(call, previous, this.#ledger.extensions.get(call.id));
		if (extension !== null) {
			this.#ledger.extensions.delete(call.id);
			setTimeout(() => {
				if (this.calls.find((c) => c.id === call.id)?.phase === 'active')
					this.#phone.sendDtmf(call.id, extension);
			}, EXTENSION_DELAY_MS);
		}
		if (call.phase === 'ended' && !this.#ledger.recorded.has(call.id)) {
			this.#ledger.recorded.add(call.id);
			this.#ledger.extensions.delete(call.id);
			const entry = historyEntry(call);
			this.#media.whenSettled(() => this.#record(entry));
		}
		this.#media.flush();
	}

	#record(entry: CallHistoryEntry): void {
		phaseMark('history-write');
		void this.#bridge.history.add(entry).catch(() => undefined);
	}
}
