import { PRESETS } from '@vib/kit';

/**
 * The classifier recipe of the alemi reproductions: the `alemi-fashion` preset in full (Fashion-MNIST 60k/10k,
 * 784-1024-1024, K = 256, 200 epochs), or a CI-sized stand-in on the embedded digits when quick.
 * @param quick - the small variant
 * @param extra - fields laid over the recipe
 * @returns a raw experiment config
 */
export function alemiRecipe(quick: boolean, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const base = quick
    ? { dataset: { name: 'mnist' }, encoder: { hidden: [64], activation: 'relu' }, latentDim: 8, scale: 'softplus', beta: 1e-3, optimizer: { learningRate: 1e-3, beta1: 0.5 }, epochs: 2, batchSize: 50, evalSamples: 12 }
    : structuredClone(PRESETS['alemi-fashion']!.config);
  return { ...base, ...extra };
}

/** Examples kept by the quick variants: train, test. */
export const QUICK_SUBSET = { maxTrain: 600, maxTest: 200 } as const;
