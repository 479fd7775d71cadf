import type { EstimatorPlugin } from '../../plugins/estimator-plugin.js';
import type { Registry } from '../../registry/registry.js';
import { binningEstimator } from './binning-estimator.js';
import { infoNceEstimator, jsEstimator, mineEstimator, nwjEstimator } from './critic-estimators.js';
import { kdeLowerEstimator, kdeUpperEstimator } from './kde-estimators.js';

/** The built-in estimators, in registration order. */
export const builtInEstimators: readonly EstimatorPlugin<any>[] = [
  binningEstimator,
  kdeUpperEstimator,
  kdeLowerEstimator,
  infoNceEstimator,
  nwjEstimator,
  jsEstimator,
  mineEstimator,
];

/**
 * Register the built-in MI estimators under kind `estimator`: binning, kde-upper, kde-lower,
 * infonce, nwj, js, mine.
 * @param registry - the registry to add to
 * @throws {@link DuplicatePluginError} when one of the names is already registered
 * @example
 * ```ts
 * import { createRegistry, registerEstimators } from '@vib/core';
 * const registry = createRegistry();
 * registerEstimators(registry);
 * registry.names('estimator'); // ['binning', 'kde-upper', 'kde-lower', 'infonce', 'nwj', 'js', 'mine']
 * ```
 */
export function registerEstimators(registry: Registry): void {
  for (const plugin of builtInEstimators) registry.register('estimator', plugin);
}
