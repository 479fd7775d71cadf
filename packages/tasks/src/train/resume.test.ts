import * as tf from '@tensorflow/tfjs';
import { CheckpointError, ConfigError } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../config/parse-experiment-config.js';
import { testRegistry, toyDataset } from '../testing/fixtures.js';
import type { TrainCheckpoint } from './checkpoint.js';
import { configDiff } from './config-diff.js';
import { createTrainer } from './create-trainer.js';
import type { TypedTensorValues } from './serialized-tensor.js';
import { train } from './train.js';

const registry = testRegistry();
const dataset = toyDataset(100, 30);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const config = (extra: Record<string, unknown> = {}) =>
  parseExperimentConfig(
    { dataset: { name: 'toy' }, encoder: { hidden: [8] }, latentDim: 2, epochs: 2, batchSize: 20, seed: 3, evalSamples: 2, optimizer: { learningRate: 0.01, ema: { decay: 0.9 } }, beta: 0.01, ...extra },
    registry,
  );
const weightsOf = (r: { model: { model: tf.LayersModel } }) => r.model.model.getWeights().map((w) => Array.from(w.dataSync()));
const timeless = (h: readonly { seconds: number }[]) => h.map(({ seconds: _s, ...m }) => m);

describe('resume', () => {
  it('a checkpoint taken between two batches of an epoch resumes bitwise identical (weights, history, evaluation)', async () => {
    const full = await train({ config: config(), registry, dataset });
    let mid: TrainCheckpoint | undefined;
    await train({
      config: config(),
      registry,
      dataset,
      callbacks: {
        onBatchEnd: async (b, control) => {
          if (b.epoch === 2 && b.batch === 2) mid = JSON.parse(JSON.stringify(await control.saveCheckpoint())) as TrainCheckpoint;
        },
      },
    });
    expect(mid?.epochProgress?.batchesDone).toBe(2);
    const resumed = await train({ config: config(), registry, dataset, resumeFrom: mid! });
    expect(weightsOf(resumed)).toEqual(weightsOf(full));
    expect(timeless(resumed.history)).toEqual(timeless(full.history));
    expect(resumed.evaluation).toEqual(full.evaluation);
  });

  it("a typed checkpoint ({ values: 'typed' }) holds the JSON one's values bit for bit, and resumes to the same run without sharing its memory", async () => {
    const full = await train({ config: config(), registry, dataset });
    const a = await createTrainer({ config: config(), registry, dataset });
    await a.epoch();
    await a.step();
    await a.step();
    const plain = await a.checkpoint();
    const typedCp = await a.checkpoint({ values: 'typed' });
    const all = (cp: TrainCheckpoint<number[] | TypedTensorValues>) => [...cp.weights, ...cp.optimizer, ...(cp.ema ?? [])];
    expect(all(typedCp).length).toBeGreaterThan(4);
    expect(typedCp.ema?.length).toBeGreaterThan(0);
    for (const [t, p] of all(typedCp).map((t, i) => [t, all(plain)[i]!] as const)) {
      expect(t.values).toBeInstanceOf(t.dtype === 'int32' ? Int32Array : Float32Array);
      // the same float32 bits: compared as integers, so -0 and NaN count too
      const bits = (v: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(v).buffer));
      expect(bits(t.values)).toEqual(bits(p.values));
      expect([t.name, t.shape, t.dtype]).toEqual([p.name, p.shape, p.dtype]);
    }
    const { weights: _w, optimizer: _o, ema: _e, ...rest } = typedCp;
    const { weights: _pw, optimizer: _po, ema: _pe, ...plainRest } = plain;
    expect(rest).toEqual(plainRest);
    const b = await createTrainer({ config: config(), registry, dataset, resumeFrom: typedCp });
    // the resumed run owns its weights: overwriting the checkpoint's arrays afterwards changes nothing
    for (const t of all(typedCp)) t.values.fill(0);
    const resumed = await train({ config: config(), registry, dataset, resumeFrom: await b.checkpoint({ values: 'typed' }) });
    expect(weightsOf(resumed)).toEqual(weightsOf(full));
    expect(timeless(resumed.history)).toEqual(timeless(full.history));
    expect(resumed.evaluation).toEqual(full.evaluation);
  });

  it("train({ checkpoint: { values: 'typed' } }) and a callback's saveCheckpoint({ values: 'typed' }) give typed checkpoints that resume to the same run", async () => {
    const full = await train({ config: config(), registry, dataset });
    let mid: TrainCheckpoint<TypedTensorValues> | undefined;
    let end: TrainCheckpoint<TypedTensorValues> | undefined;
    const typed = await train({
      config: config(),
      registry,
      dataset,
      checkpoint: { values: 'typed' },
      callbacks: {
        onBatchEnd: async (b, control) => {
          if (b.epoch === 2 && b.batch === 2) mid = await control.saveCheckpoint({ values: 'typed' });
        },
        onEpochEnd: async (m, control) => {
          if (m.epoch === 1) end = await control.saveCheckpoint({ values: 'typed' });
        },
      },
    });
    // the returned checkpoint: the plain run's values, bit for bit, as Float32Arrays
    expect(typed.checkpoint.weights[0]?.values).toBeInstanceOf(Float32Array);
    const bits = (v: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(v).buffer));
    const tensors = (cp: TrainCheckpoint<number[] | TypedTensorValues>) => [...cp.weights, ...cp.optimizer, ...(cp.ema ?? [])];
    expect(tensors(typed.checkpoint).map((t) => bits(t.values))).toEqual(tensors(full.checkpoint).map((t) => bits(t.values)));
    expect(weightsOf(typed)).toEqual(weightsOf(full));
    // the callbacks' typed checkpoints resume to the uninterrupted run
    expect(mid?.weights[0]?.values).toBeInstanceOf(Float32Array);
    expect([mid?.epochProgress?.batchesDone, end?.epoch, end?.epochProgress ?? null]).toEqual([2, 1, null]);
    for (const cp of [mid!, end!]) {
      const resumed = await train({ config: config(), registry, dataset, resumeFrom: cp });
      expect(weightsOf(resumed)).toEqual(weightsOf(full));
      expect(timeless(resumed.history)).toEqual(timeless(full.history));
    }
  });

  it("refuses an unknown checkpoint form before training (train's option) and in a callback (saveCheckpoint), naming the call", async () => {
    let batches = 0;
    const early = await train({
      config: config(),
      registry,
      dataset,
      checkpoint: { values: 'binary' } as never,
      callbacks: { onBatchEnd: () => void batches++ },
    }).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(ConfigError);
    expect((early as Error).message).toBe(`train({ checkpoint: { values: "binary" } }): values must be 'json' (plain arrays, the default) or 'typed' (Float32Array/Int32Array, for binary files)`);
    expect((early as ConfigError).details['field']).toBe('checkpoint.values');
    expect(batches).toBe(0);
    // the form given as a bare string (plain JavaScript) is refused too, not read as "no option"
    const bare = await train({ config: config(), registry, dataset, checkpoint: 'typed' as never }).catch((e: unknown) => e);
    expect((bare as Error).message).toBe(`train({ checkpoint: "typed" }): checkpoint must be an object such as { values: 'typed' }, or nothing`);
    expect((bare as ConfigError).details['field']).toBe('checkpoint');
    const inCallback = await train({
      config: config(),
      registry,
      dataset,
      callbacks: { onEpochEnd: async (_m, control) => void (await control.saveCheckpoint('typed' as never)) },
    }).catch((e: unknown) => e);
    expect((inCallback as Error).message).toBe(`saveCheckpoint("typed"): options must be an object such as { values: 'typed' }, or nothing`);
  });

  it('checkpoint() refuses a values form it does not know, and a typed tensor of the wrong type or with NaN', async () => {
    const a = await createTrainer({ config: config({ epochs: 1 }), registry, dataset });
    await a.step();
    const err = await a.checkpoint({ values: 'binary' as 'typed' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(`checkpoint({ values: "binary" }): values must be 'json' (plain arrays, the default) or 'typed' (Float32Array/Int32Array, for binary files)`);
    // a form given as a bare string (plain JavaScript) is refused, not read as "no options"
    const bare = await a.checkpoint('typed' as never).catch((e: unknown) => e);
    expect((bare as Error).message).toBe(`checkpoint("typed"): options must be an object such as { values: 'typed' }, or nothing`);
    const cp = await a.checkpoint({ values: 'typed' });
    const w0 = cp.weights[0]!;
    const resume = (c: TrainCheckpoint<TypedTensorValues>) => createTrainer({ config: config({ epochs: 1 }), registry, dataset, resumeFrom: c }).catch((e: unknown) => e);
    const wrongType = await resume({ ...cp, weights: [{ ...w0, values: Int32Array.from(w0.values) }, ...cp.weights.slice(1)] });
    expect((wrongType as CheckpointError).message).toMatch(/^checkpoint tensor w0 is float32 but its values are an Int32Array: /);
    const nan = Float32Array.from(w0.values);
    nan[5] = Number.NaN;
    const withNaN = await resume({ ...cp, weights: [{ ...w0, values: nan }, ...cp.weights.slice(1)] });
    expect((withNaN as CheckpointError).message).toMatch(/^checkpoint tensor w0 holds NaN at index 5: /);
    const short = await resume({ ...cp, weights: [{ ...w0, values: w0.values.subarray(1) }, ...cp.weights.slice(1)] });
    expect((short as CheckpointError).details['rule']).toBe('shape');
  });

  it('refuses a checkpoint of another config, naming each differing field with both values', async () => {
    const first = await train({ config: config({ epochs: 1 }), registry, dataset });
    const err = await train({ config: config({ seed: 4, epochs: 1, batchSize: 10, optimizer: { learningRate: 0.02, ema: { decay: 0.9 } } }), registry, dataset, resumeFrom: first.checkpoint }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as CheckpointError).details['fields']).toEqual(['batchSize', 'optimizer.learningRate', 'seed']);
    expect((err as Error).message).toContain('seed (checkpoint 3, now 4)');
    const beta = await train({ config: config({ epochs: 1, beta: 0.5 }), registry, dataset, resumeFrom: first.checkpoint }).catch((e: unknown) => e);
    expect((beta as Error).message).toMatch(/controller\.config\.beta \(checkpoint 0\.01, now 0\.5\)/);
    const other = await train({ config: config({ epochs: 1 }), registry, dataset: toyDataset(90, 30), resumeFrom: first.checkpoint }).catch((e: unknown) => e);
    expect((other as CheckpointError).details['rule']).toBe('data');
  });

  it('refuses NaN (null in JSON), ±Infinity and short tensors instead of restoring them as 0', async () => {
    const first = await train({ config: config({ epochs: 1 }), registry, dataset });
    const cp = JSON.parse(JSON.stringify(first.checkpoint)) as TrainCheckpoint;
    const bad = (f: (c: TrainCheckpoint) => void) => {
      const c = structuredClone(cp);
      f(c);
      return JSON.parse(JSON.stringify(c)) as TrainCheckpoint;
    };
    const cases = [
      bad((c) => { c.weights[0]!.values[3] = Number.NaN; }),
      bad((c) => { c.optimizer[1]!.values[0] = Number.POSITIVE_INFINITY; }),
      bad((c) => { c.weights[1]!.values.pop(); }),
      bad((c) => { (c.controllerState as Record<string, number>)['beta'] = Number.NaN; }),
    ];
    for (const c of cases) {
      const err = await train({ config: config({ epochs: 1 }), registry, dataset, resumeFrom: c }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CheckpointError);
    }
  });

  it('a checkpoint whose warm-up state still holds β (as written before β was derived) resumes to the uninterrupted run', async () => {
    const warm = { beta: undefined, controller: { name: 'warmup', config: { beta: 0.05, warmupSteps: 7 } } };
    const full = await train({ config: config(warm), registry, dataset });
    const first = await train({ config: config({ ...warm, epochs: 1 }), registry, dataset });
    const cp = JSON.parse(JSON.stringify(first.checkpoint)) as TrainCheckpoint;
    expect(cp.controllerState).toEqual({ step: 5 }); // 100 examples in batches of 20: only the step is saved
    const old = { ...cp, controllerState: { beta: (0.05 * 5) / 7, step: 5 } };
    const resumed = await train({ config: config(warm), registry, dataset, resumeFrom: old, resumeAllow: ['epochs'] });
    expect(timeless(resumed.history)).toEqual(timeless(full.history));
    expect(weightsOf(resumed)).toEqual(weightsOf(full));
  });

  it('configDiff lists nested differences and one-sided keys', () => {
    expect(configDiff({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] }, d: 0 })).toEqual(['b.c.1', 'd']);
    expect(configDiff({ a: 1 }, { a: 1 })).toEqual([]);
  });
});

describe('training labels', () => {
  it('refuses a one-class training split (labels all 1 make numClasses 2 but teach nothing)', async () => {
    const one = toyDataset(40, 10);
    one.train.y.fill(1);
    const err = await train({ config: config({ epochs: 1 }), registry, dataset: one }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('toy: the training split has only label 1: classification needs at least two classes; check the label column, or use the reconstruction task');
  });

  it('names the split of a label outside the classes: a test label 7 of 2 classes is refused before training, as a test label', async () => {
    const bad = toyDataset(40, 10);
    bad.test.y[3] = 7;
    const err = await train({ config: config({ epochs: 1 }), registry, dataset: bad }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('toy: test label 7 (example 3) is outside the 2 classes 0..1: fix the label, or the dataset\'s numClasses');
  });
});
