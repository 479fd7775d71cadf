export { createStandaloneContext, type StandaloneContext } from './config/standalone-context.js';
export {
  standardNormalPrior,
  standardNormalConfigSchema,
  type StandardNormalPriorConfig,
} from './priors/standard-normal.js';
export {
  learnableNormalPrior,
  learnableNormalConfigSchema,
  type LearnableNormalPriorConfig,
} from './priors/learnable-normal.js';
export { uniformPrior, uniformConfigSchema, type UniformPriorConfig } from './priors/uniform.js';
export { laplacePrior, laplaceConfigSchema, type LaplacePriorConfig } from './priors/laplace.js';
export {
  mixtureOfGaussiansPrior,
  mixtureOfGaussiansConfigSchema,
  type MixtureOfGaussiansPriorConfig,
} from './priors/mixture-of-gaussians.js';
export { vampPrior, vampConfigSchema, type VampPrior, type VampPriorConfig } from './priors/vamp.js';
export { registerPriors, builtinPriors } from './register.js';
