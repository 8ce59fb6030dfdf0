/**
 * The renderer's plain form checks and the contract's schemas, side by side (issue 17: the renderer no
 * longer bundles the schema library): for every input, the check's sentence is the schema's first issue, and
 * the check passes exactly what the schema accepts. A seeded random walk adds drafts nobody wrote down.
 */
import { describe, expect, it } from 'vitest';
import { callerIdSchema, contactDraftSchema, limits } from '../../../preload/contract';
import {
	callerIdNameProblem,
	contactDraftProblem,
	type ContactDraftInput,
} from '../../../preload/form-checks';
import { seeded } from '../../support/random';

const schemaProblem = (draft: ContactDraftInput): string | null =>
	contactDraftSchema.safeParse(draft).error?.issues[0]?.message ?? null;

const base: ContactDraftInput = {
	id: null,
	name: 'Ada',
	phones: ['+13125550142'],
	sipAddresses: [],
	note: '',
};
const many = (n: number, value: string) => Array.from({ length: n }, () => value);

const DRAFTS: [string, Partial<ContactDraftInput>][] = [
	['a good contact', {}],
	['an existing id', { id: 'abc-123' }],
	['an empty name', { name: '' }],
	['a blank name', { name: '   ' }],
	['a long name', { name: 'a'.repeat(limits.contactName + 1) }],
	['a name at the bound', { name: 'a'.repeat(limits.contactName) }],
	['an invisible character', { name: 'Ada\u202e' }],
	['a national number', { phones: ['3125550142'] }],
	['too many numbers', { phones: many(limits.contactPhones + 1, '+13125550142') }],
	['too many numbers, one bad', { phones: [...many(limits.contactPhones, '+13125550142'), 'x'] }],
	['a SIP address', { phones: [], sipAddresses: ['sip:alice@example.com'] }],
	['a SIP address with headers', { sipAddresses: ['sip:alice@example.com?x=y'] }],
	['a long SIP address', { sipAddresses: [`sip:${'a'.repeat(300)}@example.com`] }],
	['too many SIP addresses', { sipAddresses: many(limits.contactSipAddresses + 1, 'sip:a@b.c') }],
	['a long note', { note: 'n'.repeat(limits.contactNote + 1) }],
	['no way to reach', { phones: [], sipAddresses: [] }],
	['no name and no way to reach', { name: '', phones: [] }],
	['a bad number and a bad address', { phones: ['1'], sipAddresses: ['sip:'] }],
];

describe('contactDraftProblem against contactDraftSchema', () => {
	it.each(DRAFTS)('agrees on %s', (_why, change) => {
		const draft = { ...base, ...change };
		expect(contactDraftProblem(draft)).toBe(schemaProblem(draft));
	});

	it('agrees on random drafts', () => {
		const random = seeded(17);
		const { pick } = random;
		const names = ['', ' ', 'Bob', 'a'.repeat(limits.contactName + 1), 'x\u200b', 'Zoë Ådams'];
		const phones = ['+13125550142', '+4420794600', '123', '+0123456789', '+1312555014299999'];
		const sips = ['sip:a@b.c', 'sips:bob@example.com:5061', 'sip:@x', 'tel:+1', 'sip:a@b.c?h=1'];
		for (let i = 0; i < 500; i += 1) {
			const draft: ContactDraftInput = {
				id: random.next() < 0.8 ? null : pick(['ok-1', '', 'bad id']),
				name: pick(names),
				phones: many(random.int(12), '').map(() => pick(phones)),
				sipAddresses: many(random.int(12), '').map(() => pick(sips)),
				note: random.next() < 0.9 ? 'note' : 'n'.repeat(limits.contactNote + 1),
			};
			const problem = contactDraftProblem(draft);
			// An invalid id never comes from the form (it is the book's own); only its refusal must agree.
			if (draft.id === '' || draft.id === 'bad id') expect(problem).not.toBeNull();
			else expect(problem, JSON.stringify(draft)).toBe(schemaProblem(draft));
		}
	});
});

describe('callerIdNameProblem against callerIdSchema', () => {
	it.each(['', 'Ada Lovelace', 'a'.repeat(15), 'a'.repeat(16), 'Zoë', 'Ada!', 'x\n'])(
		'agrees on %j',
		(name) => {
			expect(callerIdNameProblem(name)).toBe(
				callerIdSchema.shape.name.safeParse(name).error?.issues[0]?.message ?? null,
			);
		},
	);
});
