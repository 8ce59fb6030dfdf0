/**
 * The media devices the user can choose from, kept current as devices come and go. When a chosen device
 * disappears, the choice falls back to the system default and the user is told.
 */
import type { Devices } from '../../../preload/contract';

export interface DeviceOption {
	readonly id: string;
	readonly label: string;
}

export type DeviceKind = keyof Devices;

const KIND_OF: Readonly<Record<DeviceKind, MediaDeviceKind>> = {
	microphoneId: 'audioinput',
	cameraId: 'videoinput',
	speakerId: 'audiooutput',
	ringerId: 'audiooutput',
};

export const DEVICE_NAMES: Readonly<Record<DeviceKind, string>> = {
	microphoneId: 'microphone',
	cameraId: 'camera',
	speakerId: 'speaker',
	ringerId: 'ringer',
};

/** Which chosen devices are no longer present (they fall back to the default). */
export function missingChoices(chosen: Devices, present: readonly MediaDeviceInfo[]): DeviceKind[] {
	return (Object.keys(KIND_OF) as DeviceKind[]).filter((kind) => {
		const id = chosen[kind];
		return id !== null && !present.some((d) => d.kind === KIND_OF[kind] && d.deviceId === id);
	});
}

export class DeviceList {
	microphones = $state.raw<readonly DeviceOption[]>([]);
	cameras = $state.raw<readonly DeviceOption[]>([]);
	speakers = $state.raw<readonly DeviceOption[]>([]);
	readonly #onChange: (devices: readonly MediaDeviceInfo[]) => void;
	readonly #listener = () => void this.refresh();

	constructor(onChange: (devices: readonly MediaDeviceInfo[]) => void) {
		this.#onChange = onChange;
		navigator.mediaDevices?.addEventListener('devicechange', this.#listener);
	}

	options(kind: DeviceKind): readonly DeviceOption[] {
		return KIND_OF[kind] === 'audioinput'
			? this.microphones
			: KIND_OF[kind] === 'videoinput'
				? this.cameras
				: this.speakers;
	}

	async refresh(): Promise<void> {
		if (navigator.mediaDevices === undefined) return;
		const devices = await navigator.mediaDevices.enumerateDevices();
		const of = (kind: MediaDeviceKind) =>
			devices
				.filter((d) => d.kind === kind && d.deviceId !== '' && d.deviceId !== 'default')
				.map((d, i) => ({
					id: d.deviceId,
					label:
						d.label ||
						`${kind === 'videoinput' ? 'Camera' : kind === 'audioinput' ? 'Microphone' : 'Speaker'} ${i + 1}`,
				}));
		this.microphones = of('audioinput');
		this.cameras = of('videoinput');
		this.speakers = of('audiooutput');
		this.#onChange(devices);
	}

	dispose(): void {
		navigator.mediaDevices?.removeEventListener('devicechange', this.#listener);
	}
}
