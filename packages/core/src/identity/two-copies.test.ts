import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DiagonalGaussian } from '../distributions/diagonal-gaussian.js';
import { StandardNormal } from '../distributions/standard-normal.js';
import { createKLRegistry } from '../kl/kl-registry.js';
import { createRegistry } from '../registry/registry.js';
import { klRegistryFor } from '../kl/kl-registry-for.js';
import { coreInstanceCount } from './core-instances.js';

type CoreModule = typeof import('../index.js');

/** A second, independent copy of @vib/core's source: fresh module instances, so other classes. */
async function secondCopy(): Promise<CoreModule> {
  vi.resetModules();
  return (await import('../index.js')) as CoreModule;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('two copies of @vib/core in one process', () => {
  it('dispatch the exact Gaussian KL by name: 0.5 nats, exact, from either copy', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const other = await secondCopy();
    expect(other.DiagonalGaussian).not.toBe(DiagonalGaussian); // really another class
    // KL(N([1,0], I) ‖ N(0, I)) = ½·μ² = 0.5 nats
    const pOther = new other.DiagonalGaussian(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 0]]));
    const rOther = new other.StandardNormal(2);
    const pHere = new DiagonalGaussian(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 0]]));
    for (const [kl, p, r] of [
      [createKLRegistry(), pOther, rOther],
      [other.createKLRegistry(), pHere, new StandardNormal(2)],
      [createKLRegistry(), pHere, rOther],
    ] as const) {
      const res = kl.kl(p, r);
      expect(res.exact).toBe(true);
      expect(res.total.dataSync()[0]).toBeCloseTo(0.5, 6);
    }
    expect(coreInstanceCount()).toBeGreaterThanOrEqual(2);
    const reports = warn.mock.calls.filter(([m]) => String(m).includes('copies of @vib/core'));
    expect(reports).toHaveLength(1);
    expect(String(reports[0]?.[0])).toMatch(/dedupe/);
    await secondCopy(); // a third copy: still reported only once
    expect(warn.mock.calls.filter(([m]) => String(m).includes('copies of @vib/core'))).toHaveLength(1);
  });

  it('a kl plugin registered by name reaches distributions of the other copy', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const other = await secondCopy();
    const registry = createRegistry();
    registry.register('kl', {
      name: 'DiagonalGaussian‖StandardNormal (tagged)',
      description: 'returns 42 to show which rule ran',
      p: 'DiagonalGaussian',
      q: 'StandardNormal',
      rule: (p) => ({ total: tf.fill([p.batchSize], 42), perDim: null }),
    });
    const p = new other.DiagonalGaussian(tf.zeros([1, 2]), tf.zeros([1, 2]));
    const res = klRegistryFor(registry).kl(p, new other.StandardNormal(2));
    expect(res.total.dataSync()[0]).toBe(42);
    expect(res.exact).toBe(true);
  });
});
