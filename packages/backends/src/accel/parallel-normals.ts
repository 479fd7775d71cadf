import { aleaJump, polarSpan, setNormalFill, type AleaState, type NormalFill } from '@vib/core';
import { detectEnvironment } from '../environment.js';
import { awaitTask, postTask, taskLoopLines } from './task-channel.js';

/**
 * Long normal draws over two threads in Node, with exactly the numbers of one thread (so of `tf.randomNormal`).
 *
 * `randomNormalFast` is bound by its serial Alea stream and a `Math.log` per pair (about 20 ns a number here);
 * the 12-sample evaluation of 10,000 test images draws 30.7M of them, between matmuls, on one thread. A draw is
 * cut into two spans of the stream at an even position: a worker runs the second span from Alea's state there
 * (`aleaJump`) while the calling thread runs the first, each keeping its accepted pairs; joined in order they
 * are the draw. The worker runs `polarSpan`'s own source text, so it computes with the same V8 `Math.log` and
 * `Math.sqrt` as the calling thread: bitwise the same numbers (tested against `tf.randomNormal`).
 */

/** Draws this long and longer are split (shorter ones are not worth waking the worker for). */
export const WORKER_DRAW = 1 << 17;
/** Uniforms per span at most (a draw needing more is done in several rounds). */
const SPAN = 1 << 21;
/** How long the calling thread waits for the worker before giving up on it (ms). */
const WAIT_MS = 30_000;

interface Sampler {
  readonly fill: NormalFill;
  readonly stats: { draws: number };
}

let sampler: Sampler | null = null;

/** Start the worker and return the filler (Node only). */
async function startSampler(): Promise<Sampler> {
  const { Worker } = await import('node:worker_threads');
  // ctl: [task number, task done, accepted pairs]; params: Alea state (4), uniforms, mean, stdDev
  const ctl = new Int32Array(new SharedArrayBuffer(3 * 4));
  const params = new Float64Array(new SharedArrayBuffer(7 * 8));
  const theirs = new Float32Array(new SharedArrayBuffer(SPAN * 4));
  const mine = new Float32Array(SPAN);
  const source = [
    "'use strict';",
    "const { workerData } = require('node:worker_threads');",
    `const polarSpan = ${polarSpan.toString()};`,
    'const { ctl, params, out } = workerData;',
    ...taskLoopLines([
      'const state = [params[0], params[1], params[2], params[3]];',
      'const pairs = polarSpan(out, state, params[4], params[5], params[6]);',
      'for (let i = 0; i < 4; i++) params[i] = state[i];',
      'Atomics.store(ctl, 2, pairs);',
    ]),
  ].join('\n');
  // execArgv: [] so that the parent's Node options (loaders, --input-type) do not reach this plain script
  const worker = new Worker(source, { eval: true, execArgv: [], workerData: { ctl, params, out: theirs } });
  worker.unref();
  let broken = false;
  worker.on('error', () => (broken = true));
  worker.on('exit', () => (broken = true));
  const stats = { draws: 0 };

  const fill: NormalFill = (out: Float32Array, state: AleaState, mean: number, stdDev: number): boolean => {
    const n = out.length;
    if (broken || n < WORKER_DRAW) return false;
    let st: AleaState = [...state];
    let filled = 0;
    while (filled < n) {
      // candidate pairs for the pairs still needed, with six standard deviations of the acceptance to spare
      const pairs = Math.ceil((n - filled) / 2);
      const uniforms = Math.min(2 * SPAN, 2 * Math.ceil(pairs / (Math.PI / 4) + 6 * Math.sqrt(pairs) + 16));
      const first = 2 * Math.floor(uniforms / 4);
      const second = uniforms - first;
      params.set(aleaJump(st, first), 0);
      params[4] = second;
      params[5] = mean;
      params[6] = stdDev;
      const task = postTask(ctl);
      const p1 = polarSpan(mine, st, first, mean, stdDev);
      if (!awaitTask(ctl, task, WAIT_MS, true) || broken) {
        broken = true;
        return false; // the caller draws on one thread from the untouched state
      }
      const p2 = Atomics.load(ctl, 2);
      const a = Math.min(2 * p1, n - filled);
      out.set(mine.subarray(0, a), filled);
      filled += a;
      const b = Math.min(2 * p2, n - filled);
      out.set(theirs.subarray(0, b), filled);
      filled += b;
      st = [params[0] as number, params[1] as number, params[2] as number, params[3] as number];
    }
    stats.draws++;
    return true;
  };
  // the worker is unref'd and blocked in Atomics.wait between draws: it ends with the process
  return { fill, stats };
}

/**
 * Split long normal draws (`randomNormalFast`, from `WORKER_DRAW` numbers) over two threads, or, with
 * `threads` ≤ 1 or outside Node, go back to one thread.
 * @param threads - the threads the run may use
 * @returns whether draws are split now, and how many have been
 */
export async function useParallelNormals(threads: number): Promise<{ readonly on: boolean; readonly stats?: { draws: number } }> {
  if (threads <= 1 || detectEnvironment() !== 'node') {
    setNormalFill(null);
    return { on: false };
  }
  sampler ??= await startSampler();
  setNormalFill(sampler.fill);
  return { on: true, stats: sampler.stats };
}
