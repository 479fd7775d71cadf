import * as tf from '@tensorflow/tfjs';
import { ConfigError, parseWithPath, posteriorFamilySchema, showValue } from '@vib/core';
import type { Distribution } from '@vib/core';
import { z } from 'zod';
import { applyHeads, createHeadWeights, offDiagonalCount, posteriorFromHeads, type HeadOutputs, type HeadWeight, type HeadWeights } from './gaussian-heads.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Scale parameterization of the encoder heads: exp(raw/2) with raw = log σ² (the seeds), or softplus(raw − 5) (Alemi et al.'s code). */
export const scaleSchema = z.enum(['exp', 'softplus']);

/**
 * The heads' fields, defined once: the {@link GaussianEncoder}'s schema and the {@link VIBBottleneck}'s (which
 * composes the encoder) are both built from them.
 */
export const gaussianHeadsFields = {
  /** Latent dimension K. */
  latentDim: z.number().int().min(1),
  /** Posterior family p(z|x). */
  posterior: posteriorFamilySchema.default('diagonal-gaussian'),
  /** Scale parameterization: exp(raw/2) with raw = log σ² (the seeds), or softplus(raw − 5) (Alemi et al.'s code). */
  scale: scaleSchema.default('exp'),
  /** Seed of the heads' weight initializers (omit for random). */
  seed: z.number().int().optional(),
};

/** Schema of a {@link GaussianEncoder}'s own configuration. */
export const gaussianEncoderConfigSchema = z
  .strictObject({
    ...gaussianHeadsFields,
    /** The box a `squashed-gaussian` posterior is squashed into (the bounded prior's box). */
    bounds: z.strictObject({ low: z.number(), high: z.number() }).refine((b) => b.low < b.high, 'low must be < high').optional(),
  })
  .refine((c) => c.posterior !== 'squashed-gaussian' || c.bounds !== undefined, {
    message: 'posterior "squashed-gaussian" needs bounds: { low, high } (the box of the bounded prior it pairs with)',
    path: ['bounds'],
  });

/** Parsed encoder configuration (defaults filled in). */
export type GaussianEncoderConfig = z.output<typeof gaussianEncoderConfigSchema>;
/** Encoder configuration as written by users (defaults optional). */
export type GaussianEncoderConfigInput = z.input<typeof gaussianEncoderConfigSchema>;

/**
 * Constructor arguments of {@link GaussianEncoder}: its config (as written, or already parsed as `config`)
 * and the usual layer args.
 */
export type GaussianEncoderArgs = LayerArgs & {
  /**
   * Train only the μ head: the scale (and off-diagonal) heads are created as non-trainable weights, kept for
   * the saved shape (a deterministic bottleneck, z = μ(h), reads only μ). Not part of the saved config.
   */
  meanOnly?: boolean;
} & (
    | (GaussianEncoderConfigInput & {
        /** The serialized config (written by `getConfig`); takes the place of the fields above. */
        gaussian?: string;
        config?: undefined;
      })
    | {
        /** An already-parsed config (e.g. from the {@link VIBBottleneck} that composes this encoder): used as is, not parsed again. */
        config: GaussianEncoderConfig;
        gaussian?: undefined;
      }
  );

const OWN_KEYS = Object.keys(gaussianEncoderConfigSchema.shape);

/**
 * The Gaussian encoder p(z|x) on its own: dense heads from a hidden representation h to the parameters of
 * a Gaussian over z (μ and log σ² for the diagonal family; μ and a Cholesky factor for the full one; a
 * Gaussian squashed into a box for bounded priors). A {@link VIBBottleneck} composes this layer (the heads are
 * defined here only) with the prior and the rate controller; use it alone for other models, for example a custom loss or
 * a critic-based MI estimate on z.
 *
 * As a layer, `call(h)` returns the raw parameters concatenated, `[B, P]` with P = 2K (plus K(K−1)/2 for the
 * full family), so it fits in `tf.sequential` and is saved and loaded with the model (class name
 * `vib.GaussianEncoder`). {@link GaussianEncoder.posterior} gives the distribution for a batch of h, and
 * {@link GaussianEncoder.fromParams} turns the layer's output back into one.
 *
 * @example
 * ```ts
 * const encoder = new GaussianEncoder({ latentDim: 2, posterior: 'full-gaussian', scale: 'softplus' });
 * const z = tf.tidy(() => encoder.posterior(tf.randomNormal([8, 16])).sample());
 * ```
 */
export class GaussianEncoder extends tf.layers.Layer {
  /** Stable serialization name. */
  static readonly className = 'vib.GaussianEncoder';
  /** The parsed configuration. */
  readonly encoderConfig: GaussianEncoderConfig;
  private readonly meanOnly: boolean;
  private heads: HeadWeights | undefined;

