/**
 * Sleep, wake and calls. On resume (and on unlocking the screen, which often follows a resume) the renderer
 * is told to check its registration at once rather than wait for the SDK's keepalive; while a call is up,
 * the system is asked not to suspend the app.
 */

/** The part of Electron's `powerMonitor` this uses. */
export interface PowerMonitorLike {
	on(event: 'resume' | 'unlock-screen', listener: () => void): unknown;
	removeListener(event: 'resume' | 'unlock-screen', listener: () => void): unknown;
}

/** The part of Electron's `powerSaveBlocker` this uses. */
export interface PowerSaveBlockerLike {
	start(type: 'prevent-app-suspension'): number;
	stop(id: number): void;
}

export function watchResume(monitor: PowerMonitorLike, onResume: () => void): () => void {
	const listener = () => onResume();
	monitor.on('resume', listener);
	monitor.on('unlock-screen', listener);
	return () => {
		monitor.removeListener('resume', listener);
		monitor.removeListener('unlock-screen', listener);
	};
}

/** Keeps the app from being suspended exactly while `inCall` is true. */
export function callSuspensionGuard(blocker: PowerSaveBlockerLike): (inCall: boolean) => void {
	let id: number | null = null;
	return (inCall) => {
		if (inCall && id === null) id = blocker.start('prevent-app-suspension');
		else if (!inCall && id !== null) {
			blocker.stop(id);
			id = null;
		}
	};
}
