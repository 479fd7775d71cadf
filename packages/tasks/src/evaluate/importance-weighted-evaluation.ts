import * as tf from '@tensorflow/tfjs';
import { ConfigError, importanceWeightedBound } from '@vib/core';
import type { DataSplit } from '@vib/core';
import { decode, hidden } from '../model/forward.js';
import type { VibModel } from '../model/vib-model.js';
import { checkSplitForModel, gatherBatch, ranges, span } from './split-batches.js';

/** What {@link importanceWeightedEvaluation} returns (nats per example, averaged over the split). */
export interface ImportanceWeightedResult {
  /** Examples evaluated. */
  readonly n: number;
  /** K, the importance samples per example. */
  readonly samples: number;
  /** Mean L_K = log (1/K) Σ_k p(x|z_k) r(z_k)/p(z_k|x): a lower bound on log p(x), tighter with K. */
  readonly boundNats: number;
  /** Mean ELBO estimated from the same draws (≤ boundNats). */
  readonly elboNats: number;
}

/**
 * The importance-weighted bound on log p(x) of a reconstruction model (Burda et al. 2016), with the encoder's
 * p(z|x) as the proposal: for each input K codes z_k ~ p(z|x) and log-weights log p(x|z_k) + log r(z_k) − log p(z_k|x).
 * Needs a posterior and a prior with densities (any stochastic model; not the deterministic baseline). For a
 * classifier the same bound is on log q(y|x).
 * @param vm - a reconstruction model
 * @param split - the data
 * @param options - K (default 50), seed, batch size (default 100)
 * @returns the mean bound and the mean ELBO, nats per example
 * @throws {@link ConfigError} for a deterministic model
 * @example
 * ```ts
 * const r = await importanceWeightedEvaluation(vae, dataset.test, { samples: 5000 });
 * r.boundNats; // ≥ r.elboNats
 * ```
 */
export async function importanceWeightedEvaluation(
  vm: VibModel,
  split: DataSplit,
  options: { readonly samples?: number; readonly seed?: number; readonly batchSize?: number } = {},
): Promise<ImportanceWeightedResult> {
  if (vm.config.model === 'deterministic') {
    throw new ConfigError('the importance-weighted bound needs a stochastic model (a density p(z|x)), got the deterministic baseline: pass a model trained with model "vib"');
  }
  checkSplitForModel(vm, split, 'importanceWeightedEvaluation()');
  const k = options.samples ?? 50;
  let bound = 0;
  let elbo = 0;
  let batch = 0;
  for (const [start, end] of ranges(split.n, options.batchSize ?? 100)) {
    const seed = (options.seed ?? 0) + 7919 * batch++;
    const sums = tf.tidy(() => {
      const { x, y, values } = gatherBatch(split, vm.inputShape, span(start, end));
      const posterior = vm.bottleneck.posterior(hidden(vm, x));
      const z = posterior.sample(k, seed); // [K,B,Kz]
      const logLik = tf.neg(vm.task.negLogLikelihood(decode(vm, z), vm.task.targets(x, y, values))); // [K,B]; a regression task's targets are the split's values
      const logW = tf.sub(tf.add(logLik, vm.bottleneck.prior.distribution().logProb(z)), posterior.logProb(z));
      const r = importanceWeightedBound(logW);
      return tf.stack([tf.sum(r.bound), tf.sum(r.elbo)]);
    });
    // one asynchronous read per batch: webgpu in Node has no synchronous one
    const [b = NaN, e = NaN] = await sums.data();
    sums.dispose();
    bound += b;
    elbo += e;
    await tf.nextFrame();
  }
  const n = Math.max(split.n, 1);
  return { n: split.n, samples: k, boundNats: bound / n, elboNats: elbo / n };
}
