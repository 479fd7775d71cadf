import * as tf from '@tensorflow/tfjs';
import type { DataSplit } from '@vib/core';
import { decode, hidden } from '../model/forward.js';
import type { VibModel } from '../model/vib-model.js';
import { averageLogProbs } from './average-log-probs.js';
import { gatherBatch, ranges, span } from './split-batches.js';

/** Scores of one way of predicting. */
export interface PredictionScores {
  /** Fraction of correct labels (classification), else null. */
  readonly accuracy: number | null;
  /** Mean −log q(y|x) in nats, with q averaged over the samples in probability space. */
  readonly nllNats: number;
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

/** Log q(y|z) of every class [.., B, C] (classification) or −nll [.., B, 1] (reconstruction). */
function logLik(vm: VibModel, raw: tf.Tensor, target: tf.Tensor): tf.Tensor {
  if (vm.task.kind === 'classification') return tf.logSoftmax(raw);
  return tf.expandDims(tf.neg(vm.task.negLogLikelihood(raw, target)), -1);
}

function score(vm: VibModel, logq: tf.Tensor, y: tf.Tensor): [number, number] {
  return tf.tidy(() => {
    if (vm.task.kind !== 'classification') return [0, tf.sum(tf.neg(tf.squeeze(logq, [-1]))).dataSync()[0] ?? NaN];
    const c = logq.shape[logq.rank - 1] ?? 1;
    const picked = tf.sum(tf.mul(logq, tf.oneHot(tf.cast(y, 'int32'), c)), -1);
    const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logq, -1), y), 'float32'));
    const out = tf.stack([correct, tf.neg(tf.sum(picked))]).dataSync();
    return [out[0] ?? NaN, out[1] ?? NaN];
  });
}

/**
 * Evaluate a model on a split three ways: the mean code, one sampled code, and S sampled codes
 * averaged in probability space (Alemi et al. 2017 report the 12-sample average).
 * @param vm - the model
 * @param split - the data
 * @param options - S, batch size, seed
 * @returns accuracy (classification) and −log-likelihood per way, and the rate
 * @example
 * ```ts
 * const r = await evaluate(vm, dataset.test, { samples: 12 });
 * r.multiSample.accuracy;
 * ```
 */
export async function evaluate(vm: VibModel, split: DataSplit, options: EvaluateOptions = {}): Promise<EvaluationResult> {
  const s = options.samples ?? vm.config.evalSamples;
  const totals = { meanC: 0, meanN: 0, oneC: 0, oneN: 0, multiC: 0, multiN: 0, kl: 0 };
  let batch = 0;
  for (const [start, end] of ranges(split.n, options.batchSize ?? 500)) {
    const seed = options.seed === undefined ? undefined : options.seed + 104729 * batch++;
    const r = tf.tidy(() => {
      const { x, y } = gatherBatch(split, vm.inputShape, span(start, end));
      const target = vm.task.targets(x, y);
      const posterior = vm.bottleneck.posterior(hidden(vm, x));
      const kl = vm.bottleneck.klRegistry.kl(posterior, vm.bottleneck.prior.distribution(), {
        samples: vm.config.klSamples,
        ...(seed === undefined ? {} : { seed }),
      });
      const mean = score(vm, logLik(vm, decode(vm, posterior.mean()), target), y);
      const zs = posterior.sample(s, seed);
      const logq = logLik(vm, decode(vm, zs), target);
      const one = score(vm, tf.squeeze(tf.slice(logq, [0], [1]), [0]), y);
      const multi = score(vm, averageLogProbs(logq), y);
      return [...mean, ...one, ...multi, tf.sum(kl.total).dataSync()[0] ?? NaN];
    });
    totals.meanC += r[0] ?? 0;
    totals.meanN += r[1] ?? 0;
    totals.oneC += r[2] ?? 0;
    totals.oneN += r[3] ?? 0;
    totals.multiC += r[4] ?? 0;
    totals.multiN += r[5] ?? 0;
    totals.kl += r[6] ?? 0;
    await tf.nextFrame();
  }
  const n = Math.max(split.n, 1);
  const acc = (c: number) => (vm.task.kind === 'classification' ? c / n : null);
  return {
    n: split.n,
    mean: { accuracy: acc(totals.meanC), nllNats: totals.meanN / n },
    oneSample: { accuracy: acc(totals.oneC), nllNats: totals.oneN / n },
    multiSample: { samples: s, accuracy: acc(totals.multiC), nllNats: totals.multiN / n },
    rateNats: totals.kl / n,
  };
}
