export * from './errors/index.js';
export { createRegistry, type Registry, type RegisterOptions } from './registry/registry.js';
export type { PluginBase, PluginKind, PluginKindMap, PluginOf } from './registry/plugin.js';
export { NATS_PER_BIT, natsToBits, bitsToNats, information, type Information } from './units/units.js';
export type { Distribution } from './distributions/distribution.js';
export type { PosteriorFamily, PriorContext, Prior, PriorPlugin } from './plugins/prior-plugin.js';
export type { RateObservation, RateController, ControllerPlugin } from './plugins/controller-plugin.js';
export type { DataSplit, Dataset, DatasetLoadOptions, DatasetPlugin } from './plugins/dataset-plugin.js';
export type {} from './plugins/kinds.js';
export { DiagonalGaussian } from './distributions/diagonal-gaussian.js';
export { StandardNormal } from './distributions/standard-normal.js';
export { FullCovGaussian } from './distributions/full-cov-gaussian.js';
export { Uniform } from './distributions/uniform.js';
export { Laplace } from './distributions/laplace.js';
export { MixtureOfDiagonalGaussians } from './distributions/mixture-of-diagonal-gaussians.js';
export { Categorical } from './distributions/categorical.js';
export { SquashedGaussian } from './distributions/squashed-gaussian.js';
export { createKLRegistry } from './kl/kl-registry.js';
export { registerDefaultKLs } from './kl/register-default-kls.js';
export { monteCarloKL } from './kl/monte-carlo-kl.js';
export type {
  DistributionClass,
  KLRegistry,
  KLRegistryOptions,
  KLRegisterOptions,
  KLOptions,
  KLResult,
  KLRule,
  KLRuleContext,
  KLRuleResult,
} from './kl/kl-types.js';
