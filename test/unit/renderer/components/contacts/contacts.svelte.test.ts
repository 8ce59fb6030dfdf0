import { render, screen, within } from '@testing-library/svelte';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import ContactsView from '../../../../../renderer/src/components/contacts/ContactsView.svelte';
import Dialer from '../../../../../renderer/src/components/phone/Dialer.svelte';
import HistoryView from '../../../../../renderer/src/components/phone/HistoryView.svelte';
import IncomingCall from '../../../../../renderer/src/components/phone/IncomingCall.svelte';
import { suggest } from '../../../../../renderer/src/lib/contact-search';
import { resolverFor } from '../../../../../renderer/src/lib/dial/destination';
import {
	ContactsModel,
	prefillFor,
	type ContactPrefill,
} from '../../../../../renderer/src/lib/contacts.svelte';
import {
	addressKey,
	findContact,
	type CallHistoryEntry,
	type Contact,
	type ContactDraft,
	type ContactImport,
} from '../../../../../preload/contract';
import { fakeBridge } from '../../../../fakes/fake-bridge';
import { callSnapshot } from '../../../../fakes/fake-softphone';

const ADA: Contact = {
	id: 'c-ada',
	name: 'Ada Lovelace',
	phones: ['+442079460958'],
	sipAddresses: ['sip:ada@example.com'],
	note: '',
};
const ALICE: Contact = {
	id: 'c-alice',
	name: 'Alice Liddell',
	phones: ['+13125550142'],
	sipAddresses: [],
	note: 'Rabbit hole',
};

/** A bridge whose contacts namespace behaves like main's book, in memory. */
function bookBridge(initial: readonly Contact[] = [ADA, ALICE]) {
	let book = [...initial];
	const save = vi.fn(async (draft: ContactDraft) => {
		const contact = { ...draft, id: draft.id ?? `c-${book.length + 1}` };
		book = [...book.filter((c) => c.id !== contact.id), contact];
		return { ok: true as const, value: book };
	});
	const importVCard = vi.fn(async (_text: string): Promise<{ ok: true; value: ContactImport }> => ({
		ok: true,
		value: {
			imported: 2,
			skippedCount: 1,
			skipped: [{ card: 'Only Email', reason: 'It has no phone number or SIP address.' }],
			contacts: book,
		},
	}));
	const bridge = fakeBridge({
		contacts: {
			list: async () => book,
			save,
			remove: async (id) => (book = book.filter((c) => c.id !== id)),
			importVCard,
		},
	});
	return { bridge, save, importVCard };
}

async function model(initial?: readonly Contact[]) {
	const fake = bookBridge(initial);
	const contacts = new ContactsModel(fake.bridge);
	await contacts.load();
	return { ...fake, contacts };
}

describe('contact lookup (one function for every view and main)', () => {
	it.each([
		['+13125550142', ALICE.name],
		['+1 (312) 555-0142', ALICE.name],
		['13125550142', ALICE.name],
		['sip:ADA@Example.com', ADA.name],
		['ada@example.com', ADA.name],
		['+13125550143', null],
		['Alice Liddell', null],
		['', null],
	])('finds %s → %s', (address, name) => {
		expect(findContact([ADA, ALICE], address)?.name ?? null).toBe(name);
	});

	it('treats a bare user name as a Telnyx SIP user', () => {
		expect(addressKey('gencredAbc')).toBe('gencredabc@sip.telnyx.com');
		expect(prefillFor('gencredAbc', 'Bob')).toStrictEqual({
			id: null,
			name: 'Bob',
			phones: [],
			sipAddresses: ['sip:gencredabc@sip.telnyx.com'],
		});
		expect(prefillFor('+1 312 555 0199').phones).toStrictEqual(['+13125550199']);
	});
});

describe('ContactsModel', () => {
	it('mirrors main: the list on load, then main’s contacts:changed', async () => {
		const { contacts, bridge } = await model();
		expect(contacts.nameFor('+13125550142')).toBe('Alice Liddell');
		bridge.emit('contacts:changed', [ADA]);
		expect(contacts.nameFor('+13125550142')).toBeNull();
	});

	it('says when main cannot be reached instead of throwing', async () => {
		const contacts = new ContactsModel(fakeBridge());
		await contacts.load();
		expect(contacts.error).toMatch(/Could not read your contacts/);
	});
});

