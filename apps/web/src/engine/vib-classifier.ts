import * as tf from '@tensorflow/tfjs';
import { ConfigError, DiagonalGaussian, SquashedGaussian, createKLRegistry } from '@vib/core';
import type { Distribution, KLRegistry, Prior, Registry } from '@vib/core';
import { createStandaloneContext, type StandaloneContext } from '@vib/priors';

/** Architecture and prior of a {@link VibClassifier}. */
export interface VibClassifierSpec {
  readonly inputSize: number;
  readonly numClasses: number;
  /** Widths of the encoder's hidden layers. */
  readonly hidden: readonly number[];
  readonly activation: 'relu' | 'tanh';
  /** Latent dimension K (2 draws Alemi et al.'s Figure 2). */
  readonly latentDim: number;
  /** Prior plugin name: `standard-normal`, `uniform`, `mixture-of-gaussians`, ... */
  readonly prior: string;
}

/** One forward pass of the encoder. */
export interface Encoding {
  /** Activations of each hidden layer [B, width]. */
  readonly hidden: tf.Tensor2D[];
  /** Posterior p(z|x). */
  readonly posterior: Distribution;
  /** Pre-squash mean and log-variance heads [B, K]. */
  readonly mean: tf.Tensor2D;
  readonly logVar: tf.Tensor2D;
}

/**
 * The demo's VIB classifier (Alemi et al., 2017): an MLP encoder p(z|x) with Gaussian heads, a prior r(z)
 * from the registry's prior plugins, and a softmax decoder q(y|z).
 */
export class VibClassifier {
  readonly spec: VibClassifierSpec;
  readonly prior: Prior;
  readonly klRegistry: KLRegistry;
  readonly posteriorFamily: 'diagonal-gaussian' | 'squashed-gaussian';
  private readonly layers: tf.layers.Layer[];
  private readonly meanHead: tf.layers.Layer;
  private readonly scaleHead: tf.layers.Layer;
  private readonly decoder: tf.layers.Layer;
  private readonly priorContext: StandaloneContext;

  /**
   * @param spec - architecture and prior
   * @param registry - registry with prior plugins
   * @throws {@link ConfigError} when the prior pairs with neither a diagonal nor a squashed Gaussian posterior
   */
  constructor(spec: VibClassifierSpec, registry: Registry) {
    this.spec = spec;
    const plugin = registry.get('prior', spec.prior);
    const family = plugin.posteriors.find((p) => p === 'diagonal-gaussian' || p === 'squashed-gaussian');
    if (!family) {
      throw new ConfigError(`prior "${spec.prior}" pairs only with ${plugin.posteriors.join(', ')}; the demo needs a diagonal or squashed Gaussian posterior`);
    }
    this.posteriorFamily = family;
    this.priorContext = createStandaloneContext(spec.latentDim);
    this.prior = plugin.create(plugin.configSchema.parse({}), this.priorContext);
    this.klRegistry = createKLRegistry({ monteCarloSamples: 16 });
    this.layers = spec.hidden.map((units) => tf.layers.dense({ units, activation: spec.activation }));
    this.meanHead = tf.layers.dense({ units: spec.latentDim });
    this.scaleHead = tf.layers.dense({ units: spec.latentDim, biasInitializer: tf.initializers.constant({ value: -2 }) });
    this.decoder = tf.layers.dense({ units: spec.numClasses });
    // Build every layer now, so trainableVariables() is complete before the first step.
    tf.tidy(() => void this.decode(this.encode(tf.zeros([1, spec.inputSize])).mean));
  }

  /**
   * Encode a batch.
   * @param x - inputs [B, inputSize]
   * @returns hidden activations and the posterior
   */
  encode(x: tf.Tensor2D): Encoding {
    const hidden: tf.Tensor2D[] = [];
    let h: tf.Tensor2D = x;
    for (const layer of this.layers) {
      h = layer.apply(h) as tf.Tensor2D;
      hidden.push(h);
    }
    const mean = this.meanHead.apply(h) as tf.Tensor2D;
    const logVar = tf.clipByValue(this.scaleHead.apply(h) as tf.Tensor2D, -12, 6) as tf.Tensor2D;
    const b = this.prior.bounds;
    const posterior =
      this.posteriorFamily === 'squashed-gaussian'
        ? new SquashedGaussian(mean, logVar, b?.low ?? -1, b?.high ?? 1)
        : new DiagonalGaussian(mean, logVar);
    return { hidden, posterior, mean, logVar };
  }

  /**
   * Class logits of q(y|z).
   * @param z - codes [B, K]
   * @returns logits [B, classes]
   */
  decode(z: tf.Tensor2D): tf.Tensor2D {
    return this.decoder.apply(z) as tf.Tensor2D;
  }

  /**
   * Per-row KL(p(z|x) ‖ r(z)) in nats and its per-dimension split (null when the pair does not factorize).
   * @param posterior - p(z|x)
   * @returns total [B] and perDim [B, K] or null
   */
  kl(posterior: Distribution): { total: tf.Tensor1D; perDim: tf.Tensor2D | null } {
    const r = this.klRegistry.kl(posterior, this.prior.distribution());
    return { total: r.total as tf.Tensor1D, perDim: r.perDim as tf.Tensor2D | null };
  }

  /**
   * Every trainable variable: encoder, heads, decoder and the prior's own weights.
   * @returns the variables
   */
  trainableVariables(): tf.Variable[] {
    const layerVars = [...this.layers, this.meanHead, this.scaleHead, this.decoder].flatMap((l) =>
      l.trainableWeights.map((w) => w.read() as tf.Variable),
    );
    const priorVars = [...this.priorContext.weights.values()].filter((v) => v.trainable);
    return [...layerVars, ...priorVars];
  }

  /** Free every weight. */
  dispose(): void {
    for (const l of [...this.layers, this.meanHead, this.scaleHead, this.decoder]) {
      if (l.built) l.dispose();
    }
    this.priorContext.dispose();
  }
}
