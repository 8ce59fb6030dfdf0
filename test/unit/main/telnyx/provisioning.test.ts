import { describe, expect, it } from 'vitest';
import {
	VIDEO_CODECS,
	connectionChanges,
	countriesOfNumbers,
	credentialName,
	deviceOf,
	ownConnection,
	sameCountries,
} from '../../../../main/telnyx/provisioning';
import { type ConnectionInfo, wholeNested } from '../../../../main/telnyx/telnyx-api';
import { seeded } from '../../../support/random';

const INSTALL_ID = '6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b';

function connection(overrides: Partial<ConnectionInfo> = {}): ConnectionInfo {
	return {
		id: '1684641123236054244',
		name: 'Telnyx Softphone',
		tags: ['telnyx-softphone'],
		codecs: ['OPUS', 'G722', 'G711U', 'G711A', 'VP8', 'H.264'],
		sipUriCallingPreference: 'internal',
		outboundVoiceProfileId: '1293384261075731499',
		createdAt: '2025-01-01T00:00:00Z',
		inbound: { codecs: ['OPUS', 'G722', 'G711U', 'G711A', 'VP8', 'H.264'] },
		outbound: { outbound_voice_profile_id: '1293384261075731499' },
		...overrides,
	};
}

describe('wholeNested (a connection PATCH sends whole inbound/outbound objects)', () => {
	const inbound = {
		codecs: ['OPUS', 'G711U'],
		timeout_2xx_secs: 45,
		ani_number_format: '+E.164',
		dnis_number_format: 'national',
		channel_limit: null,
		some_field_the_app_does_not_know: 'kept',
	};

	it('keeps every field read, known to the app or not, and applies the change over it', () => {
		expect(wholeNested(inbound, { codecs: ['OPUS', 'G711U', 'VP8', 'H.264'] })).toStrictEqual({
			codecs: ['OPUS', 'G711U', 'VP8', 'H.264'],
			timeout_2xx_secs: 45,
			ani_number_format: '+E.164',
			dnis_number_format: 'national',
			some_field_the_app_does_not_know: 'kept',
		});
	});

	it('leaves out fields Telnyx answered as null (the spec refuses null there; their default is null)', () => {
		const whole = wholeNested(
			{ outbound_voice_profile_id: null, channel_limit: null, localization: 'GB' },
			{ outbound_voice_profile_id: '42' },
		);
		expect(whole).toStrictEqual({ outbound_voice_profile_id: '42', localization: 'GB' });
	});

	it('changes nothing it was given', () => {
		const current = { ...inbound };
		wholeNested(current, { codecs: [] });
		expect(current).toStrictEqual(inbound);
	});
});

describe('connectionChanges', () => {
	it('asks for nothing when the connection already has both video codecs and internal SIP URI calling', () => {
		expect(connectionChanges(connection())).toStrictEqual([]);
	});

	it('accepts unrestricted SIP URI calling as it is (it already lets installations call each other)', () => {
		expect(
			connectionChanges(connection({ sipUriCallingPreference: 'unrestricted' })),
		).toStrictEqual([]);
	});

	it('does not care about codec order or other codecs', () => {
		expect(connectionChanges(connection({ codecs: ['H.264', 'PCMU', 'VP8'] }))).toStrictEqual([]);
	});

	it.each([
		['VP8 is missing', ['OPUS', 'H.264'], 'enable the VP8 video codec'],
		['H.264 is missing', ['OPUS', 'VP8'], 'enable the H.264 video codec'],
		['both are missing', ['OPUS', 'G711U'], 'enable the VP8 and H.264 video codecs'],
		['there are no codecs at all', [], 'enable the VP8 and H.264 video codecs'],
	])('asks for the codecs when %s', (_what, codecs, change) => {
		expect(connectionChanges(connection({ codecs }))).toStrictEqual([change]);
	});

	it.each([['disabled'], [null], ['']])(
		'asks to allow SIP URI calls when the preference is %j',
		(sipUriCallingPreference) => {
			expect(connectionChanges(connection({ sipUriCallingPreference }))).toStrictEqual([
				'allow SIP URI calls from this account, so installations can call each other',
			]);
		},
	);

	it('lists both kinds of change, codecs first', () => {
		expect(
			connectionChanges(connection({ codecs: ['OPUS'], sipUriCallingPreference: 'disabled' })),
		).toStrictEqual([
			'enable the VP8 and H.264 video codecs',
			'allow SIP URI calls from this account, so installations can call each other',
		]);
	});

	it('ignores tags, names and the attached profile', () => {
		expect(
			connectionChanges(connection({ tags: [], name: 'Mine', outboundVoiceProfileId: null })),
		).toStrictEqual([]);
	});

	it('names exactly the video codecs the app needs', () => {
		expect([...VIDEO_CODECS]).toStrictEqual(['VP8', 'H.264']);
	});
});

