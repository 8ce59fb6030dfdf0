import { render, screen } from '@testing-library/svelte';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import sdkPackage from '@telnyx/webrtc/package.json';
import type { AppInfo } from '../../../../preload/contract';
import { appContext } from '../../../../renderer/src/lib/app-context';
import AboutPanel from '../../../../renderer/src/components/AboutPanel.svelte';
import { FAKE_INFO, fakeBridge } from '../../../fakes/fake-bridge';

function setup(
	info: AppInfo = FAKE_INFO,
	openLogsFolder: () => ReturnType<
		ReturnType<typeof fakeBridge>['app']['openLogsFolder']
	> = async () => ({
		ok: true,
		value: undefined,
	}),
) {
	const open = vi.fn(openLogsFolder);
	const bridge = fakeBridge({ app: { openLogsFolder: open } });
	render(AboutPanel, { props: { info }, context: appContext({ bridge }) });
	return { open, user: userEvent.setup() };
}

/** The value beside a term of the About list. */
const valueOf = (term: string) =>
	screen.getByText(term, { selector: 'dt' }).nextElementSibling?.textContent?.trim();

describe('About: versions', () => {
	it('shows the app’s, Electron’s, Chromium’s, Node’s and the Telnyx SDK’s versions', () => {
		setup({
			...FAKE_INFO,
			version: '1.4.0',
			versions: { electron: '45.6.1', chromium: '148.0.7778.56', node: '24.11.1' },
		});
		expect(valueOf('Version')).toBe('1.4.0');
		expect(valueOf('Electron')).toBe('45.6.1');
		expect(valueOf('Chromium')).toBe('148.0.7778.56');
		expect(valueOf('Node')).toBe('24.11.1');
		// The version installed, written in at build time.
		expect(valueOf('Telnyx WebRTC SDK')).toBe(sdkPackage.version);
	});

	it('says so where it is not running in Electron (no Electron or Chromium version)', () => {
		setup({ ...FAKE_INFO, versions: { electron: null, chromium: null, node: '24.11.1' } });
		expect(valueOf('Electron')).toBe('not running in Electron');
		// A dash on screen, a word for screen readers.
		const chromium = screen.getByTestId('chromium-version');
		expect(chromium.querySelector('[aria-hidden="true"]')?.textContent).toBe('—');
		expect(chromium.querySelector('.visually-hidden')?.textContent).toBe('unknown');
		expect(valueOf('Node')).toBe('24.11.1');
	});
});

describe('About: the logs folder', () => {
	it('asks main to open it, and says nothing more when it did', async () => {
		const { open, user } = setup();
		await user.click(screen.getByRole('button', { name: 'Open logs folder' }));
		expect(open).toHaveBeenCalledTimes(1);
		expect(screen.queryByRole('alert')).toBeNull();
	});

	it('shows main’s sentence when it could not', async () => {
		const { user } = setup(FAKE_INFO, async () => ({
			ok: false,
			error: { message: 'No file manager is installed to show the folder.' },
		}));
		await user.click(screen.getByRole('button', { name: 'Open logs folder' }));
		expect((await screen.findByRole('alert')).textContent).toBe(
			'No file manager is installed to show the folder.',
		);
	});

	it('says what went wrong when the request itself fails, and clears it on success', async () => {
		let fail = true;
		const { user } = setup(FAKE_INFO, async () => {
			if (fail) throw new Error('[INTERNAL] app:openLogsFolder failed');
			return { ok: true, value: undefined };
		});
		await user.click(screen.getByRole('button', { name: 'Open logs folder' }));
		expect((await screen.findByRole('alert')).textContent).toBe(
			'The logs folder could not be opened: [INTERNAL] app:openLogsFolder failed',
		);
		fail = false;
		await user.click(screen.getByRole('button', { name: 'Open logs folder' }));
		expect(screen.queryByRole('alert')).toBeNull();
	});

	it('explains what the logs are for and that they hold no API key', () => {
		setup();
		const button = screen.getByRole('button', { name: 'Open logs folder' });
		const hint = document.getElementById(button.getAttribute('aria-describedby') ?? '');
		expect(hint?.textContent).toMatch(/never hold your API key/);
	});
});
