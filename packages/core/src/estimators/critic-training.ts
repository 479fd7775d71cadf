import * as tf from '@tensorflow/tfjs';
import { parseWithPath } from '../config/parse-with-path.js';
import { ConfigError } from '../errors/config-error.js';
import { DataError } from '../errors/data-error.js';
import { fusedDense } from '../fused/dense.js';
import type { ScoreEstimatorPlugin } from '../plugins/estimator-plugin.js';
import { SeededRandom } from '../random/seeded-random.js';
import type { Registry } from '../registry/registry.js';
import { information, type Information } from '../units/units.js';

/** Paired samples of one variable: row i of X goes with row i of Y. */
export interface PairedSamples {
  /** n × d values, row-major. */
  readonly data: ArrayLike<number>;
  /** Rows: the number of samples. */
  readonly n: number;
  /** Columns: the variable's dimension. */
  readonly d: number;
}

/** Options of {@link estimateWithCritic}. */
export interface CriticOptions {
  /** The estimator's config (validated against its schema). */
  readonly config?: unknown;
  /** Hidden widths of each of the critic's two networks, g(x) and h(y) (default [64]). */
  readonly hidden?: readonly number[];
  /** Width of the embeddings whose inner product is the score f(x, y) = g(x)·h(y) (default 16). */
  readonly embedding?: number;
  /** B, the pairs per batch: the score matrix is B × B (default 128; InfoNCE cannot exceed log B). */
  readonly batchSize?: number;
  /** Adam steps on the training pairs (default 1,000). */
  readonly steps?: number;
  /** Adam's learning rate (default 0.005). */
  readonly learningRate?: number;
  /** Share of the pairs held out to evaluate the bound on, never trained on (default 0.25). */
  readonly holdOut?: number;
  /** Seed of the weights, the batches and the held-out split (default 0). */
  readonly seed?: number;
}

/** What {@link estimateWithCritic} returns. */
export interface CriticEstimate {
  /** The estimator's name. */
  readonly estimator: string;
  /** The bound on held-out pairs: the mean over held-out batches of the estimator's value. */
  readonly mi: Information;
  /** Standard error of that mean over the held-out batches, in nats. */
  readonly standardErrorNats: number;
  /** The same bound on the training pairs' last batches, for a look at overfitting (nats). */
  readonly trainNats: number;
  /** B, the pairs per batch. */
  readonly batchSize: number;
  /** How many held-out batches of B pairs the mean is over. */
  readonly heldOutBatches: number;
  /** The estimator's extra figures on the last held-out batch (InfoNCE's `ceiling`, log B), where it gives any. */
  readonly extraNats?: Readonly<Record<string, number>>;
}

/** One dense layer's weights. */
interface Dense {
  readonly w: tf.Variable;
  readonly b: tf.Variable;
}

/** An MLP in → hidden… → out with ReLU between, Glorot-uniform weights from `seed`. */
function mlp(sizes: readonly number[], seed: number): Dense[] {
  const layers: Dense[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const [a, b] = [sizes[i] ?? 1, sizes[i + 1] ?? 1];
    const limit = Math.sqrt(6 / (a + b));
    layers.push({ w: tf.variable(tf.randomUniform([a, b], -limit, limit, 'float32', seed + i)), b: tf.variable(tf.zeros([b])) });
  }
  return layers;
}

/** The MLP on x: each layer one `fusedDense` (ReLU between layers, linear at the end). */
function apply(layers: readonly Dense[], x: tf.Tensor2D): tf.Tensor2D {
  let h = x;
  layers.forEach((l, i) => {
    h = fusedDense(h, l.w as tf.Tensor2D, l.b as tf.Tensor1D, i + 1 < layers.length ? 'relu' : 'linear');
  });
  return h;
}

function check(what: string, s: PairedSamples): void {
  if (!Number.isInteger(s.n) || !Number.isInteger(s.d) || s.n < 1 || s.d < 1 || s.data.length !== s.n * s.d) {
    throw new DataError(`${what}: ${s.data.length} values for n = ${s.n} rows of d = ${s.d}: give exactly n × d values, row-major`, { details: { n: s.n, d: s.d, length: s.data.length } });
  }
  for (let i = 0; i < s.data.length; i++) {
    if (!Number.isFinite(s.data[i])) throw new DataError(`${what}: value ${i} (row ${Math.floor(i / s.d)}) is ${String(s.data[i])}: every value must be finite`, { details: { index: i } });
  }
}

/** Rows `idx` of a sample matrix as a [B, d] tensor. */
function rows(s: PairedSamples, idx: ArrayLike<number>): tf.Tensor2D {
  const out = new Float32Array(idx.length * s.d);
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i] ?? 0;
    for (let j = 0; j < s.d; j++) out[i * s.d + j] = s.data[r * s.d + j] ?? 0;
  }
  return tf.tensor2d(out, [idx.length, s.d]);
}

