import * as tf from '@tensorflow/tfjs';
import { ConfigError, type PriorContext, type PriorEncoder } from '@vib/core';

/** A {@link PriorContext} that owns its weights, for using a prior outside a bottleneck layer. */
export interface StandaloneContext extends PriorContext {
  /** Every weight created so far, by name, in creation order. */
  readonly weights: ReadonlyMap<string, tf.Variable>;
  /** Dispose every weight created through this context. */
  dispose(): void;
}

/**
 * Create a prior context whose `addWeight` makes plain `tf.variable`s (in a layer, the
 * bottleneck's own `addWeight` is used instead, so weights train and save with the model).
 * Useful for fitting or inspecting a prior on its own, and in tests.
 * @param latentDim - latent dimension K
 * @param options - `encoder`: the x → p(z|x) map handed to priors that declare `needsEncoder` (the VampPrior)
 * @returns the context, with its weights and a `dispose`
 * @throws {@link ConfigError} when `latentDim` is not a positive integer, or a weight name repeats
 * @example
 * ```ts
 * import { createStandaloneContext, learnableNormalConfigSchema, learnableNormalPrior } from '@vib/priors';
 * const ctx = createStandaloneContext(4);
 * const prior = learnableNormalPrior.create(learnableNormalConfigSchema.parse({}), ctx);
 * [...ctx.weights.keys()]; // ['mean', 'logVar']
 * ctx.dispose();
 * ```
 */
export function createStandaloneContext(latentDim: number, options: { readonly encoder?: PriorEncoder } = {}): StandaloneContext {
  if (!Number.isInteger(latentDim) || latentDim < 1) {
    throw new ConfigError(`latentDim must be a positive integer, got ${String(latentDim)}`, {
      details: { field: 'latentDim', value: latentDim },
    });
  }
  const weights = new Map<string, tf.Variable>();
  return {
    latentDim,
    ...(options.encoder === undefined ? {} : { encoder: options.encoder }),
    weights,
    addWeight(name, shape, initial, trainable) {
      if (weights.has(name)) {
        throw new ConfigError(`weight "${name}" was already created in this context; give each weight its own name`, {
          details: { field: 'name', value: name },
        });
      }
      const init = tf.tidy(() =>
        typeof initial === 'number' ? tf.fill(shape, initial) : tf.broadcastTo(initial, shape).clone(),
      );
      // No tf name: the engine requires globally unique variable names, the map keys are local.
      const v = tf.variable(init, trainable);
      init.dispose();
      weights.set(name, v);
      return v;
    },
    dispose() {
      for (const v of weights.values()) v.dispose();
      weights.clear();
    },
  };
}
