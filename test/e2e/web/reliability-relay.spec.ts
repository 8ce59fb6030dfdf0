/**
 * Reliability, relay only (issue 16, W19): two plain `@telnyx/webrtc` clients whose networks allow nothing
 * but TURN. Each client is given a local coturn as its only ICE server and `forceRelayCandidate: true` (a
 * client option the SDK copies into every call it places or answers, as the peer connection's
 * `iceTransportPolicy: 'relay'`), and they call each other through the sandbox's media gateway. The call
 * must connect over a `relay` candidate pair on both sides and carry sound and pictures both ways, and the
 * TURN server's own counters must show that it carried that media: every packet each client sent and
 * received went through its allocation, to and from that client's gateway leg.
 */
import type { Page } from '@playwright/test';
import { expect, openSdkPage, provision, test } from '../support/fixtures';
import { startTurnServer, type TurnServer } from '../../support/turn-server';

const OFTEN = { intervals: [100, 200, 250], timeout: 20_000 };

interface Candidate {
	readonly type: string;
	readonly address: string;
	readonly port: number;
	readonly relayProtocol: string | null;
	readonly url: string | null;
}

interface PeerStats {
	/** The pair the ICE transport selected, with its two candidates (null before one is selected). */
	readonly selected: {
		readonly state: string;
		readonly local: Candidate;
		readonly remote: Candidate;
	} | null;
	/** The types of every local candidate the peer connection gathered. */
	readonly localTypes: string[];
	readonly rtpPacketsReceived: number;
	readonly rtpPacketsSent: number;
	readonly audioPacketsReceived: number;
	readonly audioEnergy: number;
	readonly videoFramesDecoded: number;
}

/** The call's peer connection as `getStats()` reports it. */
const peerStats = (page: Page, id: string): Promise<PeerStats> =>
	page.evaluate(async (callId) => {
		const call = window.sdkPhone.calls.get(callId)?.call;
		if (call === undefined) throw new Error(`no call ${callId}`);
		type Report = Record<string, unknown> & { id: string; type: string };
		const reports = new Map<string, Report>();
		(await call.peer.instance.getStats()).forEach((report: Report) =>
			reports.set(report.id, report),
		);
		const all = [...reports.values()];
		const num = (value: unknown) => (typeof value === 'number' ? value : 0);
		const str = (value: unknown) => (typeof value === 'string' ? value : null);
		const candidate = (id: unknown) => {
			const report = reports.get(String(id));
			return {
				type: str(report?.['candidateType']) ?? '',
				address: str(report?.['address']) ?? '',
				port: num(report?.['port']),
				relayProtocol: str(report?.['relayProtocol']),
				url: str(report?.['url']),
			};
		};
		const transport = all.find((report) => report.type === 'transport');
		const pair = reports.get(String(transport?.['selectedCandidatePairId']));
		const sum = (type: string, field: string, kind?: string) =>
			all
				.filter((report) => report.type === type && (kind === undefined || report['kind'] === kind))
				.reduce((total, report) => total + num(report[field]), 0);
		return {
			selected:
				pair === undefined
					? null
					: {
							state: str(pair['state']) ?? '',
							local: candidate(pair['localCandidateId']),
							remote: candidate(pair['remoteCandidateId']),
						},
			localTypes: all
				.filter((report) => report.type === 'local-candidate')
				.map((report) => str(report['candidateType']) ?? ''),
			rtpPacketsReceived: sum('inbound-rtp', 'packetsReceived'),
			rtpPacketsSent: sum('outbound-rtp', 'packetsSent'),
			audioPacketsReceived: sum('inbound-rtp', 'packetsReceived', 'audio'),
			audioEnergy: sum('inbound-rtp', 'totalAudioEnergy', 'audio'),
			videoFramesDecoded: sum('inbound-rtp', 'framesDecoded', 'video'),
		};
	}, id);

/** Resolves the page's clock (performance.now) when the call's peer connection is `connected`. */
const connectedAt = async (page: Page, id: string): Promise<number> =>
	(await (
		await page.waitForFunction(
			(callId) => {
				const pc = window.sdkPhone.calls.get(callId)?.call.peer?.instance;
				return pc?.connectionState === 'connected' ? performance.now() : false;
			},
			id,
			{ polling: 10, timeout: 20_000 },
		)
	).jsonValue()) as number;

