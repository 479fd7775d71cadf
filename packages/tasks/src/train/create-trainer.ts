import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '@vib/core';
import { checkDataset, ConfigError, SeededRandom, VibError, information, showValue } from '@vib/core';
import { evaluate, evaluateCheckedSplit, type EvaluationResult } from '../evaluate/evaluate.js';
import { buildVibModel } from '../model/build-vib-model.js';
import type { VibModel } from '../model/vib-model.js';
import type { ExperimentConfig } from '../config/experiment-config.js';
import { batchSource } from './batch-source.js';
import { WeightAverage } from './ema.js';
import type { EpochMetrics } from './epoch-metrics.js';
import { checkMonitor, monitoredValue } from './monitor.js';
import { learningRateAt } from './learning-rate.js';
import { checkTrainingLabels } from './check-labels.js';
import { dataFingerprint } from './data-fingerprint.js';
import { captureCheckpoint, checkpointForm, restoreCheckpoint, type RunPosition } from './train-state.js';
import { emptySums, epochSoFar, trainStep, type EpochSums } from './train-step.js';
import type { CheckpointOptions, EpochOutcome, Trainer, TrainerOptions } from './trainer-types.js';

/** The epoch under way: its shuffled order, the next batch, the running sums. */
interface EpochCursor {
  /** The shuffling generator's state before this epoch's permutation (a checkpoint redraws it from here). */
  readonly rngStateAtStart: number;
  readonly order: Int32Array | Uint32Array;
  readonly learningRate: number;
  readonly started: number;
  next: number;
  readonly sums: EpochSums;
}

function trainableVariables(vm: VibModel): tf.Variable[] {
  return vm.model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read());
}

function improved(value: number, best: number | null, mode: 'min' | 'max', minDelta: number): boolean {
  if (best === null) return true;
  return mode === 'min' ? value < best - minDelta : value > best + minDelta;
}

function notDone(what: string): VibError {
  return new VibError('E_EPOCH_NOT_DONE', `${what}: an epoch is under way; finish it with epoch() (or step() until epochStepsDone, then endEpoch())`);
}

/**
 * Refuse a dataset longer than the config's `subset` says the run uses: its figures would be measured on other data
 * than the config records.
 * @param config - the config
 * @param dataset - the data
 * @throws {@link ConfigError} naming the split, its length and the bound
 */
function checkSubset(config: ExperimentConfig, dataset: Dataset): void {
  for (const [key, split, which] of [['maxTrain', dataset.train, 'training'], ['maxTest', dataset.test, 'test']] as const) {
    const max = config.subset?.[key];
    if (max !== undefined && split.n > max) {
      throw new ConfigError(`${dataset.name}: the ${which} split has ${split.n} examples, but the config's subset.${key} is ${max}: load the dataset with { ${key}: ${max} }, or remove subset.${key} from the config`, {
        details: { field: `subset.${key}`, value: max, examples: split.n },
      });
    }
  }
}

/**
 * Create an open training run: the model is built (seeded from `config.seed`), Adam is set up, and a
 * checkpoint is restored when given. Drive it with `epoch()` (or `step()` … `endEpoch()`); change β
 * or the controller between steps; read `model` whenever; call `finish()` at the end.
 * @param options - config, registry, dataset and an optional checkpoint to resume from
 * @returns the trainer
 * @throws {@link CheckpointError} when `resumeFrom` does not match the config
 * @example
 * ```ts
 * const trainer = await createTrainer({ config, registry, dataset });
 * await trainer.epoch();
 * trainer.setBeta(1e-2);
 * const { metrics } = await trainer.epoch();
 * ```
 */
