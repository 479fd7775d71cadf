import * as tf from '@tensorflow/tfjs';
import { ConfigError, createRegistry, NoSuchPluginError } from '@vib/core';
import { registerPriors } from '@vib/priors';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerControllers } from '../register.js';
import { GaussianEncoder } from '../encoder/gaussian-encoder.js';
import { VIBBottleneck, type VIBBottleneckArgs } from './vib-bottleneck.js';

const registry = createRegistry();
registerPriors(registry);
registerControllers(registry);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function layer(args: Partial<VIBBottleneckArgs> = {}): VIBBottleneck {
  return new VIBBottleneck({ registry, latentDim: 3, seed: 1, ...args });
}

describe('VIBBottleneck', () => {
  it('gives the closed-form KL of the seeds for known head outputs', () => {
    const b = layer({ controller: { name: 'fixed', config: { beta: 0.5 } } });
    b.build([null, 2]);
    // h = 0 makes μ and log σ² equal the biases.
    const mu = [0.5, -1, 2];
    const logVar = [0, -1, 0.7];
    const weights = b.getWeights();
    b.setWeights([weights[0] as tf.Tensor, tf.tensor1d(mu), weights[2] as tf.Tensor, tf.tensor1d(logVar)]);
    const expected = mu.reduce((s, m, i) => s + 0.5 * (m * m + Math.exp(logVar[i] ?? 0) - 1 - (logVar[i] ?? 0)), 0);
    const [kl, rate] = tf.tidy(() => {
      const out = b.encode(tf.zeros([4, 2]), { training: true, seed: 3 });
      return [out.klMean.dataSync()[0] ?? NaN, out.rate.dataSync()[0] ?? NaN];
    });
    expect(kl).toBeCloseTo(expected, 5);
    expect(rate).toBeCloseTo(0.5 * expected, 5);
  });

  it('uses σ = softplus(raw − 5) for the softplus scale', () => {
    const b = layer({ scale: 'softplus' });
    b.build([null, 2]);
    const w = b.getWeights();
    b.setWeights([w[0] as tf.Tensor, w[1] as tf.Tensor, w[2] as tf.Tensor, tf.tensor1d([5, 6, 0])]);
    const logVar = tf.tidy(() => {
      const p = b.posterior(tf.zeros([1, 2])) as unknown as { logVar: tf.Tensor };
      return Array.from(p.logVar.dataSync());
    });
    const softplus = (x: number) => Math.log1p(Math.exp(x));
    [5, 6, 0].forEach((raw, i) => expect(Math.exp((logVar[i] ?? NaN) / 2)).toBeCloseTo(softplus(raw - 5), 5));
  });

  it('lets gradients of the rate term alone reach the encoder through the reparameterized sample', () => {
    const dense = tf.layers.dense({ units: 4, inputShape: [5], kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) });
    const b = layer({ controller: { name: 'fixed', config: { beta: 1 } } });
    const x = tf.randomNormal([8, 5], 0, 1, 'float32', 9);
    b.apply(dense.apply(tf.zeros([1, 5])) as tf.Tensor);
    const before = dense.getWeights().map((w) => w.arraySync());
    const rate0 = tf.tidy(() => b.encode(dense.apply(x) as tf.Tensor, { seed: 1 }).klMean.dataSync()[0] ?? NaN);
    const vars = [...dense.trainableWeights, ...b.trainableWeights].map((w) => (w as unknown as { read(): tf.Variable }).read());
    const opt = tf.train.sgd(0.1);
    for (let i = 0; i < 5; i++) {
      opt.minimize(() => b.encode(dense.apply(x) as tf.Tensor, { training: true, seed: i }).rate, false, vars);
    }
    const rate1 = tf.tidy(() => b.encode(dense.apply(x) as tf.Tensor, { seed: 1 }).klMean.dataSync()[0] ?? NaN);
    const after = dense.getWeights().map((w) => w.arraySync());
    expect(JSON.stringify(after[0])).not.toBe(JSON.stringify(before[0]));
    expect(rate1).toBeLessThan(rate0);
  });

  it('is deterministic in mean mode and random in sample mode', () => {
    const h = tf.randomNormal([3, 4], 0, 1, 'float32', 5);
    const mean = layer();
    const a = mean.apply(h) as tf.Tensor;
    const b = mean.apply(h) as tf.Tensor;
    expect(a.arraySync()).toEqual(b.arraySync());
    const sampled = layer({ inference: { mode: 'sample', samples: 1 } });
    const c = sampled.apply(h) as tf.Tensor;
    const d = sampled.apply(h) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(c, d))).dataSync()[0]).toBeGreaterThan(1e-3);
  });

  it('builds a full-covariance posterior with a positive Cholesky diagonal and Σ = L·Lᵀ', () => {
    const b = layer({ posterior: 'full-gaussian', latentDim: 3 });
    const h = tf.randomNormal([2, 4], 0, 1, 'float32', 8);
    b.apply(h);
    const p = b.posterior(h) as unknown as { tril(): tf.Tensor; covariance(): tf.Tensor };
    const l = p.tril().arraySync() as number[][][];
    for (const row of l) for (let i = 0; i < 3; i++) expect(row[i]?.[i]).toBeGreaterThan(0);
    const cov = p.covariance().arraySync() as number[][][];
    const l0 = l[0] as number[][];
    const s01 = (l0[0]?.[0] ?? 0) * (l0[1]?.[0] ?? 0);
    expect(cov[0]?.[0]?.[1]).toBeCloseTo(s01, 5);
  });

  it('rejects bad configs with the field path, the value, and what exists', () => {
    expect(() => layer({ controller: { name: 'fixed', config: { beta: -1 } } })).toThrow(/controller\.config\.beta.*-1/);
    expect(() => layer({ prior: { name: 'uniform' } })).toThrow(ConfigError);
    expect(() => layer({ prior: { name: 'nope' } })).toThrow(NoSuchPluginError);
    expect(() => new VIBBottleneck({ latentDim: 2 })).toThrow(/registry/);
  });

  it('composes a GaussianEncoder: its heads are the layer\'s weights, in the order and under the names saved before', () => {
    const b = layer({ posterior: 'full-gaussian', prior: { name: 'learnable-normal' } });
    const input = tf.input({ shape: [4] });
    b.apply(input);
    expect(b.encoder).toBeInstanceOf(GaussianEncoder);
    const names = b.weights.map((w) => w.originalName.slice(b.name.length + 1));
    expect(names).toEqual(['mean/kernel', 'mean/bias', 'scale/kernel', 'scale/bias', 'offdiag/kernel', 'offdiag/bias', 'prior/mean', 'prior/logVar']);
    const h = tf.randomNormal([3, 4], 0, 1, 'float32', 2);
    const [mine, its] = tf.tidy(() => [b.posterior(h).mean().arraySync(), b.encoder.posterior(h).mean().arraySync()]);
    expect(mine).toEqual(its);
  });

  it('a deterministic bottleneck trains only the μ head, and keeps it so when trainable is toggled', () => {
    const b = layer({ deterministic: true, prior: { name: 'learnable-normal' } });
    b.apply(tf.input({ shape: [4] }));
    const short = (ws: readonly { originalName: string }[]) => ws.map((w) => w.originalName.slice(b.name.length + 1));
    const check = () => {
      expect(short(b.trainableWeights)).toEqual(['mean/kernel', 'mean/bias', 'prior/mean', 'prior/logVar']);
      expect(short(b.nonTrainableWeights)).toEqual(['scale/kernel', 'scale/bias']);
    };
    check();
    b.trainable = false;
    expect(b.trainableWeights).toEqual([]);
    expect(short(b.nonTrainableWeights)).toHaveLength(6);
    b.trainable = true;
    check();
  });
});

