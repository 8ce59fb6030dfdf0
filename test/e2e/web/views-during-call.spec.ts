/**
 * A call outlives the views, the layout fills the window at any size, and the keyboard works: two
 * installations against the sandbox, measured from the pages' own peer connections and elements.
 */
import { expect, type Page } from '@playwright/test';
import {
	PEER_CONNECTION_SPY,
	checkScreen,
	inboundCounters,
	onboard,
} from '../support/softphone-helpers';
import { expectMediaFlowing, sandboxTest } from '../support/fixtures';

const test = sandboxTest({ initScripts: [PEER_CONNECTION_SPY] });

const phase = (page: Page) => page.getByTestId('call-phase');
const tab = (page: Page, name: string) =>
	page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name });

/** Over a second: inbound audio energy (the far end's sound played out) and decoded video frames rose. */
async function expectStillFlowing(page: Page, where: string): Promise<void> {
	await expect
		.poll(
			async () => {
				const before = await inboundCounters(page);
				await page.waitForTimeout(1000);
				const after = await inboundCounters(page);
				return {
					audio: after.audioEnergy - before.audioEnergy > 0.001,
					video: after.videoFramesDecoded > before.videoFramesDecoded,
				};
			},
			{ timeout: 10_000, message: where },
		)
		.toEqual({ audio: true, video: true });
}

/**
 * Gap in px between the bottom of the last bar above `main` and the top of `main`, and whether `main`
 * reaches the bottom of the window (it takes the room left, even when its content is short).
 */
async function mainPlacement(page: Page): Promise<{ gap: number; reachesBottom: boolean }> {
	return page.evaluate(() => {
		const main = document.querySelector('main')!;
		const above = main.previousElementSibling!;
		const mainBox = main.getBoundingClientRect();
		return {
			gap: mainBox.top - above.getBoundingClientRect().bottom,
			reachesBottom: mainBox.bottom >= window.innerHeight - 0.5,
		};
	});
}

test('a video call keeps sounding and showing on both sides through every view, with a call bar', async ({
	sandbox,
	launch,
}, testInfo) => {
	test.setTimeout(180_000);
	const bob = await launch('Bob desktop');
	await onboard(bob.page, sandbox.apiKey, { name: 'Bob', number: null });
	const alice = await launch('Alice laptop');
	await onboard(alice.page, sandbox.apiKey, { name: 'Alice', number: null });

	// Short views (an empty history, About): `main` starts right under the tabs and takes the rest.
	await tab(bob.page, 'History').click();
	expect(await mainPlacement(bob.page)).toEqual({ gap: 0, reachesBottom: true });
	await tab(bob.page, 'About').click();
	expect(await mainPlacement(bob.page)).toEqual({ gap: 0, reachesBottom: true });
	await tab(bob.page, 'Phone').click();

	await alice.page.getByRole('button', { name: 'Video call Bob desktop' }).click();
	await bob.page
		.getByRole('alertdialog')
		.getByRole('button', { name: 'Answer with video' })
		.click();
	await expect(phase(alice.page)).toHaveText('In call');
	await expect(phase(bob.page)).toHaveText('In call');
	await expectMediaFlowing(alice.page);
	await expectMediaFlowing(bob.page);

	// Marks Alice's media elements, to find the very same ones after every view switch.
	await alice.page.evaluate(() => {
		for (const el of document.querySelectorAll('audio, video'))
			(el as HTMLMediaElement & { __mark?: boolean }).__mark = true;
	});
	const sameElements = () =>
		alice.page.evaluate(() => {
			const all = [...document.querySelectorAll<HTMLMediaElement>('audio, video')];
			return (
				all.length > 0 &&
				all.every((el) => (el as HTMLMediaElement & { __mark?: boolean }).__mark === true) &&
				all.every((el) => !el.paused)
			);
		});

	for (const view of ['Settings', 'History', 'About', 'Phone'] as const) {
		await tab(alice.page, view).click();
		await expect(tab(alice.page, view)).toHaveAttribute('aria-current', 'page');
		const bar = alice.page.getByRole('region', { name: 'Call in progress' });
		if (view === 'Phone') await expect(bar).toHaveCount(0);
		else {
			await expect(bar).toContainText('Bob desktop');
			await expect(bar.getByTestId('call-bar-phase')).toHaveText('In call');
			await expect(bar.getByLabel('Call duration')).toHaveText(/^\d+:\d\d$/);
		}
		await expectStillFlowing(alice.page, `Alice on ${view}`);
		await expectStillFlowing(bob.page, `Bob while Alice is on ${view}`);
		expect(await sameElements(), `Alice's media elements on ${view}`).toBe(true);
		if (view === 'History' || view === 'About') {
			// The call bar fits between the tabs and `main`, which still fills the window.
			expect(await mainPlacement(alice.page)).toEqual({ gap: 0, reachesBottom: true });
		}
		if (view === 'About') {
			await checkScreen(alice.page, testInfo, 'about during a call');
		}
	}

	// Mute and back from the call bar.
	await tab(alice.page, 'History').click();
	const bar = alice.page.getByRole('region', { name: 'Call in progress' });
	await bar.getByRole('button', { name: 'Mute' }).click();
	await expect(bar.getByRole('button', { name: 'Unmute' })).toHaveAttribute('aria-pressed', 'true');
	await bar.getByRole('button', { name: 'Unmute' }).click();
	await bar.getByRole('button', { name: 'Back to the call' }).click();
	await expect(phase(alice.page)).toHaveText('In call');
	await expectMediaFlowing(alice.page);

	// A large window: the video takes the room, the controls stay on screen.
	await alice.page.setViewportSize({ width: 1280, height: 900 });
	await expect
		.poll(async () => (await alice.page.getByTestId('remote-video').boundingBox())?.height ?? 0)
		.toBeGreaterThan(450);
	const hangUp = await alice.page.getByRole('button', { name: 'Hang up' }).boundingBox();
	expect(hangUp!.y + hangUp!.height).toBeLessThanOrEqual(900);
	await checkScreen(alice.page, testInfo, 'video call, large window');
	await alice.page.setViewportSize({ width: 420, height: 720 });
	const small = await alice.page.getByRole('button', { name: 'Hang up' }).boundingBox();
	expect(small!.y + small!.height).toBeLessThanOrEqual(720);

	// Full screen on the video, and the button follows when the document leaves it.
	await alice.page.getByRole('button', { name: 'Full screen' }).click();
	await expect
		.poll(() => alice.page.evaluate(() => document.fullscreenElement?.getAttribute('data-testid')))
		.toBe('call-media');
	await expect(alice.page.getByRole('button', { name: 'Exit full screen' })).toHaveAttribute(
		'aria-pressed',
		'true',
	);
	await alice.page.evaluate(() => document.exitFullscreen());
	await expect(alice.page.getByRole('button', { name: 'Full screen' })).toHaveAttribute(
		'aria-pressed',
		'false',
	);
	await expect(phase(alice.page)).toHaveText('In call');

	// Digits typed outside any field are tones in the call.
	await alice.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
	await alice.page.keyboard.type('4*');
	await expect.poll(() => sandbox.admin.calls().at(-1)?.dtmf.caller).toBe('4*');

	await bob.page.getByRole('button', { name: 'Hang up' }).click();
	await expect(phase(alice.page)).toHaveText('The other side hung up.');
});

