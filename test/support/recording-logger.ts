/** A `Logger` that keeps every call, for tests that assert what was (and was not) logged. */
import type { LogFields, Logger } from '../../main/logger';

export interface LogEntry {
	readonly level: 'info' | 'warn' | 'error';
	readonly event: string;
	readonly fields: LogFields | undefined;
}

export interface RecordingLogger extends Logger {
	readonly entries: LogEntry[];
	/** Every entry as one JSON string, for "never contains" assertions. */
	dump(): string;
}

export function recordingLogger(): RecordingLogger {
	const entries: LogEntry[] = [];
	const at = (level: LogEntry['level']) => (event: string, fields?: LogFields) => {
		entries.push({ level, event, fields });
	};
	return {
		entries,
		info: at('info'),
		warn: at('warn'),
		error: at('error'),
		dump: () => JSON.stringify(entries),
	};
}
