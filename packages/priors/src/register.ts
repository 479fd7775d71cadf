import { defineCoreKinds, type PriorPlugin, type Registry } from '@vib/core';
import { laplacePrior } from './priors/laplace.js';
import { learnableNormalPrior } from './priors/learnable-normal.js';
import { mixtureOfGaussiansPrior } from './priors/mixture-of-gaussians.js';
import { standardNormalPrior } from './priors/standard-normal.js';
import { uniformPrior } from './priors/uniform.js';
import { vampPrior } from './priors/vamp.js';

/** The built-in prior plugins, in registration order. */
export const builtinPriors: readonly PriorPlugin<any>[] = [
  standardNormalPrior,
  learnableNormalPrior,
  uniformPrior,
  laplacePrior,
  mixtureOfGaussiansPrior,
  vampPrior,
];

/**
 * Register the built-in priors under kind `prior`: `standard-normal`, `learnable-normal`,
 * `uniform`, `laplace`, `mixture-of-gaussians`, `vamp`.
 * @param registry - the registry to fill
 * @throws {@link DuplicatePluginError} when one of these names is already registered as a prior
 * @example
 * ```ts
 * import { createRegistry } from '@vib/core';
 * import { registerPriors } from '@vib/priors';
 * const registry = createRegistry();
 * registerPriors(registry);
 * registry.names('prior'); // ['standard-normal', 'learnable-normal', 'uniform', 'laplace', 'mixture-of-gaussians', 'vamp']
 * ```
 */
export function registerPriors(registry: Registry): void {
  defineCoreKinds(registry);
  for (const plugin of builtinPriors) registry.register('prior', plugin);
}
