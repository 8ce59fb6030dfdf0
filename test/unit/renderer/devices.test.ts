import { describe, expect, it } from 'vitest';
import type { Devices } from '../../../preload/contract';
import { DEVICE_NAMES, missingChoices } from '../../../renderer/src/lib/devices.svelte';

const device = (kind: MediaDeviceKind, deviceId: string): MediaDeviceInfo => ({
	kind,
	deviceId,
	groupId: 'g',
	label: `${kind} ${deviceId}`,
	toJSON: () => ({}),
});

const PRESENT = [
	device('audioinput', 'default'),
	device('audioinput', 'mic-usb'),
	device('videoinput', 'cam-1'),
	device('audiooutput', 'spk-hdmi'),
	device('audiooutput', 'spk-jack'),
];
const NONE: Devices = { microphoneId: null, cameraId: null, speakerId: null, ringerId: null };

describe('missingChoices', () => {
	it('finds nothing missing when every choice is the system default', () => {
		expect(missingChoices(NONE, [])).toEqual([]);
	});

	it('finds nothing missing when every chosen device is present', () => {
		const chosen: Devices = {
			microphoneId: 'mic-usb',
			cameraId: 'cam-1',
			speakerId: 'spk-hdmi',
			ringerId: 'spk-jack',
		};
		expect(missingChoices(chosen, PRESENT)).toEqual([]);
	});

	it('names each chosen device that went away', () => {
		const chosen: Devices = {
			microphoneId: 'mic-headset',
			cameraId: 'cam-1',
			speakerId: 'spk-gone',
			ringerId: 'spk-jack',
		};
		expect(missingChoices(chosen, PRESENT)).toEqual(['microphoneId', 'speakerId']);
		expect(missingChoices(chosen, PRESENT).map((kind) => DEVICE_NAMES[kind])).toEqual([
			'microphone',
			'speaker',
		]);
	});

	it('matches the kind as well as the id (a speaker id is not a microphone)', () => {
		const chosen: Devices = { ...NONE, microphoneId: 'spk-hdmi', ringerId: 'mic-usb' };
		expect(missingChoices(chosen, PRESENT)).toEqual(['microphoneId', 'ringerId']);
	});

	it('reports everything chosen as missing when no device is left', () => {
		const chosen: Devices = { microphoneId: 'a', cameraId: 'b', speakerId: 'c', ringerId: 'd' };
		expect(missingChoices(chosen, [])).toEqual([
			'microphoneId',
			'cameraId',
			'speakerId',
			'ringerId',
		]);
	});
});
