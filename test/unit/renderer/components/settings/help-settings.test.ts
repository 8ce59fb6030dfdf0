/**
 * Settings ▸ Help: Test my setup's entry, and the support bundle — saved by main with the numbers hidden
 * unless the user includes them, and what main answered (saved, cancelled, refused) said in words.
 */
import { render, screen } from '@testing-library/svelte';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { appContext } from '../../../../../renderer/src/lib/app-context';
import HelpSettings from '../../../../../renderer/src/components/settings/HelpSettings.svelte';
import type { SupportBundleOptions } from '../../../../../preload/contract';
import { fakeBridge } from '../../../../fakes/fake-bridge';

const save = () => screen.getByRole('button', { name: 'Save support bundle…' });

describe('HelpSettings', () => {
	it('says what the bundle holds and keeps out, and asks main with numbers hidden by default', async () => {
		const asked: SupportBundleOptions[] = [];
		const bridge = fakeBridge({
			diagnostics: {
				saveSupportBundle: async (options) => {
					asked.push(options);
					return {
						ok: true as const,
						value: { saved: true, fileName: 'telnyx-softphone-support.zip', bytes: 48_300 },
					};
				},
			},
		});
		render(HelpSettings, { props: { ontest: () => {} }, context: appContext({ bridge }) });
		expect(screen.getByText(/never holds your API key/)).toBeTruthy();
		await userEvent.click(save());
		expect(await screen.findByTestId('bundle-outcome')).toHaveProperty(
			'textContent',
			'Saved telnyx-softphone-support.zip (47 KB).',
		);
		await userEvent.click(screen.getByRole('checkbox', { name: 'Include full phone numbers' }));
		await userEvent.click(save());
		expect(asked).toEqual([{ includeFullNumbers: false }, { includeFullNumbers: true }]);
	});

	it('says nothing when the user cancels the save dialog, and shows main’s refusal', async () => {
		const answers = [
			{ ok: true as const, value: { saved: false, fileName: '', bytes: 0 } },
			{
				ok: false as const,
				error: { message: 'That folder is read-only. Choose another folder.' },
			},
		];
		const bridge = fakeBridge({
			diagnostics: { saveSupportBundle: async () => answers.shift()! },
		});
		render(HelpSettings, { props: { ontest: () => {} }, context: appContext({ bridge }) });
		await userEvent.click(save());
		expect(screen.queryByTestId('bundle-outcome')).toBeNull();
		await userEvent.click(save());
		expect((await screen.findByRole('alert')).textContent?.trim()).toBe(
			'That folder is read-only. Choose another folder.',
		);
	});

	it('opens Test my setup', async () => {
		const ontest = vi.fn();
		render(HelpSettings, { props: { ontest }, context: appContext({ bridge: fakeBridge() }) });
		await userEvent.click(screen.getByRole('button', { name: 'Test my setup' }));
		expect(ontest).toHaveBeenCalledOnce();
	});
});
