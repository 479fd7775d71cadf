import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { awaitTask, postTask, taskLoopLines } from './task-channel.js';

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
