/**
 * Test my setup's decisions: each check's measurements in, a verdict in words and what to do next out. Pure,
 * so every threshold is tested without a browser; the probes (`probes.ts`) and the adapter's test call measure.
 *
 * Thresholds, and why:
 * - microphone: the loudest 50 ms of input above 0.02 RMS (about −34 dBFS, a quiet voice near a laptop's
 *   microphone) is "we hear you"; a muted or dead input stays near 0.
 * - signalling: a round trip above 500 ms on the open socket makes call set-up visibly slow.
 * - the test call: the estimated MOS (ITU-T G.107's E-model, simplified: `estimateMos`) in the usual bands,
 *   ≥ 4.0 good (toll quality), ≥ 3.6 fair (some users notice), below poor.
 */
import type { SetupCheck } from '../../../../preload/contract';
import { estimateMos } from '../quality/call-stats';
import { MOS_FAIR, MOS_GOOD } from '../quality/quality-format';
import type { SignallingCheck, TestCallReport } from '../telephony/softphone';

/** Telnyx's echo test number: the destination the SDK's own pre-call diagnostic dials by default. */
export const TELNYX_ECHO_NUMBER = '+18722315806';

export const MICROPHONE_HEARD_RMS = 0.02;
export const SLOW_SIGNALLING_MS = 500;

export interface MicrophoneReading {
	readonly device: string;
	/** The loudest 50 ms window's RMS (0–1); null when the microphone could not be opened. */
	readonly peak: number | null;
	readonly error: string | null;
}

export function microphoneCheck({ device, peak, error }: MicrophoneReading): SetupCheck {
	const figures = { device, peakLevel: peak === null ? null : round(peak, 3) };
	if (error !== null || peak === null)
		return {
			id: 'microphone',
			verdict: 'failed',
			summary: `The microphone (${device}) could not be opened: ${error ?? 'no reason given'}.`,
			advice:
				'Close other apps that may be using it, check that this app may use the microphone in the system settings, or choose another microphone.',
			figures,
		};
	if (peak >= MICROPHONE_HEARD_RMS)
		return {
			id: 'microphone',
			verdict: 'good',
			summary: `We hear you on ${device}.`,
			advice: null,
			figures,
		};
	return {
		id: 'microphone',
		verdict: 'poor',
		summary: `No sound from ${device}.`,
		advice:
			'Check that it is not muted (a switch on the headset or a key on the keyboard), turn its input volume up in the system settings, or choose another microphone.',
		figures,
	};
}

export interface SpeakerReading {
	readonly speaker: string;
	readonly ringer: string;
	/** The tone rendered with sound (its output was measured), on the chosen devices or the default. */
	readonly played: boolean;
	/** A chosen device could not be used, so the default output played it instead. */
	readonly fellBack: boolean;
	/** What the user answered to "Did you hear it?"; null before they answer. */
	readonly heard: boolean | null;
}

export function speakerCheck(reading: SpeakerReading): SetupCheck {
	const { speaker, ringer, played, fellBack, heard } = reading;
	const figures = { speaker, ringer, played, fellBack, heard };
	const where = speaker === ringer ? speaker : `${speaker} (calls) and ${ringer} (ringing)`;
	if (!played)
		return {
			id: 'speaker',
			verdict: 'failed',
			summary: `The test tone could not be played on ${where}.`,
			advice: 'Choose another speaker below, or check the sound settings of the computer.',
			figures,
		};
	if (heard === false)
		return {
			id: 'speaker',
			verdict: 'poor',
			summary: `The test tone played on ${where}, but you did not hear it.`,
			advice:
				'Turn the volume up, unmute the device, or choose the speaker you are listening on below.',
			figures,
		};
	const fallback = fellBack
		? ' (a chosen device was missing, so the default output played it)'
		: '';
	return {
		id: 'speaker',
		verdict: heard === true ? (fellBack ? 'fair' : 'good') : 'fair',
		summary:
			heard === true
				? `You heard the test tone on ${where}${fallback}.`
				: `The test tone played on ${where}${fallback}. Did you hear it?`,
		advice: fellBack ? 'Choose the speaker again below: the one chosen is not connected.' : null,
		figures,
	};
}

export interface CameraReading {
	readonly device: string;
	/** Video calls are switched off (Settings ▸ Devices): the camera is not opened. */
	readonly disabled: boolean;
	readonly width: number;
	readonly height: number;
	/** Frames the preview presented while it was watched. */
	readonly frames: number;
	readonly error: string | null;
}

export function cameraCheck({
	device,
	disabled,
	width,
	height,
	frames,
	error,
}: CameraReading): SetupCheck {
	const figures = { device, width, height, frames };
	if (disabled)
		return {
			id: 'camera',
			verdict: 'skipped',
			summary: 'Video calls are switched off, so the camera was not tested.',
			advice: 'Turn on "Allow video calls" under Settings ▸ Devices to use the camera.',
			figures,
		};
	if (error !== null)
		return {
			id: 'camera',
			verdict: 'failed',
			summary: `The camera (${device}) could not be opened: ${error}.`,
			advice:
				'Close other apps that may be using it, check that this app may use the camera in the system settings, or choose another camera.',
			figures,
		};
	if (frames === 0 || width === 0)
		return {
			id: 'camera',
			verdict: 'poor',
			summary: `The camera (${device}) opened but sent no picture.`,
			advice: 'Check its privacy shutter or cable, or choose another camera.',
			figures,
		};
	return {
		id: 'camera',
		verdict: 'good',
		summary: `The camera works: ${device}, ${width}×${height}.`,
		advice: null,
		figures,
	};
}

