import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import ApiKeyStep from '../../../../../renderer/src/components/onboarding/ApiKeyStep.svelte';
import CallerIdStep from '../../../../../renderer/src/components/onboarding/CallerIdStep.svelte';
import { appContext } from '../../../../../renderer/src/lib/app-context';
import ProvisionStep from '../../../../../renderer/src/components/onboarding/ProvisionStep.svelte';
import { AccountModel } from '../../../../../renderer/src/lib/account-model.svelte';
import type {
	CallerId,
	KeyError,
	KeyStatus,
	PhoneNumber,
	Provisioned,
	ProvisionOptions,
	Result,
	TelnyxFailure,
} from '../../../../../preload/contract';
import { FAKE_KEY_STATUS, FAKE_SETTINGS, fakeBridge } from '../../../../fakes/fake-bridge';

const KEY = 'KEY0123456789ABCDEF_secret';
const STORED: KeyStatus = { ...FAKE_KEY_STATUS, hasApiKey: true, persisted: true };

describe('ApiKeyStep', () => {
	function setup(answer: () => Promise<Result<KeyStatus, KeyError>>) {
		const setApiKey = vi.fn<(key: string) => Promise<Result<KeyStatus, KeyError>>>(answer);
		const account = new AccountModel(fakeBridge({ credentials: { setApiKey } }));
		render(ApiKeyStep, { props: { account } });
		const field = screen.getByLabelText<HTMLInputElement>('Telnyx API key');
		return { setApiKey, account, field, user: userEvent.setup() };
	}

	it('takes the key in a masked field, hands it to main once, and forgets it', async () => {
		const { setApiKey, account, field, user } = setup(async () => ({ ok: true, value: STORED }));
		expect(field.type).toBe('password');
		expect(field.getAttribute('autocomplete')).toBe('off');
		expect(screen.getByRole('button', { name: 'Connect' })).toHaveProperty('disabled', true);
		await user.type(field, KEY);
		await user.click(screen.getByRole('button', { name: 'Connect' }));
		expect(setApiKey).toHaveBeenCalledExactlyOnceWith(KEY);
		expect(field.value).toBe('');
		await waitFor(() => expect(account.keyStatus).toEqual(STORED));
		expect(document.body.textContent).not.toContain(KEY);
	});

	it('says “Checking…” while main verifies the key', async () => {
		let answer = (_: Result<KeyStatus, KeyError>): void => {};
		const { field, user } = setup(() => new Promise((resolve) => (answer = resolve)));
		await user.type(field, `${KEY}{Enter}`);
		expect(screen.getByRole('button', { name: 'Checking…' })).toHaveProperty('disabled', true);
		answer({ ok: true, value: STORED });
		expect(await screen.findByRole('button', { name: 'Connect' })).toBeTruthy();
	});

	it('shows main’s refusal as an alert tied to the field, and still clears the field', async () => {
		const { field, user } = setup(async () => ({
			ok: false,
			error: { code: 'KEY_REJECTED', message: 'Telnyx did not accept this API key.' },
		}));
		await user.type(field, `${KEY}{Enter}`);
		expect((await screen.findByRole('alert')).textContent).toBe(
			'Telnyx did not accept this API key.',
		);
		expect(field.getAttribute('aria-invalid')).toBe('true');
		expect(field.getAttribute('aria-describedby')).toBe('api-key-error');
		expect(field.value).toBe('');
	});
});

