import type { RunStore } from './run-store.js';

/** How often a running run's timer says it is alive, ms. */
export const HEARTBEAT_MS = 30_000;

/**
 * How long a `running` run may go without a heartbeat before the store calls it interrupted, ms (20 missed
 * beats). Generous, because an epoch that blocks the event loop also blocks the timer (each epoch beats too).
 */
export const STALE_AFTER_MS = 10 * 60_000;

/**
 * Keep a run's heartbeat fresh from a timer until stopped. The timer does not keep the process alive, and a
 * beat that fails (the store closed, the disk gone) is skipped: the run then goes stale, as a dead one would.
 * @param store - the open store
 * @param id - the running run
 * @param intervalMs - time between beats (default {@link HEARTBEAT_MS})
 * @returns a function that stops the timer
 * @example
 * ```ts
 * const stop = startHeartbeat(store, id);
 * try { await trainIt(); } finally { stop(); }
 * ```
 */
export function startHeartbeat(store: RunStore, id: string, intervalMs: number = HEARTBEAT_MS): () => void {
  const timer = setInterval(() => {
    try {
      store.heartbeat(id);
    } catch {
      // skipped beat; see above
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
