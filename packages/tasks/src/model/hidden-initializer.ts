import * as tf from '@tensorflow/tfjs';
import { tfSeed } from '@vib/core';

/** Activations an encoder hidden layer may use (the experiment config's `encoder.activation`). */
export type HiddenActivation = 'relu' | 'tanh' | 'elu' | 'sigmoid';

/**
 * The kernel initializer for an encoder hidden layer, chosen by its activation: He-normal (variance 2/fan-in,
 * He et al. 2015) for the rectifiers relu and elu, which keeps the activations' scale from layer to layer where
 * Glorot's 2/(fan-in + fan-out) halves it; Glorot-uniform (Glorot & Bengio 2010) for tanh and sigmoid.
 * Narrow ReLU stacks (the 12-10-7-5-4 net of Shwartz-Ziv & Tishby 2017) lose all their units under Glorot
 * initialization often enough that training stalls at chance.
 * @param activation - the layer's activation
 * @param seed - the initializer's seed
 * @returns a seeded tfjs initializer
 * @example
 * ```ts
 * tf.layers.dense({ units: 10, activation: 'relu', kernelInitializer: hiddenKernelInitializer('relu', 0) });
 * ```
 */
export function hiddenKernelInitializer(activation: HiddenActivation, seed: number): ReturnType<typeof tf.initializers.heNormal> {
  return activation === 'relu' || activation === 'elu'
    ? tf.initializers.heNormal({ seed: tfSeed(seed) })
    : tf.initializers.glorotUniform({ seed: tfSeed(seed) });
}
