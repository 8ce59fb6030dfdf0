import { render, screen } from '@testing-library/svelte';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import IncomingCall from '../../../../../renderer/src/components/phone/IncomingCall.svelte';
import type { CallSnapshot } from '../../../../../renderer/src/lib/telephony/softphone';
import { callSnapshot } from '../../../../fakes/fake-softphone';

function setup(call: Partial<CallSnapshot> = {}, busy = false, cameraEnabled = true) {
	const onanswer = vi.fn<(video: boolean) => void>();
	const ondecline = vi.fn<() => void>();
	render(IncomingCall, {
		props: {
			call: callSnapshot({
				id: 'in-1',
				direction: 'inbound',
				phase: 'ringing',
				remote: 'sip:gencredKitchen@sip.telnyx.com',
				remoteName: 'Kitchen Laptop',
				...call,
			}),
			busy,
			cameraEnabled,
			onanswer,
			ondecline,
		},
	});
	return { onanswer, ondecline, user: userEvent.setup() };
}

describe('IncomingCall', () => {
	it('is an alert dialog named after the caller, saying where the call comes from', () => {
		setup();
		const dialog = screen.getByRole('alertdialog', { name: 'Kitchen Laptop' });
		expect(dialog.getAttribute('aria-describedby')).toBe('incoming-in-1-what');
		expect(document.getElementById('incoming-in-1-what')?.textContent?.trim()).toBe(
			'Incoming call from sip:gencredKitchen@sip.telnyx.com',
		);
		expect(screen.queryByText(/on hold/)).toBeNull();
	});

	it('shows the number when the caller has no name', () => {
		setup({ remote: '+14155552671', remoteName: '' });
		expect(screen.getByRole('alertdialog', { name: '+14155552671' })).toBeTruthy();
		expect(screen.getByText('Incoming call')).toBeTruthy();
	});

	it('names an unknown caller', () => {
		setup({ remote: '', remoteName: '' });
		expect(screen.getByRole('alertdialog', { name: 'Unknown caller' })).toBeTruthy();
	});

	it('puts the focus on Answer', () => {
		setup();
		expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Answer' }));
	});

	it('answers an audio call with audio; there is no video answer for it', async () => {
		const { onanswer, ondecline, user } = setup({ video: false });
		expect(screen.queryByRole('button', { name: 'Answer with video' })).toBeNull();
		await user.click(screen.getByRole('button', { name: 'Answer' }));
		expect(onanswer).toHaveBeenCalledExactlyOnceWith(false);
		expect(ondecline).not.toHaveBeenCalled();
	});

	it('offers a video answer for a video call', async () => {
		const { onanswer, user } = setup({ video: true });
		expect(screen.getByText(/Incoming video call/)).toBeTruthy();
		await user.click(screen.getByRole('button', { name: 'Answer with video' }));
		expect(onanswer).toHaveBeenCalledExactlyOnceWith(true);
		await user.click(screen.getByRole('button', { name: 'Answer' }));
		expect(onanswer).toHaveBeenLastCalledWith(false);
	});

	it('answers a video call with audio only while the camera is switched off, and says why', async () => {
		const { onanswer, user } = setup({ video: true }, false, false);
		expect(screen.getByText(/Incoming video call/)).toBeTruthy();
		expect(screen.queryByRole('button', { name: 'Answer with video' })).toBeNull();
		const dialog = screen.getByRole('alertdialog', { name: 'Kitchen Laptop' });
		expect(dialog.getAttribute('aria-describedby')).toBe('incoming-in-1-what incoming-in-1-camera');
		expect(document.getElementById('incoming-in-1-camera')?.textContent?.trim()).toBe(
			'The camera is switched off in Settings → Devices, so you answer with audio only.',
		);
		await user.click(screen.getByRole('button', { name: 'Answer' }));
		expect(onanswer).toHaveBeenCalledExactlyOnceWith(false);
	});

	it('says nothing about the camera for an audio call while it is switched off', () => {
		setup({ video: false }, false, false);
		expect(screen.getByRole('alertdialog').getAttribute('aria-describedby')).toBe(
			'incoming-in-1-what',
		);
		expect(document.getElementById('incoming-in-1-camera')).toBeNull();
	});

	it('declines', async () => {
		const { onanswer, ondecline, user } = setup();
		await user.click(screen.getByRole('button', { name: 'Decline' }));
		expect(ondecline).toHaveBeenCalledOnce();
		expect(onanswer).not.toHaveBeenCalled();
	});

	it('answers from the keyboard (Enter on the focused Answer)', async () => {
		const { onanswer, user } = setup();
		await user.keyboard('{Enter}');
		expect(onanswer).toHaveBeenCalledExactlyOnceWith(false);
	});

	it('warns that answering holds the current call', () => {
		setup({}, true);
		expect(screen.getByText(/answering puts your current call on hold/)).toBeTruthy();
	});
});
