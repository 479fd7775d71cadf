import { PerformanceObserver, constants } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { CALL_STATE, SPIN_CLOCK_EVERY, awaitTask, closeCall, openCall, postTask, takeUpLine, takenUp, taskLoopLines } from './task-channel.js';

/** A helper running `taskLoopLines` whose task takes ctl[3] µs, then counts the tasks it ran in ctl[2]. */
function startCounter(spinMicros: number): { ctl: Int32Array; worker: Worker } {
  const ctl = new Int32Array(new SharedArrayBuffer(4 * 4));
  const task = ['for (const until = performance.now() + ctl[3] / 1000; performance.now() < until; );', 'Atomics.add(ctl, 2, 1);'];
  const source = ["const { workerData: ctl } = require('node:worker_threads');", ...taskLoopLines(task, spinMicros)].join('\n');
  return { ctl, worker: new Worker(source, { eval: true, execArgv: [], workerData: ctl }) };
}

/** Busy-wait `micros` on this thread (a task posted after that long an idle gap). */
const busy = (micros: number): void => {
  for (const until = performance.now() + micros / 1000; performance.now() < until; );
};

describe('the task channel of a helper thread', () => {
  const started: Worker[] = [];
  afterAll(async () => {
    await Promise.all(started.map((w) => w.terminate()));
  });

  it('runs every task, with or without the spins before sleeping, whatever the gap between tasks and their length', () => {
    for (const [spin, awaitSpin] of [[0, 0], [300, 0], [0, 100], [300, 100]] as const) {
      const { ctl, worker } = startCounter(spin);
      started.push(worker);
      // gaps around the helper's spin's end (where it goes from watching to sleeping: a missed task would stall), and
      // tasks around the caller's (where it goes from watching to sleeping: a missed end would stall)
      for (let i = 0; i < 300; i++) {
        busy((i * 37) % 700);
        Atomics.store(ctl, 3, awaitSpin > 0 ? (i * 53) % 250 : 0);
        const task = postTask(ctl);
        expect(awaitTask(ctl, task, 5_000, true, awaitSpin)).toBe(true);
        expect(Atomics.load(ctl, 2)).toBe(i + 1);
      }
    }
  }, 60_000);

  it('spins without filling the young heap: the clock, whose reads allocate, is read once in SPIN_CLOCK_EVERY turns', async () => {
    // young-generation collections on this thread while it spins ~300 ms: reading performance.now() every turn set
    // off 17–21 of them in the first of these spins (0–1 now); in the helper's watch, a pause of 0.1–0.2 ms every
    // ~80 ms of the VIB inference
    const minorGcs = async (spin: () => void): Promise<number> => {
      let count = 0;
      const observer = new PerformanceObserver((list) => {
        count += list.getEntries().filter((e) => (e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR).length;
      });
      observer.observe({ entryTypes: ['gc'] });
      spin();
      await new Promise((r) => setTimeout(r, 50));
      observer.disconnect();
      return count;
    };
    expect(SPIN_CLOCK_EVERY & (SPIN_CLOCK_EVERY - 1)).toBe(0);
    const never = new Int32Array(new SharedArrayBuffer(4 * 4));
    // the calling thread's watches: a page's (no blocking; times out), then Node's spin before it blocks
    expect(await minorGcs(() => expect(awaitTask(never, 1, 300, false)).toBe(false))).toBeLessThan(6);
    expect(await minorGcs(() => expect(awaitTask(never, 1, 1, true, 300_000)).toBe(false))).toBeLessThan(6);
    // the helper's watch for its next call (taskLoopLines), run here: a task posted from another thread after 400 ms
    // ends the 300 ms watch's sleep, and the task's line ends the loop
    const ctl = new Int32Array(new SharedArrayBuffer(4 * 4));
    const loop = new Function('ctl', taskLoopLines(["throw new Error('posted');"], 300_000).join('\n')) as (ctl: Int32Array) => void;
    const poster = new Worker("const { workerData: ctl } = require('node:worker_threads'); setTimeout(() => { Atomics.add(ctl, 0, 1); Atomics.notify(ctl, 0); }, 400);", { eval: true, execArgv: [], workerData: ctl });
    started.push(poster);
    expect(await minorGcs(() => expect(() => loop(ctl)).toThrow('posted'))).toBeLessThan(6);
  });

  it('lets the caller close a call the helper has not taken up, and not one it has; a helper that woke for an older call takes up no later one', () => {
    const ctl = new Int32Array(new SharedArrayBuffer(4 * (CALL_STATE + 1)));
    // the helper's side, as its loop evaluates it, for the task it woke for
    const takeUp = new Function('ctl', 'seen', `return ${takeUpLine};`) as (ctl: Int32Array, seen: number) => boolean;
    const first = openCall(ctl);
    expect(postTask(ctl)).toBe(first);
    expect(closeCall(ctl, first), 'never taken up: closed').toBe(true);
    expect(takeUp(ctl, first), 'closed: the helper skips it').toBe(false);
    const second = openCall(ctl);
    expect(postTask(ctl)).toBe(second);
    expect(takeUp(ctl, first), 'woke for the first call: not the second').toBe(false);
    expect(takenUp(ctl, second)).toBe(false);
    expect(takeUp(ctl, second)).toBe(true);
    expect(takenUp(ctl, second)).toBe(true);
    expect(takeUp(ctl, second), 'taken up once').toBe(false);
    expect(closeCall(ctl, second), 'taken up: the caller waits for it').toBe(false);
    // near the counter's wrap: numbers stay distinct in the state word's 30 bits
    Atomics.store(ctl, 0, 2 ** 31 - 1);
    const wrapped = openCall(ctl);
    expect(wrapped).toBe(-(2 ** 31));
    expect(postTask(ctl)).toBe(wrapped);
    expect(takeUp(ctl, 2 ** 31 - 1)).toBe(false);
    expect(takeUp(ctl, wrapped)).toBe(true);
    expect(closeCall(ctl, wrapped)).toBe(false);
    // and the caller's wait ends at that number (the helper's loop marks the count it read: −2³¹)
    Atomics.store(ctl, 1, Atomics.load(ctl, 0));
    expect(awaitTask(ctl, wrapped, 50, true)).toBe(true);
  });

  it('sleeps once the spin is over: an idle helper takes no CPU time', async () => {
    const { ctl, worker } = startCounter(300);
    started.push(worker);
    expect(awaitTask(ctl, postTask(ctl), 5_000, true)).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    const before = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 300));
    const cpuMs = (({ user, system }) => (user + system) / 1000)(process.cpuUsage(before));
    // a helper spinning on would take about the whole 300 ms of one core
    expect(cpuMs).toBeLessThan(0.3 * (performance.now() - t0));
  });
});
