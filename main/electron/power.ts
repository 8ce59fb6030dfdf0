/** Sleep and calls: a wake-up makes the renderer check its registration; a call keeps the app awake. */
import { powerMonitor, powerSaveBlocker } from 'electron';
import { callSuspensionGuard, watchResume } from '../desktop/power';

export function setupPower(onResume: () => void): (inCall: boolean) => void {
	watchResume(powerMonitor, onResume);
	return callSuspensionGuard(powerSaveBlocker);
}