describe('credentialName', () => {
	it('is the device name plus the first eight characters of the install id', () => {
		expect(credentialName('Alice laptop', INSTALL_ID)).toBe('Alice laptop (6f1c2a9e)');
	});

	it.each([
		['punctuation and symbols', 'Alice’s MacBook Pro™ <1>!', 'Alices MacBook Pro 1'],
		['control characters and newlines', 'desk\u0000top\n\tPC\r', 'desktopPC'],
		['a right-to-left override', 'evil\u202egnp.exe', 'evilgnp.exe'],
		['emoji', '🙂 Büro-PC_2 🙂', 'Büro-PC_2'],
		['surrounding spaces', '   studio   ', 'studio'],
		['quotes and slashes', '"a/b\\\\c"', 'abc'],
	])('strips %s', (_what, device, cleaned) => {
		expect(credentialName(device, INSTALL_ID)).toBe(`${cleaned} (6f1c2a9e)`);
	});

	it('keeps letters and digits of any script, spaces, dots, hyphens and underscores', () => {
		expect(credentialName('Ноутбук 東京-1_a.b', INSTALL_ID)).toBe('Ноутбук 東京-1_a.b (6f1c2a9e)');
	});

	it.each([
		['an empty name', ''],
		['only spaces', '    '],
		['only symbols', '™©®<>!?'],
		['only emoji', '🙂🙂🙂'],
		['only control characters', '\u0000\u0001\n'],
	])('falls back to "Computer" for %s', (_what, device) => {
		expect(credentialName(device, INSTALL_ID)).toBe('Computer (6f1c2a9e)');
	});

	it('shortens a long device name to 48 characters', () => {
		const name = credentialName('x'.repeat(300), INSTALL_ID);
		expect(name).toBe(`${'x'.repeat(48)} (6f1c2a9e)`);
	});

	it('tells installations on one device apart by their install ids', () => {
		expect(credentialName('Desk', INSTALL_ID)).not.toBe(
			credentialName('Desk', '0a1b2c3d-0000-4000-8000-000000000000'),
		);
	});

	it('always makes a name of bounded length with only allowed characters', () => {
		const random = seeded(7);
		for (let i = 0; i < 500; i += 1) {
			const name = credentialName(random.string(random.int(200)), INSTALL_ID);
			expect(name.length).toBeLessThanOrEqual(48 + ' (6f1c2a9e)'.length);
			expect(name).toMatch(/^[\p{L}\p{N} ._-]+ \(6f1c2a9e\)$/u);
			expect(name).not.toMatch(/^ /);
		}
	});
});

describe('deviceOf', () => {
	it.each([
		['Alice laptop'],
		['Computer'],
		['Desk (old)'],
		['Ноутбук 東京-1_a.b'],
		['x'.repeat(48)],
	])('gives back the device part of credentialName(%j)', (device) => {
		const cleaned = credentialName(device, INSTALL_ID).replace(/ \(6f1c2a9e\)$/, '');
		expect(deviceOf(credentialName(device, INSTALL_ID))).toBe(cleaned);
	});

	it('round-trips every clean device name', () => {
		const random = seeded(11);
		const alphabet = 'abcXYZ019 ._-éж';
		for (let i = 0; i < 500; i += 1) {
			const device = `d${random.string(random.int(40), alphabet)}`.trim();
			const installId = [...Array<number>(8)]
				.map(() => random.pick([...'0123456789abcdef']))
				.join('');
			expect(deviceOf(credentialName(device, `${installId}-rest`))).toBe(device);
		}
	});

	it('leaves a name that credentialName did not make alone', () => {
		expect(deviceOf('My own credential')).toBe('My own credential');
		expect(deviceOf('Laptop (NOTHEX!!)')).toBe('Laptop (NOTHEX!!)');
		expect(deviceOf('Laptop (6f1c2a9e) extra')).toBe('Laptop (6f1c2a9e) extra');
	});

	it('strips only the last id of a name that looks like it holds two', () => {
		expect(deviceOf('Laptop (12345678) (6f1c2a9e)')).toBe('Laptop (12345678)');
	});
});

describe('countriesOfNumbers (a new profile’s destinations, once the numbers are listed)', () => {
	const number = (country: string) => ({ country });

	it('is each country once, in the order listed', () => {
		expect(countriesOfNumbers([number('US'), number('GB'), number('US')])).toEqual(['US', 'GB']);
	});

	it('keeps at most five', () => {
		const many = ['US', 'GB', 'DE', 'FR', 'NL', 'ES', 'IT'].map(number);
		expect(countriesOfNumbers(many)).toEqual(['US', 'GB', 'DE', 'FR', 'NL']);
	});

	it('skips what is not a two-letter code, and is null when nothing is left', () => {
		expect(countriesOfNumbers([number(''), number('usa'), number('CA')])).toEqual(['CA']);
		expect(countriesOfNumbers([number(''), number('x')])).toBeNull();
		expect(countriesOfNumbers([])).toBeNull();
	});
});

describe('sameCountries', () => {
	it('ignores order', () => {
		expect(sameCountries(['US', 'GB'], ['GB', 'US'])).toBe(true);
	});

	it('tells different lists apart', () => {
		expect(sameCountries(['US'], ['US', 'GB'])).toBe(false);
		expect(sameCountries(['US', 'GB'], ['US', 'CA'])).toBe(false);
	});
});

describe('ownConnection (the app’s connection among those the search found)', () => {
	it('is the oldest one carrying the app’s tag', () => {
		const older = connection({ id: '1', createdAt: '2024-01-01T00:00:00Z' });
		const newer = connection({ id: '2', createdAt: '2025-01-01T00:00:00Z' });
		expect(ownConnection([newer, older])?.id).toBe('1');
	});

	it('ignores a user’s connection that only shares the name', () => {
		expect(ownConnection([connection({ tags: [] }), connection({ tags: ['mine'] })])).toBeNull();
		expect(ownConnection([])).toBeNull();
	});
});
