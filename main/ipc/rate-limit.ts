/**
 * A sliding-window limit for page requests that reach beyond main's own state: a compromised page must not
 * be able to flood the log (renderer errors) or the desktop (file-manager windows).
 */
export function createRateLimit(
	max: number,
	windowMs: number,
	now: () => number = Date.now,
): () => boolean {
	const recent: number[] = [];
	return () => {
		const time = now();
		while (recent.length > 0 && time - recent[0]! >= windowMs) recent.shift();
		if (recent.length >= max) return false;
		recent.push(time);
		return true;
	};
}
