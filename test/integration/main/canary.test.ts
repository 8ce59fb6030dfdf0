/**
 * A11 + K10: a canary API key through everything the app does with an account — saving the key,
 * provisioning, the token, the directory, failures, signing out — is found in the OS keychain and nowhere
 * else: not in a log line (as the services logged it, and as the app wrote it to its log files), an event
 * sent to the renderer, a handler's answer, or any file in the user-data or logs folder. The login JWT, which
 * the renderer does receive, never reaches a log line or a file either. Last, a support bundle made of all
 * of it (issue 15) holds each of its parts and neither the key, the token nor the caller ID's whole number,
 * even where a log left by an older version had them in the clear.
 */
import { randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import keytar from 'keytar';
import { expect, it } from 'vitest';
import { apiKeyAccount, filesUnder, sleep, tokenAccount } from './support';
import { testEnvPerTest } from './per-test-env';

const canary = `KEYCANARY_${randomBytes(16).toString('hex')}`;

const env = testEnvPerTest({ apiKey: canary });

it('the canary key is in the keychain and nowhere else; the JWT is in no log line or file', async () => {
	expect(env.sandbox.apiKey).toBe(canary);
	const app = await env.app({ sleep: (ms) => sleep(ms / 50) });
	const { handlers } = app;
	const answers: unknown[] = [];
	const answer = async <T>(reply: T | Promise<T>): Promise<T> => {
		const value = await reply;
		answers.push(value);
		return value;
	};

	// Pasted with the whitespace a copy from a web page brings along.
	expect((await answer(handlers.credentials.setApiKey(` ${canary}\t\n`))).ok).toBe(true);
	await answer(handlers.credentials.getStatus());
	expect((await answer(handlers.provisioning.run({}))).ok).toBe(true);
	await answer(handlers.provisioning.listResources());
	const token = await answer(handlers.telnyx.getLoginToken());
	if (!token.ok) throw new Error(token.error.message);
	await answer(handlers.account.listPhoneNumbers());
	expect(
		(await answer(handlers.account.setCallerId({ name: 'Canary', number: '+13125550142' }))).ok,
	).toBe(true);
	expect((await answer(handlers.account.listInstallations())).ok).toBe(true);
	await answer(handlers.settings.get());
	await answer(handlers.app.getInfo());

	// Failures too: their sentences and log lines must not carry the key either.
	env.sandbox.admin.addRestFault({
		method: 'GET',
		path: '/phone_numbers',
		kind: 'status',
		status: 500,
		times: 3,
	});
	expect((await answer(handlers.account.listPhoneNumbers())).ok).toBe(false);
	env.sandbox.admin.addRestFault({
		method: 'GET',
		path: '/telephony_credentials',
		kind: 'wrong-shape',
		times: 1,
	});
	// The directory answers from main's cache; emptied, it must ask Telnyx and so meets the fault.
	app.services.account.directory.reset();
	expect((await answer(handlers.account.listInstallations())).ok).toBe(false);
	env.sandbox.admin.addRestFault({
		method: 'GET',
		path: '/outbound_voice_profiles',
		kind: 'html',
		times: 3,
	});
	expect((await answer(handlers.provisioning.listResources())).ok).toBe(false);
	// A re-run's first read (its key check) is the connection the settings name.
	env.sandbox.admin.addRestFault({
		method: 'GET',
		path: '/credential_connections/*',
		kind: 'status',
		status: 401,
		times: 1,
	});
	expect((await answer(handlers.provisioning.run({}))).ok).toBe(false);
	expect((await answer(handlers.credentials.setApiKey(`${canary}X`))).ok).toBe(false);

	expect((await answer(handlers.account.previewCleanup())).ok).toBe(true);
	expect((await answer(handlers.account.signOut({ forgetApiKey: false }))).ok).toBe(true);
	await answer(handlers.credentials.getStatus());

	// The operations did run (so the checks below looked at real traffic), and logged something.
	expect(answers).toHaveLength(18);
	expect(app.events.length).toBeGreaterThan(15);
	expect(app.logger.entries.length).toBeGreaterThan(0);

	const logs = app.logger.dump();
	const events = JSON.stringify(app.events);
	const replies = JSON.stringify(answers);
	const userFiles = await filesUnder(app.userDataDir);
	expect([...userFiles.keys()].map((f) => f.slice(app.userDataDir.length))).toContain(
		'/settings.json',
	);
	expect(userFiles.get(`${app.userDataDir}/settings.json`)).toContain('+13125550142');

	// The log files hold every line the services logged, in order: the scan below reads the whole log.
	await app.logFiles.flush();
	expect(path.relative(app.userDataDir, app.logFiles.dir)).toMatch(/^\.\./);
	const logFiles = await filesUnder(app.logFiles.dir);
	expect([...logFiles.keys()]).toStrictEqual([app.logFiles.file]);
	const written = logFiles
		.get(app.logFiles.file)!
		.split(/\r?\n/)
		.filter((line) => line !== '')
		.map((line) => JSON.parse(line) as { event: string });
	expect(written.map((line) => line.event)).toStrictEqual(
		app.logger.entries.map((entry) => entry.event),
	);
	const files = new Map([...userFiles, ...logFiles]);

	for (const secret of [canary, canary.slice('KEYCANARY_'.length)]) {
		expect(logs).not.toContain(secret);
		expect(events).not.toContain(secret);
		expect(replies).not.toContain(secret);
		for (const [file, content] of files) expect(content, file).not.toContain(secret);
	}
	for (const part of token.value.token.split('.').slice(1)) {
		expect(logs).not.toContain(part);
		for (const [file, content] of files) expect(content, file).not.toContain(part);
	}

	// The key is where it belongs; the signed-out token is gone from there too.
	expect(
		await keytar.getPassword(app.keychainService, apiKeyAccount(env.sandbox.restBaseUrl)),
	).toBe(canary);
	expect(
		await keytar.getPassword(app.keychainService, tokenAccount(env.sandbox.restBaseUrl)),
	).toBeNull();

	// The support bundle, after everything else: what a user sends to a stranger.
	await handlers.history.add({
		id: 'canary-call',
		direction: 'outbound',
		remote: '+13125550142',
		remoteName: 'Canary',
		video: false,
		startedAt: new Date().toISOString(),
		durationSeconds: 12,
		answered: true,
		endReason: 'hangup-remote',
		endMessage: 'sip:13125550142@sip.telnyx.com hung up.',
		cause: 'NORMAL_CLEARING',
		sipCode: 200,
		telnyxIds: { callControlId: 'v3:canary', sessionId: null, legId: null },
		quality: null,
	});
	await handlers.diagnostics.saveSetupReport({
		finishedAt: new Date().toISOString(),
		checks: [
			{
				id: 'call',
				verdict: 'good',
				summary: 'A test call from +1 (312) 555-0142 went through.',
				advice: null,
				figures: { key: canary },
			},
		],
	});
	// A log an older version left, with the secrets in the clear: the bundle must not depend on the log's
	// own redaction.
	await appendFile(
		path.join(app.logFiles.dir, 'main.3.log'),
		`${JSON.stringify({ event: 'old', key: canary, token: token.value.token, number: '+13125550142' })}\n`,
	);
	const saveDir = await mkdtemp(path.join(tmpdir(), 'softphone-int-bundle-'));
	try {
		app.savePath = path.join(saveDir, 'support.zip');
		expect(
			await handlers.diagnostics.saveSupportBundle({ includeFullNumbers: false }),
		).toMatchObject({ ok: true, value: { saved: true, fileName: 'support.zip' } });
		const bundle = Object.fromEntries(
			Object.entries(unzipSync(new Uint8Array(await readFile(app.savePath)))).map(
				([name, data]) => [name, strFromU8(data)],
			),
		);
		expect(Object.keys(bundle)).toStrictEqual([
			'README.txt',
			'logs/main.log',
			'logs/main.3.log',
			'versions.json',
			'settings.json',
			'calls.json',
			'setup-test.json',
		]);
		// The parts hold what they say (so the silence below is about real content).
		expect(bundle['logs/main.log']).toContain('"event":"apiKey.saved"');
		expect(JSON.parse(bundle['settings.json']!).callerId.number).toBe('+*******0142');
		expect(JSON.parse(bundle['calls.json']!).calls[0]).toMatchObject({
			id: 'canary-call',
			remote: '+*******0142',
			telnyxIds: { callControlId: 'v3:canary' },
		});
		expect(JSON.parse(bundle['setup-test.json']!).checks[0].figures.key).toBe('[redacted]');
		const everything = Object.entries(bundle);
		for (const needle of [
			canary,
			canary.slice('KEYCANARY_'.length),
			...token.value.token.split('.').slice(1),
			'+13125550142',
			'13125550142',
			'(312) 555-0142',
		]) {
			for (const [name, text] of everything) expect(text, name).not.toContain(needle);
		}
	} finally {
		await rm(saveDir, { recursive: true, force: true });
	}
});
