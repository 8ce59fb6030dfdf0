/**
 * Structured logging for main. Every line passes through a redactor first, so a secret that slips into a
 * message or a field (the API key, a login JWT) never reaches the log.
 */

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
	info(event: string, fields?: LogFields): void;
	warn(event: string, fields?: LogFields): void;
	error(event: string, fields?: LogFields): void;
}

/** JWTs (three base64url parts, the first starting with `eyJ`) and Telnyx-style API keys (`KEY…`). */
const SECRET_PATTERNS = [/eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/g, /\bKEY[A-Za-z0-9_-]{16,}/g];

/** Replaces every known secret and anything shaped like a key or token with `[redacted]`. */
export function redact(text: string, secrets: readonly string[] = []): string {
	let out = text;
	for (const secret of secrets) {
		if (secret.length < 8) continue;
		// Lines are JSON, where quotes and backslashes in a secret appear escaped: redact both spellings.
		for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
			out = out.split(form).join('[redacted]');
		}
	}
	for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, '[redacted]');
	return out;
}

export interface LoggerOptions {
	/** Receives one finished, redacted line. */
	readonly write: (line: string) => void;
	/** Secrets known at the time of logging (read on every line, so a key entered later is covered). */
	readonly secrets?: () => readonly string[];
	readonly now?: () => Date;
}

export function createLogger({
	write,
	secrets = () => [],
	now = () => new Date(),
}: LoggerOptions): Logger {
	const log =
		(level: string) =>
		(event: string, fields: LogFields = {}) => {
			let line: string;
			try {
				// Fields first: they must never overwrite the line's own time, level or event.
				line = JSON.stringify({ ...fields, time: now().toISOString(), level, event });
			} catch {
				line = JSON.stringify({
					time: now().toISOString(),
					level,
					event,
					fields: '[unserialisable]',
				});
			}
			write(redact(line, secrets()));
		};
	return { info: log('info'), warn: log('warn'), error: log('error') };
}

/** A logger that drops everything (for tests that do not look at logs). */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
