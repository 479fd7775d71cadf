import * as tf from '@tensorflow/tfjs';
import { ConfigError, createRegistry, DuplicatePluginError, resolvePluginRef } from '@vib/core';
import { registerControllers, VIBBottleneck } from '@vib/layers';
import { registerPriors } from '@vib/priors';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerStudentTPrior } from './register-student-t-prior.js';
import { StudentT } from './student-t.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('registerStudentTPrior (a prior from a separate package)', () => {
  it('registers `student-t` beside the built-in priors and resolves it by name', () => {
    const registry = createRegistry();
    registerPriors(registry);
    registerStudentTPrior(registry);
    expect(registry.names('prior')).toContain('standard-normal');
    expect(registry.names('prior')).toContain('student-t');
    const plugin = registry.get('prior', 'student-t');
    expect(plugin.posteriors).toEqual(['diagonal-gaussian']);
    const r = plugin.create({ degreesOfFreedom: 4, scale: 2 }, { latentDim: 3, addWeight: () => { throw new Error('no weights'); } }).distribution();
    expect(r).toBeInstanceOf(StudentT);
    expect([r.batchSize, r.eventSize]).toEqual([1, 3]);
    expect(() => registerStudentTPrior(registry)).toThrow(DuplicatePluginError);
  });

  it('rejects a bad config with a ConfigError naming the field', () => {
    const registry = createRegistry();
    registerStudentTPrior(registry);
    // the entry's schema validates the config once, where the reference is resolved (the bottleneck, or parseExperimentConfig)
    expect(() => resolvePluginRef(registry, 'prior', { name: 'student-t', config: { scale: -1 } }, 'prior')).toThrow(ConfigError);
    expect(() => resolvePluginRef(registry, 'prior', { name: 'student-t', config: { scale: -1 } }, 'prior')).toThrow(/prior\.config\.scale\b/);
  });

  it('trains a VIB bottleneck with it: two Gaussian blobs are separated and the rate is a finite Monte Carlo KL', () => {
    const registry = createRegistry();
    registerControllers(registry);
    registerStudentTPrior(registry);
    const n = 128;
    const labels = Array.from({ length: n }, (_, i) => i % 2);
    const x = tf.tidy(() => tf.add(tf.randomNormal([n, 2], 0, 0.5, 'float32', 1), tf.mul(tf.tensor2d(labels.map((y) => [3 * y - 1.5, 0])), 1)));
    const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 2);
    const encoder = tf.layers.dense({ units: 8, activation: 'tanh', inputShape: [2], kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) });
    const bottleneck = new VIBBottleneck({
      latentDim: 2, registry, seed: 3, klSamples: 8,
      prior: { name: 'student-t', config: { degreesOfFreedom: 3 } },
      controller: { name: 'fixed', config: { beta: 1e-2 } },
    });
    const decoder = tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) });
    decoder.apply(bottleneck.apply(encoder.apply(tf.zeros([1, 2])) as tf.Tensor) as tf.Tensor);
    const optimizer = tf.train.adam(0.05);
    let rateNats = NaN;
    for (let step = 0; step < 60; step++) {
      optimizer.minimize(() => {
        const out = bottleneck.encode(encoder.apply(x) as tf.Tensor, { training: true, seed: step });
        const ce = tf.losses.softmaxCrossEntropy(y, decoder.apply(out.z) as tf.Tensor);
        if (step === 59) rateNats = out.klMean.dataSync()[0] ?? NaN;
        return tf.add(ce, out.rate) as tf.Scalar;
      });
    }
    const accuracy = tf.tidy(() => {
      const logits = decoder.apply(bottleneck.apply(encoder.apply(x) as tf.Tensor) as tf.Tensor) as tf.Tensor;
      return tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(y, 1)), 'float32')).dataSync()[0] ?? NaN;
    });
    // The blobs are 3 units apart with σ = 0.5: the Bayes accuracy is Φ(3) ≈ 0.9987.
    expect(accuracy).toBeGreaterThan(0.95);
    expect(Number.isFinite(rateNats)).toBe(true);
    expect(rateNats).toBeGreaterThan(0);
    tf.dispose([x, y]);
  });
});
