import { render, screen } from '@testing-library/svelte';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import EndpointsForm from '../../../renderer/src/components/EndpointsForm.svelte';
import type { Endpoints, SettingsError } from '../../../preload/contract';
import { FAKE_SETTINGS } from '../../fakes/fake-bridge';

function setup(onsave: (e: Endpoints) => Promise<SettingsError | null>) {
	render(EndpointsForm, { props: { endpoints: FAKE_SETTINGS.endpoints, onsave } });
	return userEvent.setup();
}

describe('EndpointsForm', () => {
	it('starts from main’s endpoints, and offers Save only once something changed', async () => {
		const user = setup(vi.fn(async () => null));
		expect(screen.getByLabelText('REST API URL')).toHaveProperty(
			'value',
			FAKE_SETTINGS.endpoints.restBaseUrl,
		);
		const save = screen.getByRole('button', { name: 'Save' });
		expect(save).toHaveProperty('disabled', true);
		await user.type(screen.getByLabelText('Signalling URL'), 'x');
		expect(save).toHaveProperty('disabled', false);
	});

	it('sends trimmed values and confirms the save', async () => {
		const onsave = vi.fn(async () => null);
		const user = setup(onsave);
		const rest = screen.getByLabelText('REST API URL');
		await user.clear(rest);
		await user.type(rest, '  https://api.example.com/v2  ');
		await user.click(screen.getByRole('button', { name: 'Save' }));
		expect(onsave).toHaveBeenCalledWith({
			restBaseUrl: 'https://api.example.com/v2',
			signallingUrl: FAKE_SETTINGS.endpoints.signallingUrl,
		});
	});

	it('shows main’s refusal beside the field it names, and marks the field invalid', async () => {
		const user = setup(async () => ({
			code: 'INVALID_SETTING',
			field: 'endpoints.signallingUrl',
			message: 'The signalling URL must start with wss://',
		}));
		const field = screen.getByLabelText('Signalling URL');
		await user.type(field, 'x');
		await user.click(screen.getByRole('button', { name: 'Save' }));
		expect(await screen.findByText('The signalling URL must start with wss://')).toBeTruthy();
		expect(field.getAttribute('aria-invalid')).toBe('true');
		expect(field.getAttribute('aria-describedby')).toBe('signalling-url-error');
	});

	it('shows a refusal that names no field as an alert', async () => {
		const user = setup(async () => ({
			code: 'SAVE_FAILED',
			message: 'The settings could not be saved.',
		}));
		await user.type(screen.getByLabelText('REST API URL'), 'x');
		await user.click(screen.getByRole('button', { name: 'Save' }));
		expect((await screen.findByRole('alert')).textContent).toBe('The settings could not be saved.');
	});
});
