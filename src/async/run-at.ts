/**
 * A timer for a moment rather than a delay. Node's timers take at most 2^31-1 ms (24.8 days) and
 * fire at once, with a warning, beyond it; a far moment is reached in steps instead, so it never
 * comes early.
 */
const MAX_DELAY_MS = 2 ** 31 - 1;

/** Calls `callback` at `time` (epoch ms; at once if past); returns the function that cancels it. */
export function runAt(time: number, callback: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const delay = time - Date.now();
    if (delay <= 0) {
      timer = undefined;
      callback();
      return;
    }
    // Unref'd: a pending expiry must not keep a stopping process alive.
    timer = setTimeout(arm, Math.min(delay, MAX_DELAY_MS)).unref();
  };
  timer = setTimeout(arm, Math.max(0, Math.min(time - Date.now(), MAX_DELAY_MS))).unref();
  return () => clearTimeout(timer);
}