export async function createTrainer(options: TrainerOptions): Promise<Trainer> {
  const { registry, dataset } = options;
  // a dataset built in code (or by a plugin) is checked whole before a weight is made: a short x is never read as zeros
  checkDataset(dataset);
  let config: ExperimentConfig = options.config;
  checkSubset(config, dataset);
  const stepsPerEpoch = Math.ceil(dataset.train.n / config.batchSize);
  const vm = buildVibModel(config, registry, dataset, { stepsPerEpoch });
  checkTrainingLabels(vm.task.metricNames.includes('accuracy'), dataset);
  if (config.earlyStopping !== undefined) checkMonitor(config.earlyStopping.monitor, vm.task);
  const data = dataFingerprint(dataset);
  const vars = trainableVariables(vm);
  const { learningRate, beta1, beta2, epsilon } = config.optimizer;
  const optimizer = tf.train.adam(learningRate, beta1, beta2, epsilon);
  const ema = config.optimizer.ema === undefined ? null : new WeightAverage(vars, config.optimizer.ema.decay);
  let pos: RunPosition = { epoch: 0, step: 0, rngState: config.seed, history: [], best: null, wait: 0 };
  if (options.resumeFrom !== undefined) pos = await restoreCheckpoint(options.resumeFrom, vm, optimizer, ema, data, options.resumeAllow);
  // on a GPU backend the training split stays on the device for the whole run
  const source = batchSource(dataset.train, vm.inputShape);
  const startEpoch = (rngStateAtStart: number): EpochCursor => {
    const rng = new SeededRandom(rngStateAtStart);
    const order = rng.permutation(dataset.train.n);
    pos.rngState = rng.state;
    const learningRate = learningRateAt(config.optimizer, pos.epoch);
    (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
    source.beginEpoch(order);
    return { rngStateAtStart, order, learningRate, started: performance.now(), next: 0, sums: emptySums() };
  };
  let cursor: EpochCursor | null = null;
  if (pos.partial) {
    // resumed between two batches: the same permutation, the batches done, the running sums
    cursor = { ...startEpoch(pos.partial.rngStateAtStart), next: pos.partial.batchesDone, sums: structuredClone(pos.partial.sums) };
  }
  let finished = false;
  let stepping = false;

  const live = (what: string) => {
    if (finished) throw new VibError('E_TRAINER_FINISHED', `${what}: the trainer has finished; create a new one to train more`);
  };
  const withEma = async <T>(fn: () => Promise<T>): Promise<T> => {
    ema?.swap();
    try {
      return await fn();
    } finally {
      ema?.swap();
    }
  };
  const totalSteps = () => stepsPerEpoch * Math.max(config.epochs, pos.epoch + 1);

  /**
   * The test evaluation of the live weights: `evalSamples` codes drawn from `config.seed` at every epoch and at the
   * end, so that the last epoch's figures and the final ones agree (common random numbers also make two epochs'
   * sampled figures differ by the weights alone). The test split was checked with the dataset when the trainer was
   * made: not again after every epoch.
   */
  const evaluateTest = (): Promise<EvaluationResult> => evaluateCheckedSplit(vm, dataset.test, { samples: config.evalSamples, seed: config.seed });
  /** The last epoch's evaluation and the step it was made at: `finish` takes it when no step has run since. */
  let lastEvaluation: { step: number; result: EvaluationResult } | null = null;

  const closeEpoch = async (c: EpochCursor): Promise<EpochOutcome & { completed: true }> => {
    const epoch = pos.epoch + 1;
    const test = await withEma(evaluateTest);
    lastEvaluation = { step: pos.step, result: test };
    const s = c.sums;
    const n = Math.max(s.examples, 1);
    const soFar = epochSoFar(s, vm.task.metricNames);
    const trainMetrics = { ...soFar.metrics };
    const taskLoss = s.taskLoss / n;
    const figures = vm.task.epochFigures({ trainNllNats: taskLoss, trainMetrics, test: test.mean, trainSplit: dataset.train, numClasses: dataset.numClasses });
    const rate = information(s.kl / n);
    // held-out figures: the test rate, and the task's I(Z;Y) bound from the test loss with one sampled code per example
    const testIzy = vm.task.epochFigures({ trainNllNats: test.oneSample.nllNats, trainMetrics: {}, test: test.mean, trainSplit: dataset.test, numClasses: dataset.numClasses }).izy;
    const controller = vm.bottleneck.controller;
    // a third party's controller is held to what setBeta asks of a caller: a NaN β would be recorded as the epoch's
    if (!Number.isFinite(controller.beta) || controller.beta < 0) {
      throw new ConfigError(`the controller "${config.controller.name}" set β to ${showValue(controller.beta)} by the end of epoch ${epoch}: a controller must keep β a finite number ≥ 0`, {
        details: { field: 'beta', value: controller.beta, epoch },
      });
    }
    const metrics: EpochMetrics = {
      epoch,
      loss: soFar.loss,
      taskLoss,
      trainAccuracy: figures.trainAccuracy,
      testAccuracy: figures.testAccuracy,
      testSampledAccuracy: test.multiSample.accuracy,
      testLoss: test.mean.nllNats,
      reconstructionNats: figures.reconstructionNats,
      rateNats: rate.nats,
      rateBits: rate.bits,
      rateExact: s.rateExact,
      izyNats: figures.izy?.nats ?? null,
      izyBits: figures.izy?.bits ?? null,
      testRateBits: information(test.rateNats).bits,
      testIzyBits: testIzy?.bits ?? null,
      beta: controller.beta,
      controllerState: vm.bottleneck.saveControllerState(),
      klPerDimNats: s.klPerDim === null ? null : s.klPerDim.map((v) => v / n),
      trainTaskMetrics: trainMetrics,
      testTaskMetrics: { ...test.mean.metrics },
      learningRate: c.learningRate,
      seconds: (performance.now() - c.started) / 1000,
    };
    cursor = null;
    pos.epoch = epoch;
    pos.history.push(metrics);
    let earlyStop = false;
    const es = config.earlyStopping;
    if (es !== undefined) {
      const value = monitoredValue(metrics, es.monitor);
      if (typeof value === 'number' && improved(value, pos.best, es.mode, es.minDelta)) {
        pos.best = value;
        pos.wait = 0;
      } else if (++pos.wait >= es.patience) {
        earlyStop = true;
      }
    }
    return { completed: true, metrics, earlyStop };
  };

  const trainer: Trainer = {
    model: vm,
    get config() {
      return config;
    },
    get history() {
      return pos.history;
    },
    get epochsDone() {
      return pos.epoch;
    },
    get stepsDone() {
      return pos.step;
    },
    stepsPerEpoch,
    get midEpoch() {
      return cursor !== null;
    },
    get epochStepsDone() {
      return cursor !== null && cursor.next >= stepsPerEpoch;
    },
    async step() {
      live('step');
      if (stepping) throw new VibError('E_STEP_BUSY', 'step: the previous step has not finished; await it before the next');
      if (cursor !== null && cursor.next >= stepsPerEpoch) throw new VibError('E_EPOCH_DONE', 'step: the epoch has taken all its steps; call endEpoch() first');
      if (cursor === null) cursor = startEpoch(pos.rngState);
      const c = cursor;
      const b = c.next;
      const where = { epoch: pos.epoch + 1, batch: b + 1, batches: stepsPerEpoch };
      const batch = source.batch(b * config.batchSize, Math.min(dataset.train.n, (b + 1) * config.batchSize));
      stepping = true;
      let result: { loss: number; klNats: number };
      try {
        result = await trainStep(batch, { vm, optimizer, vars, seed: config.seed, step: pos.step, where }, c.sums);
      } finally {
        stepping = false;
      }
      const { loss, klNats } = result;
      vm.bottleneck.controller.update({ klNats, step: pos.step, totalSteps: totalSteps(), stepsPerEpoch });
      ema?.update(pos.step);
      pos.step += 1;
      c.next += 1;
      return { ...where, loss, epochSoFar: epochSoFar(c.sums, vm.task.metricNames) };
    },
    async endEpoch() {
      live('endEpoch');
      if (cursor === null || cursor.next < stepsPerEpoch) throw notDone('endEpoch');
      return closeEpoch(cursor);
    },
    async epoch(epochOptions = {}) {
      live('epoch');
      // `while`, not `do`: a run resumed after the epoch's last step only has the epoch to close
      while (!trainer.epochStepsDone) {
        const info = await trainer.step();
        await epochOptions.onBatchEnd?.(info);
        await tf.nextFrame();
        if (epochOptions.signal?.aborted === true && !trainer.epochStepsDone) return { completed: false };
      }
      return closeEpoch(cursor as unknown as EpochCursor);
    },
    evaluate(evalOptions = {}, split = dataset.test) {
      live('evaluate');
      return withEma(() => evaluate(vm, split, evalOptions));
    },
    setBeta(beta) {
      if (!Number.isFinite(beta) || beta < 0) {
        throw new ConfigError(`setBeta: β must be a finite number ≥ 0, got ${showValue(beta)}`, { details: { field: 'beta', value: beta } });
      }
      trainer.setController({ name: 'fixed', config: { beta } });
    },
    setController(ref) {
      live('setController');
      vm.bottleneck.setController(ref);
      const { controller } = vm.bottleneck.vibConfig;
      config = { ...config, controller: { name: controller.name, config: controller.config } };
      (vm as { config: ExperimentConfig }).config = config;
    },
    // one implementation of the three overloads: `values` picks the form that the overload's return type names
    checkpoint: (async (options?: CheckpointOptions) => {
      live('checkpoint');
      const c: EpochCursor | null = cursor;
      pos.partial = c === null ? null : { rngStateAtStart: c.rngStateAtStart, batchesDone: c.next, sums: structuredClone(c.sums) };
      return captureCheckpoint(vm, optimizer, ema, pos, data, checkpointForm(options));
    }) as Trainer['checkpoint'],
    async finish() {
      live('finish');
      finished = true;
      source.dispose();
      if (ema !== null) {
        ema.swap();
        ema.dispose();
      }
      optimizer.dispose();
      // the same weights, codes and seed as the last epoch's evaluation: the same figures, without a second pass
      if (lastEvaluation !== null && lastEvaluation.step === pos.step) return lastEvaluation.result;
      return evaluateTest();
    },
  };
  return trainer;
}


