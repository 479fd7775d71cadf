import * as tf from '@tensorflow/tfjs';
import { aleaState, polarFill, randomNormalFast } from '@vib/core';
import { afterAll, describe, expect, it } from 'vitest';
import { useParallelNormals, WORKER_DRAW } from './parallel-normals.js';

/**
 * Values of `randomNormalFast` and a reference for one draw: `tf.randomNormal` on the cpu backend (tfjs's own), or,
 * for long draws (tfjs takes ~2 µs a number), `polarFill` on one thread, which @vib/core's tests tie to it.
 */
function both(shape: number[], seed: number, mean: number, stdDev: number, reference: 'tfjs' | 'polarFill' = 'tfjs'): [Float32Array, Float32Array] {
  const mine = tf.tidy(() => randomNormalFast(shape, seed, mean, stdDev).dataSync() as Float32Array);
  if (reference === 'polarFill') {
    const theirs = new Float32Array(shape.reduce((a, b) => a * b, 1));
    polarFill(theirs, aleaState(String(seed)), mean, stdDev);
    return [mine, theirs];
  }
  return [mine, tf.tidy(() => tf.randomNormal(shape, mean, stdDev, 'float32', seed).dataSync() as Float32Array)];
}

describe('long normal draws split over two threads', () => {
  afterAll(async () => {
    await useParallelNormals(1);
  });

  it('give bitwise the numbers of one thread (tf.randomNormal): an odd draw, and one longer than a round of two spans', async () => {
    await tf.setBackend('cpu');
    const on = await useParallelNormals(2);
    expect(on.on).toBe(true);
    const before = on.stats?.draws ?? 0;
    // 300,001: odd, so the last pair gives one value; 3,500,000: needs more than one round (2 spans of 2^21 uniforms)
    for (const [shape, seed, mean, sd, ref] of [[[300_001], 7, 0, 1, 'tfjs'], [[7, 500_000], 99, -2, 0.25, 'polarFill']] as const) {
      const [mine, theirs] = both([...shape], seed, mean, sd, ref);
      expect(mine.length).toBe(theirs.length);
      let differ = 0;
      for (let i = 0; i < mine.length; i++) if (!Object.is(mine[i], theirs[i])) differ++;
      expect(differ).toBe(0);
    }
    expect(on.stats?.draws).toBe(before + 2);
  }, 60_000);

  it('leave short draws, and every draw once switched off, to one thread', async () => {
    await tf.setBackend('cpu');
    const on = await useParallelNormals(2);
    const before = on.stats?.draws ?? 0;
    const [short, shortRef] = both([WORKER_DRAW - 1], 3, 0, 1);
    expect(short).toEqual(shortRef);
    expect(on.stats?.draws).toBe(before);
    expect((await useParallelNormals(1)).on).toBe(false);
    const [long, longRef] = both([WORKER_DRAW + 1], 4, 0, 1);
    expect(long).toEqual(longRef);
    expect(on.stats?.draws).toBe(before);
  });
});
