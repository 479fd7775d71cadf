import { Categorical } from '../distributions/categorical.js';
import { DiagonalGaussian } from '../distributions/diagonal-gaussian.js';
import { FullCovGaussian } from '../distributions/full-cov-gaussian.js';
import { Laplace } from '../distributions/laplace.js';
import { MixtureOfDiagonalGaussians } from '../distributions/mixture-of-diagonal-gaussians.js';
import { SquashedGaussian } from '../distributions/squashed-gaussian.js';
import { StandardNormal } from '../distributions/standard-normal.js';
import { Uniform } from '../distributions/uniform.js';
import type { KLRegistry } from './kl-types.js';
import { klCategoricalCategorical } from './rules/categorical-kl.js';
import {
  klDiagonalGaussianFullCov,
  klFullCovDiagonalGaussian,
  klFullCovFullCov,
  klFullCovStandardNormal,
} from './rules/full-cov-kl.js';
import { klDiagonalGaussianDiagonalGaussian, klDiagonalGaussianStandardNormal } from './rules/gaussian-kl.js';
import { klLaplaceLaplace } from './rules/laplace-kl.js';
import { klSquashedGaussianUniform } from './rules/squashed-uniform-kl.js';
import { klUnboundedUniform } from './rules/unbounded-uniform-kl.js';
import { klUniformUniform } from './rules/uniform-kl.js';

/**
 * Register the built-in KL rules: closed forms for DiagonalGaussian‖StandardNormal (the seeds'
 * formula), DiagonalGaussian‖DiagonalGaussian, FullCovGaussian‖FullCovGaussian,
 * FullCovGaussian‖DiagonalGaussian, FullCovGaussian‖StandardNormal, DiagonalGaussian‖FullCovGaussian,
 * Laplace‖Laplace, Uniform‖Uniform, Categorical‖Categorical; the sampled
 * SquashedGaussian‖Uniform; and InfiniteKLError for unbounded families ‖ Uniform.
 * @param registry - the registry to fill
 * @throws {@link DuplicatePluginError} when one of these pairs is already registered
 * @example
 * ```ts
 * import { createKLRegistry } from '@vib/core';
 * createKLRegistry().pairs(); // includes 'DiagonalGaussian‖StandardNormal'
 * ```
 */
export function registerDefaultKLs(registry: KLRegistry): void {
  registry.register(DiagonalGaussian, StandardNormal, klDiagonalGaussianStandardNormal);
  registry.register(DiagonalGaussian, DiagonalGaussian, klDiagonalGaussianDiagonalGaussian);
  registry.register(FullCovGaussian, FullCovGaussian, klFullCovFullCov);
  registry.register(FullCovGaussian, DiagonalGaussian, klFullCovDiagonalGaussian);
  registry.register(FullCovGaussian, StandardNormal, klFullCovStandardNormal);
  registry.register(DiagonalGaussian, FullCovGaussian, klDiagonalGaussianFullCov);
  registry.register(Laplace, Laplace, klLaplaceLaplace);
  registry.register(Uniform, Uniform, klUniformUniform);
  registry.register(Categorical, Categorical, klCategoricalCategorical);
  registry.register(SquashedGaussian, Uniform, klSquashedGaussianUniform);
  for (const unbounded of [DiagonalGaussian, FullCovGaussian, Laplace, MixtureOfDiagonalGaussians]) {
    registry.register(unbounded, Uniform, klUnboundedUniform);
  }
}
