import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { standardNormalPrior } from '@vib/priors';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileSystemIO } from '../io/file-system-io.js';
import { testRegistry } from '../testing/fixtures.js';
import { loadVibModel, saveVibModel } from './save-load.js';
import type { VibModel } from './vib-model.js';

/** What the loader of commit 7638869 (format 1) gave for the fixture, recorded when it was saved. */
interface Expected {
  readonly inputs: number[][];
  readonly probabilities: number[];
  readonly posteriorMean: number[];
  readonly klNats: number[];
  readonly beta: number;
  readonly controllerState: Record<string, number>;
  readonly weightCount: number;
}

const registry = testRegistry();
const here = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function outputs(vm: VibModel, inputs: number[][]) {
  return tf.tidy(() => {
    const x = tf.tensor2d(inputs);
    let h: tf.Tensor = x;
    for (const l of vm.encoderLayers) h = l.apply(h) as tf.Tensor;
    const post = vm.bottleneck.posterior(h);
    return {
      probabilities: Array.from((vm.model.predict(x) as tf.Tensor).dataSync()),
      posteriorMean: Array.from(post.mean().dataSync()),
      klNats: Array.from(vm.bottleneck.rateKL(post, { samples: 16, seed: 3 }).total.dataSync()),
    };
  });
}

const maxDiff = (a: readonly number[], b: readonly number[]) => {
  expect(a.length).toBe(b.length);
  return Math.max(...a.map((v, i) => Math.abs(v - (b[i] ?? NaN))));
};

async function saveToMemory(vm: VibModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await saveVibModel(vm, tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return saved as tf.io.ModelArtifacts;
}

const bottleneckLayerConfig = (a: tf.io.ModelArtifacts) => {
  const layers = (a.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
  return layers.find((l) => l.class_name === 'vib.VIBBottleneck')?.config ?? {};
};

describe('models saved in format 1 (before the bottleneck composed GaussianEncoder)', () => {
  it.each(['v1-full-warmup', 'v1-mixture-cyclical'])('%s loads and predicts what it predicted when saved; re-saved in format 2, it round-trips', async (name) => {
    const expected = JSON.parse(await readFile(here(`${name}/expected.json`), 'utf8')) as Expected;
    const vm = await loadVibModel(fileSystemIO(here(name)), { registry });
    const got = outputs(vm, expected.inputs);
    expect(maxDiff(got.probabilities, expected.probabilities)).toBeLessThan(1e-6);
    expect(maxDiff(got.posteriorMean, expected.posteriorMean)).toBeLessThan(1e-6);
    expect(maxDiff(got.klNats, expected.klNats)).toBeLessThan(1e-5);
    expect(vm.model.getWeights().length).toBe(expected.weightCount);
    // the saved state held β too; β now follows from the step, and equals what was saved
    expect(vm.bottleneck.controller.beta).toBeCloseTo(expected.beta, 12);
    const { beta: _beta, ...needed } = expected.controllerState;
    expect(vm.bottleneck.controller.getState()).toEqual(needed);

    // new saves: format 2, weights under the same names, nothing tfjs' case conversion can change
    const artifacts = await saveToMemory(vm);
    const vib = String(bottleneckLayerConfig(artifacts)['vib']);
    expect(vib).not.toMatch(/[A-Z_]/);
    const saved = JSON.parse(vib) as { format: number; encoder: { latentDim: number }; controller: { state: Record<string, number> } };
    expect(saved.format).toBe(2);
    expect(saved.encoder.latentDim).toBe(3);
    expect(saved.controller.state).toEqual(needed);
    const oldNames = (JSON.parse(await readFile(here(`${name}/model.json`), 'utf8')) as { weightsManifest: { weights: { name: string }[] }[] }).weightsManifest.flatMap((g) => g.weights.map((w) => w.name));
    expect(artifacts.weightSpecs?.map((w) => w.name)).toEqual(oldNames);
    const again = await loadVibModel(tf.io.fromMemory(artifacts), { registry });
    const got2 = outputs(again, expected.inputs);
    expect(got2).toEqual(got);
    expect(again.bottleneck.controller.getState()).toEqual(needed);
  });

  it('a plugin name with capitals and underscores survives save and load (format 1 lost it to tfjs\' snake_case conversion)', async () => {
    const own = testRegistry();
    own.register('prior', { ...standardNormalPrior, name: 'Unit_Normal' });
    const vm = await loadVibModel(fileSystemIO(here('v1-full-warmup')), { registry });
    const input = tf.input({ shape: [4] });
    const { VIBBottleneck } = await import('@vib/layers');
    const b = new VIBBottleneck({ registry: own, latentDim: 2, prior: 'Unit_Normal', controller: { name: 'warmup', config: { warmupSteps: 7 } } });
    const model = tf.model({ inputs: input, outputs: b.apply(input) as tf.SymbolicTensor });
    const config = { ...vm.config, latentDim: 2, prior: { name: 'Unit_Normal', config: {} } };
    const artifacts = await saveToMemory({ ...vm, config, model, bottleneck: b, encoderLayers: [], decoderLayers: [] });
    const loaded = await loadVibModel(tf.io.fromMemory(artifacts), { registry: own });
    expect(loaded.bottleneck.vibConfig.prior.name).toBe('Unit_Normal');
    expect(loaded.bottleneck.vibConfig.controller.config).toEqual({ beta: 1, warmupSteps: 7 });
  });
});