export interface IceReading {
	/** STUN/TURN servers calls use with this server; none with the local sandbox. */
	readonly servers: number;
	readonly host: number;
	readonly srflx: number;
	readonly relay: number;
	/** From the start of gathering to the first server-reflexive or relay candidate. */
	readonly firstNonHostMs: number | null;
	readonly error: string | null;
}

export function networkCheck(signalling: SignallingCheck, ice: IceReading): SetupCheck {
	const figures = {
		registered: signalling.registered,
		signallingRoundTripMs: signalling.roundTripMs,
		loginMs: signalling.loginMs,
		iceServers: ice.servers,
		hostCandidates: ice.host,
		srflxCandidates: ice.srflx,
		relayCandidates: ice.relay,
		firstNonHostMs: ice.firstNonHostMs,
	};
	const check = (
		verdict: SetupCheck['verdict'],
		summary: string,
		advice: string | null,
	): SetupCheck => ({
		id: 'network',
		verdict,
		summary,
		advice,
		figures,
	});
	if (!signalling.registered || signalling.roundTripMs === null)
		return check(
			'poor',
			'Telnyx did not answer on the signalling connection.',
			'Check the internet connection. A firewall, proxy or VPN may block secure WebSockets (port 443) to Telnyx.',
		);
	const login =
		signalling.loginMs === null ? '' : ` (signing in took ${Math.round(signalling.loginMs)} ms)`;
	const answered = `Telnyx answered in ${Math.round(signalling.roundTripMs)} ms${login}`;
	const counts = `${ice.host} local, ${ice.srflx} public (STUN) and ${ice.relay} relay (TURN) addresses`;
	if (ice.error !== null)
		return check('poor', `${answered}, but finding network addresses failed: ${ice.error}.`, null);
	if (ice.servers > 0 && ice.srflx === 0 && ice.relay === 0)
		return check(
			'poor',
			`${answered}; but only local addresses were found: Telnyx's STUN and TURN servers could not be reached.`,
			'A firewall may block UDP port 3478 and TCP port 443 to Telnyx: calls may connect without sound. Ask your network administrator to allow them.',
		);
	if (ice.servers > 0 && ice.relay === 0)
		return check(
			'fair',
			`${answered}; found ${counts}, but no relay: calls from strict networks may have no sound.`,
			'If calls connect without sound, ask your network administrator to allow TCP port 443 to Telnyx’s TURN servers.',
		);
	if (signalling.roundTripMs > SLOW_SIGNALLING_MS)
		return check(
			'fair',
			`${answered}, which is slow: calls will take longer to connect.`,
			'A VPN or a busy connection slows signalling; try without the VPN or on another network.',
		);
	const first =
		ice.firstNonHostMs === null
			? ''
			: ` (the first public one after ${Math.round(ice.firstNonHostMs)} ms)`;
	const servers =
		ice.servers === 0 ? '; this server needs no STUN or TURN servers (it is on this computer)' : '';
	return check('good', `${answered}; found ${counts}${first}${servers}.`, null);
}

export function callCheck(report: TestCallReport): SetupCheck {
	const mos =
		report.established && report.audioReturned
			? estimateMos(report.rttMs ?? 0, report.jitterMs ?? 0, report.packetLossPercent ?? 0)
			: null;
	const figures = {
		established: report.established,
		audioReturned: report.audioReturned,
		mos,
		jitterMs: report.jitterMs,
		rttMs: report.rttMs,
		packetLossPercent: report.packetLossPercent,
		setupMs: report.setupMs,
	};
	const check = (
		verdict: SetupCheck['verdict'],
		summary: string,
		advice: string | null,
	): SetupCheck => ({
		id: 'call',
		verdict,
		summary,
		advice,
		figures,
	});
	if (!report.established)
		return check(
			'poor',
			`The test call did not connect: ${report.failure ?? 'no reason given'}`,
			'Calls may fail the same way. Check the network test above and your caller ID (Settings).',
		);
	if (mos === null)
		return check(
			'poor',
			'The test call connected, but no sound came back from the echo.',
			'One-way audio usually means a firewall blocks incoming UDP; ask your network administrator, or try another network.',
		);
	const measured = `MOS ${mos.toFixed(1)}: jitter ${fixed(report.jitterMs)} ms, loss ${fixed(report.packetLossPercent)} %, round trip ${fixed(report.rttMs)} ms`;
	if (mos >= MOS_GOOD) return check('good', `The test call sounded good (${measured}).`, null);
	if (mos >= MOS_FAIR)
		return check(
			'fair',
			`The test call was fair (${measured}); some people would notice.`,
			'Close downloads and video streams, or move closer to the Wi-Fi access point.',
		);
	return check(
		'poor',
		`The test call sounded poor (${measured}): calls will break up.`,
		'Use a cable or move closer to the Wi-Fi access point, pause downloads and video streams, or try without a VPN.',
	);
}

function round(value: number, digits: number): number {
	const scale = 10 ** digits;
	return Math.round(value * scale) / scale;
}

const fixed = (value: number | null) => (value === null ? '?' : value.toFixed(1));
