import * as tf from '@tensorflow/tfjs';
import { registerMnistDataset } from '@vib/data/mnist';
import { buildVibModel, evaluate, loadVibModel, parseExperimentConfig, saveVibModel, train } from '@vib/tasks';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDefaultRegistry } from './create-default-registry.js';
import { presetConfig } from './presets.js';

const registry = createDefaultRegistry();
registerMnistDataset(registry);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const pseudo = (vm: { bottleneck: { getWeights(): tf.Tensor[]; weights: { name: string }[] } }) => {
  const at = vm.bottleneck.weights.findIndex((w) => w.name.includes('prior/pseudoInputs'));
  return Array.from(vm.bottleneck.getWeights()[at]?.dataSync() ?? []);
};

describe('the vamp prior in a model (the vae preset on real digits)', () => {
  it('trains the reconstruction task, trains its pseudo-inputs, and reloads with identical predictions and rates', async () => {
    const raw = presetConfig('vae');
    const config = parseExperimentConfig(
      { ...raw, encoder: { hidden: [128], activation: 'relu' }, task: { name: 'reconstruction', config: { likelihood: 'bernoulli', hidden: [128], activation: 'relu' } }, prior: { name: 'vamp', config: { components: 8 } }, epochs: 3, batchSize: 50, seed: 2, evalSamples: 2 },
      registry,
    );
    const plugin = registry.get('dataset', 'mnist');
    const data = await plugin.load(plugin.configSchema.parse({}), { maxTrain: 400, maxTest: 100 });
    // the same config builds the same initial pseudo-inputs (seeded)
    const fresh = buildVibModel(config, registry, { inputShape: data.inputShape, numClasses: data.numClasses });
    const initial = pseudo(fresh);
    fresh.model.dispose();
    const r = await train({ config, registry, dataset: data });
    const rec = r.history.map((m) => m.reconstructionNats ?? NaN);
    // the Monte Carlo KL is marked inexact, and the reconstruction error falls as it trains
    expect(r.history.every((m) => m.rateExact === false && Number.isFinite(m.rateNats))).toBe(true);
    expect(rec[2]).toBeLessThan(0.9 * (rec[0] ?? NaN));
    const after = pseudo(r.model);
    expect(after).toHaveLength(8 * 784);
    expect(after.every((v) => Number.isFinite(v))).toBe(true);
    expect(initial).toHaveLength(8 * 784);
    expect(after).not.toEqual(initial);

    let saved: tf.io.ModelArtifacts | undefined;
    await saveVibModel(r.model, tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await loadVibModel(tf.io.fromMemory(saved!), { registry });
    expect(pseudo(loaded)).toEqual(after);
    const x = tf.tensor3d(data.test.x.subarray(0, 20 * 784), [20, 28, 28]);
    const p1 = r.model.model.predict(x) as tf.Tensor;
    const p2 = loaded.model.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(p1, p2))).dataSync()[0]).toBe(0);
    // the rate reads the reloaded pseudo-inputs through the reloaded encoder: the same numbers (same seed)
    const e1 = await evaluate(r.model, data.test, { samples: 2, seed: 4 });
    const e2 = await evaluate(loaded, data.test, { samples: 2, seed: 4 });
    expect(e2).toEqual(e1);
    console.info(`vamp (K=8) VAE on 400 digits: test reconstruction nats per epoch ${rec.map((v) => v.toFixed(1)).join(', ')}; rate ${r.history.map((m) => m.rateBits.toFixed(1)).join(', ')} bits`);
  }, 60_000);
});
