import { cleanup, render, screen, within } from '@testing-library/svelte';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import Dialer from '../../../../../renderer/src/components/phone/Dialer.svelte';
import { AccountModel } from '../../../../../renderer/src/lib/account-model.svelte';
import type { CallHistoryEntry, Installation, PhoneNumber } from '../../../../../preload/contract';
import {
	CALLER_NUMBER_NEEDED,
	resolverFor,
	type Resolve,
} from '../../../../../renderer/src/lib/dial/destination';
import { fakeBridge } from '../../../../fakes/fake-bridge';

const DIRECTORY: Installation[] = [
	{ name: 'This Desk', sipUsername: 'gencredSelf', self: true },
	{ name: 'Kitchen Laptop', sipUsername: 'gencredKitchen', self: false },
	{ name: 'Front Desk', sipUsername: 'gencredFront', self: false },
];
const RECENT: CallHistoryEntry[] = [
	{
		id: 'h1',
		direction: 'outbound',
		remote: '+14155552671',
		remoteName: '',
		video: false,
		startedAt: '2026-01-15T09:30:00.000Z',
		durationSeconds: 61,
		answered: true,
		endReason: 'hangup-remote',
		endMessage: 'The other side hung up.',
	},
	{
		id: 'h2',
		direction: 'inbound',
		remote: 'sip:gencredKitchen@sip.telnyx.com',
		remoteName: 'Kitchen Laptop',
		video: true,
		startedAt: '2026-01-15T09:00:00.000Z',
		durationSeconds: 0,
		answered: false,
		endReason: 'cancelled',
		endMessage: 'The caller hung up before you answered.',
	},
];

interface Options {
	directory?: readonly Installation[];
	directoryError?: string | null;
	recent?: readonly CallHistoryEntry[];
	error?: string | null;
	disabled?: boolean;
	cameraEnabled?: boolean;
	prefill?: string;
	callerNumber?: string | null;
	phoneNumbers?: readonly PhoneNumber[] | null;
	/** Hand the Dialer a picker callback. */
	picker?: boolean;
	/** How main answers `dial.resolve` (default: main's resolver over the directory, behind the fake bridge). */
	resolve?: Resolve;
}

function setup(options: Options = {}) {
	const ondial = vi.fn<(destination: string, video: boolean) => void>();
	const onchoosecallerid = vi.fn<(number: string) => void>();
	const onlookup = vi.fn<(text: string) => void>();
	// The app hands the Dialer the account's other installations.
	const directory = options.directory ?? DIRECTORY;
	// Main resolves what is typed with the directory it holds, the one the page was handed.
	const bridge = fakeBridge({}, { directory: () => directory });
	const account = new AccountModel(bridge);
	account.directory = directory;
	render(Dialer, {
		props: {
			installations: account.others,
			directoryError: options.directoryError ?? null,
			recent: options.recent ?? RECENT,
			error: options.error ?? null,
			disabled: options.disabled ?? false,
			cameraEnabled: options.cameraEnabled ?? true,
			prefill: options.prefill ?? '',
			ondial,
			onlookup,
			resolve: options.resolve ?? resolverFor(bridge),
			...(options.callerNumber === undefined ? {} : { callerNumber: options.callerNumber }),
			...(options.phoneNumbers === undefined ? {} : { phoneNumbers: options.phoneNumbers }),
			...(options.picker === true ? { onchoosecallerid } : {}),
		},
	});
	const field = screen.getByLabelText<HTMLInputElement>('Number, SIP address or installation');
	return { ondial, onchoosecallerid, onlookup, field, bridge, user: userEvent.setup() };
}

const callButton = () => screen.getByRole('button', { name: 'Call' });
const videoButton = () => screen.getByRole('button', { name: 'Video call' });

