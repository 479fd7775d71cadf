import * as tf from '@tensorflow/tfjs';
import type { Prior, PriorPlugin } from '@vib/core';
import { z } from 'zod';
import { StudentT } from './student-t.js';

/** Config of {@link studentTPrior}. */
export const studentTConfigSchema = z.strictObject({
  /** Degrees of freedom ν > 0 (default 3: heavy tails, finite variance 3·s²). */
  degreesOfFreedom: z.number().finite().positive().default(3),
  /** Scale s > 0 of every dimension (default 1). */
  scale: z.number().finite().positive().default(1),
});

/** Parsed config of {@link studentTPrior}. */
export type StudentTPriorConfig = z.output<typeof studentTConfigSchema>;

/**
 * The prior plugin `student-t`: r(z) = Π_k t_ν(z_k; 0, s), a heavy-tailed alternative to the
 * standard normal. It pairs with the diagonal Gaussian posterior; KL(p(z|x) ‖ r(z)) has no closed
 * form and is estimated by Monte Carlo through the KL dispatcher (reparameterized, so it trains).
 * @example
 * ```ts
 * const prior = studentTPrior.create({ degreesOfFreedom: 3, scale: 1 }, context);
 * const r = prior.distribution(); // a StudentT with batch size 1
 * ```
 */
export const studentTPrior: PriorPlugin<StudentTPriorConfig> = {
  name: 'student-t',
  description: 'Factorized Student-t(ν, 0, s): heavy tails; KL by Monte Carlo',
  configSchema: studentTConfigSchema,
  posteriors: ['diagonal-gaussian'],
  create(config, context): Prior {
    const { degreesOfFreedom, scale } = config; // parsed once, by this entry's configSchema, before create
    const k = context.latentDim;
    const r = new StudentT(degreesOfFreedom, tf.keep(tf.zeros([1, k])), tf.keep(tf.fill([1, k], scale)));
    return { distribution: () => r };
  },
};
