/** Whether an error is SQLite's "database is locked" (SQLITE_BUSY, or one of its extended codes). */
export function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** Block the thread for `ms` milliseconds (the store's API is synchronous, as better-sqlite3's is). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Run `attempt` again while it fails with SQLITE_BUSY, for up to `timeoutMs` in all. SQLite waits out a lock with its
 * busy handler, but some opens are refused at once instead: a connection that meets a write-ahead log another
 * process left mid-write (killed) while others are using the file, for one. Other errors, and the last busy one, go
 * to the caller.
 * @param attempt - the work; called again from the start after a busy failure (it must clean up after itself)
 * @param timeoutMs - how long to keep trying
 * @param pauseMs - the pause between attempts
 * @param now - the clock (tests)
 * @param sleep - the pause (tests)
 * @returns what `attempt` returned
 */
export function retryWhileBusy<T>(attempt: () => T, timeoutMs: number, pauseMs = 25, now: () => number = Date.now, sleep: (ms: number) => void = sleepSync): T {
  const until = now() + timeoutMs;
  for (;;) {
    try {
      return attempt();
    } catch (e) {
      if (!isBusy(e) || now() >= until) throw e;
      sleep(Math.min(pauseMs, Math.max(0, until - now())));
    }
  }
}
