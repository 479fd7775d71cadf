import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { checkDataset, createRegistry, DataError, DiagonalGaussian, estimateInformation, klRegistryFor, mulberry32 } from '@vib/core';
import { createDefaultRegistry } from '@vib/kit';
import { importanceWeightedEvaluation, parseExperimentConfig, train } from '@vib/tasks';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerRegressionExample, ScaledNormal } from './index.js';

const csv = fileURLToPath(new URL('../data/synthetic.csv', import.meta.url));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('vib-regression-example, used from outside through the registry', () => {
  it('its kl plugin makes the rate exact: KL(N(1,1) ‖ N(0,2²)) = ln 2 + 2/8 − ½ nats per dimension', () => {
    const registry = createRegistry();
    registerRegressionExample(registry);
    const p = new DiagonalGaussian(tf.tensor2d([[1, 1]]), tf.tensor2d([[0, 0]]));
    const r = new ScaledNormal(2, 2);
    const withRule = klRegistryFor(registry).kl(p, r);
    expect(withRule.exact).toBe(true);
    expect(withRule.total.dataSync()[0]).toBeCloseTo(2 * (Math.LN2 + 0.25 - 0.5), 5);
    const withoutRule = klRegistryFor(createRegistry()).kl(p, r, { samples: 4000, seed: 1 });
    expect(withoutRule.exact).toBe(false); // a Monte Carlo estimate, close to the same value
    expect(withoutRule.total.dataSync()[0]).toBeCloseTo(2 * (Math.LN2 + 0.25 - 0.5), 1);
  });

  it('its estimator, looked up by name, gives −½·ln(1 − ρ²) for correlated Gaussians (ρ = 0.8: 0.511 nats)', () => {
    const registry = createRegistry();
    registerRegressionExample(registry);
    const rand = mulberry32(5);
    const normal = () => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
    const n = 20000;
    const t = new Float64Array(n);
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      t[i] = normal();
      y.push(0.8 * t[i]! + 0.6 * normal());
    }
    // standard error of R² at n = 20 000 is ≈ 0.003, so ±0.02 nats is generous
    const r = estimateInformation(registry, 'gaussian-ity', { activations: { data: t, n, d: 1 }, labels: y });
    expect(r.ity?.nats).toBeCloseTo(-0.5 * Math.log(1 - 0.64), 1);
    expect(Math.abs((r.ity?.nats ?? 0) + 0.5 * Math.log(0.36))).toBeLessThan(0.02);
  });

  it('a missing CSV fails with a DataError naming the path, where it was looked for, and what to do', async () => {
    const registry = createRegistry();
    registerRegressionExample(registry);
    const load = registry.get('dataset', 'csv-regression').load({ path: 'data/no-such.csv', target: 'y', testFraction: 0.2 });
    const error: unknown = await load.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).details).toEqual({ file: 'data/no-such.csv' });
    expect((error as DataError).message).toBe(
      `data/no-such.csv: cannot read the CSV file (no such file); ` +
        `a relative path is resolved against the working directory, so it was looked for at ${resolve('data/no-such.csv')}: ` +
        'give an absolute path, or a path relative to the directory you run from',
    );
  });

  it('trains a regression VIB on the CSV with the scaled-normal prior: test MSE well below the target variance, exact rate', async () => {
    const registry = createDefaultRegistry();
    registerRegressionExample(registry);
    const config = parseExperimentConfig(
      {
        dataset: { name: 'csv-regression', config: { path: csv, target: 'y' } },
        task: 'regression',
        prior: { name: 'scaled-normal', config: { scale: 2 } },
        encoder: { hidden: [32], activation: 'tanh' },
        latentDim: 4,
        beta: 1e-3,
        epochs: 30,
        batchSize: 32,
        optimizer: { learningRate: 0.01 },
        evalSamples: 4,
        seed: 1,
      },
      registry,
    );
    const plugin = registry.get('dataset', 'csv-regression');
    const dataset = await plugin.load(config.dataset.config as never);
    // what training checks first: the splits hold n × ∏inputShape finite values and n labels each
    expect(() => checkDataset(dataset)).not.toThrow();
    const targets = dataset.test.targets!;
    const mean = targets.reduce((s, v) => s + v, 0) / targets.length;
    const variance = targets.reduce((s, v) => s + (v - mean) ** 2, 0) / targets.length;
    const result = await train({ config, registry, dataset });
    const mse = result.evaluation.mean.metrics['mse'] ?? NaN;
    expect(variance).toBeGreaterThan(1); // y = 2x₁ − x₂ + ½ sin 3x₃ + noise on [−1, 1]³: Var ≈ 1.8
    expect(mse).toBeLessThan(0.2 * variance);
    expect(result.history.every((m) => m.rateExact)).toBe(true);
    // the task's own metric is kept every epoch, by split: the last epoch's test figure is the final evaluation's
    expect(result.history.at(-1)?.testTaskMetrics?.['mse']).toBe(mse);
    expect(Object.keys(result.history[0]?.trainTaskMetrics ?? {})).toEqual(['mse']);
    expect(result.model.task.describe([['mean code', result.evaluation.mean]])).toMatch(/^MSE \d+\.\d{4} \(mean code\)$/);
    // the importance-weighted bound on log q(y|x) reads the split's real-valued targets too (it once passed none)
    const iw = await importanceWeightedEvaluation(result.model, dataset.test, { samples: 20, seed: 1 });
    expect(Number.isFinite(iw.boundNats) && Number.isFinite(iw.elboNats)).toBe(true);
    expect(iw.boundNats).toBeGreaterThanOrEqual(iw.elboNats);
    result.model.model.dispose();
  });
});
