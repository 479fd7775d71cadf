import * as tf from '@tensorflow/tfjs';
import { StandardNormal, VibError } from '@vib/core';
import { z } from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../config/parse-experiment-config.js';
import { testRegistry } from '../testing/fixtures.js';
import { buildVibModel } from './build-vib-model.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Build a model whose prior, controller or task is a third party's plugin with a factory that returns the wrong thing. */
function build(kind: 'prior' | 'controller' | 'task', created: unknown): unknown {
  const registry = testRegistry();
  const base = { name: `bad-${kind}`, description: 'returns the wrong thing', configSchema: z.object({}), create: () => created };
  registry.register(kind as 'prior', (kind === 'prior' ? { ...base, posteriors: ['diagonal-gaussian'] } : base) as never);
  const config = parseExperimentConfig(
    { dataset: { name: 'toy' }, encoder: { hidden: [4] }, latentDim: 2, ...(kind === 'controller' ? {} : { beta: 0.01 }), [kind]: `bad-${kind}` },
    registry,
  );
  try {
    buildVibModel(config, registry, { inputShape: [3], numClasses: 2 }).model.dispose();
  } catch (e) {
    return e;
  }
  return null;
}

describe('what a plugin’s create returns is checked where it is called', () => {
  it('a prior whose create returns the distribution itself, not { distribution() }', () => {
    const e = build('prior', new StandardNormal(2)) as VibError;
    expect(VibError.isInstance(e) && e.code).toBe('E_INVALID_PLUGIN');
    expect(e.message).toBe('the prior plugin "bad-prior": create() returned what its users cannot call (distribution is missing (a function)): it must return an object with distribution (a function)');
  });

  it('a controller whose create returns nothing, or lacks its state methods', () => {
    expect((build('controller', undefined) as Error).message).toBe(
      'the controller plugin "bad-controller": create() returned what its users cannot call (it is nothing (undefined)): it must return an object with penalty (a function), update (a function), getState (a function), setState (a function)',
    );
    expect((build('controller', { penalty: () => tf.scalar(0), update: () => undefined }) as Error).message).toMatch(/\(getState is missing \(a function\); setState is missing \(a function\)\)/);
  });

  it('a task whose create returns an object without its decoder', () => {
    expect((build('task', { name: 'bad-task', metricNames: [], views: [] }) as Error).message).toMatch(/^the task plugin "bad-task": create\(\) returned what its users cannot call \(decoderLayers is missing \(a function\); predictionLayer is missing/);
  });
});

describe('a task whose decoder does not fit its targets', () => {
  it('is named, with both shapes and what to check, where tfjs would only say it cannot broadcast', async () => {
    const { classificationTask } = await import('../tasks/classification.js');
    const { train } = await import('../train/train.js');
    const { toyDataset } = await import('../testing/fixtures.js');
    const registry = testRegistry();
    // the classifier's decoder, one unit too wide for the one-hot targets of two classes
    registry.register('task', {
      ...classificationTask,
      name: 'narrow',
      create: (config: never, context: never) => {
        const t = classificationTask.create(config, context);
        return { ...t, name: 'narrow', decoderLayers: () => [tf.layers.dense({ units: 3 })] };
      },
    } as never);
    const config = parseExperimentConfig({ dataset: { name: 'toy' }, encoder: { hidden: [4] }, latentDim: 2, beta: 0.01, epochs: 1, batchSize: 50, task: 'narrow' }, registry);
    const err = await train({ config, registry, dataset: toyDataset(100, 20) }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(
      /^task "narrow": negLogLikelihood\(raw \[50, 3\], target \[50\]\) failed \(Operands could not be broadcast together with shapes 50,3 and 50,2\.\): check that the decoder's output width \(its last layer's units\) fits the targets the task builds$/,
    );
  });
});