test('keyboard first: digits to the dialer, Enter calls, Esc cancels and declines, focus visible', async ({
	sandbox,
	launch,
}, testInfo) => {
	test.setTimeout(150_000);
	const bob = await launch('Bob desktop');
	await onboard(bob.page, sandbox.apiKey, { name: 'Bob', number: null });
	const alice = await launch('Alice laptop');
	await onboard(alice.page, sandbox.apiKey, { name: 'Alice', number: null });
	await expect(
		alice.page.getByRole('button', { name: 'Call Bob desktop', exact: true }),
	).toBeVisible();
	const field = alice.page.getByLabel('Number, SIP address or installation');

	// Tab moves the focus, which is outlined.
	await alice.page.locator('body').click({ position: { x: 5, y: 5 } });
	await alice.page.keyboard.press('Tab');
	const outline = await alice.page.evaluate(() => {
		const style = getComputedStyle(document.activeElement!);
		return { style: style.outlineStyle, width: style.outlineWidth };
	});
	expect(outline).toEqual({ style: 'solid', width: '3px' });

	// Digits typed anywhere on the Phone view land in the dialer.
	await alice.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
	await alice.page.keyboard.type('12#');
	await expect(field).toHaveValue('12#');
	await expect(field).toBeFocused();

	// Enter places the call; Esc cancels it while it rings.
	await field.fill('Bob desktop');
	await field.press('Enter');
	await expect(bob.page.getByRole('alertdialog')).toBeVisible();
	await expect(phase(alice.page)).toHaveText(/Ringing|Calling|Connecting/);
	await alice.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
	await alice.page.keyboard.press('Escape');
	await expect(phase(alice.page)).toHaveText('You cancelled the call.');
	await expect(bob.page.getByRole('alertdialog')).toHaveCount(0);
	await alice.page.getByRole('button', { name: 'Close' }).click();

	// Esc in the incoming-call dialog declines it: the caller hears busy.
	await field.fill('Bob desktop');
	await field.press('Enter');
	await expect(bob.page.getByRole('alertdialog')).toBeVisible();
	await checkScreen(bob.page, testInfo, 'incoming call (keyboard)');
	await bob.page.keyboard.press('Escape');
	await expect(phase(alice.page)).toHaveText(/^Busy/);

	// The keys are listed in About.
	await tab(alice.page, 'About').click();
	const keys = alice.page.getByRole('region', { name: 'Keyboard' });
	for (const key of ['Enter', '0–9, *, #', 'Esc'])
		await expect(keys.getByText(key, { exact: true })).toBeVisible();
	await checkScreen(alice.page, testInfo, 'about with keys');
});
