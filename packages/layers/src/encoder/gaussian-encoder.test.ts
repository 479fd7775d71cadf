import * as tf from '@tensorflow/tfjs';
import { ConfigError, DiagonalGaussian, FullCovGaussian, SquashedGaussian, StandardNormal, createKLRegistry } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { GaussianEncoder } from './gaussian-encoder.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const close = (a: tf.Tensor, b: tf.Tensor, tol = 1e-5) => {
  const [x, y] = [a.dataSync(), b.dataSync()];
  expect(x.length).toBe(y.length);
  x.forEach((v, i) => expect(Math.abs(v - (y[i] as number))).toBeLessThan(tol));
};

describe('GaussianEncoder', () => {
  it('diagonal family: μ = hW + b and log σ² from the scale head, as dense maps of h', () => {
    const enc = new GaussianEncoder({ latentDim: 3, seed: 1 });
    const h = tf.randomNormal([5, 4], 0, 1, 'float32', 2);
    const q = enc.posterior(h);
    expect(q).toBeInstanceOf(DiagonalGaussian);
    const [wm, bm, ws, bs] = enc.getWeights();
    close((q as DiagonalGaussian).mean(), tf.add(tf.matMul(h, wm!), bm!));
    close((q as DiagonalGaussian).logVar, tf.add(tf.matMul(h, ws!), bs!));
    expect(enc.getWeights().map((w) => w.shape)).toEqual([[4, 3], [3], [4, 3], [3]]);
  });

  it('call() returns [μ ‖ raw scale ‖ lower entries] and fromParams gives back the same posterior', () => {
    const enc = new GaussianEncoder({ latentDim: 3, posterior: 'full-gaussian', scale: 'softplus', seed: 3 });
    const h = tf.randomNormal([6, 5], 0, 1, 'float32', 4);
    const params = enc.apply(h) as tf.Tensor;
    expect(enc.paramCount).toBe(2 * 3 + 3);
    expect(params.shape).toEqual([6, 9]);
    const direct = enc.posterior(h) as FullCovGaussian;
    const back = enc.fromParams(params) as FullCovGaussian;
    expect(back).toBeInstanceOf(FullCovGaussian);
    close(back.mean(), direct.mean());
    close(back.scaleTril, direct.scaleTril);
    expect(() => enc.fromParams(tf.zeros([6, 8]))).toThrow(/needs \[batch, 9\] parameters, got shape \[6,8\]/);
  });

  it('gradients flow through the reparameterized sample: the KL to N(0, I) alone moves every head weight', () => {
    const enc = new GaussianEncoder({ latentDim: 2, seed: 5 });
    const h = tf.randomNormal([16, 3], 0, 1, 'float32', 6);
    enc.build(h.shape);
    const kl = createKLRegistry();
    const before = enc.getWeights().map((w) => w.dataSync().slice());
    const { grads } = tf.variableGrads(() => {
      const q = enc.posterior(h);
      const z = q.sample(undefined, 7);
      // E_q[log q(z) − log r(z)] through z: only the reparameterized path carries gradient to μ
      const mc = tf.mean(tf.sub(q.logProb(z), new StandardNormal(2).logProb(z)));
      return tf.add(mc, tf.mean(kl.kl(q, new StandardNormal(2)).total)) as tf.Scalar;
    }, enc.trainableWeights.map((w) => w.read() as tf.Variable));
    for (const g of Object.values(grads)) expect(tf.sum(tf.abs(g)).dataSync()[0]).toBeGreaterThan(0);
    tf.train.sgd(0.1).applyGradients(grads);
    enc.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).not.toEqual(Array.from(before[i]!)));
  });

  it('squashed family stays inside the box and needs bounds', () => {
    const enc = new GaussianEncoder({ latentDim: 2, posterior: 'squashed-gaussian', bounds: { low: -1, high: 2 }, seed: 8 });
    const q = enc.posterior(tf.randomNormal([50, 3], 0, 3, 'float32', 9));
    expect(q).toBeInstanceOf(SquashedGaussian);
    const z = q.sample(undefined, 10).dataSync();
    expect(Math.min(...z)).toBeGreaterThan(-1);
    expect(Math.max(...z)).toBeLessThan(2);
    expect(() => new GaussianEncoder({ latentDim: 2, posterior: 'squashed-gaussian' })).toThrow(ConfigError);
    expect(() => new GaussianEncoder({ latentDim: 2, posterior: 'squashed-gaussian' })).toThrow(/bounds.*needs bounds/);
    expect(() => new GaussianEncoder({ latentDim: 0 })).toThrow(/latentDim/);
  });

  it('saves and loads inside a sequential model with the same outputs and config', async () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [6], units: 8, activation: 'tanh' }), new GaussianEncoder({ latentDim: 3, posterior: 'full-gaussian', scale: 'softplus', seed: 11 })],
    });
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    expect(JSON.stringify(saved!.modelTopology)).toContain('vib.GaussianEncoder');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const x = tf.randomNormal([4, 6], 0, 1, 'float32', 12);
    close(loaded.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor, 1e-7);
    const enc = loaded.layers[1] as GaussianEncoder;
    expect(enc).toBeInstanceOf(GaussianEncoder);
    expect(enc.encoderConfig).toEqual({ latentDim: 3, posterior: 'full-gaussian', scale: 'softplus', seed: 11 });
  });
});
