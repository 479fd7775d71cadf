import * as tf from '@tensorflow/tfjs';
import { CONTROLLER_INSTANCE_SHAPE, ConfigError, PRIOR_INSTANCE_SHAPE, PointMass, expectCreated, klRegistryFor, resolvePluginRef, showValue } from '@vib/core';
import type { Distribution, KLOptions, KLRegistry, KLResult, Prior, PriorEncoder, PriorPlugin, RateController, Registry } from '@vib/core';
import { restoreControllerState, saveControllerState } from '../controllers/controller-state.js';
import { GaussianEncoder } from '../encoder/gaussian-encoder.js';
import { bottleneckConfigSchema, type BottleneckConfig, type BottleneckConfigInput } from './bottleneck-config.js';
import type { HeadOutputs } from '../encoder/gaussian-heads.js';
import { parseBottleneckConfig } from './parse-bottleneck-config.js';
import { scopedRegistry } from './registry-scope.js';
import { readSavedBottleneck, writeSavedBottleneck } from './saved-bottleneck.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/**
 * Constructor arguments of {@link VIBBottleneck}: the bottleneck config (as written, or already parsed as
 * `config`), layer args, and the registry.
 */
export type VIBBottleneckArgs = LayerArgs & {
  /** Resolves prior and controller names; when omitted, the one scoped by `withRegistry` (model loading). */
  registry?: Registry;
  /** Optimizer steps per epoch of the training run, passed to the controller's context (not saved). */
  stepsPerEpoch?: number;
} & (
    | (BottleneckConfigInput & {
        /** The saved config (written by `getConfig`, format 1 or 2); takes the place of the fields above. */
        vib?: string;
        config?: undefined;
      })
    | {
        /**
         * An already-parsed configuration (from `parseExperimentConfig` through `buildVibModel`, or from
         * {@link parseBottleneckConfig}): used as is, not parsed again.
         */
        config: BottleneckConfig;
        vib?: undefined;
      }
  );

/** What {@link VIBBottleneck.encode} returns; every tensor belongs to the caller (use `tf.tidy`). */
export interface BottleneckOutput {
  /** p(z|x) for the batch. */
  readonly posterior: Distribution;
  /** The code: a reparameterized sample z = μ + σ·ε when training or in sample mode, else the mean. */
  readonly z: tf.Tensor;
  /** KL(p(z|x) ‖ r(z)) per row (and per dimension when the pair factorizes), nats. */
  readonly kl: KLResult;
  /** Batch-mean KL in nats: the VIB rate, an upper bound on I(X;Z). */
  readonly klMean: tf.Scalar;
  /** Batch-mean KL per dimension [K] in nats, or null. */
  readonly klPerDim: tf.Tensor1D | null;
  /** The controller's rate term (e.g. β·KL) to add to the task loss. */
  readonly rate: tf.Scalar;
}

const OWN_KEYS = Object.keys(bottleneckConfigSchema.shape);
const NOT_LAYER_ARGS = new Set(['registry', 'vib', 'config', 'stepsPerEpoch']);

/**
 * The variational information bottleneck layer (Alemi et al. 2017; Su 2018): a {@link GaussianEncoder} on a
 * hidden representation h gives p(z|x); the prior r(z) and the rate controller live beside it, inside this layer.
 *
 * - {@link VIBBottleneck.encode} is what a training loop calls: it returns the posterior, the code z
 *   (reparameterized z = μ + σ·ε when training) and the KL; the rate term is **returned** for the
 *   loop to add to the task loss (it is not registered with `addLoss`).
 * - `call()` is inference: the mean code (the seeds set ε = 0) or one sample, per `inference.mode`.
 * - The encoder's weights (named `mean/kernel`, `scale/bias`, ... under this layer) and the prior's are this
 *   layer's weights, saved with the model; the controller state is written into `getConfig`, so `model.save`
 *   then `loadVibModel` restores all three. Models saved before the bottleneck composed the encoder (format 1)
 *   load as they are.
 *
 * @example
 * ```ts
 * const layer = new VIBBottleneck({ latentDim: 2, registry, prior: { name: 'standard-normal' },
 *   controller: { name: 'fixed', config: { beta: 1e-3 } } });
 * const out = tf.tidy(() => layer.encode(h, { training: true }).rate);
 * ```
 */
