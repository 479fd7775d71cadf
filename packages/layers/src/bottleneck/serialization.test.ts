import * as tf from '@tensorflow/tfjs';
import { createRegistry } from '@vib/core';
import { registerPriors } from '@vib/priors';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerControllers } from '../register.js';
import { withRegistry } from './registry-scope.js';
import { VIBBottleneck } from './vib-bottleneck.js';

const registry = createRegistry();
registerPriors(registry);
registerControllers(registry);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return withRegistry(registry, () => tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts)));
}

function bottleneckOf(model: tf.LayersModel): VIBBottleneck {
  const b = model.layers.find((l) => l instanceof VIBBottleneck);
  if (b === undefined) throw new Error('no bottleneck');
  return b as VIBBottleneck;
}

const priors = [
  { prior: { name: 'standard-normal' }, posterior: 'diagonal-gaussian' as const },
  { prior: { name: 'learnable-normal' }, posterior: 'full-gaussian' as const },
  { prior: { name: 'uniform' }, posterior: 'squashed-gaussian' as const },
  { prior: { name: 'laplace', config: { scale: 0.5 } }, posterior: 'diagonal-gaussian' as const },
  { prior: { name: 'mixture-of-gaussians', config: { components: 3 } }, posterior: 'diagonal-gaussian' as const },
];
const controllers = [
  { name: 'fixed', config: { beta: 0.01 } },
  { name: 'hinge', config: { lambda: 2, capacity: 1 } },
  { name: 'capacity', config: { rampSteps: 10 } },
  { name: 'dual-ascent', config: { targetRateNats: 1, stepSize: 0.1 } },
  { name: 'free-bits', config: { lambda: 0.5 } },
];

describe('VIBBottleneck save and load', () => {
  it.each(priors.map((p, i) => [p.prior.name, p, controllers[i] as (typeof controllers)[number]] as const))(
    'keeps weights, prior, controller state and mean-mode predictions (prior %s)',
    async (_name, p, controller) => {
      const input = tf.input({ shape: [4] });
      const dense = tf.layers.dense({ units: 5, activation: 'tanh' });
      const b = new VIBBottleneck({ registry, latentDim: 3, posterior: p.posterior, prior: p.prior, controller, seed: 4 });
      const model = tf.model({ inputs: input, outputs: b.apply(dense.apply(input)) as tf.SymbolicTensor });
      // Move every weight (prior weights included) off its initial value, and the controller off its initial state.
      model.setWeights(model.getWeights().map((w, i) => tf.add(w, tf.randomUniform(w.shape, -0.3, 0.3, 'float32', i))));
      for (let step = 0; step < 3; step++) b.controller.update({ klNats: 3 + step, step, totalSteps: 10 });
      const x = tf.randomNormal([6, 4], 0, 1, 'float32', 11);
      const loaded = await roundTrip(model);
      const b2 = bottleneckOf(loaded);
      expect(b2.controller.getState()).toEqual(b.controller.getState());
      expect(b2.controller.beta).toBe(b.controller.beta);
      const w1 = model.getWeights().map((w) => Array.from(w.dataSync()));
      const w2 = loaded.getWeights().map((w) => Array.from(w.dataSync()));
      expect(w2).toEqual(w1);
      const d = tf.max(tf.abs(tf.sub(model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor))).dataSync()[0];
      expect(d).toBe(0);
      const r1 = tf.tidy(() => Array.from(b.prior.distribution().sample(4, 7).dataSync()));
      const r2 = tf.tidy(() => Array.from(b2.prior.distribution().sample(4, 7).dataSync()));
      expect(r2).toEqual(r1);
    },
  );

  it('refuses to load without a registry in scope', async () => {
    const input = tf.input({ shape: [2] });
    const b = new VIBBottleneck({ registry, latentDim: 2 });
    const model = tf.model({ inputs: input, outputs: b.apply(input) as tf.SymbolicTensor });
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    await expect(tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts))).rejects.toThrow(/registry/);
  });
});
