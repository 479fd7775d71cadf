import * as tf from '@tensorflow/tfjs';
import type { DataSplit } from '@vib/core';
import { hidden } from '../model/forward.js';
import type { VibModel } from '../model/vib-model.js';
import { predictiveLogProbs } from './predictive.js';
import { checkSplitForModel, gatherBatch, ranges, span } from './split-batches.js';

/** Per-example uncertainty of a classifier (Alemi, Fischer & Dillon 2018), each array of length n. */
export interface UncertaintyScores {
  /** KL(p(z|x) ‖ r(z)) of each input, nats: the per-example rate (0 for a deterministic model). */
  readonly rateNats: Float64Array;
  /** Entropy of the S-sample predictive q(y|x), nats. */
  readonly entropyNats: Float64Array;
  /** max_y q(y|x) of the S-sample predictive: the confidence. */
  readonly maxProb: Float64Array;
  /** Whether the S-sample predictive's arg max is the label (1) or not (0). */
  readonly correct: Uint8Array;
}

/** Options of {@link uncertaintyScores}. */
export interface UncertaintyOptions {
  /** S of the predictive (default the config's `evalSamples`). */
  readonly samples?: number;
  /** Seed of the sampled codes. */
  readonly seed?: number;
  /** Examples per forward pass (default 500). */
  readonly batchSize?: number;
}

/**
 * Per-example rate, predictive entropy and confidence of a classifier on a split: the out-of-distribution scores
 * of Alemi, Fischer & Dillon (2018) (higher rate or entropy, lower confidence: more likely OOD), and the
 * correctness flags that calibration needs.
 * @param vm - a classification model
 * @param split - the inputs (labels are used only for `correct`)
 * @param options - S, seed, batch size
 * @returns the scores
 * @throws {@link ConfigError} when the model is not a classifier
 * @example
 * ```ts
 * const s = await uncertaintyScores(vm, dataset.test, { samples: 12 });
 * auroc(s.rateNats, (await uncertaintyScores(vm, ood.test)).rateNats);
 * ```
 */
export async function uncertaintyScores(vm: VibModel, split: DataSplit, options: UncertaintyOptions = {}): Promise<UncertaintyScores> {
  checkSplitForModel(vm, split, 'uncertaintyScores()');
  const out = {
    rateNats: new Float64Array(split.n),
    entropyNats: new Float64Array(split.n),
    maxProb: new Float64Array(split.n),
    correct: new Uint8Array(split.n),
  };
  const samples = options.samples ?? vm.config.evalSamples;
  let batch = 0;
  for (const [start, end] of ranges(split.n, options.batchSize ?? 500)) {
    const seed = (options.seed ?? 0) + 104729 * batch++;
    const parts = tf.tidy(() => {
      const { x, y } = gatherBatch(split, vm.inputShape, span(start, end));
      const posterior = vm.bottleneck.posterior(hidden(vm, x));
      const kl = vm.bottleneck.rateKL(posterior, { samples: vm.config.klSamples, seed });
      const logq = predictiveLogProbs(vm, x, { through: 'samples', samples, seed });
      const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logq), logq), -1));
      return [kl.total, entropy, tf.exp(tf.max(logq, -1)), tf.equal(tf.argMax(logq, -1), y)];
    });
    // asynchronous reads: webgpu in Node has no synchronous one
    const [rate, entropy, maxProb, correct] = await Promise.all(parts.map((t) => t.data()));
    tf.dispose(parts);
    out.rateNats.set(rate!, start);
    out.entropyNats.set(entropy!, start);
    out.maxProb.set(maxProb!, start);
    out.correct.set(correct as Uint8Array, start);
    await tf.nextFrame();
  }
  return out;
}