/**
 * Estimate I(X;Y) from paired samples with a critic-based bound registered under `name` (built in: `infonce`,
 * `nwj`, `js`, `mine`; a plugin's estimator of input `scores` too): train a separable critic f(x, y) = g(x)·h(y)
 * (two small ReLU networks; Poole et al. 2019) with the estimator's own objective (`createObjective`) on batches of
 * B pairs, whose B × B score matrix has the matched pairs on its diagonal, then evaluate the estimator on held-out
 * batches the critic never saw. The mean over those batches is the estimate, with its standard error; a critic
 * that overfits shows as a training figure above it.
 * @param registry - where the estimator is registered
 * @param name - the estimator's registered name
 * @param x - samples of X, row i paired with row i of `y`
 * @param y - samples of Y
 * @param options - the estimator's config, the critic's size, B, steps, learning rate, held-out share, seed
 * @returns the held-out estimate (nats and bits), its standard error, the training figure, B and extra figures
 * @throws {@link NoSuchPluginError} for an unknown name
 * @throws {@link ConfigError} for an estimator of activations, a bad config or option
 * @throws {@link DataError} for samples of the wrong length, unpaired, non-finite, or too few for two batches
 * @example
 * ```ts
 * const r = await estimateWithCritic(registry, 'infonce', { data: xs, n: 4000, d: 2 }, { data: ys, n: 4000, d: 2 });
 * r.mi.nats; // ≈ −log(1 − ρ²) for two dimensions of correlation ρ, below log B
 * ```
 */
export async function estimateWithCritic(registry: Registry, name: string, x: PairedSamples, y: PairedSamples, options: CriticOptions = {}): Promise<CriticEstimate> {
  const found = registry.get('estimator', name);
  if (found.input !== 'scores') {
    const usable = registry.list('estimator').filter((p) => p.input === 'scores').map((p) => p.name);
    throw new ConfigError(`estimator "${name}" reads layer activations, not critic scores: use one of ${usable.join(', ')} (or estimateInformation for "${name}")`, {
      details: { field: 'estimator', value: name },
    });
  }
  const plugin = found as ScoreEstimatorPlugin;
  const config = parseWithPath(plugin.configSchema, options.config ?? {}, `estimator "${name}" config`);
  check('X', x);
  check('Y', y);
  if (x.n !== y.n) throw new DataError(`X has ${x.n} rows and Y ${y.n}: the samples must be paired, row i of X with row i of Y`, { details: { x: x.n, y: y.n } });
  const [batch, steps, lr, holdOut, seed] = [options.batchSize ?? 128, options.steps ?? 1000, options.learningRate ?? 0.005, options.holdOut ?? 0.25, options.seed ?? 0];
  const positive = (v: number, what: string, integer: boolean, min = 1) => {
    if (!(integer ? Number.isInteger(v) : Number.isFinite(v)) || v < min) throw new ConfigError(`${what} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got ${String(v)}`, { details: { field: what, value: v } });
  };
  positive(batch, 'batchSize', true, 2);
  positive(steps, 'steps', true, 0);
  if (!(lr > 0) || !(holdOut > 0 && holdOut < 1)) throw new ConfigError(`learningRate must be > 0 and holdOut in (0, 1), got ${lr} and ${holdOut}`, { details: { field: 'learningRate/holdOut' } });
  const nTest = Math.floor(x.n * holdOut);
  const nTrain = x.n - nTest;
  if (nTrain < batch || nTest < batch) {
    throw new DataError(`${x.n} pairs leave ${nTrain} to train on and ${nTest} held out, fewer than a batch of B = ${batch} on one side: give more pairs, a smaller batchSize or another holdOut`, {
      details: { n: x.n, batchSize: batch, holdOut },
    });
  }
  const rng = new SeededRandom(seed);
  const order = rng.permutation(x.n);
  const [train, test] = [order.subarray(0, nTrain), order.subarray(nTrain)];
  const width = options.embedding ?? 16;
  const hidden = options.hidden ?? [64];
  const g = mlp([x.d, ...hidden, width], seed * 7 + 1);
  const h = mlp([y.d, ...hidden, width], seed * 7 + 101);
  const vars = [...g, ...h].flatMap((l) => [l.w, l.b]);
  const scoresOf = (idx: ArrayLike<number>): tf.Tensor2D => tf.tidy(() => tf.matMul(apply(g, rows(x, idx)), apply(h, rows(y, idx)), false, true));
  const objective = plugin.createObjective(config);
  const optimizer = tf.train.adam(lr);
  const drawBatch = (pool: Int32Array): Int32Array => {
    const idx = new Int32Array(batch);
    for (let i = 0; i < batch; i++) idx[i] = pool[Math.floor(rng.next() * pool.length)] ?? 0;
    return idx;
  };
  try {
    for (let s = 0; s < steps; s++) {
      const idx = drawBatch(train);
      const cost = optimizer.minimize(() => objective.loss(scoresOf(idx)), true, vars);
      cost?.dispose();
      if (s % 50 === 49) await tf.nextFrame();
    }
    // held-out batches without repeats: each held-out pair in at most one batch
    const heldOut = rng.permutation(test.length);
    const values: number[] = [];
    let extra: Readonly<Record<string, number>> | undefined;
    for (let k = 0; k + batch <= test.length; k += batch) {
      const scores = scoresOf(Array.from(heldOut.subarray(k, k + batch), (i) => test[i] ?? 0));
      const r = plugin.estimate(scores, config);
      scores.dispose();
      values.push(r.mi?.nats ?? Number.NaN);
      extra = r.extraNats;
    }
    const trainValues: number[] = [];
    for (let k = 0; k < Math.min(values.length, 8); k++) {
      const scores = scoresOf(drawBatch(train));
      trainValues.push(plugin.estimate(scores, config).mi?.nats ?? Number.NaN);
      scores.dispose();
    }
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : Number.NaN;
    return {
      estimator: name,
      mi: information(mean),
      standardErrorNats: sd / Math.sqrt(values.length),
      trainNats: trainValues.reduce((a, b) => a + b, 0) / trainValues.length,
      batchSize: batch,
      heldOutBatches: values.length,
      ...(extra === undefined ? {} : { extraNats: { ...extra } }),
    };
  } finally {
    optimizer.dispose();
    tf.dispose(vars);
  }
}