/** Sound, and pictures, arriving over a second. */
async function expectMediaFlowing(page: Page, id: string): Promise<void> {
	await expect
		.poll(async () => {
			const before = await peerStats(page, id);
			await page.waitForTimeout(1000);
			const after = await peerStats(page, id);
			return {
				audioPackets: after.audioPacketsReceived - before.audioPacketsReceived > 10,
				energy: after.audioEnergy > before.audioEnergy,
				frames: after.videoFramesDecoded - before.videoFramesDecoded > 5,
			};
		}, OFTEN)
		.toEqual({ audioPackets: true, energy: true, frames: true });
}

/**
 * What coturn relayed for the allocations that carried media (those a client bound a channel on, which
 * Chrome does for the peer it sends RTP to), summed once all of them have closed. coturn 4.6 logs
 * `peer usage: … rp=<packets from peers>, …, sp=<packets to peers>, …` every few thousand packets and when an
 * allocation closes, each line counting since the previous one, and names peers without their port, so
 * the sum is over both clients. Null while any of those allocations is still open.
 */
function relayedUsage(turn: TurnServer): { rp: number; sp: number; allocations: number } | null {
	const log = turn.log();
	const sessions = new Set<string>();
	for (const line of log) {
		const match = /session (\d+): .*CHANNEL_BIND processed, success/.exec(line);
		if (match !== null) sessions.add(match[1]!);
	}
	const closed = (session: string) =>
		log.some((line) => line.includes(`session ${session}: closed`));
	if (sessions.size === 0 || ![...sessions].every(closed)) return null;
	const usage = { rp: 0, sp: 0, allocations: sessions.size };
	for (const line of log) {
		const match = /session (\d+): peer usage: .*\brp=(\d+),.*\bsp=(\d+),/.exec(line);
		if (match === null || !sessions.has(match[1]!)) continue;
		usage.rp += Number(match[2]);
		usage.sp += Number(match[3]);
	}
	return usage;
}

