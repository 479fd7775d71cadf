/** The signals that end a run cleanly. */
export type TerminationSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** Exit code of each: 128 + the signal number. */
export const SIGNAL_EXIT_CODES: Readonly<Record<TerminationSignal, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * Listen for SIGINT, SIGTERM and SIGHUP (what Ctrl-C, `kill`/`timeout`/container stops, and a closed
 * terminal send) while a run writes its folder.
 * @param handler - called with the signal, its exit code, and whether an earlier signal already came
 * @returns a function that removes the listeners
 */
export function onTerminationSignal(handler: (signal: TerminationSignal, exitCode: number, second: boolean) => void): () => void {
  let seen = false;
  const listeners = (Object.keys(SIGNAL_EXIT_CODES) as TerminationSignal[]).map((sig) => {
    const listener = () => {
      handler(sig, SIGNAL_EXIT_CODES[sig], seen);
      seen = true;
    };
    process.on(sig, listener);
    return [sig, listener] as const;
  });
  return () => {
    for (const [sig, listener] of listeners) process.off(sig, listener);
  };
}
