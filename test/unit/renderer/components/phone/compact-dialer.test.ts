/**
 * The tray's compact dialer refuses a phone number itself when it knows no caller ID number is set (Telnyx
 * would refuse the call with D35), instead of handing it to the main window to be refused there.
 */
import { cleanup, render, screen } from '@testing-library/svelte';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import CompactDialer from '../../../../../renderer/src/components/phone/CompactDialer.svelte';
import {
	CALLER_NUMBER_NEEDED,
	resolverFor,
} from '../../../../../renderer/src/lib/dial/destination';
import { fakeBridge } from '../../../../fakes/fake-bridge';

const KITCHEN = { name: 'Kitchen', sipUsername: 'gencredK', self: false };

function setup(callerNumber?: string | null) {
	const ondial = vi.fn<(destination: string, video: boolean) => void>();
	// Main resolves with the directory it holds, the one the page was handed.
	const bridge = fakeBridge({}, { directory: () => [KITCHEN] });
	render(CompactDialer, {
		props: {
			installations: [KITCHEN],
			cameraEnabled: false,
			ondial,
			resolve: resolverFor(bridge),
			...(callerNumber === undefined ? {} : { callerNumber }),
		},
	});
	const field = screen.getByLabelText<HTMLInputElement>(
		'Call a number, SIP address or installation',
	);
	return { ondial, field, bridge, user: userEvent.setup() };
}

describe('CompactDialer: caller ID number', () => {
	it('refuses a phone number in words when none is set, and sends nothing', async () => {
		const { ondial, field, user } = setup(null);
		await user.type(field, '+1 415 555 2671{Enter}');
		expect(screen.getByRole('alert').textContent).toBe(CALLER_NUMBER_NEEDED);
		expect(field.getAttribute('aria-invalid')).toBe('true');
		expect(ondial).not.toHaveBeenCalled();
		// Typing again clears the refusal.
		await user.type(field, '0');
		expect(screen.queryByRole('alert')).toBeNull();
	});

	it('sends installations and SIP addresses without one', async () => {
		const { ondial, field, user } = setup(null);
		await user.type(field, 'Kitchen{Enter}');
		await user.type(field, 'sip:ada@example.com{Enter}');
		expect(ondial.mock.calls.map(([to]) => to)).toEqual(['Kitchen', 'sip:ada@example.com']);
	});

	it('sends a phone number when one is set, or when it cannot tell', async () => {
		for (const number of ['+13125550142', undefined]) {
			const { ondial, field, user } = setup(number);
			await user.type(field, '+1 415 555 2671{Enter}');
			expect(ondial).toHaveBeenCalledExactlyOnceWith('+1 415 555 2671', false);
			expect(screen.queryByRole('alert')).toBeNull();
			cleanup();
		}
	});
});
