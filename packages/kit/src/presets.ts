import { ConfigError } from '@vib/core/errors';

/** A named starting config (`vib train --preset`, the web demo's setups): an experiment config as written (JSON-able). */
export interface Preset {
  /** One line: what it is and where it comes from. */
  readonly description: string;
  /** The experiment config as written (validated by `parseExperimentConfig`). */
  readonly config: Readonly<Record<string, unknown>>;
}

/**
 * The optimizer of Alemi et al. (2017, Sec. 4.1): Adam with β1 = 0.5, β2 = 0.999, lr 1e-4 decayed ×0.97 every
 * 2 epochs, and a 0.999 exponential moving average of the weights for evaluation.
 */
const alemiOptimizer = {
  learningRate: 1e-4,
  beta1: 0.5,
  beta2: 0.999,
  schedule: { type: 'exponential', decayRate: 0.97, decayEpochs: 2, staircase: true },
  ema: { decay: 0.999 },
};

/**
 * Alemi et al.'s (2017) recipe beside the data and the code size: 784-1024-1024 ReLU encoder, softplus(ρ − 5)
 * scale, β = 1e-3, their optimizer, 200 epochs of batch 100, 12-sample evaluation.
 */
const alemiRecipe = {
  encoder: { hidden: [1024, 1024], activation: 'relu' },
  scale: 'softplus',
  beta: 1e-3,
  optimizer: alemiOptimizer,
  epochs: 200,
  batchSize: 100,
  evalSamples: 12,
};

/**
 * The presets, one definition for the CLI and the web demo. `digits` is the default: the embedded 8,000/2,000 MNIST digits, a small net that trains in a
 * few seconds on 2 CPU cores. The others reproduce published setups (cited per entry).
 */
export const PRESETS: Readonly<Record<string, Preset>> = {
  digits: {
    description: 'default: embedded MNIST digits, 784-256 ReLU encoder, K=32, β=1e-3, 8 epochs (about 4 s of training on 2 cores, under 10 s with start-up and plots)',
    config: {
      dataset: { name: 'mnist' },
      encoder: { hidden: [256], activation: 'relu' },
      latentDim: 32,
      beta: 1e-3,
      optimizer: { learningRate: 1e-3 },
      epochs: 8,
      batchSize: 100,
      evalSamples: 12,
    },
  },
  'digits-2d': {
    description: 'embedded MNIST digits through a 2-D code (the web demo\'s classifier): 784-256-128 ReLU encoder, K=2, β=1e-3, lr 2e-3',
    config: {
      dataset: { name: 'mnist' },
      encoder: { hidden: [256, 128], activation: 'relu' },
      latentDim: 2,
      beta: 1e-3,
      optimizer: { learningRate: 2e-3 },
      epochs: 10,
      batchSize: 100,
      evalSamples: 12,
    },
  },
  'alemi-mnist': {
    description: 'Alemi et al. (2017) Table 1: 784-1024-1024 ReLU encoder, K=256, β=1e-3, 200 epochs, 12-sample evaluation',
    config: {
      dataset: { name: 'mnist' },
      latentDim: 256,
      ...alemiRecipe,
    },
  },
  'alemi-fashion': {
    description: 'alemi-mnist\'s recipe on Fashion-MNIST (60k/10k, Debian\'s dataset-fashion-mnist): 784-1024-1024, K=256, softplus(ρ−5), β=1e-3, 200 epochs',
    config: {
      dataset: { name: 'fashion-mnist' },
      latentDim: 256,
      ...alemiRecipe,
    },
  },
  'alemi-2d': {
    description: 'Alemi et al. (2017) 2-D embedding: 784-1024-1024 encoder, K=2 full-covariance Gaussian, β=1e-3',
    config: {
      dataset: { name: 'mnist' },
      latentDim: 2,
      posterior: 'full-gaussian',
      ...alemiRecipe,
    },
  },
  vae: {
    description: 'VAE as VIB with y = x (Kingma & Welling 2014): 784-512 encoder, K=16, Bernoulli decoder 16-512-784, β=1',
    config: {
      dataset: { name: 'mnist' },
      encoder: { hidden: [512], activation: 'relu' },
      latentDim: 16,
      task: { name: 'reconstruction', config: { likelihood: 'bernoulli', hidden: [512], activation: 'relu' } },
      beta: 1,
      optimizer: { learningRate: 1e-3 },
      epochs: 10,
      batchSize: 100,
    },
  },
  'tishby-12bit': {
    description: 'Shwartz-Ziv & Tishby (2017): 12-10-7-5-4-3-2 tanh network on the 12-bit task (the width-3 layer is the stochastic code)',
    config: {
      dataset: { name: 'tishby-12bit' },
      encoder: { hidden: [10, 7, 5, 4], activation: 'tanh' },
      latentDim: 3,
      beta: 1e-4,
      optimizer: { learningRate: 4e-3 },
      epochs: 300,
      batchSize: 256,
    },
  },
};

/** The preset used when neither --preset nor --config is given. */
export const DEFAULT_PRESET = 'digits';

/**
 * A copy of a preset's config, to extend or override.
 * @param name - a key of {@link PRESETS}
 * @returns a deep copy of its config
 * @throws {@link ConfigError} for an unknown name, listing the presets
 * @example
 * ```ts
 * import { presetConfig } from '@vib/kit';
 * presetConfig('tishby-12bit').encoder; // { hidden: [10, 7, 5, 4], activation: 'tanh' }
 * ```
 */
export function presetConfig(name: string): Record<string, unknown> {
  const preset = PRESETS[name];
  if (preset === undefined) {
    throw new ConfigError(`unknown preset "${name}": choose one of ${Object.keys(PRESETS).join(', ')}`, { details: { field: 'preset', value: name } });
  }
  return structuredClone(preset.config) as Record<string, unknown>;
}
