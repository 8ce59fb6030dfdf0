/**
 * A sandbox in a process of its own, for the open-handle test (no-open-handles.test.ts): prints its URLs and
 * API key as one JSON line, closes the sandbox when a line `close` arrives on stdin, and then must exit by
 * itself — it never calls `process.exit`, so it ends only when nothing the sandbox opened (socket, timer,
 * UDP port of the media gateway) is left. If it is still running a while after closing, it prints what is
 * still open, for the test's failure message.
 */
import { createInterface } from 'node:readline';
import { startSandbox } from '../../../sandbox/sandbox';

const REPORT_AFTER_MS = Number(process.env['REPORT_AFTER_MS'] ?? 3000);

const sandbox = await startSandbox({
	specTally: null,
	signalling: { answer: 'sdp-answer', media: 'gateway', credentialPropagationMs: 0 },
});
process.stdout.write(
	`${JSON.stringify({
		restBaseUrl: sandbox.restBaseUrl,
		signallingUrl: sandbox.signallingUrl,
		apiKey: sandbox.apiKey,
	})}\n`,
);

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
	if (line.trim() !== 'close') continue;
	lines.close();
	// stdin is this script's own handle, not the sandbox's: let it go.
	process.stdin.destroy();
	await sandbox.close();
	process.stdout.write(`${JSON.stringify({ closed: true })}\n`);
	// Unreferenced: it fires only if something else keeps the process alive that long.
	setTimeout(() => {
		const open = process.getActiveResourcesInfo();
		process.stdout.write(`${JSON.stringify({ open })}\n`);
	}, REPORT_AFTER_MS).unref();
	break;
}