test('W19: relay only — with a local TURN server and forceRelayCandidate both clients connect over relay candidate pairs and media flows through it', async ({
	browser,
	sandbox,
	sdkServer,
}) => {
	test.setTimeout(90_000);
	const turn = await startTurnServer();
	try {
		const { credentials } = await provision(sandbox);
		const [alice, bob] = credentials as [(typeof credentials)[0], (typeof credentials)[0]];
		const alicePage = await openSdkPage(browser, sdkServer);
		const bobPage = await openSdkPage(browser, sdkServer);
		const relayOnly = { iceServers: [turn.iceServer], forceRelayCandidate: true };
		await Promise.all(
			[
				[alicePage, alice.token],
				[bobPage, bob.token],
			].map(([page, token]) =>
				(page as Page).evaluate(([host, jwt, extra]) => window.sdkPhone.connect(host, jwt, extra), [
					sandbox.signallingUrl,
					token as string,
					relayOnly,
				] as const),
			),
		);
		await bobPage.evaluate(() => (window.sdkPhone.autoAnswer = true));

		const aliceCall = await alicePage.evaluate(
			(to) => window.sdkPhone.dial(to, true),
			bob.sipUsername,
		);
		const aliceConnected = connectedAt(alicePage, aliceCall);
		aliceConnected.catch(() => undefined); // awaited below; not an unhandled rejection if a step fails first
		await expect
			.poll(() => bobPage.evaluate(() => window.sdkPhone.lastInbound()), OFTEN)
			.not.toBeNull();
		const bobCall = (await bobPage.evaluate(() => window.sdkPhone.lastInbound()))!;
		const bobConnected = connectedAt(bobPage, bobCall);
		bobConnected.catch(() => undefined);
		for (const [page, id] of [
			[alicePage, aliceCall],
			[bobPage, bobCall],
		] as const)
			await expect
				.poll(() => page.evaluate((callId) => window.sdkPhone.state(callId), id), OFTEN)
				.toBe('active');

		// How long ICE took to connect through the relay: Alice from dialling (the gateway answers her leg when
		// Bob answers), Bob from his phone ringing (he answers at once).
		const aliceRecord = (await alicePage.evaluate((id) => window.sdkPhone.record(id), aliceCall))!;
		const bobRecord = (await bobPage.evaluate((id) => window.sdkPhone.record(id), bobCall))!;
		const figures = {
			aliceDialToConnectedMs: Math.round((await aliceConnected) - aliceRecord.startedAt),
			bobRingToConnectedMs: Math.round((await bobConnected) - bobRecord.startedAt),
		};

		await expectMediaFlowing(alicePage, aliceCall);
		await expectMediaFlowing(bobPage, bobCall);

		const sides = { alice: [alicePage, aliceCall], bob: [bobPage, bobCall] } as const;
		const measured: Record<string, PeerStats> = {};
		for (const [name, [page, id]] of Object.entries(sides)) {
			const stats = await peerStats(page, id);
			measured[name] = stats;
			// Only relay candidates were gathered, and the selected pair is the TURN server's relayed address on
			// 127.0.0.1 (a port of its relay range, over UDP) paired with the gateway on 127.0.0.1 (its host
			// candidate, or peer-reflexive if the gateway's checks arrived before its SDP was applied).
			expect(stats.localTypes.length, name).toBeGreaterThan(0);
			expect(new Set(stats.localTypes), name).toEqual(new Set(['relay']));
			expect(stats.selected, name).toMatchObject({
				state: 'succeeded',
				local: { type: 'relay', address: '127.0.0.1', relayProtocol: 'udp' },
				remote: { type: expect.stringMatching(/^(host|prflx)$/), address: '127.0.0.1' },
			});
			expect(stats.selected!.local.url, name).toContain(`127.0.0.1:${turn.port}`);
			expect(stats.selected!.local.port, name).toBeGreaterThanOrEqual(turn.relayPortRange.min);
			expect(stats.selected!.local.port, name).toBeLessThanOrEqual(turn.relayPortRange.max);
			// The SDP the client sent carries relay candidates only.
			const { local } = await page.evaluate((callId) => window.sdkPhone.descriptions(callId), id);
			const types = [...local.matchAll(/^a=candidate:.* typ (\w+)/gm)].map((match) => match[1]);
			expect(types.length, name).toBeGreaterThan(0);
			expect(new Set(types), name).toEqual(new Set(['relay']));
		}
		// Each client's media leaves it through its own allocation.
		expect(measured['alice']!.selected!.local.port).not.toBe(measured['bob']!.selected!.local.port);

		// coturn saw both clients authenticate with the long-term credentials and allocate, and let them talk
		// to the gateway on loopback.
		const log = turn.log();
		expect(
			log.filter((line) =>
				line.includes(`user <${turn.username}>: incoming packet ALLOCATE processed, success`),
			).length,
		).toBeGreaterThanOrEqual(2);
		expect(
			log.some((line) => /(CREATE_PERMISSION|CHANNEL_BIND) processed, success/.test(line)),
		).toBe(true);

		// Hang up: the clients release their allocations and coturn logs what each carried. Every RTP packet the
		// clients sent or received (and more: RTCP, ICE consent checks) passed through the two allocations
		// that carried media, one per client.
		await alicePage.evaluate((id) => window.sdkPhone.hangup(id), aliceCall);
		await expect.poll(() => relayedUsage(turn), OFTEN).not.toBeNull();
		const usage = relayedUsage(turn)!;
		const rtp = Object.values(measured).reduce(
			(total, stats) => ({
				received: total.received + stats.rtpPacketsReceived,
				sent: total.sent + stats.rtpPacketsSent,
			}),
			{ received: 0, sent: 0 },
		);
		for (const [name, stats] of Object.entries(measured)) {
			expect(stats.rtpPacketsReceived, name).toBeGreaterThan(100);
			expect(stats.rtpPacketsSent, name).toBeGreaterThan(100);
		}
		expect(usage.allocations, 'allocations that carried media').toBe(2);
		expect(usage.rp, 'packets coturn relayed from the gateway').toBeGreaterThanOrEqual(
			rtp.received,
		);
		expect(usage.sp, 'packets coturn relayed to the gateway').toBeGreaterThanOrEqual(rtp.sent);
		Object.assign(figures, { turnRelayed: usage, clientRtpPackets: rtp });
		console.log(`W19 relay figures: ${JSON.stringify(figures)}`);
		test
			.info()
			.annotations.push({ type: 'W19 relay figures', description: JSON.stringify(figures) });
	} finally {
		await turn.close();
	}
});