describe('CallerIdStep', () => {
	const NUMBERS: PhoneNumber[] = [
		{ number: '+13125550142', country: 'US' },
		{ number: '+442071838750', country: 'GB' },
	];

	function setup(
		options: {
			numbers?: readonly PhoneNumber[];
			initial?: CallerId;
			answer?: Result<typeof FAKE_SETTINGS, TelnyxFailure>;
			/** Onboarding offers Skip; Settings does not. */
			skippable?: boolean;
		} = {},
	) {
		const setCallerId = vi.fn(
			async (_callerId: CallerId) => options.answer ?? { ok: true as const, value: FAKE_SETTINGS },
		);
		const listPhoneNumbers = vi.fn(async () => ({
			ok: true as const,
			value: options.numbers ?? NUMBERS,
		}));
		const account = new AccountModel(fakeBridge({ account: { setCallerId, listPhoneNumbers } }));
		const ondone = vi.fn<() => void>();
		const onskip = vi.fn<() => void>();
		render(CallerIdStep, {
			props: {
				account,
				initial: options.initial ?? { name: '', number: null },
				ondone,
				...(options.skippable === false ? {} : { onskip }),
			},
		});
		return { setCallerId, listPhoneNumbers, ondone, onskip, user: userEvent.setup() };
	}

	const nameField = () => screen.getByLabelText<HTMLInputElement>(/^Name/);
	const save = () => screen.getByRole('button', { name: 'Save' });

	it('offers the account’s own numbers and saves the trimmed name with the chosen number', async () => {
		const { setCallerId, ondone, user, listPhoneNumbers } = setup();
		expect(listPhoneNumbers).toHaveBeenCalledOnce();
		const select = screen.getByLabelText<HTMLSelectElement>('Number');
		await waitFor(() => expect(select.disabled).toBe(false));
		expect([...select.options].map((o) => o.value)).toEqual(['+13125550142', '+442071838750']);
		await user.type(nameField(), ' Ada Desk ');
		await user.selectOptions(select, '+442071838750');
		await user.click(save());
		expect(setCallerId).toHaveBeenCalledExactlyOnceWith({
			name: 'Ada Desk',
			number: '+442071838750',
		});
		await waitFor(() => expect(ondone).toHaveBeenCalledOnce());
	});

	it('starts from the current caller ID', async () => {
		const { setCallerId, user } = setup({ initial: { name: 'Front', number: '+442071838750' } });
		expect(nameField().value).toBe('Front');
		const select = screen.getByLabelText<HTMLSelectElement>('Number');
		await waitFor(() => expect(select.disabled).toBe(false));
		expect(select.value).toBe('+442071838750');
		await user.click(save());
		expect(setCallerId).toHaveBeenCalledWith({ name: 'Front', number: '+442071838750' });
	});

	it('never leaves an account that has numbers without one: "None" is not offered, the first is chosen', async () => {
		const { setCallerId, user } = setup({ initial: { name: 'Front', number: null } });
		const select = screen.getByLabelText<HTMLSelectElement>('Number');
		await waitFor(() => expect(select.disabled).toBe(false));
		expect([...select.options].some((o) => o.value === '')).toBe(false);
		expect(select.value).toBe('+13125550142');
		expect(screen.getByText(/Telnyx refuses calls to phone numbers unless/)).toBeTruthy();
		await user.click(save());
		expect(setCallerId).toHaveBeenCalledWith({ name: 'Front', number: '+13125550142' });
	});

	it('cannot be skipped while the account has numbers (nor before they are listed)', async () => {
		const { onskip } = setup();
		expect(screen.queryByRole('button', { name: 'Skip' })).toBeNull();
		expect(save()).toHaveProperty('disabled', true);
		const select = screen.getByLabelText<HTMLSelectElement>('Number');
		await waitFor(() => expect(select.disabled).toBe(false));
		expect(save()).toHaveProperty('disabled', false);
		expect(screen.queryByRole('button', { name: 'Skip' })).toBeNull();
		expect(onskip).not.toHaveBeenCalled();
	});

	it('saves no number as null when the account has none', async () => {
		const { setCallerId, user } = setup({ numbers: [], initial: { name: 'Front', number: null } });
		await waitFor(() => expect(save()).toHaveProperty('disabled', false));
		await user.click(save());
		expect(setCallerId).toHaveBeenCalledWith({ name: 'Front', number: null });
	});

	it('lists the numbers again each time it opens (a number bought meanwhile is offered)', async () => {
		const { listPhoneNumbers } = setup();
		await waitFor(() => expect(listPhoneNumbers).toHaveBeenCalledOnce());
		cleanup();
		render(CallerIdStep, {
			props: {
				account: new AccountModel(fakeBridge({ account: { listPhoneNumbers } })),
				initial: { name: '', number: null },
				ondone: () => {},
			},
		});
		await waitFor(() => expect(listPhoneNumbers).toHaveBeenCalledTimes(2));
	});

	it.each([
		['a symbol', 'Ada <script>'],
		['an accented letter', 'Zoë'],
		['a right-to-left override', 'Ada\u202Eksed'],
		['an emoji', 'Ada 🙂'],
	])('refuses a name with %s, in words, before asking main', async (_what, name) => {
		const { setCallerId, user } = setup();
		await user.click(nameField());
		await user.paste(name);
		expect(
			screen.getByText('The caller ID name can have up to 15 letters, digits and spaces.'),
		).toBeTruthy();
		expect(nameField().getAttribute('aria-invalid')).toBe('true');
		expect(save()).toHaveProperty('disabled', true);
		expect(setCallerId).not.toHaveBeenCalled();
	});

	it('limits the name to 15 characters', () => {
		setup();
		expect(nameField().maxLength).toBe(15);
	});

	it('shows main’s refusal and stays on the step', async () => {
		const { ondone, user } = setup({
			answer: {
				ok: false,
				error: { code: 'INVALID', message: 'That number is not on your account.' },
			},
		});
		await user.click(save());
		expect((await screen.findByRole('alert')).textContent).toBe(
			'That number is not on your account.',
		);
		expect(ondone).not.toHaveBeenCalled();
	});

	it('says when the account has no numbers, and can be skipped', async () => {
		const { ondone, onskip, user } = setup({ numbers: [] });
		expect(await screen.findByText(/Your account has no phone numbers yet/)).toBeTruthy();
		expect(screen.getByText(/buy a number in the Telnyx portal/)).toBeTruthy();
		await user.click(screen.getByRole('button', { name: 'Skip' }));
		expect(onskip).toHaveBeenCalledOnce();
		expect(ondone).not.toHaveBeenCalled();
	});

	it('offers no Skip where there is nothing to skip to (Settings)', () => {
		setup({ skippable: false });
		expect(save()).toBeTruthy();
		expect(screen.queryByRole('button', { name: 'Skip' })).toBeNull();
	});
});

