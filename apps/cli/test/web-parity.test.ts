import * as tf from '@tensorflow/tfjs';
import { createDefaultRegistry, presetConfig } from '@vib/kit';
import { parseExperimentConfig, type EpochMetrics } from '@vib/tasks';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemoDataset } from '../../web/src/engine/demo-data.js';
import { demoExperiment } from '../../web/src/engine/demo-experiment.js';
import { TrainingSession } from '../../web/src/engine/training-session.js';
import { loadDataset } from '../src/dataset-load.js';
import { trainWithProgress } from '../src/train-run.js';

const silent = { write: () => true };
const figures = ({ seconds: _s, ...rest }: EpochMetrics) => rest;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the CLI and the web demo give the same numbers for the same preset, seed and backend', () => {
  it('tishby-12bit, seed 0, cpu: every epoch figure agrees exactly', async () => {
    const registry = createDefaultRegistry();
    const sizes = { maxTrain: 512, maxTest: 128 };
    // web: the classifier panel's session on the preset (K = 3 as in the preset, standard normal prior)
    const webData = await loadDemoDataset(registry, 'tishby-12bit', sizes);
    const session = new TrainingSession(registry, webData, demoExperiment('tishby-12bit', { latentDim: 3, prior: 'standard-normal' }), 1e-4);
    await session.run(2);
    // CLI: `vib train --preset tishby-12bit --seed 0 --epochs 2` with the page's one-sample evaluation
    const config = parseExperimentConfig({ ...presetConfig('tishby-12bit'), epochs: 2, seed: 0, evalSamples: 1 }, registry);
    const cliData = await loadDataset(registry, config.dataset, { maxTrain: String(sizes.maxTrain), maxTest: String(sizes.maxTest) });
    const { result } = await trainWithProgress({ config, registry, dataset: cliData, backend: 'cpu', io: { stdout: silent, stderr: silent }, quiet: true });
    expect(session.history.map(figures)).toEqual(result.history.map(figures));
    expect(session.history[1]?.beta).toBe(1e-4);
    expect(session.model?.config.encoder.hidden).toEqual([10, 7, 5, 4]); // 12-10-7-5-4-3-2, as in the seeds
    session.dispose();
    result.model.model.dispose();
  });
});
