import { execFileSync } from 'node:child_process';

/**
 * Holding this process on one CPU while a single-threaded config is timed. Stock tfjs-wasm runs every kernel on the
 * calling thread, and on the 2-core VMs of the performance log its inference took 11.6–13 ms in processes whose threads
 * were all held on one CPU, against 15–24 ms in some processes left to the scheduler (the same code, the same weights
 * at the same heap offsets; the host checks of the bench flat meanwhile: round thirty-nine). A ratio "× stock wasm"
 * then measured where the scheduler put tfjs's thread, and favoured the tier it was compared with. Holding every
 * thread of the process on one CPU (Node's own helpers too) takes that away; it cannot make a one-thread config faster
 * than its steady pace, so the ratios against it can only fall.
 */
export interface OneCpu {
  /** Run `fn` with all of this process's threads held on one CPU, then give them back the CPUs they had. */
  hold<T>(fn: () => Promise<T>): Promise<T>;
  /** What the bench's header says about it. */
  readonly note: string;
}

/** `taskset` on this process: `-a` for every thread, `-c` for a CPU list. */
const taskset = (...args: string[]): string =>
  execFileSync('taskset', [...args, String(process.pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * The way to hold this process on one CPU here: through util-linux's `taskset` on Linux, else not at all (the note says
 * why, and `hold` just runs `fn`).
 * @returns the holder
 */
export function oneCpu(): OneCpu {
  const free = (why: string): OneCpu => ({ hold: (fn) => fn(), note: `not held on one CPU (${why})` });
  if (process.platform !== 'linux') return free(`no taskset on ${process.platform}`);
  let list: string;
  try {
    // "pid 123's current affinity list: 0,1"
    list = taskset('-c', '-p').trim().split(': ').at(-1) ?? '';
  } catch (error) {
    return free(`taskset failed: ${(error as Error).message.split('\n')[0]}`);
  }
  const cpu = /^\d+/.exec(list)?.[0];
  if (!cpu || list === cpu) return free(`this process may run on CPU ${list || '?'} only`);
  return {
    note: `all of the process's threads held on CPU ${cpu} (of ${list}) while it runs`,
    async hold(fn) {
      taskset('-a', '-c', '-p', cpu);
      try {
        return await fn();
      } finally {
        taskset('-a', '-c', '-p', list);
      }
    },
  };
}