describe('ContactsView', () => {
	async function view(initial?: readonly Contact[]) {
		const fake = await model(initial);
		const oncall = vi.fn<(to: string, video: boolean) => void>();
		const onedit = vi.fn();
		const props = $state({
			contacts: fake.contacts,
			editing: null as ContactPrefill | null,
			disabled: false,
			cameraEnabled: true,
			oncall,
			onedit: (prefill: ContactPrefill | null) => {
				onedit(prefill);
				props.editing = prefill;
			},
		});
		render(ContactsView, { props });
		return { ...fake, oncall, onedit, props, user: userEvent.setup() };
	}

	it('lists contacts and calls one by audio or video', async () => {
		const { user, oncall } = await view();
		const rows = screen.getAllByTestId('contact');
		expect(rows[0]?.textContent).toContain('Ada Lovelace');
		await user.click(screen.getByRole('button', { name: 'Video call Alice Liddell' }));
		expect(oncall).toHaveBeenCalledWith('+13125550142', true);
	});

	it('adds a contact, normalising the number, and refuses one without a way to reach it', async () => {
		const { user, save } = await view([]);
		expect(screen.getByText(/No contacts yet/)).toBeTruthy();
		await user.click(screen.getByRole('button', { name: 'Add contact' }));
		await user.type(screen.getByLabelText('Name'), 'Grace Hopper');
		await user.click(screen.getByRole('button', { name: 'Save' }));
		expect(screen.getByRole('alert')?.textContent).toMatch(/phone number or a SIP address/);
		expect(save).not.toHaveBeenCalled();
		await user.type(screen.getByLabelText(/Phone numbers/), '+1 (312) 555-0100');
		await user.type(screen.getByLabelText(/SIP addresses/), 'grace@example.com');
		await user.click(screen.getByRole('button', { name: 'Save' }));
		expect(save).toHaveBeenCalledWith({
			id: null,
			name: 'Grace Hopper',
			phones: ['+13125550100'],
			sipAddresses: ['sip:grace@example.com'],
			note: '',
		});
		expect(await screen.findByText('Grace Hopper')).toBeTruthy();
	});

	it('edits and deletes', async () => {
		const { user, save } = await view();
		await user.click(screen.getByRole('button', { name: 'Edit Ada Lovelace' }));
		const name = screen.getByLabelText('Name');
		await user.clear(name);
		await user.type(name, 'Ada King');
		await user.click(screen.getByRole('button', { name: 'Save' }));
		expect(save).toHaveBeenCalledWith(expect.objectContaining({ id: 'c-ada', name: 'Ada King' }));
		await user.click(await screen.findByRole('button', { name: 'Delete Ada King' }));
		expect(screen.queryByText('Ada King')).toBeNull();
	});

	it('imports a vCard file: reads its text, hands it to main, and says what was skipped', async () => {
		const { user, importVCard } = await view();
		const file = new File(['BEGIN:VCARD\r\nFN:X\r\nEND:VCARD\r\n'], 'contacts.vcf', {
			type: 'text/vcard',
		});
		await user.upload(screen.getByLabelText('vCard file'), file);
		expect(importVCard).toHaveBeenCalledWith('BEGIN:VCARD\r\nFN:X\r\nEND:VCARD\r\n');
		const result = await screen.findByTestId('import-result');
		expect(result?.textContent).toContain('Imported 2 contacts.');
		expect(result?.textContent).toContain('Only Email — It has no phone number or SIP address.');
	});

	it('refuses a file over 1 MiB without sending it', async () => {
		const { user, importVCard } = await view();
		const big = new File(['x'.repeat(1024 * 1024 + 1)], 'big.vcf');
		await user.upload(screen.getByLabelText('vCard file'), big);
		expect((await screen.findByRole('alert')).textContent).toMatch(/larger than 1 MiB/);
		expect(importVCard).not.toHaveBeenCalled();
	});
});

const historyEntry = (remote: string, remoteName = ''): CallHistoryEntry => ({
	id: remote,
	direction: 'inbound',
	remote,
	remoteName,
	video: false,
	startedAt: '2026-01-15T09:30:00.000Z',
	durationSeconds: 5,
	answered: true,
	endReason: 'hangup-remote',
	endMessage: 'The other side hung up.',
});

