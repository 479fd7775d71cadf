import * as tf from '@tensorflow/tfjs';
import type { DataSplit } from '@vib/core';
import { decode, hidden } from '../model/forward.js';
import type { VibModel } from '../model/vib-model.js';
import type { TaskScores } from '../tasks/task-plugin.js';
import { averageLogProbs } from './average-log-probs.js';
import { checkSplitForModel, gatherBatch, ranges, span } from './split-batches.js';

/** Scores of one way of predicting: the task's metrics and −log-likelihood. */
export interface PredictionScores extends TaskScores {
  /** The task's `accuracy` metric when it has one (classification), else null. */
  readonly accuracy: number | null;
}

/** What {@link evaluate} returns. */
export interface EvaluationResult {
  /** Examples evaluated. */
  readonly n: number;
  /** Using the mean code (ε = 0). */
  readonly mean: PredictionScores;
  /** Using one sampled code per example. */
  readonly oneSample: PredictionScores;
  /** Averaging q(y|z_s) over S sampled codes (log-sum-exp of log-probabilities minus log S). */
  readonly multiSample: PredictionScores & { readonly samples: number };
  /** Mean KL(p(z|x) ‖ r(z)) over the split, nats. */
  readonly rateNats: number;
  /** Whether the rate is a closed form (true) or a Monte Carlo estimate (false). */
  readonly rateExact: boolean;
}

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** S, the number of codes averaged (default the config's `evalSamples`). */
  readonly samples?: number;
  /** Examples per forward pass (default 500). */
  readonly batchSize?: number;
  /** Seed for the sampled codes. */
  readonly seed?: number;
}

function add(into: number[], values: ArrayLike<number>, from: number, count: number): void {
  for (let i = 0; i < count; i++) into[i] = (into[i] ?? 0) + (values[from + i] ?? NaN);
}

function scores(vm: VibModel, totals: readonly number[], n: number): PredictionScores {
  const metrics: Record<string, number> = {};
  vm.task.metricNames.forEach((name, i) => (metrics[name] = (totals[i + 1] ?? NaN) / n));
  return { nllNats: (totals[0] ?? NaN) / n, metrics, accuracy: metrics['accuracy'] ?? null };
}

/**
 * Evaluate a model on a split three ways: the mean code, one sampled code, and S sampled codes
 * averaged in probability space (Alemi et al. 2017 report the 12-sample average). Each batch's figures
 * are read back at once, asynchronously (webgpu in Node has no synchronous read).
 * @param vm - the model
 * @param split - the data
 * @param options - S, batch size, seed
 * @returns the task's metrics and −log-likelihood per way, the rate, and whether the rate is exact
 * @example
 * ```ts
 * const r = await evaluate(vm, dataset.test, { samples: 12 });
 * r.multiSample.accuracy;
 * ```
 */
export async function evaluate(vm: VibModel, split: DataSplit, options: EvaluateOptions = {}): Promise<EvaluationResult> {
  checkSplitForModel(vm, split, 'evaluate()');
  return evaluateCheckedSplit(vm, split, options);
}

/**
 * {@link evaluate} without its check of the split: for a caller that checked it already, as the trainer checks its
 * dataset once at the start and then evaluates the same test split after every epoch. Not exported by the package.
 * @param vm - the model
 * @param split - the data, already checked against the model
 * @param options - S, batch size, seed
 * @returns what {@link evaluate} returns
 */
export async function evaluateCheckedSplit(vm: VibModel, split: DataSplit, options: EvaluateOptions = {}): Promise<EvaluationResult> {
  const s = options.samples ?? vm.config.evalSamples;
  const mean: number[] = [];
  const one: number[] = [];
  const multi: number[] = [];
  let kl = 0;
  let rateExact = true;
  let batch = 0;
  for (const [start, end] of ranges(split.n, options.batchSize ?? 500)) {
    const seed = options.seed === undefined ? undefined : options.seed + 104729 * batch++;
    const figures = tf.tidy(() => {
      const { x, y, values } = gatherBatch(split, vm.inputShape, span(start, end));
      const target = vm.task.targets(x, y, values);
      const posterior = vm.bottleneck.posterior(hidden(vm, x));
      const r = vm.bottleneck.rateKL(posterior, {
        samples: vm.config.klSamples,
        ...(seed === undefined ? {} : { seed }),
      });
      rateExact &&= r.exact;
      // [Σ −log q, Σ metric...] of each way of predicting, then Σ KL
      const rawMean = decode(vm, posterior.mean());
      const rawS = decode(vm, posterior.sample(s, seed)); // [S, B, O]
      const logq = vm.task.logLikelihoods(rawS, target);
      const rawOne = (): tf.Tensor => tf.squeeze(tf.slice(rawS, [0], [1]), [0]);
      return tf.concat([
        vm.task.scoreSums(vm.task.logLikelihoods(rawMean, target), target, { samples: 1, prediction: () => vm.task.predict(rawMean) }),
        vm.task.scoreSums(tf.squeeze(tf.slice(logq, [0], [1]), [0]), target, { samples: 1, prediction: () => vm.task.predict(rawOne()) }),
        vm.task.scoreSums(averageLogProbs(logq), target, { samples: s, prediction: () => tf.mean(vm.task.predict(rawS), 0) }),
        tf.reshape(tf.sum(r.total), [1]),
      ]);
    });
    const values = await figures.data();
    figures.dispose();
    const w = (values.length - 1) / 3;
    add(mean, values, 0, w);
    add(one, values, w, w);
    add(multi, values, 2 * w, w);
    kl += values[3 * w] ?? NaN;
    await tf.nextFrame();
  }
  const n = Math.max(split.n, 1);
  return {
    n: split.n,
    mean: scores(vm, mean, n),
    oneSample: scores(vm, one, n),
    multiSample: { samples: s, ...scores(vm, multi, n) },
    rateNats: kl / n,
    rateExact,
  };
}
