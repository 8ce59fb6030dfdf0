import { describe, expect, it } from 'vitest';
import { NO_TRAY_NOTICE, TRAY_NOTICE } from '../../../../main/desktop/notifications';
import {
	decideActivate,
	decideClose,
	decideStartWindow,
} from '../../../../main/desktop/window-close';

describe('decideClose', () => {
	it('closes for real while quitting', () => {
		expect(decideClose({ quitting: true, trayAvailable: true, noticeShown: false })).toStrictEqual({
			kind: 'close',
		});
	});

	it('hides to the tray, telling the user the first time only', () => {
		expect(decideClose({ quitting: false, trayAvailable: true, noticeShown: false })).toStrictEqual(
			{
				kind: 'hide',
				notice: TRAY_NOTICE,
			},
		);
		expect(decideClose({ quitting: false, trayAvailable: true, noticeShown: true })).toStrictEqual({
			kind: 'hide',
			notice: null,
		});
	});

	it('without a tray icon, minimises instead of hiding and says why (fails on e0fc691: the app became unreachable)', () => {
		expect(
			decideClose({ quitting: false, trayAvailable: false, noticeShown: false }),
		).toStrictEqual({
			kind: 'minimise',
			notice: NO_TRAY_NOTICE,
		});
		expect(NO_TRAY_NOTICE.body).toMatch(/no tray icon/);
		expect(decideClose({ quitting: false, trayAvailable: false, noticeShown: true })).toStrictEqual(
			{
				kind: 'minimise',
				notice: null,
			},
		);
	});
});

describe('decideActivate (macOS Dock click)', () => {
	it('shows the hidden main window, or opens one (fails on e0fc691: no activate handler)', () => {
		expect(decideActivate(true)).toBe('show');
		expect(decideActivate(false)).toBe('open');
	});
});

describe('decideStartWindow', () => {
	it('shows the window unless starting in the tray; with no tray, starts minimised instead of hidden', () => {
		expect(decideStartWindow({ startsHidden: false, trayAvailable: false })).toBe('show');
		expect(decideStartWindow({ startsHidden: true, trayAvailable: true })).toBe('hidden');
		expect(decideStartWindow({ startsHidden: true, trayAvailable: false })).toBe('minimised');
	});
});
