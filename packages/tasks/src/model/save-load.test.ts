import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@vib/core';
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
  it('says how to load a folder in Node when given a path (it tried HTTP and blamed "Invalid URL" on the weights)', async () => {
    const e = (await loadVibModel('runs/x/model', { registry }).catch((err: unknown) => err)) as Error;
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toBe(`"runs/x/model" is not an http(s) URL, and in Node a model folder is read through the file system: load it with loadVibModel(fileSystemIO("runs/x/model"), { registry }), fileSystemIO from '@vib/tasks/node'`);
  });

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

  describe('a model.json from a stranger', () => {
    let artifacts: tf.io.ModelArtifacts;
    beforeAll(async () => {
      const config = parseExperimentConfig({ dataset: { name: 'toy' }, encoder: { hidden: [8] }, latentDim: 3, epochs: 1, batchSize: 20, seed: 3 }, registry);
      const { model: vm } = await train({ config, registry, dataset });
      await saveVibModel(vm, tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }));
    });
    /** The saved model with its sidecar edited and its weights replaced where asked. */
    const load = (edit: (vib: Record<string, unknown>) => void, weights?: (w: Float32Array) => void) => {
      const copy = JSON.parse(JSON.stringify({ ...artifacts, weightData: undefined })) as tf.io.ModelArtifacts;
      edit((copy.userDefinedMetadata as { vib: Record<string, unknown> }).vib);
      const data = new Float32Array((artifacts.weightData as ArrayBuffer).slice(0));
      weights?.(data);
      return loadVibModel(tf.io.fromMemory({ ...copy, weightData: data.buffer }), { registry });
    };

    it('loads unedited', async () => {
      expect((await load(() => {})).numClasses).toBe(dataset.numClasses);
    });

    it('refuses a newer sidecar version, naming it', async () => {
      await expect(load((v) => (v['version'] = 99))).rejects.toThrow("the saved model's vib sidecar is version 99; this @vib/tasks reads version 1");
    });

    it('refuses a sidecar whose fields are not what saveVibModel writes', async () => {
      await expect(load((v) => (v['inputShape'] = [6, -1]))).rejects.toThrow('in its vib sidecar inputShape is not a list of positive integers');
      await expect(load((v) => (v['numClasses'] = 1e400))).rejects.toThrow('numClasses is not an integer ≥ 0');
      await expect(load((v) => (v['decoderLayers'] = 40))).rejects.toThrow('its sidecar says 40 decoder layers');
    });

    it('refuses a sidecar that disagrees with the layers: another prior, another K, other classes', async () => {
      await expect(load((v) => ((v['config'] as { prior: { name: string } }).prior.name = 'uniform'))).rejects.toThrow(
        'its sidecar says K = 3 with the prior "uniform", its bottleneck layer K = 3 with "standard-normal"',
      );
      await expect(load((v) => ((v['config'] as { latentDim: number }).latentDim = 4))).rejects.toThrow('its sidecar says K = 4');
      await expect(load((v) => (v['numClasses'] = dataset.numClasses + 1))).rejects.toThrow(
        `decodes to [null,${dataset.numClasses + 1}], the saved decoder to [null,${dataset.numClasses}]`,
      );
    });

    it('refuses weights that hold NaN or infinity, naming the weight and index', async () => {
      await expect(load(() => {}, (w) => (w[5] = Number.NaN))).rejects.toThrow(/weight .*kernel holds NaN at index 5: the weights file is damaged/);
      await expect(load(() => {}, (w) => (w[w.length - 1] = Number.NEGATIVE_INFINITY))).rejects.toThrow(/holds -Infinity at index \d+/);
    });
  });
});
