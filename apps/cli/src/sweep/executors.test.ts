import { describe, expect, it } from 'vitest';
import { createCliRegistry } from '../registry.js';
import { runLocalPool, type PointHooks } from './executors.js';
import { poolThreads } from './point-pool.js';
import type { PointResult } from './point-spec.js';
import { planSweep } from './sweep-plan.js';

// `vib sweep --jobs N --threads T` hands T to every point process; without --threads each gets the cores shared out.
describe('runLocalPool threads', () => {
  async function trainedWith(threads: number | undefined): Promise<number> {
    const registry = await createCliRegistry([]);
    const plan = await planSweep({ betas: '0.001', data: 'tishby-12bit', epochs: '1', maxTrain: '64', maxTest: '32', backend: 'wasm', quiet: true }, registry);
    const results: PointResult[] = [];
    const failures: string[] = [];
    const hooks: PointHooks = { start: () => {}, done: (r) => results.push(r), fail: (_id, e) => failures.push(e) };
    await runLocalPool(plan.points, hooks, 1, threads);
    expect(failures).toEqual([]);
    expect(results).toHaveLength(1);
    return results[0]!.threads;
  }

  it('gives each point process --threads, else the cores divided by --jobs', async () => {
    expect(await trainedWith(1)).toBe(1);
    const shared = poolThreads(1);
    // the pure tier's threaded build stops at 8 threads; the native tier's addon takes them all
    const got = await trainedWith(undefined);
    expect(got === shared || got === Math.min(shared, 8)).toBe(true);
    if (shared > 1) expect(got).toBeGreaterThan(1);
  }, 120_000);
});
