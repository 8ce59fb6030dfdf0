/** The app's log: redacted JSON lines, written asynchronously to size-capped, rotated files. */
import { app } from 'electron';
import { logsFolder } from '../app-identity';
import { createLogger, type Logger } from '../logger';
import { createLogFiles } from '../logging/log-files';
import type { ProfileConfig } from '../profile';

export interface AppLog {
	readonly logger: Logger;
	/** The folder "Open logs folder" shows. */
	readonly dir: string;
	/** Lets the log redact secrets known only once the services exist. */
	bindSecrets(secrets: () => readonly string[]): void;
	flush(): Promise<void>;
}

/** Call after the profile's user-data folder is set. */
export function setupLogging(profile: ProfileConfig): AppLog {
	app.setAppLogsPath(
		logsFolder({
			platform: process.platform,
			home: app.getPath('home'),
			userData: app.getPath('userData'),
			appName: app.getName(),
			profileSuffix: profile.userDataSuffix,
		}),
	);
	const files = createLogFiles({ dir: app.getPath('logs') });
	let secrets: () => readonly string[] = () => [];
	return {
		logger: createLogger({ write: (line) => files.write(line), secrets: () => secrets() }),
		dir: files.dir,
		bindSecrets: (next) => {
			secrets = next;
		},
		flush: () => files.flush(),
	};
}
