import * as tf from '@tensorflow/tfjs';
import type { DiagonalGaussian, KLPlugin } from '@vib/core';
import type { ScaledNormal } from './scaled-normal.js';

/**
 * The closed form KL(N(μ, diag σ²) ‖ N(0, s²I)) = Σ_k [log(s/σ_k) + (σ_k² + μ_k²)/(2s²) − ½], registered
 * under kind `kl` for the pair (DiagonalGaussian, ScaledNormal). Keyed by type names, so it applies to
 * posteriors built by any copy of @vib/core.
 */
export const diagonalGaussianScaledNormalKL: KLPlugin<DiagonalGaussian, ScaledNormal> = {
  name: 'DiagonalGaussian‖ScaledNormal',
  description: 'closed-form KL of a diagonal Gaussian posterior from the scaled normal prior N(0, s²I)',
  p: 'DiagonalGaussian',
  q: 'ScaledNormal',
  rule: (p, q) => {
    const s2 = q.scale * q.scale;
    const perDim = tf.sub(
      tf.add(tf.mul(p.logVar, -0.5), tf.div(tf.add(tf.exp(p.logVar), tf.square(p.loc)), 2 * s2)),
      0.5 - Math.log(q.scale),
    );
    return { total: tf.sum(perDim, -1), perDim };
  },
};