describe('names for known numbers', () => {
	it('shows the contact’s name in history, and offers to add the others', async () => {
		const { contacts } = await model();
		const onaddcontact = vi.fn();
		render(HistoryView, {
			props: {
				history: [historyEntry('+13125550142', 'ALICE'), historyEntry('+13125550199', 'Caller')],
				disabled: false,
				oncall: () => {},
				onclear: () => {},
				nameOf: contacts.nameFor,
				onaddcontact,
			},
		});
		const rows = screen.getAllByTestId('history-entry');
		expect(rows[0]?.textContent).toContain('Alice Liddell');
		expect(within(rows[0]!).queryByRole('button', { name: /^Add to contacts/ })).toBeNull();
		await userEvent
			.setup()
			.click(within(rows[1]!).getByRole('button', { name: /^Add to contacts/ }));
		expect(onaddcontact).toHaveBeenCalledWith('+13125550199', 'Caller');
	});

	/** The incoming-call screen for an inbound call ringing from `call.remote`. */
	function renderIncoming({
		call,
		contactName,
		onaddcontact,
	}: {
		call: { remote: string; remoteName?: string };
		contactName: string | null;
		onaddcontact: () => void;
	}) {
		render(IncomingCall, {
			props: {
				call: callSnapshot({ id: 'in', direction: 'inbound', phase: 'ringing', ...call }),
				busy: false,
				cameraEnabled: true,
				onanswer: () => {},
				ondecline: () => {},
				contactName,
				onaddcontact,
			},
		});
	}

	it('shows the contact’s name on the incoming-call screen, with the number under it', () => {
		renderIncoming({
			call: { remote: '+13125550142', remoteName: 'ALICE' },
			contactName: 'Alice Liddell',
			onaddcontact: () => {},
		});
		expect(screen.getByRole('heading')?.textContent).toContain('Alice Liddell');
		expect(screen.getByRole('alertdialog')?.textContent).toContain('from +13125550142');
		expect(screen.queryByRole('button', { name: 'Add to contacts' })).toBeNull();
	});

	it('offers to add an unknown caller from the incoming-call screen', async () => {
		const onaddcontact = vi.fn();
		renderIncoming({ call: { remote: '+13125550199' }, contactName: null, onaddcontact });
		await userEvent.setup().click(screen.getByRole('button', { name: 'Add to contacts' }));
		expect(onaddcontact).toHaveBeenCalledOnce();
	});
});

describe('dialer suggestions', () => {
	const sources = {
		contacts: [ADA, ALICE],
		installations: [{ name: 'Kitchen Laptop', sipUsername: 'gencredK', self: false }],
		recent: [historyEntry('+14155552671', 'Front Desk')],
	};

	it('finds contacts by name or digits, installations and recent calls, one line per destination', () => {
		expect(suggest('ali', sources).map((s) => s.destination)).toStrictEqual(['+13125550142']);
		expect(suggest('312', sources).map((s) => s.label)).toStrictEqual(['Alice Liddell']);
		expect(suggest('a', sources).map((s) => s.kind)).toStrictEqual([
			'contact',
			'contact',
			'contact',
			'installation',
		]);
		expect(suggest('front', sources)).toStrictEqual([
			{ kind: 'recent', label: 'Front Desk', destination: '+14155552671' },
		]);
		expect(suggest('  ', sources)).toStrictEqual([]);
	});

	function dialer() {
		const ondial = vi.fn<(to: string, video: boolean) => void>();
		render(Dialer, {
			props: {
				...sources,
				directoryError: null,
				error: null,
				disabled: false,
				cameraEnabled: true,
				prefill: '',
				ondial,
				resolve: resolverFor(fakeBridge({}, { directory: () => sources.installations })),
			},
		});
		return { ondial, user: userEvent.setup() };
	}

	it('lists suggestions as the user types; a click dials one', async () => {
		const { ondial, user } = dialer();
		expect(screen.queryByTestId('dial-suggestions')).toBeNull();
		await user.type(screen.getByLabelText('Number, SIP address or installation'), 'lovel');
		const list = screen.getByTestId('dial-suggestions');
		expect(
			within(list)
				.getAllByRole('button')
				.map((b) => b.textContent?.trim()),
		).toHaveLength(2);
		await user.click(within(list).getByRole('button', { name: /sip:ada@example.com/ }));
		expect(ondial).toHaveBeenCalledWith('sip:ada@example.com', false);
	});

	it('dials a contact whose name was typed in full when Enter is pressed', async () => {
		const { ondial, user } = dialer();
		await user.type(
			screen.getByLabelText('Number, SIP address or installation'),
			'alice liddell{Enter}',
		);
		expect(ondial).toHaveBeenCalledWith('+13125550142', false);
	});
});