  /**
   * @param args - encoder config and layer args
   * @throws {@link ConfigError} naming the field on an invalid config
   */
  constructor(args: GaussianEncoderArgs) {
    const layerArgs: Record<string, unknown> = {};
    const own: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(args)) {
      if (key === 'gaussian' || key === 'config' || key === 'meanOnly') continue;
      (OWN_KEYS.includes(key) ? own : layerArgs)[key] = value;
    }
    super(layerArgs as LayerArgs);
    this.meanOnly = args.meanOnly ?? false;
    if (args.config !== undefined) {
      this.encoderConfig = args.config;
    } else {
      const raw = args.gaussian !== undefined ? (JSON.parse(args.gaussian) as unknown) : own;
      this.encoderConfig = parseWithPath(gaussianEncoderConfigSchema, raw, '');
    }
  }

  /** Latent dimension K. */
  get latentDim(): number {
    return this.encoderConfig.latentDim;
  }

  /** Width P of the raw parameter vector `call` returns: 2K, plus K(K−1)/2 for the full-covariance family. */
  get paramCount(): number {
    const k = this.latentDim;
    return 2 * k + (this.encoderConfig.posterior === 'full-gaussian' ? offDiagonalCount(k) : 0);
  }

  /**
   * Create the heads' weights.
   * @param inputShape - shape of h, [B,H]
   * @throws {@link ConfigError} when H is unknown
   */
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const h = shape[shape.length - 1];
    if (shape.length !== 2 || typeof h !== 'number') {
      throw new ConfigError(`GaussianEncoder needs input of shape [batch, features] with known features, got ${showValue(shape)}`);
    }
    const c = this.encoderConfig;
    this.heads = createHeadWeights(
      (name, s, init) => this.addWeight(name, s, 'float32', init, undefined, !this.meanOnly || name.startsWith('mean/')) as unknown as HeadWeight,
      h,
      c.latentDim,
      c.posterior,
      c.seed,
    );
    this.built = true;
  }

  /**
   * Output shape: [B, P] (see {@link GaussianEncoder.paramCount}).
   * @param inputShape - shape of h
   * @returns shape of the parameters
   */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0] ?? null, this.paramCount];
  }

  /**
   * Raw head outputs for a batch.
   * @param h - hidden representation [B,H]
   * @returns μ, the raw scale and (full covariance) the off-diagonal entries
   */
  headOutputs(h: tf.Tensor): HeadOutputs {
    if (!this.built) this.build(h.shape);
    return applyHeads(this.heads as HeadWeights, h, this.latentDim, this.encoderConfig.posterior);
  }

  /**
   * The posterior p(z|x) for a batch; `sample()` on it is reparameterized, so gradients reach the heads.
   * @param h - hidden representation [B,H]
   * @returns the distribution (its tensors belong to the caller: use `tf.tidy`)
   */
  posterior(h: tf.Tensor): Distribution {
    return posteriorFromHeads(this.headOutputs(h), this.encoderConfig.posterior, this.encoderConfig.scale, this.encoderConfig.bounds);
  }

  /**
   * The posterior from this layer's output (for a model that ends in the encoder).
   * @param params - `[B, P]` raw parameters, as `call` returns them
   * @returns the distribution (its tensors belong to the caller)
   * @throws {@link ConfigError} when the width is not {@link GaussianEncoder.paramCount}
   */
  fromParams(params: tf.Tensor): Distribution {
    const k = this.latentDim;
    if (params.rank !== 2 || params.shape[1] !== this.paramCount) {
      throw new ConfigError(`GaussianEncoder.fromParams needs [batch, ${this.paramCount}] parameters, got shape ${showValue(params.shape)}`);
    }
    const mean = tf.slice(params, [0, 0], [-1, k]);
    const scaleRaw = tf.slice(params, [0, k], [-1, k]);
    const offDiag = this.encoderConfig.posterior === 'full-gaussian' ? tf.slice(params, [0, 2 * k], [-1, offDiagonalCount(k)]) : undefined;
    const heads: HeadOutputs = offDiag === undefined ? { mean, scaleRaw } : { mean, scaleRaw, offDiag };
    return posteriorFromHeads(heads, this.encoderConfig.posterior, this.encoderConfig.scale, this.encoderConfig.bounds);
  }

  /**
   * The raw parameters [μ ‖ raw scale (‖ lower Cholesky entries)] for a batch.
   * @param inputs - hidden representation [B,H]
   * @returns [B, P]
   */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const h = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
      const { mean, scaleRaw, offDiag } = this.headOutputs(h);
      return tf.concat(offDiag === undefined ? [mean, scaleRaw] : [mean, scaleRaw, offDiag], 1);
    });
  }

  /**
   * The layer config: base fields plus `gaussian`, a JSON string of the encoder config.
   * @returns the config
   */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), gaussian: JSON.stringify(this.encoderConfig) };
  }
}

tf.serialization.registerClass(GaussianEncoder);