export class VIBBottleneck extends tf.layers.Layer {
  /** Stable serialization name. */
  static readonly className = 'vib.VIBBottleneck';
  /** The prior plugin record. */
  readonly priorPlugin: PriorPlugin<unknown>;
  /** The KL dispatch used for KL(p(z|x) ‖ r(z)): the built-in rules plus the registry's `kl` plugins. */
  readonly klRegistry: KLRegistry;
  private readonly registry: Registry;
  private readonly stepsPerEpoch: number | undefined;
  private config: BottleneckConfig;
  private rateController: RateController;
  private priorInstance: Prior | undefined;
  private gaussianEncoder: GaussianEncoder | undefined;
  private trunk: ((x: tf.Tensor) => tf.Tensor) | undefined;

  /**
   * @param args - bottleneck config (as written, already parsed, or saved), layer args and the registry
   * @throws {@link ConfigError} on an invalid config, a prior that does not pair with the posterior, or no registry
   * @throws {@link NoSuchPluginError} when the prior or controller name is not registered
   * @throws {@link CheckpointError} when a saved config is unreadable or from a newer format
   */
  constructor(args: VIBBottleneckArgs) {
    const layerArgs: Record<string, unknown> = {};
    const own: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(args)) {
      if (NOT_LAYER_ARGS.has(key)) continue;
      (OWN_KEYS.includes(key) ? own : layerArgs)[key] = value;
    }
    super(layerArgs as LayerArgs);
    const registry = args.registry ?? scopedRegistry('VIBBottleneck');
    this.registry = registry;
    this.stepsPerEpoch = args.stepsPerEpoch;
    const saved = args.vib === undefined ? undefined : readSavedBottleneck(args.vib);
    this.config = args.config ?? parseBottleneckConfig(saved?.config ?? own, registry);
    this.priorPlugin = registry.get('prior', this.config.prior.name);
    this.rateController = this.createController(this.config.controller);
    if (saved?.controllerState !== undefined) restoreControllerState(this.rateController, saved.controllerState, "the saved bottleneck's controller state");
    this.klRegistry = klRegistryFor(registry);
  }

  /** The parsed configuration (its `controller` follows {@link VIBBottleneck.setController}). */
  get vibConfig(): BottleneckConfig {
    return this.config;
  }

  /** The rate controller (β, C, ... and its updates). */
  get controller(): RateController {
    return this.rateController;
  }

  /**
   * Replace the rate controller (e.g. a new β between epochs); the layer's config, and so a saved
   * model, records the new one.
   * @param ref - registered controller name and its config as written (its registry entry validates it)
   * @throws {@link NoSuchPluginError} for an unknown name; {@link ConfigError} for a bad config
   */
  setController(ref: { readonly name: string; readonly config?: unknown }): void {
    const parsed = resolvePluginRef(this.registry, 'controller', ref, 'controller');
    this.rateController = this.createController(parsed);
    this.config = { ...this.config, controller: parsed };
  }

  /**
   * The controller state, as saved models and training checkpoints keep it (see `saveControllerState`).
   * @returns plain numbers by name
   */
  saveControllerState(): Record<string, number> {
    return saveControllerState(this.rateController, `controller "${this.config.controller.name}"`);
  }

  /**
   * Restore the controller state that {@link VIBBottleneck.saveControllerState} gave (see `restoreControllerState`).
   * @param state - the saved state
   * @param where - where it came from, for messages
   * @throws {@link ConfigError} naming a field that is not a finite number
   */
  restoreControllerState(state: unknown, where: string): void {
    restoreControllerState(this.rateController, state, where);
  }

  /** The prior plugin's instance, checked to have what the bottleneck calls. */
  private createPrior(config: unknown, context: Parameters<PriorPlugin['create']>[1]): Prior {
    return expectCreated<Prior>('prior', this.vibConfig.prior.name, this.priorPlugin.create(config, context), PRIOR_INSTANCE_SHAPE);
  }

  private createController(ref: { readonly name: string; readonly config?: unknown }): RateController {
    const plugin = this.registry.get('controller', ref.name);
    const latentDim = this.config.latentDim;
    const created = plugin.create(ref.config, this.stepsPerEpoch === undefined ? { latentDim } : { latentDim, stepsPerEpoch: this.stepsPerEpoch });
    return expectCreated<RateController>('controller', ref.name, created, CONTROLLER_INSTANCE_SHAPE);
  }

  /**
   * Wire the encoder trunk x → h in front of this layer, so a prior that `needsEncoder` can compute p(z|x)
   * of its own inputs (model builders and loaders call it; other priors ignore it).
   * @param trunk - the layers before the bottleneck, as a function of a batch of inputs
   */
  attachEncoder(trunk: (x: tf.Tensor) => tf.Tensor): void {
    this.trunk = trunk;
  }

  private priorEncoder(): PriorEncoder | undefined {
    const input = this.vibConfig.encoderInput;
    if (this.priorPlugin.needsEncoder !== true || input === undefined) return undefined;
    return {
      inputShape: input.shape,
      inputsInUnitInterval: input.unitInterval,
      posterior: (x) => {
        if (this.trunk === undefined) {
          throw new ConfigError(`prior "${this.vibConfig.prior.name}" asked for the encoder before the model wired it: call attachEncoder (buildVibModel and loadVibModel do)`);
        }
        return this.posterior(this.trunk(x));
      },
    };
  }

  /** The prior r(z); available once the layer is built. */
  get prior(): Prior {
    if (this.priorInstance === undefined) {
      throw new ConfigError(`VIBBottleneck "${this.name}" is not built yet: apply it to an input first`);
    }
    return this.priorInstance;
  }

  /** The Gaussian encoder p(z|x) this layer composes; available once the layer is built. */
  get encoder(): GaussianEncoder {
    if (this.gaussianEncoder === undefined) {
      throw new ConfigError(`VIBBottleneck "${this.name}" is not built yet: apply it to an input first`);
    }
    return this.gaussianEncoder;
  }

  /** Latent dimension K. */
  get latentDim(): number {
    return this.vibConfig.latentDim;
  }

  /** The encoder's trainable weights, then the prior's (the order of weights saved before the composition). */
  override get trainableWeights(): tf.LayerVariable[] {
    return [...(this.gaussianEncoder?.trainableWeights ?? []), ...super.trainableWeights];
  }

  /** Replace this layer's own trainable weights (the prior's), as tfjs' `Layer` allows. */
  override set trainableWeights(weights: tf.LayerVariable[]) {
    super.trainableWeights = weights;
  }

  /** The encoder's non-trainable weights, then the prior's. */
  override get nonTrainableWeights(): tf.LayerVariable[] {
    return [...(this.gaussianEncoder?.nonTrainableWeights ?? []), ...super.nonTrainableWeights];
  }

  /** Replace this layer's own non-trainable weights (the prior's), as tfjs' `Layer` allows. */
  override set nonTrainableWeights(weights: tf.LayerVariable[]) {
    super.nonTrainableWeights = weights;
  }

  /** Whether the layer's weights are trained; setting it sets the composed encoder's too. */
  override get trainable(): boolean {
    return super.trainable;
  }

  /** Set whether the layer's weights, the composed encoder's included, are trained. */
  override set trainable(trainable: boolean) {
    super.trainable = trainable;
    if (this.gaussianEncoder !== undefined) this.gaussianEncoder.trainable = trainable;
  }

  /**
   * Create the prior's weights and the composed encoder's (its heads: mean, scale, and for full covariance
   * the off-diagonal entries), named under this layer as before the composition.
   * @param inputShape - shape of h, [B,H]
   * @throws {@link ConfigError} when H is unknown
   */
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const h = shape[shape.length - 1];
    if (typeof h !== 'number') {
      throw new ConfigError(`VIBBottleneck needs a known last input dimension, got shape ${showValue(shape)}`);
    }
    const c = this.vibConfig;
    const zeros = tf.initializers.zeros();
    const priorEncoder = this.priorEncoder();
    this.priorInstance = this.createPrior(c.prior.config, {
      latentDim: c.latentDim,
      ...(priorEncoder === undefined ? {} : { encoder: priorEncoder }),
      addWeight: (name, s, initial, trainable) => {
        const v = (this.addWeight(`prior/${name}`, s, 'float32', zeros, undefined, trainable) as unknown as { read(): tf.Variable }).read();
        tf.tidy(() => v.assign(typeof initial === 'number' ? tf.fill(s, initial) : tf.reshape(initial, s)));
        return v;
      },
    });
    const bounds = this.priorInstance.bounds;
    // a deterministic bottleneck reads only the μ head: the others stay (same saved shape) but are not trained
    const encoder = new GaussianEncoder({
      name: `${this.name}_encoder`,
      meanOnly: c.deterministic,
      config: {
        latentDim: c.latentDim,
        posterior: c.posterior,
        scale: c.scale,
        ...(c.seed === undefined ? {} : { seed: c.seed }),
        ...(bounds === undefined ? {} : { bounds: { low: bounds.low, high: bounds.high } }),
      },
    });
    // built here, inside this layer's name scope, the heads' weights keep their saved names (`<layer>/mean/kernel`)
    encoder.build([shape[0] ?? null, h]);
    if (!this.trainable) encoder.trainable = false;
    this.gaussianEncoder = encoder;
    this.built = true;
  }

  /**
   * Output shape: the input's with the last axis replaced by K.
   * @param inputShape - shape of h
   * @returns shape of z
   */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape.slice(0, -1), this.vibConfig.latentDim];
  }

  /**
   * Raw head outputs for a batch of hidden representations (the composed encoder's).
   * @param h - hidden representation [B,H]
   * @returns μ, the raw scale and (full covariance) the off-diagonal entries
   */
  headOutputs(h: tf.Tensor): HeadOutputs {
    if (!this.built) this.build(h.shape);
    return this.encoder.headOutputs(h);
  }

  /**
   * The posterior p(z|x) for a batch ({@link PointMass} at μ for a deterministic bottleneck).
   * @param h - hidden representation [B,H]
   * @returns the posterior (its tensors belong to the caller)
   */
  posterior(h: tf.Tensor): Distribution {
    if (!this.built) this.build(h.shape);
    if (this.vibConfig.deterministic) return new PointMass(this.encoder.headOutputs(h).mean);
    return this.encoder.posterior(h);
  }

  /**
   * Encode a batch for training or evaluation: posterior, code, KL and rate term.
   * @param h - hidden representation [B,H]
   * @param options - `training` draws z = μ + σ·ε (else the inference mode decides); `seed` makes draws reproducible
   * @returns posterior, z, KL, batch-mean KL and the rate term
   * @throws {@link InfiniteKLError} when the posterior's support leaves the prior's
   */
  encode(h: tf.Tensor, options: { training?: boolean; seed?: number } = {}): BottleneckOutput {
    const posterior = this.posterior(h);
    const sampled = options.training === true || this.vibConfig.inference.mode === 'sample';
    const z = sampled ? posterior.sample(undefined, options.seed) : posterior.mean();
    const klOptions = options.seed === undefined ? { samples: this.vibConfig.klSamples } : { samples: this.vibConfig.klSamples, seed: options.seed + 7919 };
    const kl = this.rateKL(posterior, { ...klOptions, validateArgs: false });
    const klMean = tf.mean(kl.total) as tf.Scalar;
    const klPerDim = kl.perDim === null ? null : (tf.mean(kl.perDim, 0) as tf.Tensor1D);
    const rate = this.vibConfig.deterministic ? tf.scalar(0) : this.controller.penalty(klMean, klPerDim);
    return { posterior, z, kl, klMean, klPerDim, rate };
  }

  /**
   * KL(p(z|x) ‖ r(z)) of a posterior from {@link VIBBottleneck.posterior}: zeros for a deterministic
   * bottleneck (it has no rate term), else KL dispatch against the prior.
   * @param posterior - p(z|x) for a batch
   * @param options - Monte Carlo samples and seed for pairs without a closed form
   * @returns KL per row (and per dimension when the pair factorizes), nats
   */
  rateKL(posterior: Distribution, options: KLOptions = {}): KLResult {
    if (this.vibConfig.deterministic) {
      const shape = [posterior.batchSize, posterior.eventSize];
      return { total: tf.zeros([posterior.batchSize]), perDim: tf.zeros(shape), exact: true, samples: 0 };
    }
    return this.klRegistry.kl(posterior, this.prior.distribution(), options);
  }

  /**
   * Inference: the mean code, or one reparameterized sample in `sample` mode.
   * @param inputs - hidden representation [B,H]
   * @returns z [B,K]
   */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const h = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
      const posterior = this.posterior(h);
      return this.vibConfig.inference.mode === 'sample' ? posterior.sample() : posterior.mean();
    });
  }

  /**
   * The layer config: base fields plus `vib`, the bottleneck's saved config in format 2 (the composed
   * encoder's config, the prior, the controller and its state; see `writeSavedBottleneck`).
   * @returns the config
   */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), vib: writeSavedBottleneck(this.config, this.saveControllerState()) };
  }

}

tf.serialization.registerClass(VIBBottleneck);
