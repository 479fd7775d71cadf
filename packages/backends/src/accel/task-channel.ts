/**
 * The handshake of a helper thread that runs one task at a time for the calling thread, over shared control words
 * (`ctl`, an Int32Array on a SharedArrayBuffer): ctl[0] counts the tasks posted, ctl[1] the last one finished;
 * the words after them are the caller's own. Used by the long normal draws' worker (`parallel-normals.ts`) and the
 * SIMD kernels' helper (`simd-helper.ts`).
 */

/**
 * A spin reads the clock once in this many turns (a power of 2; about 3 µs of turns here). `performance.now()` returns
 * a new heap number in V8: read every turn, the helper's watch for its next call filled its young heap every ~80 ms
 * of the VIB inference, each time pausing the helper for a scavenge of 0.1–0.2 ms, and a read took ~60 ns.
 */
export const SPIN_CLOCK_EVERY = 256;

/**
 * The helper's side, as source lines for its script (which has `ctl` in scope): wait for a task, run `task`
 * (lines of the script), mark it finished and wake the caller. Never returns.
 *
 * With `spinMicros`, the helper first watches for the next task that long before it sleeps. A helper whose tasks
 * come in bursts (the GEMMs, Adam updates and transposes of one training step) then starts each of them at once,
 * where waking a sleeping thread took 14 µs after a short sleep and 80–140 µs after 0.2–5 ms (2-core VM). A task
 * posted as it goes to sleep is not missed: `Atomics.wait` returns at once when ctl[0] has moved on.
 * @param task - the lines that run one task
 * @param spinMicros - how long to watch for the next task before sleeping (0: sleep at once)
 * @returns the loop's lines
 */
export function taskLoopLines(task: readonly string[], spinMicros = 0): string[] {
  return [
    'for (let seen = 0; ; ) {',
    ...(spinMicros > 0 ? [`  for (let i = 0, until = performance.now() + ${spinMicros / 1000}; Atomics.load(ctl, 0) === seen && ((++i & ${SPIN_CLOCK_EVERY - 1}) !== 0 || performance.now() < until); );`] : []),
    '  Atomics.wait(ctl, 0, seen);',
    '  seen = Atomics.load(ctl, 0);',
    ...task.map((l) => `  ${l}`),
    '  Atomics.store(ctl, 1, seen);',
    '  Atomics.notify(ctl, 1);',
    '}',
  ];
}

/**
 * The control word of a call that the caller may leave a late helper out of: (task << 2) | 1 while the call is open,
 * | 2 once the helper has taken it up, | 3 once the caller has closed it (the task's low 30 bits beside the state, so
 * that a helper that read an older task number never matches a later call).
 */
export const CALL_STATE = 4;

const callWord = (task: number, state: 1 | 2 | 3): number => ((task << 2) | state) | 0;

/**
 * Open the next task before posting it ({@link postTask}): until the helper takes it up (the condition
 * {@link takeUpLine} evaluates), the caller may close it ({@link closeCall}) and go on without waiting. Only the caller
 * posts, so the next task's number is the count posted plus one.
 * @param ctl - the control words (at least {@link CALL_STATE} + 1)
 * @returns the number {@link postTask} will return
 */
export function openCall(ctl: Int32Array): number {
  const task = (Atomics.load(ctl, 0) + 1) | 0;
  Atomics.store(ctl, CALL_STATE, callWord(task, 1));
  return task;
}

/**
 * The helper's side of {@link openCall}, as an expression of its task loop (where `seen` is the task it woke for):
 * true when it has taken the call up, false when the caller closed it first (or has opened a later one).
 */
export const takeUpLine = `Atomics.compareExchange(ctl, ${CALL_STATE}, ((seen << 2) | 1) | 0, ((seen << 2) | 2) | 0) === (((seen << 2) | 1) | 0)`;

/**
 * Close task `task` where the helper has not taken it up: the helper then skips it when it wakes.
 * @param ctl - the control words
 * @param task - the number {@link openCall} returned
 * @returns true when closed (nothing to wait for), false when the helper has it (wait for it: {@link awaitTask})
 */
export function closeCall(ctl: Int32Array, task: number): boolean {
  return Atomics.compareExchange(ctl, CALL_STATE, callWord(task, 1), callWord(task, 3)) === callWord(task, 1);
}

/**
 * Whether the helper has taken task `task` up (its state word says so).
 * @param ctl - the control words
 * @param task - the number {@link openCall} returned
 * @returns true once taken up
 */
export function takenUp(ctl: Int32Array, task: number): boolean {
  return Atomics.load(ctl, CALL_STATE) === callWord(task, 2);
}

/**
 * Post a task (its inputs already in shared memory) and wake the helper.
 * @param ctl - the control words
 * @returns the task's number, for {@link awaitTask}
 */
export function postTask(ctl: Int32Array): number {
  // as the Int32Array holds it: past 2³¹ − 1 posts the count wraps, and a task number beyond it would never match
  const task = (Atomics.add(ctl, 0, 1) + 1) | 0;
  Atomics.notify(ctl, 0);
  return task;
}

/**
 * Wait until the helper has finished task `task`.
 * @param ctl - the control words
 * @param task - the number {@link postTask} returned
 * @param ms - how long to wait at most
 * @param block - block in `Atomics.wait` (Node, workers); false spins, as a page's main thread may not block
 * @param spinMicros - with `block`, how long to watch for the end before blocking (a thread woken from `Atomics.wait`
 *   takes 14 µs or more to go on; see `taskLoopLines`)
 * @returns true when finished, false when `ms` passed first
 */
export function awaitTask(ctl: Int32Array, task: number, ms: number, block: boolean, spinMicros = 0): boolean {
  if (!block) {
    const until = performance.now() + ms;
    for (let i = 0; Atomics.load(ctl, 1) !== task; ) if ((++i & (SPIN_CLOCK_EVERY - 1)) === 0 && performance.now() > until) return false;
    return true;
  }
  if (spinMicros > 0) {
    const until = performance.now() + spinMicros / 1000;
    for (let i = 0; Atomics.load(ctl, 1) !== task && ((++i & (SPIN_CLOCK_EVERY - 1)) !== 0 || performance.now() < until); );
  }
  // wait on the value seen as not finished: waiting on a fresh read could sleep through a notify already sent
  for (let seen = Atomics.load(ctl, 1); seen !== task; seen = Atomics.load(ctl, 1)) {
    if (Atomics.wait(ctl, 1, seen, ms) === 'timed-out') return false;
  }
  return true;
}