describe('ProvisionStep', () => {
	const PROVISIONED: Provisioned = {
		connectionId: 'conn-1',
		profileId: 'ovp-1',
		credentialId: 'cred-1',
		sipUsername: 'gencredSelf',
		deviceName: 'Ada Desk',
	};

	function setup(answer: Result<Provisioned, TelnyxFailure> = { ok: true, value: PROVISIONED }) {
		const run = vi.fn(async (_options: ProvisionOptions) => answer);
		const bridge = fakeBridge({
			provisioning: {
				run,
				listResources: async () => ({
					ok: true,
					value: {
						connections: [{ id: 'conn-9', name: 'My SIP', ownedByApp: false }],
						profiles: [{ id: 'ovp-9', name: 'Default', ownedByApp: true }],
					},
				}),
			},
			credentials: { getStatus: async () => FAKE_KEY_STATUS },
			history: { list: async () => [] },
		});
		const account = new AccountModel(bridge);
		// Subscribes the model to main's progress events, as the app does.
		void account.load();
		render(ProvisionStep, { props: { account }, context: appContext({ bridge }) });
		return { run, bridge, account, user: userEvent.setup() };
	}

	const step = (label: RegExp) => screen.getByText(label).closest('li')!;

	it('lists every step, then follows main’s progress', async () => {
		const { bridge } = setup();
		expect(screen.getAllByText('Not started')).toHaveLength(5);
		bridge.emit('provisioning:progress', {
			step: 'verify',
			status: 'done',
			detail: 'The key works.',
		});
		bridge.emit('provisioning:progress', {
			step: 'connection',
			status: 'waiting',
			detail: 'Rate limited; retrying in 2 s',
		});
		await waitFor(() =>
			expect(step(/^Check the API key/).getAttribute('data-status')).toBe('done'),
		);
		expect(step(/^Check the API key/).textContent).toMatch(/Done\s*The key works\./);
		expect(step(/^Credential connection/).textContent).toMatch(
			/Waiting\s*Rate limited; retrying in 2 s/,
		);
		expect(screen.getAllByText('Not started')).toHaveLength(3);
	});

	it('sets up the account with no options by default', async () => {
		const { run, user, account } = setup();
		await user.click(screen.getByRole('button', { name: 'Set up my account' }));
		expect(run).toHaveBeenCalledExactlyOnceWith({});
		await waitFor(() => expect(account.justProvisioned).toBe(true));
	});

	it('passes the chosen countries, upper-cased', async () => {
		const { run, user } = setup();
		await user.type(screen.getByLabelText(/Countries you can call/), 'us, ca gb');
		await user.click(screen.getByRole('button', { name: 'Set up my account' }));
		expect(run).toHaveBeenCalledExactlyOnceWith({ allowedCountries: ['US', 'CA', 'GB'] });
	});

	it('refuses countries that are not two-letter codes, in words, without running', async () => {
		const { run, user } = setup();
		await user.type(screen.getByLabelText(/Countries you can call/), 'USA');
		await user.click(screen.getByRole('button', { name: 'Set up my account' }));
		expect(screen.getByRole('alert').textContent).toBe(
			'Countries are two-letter codes separated by commas, such as US, CA, GB.',
		);
		expect(run).not.toHaveBeenCalled();
	});

	it('shows a failure in words and offers to try again', async () => {
		const { user } = setup({
			ok: false,
			error: { code: 'RATE_LIMITED', message: 'Telnyx is busy. Try again in a minute.' },
		});
		await user.click(screen.getByRole('button', { name: 'Set up my account' }));
		expect((await screen.findByRole('alert')).textContent).toBe(
			'Telnyx is busy. Try again in a minute.',
		);
		expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
		expect(screen.queryByRole('checkbox')).toBeNull();
	});

	it('asks for consent before changing a connection the user chose', async () => {
		const { run, user } = setup({
			ok: false,
			error: {
				code: 'NEEDS_CONSENT',
				message: 'The connection you chose must be changed for video.',
			},
		});
		await user.click(screen.getByRole('button', { name: 'Set up my account' }));
		const consent = await screen.findByRole('checkbox', {
			name: 'Allow the app to change the connection I chose',
		});
		await user.click(consent);
		await user.click(screen.getByRole('button', { name: 'Try again' }));
		expect(run).toHaveBeenLastCalledWith({ allowConnectionUpdate: true });
	});
});
