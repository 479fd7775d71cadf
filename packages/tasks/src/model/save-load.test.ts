import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../config/parse-experiment-config.js';
import { evaluate } from '../evaluate/evaluate.js';
import { fileSystemIO } from '../io/file-system-io.js';
import { testRegistry, toyDataset } from '../testing/fixtures.js';
import { train } from '../train/train.js';
import { loadVibModel, saveVibModel } from './save-load.js';

const registry = testRegistry();
const dataset = toyDataset(100, 40);
let dir = '';

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'vib-save-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cases = [
  { task: { name: 'classification' }, prior: { name: 'learnable-normal' }, posterior: 'full-gaussian', controller: { name: 'dual-ascent', config: { targetRateNats: 0.2, stepSize: 0.05 } } },
  { task: { name: 'reconstruction', config: { hidden: [8] } }, prior: { name: 'uniform' }, posterior: 'squashed-gaussian', controller: { name: 'capacity', config: { rampSteps: 5, cMax: 2 } } },
];

describe('saveVibModel / loadVibModel', () => {
  it.each(cases.map((c) => [c.task.name, c] as const))('round-trips a trained %s model through fileSystemIO', async (name, c) => {
    const config = parseExperimentConfig(
      { dataset: { name: 'toy' }, encoder: { hidden: [8] }, latentDim: 3, epochs: 2, batchSize: 20, seed: 3, ...c },
      registry,
    );
    const { model: vm } = await train({ config, registry, dataset });
    const where = join(dir, name);
    await saveVibModel(vm, fileSystemIO(where));
    const loaded = await loadVibModel(fileSystemIO(`file://${where}`), { registry });
    expect(loaded.bottleneck.controller.getState()).toEqual(vm.bottleneck.controller.getState());
    expect(loaded.config).toEqual(vm.config);
    const x = tf.tensor2d(dataset.test.x.subarray(0, 10 * 6), [10, 6]);
    const before = vm.model.predict(x) as tf.Tensor;
    const after = loaded.model.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(before, after))).dataSync()[0]).toBe(0);
    // the parts work too: the same evaluation, sampled codes included (same seed)
    const e1 = await evaluate(vm, dataset.test, { samples: 3, seed: 5 });
    const e2 = await evaluate(loaded, dataset.test, { samples: 3, seed: 5 });
    expect(e2).toEqual(e1);
  });

  it('fails loudly on a directory without a model', async () => {
    await expect(loadVibModel(fileSystemIO(join(dir, 'missing')), { registry })).rejects.toThrow(/no readable model\.json/);
  });
});