describe('Dialer', () => {
	it('asks to look at the directory when it opens and as the text changes (no timer of its own)', async () => {
		const { onlookup, field, user } = setup();
		expect(onlookup.mock.calls).toEqual([['']]);
		await user.type(field, 'Far');
		expect(onlookup.mock.calls.map(([text]) => text)).toEqual(['', 'F', 'Fa', 'Far']);
	});

	it('dials an audio call with Enter', async () => {
		const { ondial, field, user } = setup();
		await user.type(field, '+1 415 555 2671{Enter}');
		expect(ondial).toHaveBeenCalledExactlyOnceWith('+1 415 555 2671', false);
	});

	it('dials audio with Call and video with Video call', async () => {
		const { ondial, field, user } = setup();
		await user.type(field, 'sip:alice@example.com');
		await user.click(callButton());
		await user.click(videoButton());
		expect(ondial.mock.calls).toEqual([
			['sip:alice@example.com', false],
			['sip:alice@example.com', true],
		]);
	});

	it('dials audio when the form is submitted without a button', async () => {
		const { ondial, field, user } = setup();
		await user.type(field, 'alice');
		field.form!.requestSubmit();
		expect(ondial).toHaveBeenCalledExactlyOnceWith('alice', false);
	});

	it('offers the call buttons only once something is typed, and not while disabled', async () => {
		const { field, user } = setup();
		expect(callButton()).toHaveProperty('disabled', true);
		expect(videoButton()).toHaveProperty('disabled', true);
		await user.type(field, '   ');
		expect(callButton()).toHaveProperty('disabled', true);
		await user.type(field, '1');
		expect(callButton()).toHaveProperty('disabled', false);
		expect(videoButton()).toHaveProperty('disabled', false);
	});

	it('does not dial while disabled (not registered)', async () => {
		const { ondial, field, user } = setup({ disabled: true });
		await user.type(field, '+14155552671{Enter}');
		expect(callButton()).toHaveProperty('disabled', true);
		expect(ondial).not.toHaveBeenCalled();
	});

	it('appends keypad digits to the field and keeps the focus in it', async () => {
		const { field, user, ondial } = setup();
		await user.type(field, '+1');
		const pad = screen.getByRole('group', { name: 'Dial pad' });
		for (const key of ['4', '1', '5', '*', '0', '#']) {
			await user.click(within(pad).getByRole('button', { name: key }));
		}
		expect(field.value).toBe('+1415*0#');
		expect(document.activeElement).toBe(field);
		await user.click(callButton());
		expect(ondial).toHaveBeenCalledWith('+1415*0#', false);
	});

	it('starts from a prefilled destination', () => {
		const { field } = setup({ prefill: 'sip:bob@example.com' });
		expect(field.value).toBe('sip:bob@example.com');
		expect(callButton()).toHaveProperty('disabled', false);
	});

	it('shows a dial error as an alert tied to the field', () => {
		const message = 'Add the country code, starting with + (for example +1 312 555 0142).';
		const { field } = setup({ error: message });
		expect(screen.getByRole('alert').textContent).toBe(message);
		expect(field.getAttribute('aria-invalid')).toBe('true');
		expect(field.getAttribute('aria-describedby')).toBe('dial-error');
		expect(document.getElementById('dial-error')?.textContent).toBe(message);
	});

	it('marks the field valid when there is no error', () => {
		const { field } = setup();
		expect(field.getAttribute('aria-invalid')).toBe('false');
		expect(field.hasAttribute('aria-describedby')).toBe(false);
		expect(screen.queryByRole('alert')).toBeNull();
	});

	it('lists the other installations, not this one, and calls them by name', async () => {
		const { ondial, user } = setup();
		expect(screen.queryByText('This Desk')).toBeNull();
		expect(screen.queryByRole('button', { name: 'Call This Desk' })).toBeNull();
		await user.click(screen.getByRole('button', { name: 'Call Kitchen Laptop' }));
		await user.click(screen.getByRole('button', { name: 'Video call Front Desk' }));
		expect(ondial.mock.calls).toEqual([
			['Kitchen Laptop', false],
			['Front Desk', true],
		]);
		// The field suggests the same names.
		const options = [...document.querySelectorAll('#installations option')].map((o) =>
			o.getAttribute('value'),
		);
		expect(options).toEqual(['Kitchen Laptop', 'Front Desk']);
	});

	it('says when there is no other installation', () => {
		setup({ directory: [DIRECTORY[0]!] });
		expect(screen.getByText('No other installation of the app on this account yet.')).toBeTruthy();
	});

	it('keeps the installations it has, and says why they could not be updated', () => {
		setup({ directoryError: 'Can’t reach Telnyx.' });
		expect(screen.getByRole('status').textContent).toBe(
			'Could not update this list. Can’t reach Telnyx.',
		);
		expect(screen.getByRole('button', { name: 'Call Kitchen Laptop' })).toBeTruthy();
	});

	it('calls back a recent call with its address and kind', async () => {
		const { ondial, user } = setup();
		await user.click(screen.getByRole('button', { name: 'Call back +14155552671' }));
		await user.click(screen.getByRole('button', { name: 'Call back Kitchen Laptop' }));
		expect(ondial.mock.calls).toEqual([
			['+14155552671', false],
			['sip:gencredKitchen@sip.telnyx.com', true],
		]);
	});

	it('offers no video call while the camera is switched off, and says why', async () => {
		const { ondial, field, user } = setup({ cameraEnabled: false });
		expect(screen.queryByRole('button', { name: 'Video call' })).toBeNull();
		expect(screen.queryByRole('button', { name: /^Video call / })).toBeNull();
		expect(screen.getByTestId('video-off').textContent?.trim()).toBe(
			'Video calls are off: the camera is switched off in Settings → Devices.',
		);
		// Audio calls are unaffected.
		await user.type(field, 'alice');
		await user.click(callButton());
		await user.click(screen.getByRole('button', { name: 'Call Front Desk' }));
		expect(ondial.mock.calls).toEqual([
			['alice', false],
			['Front Desk', false],
		]);
	});

	it('offers video calls, with no camera notice, while the camera is switched on', () => {
		setup({ cameraEnabled: true });
		expect(videoButton()).toBeTruthy();
		expect(screen.getByRole('button', { name: 'Video call Front Desk' })).toBeTruthy();
		expect(screen.queryByTestId('video-off')).toBeNull();
	});

	it('shows no Recent section without recent calls', () => {
		setup({ recent: [] });
		expect(screen.queryByRole('heading', { name: 'Recent' })).toBeNull();
	});

	it('disables the directory and recent buttons while disabled', () => {
		setup({ disabled: true });
		expect(screen.getByRole('button', { name: 'Call Kitchen Laptop' })).toHaveProperty(
			'disabled',
			true,
		);
		expect(screen.getByRole('button', { name: 'Call back +14155552671' })).toHaveProperty(
			'disabled',
			true,
		);
	});

	describe('caller ID number', () => {
		const NUMBERS: PhoneNumber[] = [
			{ number: '+13125550142', country: 'US' },
			{ number: '+442071838750', country: 'GB' },
		];
		const notice = () => screen.queryByTestId('caller-id-needed');

		it('says before dialling that a phone number needs one, and does not dial', async () => {
			const { ondial, field, user } = setup({ callerNumber: null });
			await user.type(field, '+1 415 555 2671');
			expect(notice()?.textContent).toContain(CALLER_NUMBER_NEEDED);
			expect(field.getAttribute('aria-invalid')).toBe('true');
			expect(callButton()).toHaveProperty('disabled', true);
			expect(videoButton()).toHaveProperty('disabled', true);
			await user.type(field, '{Enter}');
			expect(ondial).not.toHaveBeenCalled();
		});

		it('lets installations and SIP addresses through without one', async () => {
			const { ondial, field, user } = setup({ callerNumber: null });
			for (const to of ['Kitchen Laptop', 'sip:ada@example.com', 'gencredSomeone']) {
				await user.clear(field);
				await user.type(field, to);
				expect(notice()).toBeNull();
				await user.click(callButton());
			}
			expect(ondial.mock.calls.map(([to]) => to)).toEqual([
				'Kitchen Laptop',
				'sip:ada@example.com',
				'gencredSomeone',
			]);
		});

		it('offers the account’s numbers right there, and hands the chosen one over', async () => {
			const { onchoosecallerid, field, user } = setup({
				callerNumber: null,
				phoneNumbers: NUMBERS,
				picker: true,
			});
			await user.type(field, '+1 415 555 2671');
			const select = screen.getByLabelText<HTMLSelectElement>('Caller ID number');
			expect([...select.options].map((o) => o.value)).toEqual(['+13125550142', '+442071838750']);
			await user.selectOptions(select, '+442071838750');
			await user.click(screen.getByRole('button', { name: 'Use this number' }));
			expect(onchoosecallerid).toHaveBeenCalledExactlyOnceWith('+442071838750');
		});

		it('says what to do when the account has no numbers', async () => {
			const { field, user } = setup({ callerNumber: null, phoneNumbers: [], picker: true });
			await user.type(field, '+1 415 555 2671');
			expect(notice()?.textContent).toMatch(/no phone numbers yet\. Buy one in the Telnyx portal/);
			expect(screen.queryByRole('button', { name: 'Use this number' })).toBeNull();
		});

		it('says nothing and dials when a number is set', async () => {
			const { ondial, field, user } = setup({ callerNumber: '+13125550142' });
			await user.type(field, '+1 415 555 2671{Enter}');
			expect(notice()).toBeNull();
			expect(ondial).toHaveBeenCalledOnce();
		});

		/** main's resolver behind the fake bridge, each answer held until the test lets it go. */
		function heldAnswers() {
			const bridge = fakeBridge({}, { directory: () => DIRECTORY });
			const pending: { text: string; release: () => void }[] = [];
			const resolve: Resolve = (text) =>
				new Promise((done) => {
					pending.push({ text, release: () => void bridge.dial.resolve(text).then(done) });
				});
			const answer = async (text: string) => {
				const waiting = pending.find((p) => p.text === text);
				if (waiting === undefined) throw new Error(`main was not asked about ${text}`);
				waiting.release();
				await vi.waitFor(() => undefined);
				await new Promise((r) => setTimeout(r, 0));
			};
			return { resolve, pending, answer };
		}

		it('takes main’s answer for the latest text only, whatever order the answers arrive in', async () => {
			const main = heldAnswers();
			const { field } = setup({ callerNumber: null, resolve: main.resolve });
			field.value = 'sip:ada@example.com';
			field.dispatchEvent(new Event('input', { bubbles: true }));
			await new Promise((r) => setTimeout(r, 0));
			field.value = '+1 415 555 2671';
			field.dispatchEvent(new Event('input', { bubbles: true }));
			await new Promise((r) => setTimeout(r, 0));
			expect(main.pending.map((p) => p.text)).toEqual(['sip:ada@example.com', '+1 415 555 2671']);
			await main.answer('+1 415 555 2671');
			expect(notice()?.textContent).toContain(CALLER_NUMBER_NEEDED);
			// The older text's answer (not a phone number) arrives late: it changes nothing.
			await main.answer('sip:ada@example.com');
			expect(notice()?.textContent).toContain(CALLER_NUMBER_NEEDED);
			expect(callButton()).toHaveProperty('disabled', true);
		});

		it('keeps the notice while the next digit is being checked (no flicker), yet Enter still reaches the store', async () => {
			const main = heldAnswers();
			const { ondial, field, user } = setup({ callerNumber: null, resolve: main.resolve });
			await user.type(field, '+1 415 555 2671');
			await main.answer('+1 415 555 2671');
			expect(notice()?.textContent).toContain(CALLER_NUMBER_NEEDED);
			expect(callButton()).toHaveProperty('disabled', true);
			await user.type(field, ' ');
			// Main has not answered for the new text: the notice stays as it was …
			expect(notice()?.textContent).toContain(CALLER_NUMBER_NEEDED);
			// … but the Call button is not held off by an answer for another text, so Enter dials (the store
			// refuses in words if main then says it is a phone number).
			expect(callButton()).toHaveProperty('disabled', false);
			await user.type(field, '{Enter}');
			expect(ondial).toHaveBeenCalledExactlyOnceWith('+1 415 555 2671 ', false);
			await main.answer('+1 415 555 2671 ');
			expect(callButton()).toHaveProperty('disabled', true);
		});

		it('asks main nothing as the user types when the caller ID number is set or not known here', async () => {
			for (const callerNumber of ['+13125550142', undefined]) {
				const { bridge, field, user } = setup(callerNumber === undefined ? {} : { callerNumber });
				await user.type(field, '+1 415 555 2671');
				expect(bridge.calls.filter((c) => c === 'dial:resolve')).toEqual([]);
				cleanup();
			}
		});

		it('shows the store’s refusal with the same words when the number is not known here', () => {
			setup({ error: CALLER_NUMBER_NEEDED });
			expect(screen.getByRole('alert').textContent).toContain(CALLER_NUMBER_NEEDED);
		});

		it('forgets the store’s refusal once a number is set', () => {
			setup({ error: CALLER_NUMBER_NEEDED, callerNumber: '+13125550142' });
			expect(notice()).toBeNull();
			expect(screen.queryByRole('alert')).toBeNull();
		});
	});
});
