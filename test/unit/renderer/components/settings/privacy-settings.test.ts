/**
 * Settings ▸ Privacy: the disclosure that Telnyx's SDK sends call-quality reports to Telnyx, and the switch
 * that stops it, saved by main and showing what main answers.
 */
import { render, screen } from '@testing-library/svelte';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { appContext } from '../../../../../renderer/src/lib/app-context';
import PrivacySettings from '../../../../../renderer/src/components/settings/PrivacySettings.svelte';
import { FAKE_SETTINGS, fakeBridge } from '../../../../fakes/fake-bridge';

const box = () => screen.getByRole('checkbox', { name: 'Send call-quality reports to Telnyx' });

describe('PrivacySettings', () => {
	it('says what the SDK sends to Telnyx, with the switch on as the SDK has it', () => {
		render(PrivacySettings, {
			props: { callReports: true },
			context: appContext({ bridge: fakeBridge() }),
		});
		expect(screen.getByText(/sends a quality report of each call to Telnyx/)).toBeTruthy();
		expect(box()).toHaveProperty('checked', true);
		expect(FAKE_SETTINGS.ui.callReports).toBe(true);
	});

	it('turning it off is saved by main', async () => {
		const bridge = fakeBridge();
		render(PrivacySettings, { props: { callReports: true }, context: appContext({ bridge }) });
		await userEvent.click(box());
		expect((await bridge.settings.get()).ui.callReports).toBe(false);
		expect(box()).toHaveProperty('checked', false);
	});

	it('a refused save puts the box back and says why', async () => {
		const bridge = fakeBridge({
			settings: {
				update: () =>
					Promise.resolve({
						ok: false as const,
						error: { code: 'SAVE_FAILED' as const, message: 'The disk is full.' },
					}),
			},
		});
		render(PrivacySettings, { props: { callReports: true }, context: appContext({ bridge }) });
		await userEvent.click(box());
		expect(await screen.findByText('The disk is full.')).toBeTruthy();
		expect(box()).toHaveProperty('checked', true);
	});
});
