import { describe, expect, it } from 'vitest';
import { INBOX_LIMIT, LinkInbox } from '../../../../main/desktop/link-inbox';

describe('LinkInbox', () => {
	it('keeps links that arrive before the app is ready and hands them over in order (fails on e0fc691: macOS’s launching link was lost)', () => {
		const inbox = new LinkInbox();
		inbox.push('tel:+13125550142');
		inbox.push('sip:ada@example.com');
		const handled: string[] = [];
		inbox.open((url) => handled.push(url));
		expect(handled).toStrictEqual(['tel:+13125550142', 'sip:ada@example.com']);
		inbox.push('tel:+442071838750');
		expect(handled.at(-1)).toBe('tel:+442071838750');
	});

	it('keeps at most a few before the app is up', () => {
		const inbox = new LinkInbox();
		for (let i = 0; i < 100; i++) inbox.push(`tel:+1312555${String(i).padStart(4, '0')}`);
		const handled: string[] = [];
		inbox.open((url) => handled.push(url));
		expect(handled).toHaveLength(INBOX_LIMIT);
		expect(handled[0]).toBe('tel:+13125550000');
	});
});
