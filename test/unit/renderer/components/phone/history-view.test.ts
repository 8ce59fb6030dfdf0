import { render, screen, within } from '@testing-library/svelte';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import HistoryView from '../../../../../renderer/src/components/phone/HistoryView.svelte';
import type { CallHistoryEntry } from '../../../../../preload/contract';

const entry = (overrides: Partial<CallHistoryEntry>): CallHistoryEntry => ({
	id: 'h',
	direction: 'outbound',
	remote: '+14155552671',
	remoteName: '',
	video: false,
	startedAt: '2026-01-15T09:30:00.000Z',
	durationSeconds: 0,
	answered: false,
	endReason: 'failed',
	endMessage: 'The call ended.',
	...overrides,
});

const HISTORY: CallHistoryEntry[] = [
	entry({
		id: 'missed',
		direction: 'inbound',
		remote: '+442071838750',
		endReason: 'cancelled',
		endMessage: 'The caller hung up before you answered.',
	}),
	entry({
		id: 'declined',
		direction: 'inbound',
		remote: 'sip:gencredFront@sip.telnyx.com',
		remoteName: 'Front Desk',
		endReason: 'declined',
		endMessage: 'You declined the call.',
	}),
	entry({
		id: 'answered-in',
		direction: 'inbound',
		remote: 'sip:gencredKitchen@sip.telnyx.com',
		remoteName: 'Kitchen Laptop',
		video: true,
		answered: true,
		durationSeconds: 3725,
		endReason: 'hangup-local',
		endMessage: 'You hung up.',
	}),
	entry({
		id: 'out',
		answered: true,
		durationSeconds: 65,
		endReason: 'hangup-remote',
		endMessage: 'The other side hung up.',
	}),
	entry({
		id: 'busy',
		remote: '+13125550199',
		endReason: 'busy',
		endMessage: 'Busy: the other side declined or is on another call.',
	}),
];

function setup(history: readonly CallHistoryEntry[] = HISTORY, disabled = false) {
	const oncall = vi.fn<(remote: string, video: boolean) => void>();
	const onclear = vi.fn<() => void>();
	render(HistoryView, { props: { history, disabled, oncall, onclear } });
	return { oncall, onclear, user: userEvent.setup() };
}

const row = (id: string): HTMLElement => {
	const rows = screen.getAllByTestId('history-entry');
	const index = HISTORY.findIndex((e) => e.id === id);
	return rows[index]!;
};
/** What a row says, with white space collapsed as the browser shows it. */
const says = (id: string): string => (row(id).textContent ?? '').replace(/\s+/g, ' ');
/** The row's summary line: kind, start time and (once answered) the duration. */
const summary = (id: string): string =>
	(row(id).querySelector('.hint')?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('HistoryView', () => {
	it('lists every call, newest first as main keeps them', () => {
		setup();
		const rows = screen.getAllByTestId('history-entry');
		expect(rows.map((r) => r.getAttribute('data-end'))).toEqual([
			'cancelled',
			'declined',
			'hangup-local',
			'hangup-remote',
			'busy',
		]);
	});

	it('labels an unanswered inbound call Missed, but not one the user declined', () => {
		setup();
		expect(summary('missed')).toMatch(/^Missed audio call · /);
		expect(summary('declined')).toMatch(/^Incoming audio call · /);
		expect(summary('answered-in')).toMatch(/^Incoming video call · /);
		expect(summary('out')).toMatch(/^Outgoing audio call · /);
		expect(summary('busy')).toMatch(/^Outgoing audio call · /);
		expect(screen.getAllByText(/Missed/)).toHaveLength(1);
	});

	it('shows the duration of answered calls only, and the end in words', () => {
		setup();
		expect(summary('answered-in')).toMatch(/ · 1:02:05$/);
		expect(summary('out')).toMatch(/ · 1:05$/);
		// Unanswered: the kind and the start time, no duration.
		expect(summary('missed').split(' · ')).toHaveLength(2);
		expect(summary('busy').split(' · ')).toHaveLength(2);
		expect(says('out')).toMatch(/The other side hung up\./);
		expect(within(row('busy')).getByText(/^Busy: the other side declined/)).toBeTruthy();
		expect(within(row('missed')).getByText('The caller hung up before you answered.')).toBeTruthy();
	});

	it('shows the name when known, else the address', () => {
		setup();
		expect(within(row('answered-in')).getByText('Kitchen Laptop')).toBeTruthy();
		expect(within(row('missed')).getByText('+442071838750')).toBeTruthy();
	});

	it('calls back with the address and the same kind of call', async () => {
		const { oncall, user } = setup();
		await user.click(screen.getByRole('button', { name: 'Call back +442071838750' }));
		await user.click(screen.getByRole('button', { name: 'Call back Kitchen Laptop' }));
		expect(oncall.mock.calls).toEqual([
			['+442071838750', false],
			['sip:gencredKitchen@sip.telnyx.com', true],
		]);
	});

	it('disables call back while not connected', async () => {
		const { oncall, user } = setup(HISTORY, true);
		const button = screen.getByRole('button', { name: 'Call back +442071838750' });
		expect(button).toHaveProperty('disabled', true);
		await user.click(button);
		expect(oncall).not.toHaveBeenCalled();
	});

	it('clears the history', async () => {
		const { onclear, user } = setup();
		await user.click(screen.getByRole('button', { name: 'Clear history' }));
		expect(onclear).toHaveBeenCalledOnce();
	});

	it('says when there are no calls, with nothing to clear', () => {
		setup([]);
		expect(screen.getByText('No calls yet.')).toBeTruthy();
		expect(screen.queryByRole('button', { name: 'Clear history' })).toBeNull();
	});
});
