import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, VibError } from '@vib/core';
import type { Task, TaskContext, TaskPlugin } from '../tasks/task-plugin.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedController } from '@vib/layers';
import { parseExperimentConfig } from '../config/parse-experiment-config.js';
import { testRegistry, toyDataset } from '../testing/fixtures.js';
import { createTrainer } from './create-trainer.js';
import type { TrainCheckpoint } from './checkpoint.js';
import type { EpochSoFar } from './train-types.js';
import type { EpochMetrics } from './epoch-metrics.js';
import { train } from './train.js';

const registry = testRegistry();
const dataset = toyDataset(100, 40);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const config = (extra: Record<string, unknown> = {}) =>
  parseExperimentConfig(
    { dataset: { name: 'toy' }, encoder: { hidden: [8] }, latentDim: 2, epochs: 2, batchSize: 25, seed: 3, evalSamples: 2, optimizer: { learningRate: 0.01 }, beta: 0.01, ...extra },
    registry,
  );

/** Metrics without the wall-clock time, which is the only figure allowed to differ. */
const figures = (m: EpochMetrics | undefined) => {
  const { seconds: _seconds, ...rest } = m as EpochMetrics;
  return rest;
};

describe('createTrainer', () => {
  it('changing β between epochs gives exactly what a checkpoint round trip with the new β gave', async () => {
    const trainer = await createTrainer({ config: config(), registry, dataset });
    await trainer.epoch();
    trainer.setBeta(0.5);
    const second = await trainer.epoch();
    // the old way (what the web demo did): train epoch 1, then resume from its checkpoint with β = 0.5
    const first = await train({ config: config({ epochs: 1 }), registry, dataset });
    const cp = first.checkpoint;
    const resumed = await train({
      config: config({ epochs: 2, beta: 0.5 }),
      registry,
      dataset,
      resumeFrom: { ...cp, controllerState: { beta: 0.5 } },
      resumeAllow: ['epochs', 'controller'],
    });
    expect(second.completed && figures(second.metrics)).toEqual(figures(resumed.history[1]));
    expect(second.completed && second.metrics.beta).toBe(0.5);
    expect(trainer.config.controller).toEqual({ name: 'fixed', config: { beta: 0.5 } });
    expect(JSON.parse(String(trainer.model.bottleneck.getConfig()['vib'])).controller.config.beta).toBe(0.5);
  });

  it("reports the epoch's running training means with each batch, weighted by examples, ending at the epoch's figures", async () => {
    // 100 examples in batches of 30: the last has 10, so a plain mean of the batch losses would differ from the epoch's
    const trainer = await createTrainer({ config: config({ batchSize: 30 }), registry, dataset });
    const seen: { loss: number; soFar: EpochSoFar }[] = [];
    const out = await trainer.epoch({ onBatchEnd: (b) => void seen.push({ loss: b.loss, soFar: b.epochSoFar }) });
    if (!out.completed) throw new Error('the epoch did not complete');
    const m = out.metrics;
    const [b1, b2, b3, b4] = seen.map((s) => s.loss) as [number, number, number, number];
    expect(seen.map((s) => s.soFar.examples)).toEqual([30, 60, 90, 100]);
    expect(seen[0]?.soFar.loss).toBeCloseTo(b1, 12);
    expect(seen[1]?.soFar.loss).toBeCloseTo((b1 + b2) / 2, 12);
    expect(seen[3]?.soFar.loss).toBeCloseTo((30 * (b1 + b2 + b3) + 10 * b4) / 100, 10);
    expect(Math.abs((seen[3]?.soFar.loss ?? 0) - (b1 + b2 + b3 + b4) / 4)).toBeGreaterThan(1e-9);
    // the last batch's running means are the epoch's training figures
    const end = seen[3]?.soFar;
    expect(end?.loss).toBe(m.loss);
    expect(end?.rateBits).toBe(m.rateBits);
    expect(end?.rateExact).toBe(m.rateExact);
    expect(end?.metrics['accuracy']).toBe(m.trainAccuracy);
    expect(m.rateBits).toBeGreaterThan(0);
  });

  it('pausing mid-epoch and continuing gives the uninterrupted epoch', async () => {
    const a = await createTrainer({ config: config(), registry, dataset });
    const stop = new AbortController();
    const paused = await a.epoch({ signal: stop.signal, onBatchEnd: (b) => (b.batch === 2 ? stop.abort() : undefined) });
    expect(paused.completed).toBe(false);
    expect(a.midEpoch).toBe(true);
    // a checkpoint between two batches resumes the same epoch
    const mid = JSON.parse(JSON.stringify(await a.checkpoint())) as TrainCheckpoint;
    const c = await createTrainer({ config: config(), registry, dataset, resumeFrom: mid });
    expect(c.midEpoch).toBe(true);
    const restC = await c.epoch();
    const rest = await a.epoch();
    expect(restC.completed && figures(restC.metrics)).toEqual(rest.completed && figures(rest.metrics));
    const b = await createTrainer({ config: config(), registry, dataset });
    const whole = await b.epoch();
    expect(rest.completed && figures(rest.metrics)).toEqual(whole.completed && figures(whole.metrics));
    expect(a.stepsDone).toBe(4);
  });

  it('train() is the loop over it: same metrics and weights as driving step() and endEpoch() by hand', async () => {
    const looped = await train({ config: config(), registry, dataset });
    const t = await createTrainer({ config: config(), registry, dataset });
    for (let e = 0; e < 2; e++) {
      while (!t.epochStepsDone) await t.step();
      await t.endEpoch();
    }
    const ev = await t.finish();
    expect(t.history.map(figures)).toEqual(looped.history.map(figures));
    expect(ev).toEqual(looped.evaluation);
    await expect(t.step()).rejects.toThrow(/finished/);
  });

  it("draws every evaluation's codes from the run's seed: finish() gives the last epoch's figures, without a second pass", async () => {
    // a test split that counts its reads: an evaluation reads x once per batch
    let reads = 0;
    const { x } = dataset.test;
    const counted = { ...dataset, test: { ...dataset.test, get x() {
      reads += 1;
      return x;
    } } };
    const t = await createTrainer({ config: config({ evalSamples: 3, optimizer: { learningRate: 0.01, ema: { decay: 0.9 } } }), registry, dataset: counted });
    await t.epoch();
    const second = await t.epoch();
    const last = second.completed ? second.metrics : undefined;
    const before = reads;
    const ev = await t.finish();
    expect(reads).toBe(before);
    expect(ev.multiSample.accuracy).toBe(last?.testSampledAccuracy);
    expect(ev.mean.nllNats).toBe(last?.testLoss);
    // and the codes are those of an evaluation of the same weights with the run's seed, as `vib eval` draws them
    const again = await createTrainer({ config: config({ evalSamples: 3, optimizer: { learningRate: 0.01, ema: { decay: 0.9 } } }), registry, dataset });
    await again.epoch();
    await again.epoch();
    expect(await again.evaluate({ samples: 3, seed: 3 })).toEqual(ev);
    expect(await again.evaluate({ samples: 3, seed: 4 })).not.toEqual(ev);
  });

  it("refuses a split longer than the config's subset, naming it and what to do; a split within it trains", async () => {
    const long = createTrainer({ config: config({ subset: { maxTrain: 60 } }), registry, dataset });
    await expect(long).rejects.toThrow(ConfigError);
    await expect(long).rejects.toThrow('toy: the training split has 100 examples, but the config\'s subset.maxTrain is 60: load the dataset with { maxTrain: 60 }, or remove subset.maxTrain from the config');
    await expect(createTrainer({ config: config({ subset: { maxTest: 39 } }), registry, dataset })).rejects.toThrow(/the test split has 40 examples, but the config's subset.maxTest is 39/);
    const t = await createTrainer({ config: config({ subset: { maxTrain: 100, maxTest: 1000 } }), registry, dataset });
    expect((await t.epoch()).completed).toBe(true);
  });

  it('finish() evaluates afresh when steps ran after the last epoch', async () => {
    const t = await createTrainer({ config: config(), registry, dataset });
    const first = await t.epoch();
    await t.step();
    const now = await t.evaluate({ samples: 2, seed: 3 });
    const ev = await t.finish();
    expect(ev).toEqual(now);
    expect(ev.mean.nllNats).not.toBe(first.completed ? first.metrics.testLoss : undefined);
  });

  it('rejects a bad β and a config controller error names the field', async () => {
    const t = await createTrainer({ config: config({ epochs: 1 }), registry, dataset });
    expect(() => t.setBeta(-1)).toThrow(ConfigError);
    expect(() => t.setController({ name: 'fixed', config: { beta: -2 } })).toThrow(/controller\.config\.beta/);
    await expect(t.endEpoch()).rejects.toSatisfy((e: unknown) => VibError.isInstance(e));
  });
});

describe("a third party's controller", () => {
  it('is refused when it leaves β NaN, naming itself and the epoch (the NaN was recorded as the epoch\'s β)', async () => {
    const own = testRegistry();
    own.register('controller', {
      ...fixedController,
      name: 'drifting',
      create(c) {
        let beta = c.beta;
        return {
          penalty: (kl: tf.Scalar) => tf.tidy(() => tf.mul(kl, 0) as tf.Scalar),
          update: () => void (beta = Number.NaN),
          get beta() {
            return beta;
          },
          getState: () => ({ beta }),
          setState: () => undefined,
        };
      },
    });
    const cfg = parseExperimentConfig({ dataset: { name: 'toy' }, encoder: { hidden: [8] }, latentDim: 2, epochs: 1, batchSize: 50, controller: { name: 'drifting', config: { beta: 0.1 } } }, own);
    const e = (await train({ config: cfg, registry: own, dataset }).catch((err: unknown) => err)) as Error;
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toBe('the controller "drifting" set β to NaN by the end of epoch 1: a controller must keep β a finite number ≥ 0');
  });

  it("refuses a task whose negLogLikelihood returns [B, 1] (it broadcast into the loss and the I(Z;Y) bound)", async () => {
    const own = testRegistry();
    const cls = own.get('task', 'classification') as TaskPlugin;
    own.register('task', {
      ...cls,
      name: 'wide-nll',
      create(c: unknown, ctx: TaskContext) {
        const t = cls.create(c, ctx);
        return Object.assign(Object.create(t) as Task, { name: 'wide-nll', negLogLikelihood: (raw: tf.Tensor, target: tf.Tensor) => tf.expandDims(t.negLogLikelihood(raw, target), -1) });
      },
    });
    const cfg = parseExperimentConfig({ dataset: { name: 'toy' }, task: { name: 'wide-nll' }, encoder: { hidden: [8] }, latentDim: 2, epochs: 1, batchSize: 50 }, own);
    const e = (await train({ config: cfg, registry: own, dataset }).catch((err: unknown) => err)) as Error;
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe('task "wide-nll": negLogLikelihood returned shape [50, 1] for codes of shape [50, 2]: it must return one value per code, [50]');
  });

  it('names the controller when its penalty is NaN while the task loss and the KL are finite (the advice was about inputs)', async () => {
    const own = testRegistry();
    own.register('controller', {
      ...fixedController,
      name: 'broken-penalty',
      create(c) {
        const inner = fixedController.create(c);
        return Object.assign(Object.create(inner) as typeof inner, { penalty: (kl: tf.Scalar) => tf.tidy(() => tf.mul(kl, Number.NaN) as tf.Scalar) });
      },
    });
    const cfg = parseExperimentConfig({ dataset: { name: 'toy' }, encoder: { hidden: [8] }, latentDim: 2, epochs: 1, batchSize: 50, controller: { name: 'broken-penalty', config: { beta: 0.1 } } }, own);
    const e = (await train({ config: cfg, registry: own, dataset }).catch((err: unknown) => err)) as Error;
    expect(e.name).toBe('NonFiniteLossError');
    expect(e.message).toMatch(/^loss became NaN at epoch 1, batch 1 of 2 \(task loss [\d.]+, KL [\d.e-]+ nats\): the task loss and the KL are finite, so the rate term of the controller "broken-penalty" \(its penalty\) is not: check that controller$/);
  });
});
